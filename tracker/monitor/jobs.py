"""The functions the daemon's persisted jobs call, and the live context they run in.

Jobs are stored pickled with only a policy name or a cadence as argument; everything live
(database, settings, archive clients, mailer, stop flag) is installed here by the daemon
when it starts, so a job unpickled in a new process runs against that process's context.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from storage.db import Database
from tracker.checks import ArchiveClients, run_checks, select_policies
from tracker.clock import Clock
from tracker.config import Settings
from tracker.errors import NotFound, RedlineError
from tracker.monitor.pipeline import CheckResult
from tracker.monitor.scheduler import CHECK_PREFIX, OUTBOX_JOB
from tracker.notify.outbox import Outbox
from tracker.notify.smtp import Mailer

LOG = logging.getLogger("redline.daemon")


@dataclass
class DaemonContext:
    """What jobs need at run time; one per daemon process."""

    db: Database
    settings: Settings
    clock: Clock
    clients: ArchiveClients
    mailer: Callable[[], Mailer]
    stop: threading.Event
    # Jobs the stop cut short (a check stopped early, a digest skipped): the daemon makes
    # them due at once for its next start instead of an interval later.
    unfinished: set[str] = field(default_factory=set)


_context: DaemonContext | None = None
_lock = threading.Lock()


def install(context: DaemonContext | None) -> None:
    """Set (or with None, clear) the context jobs run in."""
    global _context
    with _lock:
        _context = context


def current() -> DaemonContext | None:
    """The installed context, if a daemon is running in this process."""
    with _lock:
        return _context


def _live(job_id: str) -> DaemonContext | None:
    context = current()
    if context is None:
        LOG.warning("a scheduled job ran with no daemon context; skipped")
        return None
    if context.stop.is_set():
        # Jobs queued behind a running one still start after a stop: they return at once
        # and run first thing at the next start (their stored next run is a period away).
        context.unfinished.add(job_id)
        return None
    return context


def check_line(result: CheckResult) -> str:
    """One log line per check: policy, captures found, versions made, errors."""
    made = result.new_versions + result.reverts
    text = (
        f"check {result.policy}: {result.found} captures found, {result.fetched} fetched, "
        f"{made} versions made, {result.rejected} rejected, {result.failed} failed"
    )
    if result.stopped:
        text += ", stopped early"
    return text + (f", error: {result.error}" if result.error else ", no errors")


def check_job(name: str) -> None:
    """Check one policy, then send immediate notifications the check may have queued."""
    job_id = CHECK_PREFIX + name
    context = _live(job_id)
    if context is None:
        return
    try:
        policies = select_policies(context.db, [name])
        results = run_checks(
            context.db,
            policies,
            context.clients,
            clock=context.clock,
            should_stop=context.stop.is_set,
            thresholds=context.settings.quality,
        )
    except NotFound:
        LOG.warning("check %s: the policy no longer exists; its job is removed at next sync", name)
        return
    except RedlineError as exc:
        LOG.error("check %s: error: %s", name, exc)
        return
    for result in results:
        (LOG.warning if result.error else LOG.info)(check_line(result))
    if not results or any(result.stopped for result in results):
        context.unfinished.add(job_id)  # stopped before it began, or after a capture
    run_outbox(context, ["immediate"])


def digest_job(cadence: str) -> None:
    """Send the digests of one cadence (and anything immediate or due for retry)."""
    context = _live(f"digest:{cadence}")
    if context is not None:
        run_outbox(context, [cadence, "immediate"])


def outbox_job() -> None:
    """Sweep the outbox for immediate mail and retries whose backoff has passed."""
    context = _live(OUTBOX_JOB)
    if context is not None:
        run_outbox(context, ["immediate"])


def run_outbox(context: DaemonContext, cadences: Iterable[str]) -> None:
    """One outbox run; a line in the log when it did anything."""
    if context.stop.is_set():
        return
    try:
        report = Outbox(context.db, context.settings, context.clock).run(context.mailer(), cadences)
    except RedlineError as exc:
        LOG.error("outbox: error: %s", exc)
        return
    if report.sent or report.failed:
        (LOG.warning if report.failed else LOG.info)(report.line())
