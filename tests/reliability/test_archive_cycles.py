"""Faults during checks: the first cycle records a clear error and nothing half-made, the next
cycle (faults gone) completes, and the database ends as a clean run leaves it.

Checks run as the CLI and the daemon run them: ``run_checks`` with ``ArchiveClients``, and the
daemon's own ``check_job`` with a live context installed.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from scenarios import URL, spine_history
from sqlalchemy import text

from storage.db import Database, open_database
from tracker.archive import ArchiveServer, CaptureStore
from tracker.checks import ArchiveClients, run_checks, select_policies
from tracker.clock import ManualClock
from tracker.config import ArchiveSettings, EmailSettings, Settings
from tracker.monitor import CheckResult, jobs
from tracker.notify.smtp import SmtpMailer
from tracker.policies import NewPolicy, add_policy, get_policy

# 9 captures: new versions, digest repeats, a 404, a redirect elsewhere. Replays 1 and 2
# are the first two texts; replay 3 is capture 6, a re-laid-out page with version 2's text.
HISTORY = spine_history()[:9]
THIRD_REPLAY = 6
BODIES = {hashlib.sha256(p.spec.body).hexdigest() for p in HISTORY}
DUMP = {
    "captures": "SELECT c.timestamp, c.original, c.statuscode, c.digest, c.outcome, c.reason,"
    " v.number, s.sha256 FROM captures c LEFT JOIN versions v ON v.id = c.version_id"
    " LEFT JOIN snapshots s ON s.id = c.snapshot_id ORDER BY c.timestamp",
    "versions": "SELECT v.number, v.first_seen, v.last_seen, v.identity, v.words, v.revert_of,"
    " t.sha256 FROM versions v JOIN texts t ON t.id = v.text_id ORDER BY v.number",
    "snapshots": "SELECT sha256, size FROM snapshots ORDER BY sha256",
    "texts": "SELECT sha256, chars FROM texts ORDER BY sha256",
    "changes": "SELECT o.number, n.number, c.engine, c.significance, c.headline FROM changes c"
    " LEFT JOIN versions o ON o.id = c.old_version_id JOIN versions n ON n.id = c.new_version_id"
    " ORDER BY n.number",
}


def _dump(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    with db.engine.connect() as connection:
        return {name: [tuple(r) for r in connection.execute(text(q))] for name, q in DUMP.items()}


def _setup(db: Database, archive: ArchiveServer, clock: ManualClock) -> None:
    for planned in HISTORY:
        archive.store.add(planned.spec)
    add_policy(db, NewPolicy("acme", URL, archive=archive.base_url), clock)


def _settings(archive: ArchiveServer) -> ArchiveSettings:
    return ArchiveSettings(url=archive.base_url, search_per_minute=0, replay_per_second=0)


def _cycle(db: Database, clients: ArchiveClients, clock: ManualClock) -> CheckResult:
    [result] = run_checks(db, select_policies(db, []), clients, clock=clock)
    return result


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[tuple[Any, ...]]]:
    """The database a run without faults leaves."""
    clock = ManualClock()
    db = open_database(f"sqlite:///{tmp_path_factory.mktemp('clean') / 'clean.db'}")
    with ArchiveServer(CaptureStore()) as archive:
        _setup(db, archive, clock)
        clients = ArchiveClients(_settings(archive), clock)
        assert _cycle(db, clients, clock).error is None
        clients.close()
    dump = _dump(db)
    db.close()
    return dump


@pytest.fixture
def db(migrated_db: Database) -> Database:
    """This module's databases: copies of a migrated template (see conftest), for speed."""
    return migrated_db


@pytest.fixture
def clients(
    request: pytest.FixtureRequest, clocked_archive: ArchiveServer, clock: ManualClock
) -> Iterator[ArchiveClients]:
    """The clients a check uses; a 0.2 s timeout for tests of held answers, so they time out
    fast (and only there: a loaded machine may be slower than that on a normal answer)."""
    held = "hold" in request.node.name
    made = ArchiveClients(_settings(clocked_archive), clock, timeout=0.2 if held else 10)
    yield made
    made.close()


