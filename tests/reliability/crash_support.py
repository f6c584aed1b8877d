"""Killing `redline` processes at chosen points, and comparing the databases they leave.

Processes: every `redline` run is a real child process killed with a real SIGKILL, but it is
forked from a *forkserver* that imported the CLI once, so a run costs a fork instead of the
~1.2 s of imports a fresh ``python -m tracker`` pays; the chains of runs below fit in the
suite's time budget only that way. The forkserver itself never opens a database or starts a
thread, so every child starts as a fresh `redline` would, from ``cli.main``.

Kill points: a :class:`KillSwitch` counts the events a run causes (archive requests, SMTP
messages) and fires at one of them, either holding the event until the run is killed
(``hold``) or letting it through and asking for the kill at once (``after``, so the kill
lands somewhere in what the run does with the answer: extraction, comparison, commit, or
marking a message sent).
"""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import os
import random
import re
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

from notify.smtp_sink import Inbox
from scenarios import NO_LIMITS, Planned
from sqlalchemy import create_engine, text

HOLD, AFTER = "hold", "after"
PHASES = (HOLD, AFTER)
SEED_ENV = "REDLINE_CRASH_SEED"  # set it to replay a failing chain of kill points
WAIT = 30.0  # seconds: a bound on every wait, far above what any step takes

_forkserver = multiprocessing.get_context("forkserver")
_started: list[BaseProcess] = []


def crash_seed() -> int:
    """The seed of this run's kill points: from the environment, or fresh (and printed,
    so that a failure can be replayed with ``REDLINE_CRASH_SEED=...``)."""
    seed = int(os.environ.get(SEED_ENV) or random.SystemRandom().randrange(2**32))
    print(f"{SEED_ENV}={seed}")
    return seed


def _run_redline(argv: list[str], log: str) -> None:
    """Child side: `redline ARGV` with stdin empty and stdout and stderr appended to ``log``."""
    out = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    null = os.open(os.devnull, os.O_RDONLY)
    for fd, source in ((0, null), (1, out), (2, out)):
        os.dup2(source, fd)
    os.close(out)
    os.close(null)
    from tracker.cli import cli

    try:
        cli.main(args=argv, prog_name="redline")  # exits with the command's code
    finally:
        sys.stdout.flush()
        sys.stderr.flush()


class Redline:
    """Starts `redline` child processes on one database with limits-off settings."""

    def __init__(self, tmp: Path, db: Path, config: str = NO_LIMITS) -> None:
        self.db = db
        self.log = tmp / f"{db.stem}.log"
        self.config = tmp / f"{db.stem}.toml"
        self.config.write_text(config)
        # Preloading makes forked children skip the imports; a no-op once the server runs.
        _forkserver.set_forkserver_preload(["tracker.cli", __name__])

    def start(self, *args: str) -> BaseProcess:
        """Start ``redline ARGS`` in a child process."""
        argv = ["--db", f"sqlite:///{self.db}", "--config", str(self.config), *args]
        # Daemonic: should a test fail with one still running, it is ended with the test
        # process instead of being waited for forever (see :func:`end_leftovers`).
        process = _forkserver.Process(target=_run_redline, args=(argv, str(self.log)), daemon=True)
        process.start()
        _started.append(process)
        return process

    def run(self, *args: str) -> None:
        """Run ``redline ARGS`` to completion; it must succeed."""
        process = self.start(*args)
        process.join(WAIT)
        assert process.exitcode == 0, f"redline {' '.join(args)}: {self.log.read_text()}"


def end_leftovers() -> None:
    """SIGKILL every `redline` child still running (after a failed test)."""
    while _started:
        process = _started.pop()
        if process.is_alive():
            process.kill()
            process.join(WAIT)


def kill(process: BaseProcess) -> None:
    """SIGKILL a child and reap it."""
    process.kill()
    process.join(WAIT)
    assert process.exitcode == -9, f"not killed: exit code {process.exitcode}"


@dataclass
class KillSwitch:
    """Fires at the ``at``-th event (1-based) it is shown, in ``phase``; ``at`` 0 never fires.

    ``hold``: the event waits (in the server's thread) until :attr:`release` is set, and is
    then refused. ``after``: the event is served and :attr:`fired` set with it (an archive
    answer is on its way, an SMTP message has been accepted), so the test kills at once.
    """

    at: int = 0
    phase: str = HOLD
    fired: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    seen: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def arrive(self) -> str | None:
        """Count an event; the phase if it is the one to fire at (after holding, for hold)."""
        with self._lock:
            self.seen += 1
            hit = self.seen == self.at
        if not hit:
            return None
        if self.phase == HOLD:
            self.fired.set()
            self.release.wait(WAIT)
        return self.phase

    def archive_hook(self, endpoint: str, path: str) -> int | None:
        """An :attr:`ArchiveServer.fault_hook`: searches and replays are events."""
        if endpoint not in ("search", "replay"):
            return None
        phase = self.arrive()
        if phase == HOLD:
            return 503  # nobody reads it: the client is dead by now
        if phase == AFTER:
            self.fired.set()  # the answer goes out as the test kills
        return None


class KillingInbox(Inbox):
    """An SMTP sink whose messages are events of the installed :class:`KillSwitch`.

    A held message is refused (the sender died before it was accepted); an ``after`` one is
    kept and accepted, and the kill then races with the sender marking it sent.
    """

    def __init__(self) -> None:
        super().__init__()
        self.switch = KillSwitch()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        switch = self.switch
        phase = await asyncio.get_running_loop().run_in_executor(None, switch.arrive)
        if phase == HOLD:
            return "451 4.3.0 try again later"
        answer = await super().handle_DATA(server, session, envelope)
        if phase == AFTER:
            switch.fired.set()
        return answer


