"""The daemon's persisted schedule: jobs synced with the policies, kept across restarts."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import timedelta

import pytest
from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import update

from storage import policies as policy_store
from storage.db import Database
from storage.models import Policy
from tracker.archive import ArchiveServer
from tracker.checks import select_policies
from tracker.clock import ManualClock, SystemClock
from tracker.config import ArchiveSettings, DigestSettings, Settings
from tracker.errors import ConfigError
from tracker.monitor.daemon import run_daemon
from tracker.monitor.scheduler import (
    DAILY,
    OUTBOX_JOB,
    WEEKLY,
    build_scheduler,
    digest_triggers,
    scheduled_runs,
    sync_jobs,
)
from tracker.monitor.status import daemon_status
from tracker.notify.smtp import SmtpMailer
from tracker.policies import NewPolicy, add_policy

DIGEST = DigestSettings()


@pytest.fixture
def paused(db: Database) -> Iterator[BackgroundScheduler]:
    """A scheduler on the test database whose jobs never run (its store is open)."""
    scheduler = build_scheduler(db.engine)
    scheduler.start(paused=True)
    yield scheduler
    scheduler.shutdown(wait=False)


def _next_runs(scheduler: BackgroundScheduler) -> dict[str, object]:
    return {job.id: job.next_run_time for job in scheduler.get_jobs()}


def _set_every(db: Database, name: str, seconds: int) -> None:
    with db.session() as session:
        session.execute(update(Policy).where(Policy.name == name).values(check_every=seconds))


def test_sync_adds_removes_and_retimes_only_what_changed(
    db: Database, clock: ManualClock, paused: BackgroundScheduler
) -> None:
    for name in ("acme", "globex", "initech"):
        add_policy(db, NewPolicy(name, f"https://{name}.example/privacy"), clock)
    with db.session() as session:  # globex was just checked by `redline check`
        policy_store.mark_checked(session, 2, now=clock.now(), error=None)

    report = sync_jobs(paused, select_policies(db, []), DIGEST, clock.now())

    assert sorted(report.added) == sorted(
        ["check:acme", "check:globex", "check:initech", DAILY, WEEKLY, OUTBOX_JOB]
    )
    runs = _next_runs(paused)
    assert runs["check:acme"] == clock.now()  # never checked: at once
    assert runs["check:globex"] == clock.now() + timedelta(days=1)  # one interval after
    before = runs

    clock.advance(3600)
    with db.session() as session:
        policy_store.remove_policy(session, "initech")
    _set_every(db, "globex", 7200)
    policies = select_policies(db, [])
    report = sync_jobs(paused, policies, DIGEST, clock.now())

    assert (report.added, report.removed, report.rescheduled) == (
        [],
        ["check:initech"],
        ["check:globex"],
    )
    runs = _next_runs(paused)
    assert runs["check:acme"] == before["check:acme"]  # untouched
    assert runs["check:globex"] == clock.now() + timedelta(hours=2)  # sooner, by the new interval
    assert runs[DAILY] == before[DAILY]

    report = sync_jobs(paused, policies, replace(DIGEST, daily_at="09:30"), clock.now())
    assert report.rescheduled == [DAILY, WEEKLY]


def test_digest_settings_are_checked() -> None:
    with pytest.raises(ConfigError, match="daily_at"):
        digest_triggers(DigestSettings(daily_at="8am"))
    triggers = digest_triggers(DigestSettings(daily_at="07:05", weekly_on="Friday"))
    assert "day_of_week='fri', hour='7', minute='5'" in repr(triggers[WEEKLY])


def _wait(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.05)


class _Daemon:
    """run_daemon in a thread, stopped the way the signal handler stops it."""

    def __init__(self, db: Database, settings: Settings) -> None:
        self.stop = threading.Event()
        self.thread = threading.Thread(
            target=run_daemon,
            args=(db, settings, SystemClock(), lambda: SmtpMailer(settings.email), self.stop),
            kwargs={"resync_every": 0.2},
        )
        self.thread.start()

    def finish(self) -> None:
        self.stop.set()
        self.thread.join(10)
        assert not self.thread.is_alive()


def test_restart_keeps_each_schedule_and_does_not_check_again(
    db: Database, archive: ArchiveServer
) -> None:
    clock = SystemClock()
    add_policy(
        db, NewPolicy("acme", "https://acme.example/privacy", archive=archive.base_url), clock
    )
    settings = replace(
        Settings(), archive=ArchiveSettings(search_per_minute=0, replay_per_second=0)
    )

    first = _Daemon(db, settings)
    # The first check runs at once; the next one is a day away.
    _wait(lambda: archive.search_requests == 1 and select_policies(db, [])[0].last_checked_at)
    _wait(lambda: (scheduled_runs(db.engine).get("check:acme") or clock.now()) > clock.now())
    first.finish()
    runs = scheduled_runs(db.engine)
    assert runs["check:acme"] > clock.now() + timedelta(hours=23)  # type: ignore[operator]
    checked = select_policies(db, [])[0].last_checked_at

    second = _Daemon(db, settings)
    _wait(lambda: any(t.name.startswith("APScheduler") for t in threading.enumerate()))
    time.sleep(1.0)  # long enough for a wrongly due job to have run
    second.finish()

    assert scheduled_runs(db.engine) == runs
    assert archive.search_requests == 1
    assert select_policies(db, [])[0].last_checked_at == checked
    status = daemon_status(db)
    assert status.policies[0].next_run == runs["check:acme"]
    assert set(status.digests) == {DAILY, WEEKLY, OUTBOX_JOB}
