"""queue_notifications: one pending row per subscription that wants a change, none for
technical versions or cosmetic-only comparisons."""

from __future__ import annotations

import pytest
from notify import history as h
from sqlalchemy import select

from storage import notifications as notification_store
from storage.db import Database
from storage.models import Notification
from tracker.clock import ManualClock
from tracker.notify.subscriptions import SubscriptionRequest, subscribe, unsubscribe

V1 = h.text("We keep your data for 30 days.", "We never sell your data.")
# Retention period changes: a quantity in a core category, medium; data_retention only.
V2_RETENTION = h.text("We keep your data for 90 days.", "We never sell your data.")
# A new party in sharing: high, third_party_sharing.
V2_SHARING = h.text("We keep your data for 30 days.", "We may share your data with advertisers.")
# Only emphasis and quote style: cosmetic.
V2_COSMETIC = h.text("We keep your data for *30* days.", "We **never** sell your data.")


def _rows(db: Database) -> list[tuple[str, int]]:
    with db.session() as session:
        query = select(Notification.subscription_id, Notification.change_id)
        return [tuple(r) for r in session.execute(query.order_by(Notification.id))]  # type: ignore[misc]


def _sub(db: Database, clock: ManualClock, email: str, **kw: object) -> int:
    return subscribe(db, SubscriptionRequest(email, **kw), clock).id  # type: ignore[arg-type]


@pytest.fixture
def acme(db: Database, clock: ManualClock) -> None:
    h.policy(db, clock, "acme")
    h.policy(db, clock, "other")
    assert h.record(db, clock, "acme", "20200101000000", V1) is None  # a first version: no change


def test_each_matching_subscription_gets_one_row(
    db: Database, clock: ManualClock, acme: None
) -> None:
    everyone = _sub(db, clock, "all@example.org")
    acme_only = _sub(db, clock, "acme@example.org", policies=("acme",))
    _sub(db, clock, "other@example.org", policies=("other",))
    high_only = _sub(db, clock, "high@example.org", min_significance="high")
    sharing = _sub(db, clock, "share@example.org", categories=("third_party_sharing",))
    _sub(db, clock, "cookies@example.org", categories=("cookies_tracking",))

    change = h.record(db, clock, "acme", "20210101000000", V2_SHARING)

    assert change is not None
    subscribers = {s for s, c in _rows(db) if c == change}
    assert subscribers == {everyone, acme_only, high_only, sharing}


def test_significance_and_category_are_judged_clause_by_clause(
    db: Database, clock: ManualClock, acme: None
) -> None:
    retention_high = _sub(db, clock, "a@example.org", min_significance="high")
    retention_any = _sub(db, clock, "b@example.org", categories=("data_retention",))
    sharing_any = _sub(db, clock, "c@example.org", categories=("third_party_sharing",))

    change = h.record(db, clock, "acme", "20210101000000", V2_RETENTION)

    assert change is not None
    subscribers = {s for s, c in _rows(db) if c == change}
    assert retention_any in subscribers
    assert retention_high not in subscribers  # the retention change is not high
    assert sharing_any not in subscribers


def test_cosmetic_only_change_queues_nothing(db: Database, clock: ManualClock, acme: None) -> None:
    _sub(db, clock, "all@example.org")
    # The text differs in markup only: a new version, compared as cosmetic changes only.
    change = h.record(db, clock, "acme", "20210101000000", V2_COSMETIC)
    assert change is not None
    with db.session() as session:
        assert notification_store.queue_notifications(session, change, clock.now()) == 0
    assert _rows(db) == []


def test_technical_version_queues_nothing(db: Database, clock: ManualClock, acme: None) -> None:
    _sub(db, clock, "all@example.org")
    change = h.record(db, clock, "acme", "20210101000000", V2_SHARING, technical=True)
    assert change is not None
    with db.session() as session:
        assert notification_store.queue_notifications(session, change, clock.now()) == 0
    assert _rows(db) == []


def test_queueing_twice_adds_nothing(db: Database, clock: ManualClock, acme: None) -> None:
    _sub(db, clock, "all@example.org")
    change = h.record(db, clock, "acme", "20210101000000", V2_SHARING)
    assert change is not None
    with db.session() as session:
        assert notification_store.queue_notifications(session, change, clock.now()) == 0
    assert len(_rows(db)) == 1


def test_unsubscribing_from_a_policy_drops_its_unsent_notifications(
    db: Database, clock: ManualClock, acme: None
) -> None:
    sub = _sub(db, clock, "a@example.org", policies=("acme", "other"))
    h.record(db, clock, "other", "20200101000000", V1)
    acme_change = h.record(db, clock, "acme", "20210101000000", V2_SHARING)
    other_change = h.record(db, clock, "other", "20210101000000", V2_SHARING)
    assert sorted(_rows(db)) == sorted([(sub, acme_change), (sub, other_change)])

    unsubscribe(db, "A@example.org", ["acme"])  # however the address is typed

    assert _rows(db) == [(sub, other_change)]
    unsubscribe(db, "a@example.org")
    assert _rows(db) == []
