"""Portable column types and the compression used for stored bytes."""

from __future__ import annotations

import zlib
from datetime import UTC, datetime

from sqlalchemy import DateTime
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime stored as a naive UTC timestamp.

    SQLite has no time zones and PostgreSQL's ``timestamptz`` converts on read; storing
    naive UTC and re-attaching UTC on the way out behaves the same on both.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Convert an aware datetime to naive UTC; naive values are taken as UTC."""
        if value is None:
            return None
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Re-attach UTC."""
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


def compress(data: bytes) -> bytes:
    """Compress bytes for storage (zlib: in the standard library and fast enough here)."""
    return zlib.compress(data, 6)


def decompress(data: bytes) -> bytes:
    """Undo :func:`compress`."""
    return zlib.decompress(data)
