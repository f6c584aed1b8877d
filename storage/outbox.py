"""The outbox: pending notifications, their claims and deliveries, and what digests show.

A row still ``pending`` with a ``message_id`` has been *claimed* for that message (maybe
sent, maybe not): a retry sends the same digest with the same Message-ID. A claim clears
``last_error`` and a failed attempt sets it, so a claimed row without an error is an attempt
that has not ended: in flight, or its mailer died (:func:`release_claims`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import Session

from storage.errors import Conflict
from storage.models import Capture, Change, Notification, Policy, Subscription, Version
from storage.notifications import FAILED, PENDING, SENT
from storage.versions import version_text


@dataclass(frozen=True)
class OutboxRow:
    """A pending notification with what the mailer needs to group it into a digest."""

    id: int
    email: str
    cadence: str
    change_id: int
    attempts: int
    message_id: str | None
    created_at: datetime


@dataclass(frozen=True)
class VersionSide:
    """One side of a change: the version and the first capture that showed it."""

    number: int
    first_seen: datetime
    timestamp: str | None
    original: str | None


@dataclass(frozen=True)
class ChangeEntry:
    """Everything a digest shows of one stored comparison."""

    change_id: int
    policy: str
    url: str
    archive_url: str | None
    old: VersionSide | None
    new: VersionSide
    document: dict[str, Any]
    old_text: str
    new_text: str


@dataclass(frozen=True)
class OutboxCounts:
    """The outbox at a glance."""

    pending: int
    sent: int
    failed: int
    oldest_pending: datetime | None


def due_notifications(session: Session, now: datetime, cadences: list[str]) -> list[OutboxRow]:
    """Pending rows to send now: fresh ones of the given cadences, and claimed ones (a
    digest already attempted) whose backoff has passed, whatever their cadence."""
    fresh = and_(Notification.message_id.is_(None), Subscription.cadence.in_(cadences))
    retry = and_(
        Notification.message_id.is_not(None),
        or_(Notification.next_attempt_at.is_(None), Notification.next_attempt_at <= now),
    )
    query = (
        select(Notification, Subscription.email, Subscription.cadence)
        .join(Subscription, Subscription.id == Notification.subscription_id)
        .where(Notification.state == PENDING, or_(fresh, retry))
        .order_by(Notification.id)
    )
    return [
        OutboxRow(n.id, email, cadence, n.change_id, n.attempts, n.message_id, n.created_at)
        for n, email, cadence in session.execute(query)
    ]


def claim(session: Session, rows: list[OutboxRow], message_id: str, *, retry_at: datetime) -> None:
    """Mark rows as attempted for ``message_id`` before sending.

    Each row is claimed only if it is as it was read (still pending, same attempt count),
    so two mailers racing on one database cannot both send it: the loser gets
    :class:`Conflict` and must roll back its session.
    """
    for row in rows:
        result = session.execute(
            update(Notification)
            .where(
                Notification.id == row.id,
                Notification.state == PENDING,
                Notification.attempts == row.attempts,
            )
            .values(
                message_id=message_id,
                attempts=row.attempts + 1,
                next_attempt_at=retry_at,
                last_error=None,
            )
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise Conflict(f"notification {row.id} was claimed by another mailer")


def release_claims(session: Session, now: datetime) -> int:
    """Make due ``now`` the rows whose attempt never ended; how many.

    For a mailer starting after a crash: the process that claimed them died between the
    claim and recording the outcome, so the message may or may not have gone out. Sending
    it again (same Message-ID) is the at-least-once half of the outbox's promise; waiting
    out the claim's backoff would only delay it. A row whose last attempt failed keeps its
    backoff.
    """
    result = session.execute(
        update(Notification)
        .where(
            Notification.state == PENDING,
            Notification.message_id.is_not(None),
            Notification.last_error.is_(None),
            Notification.next_attempt_at > now,
        )
        .values(next_attempt_at=now)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


def mark_sent(session: Session, ids: list[int], now: datetime) -> None:
    """The SMTP server accepted the digest holding these rows."""
    session.execute(
        update(Notification)
        .where(Notification.id.in_(ids))
        .values(state=SENT, sent_at=now, last_error=None, next_attempt_at=None)
    )


def mark_failed(session: Session, ids: list[int], error: str, *, give_up: bool) -> None:
    """Record a failed attempt; ``give_up`` ends retries (state ``failed``)."""
    values: dict[str, Any] = {"last_error": error}
    if give_up:
        values.update(state=FAILED, next_attempt_at=None)
    session.execute(update(Notification).where(Notification.id.in_(ids)).values(**values))


def oldest_unsent(session: Session) -> dict[str, datetime]:
    """Per cadence, when the oldest row that no digest has tried yet was queued."""
    query = (
        select(Subscription.cadence, func.min(Notification.created_at))
        .join(Subscription, Subscription.id == Notification.subscription_id)
        .where(Notification.state == PENDING, Notification.message_id.is_(None))
        .group_by(Subscription.cadence)
    )
    return {cadence: oldest for cadence, oldest in session.execute(query)}


def outbox_counts(session: Session) -> OutboxCounts:
    """Rows per state and when the oldest pending one was queued."""
    counts = dict(
        session.execute(
            select(Notification.state, func.count(Notification.id)).group_by(Notification.state)
        ).all()
    )
    oldest = session.scalar(
        select(func.min(Notification.created_at)).where(Notification.state == PENDING)
    )
    return OutboxCounts(counts.get(PENDING, 0), counts.get(SENT, 0), counts.get(FAILED, 0), oldest)


def _side(session: Session, version_id: int) -> VersionSide:
    version = session.get_one(Version, version_id)
    first = session.execute(
        select(Capture.timestamp, Capture.original)
        .where(Capture.version_id == version_id)
        .order_by(Capture.timestamp, Capture.original)
        .limit(1)
    ).first()
    timestamp, original = (first[0], first[1]) if first else (None, None)
    return VersionSide(version.number, version.first_seen, timestamp, original)


def change_entries(session: Session, change_ids: list[int]) -> list[ChangeEntry]:
    """The stored comparisons with their policy, both versions' texts and first captures."""
    entries = []
    query = select(Change, Policy).join(Policy, Policy.id == Change.policy_id)
    for change, policy in session.execute(query.where(Change.id.in_(change_ids))):
        old_id = change.old_version_id
        entries.append(
            ChangeEntry(
                change_id=change.id,
                policy=policy.name,
                url=policy.url,
                archive_url=policy.archive_url,
                old=_side(session, old_id) if old_id is not None else None,
                new=_side(session, change.new_version_id),
                document=change.document,
                old_text=version_text(session, old_id) if old_id is not None else "",
                new_text=version_text(session, change.new_version_id),
            )
        )
    return entries