def fire_or_finish(process: BaseProcess, switch: KillSwitch) -> bool:
    """Wait for ``switch`` to fire, then SIGKILL ``process``; False if it exited first."""
    deadline = time.monotonic() + WAIT
    while not switch.fired.wait(0.05):
        if not process.is_alive():
            return False
        assert time.monotonic() < deadline, "the run neither reached its kill point nor ended"
    kill(process)
    switch.release.set()
    return True


# -- kill points ------------------------------------------------------------------------------


def request_positions(plan: list[Planned], recorded: int) -> list[int]:
    """The positions of the archive requests a check makes once ``recorded`` captures are
    stored: the search (0), then the replays of the rest (numbered through the whole plan)."""
    before = sum(p.requests for p in plan[:recorded])
    total = sum(p.requests for p in plan)
    return [0, *range(1 + before, 1 + total)]


def pick(positions: list[int], target: int) -> int:
    """The 1-based index of the first position at or past ``target`` (else the last)."""
    return next((i for i, p in enumerate(positions, 1) if p >= target), len(positions))


def kill_points(rng: random.Random, count: int, events: int) -> list[tuple[int, str]]:
    """``count`` (target position, phase) pairs in order, spread over ``events`` positions."""
    targets = sorted(rng.randrange(events) for _ in range(count))
    return [(t, rng.choice(PHASES)) for t in targets]


# -- comparing databases ----------------------------------------------------------------------

_QUERIES = {
    "captures": "SELECT p.name, c.timestamp, c.original, c.statuscode, c.digest, c.outcome,"
    " c.reason, v.number, s.sha256 FROM captures c JOIN policies p ON p.id = c.policy_id"
    " LEFT JOIN versions v ON v.id = c.version_id LEFT JOIN snapshots s ON s.id = c.snapshot_id"
    " ORDER BY p.name, c.timestamp, c.original",
    "versions": "SELECT p.name, v.number, v.first_seen, v.last_seen, v.identity, v.words,"
    " v.technical, v.revert_of, t.sha256 FROM versions v JOIN texts t ON t.id = v.text_id"
    " JOIN policies p ON p.id = v.policy_id ORDER BY p.name, v.number",
    "snapshots": "SELECT sha256, content_type, size FROM snapshots ORDER BY sha256",
    "texts": "SELECT sha256, chars FROM texts ORDER BY sha256",
    "changes": "SELECT p.name, o.number, n.number, ch.engine, ch.significance, ch.headline,"
    " ch.document FROM changes ch JOIN policies p ON p.id = ch.policy_id"
    " JOIN versions n ON n.id = ch.new_version_id"
    " LEFT JOIN versions o ON o.id = ch.old_version_id ORDER BY p.name, n.number",
    # What was told to whom; attempts, times and Message-IDs legitimately differ.
    "notifications": "SELECT s.email, s.cadence, p.name, v.number, nt.state"
    " FROM notifications nt JOIN subscriptions s ON s.id = nt.subscription_id"
    " JOIN changes ch ON ch.id = nt.change_id JOIN policies p ON p.id = ch.policy_id"
    " JOIN versions v ON v.id = ch.new_version_id ORDER BY s.email, p.name, v.number",
    "policies": "SELECT name, last_error, needs_rebuild, last_checked_at IS NOT NULL"
    " FROM policies ORDER BY name",
}


def query(db: Path, sql: str) -> list[tuple[Any, ...]]:
    """Rows of one query on a SQLite file (a fresh connection each time)."""
    engine = create_engine(f"sqlite:///{db}")
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(text(sql))]
    finally:
        engine.dispose()


def dump(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Everything a run must leave the same, without ids or wall-clock times, in order."""
    engine = create_engine(f"sqlite:///{db}")
    tables: dict[str, list[tuple[Any, ...]]] = {}
    try:
        with engine.connect() as connection:
            for name, sql in _QUERIES.items():
                result = connection.execute(text(sql))
                # A comparison document compares as data, not as its serialisation.
                columns = list(result.keys())
                parse = [column == "document" for column in columns]
                tables[name] = [
                    tuple(json.loads(v) if p else v for p, v in zip(parse, row, strict=True))
                    for row in result
                ]
    finally:
        engine.dispose()
    return tables


def assert_same(got: dict[str, list[Any]], want: dict[str, list[Any]]) -> None:
    """Table by table, so a failure names the table and shows the rows missing or extra."""
    for table in want:
        missing = Counter(map(repr, want[table])) - Counter(map(repr, got[table]))
        extra = Counter(map(repr, got[table])) - Counter(map(repr, want[table]))
        shown = {
            what: [f"{row[:150]} x{n}" for row, n in rows.items()]
            for what, rows in (("missing", missing), ("extra", extra))
        }
        assert not missing and not extra, f"{table}: {shown}"
        assert got[table] == want[table], f"{table}: same rows, different order"


_VERSION_LINE = re.compile(r"version (\d+) \(\d{4}-\d\d-\d\d\) \u2192 version (\d+)")


def changes_mailed(message: Any) -> list[tuple[int, int]]:
    """The (old, new) version pairs a digest's text part reports."""
    body = message.get_body(("plain",)).get_content()
    return [(int(a), int(b)) for a, b in _VERSION_LINE.findall(body)]