TRANSIENT = [
    ("status", {"status": 503}, "HTTP 503"),
    ("status", {"status": 429}, "rate limiting us (HTTP 429)"),
    ("reset", {}, "broke off its answer: connection reset"),
    ("short", {}, "bytes short of its Content-Length"),
    ("hold", {}, "did not answer within 0.2 s"),
    ("robots", {}, "(HTTP 403): the site's robots.txt blocks it"),
]
# 500, 502 and 504 take the 503 path, and not_json the truncated one: their own retries and
# messages are checked in test_archive_faults.py.
CASES = [("replay", *case) for case in TRANSIENT] + [
    ("search", *case) for case in [*TRANSIENT, ("truncated", {}, "not JSON")]
]


@pytest.mark.parametrize(
    ("endpoint", "kind", "options", "message"), CASES, ids=lambda v: v if isinstance(v, str) else ""
)
def test_a_transient_fault_ends_the_check_and_the_next_cycle_recovers(
    db: Database,
    clocked_archive: ArchiveServer,
    clients: ArchiveClients,
    clock: ManualClock,
    clean: dict[str, list[tuple[Any, ...]]],
    endpoint: str,
    kind: str,
    options: dict[str, int],
    message: str,
) -> None:
    _setup(db, clocked_archive, clock)
    # Search: the second CDX page fails. Replay: the third replay fails, for good.
    fault = clocked_archive.inject(
        kind, 99, endpoint, after=1 if endpoint == "search" else 2, **options
    )
    try:
        first = _cycle(db, clients, clock)
    finally:
        clocked_archive.release()
    assert first.error is not None and message in first.error
    assert get_policy(db, "acme").last_error == first.error
    # Bounded: four attempts, or one for a 403 that retrying at once cannot help.
    spoiled = [r for r in clocked_archive.requests if r.answer == fault.label]
    assert len(spoiled) == (1 if kind == "robots" else 4)
    partial = _dump(db)
    recorded = 0 if endpoint == "search" else THIRD_REPLAY
    assert [c[0] for c in partial["captures"]] == [p.spec.timestamp for p in HISTORY[:recorded]]
    assert {sha for sha, _ in partial["snapshots"]} <= BODIES  # no partial body stored

    clocked_archive.faults.clear()
    second = _cycle(db, clients, clock)
    assert second.error is None and get_policy(db, "acme").last_error is None
    assert _dump(db) == clean


@pytest.mark.parametrize(
    ("kind", "reason"), [("big", "is larger than 20 MB"), ("loop", "loops redirecting")]
)
def test_a_page_that_cannot_be_had_fails_its_capture_and_the_check_goes_on(
    db: Database,
    clocked_archive: ArchiveServer,
    clients: ArchiveClients,
    clock: ManualClock,
    clean: dict[str, list[tuple[Any, ...]]],
    kind: str,
    reason: str,
) -> None:
    _setup(db, clocked_archive, clock)
    clocked_archive.inject(kind, 1, "replay", after=2)
    first = _cycle(db, clients, clock)
    assert first.error is None and (first.found, first.failed) == (len(HISTORY), 1)
    dump = _dump(db)
    failed = dump["captures"][THIRD_REPLAY]
    assert failed[4] == "failed" and reason in failed[5]
    assert failed[6:] == (None, None)  # no version, no snapshot

    second = _cycle(db, clients, clock)
    assert (second.error, second.found) == (None, 0)
    # Everything else is as a clean run has it: the failed capture held only its own page.
    expected = dict(clean)
    expected["captures"] = list(clean["captures"])
    expected["captures"][THIRD_REPLAY] = (*clean["captures"][THIRD_REPLAY][:4], *failed[4:])
    lost = clean["captures"][THIRD_REPLAY][7]
    expected["snapshots"] = [s for s in clean["snapshots"] if s[0] != lost]
    assert _dump(db) == expected


