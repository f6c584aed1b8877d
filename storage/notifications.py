"""Subscriptions and the outbox: who is told about which change, and what was delivered.

A notification row is one change for one subscription, queued in the transaction that
stores the change. A row still ``pending`` with a ``message_id`` has been *claimed* for that
message (maybe sent, maybe not): a retry sends the same digest with the same Message-ID.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.orm import Session

from storage.errors import Conflict, NotFound
from storage.models import Capture, Change, Notification, Policy, Subscription, Version
from storage.versions import version_text

PENDING, SENT, FAILED = "pending", "sent", "failed"
# storage may not import tracker.diff; this is its significance order (none < … < high).
_RANK = {"none": 0, "low": 1, "medium": 2, "high": 3}


@dataclass(frozen=True)
class SubscriptionRecord:
    """Who is emailed about what (empty ``policies``/``categories`` mean all)."""

    id: int
    email: str
    policies: tuple[str, ...]
    min_significance: str
    categories: tuple[str, ...]
    cadence: str
    created_at: datetime


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


def _subscription(row: Subscription) -> SubscriptionRecord:
    policies, categories = tuple(row.policies or ()), tuple(row.categories or ())
    return SubscriptionRecord(
        row.id, row.email, policies, row.min_significance, categories, row.cadence, row.created_at
    )


def add_subscription(
    session: Session,
    email: str,
    *,
    policies: list[str],
    min_significance: str,
    categories: list[str],
    cadence: str,
    now: datetime,
) -> SubscriptionRecord:
    """Subscribe ``email``; one with the same filters and cadence is widened instead."""
    same = session.scalars(
        select(Subscription).where(
            func.lower(Subscription.email) == email.lower(),
            Subscription.min_significance == min_significance,
            Subscription.cadence == cadence,
        )
    )
    for row in same:
        if sorted(row.categories or []) != sorted(categories):
            continue
        # Empty means every policy: widening to "all" wins over any list.
        merged = [] if not row.policies or not policies else sorted({*row.policies, *policies})
        row.policies = merged
        session.flush()
        return _subscription(row)
    row = Subscription(
        email=email,
        policies=sorted(set(policies)),
        min_significance=min_significance,
        categories=sorted(set(categories)),
        cadence=cadence,
        created_at=now,
    )
    session.add(row)
    session.flush()
    return _subscription(row)


def remove_subscriptions(session: Session, email: str, policies: list[str]) -> int:
    """Unsubscribe ``email`` from ``policies`` (from everything when empty); rows changed.

    A subscription to every policy cannot drop one name (empty means all), so that is a
    :class:`Conflict` rather than a silent widening or narrowing.
    """
    # Addresses differing only in case reach one mailbox in practice.
    query = select(Subscription).where(func.lower(Subscription.email) == email.lower())
    rows = list(session.scalars(query))
    if not rows:
        raise NotFound(f"{email} has no subscriptions; `redline subscriptions` lists them")
    changed = 0
    for row in rows:
        if not policies:
            session.delete(row)
            changed += 1
        elif not row.policies:
            raise Conflict(
                f"{email} is subscribed to every policy; unsubscribe without --policy, "
                "then subscribe again naming the policies wanted"
            )
        elif set(row.policies) & set(policies):
            left = sorted(set(row.policies) - set(policies))
            if left:
                row.policies = left
                _drop_pending(session, row.id, policies)
            else:
                session.delete(row)  # its notifications go with it (ON DELETE CASCADE)
            changed += 1
    session.flush()
    return changed


def _drop_pending(session: Session, subscription_id: int, policies: list[str]) -> None:
    """Forget a subscription's unsent notifications about policies it no longer covers."""
    about = select(Change.id).join(Policy).where(Policy.name.in_(policies))
    session.execute(
        delete(Notification).where(
            Notification.subscription_id == subscription_id,
            Notification.state == PENDING,
            Notification.change_id.in_(about),
        )
    )


def list_subscriptions(session: Session) -> list[SubscriptionRecord]:
    """Every subscription, by address then id."""
    rows = session.scalars(select(Subscription).order_by(Subscription.email, Subscription.id))
    return [_subscription(r) for r in rows]


def _matches(sub: Subscription, policy: str, clauses: list[dict[str, Any]]) -> bool:
    """Whether a subscription wants a comparison: its policy, and one clause that is both
    significant enough and in one of its categories (judged clause by clause, so a high
    change elsewhere does not pull in a minor one in a watched category)."""
    if sub.policies and policy not in sub.policies:
        return False
    floor = _RANK.get(sub.min_significance, 1)
    wanted = set(sub.categories or ())
    return any(
        _RANK.get(c.get("significance", "none"), 0) >= max(floor, 1)
        and (not wanted or wanted & set(c.get("categories", ())))
        for c in clauses
    )


def queue_notifications(session: Session, change_id: int, now: datetime) -> int:
    """Queue one pending notification per subscription that wants this change; how many.

    Call it in the transaction that stores the change. Nothing is queued for a technical
    version (extraction changed, not the policy) or a comparison with no substantive
    clause (cosmetic only, or significance ``none``). Idempotent: a subscription already
    notified of the change gets no second row.
    """
    change = session.get_one(Change, change_id)
    version = session.get_one(Version, change.new_version_id)
    summary = change.document.get("summary", {})
    if version.technical or summary.get("significance", "none") == "none":
        return 0
    clauses = [c for c in change.document.get("changes", []) if c.get("kind") != "cosmetic"]
    if not clauses:
        return 0
    policy = session.get_one(Policy, change.policy_id).name
    done = set(
        session.scalars(
            select(Notification.subscription_id).where(Notification.change_id == change_id)
        )
    )
    queued = 0
    for sub in session.scalars(select(Subscription).order_by(Subscription.id)):
        if sub.id not in done and _matches(sub, policy, clauses):
            session.add(
                Notification(
                    subscription_id=sub.id,
                    change_id=change_id,
                    state=PENDING,
                    attempts=0,
                    created_at=now,
                )
            )
            queued += 1
    session.flush()
    return queued


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
            .values(message_id=message_id, attempts=row.attempts + 1, next_attempt_at=retry_at)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise Conflict(f"notification {row.id} was claimed by another mailer")


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
