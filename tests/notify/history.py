"""Building policy histories in a real database without the archive: versions made by the
storage layer, comparisons by the monitor, notifications queued as the pipeline queues them."""

from __future__ import annotations

from scenarios import PREAMBLE
from sqlalchemy import select

from storage import captures as capture_store
from storage import notifications as notification_store
from storage.db import Database
from storage.models import Change, Version
from storage.records import NewCapture
from tracker.clock import ManualClock
from tracker.monitor.comparisons import compare_new_version
from tracker.monitor.judge import policy_text
from tracker.policies import NewPolicy, add_policy, get_policy


def policy(db: Database, clock: ManualClock, name: str, url: str | None = None) -> None:
    """Track a policy (no archive involved)."""
    add_policy(db, NewPolicy(name, url or f"https://{name.lower()}.example/privacy"), clock)


def text(*paragraphs: str) -> str:
    """A policy text long enough to read like one."""
    return "\n\n".join([PREAMBLE, *paragraphs]) + "\n"


def record(
    db: Database,
    clock: ManualClock,
    name: str,
    timestamp: str,
    body: str,
    *,
    technical: bool = False,
) -> int | None:
    """Record a capture with this text; the id of the change it made, if any.

    Notifications are queued in the same transaction, as the pipeline does (the call is
    idempotent, so it is harmless once the pipeline queues them itself).
    """
    record_ = get_policy(db, name)
    capture = NewCapture(timestamp, record_.url, "text/markdown", "200", f"D{timestamp}")
    with db.session() as session:
        outcome = capture_store.record_capture(
            session, record_.id, capture, now=clock.now(), text=policy_text(body)
        )
        if outcome.kind not in ("new", "revert") or outcome.version_number is None:
            return None
        version = session.scalars(
            select(Version).filter_by(policy_id=record_.id, number=outcome.version_number)
        ).one()
        # A re-extraction marks the versions it makes technical; so does this.
        version.technical = technical
        compare_new_version(session, record_.id, outcome.version_number, clock.now())
        change = session.scalar(select(Change).where(Change.new_version_id == version.id))
        if change is None:
            return None
        notification_store.queue_notifications(session, change.id, clock.now())
        return change.id
