"""Rebuilding a policy's versions from its stored captures (re-extraction, late imports).

Runs as one transaction holding the write lock from before the captures are read (see
:meth:`storage.db.Database.writing`), so a capture another process records meanwhile is
either in the rebuild or recorded after it, never left pointing at a deleted version. The
versions are deleted and made again from every capture in timestamp order, with the
verdict the caller gives each one. A new version boundary where the old extraction saw no
change is marked *technical*: it exists only because extraction changed, and is never
notified.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from storage.captures import assign_version
from storage.db import lock_for_write
from storage.models import Capture, Policy, Version
from storage.records import NEW, REJECTED, REVERT, SAME, NewText, parse_timestamp
from storage.versions import captures_in_order

# What the caller decided about a capture: its text, a rejection reason, or None to keep
# the capture as it is (one that was never fetched: nothing to re-extract).
Verdict = NewText | str | None


@dataclass(frozen=True)
class StoredCapture:
    """A recorded capture as a rebuild sees it."""

    id: int
    timestamp: str
    original: str
    mimetype: str
    statuscode: str
    snapshot_id: int | None
    outcome: str
    version_number: int | None


@dataclass(frozen=True)
class RebuildResult:
    """How many versions there were before and after, and how many are technical."""

    before: int
    after: int
    technical: int


def stored_captures(session: Session, policy_id: int) -> list[StoredCapture]:
    """A policy's captures in the order versions are made from them."""
    return [
        StoredCapture(
            c.id,
            c.timestamp,
            c.original,
            c.mimetype,
            c.statuscode,
            c.snapshot_id,
            c.outcome,
            number,
        )
        for c, number in session.execute(captures_in_order(policy_id))
    ]


def _count_versions(session: Session, policy_id: int) -> int:
    return session.scalar(select(func.count(Version.id)).where(Version.policy_id == policy_id)) or 0


def rebuild_versions(
    session: Session, policy_id: int, captures: list[StoredCapture], verdicts: dict[int, Verdict]
) -> RebuildResult:
    """Make the policy's versions again from ``captures`` (as :func:`stored_captures` gave
    them in this write-locked transaction, before any change) and the caller's verdict on
    each."""
    lock_for_write(session)
    before = _count_versions(session, policy_id)
    session.execute(delete(Version).where(Version.policy_id == policy_id))
    session.expire_all()
    # The rows in one query, and a capture of the text in hand handled in memory: other
    # writers wait for this transaction, so it does no more round trips than it must.
    rows = {c.id: c for c in session.scalars(select(Capture).where(Capture.policy_id == policy_id))}
    technical = 0
    previous: StoredCapture | None = None
    latest: Version | None = None
    for stored in captures:
        verdict = verdicts.get(stored.id)
        if verdict is None:
            continue
        row = rows[stored.id]
        if isinstance(verdict, str):
            row.outcome, row.reason, row.version_id = REJECTED, verdict, None
            continue
        seen = parse_timestamp(stored.timestamp)
        if latest is not None and latest.identity == verdict.identity:
            latest.last_seen = max(latest.last_seen, seen)  # as assign_version would
            row.outcome, row.reason, row.version_id = SAME, None, latest.id
            previous = stored
            continue
        latest, outcome = assign_version(session, policy_id, verdict, seen)
        if outcome.kind in (NEW, REVERT) and _extraction_only(previous, stored):
            latest.technical = True
            technical += 1
        row.outcome, row.reason, row.version_id = outcome.kind, None, latest.id
        previous = stored
    session.get_one(Policy, policy_id).needs_rebuild = False
    session.flush()
    return RebuildResult(before, _count_versions(session, policy_id), technical)


def _extraction_only(previous: StoredCapture | None, current: StoredCapture) -> bool:
    """Whether a new boundary between two captures comes from extraction alone: the old
    extraction put both in the same version."""
    return (
        previous is not None
        and current.version_number is not None
        and previous.version_number == current.version_number
    )
