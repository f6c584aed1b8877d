"""Subscriptions and the queueing of notifications: who is told about which change.

A notification row is one change for one subscription, queued in the transaction that
stores the change; :mod:`storage.outbox` delivers them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from storage.errors import Conflict, NotFound
from storage.models import Change, Notification, Policy, Subscription, Version

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
