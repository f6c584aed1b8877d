"""Typed records that cross the archive package's border.

They are frozen so that the monitor, storage and tests can pass them around and keep them in
sets without worrying about who changes what.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CdxRow:
    """One row of the archive's CDX index: one capture of one URL."""

    urlkey: str
    timestamp: str  # 14 digits, UTC
    original: str
    mimetype: str
    statuscode: str  # "200", "301", "404", or "-" for revisits
    digest: str  # base32 SHA-1 of the payload, as the CDX gives it
    length: int | None


@dataclass(frozen=True)
class Memento:
    """What a raw (``id_``) replay of one capture returned."""

    timestamp: str  # the capture actually replayed, after the archive's nearest-capture redirect
    original: str  # the original URL replayed
    status: int  # the ARCHIVED http status (301/302/... for an archived redirect)
    content_type: str | None  # archived Content-Type, with its charset parameter if any
    body: bytes
    location: str | None  # for an archived redirect: the target original URL, else None


@dataclass(frozen=True)
class Limits:
    """How hard we may hit one archive.

    The defaults are 80 % of the Internet Archive's published limits (DESIGN.md). ``None`` or
    ``0`` turns a limit off, which is what a local archive server wants.
    """

    search_per_minute: float | None = 24
    replay_per_second: float | None = 8
    pause_on_429: float = 60.0
