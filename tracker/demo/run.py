"""What `redline demo` does, as library functions: serve the demo archive, load the policies.

The demo archive is the WARC files of ``tracker/demo/data`` served by the local archive
server on a free port of 127.0.0.1. Both demo policies are added pointing at it and backfilled
with rate limits off (it is our own server on this machine), through the same pipeline a real
backfill uses, so what the demo shows is what Redline does with real histories.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from storage.db import Database
from tracker.archive import ArchiveServer, CaptureStore
from tracker.checks import ArchiveClients, run_checks, select_policies
from tracker.clock import Clock
from tracker.config import ArchiveSettings
from tracker.demo.captures import POLICIES
from tracker.errors import RedlineError
from tracker.monitor import CheckProgress, CheckResult
from tracker.policies import NewPolicy, add_policy, policy_listing

DATA = Path(__file__).parent / "data"


@contextmanager
def demo_archive(data: Path = DATA) -> Iterator[ArchiveServer]:
    """The local archive server holding the demo captures, listening on a free port."""
    store = CaptureStore.load(data)
    if not len(store):
        raise RedlineError(f"no demo captures in {data}; run `python -m tracker.demo.build`")
    server = ArchiveServer(store).start()
    try:
        yield server
    finally:
        server.stop()


def demo_names() -> list[str]:
    """The names of the demo policies, the main one first."""
    return [policy.name for policy in POLICIES]


def check_fresh(db: Database) -> None:
    """Refuse a database that already tracks a demo policy: the demo adds them anew."""
    taken = {stats.policy.name for stats in policy_listing(db)} & set(demo_names())
    if taken:
        raise RedlineError(
            f"this database already has a policy named {sorted(taken)[0]!r}; "
            "run the demo on a new database (or none: it makes a temporary one)"
        )


def load_demo(
    db: Database,
    server: ArchiveServer,
    clock: Clock,
    progress: CheckProgress | None = None,
) -> list[CheckResult]:
    """Add the demo policies, pointing at ``server``, and backfill their whole history."""
    check_fresh(db)
    for policy in POLICIES:
        request = NewPolicy(policy.name, policy.url, archive=server.base_url)
        add_policy(db, request, clock)
    # Rate limits off: the archive is our own server on this machine, not the Internet Archive.
    settings = ArchiveSettings(url=server.base_url, search_per_minute=0, replay_per_second=0)
    clients = ArchiveClients(settings, clock)
    try:
        results = run_checks(
            db, select_policies(db, demo_names()), clients, clock=clock, progress=progress
        )
    finally:
        clients.close()
    failed = [result for result in results if result.error]
    if failed:
        raise RedlineError(f"demo backfill of {failed[0].policy} failed: {failed[0].error}")
    return results
