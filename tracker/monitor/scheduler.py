"""The daemon's schedule: APScheduler jobs persisted in Redline's own database.

One job per policy (``check:NAME``, every ``Policy.check_every`` seconds with a little
jitter), one per digest cadence (``digest:daily``, ``digest:weekly``) and one outbox sweep
(``outbox``) for retries. Jobs live in the ``apscheduler_jobs`` table of the app's database,
so a restart picks up each job's next run time where it was: :func:`sync_jobs` adds, removes
and re-times jobs to match the policies but never moves a job whose schedule is unchanged.

Persisted jobs name their function by import path and take only a policy name or a cadence,
so they unpickle in any process; the live context (database, settings, stop flag) is set by
the daemon in :mod:`tracker.monitor.jobs`.

APScheduler stores a job's next run time when it *starts* the job, so a daemon killed during a
check would otherwise leave that check's rest for a whole interval later; at start the daemon
finds such checks with :func:`cut_short` and runs them at once (:func:`resume_cut_short`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.job import Job
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import Engine, inspect, select

from storage.records import PolicyRecord
from tracker.config import DigestSettings
from tracker.errors import ConfigError

TABLE = "apscheduler_jobs"  # excluded from Alembic (storage.models.FOREIGN_TABLES)
CHECK_PREFIX = "check:"
OUTBOX_JOB = "outbox"
OUTBOX_EVERY = 300  # seconds between sweeps for due retries
DAILY, WEEKLY = "digest:daily", "digest:weekly"
CHECK_FUNC = "tracker.monitor.jobs:check_job"
DIGEST_FUNC = "tracker.monitor.jobs:digest_job"
OUTBOX_FUNC = "tracker.monitor.jobs:outbox_job"
_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
_DAYS = {"monday": "mon", "tuesday": "tue", "wednesday": "wed", "thursday": "thu"}
_DAYS |= {"friday": "fri", "saturday": "sat", "sunday": "sun"}


def check_job_id(name: str) -> str:
    """The job id of a policy's check."""
    return CHECK_PREFIX + name


def jitter_for(every: int) -> float:
    """Up to 5 % of the interval (at most 5 minutes), so policies added together do not
    all ask the archive in the same second."""
    return min(every * 0.05, 300.0)


def check_trigger(every: int) -> IntervalTrigger:
    """A policy's trigger: every ``every`` seconds, with jitter."""
    return IntervalTrigger(seconds=every, jitter=jitter_for(every) or None, timezone=UTC)


def parse_daily_at(text: str) -> tuple[int, int]:
    """Hour and minute of ``HH:MM``, or ConfigError."""
    match = _TIME.match(text.strip())
    if not match:
        raise ConfigError(f"digest.daily_at must be a time like 08:00, not {text!r}")
    return int(match.group(1)), int(match.group(2))


def digest_triggers(digest: DigestSettings) -> dict[str, CronTrigger]:
    """The daily and weekly digest triggers, at ``daily_at`` in the machine's time zone."""
    hour, minute = parse_daily_at(digest.daily_at)
    day = _DAYS.get(digest.weekly_on.lower())
    if day is None:
        raise ConfigError(f"digest.weekly_on must be a weekday name, not {digest.weekly_on!r}")
    return {
        DAILY: CronTrigger(hour=hour, minute=minute),
        WEEKLY: CronTrigger(day_of_week=day, hour=hour, minute=minute),
    }


def build_scheduler(engine: Engine, workers: int = 1) -> BackgroundScheduler:
    """A scheduler storing its jobs in ``engine``'s database.

    One worker: checks share the per-archive rate limits and SQLite has one writer, so
    running jobs one after another costs nothing and keeps every check's log in order.
    """
    return BackgroundScheduler(
        jobstores={"default": SQLAlchemyJobStore(engine=engine, tablename=TABLE)},
        executors={"default": ThreadPoolExecutor(workers)},
        job_defaults={"coalesce": True, "max_instances": 1},
        timezone=UTC,
    )


