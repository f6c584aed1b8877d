"""Several processes on one SQLite file: the daemon and `redline check` recording the same
captures, `redline reextract` rebuilding while a check records, the TUI reading meanwhile.

Each test opens one :class:`Database` per process it stands for (its own engine and
connections, as separate processes have) and makes the interleaving that used to fail
happen at a fixed point, through the archive server's fault hook or a wrapped step, with
no sleeping. `bench/concurrency.py` runs the same actors for a minute.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from scenarios import URL, V1, V2, V3, page
from sqlalchemy import text

import tracker.monitor.reextract as reextract_module
from storage import changes as change_store
from storage import policies as policy_store
from storage import versions as version_store
from storage.db import Database, open_database
from storage.records import NEW, PolicyRecord
from tracker.archive import ArchiveClient, ArchiveServer, CaptureSpec, Limits
from tracker.clock import ManualClock
from tracker.errors import StorageError
from tracker.monitor import CheckResult, check_policy
from tracker.monitor.reextract import reextract
from tracker.policies import NewPolicy, add_policy, get_policy

T1, T2, T3 = "20100101000000", "20110101000000", "20120101000000"


@pytest.fixture
def processes(db_url: str) -> Iterator[dict[str, Database]]:
    """One open database per process sharing the file: daemon, cli, tui."""
    opened = {name: open_database(db_url) for name in ("daemon", "cli", "tui")}
    yield opened
    for database in opened.values():
        database.close()


@pytest.fixture
def client(archive: ArchiveServer, clock: ManualClock) -> Iterator[ArchiveClient]:
    """A client of the local archive with no rate limits."""
    c = ArchiveClient(archive.base_url, limits=Limits(None, None), clock=clock)
    yield c
    c.close()


def _capture(archive: ArchiveServer, timestamp: str, paragraphs: list[str]) -> None:
    archive.store.add(
        CaptureSpec(url=URL, timestamp=timestamp, body=page("P", paragraphs).encode())
    )


def _seed(
    db: Database, archive: ArchiveServer, client: ArchiveClient, clock: ManualClock
) -> PolicyRecord:
    """A policy whose first capture is recorded (version 1)."""
    policy = add_policy(db, NewPolicy("acme", URL, archive=archive.base_url), clock)
    _capture(archive, T1, V1)
    assert check_policy(db, client, policy, clock=clock).new_versions == 1
    return policy


def _captures(db: Database, policy: PolicyRecord) -> list[tuple[str, str, int | None]]:
    with db.session() as session:
        rows = version_store.list_captures(session, policy.id)
    return [(c.timestamp, c.outcome, c.version_number) for c in rows]


def test_daemon_and_cli_record_the_same_captures_while_the_tui_reads(
    processes: dict[str, Database],
    archive: ArchiveServer,
    client: ArchiveClient,
    clock: ManualClock,
) -> None:
    daemon, cli, tui = processes["daemon"], processes["cli"], processes["tui"]
    policy = _seed(daemon, archive, client, clock)
    _capture(archive, T2, V2)
    _capture(archive, T3, V3)
    cli_results: list[CheckResult] = []
    started: list[str] = []

    def cli_check_runs_first(endpoint: str, path: str) -> int | None:
        # While the daemon waits for the archive's answer on T2, `redline check` finds
        # the same two captures and records both: the daemon's view of what is new is stale.
        if endpoint == "replay" and T2 in path and not started:
            started.append(path)  # the CLI's own request for T2 passes straight through
            cli_client = ArchiveClient(archive.base_url, limits=Limits(None, None), clock=clock)
            cli_results.append(check_policy(cli, cli_client, policy, clock=clock))
            cli_client.close()
        return None

    archive.fault_hook = cli_check_runs_first
    with tui.session() as reading:  # a TUI screen's read, open across both checks
        shown = version_store.list_versions(reading, policy.id)
        result = check_policy(daemon, client, policy, clock=clock)
        # One consistent state for the whole read: not half of what the checks wrote.
        assert version_store.list_versions(reading, policy.id) == shown
        # Writing after reading a state others have since changed waits for the write
        # lock instead of failing at once with "database is locked".
        clock.advance(60)
        policy_store.mark_checked(reading, policy.id, now=clock.now(), error=None)

    assert [r.new_versions for r in cli_results] == [2]
    assert result.error is None
    assert (result.new_versions, result.same) == (0, 2)  # recorded by the CLI: kept as is
    assert _captures(tui, policy) == [(T1, NEW, 1), (T2, NEW, 2), (T3, NEW, 3)]
    assert get_policy(tui, "acme").last_checked_at == clock.now()
    with tui.session() as session:
        assert sorted(change_store.summaries(session, policy.id)) == [2, 3]


def test_a_capture_recorded_during_reextract_keeps_its_version(
    processes: dict[str, Database],
    archive: ArchiveServer,
    client: ArchiveClient,
    clock: ManualClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    daemon, cli = processes["daemon"], processes["cli"]
    policy = _seed(daemon, archive, client, clock)
    _capture(archive, T2, V2)
    real_judge = reextract_module.judge
    checks: list[CheckResult] = []

    def daemon_checks_meanwhile(*args: Any) -> Any:
        # The daemon records T2 while `redline reextract` is judging the stored snapshots.
        if not checks:
            checks.append(check_policy(daemon, client, policy, clock=clock))
        return real_judge(*args)

    monkeypatch.setattr(reextract_module, "judge", daemon_checks_meanwhile)
    rebuilt = reextract(cli, "acme", clock=clock)

    assert checks[0].new_versions == 1
    assert rebuilt.after == 2
    assert _captures(cli, policy) == [(T1, NEW, 1), (T2, NEW, 2)]
    with cli.session() as session:
        assert sorted(change_store.summaries(session, policy.id)) == [2]


def test_a_lock_held_past_the_busy_timeout_is_one_clear_error(
    processes: dict[str, Database], clock: ManualClock
) -> None:
    daemon, cli = processes["daemon"], processes["cli"]
    policy = add_policy(daemon, NewPolicy("acme", URL), clock)
    # Another process holds the write lock (a long rebuild) while the CLI wants to write.
    with (
        daemon.writing(),
        pytest.raises(StorageError, match="locked by another Redline process"),
        cli.session() as session,
    ):
        # No waiting in a test: give up at once, as after 30 s of waiting.
        session.execute(text("PRAGMA busy_timeout = 0"))
        policy_store.mark_checked(session, policy.id, now=clock.now(), error=None)
    with cli.session() as session:  # the lock is free again: the same write goes through
        session.execute(text("PRAGMA busy_timeout = 30000"))
        policy_store.mark_checked(session, policy.id, now=clock.now(), error=None)
        assert policy_store.get_policy(session, "acme").last_checked_at is not None