def test_malformed_rows_that_heal_within_the_check_cost_nothing(
    db: Database,
    clocked_archive: ArchiveServer,
    clients: ArchiveClients,
    clock: ManualClock,
    clean: dict[str, list[tuple[Any, ...]]],
) -> None:
    _setup(db, clocked_archive, clock)
    clocked_archive.inject("bad_rows", 2, "search")
    result = _cycle(db, clients, clock)
    assert (result.error, result.skipped) == (None, 0)
    assert _dump(db) == clean


def test_malformed_rows_that_persist_are_skipped_and_reported_as_the_checks_error(
    db: Database, clocked_archive: ArchiveServer, clients: ArchiveClients, clock: ManualClock
) -> None:
    _setup(db, clocked_archive, clock)
    clocked_archive.inject("bad_rows", 99, "search")
    first = _cycle(db, clients, clock)
    # Pages of 5: rows 1, 3, 5 of each page garbled on every attempt.
    kept = [1, 3, 6, 8]
    assert first.skipped == len(HISTORY) - len(kept)
    assert first.error is not None
    assert first.error.startswith("5 malformed CDX rows skipped (first: [")
    assert "3 cells for 7 columns" in first.error
    assert get_policy(db, "acme").last_error == first.error
    captured = [c[0] for c in _dump(db)["captures"]]
    assert captured == [HISTORY[i].spec.timestamp for i in kept]

    clocked_archive.faults.clear()
    second = _cycle(db, clients, clock)
    assert (second.error, second.skipped) == (None, 0)
    assert get_policy(db, "acme").last_error is None


@pytest.mark.parametrize(
    ("endpoint", "kind", "why"),
    [("replay", "reset", "archive at "), ("search", "truncated", "malformed CDX answer from ")],
)
def test_the_daemons_check_job_logs_the_fault_and_its_next_run_recovers(
    db: Database,
    clocked_archive: ArchiveServer,
    clients: ArchiveClients,
    clock: ManualClock,
    clean: dict[str, list[tuple[Any, ...]]],
    caplog: pytest.LogCaptureFixture,
    endpoint: str,
    kind: str,
    why: str,
) -> None:
    _setup(db, clocked_archive, clock)
    settings = Settings(archive=_settings(clocked_archive))
    context = jobs.DaemonContext(
        db, settings, clock, clients, lambda: SmtpMailer(EmailSettings()), threading.Event()
    )
    clocked_archive.inject(kind, 99, endpoint, after=2 if endpoint == "replay" else 0)
    jobs.install(context)
    try:
        with caplog.at_level(logging.INFO, logger="redline.daemon"):
            jobs.check_job("acme")  # returns: the daemon goes on
            clocked_archive.faults.clear()
            jobs.check_job("acme")
    finally:
        jobs.install(None)
    lines = [(r.levelname, r.getMessage()) for r in caplog.records]
    assert len(lines) == 2
    assert lines[0][0] == "WARNING"
    assert lines[0][1].startswith("check acme: ") and f", error: {why}" in lines[0][1]
    assert lines[1][0] == "INFO" and lines[1][1].endswith(", no errors")
    assert get_policy(db, "acme").last_error is None
    assert _dump(db) == clean


def test_dump_helper_sees_differences(tmp_path: Path, clean: dict[str, Any]) -> None:
    """The equality above means something: an empty database does not dump like a full one."""
    db = open_database(f"sqlite:///{tmp_path / 'empty.db'}")
    assert all(clean[name] for name in ("captures", "versions", "snapshots", "texts"))
    assert _dump(db) != clean
    db.close()


def test_the_configured_page_cap_reaches_every_client(
    db: Database, clocked_archive: ArchiveServer, clock: ManualClock
) -> None:
    _setup(db, clocked_archive, clock)
    small = ArchiveSettings(url=clocked_archive.base_url, search_per_minute=0, max_page_mb=0.25)
    clients = ArchiveClients(small, clock)
    [policy] = select_policies(db, [])
    assert clients.for_policy(policy).max_body == 256 * 1024
    clients.close()
    # Without a setting, the default is 20 MB, as the fault tests above rely on.
    assert ArchiveClients(_settings(clocked_archive), clock).for_policy(policy).max_body == 20 << 20