def first_run(policy: PolicyRecord, now: datetime) -> datetime:
    """When a policy with no job yet is first checked: now, unless it was checked less
    than an interval ago (by `redline check`), then one interval after that check."""
    if policy.last_checked_at is None:
        return now
    return max(now, policy.last_checked_at + timedelta(seconds=policy.check_every))


@dataclass
class SyncReport:
    """What :func:`sync_jobs` changed, by job id."""

    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    rescheduled: list[str] = field(default_factory=list)


def _check_options(policy: PolicyRecord) -> dict[str, Any]:
    every = policy.check_every
    # A run later than one interval is superseded by the next one; within it, run late
    # rather than skip (after a restart, a missed check runs once: coalesce).
    return {
        "trigger": check_trigger(every),
        "misfire_grace_time": int(every + jitter_for(every)) + 1,
    }


def _sync_check(
    scheduler: BackgroundScheduler, job: Job | None, policy: PolicyRecord, now: datetime
) -> str | None:
    job_id = check_job_id(policy.name)
    options = _check_options(policy)
    if job is None:
        scheduler.add_job(
            CHECK_FUNC,
            id=job_id,
            name=f"check {policy.name}",
            args=[policy.name],
            next_run_time=first_run(policy, now),
            replace_existing=True,
            **options,
        )
        return "added"
    if float(job.trigger.interval_length) == float(policy.check_every):
        return None  # unchanged: keep its next run time, so a restart does not run it again
    soonest = now + timedelta(seconds=policy.check_every)
    next_run = min(job.next_run_time, soonest) if job.next_run_time else soonest
    scheduler.modify_job(job_id, next_run_time=next_run, **options)
    return "rescheduled"


def cut_short(job: Job, policy: PolicyRecord) -> bool:
    """Whether the check ``job`` last started never finished (the daemon died during it).

    When the scheduler starts a check due at ``due`` it stores ``due + interval + jitter``
    as the next run time, and a check that finishes records ``last_checked_at`` after
    ``due``; so a policy last checked before ``next run - interval - max jitter`` (or never)
    has a started check that did not finish. A check that ended in an archive error did
    finish: it is retried on schedule, as designed.
    """
    trigger = job.trigger
    if job.next_run_time is None or not isinstance(trigger, IntervalTrigger):
        return False
    if policy.last_checked_at is None:
        return True
    span = timedelta(seconds=float(trigger.interval_length) + float(trigger.jitter or 0))
    return policy.last_checked_at < job.next_run_time - span


def resume_cut_short(
    scheduler: BackgroundScheduler, policies: Iterable[PolicyRecord], now: datetime
) -> list[str]:
    """Make every check the last daemon died during due ``now``; their job ids.

    Call once at start, before :func:`sync_jobs` (the stored triggers tell when each job
    last started); the checks resume from the last capture they stored.
    """
    jobs = {job.id: job for job in scheduler.get_jobs()}
    resumed = []
    for policy in policies:
        job = jobs.get(check_job_id(policy.name))
        if job is not None and cut_short(job, policy):
            scheduler.modify_job(job.id, next_run_time=now)
            resumed.append(job.id)
    return resumed


def missed_digests(scheduler: BackgroundScheduler, oldest_unsent: dict[str, datetime]) -> list[str]:
    """Digest jobs whose last turn left untried rows queued before it (the daemon died
    before sending them, or was down); their job ids.

    A digest's last turn is taken as one period before its next run, so around a change of
    daylight saving time a row queued within the hour may wait for the next turn instead.
    """
    missed = []
    for job_id, period in ((DAILY, timedelta(days=1)), (WEEKLY, timedelta(days=7))):
        job = scheduler.get_job(job_id)
        queued = oldest_unsent.get(job_id.split(":")[1])
        if job is not None and job.next_run_time and queued and queued < job.next_run_time - period:
            missed.append(job_id)
    return missed


