"""What a daemon start picks up after a crash: checks it died during, and mail whose sending
never ended; nothing that finished, or failed and waits its backoff, is redone early."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from notify.history import policy, record, text

from storage import outbox as outbox_store
from storage.db import Database
from tracker.checks import select_policies
from tracker.clock import ManualClock
from tracker.config import DigestSettings
from tracker.monitor.scheduler import (
    DAILY,
    WEEKLY,
    build_scheduler,
    cut_short,
    missed_digests,
    resume_cut_short,
    run_first_at_next_start,
    scheduled_runs,
    sync_jobs,
)
from tracker.notify.subscriptions import SubscriptionRequest, subscribe


def test_only_claims_whose_attempt_never_ended_are_released(
    db: Database, clock: ManualClock
) -> None:
    policy(db, clock, "acme")
    subscribe(db, SubscriptionRequest("reader@example.org", cadence="immediate"), clock)
    for n in range(5):
        record(db, clock, "acme", f"2024010{n + 1}000000", text(f"We keep data for {n + 1} years."))
    now = clock.now()
    with db.session() as session:
        rows = outbox_store.due_notifications(session, now, ["immediate"])
        assert len(rows) == 4
        later = now + timedelta(minutes=1)
        for n, row in enumerate(rows[:3]):
            outbox_store.claim(session, [row], f"<m{n}@x>", retry_at=later)
        # rows[0]: the mailer died after its claim; rows[1]: the server refused it;
        # rows[2]: sent; rows[3]: never tried.
        outbox_store.mark_failed(session, [rows[1].id], "451 busy", give_up=False)
        outbox_store.mark_sent(session, [rows[2].id], now)
    with db.session() as session:
        assert outbox_store.oldest_unsent(session) == {"immediate": rows[3].created_at}
        assert outbox_store.release_claims(session, now) == 1
        retries = outbox_store.due_notifications(session, now, [])
        assert [r.id for r in retries] == [rows[0].id]
    with db.session() as session:  # retrying the refused one clears its error: in flight
        (refused,) = [
            r for r in outbox_store.due_notifications(session, later, []) if r.id == rows[1].id
        ]
        outbox_store.claim(session, [refused], "<m1@x>", retry_at=later + timedelta(minutes=2))
    with db.session() as session:
        assert outbox_store.release_claims(session, later) == 1
        due = outbox_store.due_notifications(session, later, [])
        assert sorted(r.id for r in due) == [rows[0].id, rows[1].id]


def test_at_start_the_daemon_tells_jobs_cut_short_from_finished_ones(db: Database) -> None:
    # Far ahead of the real clock the scheduler runs on, so no job is ever due for real.
    clock = ManualClock(datetime(2100, 1, 1, tzinfo=UTC))
    policy(db, clock, "acme")
    (acme,) = select_policies(db, [])
    now = clock.now()
    scheduler = build_scheduler(db.engine)
    scheduler.start(paused=True)
    try:
        sync_jobs(scheduler, [acme], DigestSettings(), now)
        # As the scheduler does when it starts the check due now: next run a day (and a
        # little jitter) on.
        started = scheduler.modify_job(
            "check:acme", next_run_time=now + timedelta(days=1, seconds=90)
        )
        assert cut_short(started, acme)  # never checked at all
        assert cut_short(started, replace(acme, last_checked_at=now - timedelta(days=1)))
        assert not cut_short(started, replace(acme, last_checked_at=now + timedelta(seconds=5)))
        assert not cut_short(scheduler.get_job(DAILY), acme)  # digests are not checks

        finished = replace(acme, last_checked_at=now + timedelta(seconds=5))
        assert resume_cut_short(scheduler, [finished], now) == []
        assert resume_cut_short(scheduler, [acme], now) == ["check:acme"]
        assert scheduler.get_job("check:acme").next_run_time == now
        # A digest's last turn passed rows queued before it: the daemon died in between.
        scheduler.modify_job(DAILY, next_run_time=datetime(2100, 1, 2, 8, tzinfo=UTC))
        scheduler.modify_job(WEEKLY, next_run_time=datetime(2100, 1, 4, 8, tzinfo=UTC))
        queued = {"daily": now, "weekly": now, "immediate": now}
        assert missed_digests(scheduler, queued) == [DAILY]
        assert missed_digests(scheduler, {"daily": now + timedelta(hours=9)}) == []
    finally:
        scheduler.shutdown(wait=False)

    # After a stop cut a job short, its stored next run becomes due for the next start.
    later = now + timedelta(hours=2)
    run_first_at_next_start(db.engine, scheduler, [DAILY, "check:gone"], later)
    runs = scheduled_runs(db.engine)
    assert runs[DAILY] == later and runs["check:acme"] == now
