"""Reading a policy's versions and captures, and resolving version references."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from storage.errors import NotFound
from storage.models import Capture, TextBlob, Version
from storage.records import CaptureRecord, VersionRecord
from storage.types import decompress


def list_versions(session: Session, policy_id: int) -> list[VersionRecord]:
    """A policy's versions, oldest first, with their capture counts."""
    counts = (
        select(Capture.version_id, func.count(Capture.id).label("n"))
        .where(Capture.policy_id == policy_id)
        .group_by(Capture.version_id)
        .subquery()
    )
    query = (
        select(Version, TextBlob.sha256, TextBlob.chars, counts.c.n)
        .join(TextBlob, TextBlob.id == Version.text_id)
        .outerjoin(counts, counts.c.version_id == Version.id)
        .where(Version.policy_id == policy_id)
        .order_by(Version.number)
    )
    return [
        VersionRecord(
            id=v.id,
            policy_id=v.policy_id,
            number=v.number,
            first_seen=v.first_seen,
            last_seen=v.last_seen,
            captures=n or 0,
            words=v.words,
            chars=chars,
            sha256=sha,
            identity=v.identity,
            stated_date=v.stated_date,
            technical=v.technical,
            revert_of=v.revert_of,
        )
        for v, sha, chars, n in session.execute(query)
    ]


def captures_in_order(policy_id: int) -> Select[tuple[Capture, int | None]]:
    """A policy's captures with their version numbers, in the order versions are made."""
    return (
        select(Capture, Version.number)
        .outerjoin(Version, Version.id == Capture.version_id)
        .where(Capture.policy_id == policy_id)
        .order_by(Capture.timestamp, Capture.original)
    )


def list_captures(session: Session, policy_id: int) -> list[CaptureRecord]:
    """A policy's captures, oldest first, with their outcomes."""
    return [
        CaptureRecord(
            timestamp=c.timestamp,
            original=c.original,
            mimetype=c.mimetype,
            statuscode=c.statuscode,
            digest=c.digest,
            length=c.length,
            outcome=c.outcome,
            reason=c.reason,
            version_number=number,
        )
        for c, number in session.execute(captures_in_order(policy_id))
    ]


def version_text(session: Session, version_id: int) -> str:
    """The exact text of a version."""
    version = session.get_one(Version, version_id)
    return decompress(version.text.data).decode("utf-8")


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def resolve_ref(versions: list[VersionRecord], ref: str, policy: str) -> VersionRecord:
    """The version a reference names.

    ``ref`` is a version number (``3``), ``latest``, a negative offset from the latest
    (``-1`` is the one before it), or a date (``2021-03-04``: the version current then).
    """
    if not versions:
        raise NotFound(f"policy {policy!r} has no versions yet; run `redline backfill {policy}`")
    ref = ref.strip()
    if ref in ("", "latest"):
        return versions[-1]
    if re.fullmatch(r"-\d+", ref):
        index = len(versions) - 1 - int(ref[1:])
        if index < 0:
            raise NotFound(f"{policy}@{ref}: the policy has only {len(versions)} versions")
        return versions[index]
    if ref.isascii() and ref.isdigit():  # "²" is a digit to str.isdigit
        for version in versions:
            if version.number == int(ref):
                return version
        raise NotFound(f"{policy}@{ref}: no such version (there are {len(versions)})")
    if _DATE.match(ref):
        return _version_at(versions, ref, policy)
    raise NotFound(
        f"{policy}@{ref}: not a version reference (use a number, a date YYYY-MM-DD, `latest` or -1)"
    )


def _version_at(versions: list[VersionRecord], ref: str, policy: str) -> VersionRecord:
    try:
        day = date.fromisoformat(ref)
    except ValueError as exc:
        raise NotFound(f"{policy}@{ref}: not a real date") from exc
    current = [v for v in versions if v.first_seen.date() <= day]
    if not current:
        first = versions[0].first_seen.date().isoformat()
        raise NotFound(f"{policy}@{ref}: the first version was seen on {first}")
    return current[-1]