def run_first_at_next_start(
    engine: Engine, scheduler: BackgroundScheduler, job_ids: Iterable[str], now: datetime
) -> None:
    """Make jobs a stop cut short due ``now``, so the next start runs them first.

    For after :meth:`~BackgroundScheduler.shutdown`: a running job cannot re-time itself
    while the scheduler shuts down, so the stored jobs are updated through their own store.
    """
    store = SQLAlchemyJobStore(engine=engine, tablename=TABLE)
    store.start(scheduler, "default")  # jobs read back refer to the (stopped) scheduler
    for job_id in job_ids:
        job = store.lookup_job(job_id)
        if job is not None:
            job.next_run_time = now
            store.update_job(job)


def _same_schedule(old: BaseTrigger, new: BaseTrigger) -> bool:
    """Whether two triggers fire alike (an interval trigger's repr holds its start date,
    which is new each time one is made, so intervals compare by length)."""
    if isinstance(old, IntervalTrigger) and isinstance(new, IntervalTrigger):
        return old.interval_length == new.interval_length and old.jitter == new.jitter
    return repr(old) == repr(new)


def _sync_fixed(
    scheduler: BackgroundScheduler,
    job: Job | None,
    job_id: str,
    trigger: BaseTrigger,
    now: datetime,
    **options: Any,
) -> str | None:
    """Add a digest or outbox job, or re-time it when its trigger changed."""
    if job is not None and _same_schedule(job.trigger, trigger):
        return None
    next_run = trigger.get_next_fire_time(None, now)
    if job is None:
        scheduler.add_job(
            id=job_id,
            name=job_id,
            trigger=trigger,
            next_run_time=next_run,
            replace_existing=True,
            **options,
        )
        return "added"
    scheduler.modify_job(job_id, trigger=trigger, next_run_time=next_run)
    return "rescheduled"


def sync_jobs(
    scheduler: BackgroundScheduler,
    policies: Iterable[PolicyRecord],
    digest: DigestSettings,
    now: datetime,
) -> SyncReport:
    """Make the stored jobs match the policies and digest settings (the scheduler must be
    started, paused or not, so its job store is open)."""
    report = SyncReport()
    jobs = {job.id: job for job in scheduler.get_jobs()}
    wanted = {check_job_id(p.name): p for p in policies}
    for job_id in sorted(jobs):
        if job_id.startswith(CHECK_PREFIX) and job_id not in wanted:
            scheduler.remove_job(job_id)
            report.removed.append(job_id)
    for job_id, policy in sorted(wanted.items()):
        _record(report, job_id, _sync_check(scheduler, jobs.get(job_id), policy, now))
    fixed: dict[str, tuple[BaseTrigger, dict[str, Any]]] = {
        job_id: (trigger, {"func": DIGEST_FUNC, "args": [job_id.split(":")[1]]})
        for job_id, trigger in digest_triggers(digest).items()
    }
    outbox = IntervalTrigger(seconds=OUTBOX_EVERY, timezone=UTC)
    fixed[OUTBOX_JOB] = (outbox, {"func": OUTBOX_FUNC})
    for job_id, (trigger, options) in fixed.items():
        period = 7 * 86400 if job_id == WEEKLY else 86400 if job_id == DAILY else OUTBOX_EVERY
        change = _sync_fixed(
            scheduler, jobs.get(job_id), job_id, trigger, now, misfire_grace_time=period, **options
        )
        _record(report, job_id, change)
    return report


def _record(report: SyncReport, job_id: str, change: str | None) -> None:
    if change == "added":
        report.added.append(job_id)
    elif change == "rescheduled":
        report.rescheduled.append(job_id)


def scheduled_runs(engine: Engine) -> dict[str, datetime | None]:
    """Each stored job's next run time, read without starting a scheduler (for `status`);
    empty when the daemon has never run on this database."""
    if not inspect(engine).has_table(TABLE):
        return {}
    table = SQLAlchemyJobStore(engine=engine, tablename=TABLE).jobs_t
    with engine.connect() as connection:
        rows = connection.execute(select(table.c.id, table.c.next_run_time)).all()
    return {
        job_id: datetime.fromtimestamp(ts, UTC) if ts is not None else None for job_id, ts in rows
    }
