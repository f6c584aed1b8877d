"""`redline daemon`: the scheduler in the foreground until SIGTERM or SIGINT.

A stop signal sets a flag; the running check sees it after the capture in hand (each
capture commits on its own, so nothing is left half-written), queued jobs return at once,
and the scheduler shuts down with every job's next run time saved for the next start; a
check the stop cut short, and any job it made skip its turn, is saved as due at once, so
the next start finishes it instead of waiting a whole period.

A daemon that was killed instead (SIGKILL, power loss) leaves no half-written capture
either, and the next start finishes its work at once rather than on the next schedule:
checks it died during run first, then the outbox sends the mail it left, including
digests whose sending it died during (at least once: such a digest may arrive twice, with
the same Message-ID).
"""

from __future__ import annotations

import logging
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from types import FrameType

from apscheduler.schedulers.background import BackgroundScheduler

from storage import outbox as outbox_store
from storage.db import Database
from tracker.checks import ArchiveClients, select_policies
from tracker.clock import Clock
from tracker.config import Settings
from tracker.monitor import jobs
from tracker.monitor.scheduler import (
    OUTBOX_JOB,
    build_scheduler,
    digest_triggers,
    missed_digests,
    resume_cut_short,
    run_first_at_next_start,
    sync_jobs,
)
from tracker.notify.smtp import Mailer

LOG = jobs.LOG
FORMAT = "%(asctime)s %(levelname)s %(message)s"
RESYNC_EVERY = 60.0  # seconds between picking up policies added or removed meanwhile


def configure_logging(log_file: Path | None = None, verbose: int = 0) -> None:
    """Daemon lines to stderr (and ``log_file``); APScheduler's own chatter only with -v."""
    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stderr)]
    if log_file is not None:
        handlers.append(logging.FileHandler(log_file, encoding="utf-8"))
    for handler in handlers:
        handler.setFormatter(logging.Formatter(FORMAT))
    for name, level in (
        ("redline.daemon", logging.INFO),
        ("apscheduler", logging.INFO if verbose else logging.WARNING),
    ):
        logger = logging.getLogger(name)
        logger.handlers[:] = handlers
        logger.setLevel(level)
        logger.propagate = False  # the CLI's root handler would print each line twice


@contextmanager
def stop_on_signals(stop: threading.Event) -> Iterator[None]:
    """Set ``stop`` on SIGTERM or SIGINT while inside; the old handlers come back after."""

    def handler(signum: int, _frame: FrameType | None) -> None:
        if not stop.is_set():
            LOG.info("%s received: stopping after the capture in hand", signal.Signals(signum).name)
        stop.set()

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def _sync(context: jobs.DaemonContext, scheduler: BackgroundScheduler, first: bool) -> None:
    policies = select_policies(context.db, [])
    report = sync_jobs(scheduler, policies, context.settings.digest, context.clock.now())
    if first or report.added or report.removed or report.rescheduled:
        LOG.info(
            "schedule: %d policies; added %s, removed %s, rescheduled %s",
            len(policies),
            ", ".join(report.added) or "none",
            ", ".join(report.removed) or "none",
            ", ".join(report.rescheduled) or "none",
        )


def _pick_up(context: jobs.DaemonContext, scheduler: BackgroundScheduler) -> None:
    """At start, finish what a daemon that died left: checks it was running, then mail."""
    now = context.clock.now()
    resumed = resume_cut_short(scheduler, select_policies(context.db, []), now)
    if resumed:
        LOG.info("resuming checks the last run died during: %s", ", ".join(resumed))
    _sync(context, scheduler, first=True)
    with context.db.session() as session:
        released = outbox_store.release_claims(session, now)
        waiting = outbox_store.due_notifications(session, now, ["immediate"])
        missed = missed_digests(scheduler, outbox_store.oldest_unsent(session))
    if released:
        LOG.info("outbox: %d notifications whose sending was cut short are sent again", released)
    # Just after the resumed checks, so their mail and the mail left over go together.
    soon = now + timedelta(milliseconds=1)
    for job_id in missed:
        LOG.info("%s: sending the digest its last turn did not send", job_id)
        scheduler.modify_job(job_id, next_run_time=soon)
    if waiting and not missed:  # a digest also sends what is immediate or due for retry
        scheduler.modify_job(OUTBOX_JOB, next_run_time=soon)


def run_daemon(
    db: Database,
    settings: Settings,
    clock: Clock,
    mailer: Callable[[], Mailer],
    stop: threading.Event,
    *,
    resync_every: float = RESYNC_EVERY,
) -> None:
    """Run scheduled checks and digests until ``stop`` is set, then shut down cleanly."""
    digest_triggers(settings.digest)  # a bad daily_at or weekly_on fails before starting
    clients = ArchiveClients(settings.archive, clock)
    context = jobs.DaemonContext(db, settings, clock, clients, mailer, stop)
    scheduler = build_scheduler(db.engine)
    jobs.install(context)
    # Paused first: the job store opens, the jobs are synced, and only then do they run.
    scheduler.start(paused=True)
    try:
        _pick_up(context, scheduler)
        scheduler.resume()
        LOG.info("daemon started")
        while not stop.wait(resync_every):
            _sync(context, scheduler, first=False)
    finally:
        stop.set()
        scheduler.pause()  # a job falling due during shutdown is not handed to a closed pool
        scheduler.shutdown(wait=True)  # waits for the running job to reach its stop check
        jobs.install(None)
        if context.unfinished:
            LOG.info("left for the next start: %s", ", ".join(sorted(context.unfinished)))
            run_first_at_next_start(db.engine, scheduler, context.unfinished, clock.now())
        clients.close()
        LOG.info("daemon stopped")
