"""Digests through a real SMTP server on 127.0.0.1: content, escaping, outages, refusals."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta
from email.message import EmailMessage

import pytest
from notify import history as h
from notify.smtp_sink import SmtpSink
from scenarios import PREAMBLE, URL
from sqlalchemy import select

from storage.db import Database
from storage.models import Change, Notification, Version
from storage.notifications import queue_notifications
from storage.records import Rules
from tracker.archive import ArchiveClient, ArchiveServer, CaptureSpec, Limits
from tracker.clock import ManualClock
from tracker.config import Settings
from tracker.monitor import check_policy
from tracker.monitor.reextract import reextract
from tracker.notify.outbox import Outbox, backoff
from tracker.notify.smtp import DeliveryError, SmtpMailer
from tracker.notify.subscriptions import SubscriptionRequest, subscribe
from tracker.policies import NewPolicy, add_policy, get_policy

V1 = h.text("We keep your data for 30 days.", "We never sell your data.")
V2 = h.text("We keep your data for 90 days.", "We may share your data with advertisers.")
HOSTILE = h.text(
    "We keep your data for 90 days <script>alert('x')</script>.",
    'We share it with <img src=x onerror="alert(1)"> partners.',
)


def _send(db: Database, settings: Settings, clock: ManualClock, *cadences: str) -> object:
    chosen = list(cadences or ("immediate", "daily", "weekly"))
    return Outbox(db, settings, clock).run(SmtpMailer(settings.email, timeout=5), chosen)


@pytest.fixture
def two_policies(db: Database, clock: ManualClock) -> None:
    h.policy(db, clock, "Plusnet", "https://www.plus.net/privacy")
    h.policy(db, clock, "ExampleCorp", "https://example.com/privacy")
    subscribe(db, SubscriptionRequest("reader@example.org", cadence="daily"), clock)
    h.record(db, clock, "Plusnet", "20200101000000", V1)
    h.record(db, clock, "Plusnet", "20210301120000", V2)
    h.record(db, clock, "ExampleCorp", "20200101000000", V1)
    h.record(db, clock, "ExampleCorp", "20210401000000", h.text("We keep your data for 30 "
             "days.", "We never sell your data.", "Write to us at our office."))  # fmt: skip


def test_received_digest_has_both_parts_links_highlights_and_categories(
    db: Database, clock: ManualClock, settings: Settings, smtp: SmtpSink, two_policies: None
) -> None:
    _send(db, settings, clock)

    assert len(smtp.inbox.received) == 1
    got = smtp.inbox.received[0]
    assert got.recipients == ["reader@example.org"]
    message = got.message
    assert message.get_content_type() == "multipart/alternative"
    assert message["Subject"] == "Privacy policy changes: Plusnet (high), ExampleCorp (low)"
    assert re.fullmatch(r"<redline\.[0-9a-f]{32}@example\.org>", message["Message-ID"])
    text = message.get_body(("plain",)).get_content()
    page = message.get_body(("html",)).get_content()
    before = "https://web.archive.org/web/20200101000000/https://www.plus.net/privacy"
    after = "https://web.archive.org/web/20210301120000/https://www.plus.net/privacy"
    for part in (text, page):
        assert before in part and after in part
        assert "redline tui Plusnet" in part and "redline tui ExampleCorp" in part
        assert "third_party_sharing" in part and "data_retention" in part
        assert "new_party" in part  # flags
    assert "{+90+}" in text and "[-30-]" in text  # word-level marks in the text part
    assert re.search(r'<span style="background:#dfd[^"]*">\s*90', page)  # inserted word
    assert re.search(r'<span style="background:#fdd[^"]*">\s*30', page)  # deleted word
    assert text.index("Plusnet") < text.index("ExampleCorp")  # most significant first


def test_policy_text_arrives_escaped_in_the_html_part(
    db: Database, clock: ManualClock, settings: Settings, smtp: SmtpSink
) -> None:
    h.policy(db, clock, "acme")
    subscribe(db, SubscriptionRequest("reader@example.org", cadence="immediate"), clock)
    h.record(db, clock, "acme", "20200101000000", V1)
    h.record(db, clock, "acme", "20210101000000", HOSTILE)

    _send(db, settings, clock, "immediate")

    page = smtp.messages[0].get_body(("html",)).get_content()
    assert "<script" not in page.lower() and "<img" not in page.lower()
    assert "&lt;script&gt;" in page
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in page


def test_smtp_down_for_two_cycles_then_every_digest_arrives_exactly_once(
    db: Database, clock: ManualClock, settings: Settings, smtp: SmtpSink, two_policies: None
) -> None:
    subscribe(db, SubscriptionRequest("second@example.org", cadence="weekly"), clock)
    h.record(db, clock, "Plusnet", "20220101000000", V1)  # queued for both readers
    smtp.stop()

    for attempt in (1, 2):
        report = _send(db, settings, clock)
        assert report.sent == 0 and report.failed == 2  # type: ignore[attr-defined]
        with db.session() as session:
            rows = session.scalars(select(Notification)).all()
            assert {(r.state, r.attempts) for r in rows} == {("pending", attempt)}
            assert {r.next_attempt_at for r in rows} == {clock.now() + backoff(attempt)}
        assert _send(db, settings, clock).sent == 0  # type: ignore[attr-defined]  # backoff holds
        clock.advance(backoff(attempt).total_seconds())

    smtp.start()
    report = _send(db, settings, clock)
    for _ in range(3):  # later runs find nothing more to send
        clock.advance(3600)
        _send(db, settings, clock)

    assert report.sent == 2  # type: ignore[attr-defined]
    assert sorted(r.recipients[0] for r in smtp.inbox.received) == [
        "reader@example.org",
        "second@example.org",
    ]
    with db.session() as session:
        rows = session.scalars(select(Notification)).all()
        assert {r.state for r in rows} == {"sent"}
        # The Message-ID recorded before the first attempt is the one that went out.
        assert {r.message_id for r in rows} == {m["Message-ID"] for m in smtp.messages}


def test_a_crash_after_sending_repeats_the_digest_once_with_the_same_message_id(
    db: Database, clock: ManualClock, settings: Settings, smtp: SmtpSink, two_policies: None
) -> None:
    outbox = Outbox(db, settings, clock)

    class CrashAfterSend(SmtpMailer):
        def send(self, message, recipient):  # type: ignore[no-untyped-def]
            super().send(message, recipient)
            raise SystemExit("killed between sending and marking")

    with pytest.raises(SystemExit):
        outbox.run(CrashAfterSend(settings.email), ["daily"])
    assert outbox.run(SmtpMailer(settings.email), ["daily"]).sent == 0  # backoff first
    clock.advance(backoff(1).total_seconds())
    assert outbox.run(SmtpMailer(settings.email), ["daily"]).sent == 1
    clock.advance(backoff(2).total_seconds())
    assert outbox.run(SmtpMailer(settings.email), ["daily"]).sent == 0

    first, second = smtp.messages
    assert first["Message-ID"] == second["Message-ID"]
    assert first["Subject"] == second["Subject"]


def test_a_refused_recipient_is_marked_failed_without_retrying(
    db: Database, clock: ManualClock, settings: Settings, smtp: SmtpSink, two_policies: None
) -> None:
    smtp.inbox.refuse.add("reader@example.org")

    report = _send(db, settings, clock)

    assert report.given_up == 1  # type: ignore[attr-defined]
    with db.session() as session:
        rows = session.scalars(select(Notification)).all()
        assert {r.state for r in rows} == {"failed"}
        assert all("550" in (r.last_error or "") for r in rows)
    clock.advance(timedelta(days=2).total_seconds())
    assert _send(db, settings, clock).sent == 0  # type: ignore[attr-defined]


def test_starttls_is_required_when_configured(settings: Settings, smtp: SmtpSink) -> None:
    email = replace(settings.email, security="starttls")
    with SmtpMailer(email, timeout=5) as mailer, pytest.raises(DeliveryError, match="STARTTLS"):
        mailer.send(EmailMessage(), "reader@example.org")
    assert smtp.messages == []


def test_password_is_never_sent_in_plain_text_to_a_remote_host(settings: Settings) -> None:
    # Refused before any connection is made, so the host need not exist.
    email = replace(settings.email, smtp_host="mail.example.invalid", username="me")
    mailer = SmtpMailer(email, "s3cret-password")
    assert "s3cret" not in repr(mailer)
    with pytest.raises(DeliveryError, match="unencrypted") as caught:
        mailer.send(EmailMessage(), "reader@example.org")
    assert "s3cret" not in str(caught.value)


def _policy_page(promo: str, *paragraphs: str) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in (PREAMBLE, *paragraphs))
    return (
        f"<html><head><title>Privacy</title></head><body><h1>Privacy</h1>{body}"
        f'<div class="promo"><p>{promo}</p></div></body></html>'
    ).encode()


def test_cosmetic_changes_and_re_extraction_send_nothing(
    db: Database,
    clock: ManualClock,
    settings: Settings,
    smtp: SmtpSink,
    archive: ArchiveServer,
) -> None:
    """Through the real pipeline: a markup-only edit, then new extraction rules that split a
    version in two (a technical version) — the reader hears of neither."""
    add_policy(db, NewPolicy("acme", URL, remove=(".promo",), archive=archive.base_url), clock)
    subscribe(db, SubscriptionRequest("reader@example.org", cadence="immediate"), clock)
    pages = [
        ("20200101000000", _policy_page("Spring sale on now", "We never sell your data.")),
        ("20200601000000", _policy_page("Summer sale on now", "We never sell your data.")),
        ("20210101000000", _policy_page("Summer sale on now", "We <b>never</b> sell your data.")),
    ]
    for timestamp, body in pages:
        archive.store.add(CaptureSpec(URL, timestamp, body))
    client = ArchiveClient(archive.base_url, limits=Limits(None, None), clock=clock)
    check_policy(db, client, get_policy(db, "acme"), clock=clock)
    client.close()
    # The markup-only edit made version 2 with a cosmetic comparison.
    reextract(db, "acme", clock=clock, rules=Rules())  # the sale banner is policy text now

    with db.session() as session:
        versions = session.scalars(select(Version).order_by(Version.number)).all()
        assert [v.technical for v in versions] == [False, True, False]
        for change in session.scalars(select(Change)).all():  # as if each were new
            assert queue_notifications(session, change.id, clock.now()) == 0
    assert _send(db, settings, clock).sent == 0  # type: ignore[attr-defined]
    assert smtp.messages == []
