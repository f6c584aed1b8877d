"""The outbox with an injected clock: cadence selection, grouping, backoff, giving up."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from notify import history as h
from notify.smtp_sink import SmtpSink
from sqlalchemy import select, update

from storage import outbox as outbox_store
from storage.db import Database
from storage.errors import Conflict
from storage.models import Notification
from storage.outbox import OutboxRow
from tracker.clock import ManualClock
from tracker.config import Settings
from tracker.notify.digest import header_safe, message_id_for, subject_of
from tracker.notify.outbox import MAX_ATTEMPTS, Outbox, backoff, plan_digests, sender_domain
from tracker.notify.smtp import SmtpMailer
from tracker.notify.subscriptions import SubscriptionRequest, subscribe
from tracker.notify.views import PolicyView

T0 = datetime(2026, 1, 1, tzinfo=UTC)
V1 = h.text("We keep your data for 30 days.")
V2 = h.text("We keep your data for 90 days.")
V3 = h.text("We keep your data for 90 days.", "We may share your data with advertisers.")


def _row(id_: int, email: str, cadence: str, message_id: str | None = None) -> OutboxRow:
    return OutboxRow(id_, email, cadence, 100 + id_, 1 if message_id else 0, message_id, T0)


def test_backoff_doubles_from_a_minute_up_to_six_hours() -> None:
    assert [backoff(n).total_seconds() for n in range(1, 5)] == [60, 120, 240, 480]
    assert backoff(30) == timedelta(hours=6)


def test_one_digest_per_recipient_and_cadence_and_claimed_ones_stay_as_they_were() -> None:
    rows = [
        _row(1, "a@example.org", "daily"),
        _row(2, "A@example.org", "daily"),  # the same reader, however typed
        _row(3, "a@example.org", "weekly"),
        _row(4, "b@example.org", "daily"),
        _row(5, "a@example.org", "daily", message_id="<old@example.org>"),
    ]
    plans = plan_digests(rows, "example.org")
    groups = sorted((p.cadence, tuple(p.ids), p.message_id == "<old@example.org>") for p in plans)
    assert groups == [
        ("daily", (1, 2), False),
        ("daily", (4,), False),
        ("daily", (5,), True),
        ("weekly", (3,), False),
    ]


def test_message_id_depends_only_on_the_digest_content() -> None:
    rows = [_row(2, "a@example.org", "daily"), _row(1, "a@example.org", "daily")]
    same = message_id_for("a@example.org", list(reversed(rows)), "example.org")
    assert message_id_for("a@example.org", rows, "example.org") == same
    assert message_id_for("b@example.org", rows, "example.org") != same
    assert message_id_for("a@example.org", rows[:1], "example.org") != same
    assert sender_domain("Redline <redline@news.example.org>") == "news.example.org"


def test_subject_lists_policies_by_significance_without_line_breaks() -> None:
    views = [PolicyView(f"p{i}", "https://x", "low", ()) for i in range(7)]
    views.insert(0, PolicyView("Evil\r\nBcc: victim@example.org", "https://x", "high", ()))
    subject = subject_of(views)
    assert "\r" not in subject and "\n" not in subject
    assert subject.startswith("Privacy policy changes: Evil Bcc: victim@example.org (high), p0")
    assert subject.endswith("and 3 more")
    assert header_safe("a\x1b[31m\u2028b") == "a [31m b"


@pytest.fixture
def queued(db: Database, clock: ManualClock) -> None:
    h.policy(db, clock, "acme")
    for email, cadence in [("i@example.org", "immediate"), ("d@example.org", "daily")]:
        subscribe(db, SubscriptionRequest(email, cadence=cadence), clock)
    subscribe(db, SubscriptionRequest("w@example.org", cadence="weekly"), clock)
    h.record(db, clock, "acme", "20200101000000", V1)
    h.record(db, clock, "acme", "20210101000000", V2)
    h.record(db, clock, "acme", "20220101000000", V3)


def test_each_cadence_sends_only_its_own_digests(
    db: Database, clock: ManualClock, settings: Settings, smtp: SmtpSink, queued: None
) -> None:
    outbox = Outbox(db, settings, clock)
    mailer = SmtpMailer(settings.email)
    for cadence, reader in [("immediate", "i"), ("daily", "d"), ("weekly", "w")]:
        assert outbox.run(mailer, [cadence]).sent == 1
        assert smtp.inbox.received[-1].recipients == [f"{reader}@example.org"]
        # Both changes of the cadence's period in one message.
        assert "2 changes in 1 policy." in smtp.messages[-1].get_body(("plain",)).get_content()
    assert outbox.run(mailer, ["immediate", "daily", "weekly"]).sent == 0


def test_dry_run_claims_and_sends_nothing(
    db: Database, clock: ManualClock, settings: Settings, smtp: SmtpSink, queued: None
) -> None:
    outbox = Outbox(db, settings, clock)
    previews = outbox.preview(["immediate", "daily", "weekly"]).previews
    assert sorted(m["To"] for m in previews) == ["d@example.org", "i@example.org", "w@example.org"]
    assert smtp.messages == []
    with db.session() as session:
        assert session.scalars(select(Notification.message_id)).all() == [None] * 6


def test_after_the_last_attempt_the_rows_are_marked_failed(
    db: Database, clock: ManualClock, settings: Settings, smtp: SmtpSink, queued: None
) -> None:
    smtp.stop()
    outbox = Outbox(db, settings, clock)
    for attempt in range(1, MAX_ATTEMPTS + 1):
        report = outbox.run(SmtpMailer(settings.email, timeout=5), ["immediate"])
        assert report.failed == 1
        assert report.given_up == (attempt == MAX_ATTEMPTS)
        clock.advance(backoff(attempt).total_seconds())
    with db.session() as session:
        counts = outbox_store.outbox_counts(session)
    assert (counts.pending, counts.failed) == (4, 2)  # daily and weekly were never due
    assert counts.oldest_pending == T0


def test_a_row_claimed_by_another_mailer_is_not_claimed_again(
    db: Database, clock: ManualClock, queued: None
) -> None:
    with db.session() as session:
        rows = outbox_store.due_notifications(session, clock.now(), ["immediate"])
        session.execute(update(Notification).values(attempts=1))  # the other mailer's claim
    with pytest.raises(Conflict), db.session() as session:
        outbox_store.claim(session, rows, "<x@example.org>", retry_at=clock.now())
    with db.session() as session:
        assert session.scalars(select(Notification.message_id)).all() == [None] * 6
