"""Concurrency soak: the daemon writing, `redline check` and maintenance commands from the
CLI, and the TUI reading, all at once on one SQLite database.

A local archive server holds a generated history for several policies and keeps gaining
captures during the run, so the daemon (every policy due each second) and the repeated
`redline check` runs always have captures to record, often the same ones at the same time.
`redline reextract` / `redline rediff` rebuild versions in between (read-then-write
transactions), a probe times a one-row write transaction twice a second, and a reader
process drives the real Textual app headless (policies → history → redline → back) while
a thread in it calls the same read functions in a loop.

At the end the daemon is stopped, one last `redline check` runs, and the database must
hold every capture the archive holds exactly once, with the versions, outcomes and
comparisons a single serial backfill of the same archive makes. Prints each actor's
operations, every error that reached a user, and the longest write wait; exits 1 when a
"database is locked"/"busy" error, a traceback, another error or a lost write was seen.

    python bench/concurrency.py [--seconds 60] [--policies 4] [--captures 120] [--keep DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# The repository first, not bench/: bench/tui.py would shadow the tui package.
sys.path[0] = str(ROOT)
sys.path.insert(0, str(ROOT / "tests"))

from scenarios import churn_history  # noqa: E402
from sqlalchemy import update  # noqa: E402

from storage import changes as change_store  # noqa: E402
from storage import policies as policy_store  # noqa: E402
from storage import versions as version_store  # noqa: E402
from storage.db import open_database  # noqa: E402
from storage.models import Policy  # noqa: E402
from tracker.archive import ArchiveServer, CaptureSpec, CaptureStore  # noqa: E402

LOCKED = re.compile(r"database is (locked|busy)", re.IGNORECASE)
TRACEBACK = re.compile(r"Traceback \(most recent call last\)")
# What a user reads as a failure in a command's output.
FAILURE = re.compile(r"^error:|Traceback|Error\b|database is (locked|busy)", re.MULTILINE)
# APScheduler's notes when a job is due again before its last run ended: every second
# here, never with real intervals (an hour or more).
SCHEDULER_NOTE = re.compile(r"maximum number of running instances|was missed by")
# APScheduler 3 submitting a due job after shutdown began (see the daemon's stop).
SHUTDOWN_RACE = re.compile(r"Error submitting job|cannot schedule new futures after shutdown")


@dataclass
class Actor:
    """One concurrent actor's tally: operations done, failures seen, how long each took."""

    name: str
    ops: int = 0
    failures: list[str] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)

    def line(self) -> str:
        """One line of the report."""
        worst = f", longest {max(self.seconds):.2f} s" if self.seconds else ""
        return f"{self.name:<26} {self.ops:>5} ops, {len(self.failures)} failures{worst}"


def redline(folder: Path, *args: str) -> list[str]:
    """The argv of a `redline` command on ``folder``'s database and configuration."""
    db = f"sqlite:///{folder / 'bench.db'}"
    config = str(folder / "config.toml")
    return [sys.executable, "-m", "tracker", "--db", db, "--config", config, *args]


def histories(policies: int, captures: int) -> dict[str, list[CaptureSpec]]:
    """Each policy's whole history (about one capture in five brings a new text), in its
    own wording, so that no capture's digest is already stored for another policy."""
    result = {}
    for k in range(policies):
        specs = churn_history(f"http://site{k}.example/privacy", captures, max(captures // 5, 1))
        own = f"site {k} processes data".encode()
        result[f"p{k}"] = [replace(s, body=s.body.replace(b"we process data", own)) for s in specs]
    return result


def feed(
    store: CaptureStore,
    pending: dict[str, list[CaptureSpec]],
    stop: threading.Event,
    every: float,
    actor: Actor,
) -> None:
    """Add the held-back captures to the archive, one per policy every ``every`` s."""
    queues = [list(specs) for specs in pending.values()]
    while not stop.wait(every) and any(queues):
        for queue in queues:
            if queue:
                store.add(queue.pop(0))
                actor.ops += 1


def run_logged(actor: Actor, command: list[str], log: Path) -> None:
    """Run one command to the end; its output goes to ``log``, its failures to ``actor``."""
    started = time.monotonic()
    done = subprocess.run(command, capture_output=True, text=True)
    actor.seconds.append(time.monotonic() - started)
    actor.ops += 1
    output = done.stdout + done.stderr
    with log.open("a", encoding="utf-8") as handle:
        handle.write(f"$ redline {' '.join(command[7:])}  (exit {done.returncode})\n{output}\n")
    if done.returncode != 0 or FAILURE.search(output):
        actor.failures.append(f"exit {done.returncode}: {output.strip()[-600:]}")


def cli_loop(
    actor: Actor, commands: list[list[str]], log: Path, stop: threading.Event, pause: float
) -> None:
    """Run ``commands`` in turn, again and again, until told to stop."""
    k = 0
    while not stop.is_set():
        run_logged(actor, commands[k % len(commands)], log)
        k += 1
        stop.wait(pause)


def probe(actor: Actor, db_url: str, stop: threading.Event) -> None:
    """Time a one-row write transaction twice a second: how long any writer waits."""
    db = open_database(db_url)
    while not stop.wait(0.5):
        started = time.monotonic()
        try:
            with db.session() as session:
                session.execute(update(Policy).where(Policy.id == 1).values(check_every=1))
        except Exception as exc:  # a bench reports every failure
            actor.failures.append(f"{type(exc).__name__}: {exc}")
        actor.seconds.append(time.monotonic() - started)
        actor.ops += 1
    db.close()


# --- the reader process ---------------------------------------------------------------


def read_loop(db_url: str, deadline: float, out: dict[str, Any]) -> None:
    """The TUI's read functions in a loop: listing, each history, each latest redline."""
    from tracker.diffing import version_comparison
    from tracker.policies import policy_history
    from tui.screens.data import load_policy_rows

    db = open_database(db_url)
    while time.monotonic() < deadline:
        try:
            for row in load_policy_rows(db):
                history = policy_history(db, row.name)
                if history.versions:
                    version_comparison(db, row.name, history.versions[-1].number)
                out["read_ops"] += 1
            time.sleep(0.05)  # leave the TUI and the writers some of the two cores
        except Exception:  # a bench reports every failure
            out["read_errors"].append(traceback.format_exc(limit=4))
    db.close()


async def until(pilot: Any, what: str, condition: Callable[[], bool]) -> None:
    """Let the app run until ``condition`` holds (30 s at most)."""
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > 30:
            raise TimeoutError(f"TUI: no {what} after 30 s")
        await pilot.pause(0.01)


async def walk(app: Any, pilot: Any, row: int) -> None:
    """Reload the policies, open one, its latest redline, two steps back, then back."""
    from textual.widgets import DataTable

    from tui.screens.diff import DiffScreen
    from tui.screens.history import HistoryScreen

    policies = app.screen
    table = policies.query_one(DataTable)
    await until(pilot, "policies", lambda: table.row_count > 0)
    before = policies._rows  # a new list once the reload is drawn
    await pilot.press("r")
    await until(pilot, "reload", lambda: policies._rows is not before)
    table.move_cursor(row=row % table.row_count)
    await pilot.press("enter")
    await until(pilot, "history", lambda: isinstance(app.screen, HistoryScreen))
    history = app.screen
    await until(pilot, "timeline", lambda: history.history is not None)
    if history.history.versions:
        await pilot.press("enter")
        await until(pilot, "redline", lambda: isinstance(app.screen, DiffScreen))
        diff = app.screen
        await until(pilot, "comparison", lambda: diff.shown is not None)
        for _ in range(2):
            if diff.index > 0:
                target = diff.versions[diff.index - 1].number
                await pilot.press("[")
                await until(pilot, "step", lambda t=target: diff.shown.number == t)
        await pilot.press("escape")
    await pilot.press("escape")
    await until(pilot, "policies", lambda: app.screen is policies)


async def drive_tui(db_url: str, deadline: float, out: dict[str, Any]) -> None:
    """The real app, headless, walking every policy in turn until the deadline."""
    from tracker.clock import SystemClock
    from tracker.config import Settings
    from tui.app import RedlineApp

    class Watched(RedlineApp):
        # Textual reads CSS_PATH next to the module defining the class: this one.
        CSS_PATH = str(Path(sys.modules[RedlineApp.__module__].__file__ or "").parent / "app.tcss")

        def notify(self, message: str, *args: Any, **kwargs: Any) -> None:
            if kwargs.get("severity") == "error":  # a failed read shown to the user
                out["tui_errors"].append(message)
            super().notify(message, *args, **kwargs)

    db = open_database(db_url)
    app = Watched(db, Settings(), SystemClock())
    async with app.run_test(size=(120, 40)) as pilot:
        while time.monotonic() < deadline:
            await walk(app, pilot, out["tui_ops"])
            out["tui_ops"] += 1
    db.close()


def reader_main(db_url: str, seconds: float, out_path: Path) -> None:
    """The reader process: the TUI and a read-function thread until the deadline."""
    deadline = time.monotonic() + seconds
    out: dict[str, Any] = {"tui_ops": 0, "tui_errors": [], "read_ops": 0, "read_errors": []}
    thread = threading.Thread(target=read_loop, args=(db_url, deadline, out))
    thread.start()
    while time.monotonic() < deadline:
        try:
            asyncio.run(drive_tui(db_url, deadline, out))
        except Exception:  # the app crashed: report it and start it again
            out["tui_errors"].append(traceback.format_exc(limit=6))
    thread.join()
    out_path.write_text(json.dumps(out))


# --- checking that no write was lost --------------------------------------------------


def dump(folder: Path) -> dict[str, Any]:
    """Each policy's captures (with outcomes), versions and compared version numbers."""
    db = open_database(f"sqlite:///{folder / 'bench.db'}")
    result: dict[str, Any] = {}
    with db.session() as session:
        for policy in policy_store.all_policies(session):
            captures = version_store.list_captures(session, policy.id)
            result[policy.name] = {
                "captures": [
                    (c.timestamp, c.original, c.outcome, c.version_number) for c in captures
                ],
                "versions": [
                    (v.number, v.identity, str(v.first_seen), str(v.last_seen))
                    for v in version_store.list_versions(session, policy.id)
                ],
                "kinds": [
                    (v.number, v.revert_of, v.technical, v.captures)
                    for v in version_store.list_versions(session, policy.id)
                ],
                "compared": sorted(change_store.summaries(session, policy.id)),
            }
    db.close()
    return result


def lost_writes(
    folder: Path, reference: Path, store: CaptureStore, urls: dict[str, str]
) -> list[str]:
    """Every way the soaked database differs from the archive and from a serial backfill."""
    problems = []
    got, want = dump(folder), dump(reference)
    for name, url in urls.items():
        held = {(r.timestamp, r.original) for r in store.search(url)}
        keys = [(ts, original) for ts, original, _, _ in got[name]["captures"]]
        if len(keys) != len(set(keys)):
            problems.append(f"{name}: {len(keys) - len(set(keys))} captures recorded twice")
        if set(keys) != held:
            missing, extra = len(held - set(keys)), len(set(keys) - held)
            problems.append(f"{name}: {missing} archive captures missing, {extra} unknown")
        numbers = [v[0] for v in got[name]["versions"]]
        if numbers != list(range(1, len(numbers) + 1)):
            problems.append(f"{name}: version numbers not consecutive: {numbers}")
        for part in ("captures", "versions", "kinds", "compared"):
            if got[name][part] != want[name][part]:
                problems.append(f"{name}: {part} differ from a serial backfill of the archive")
    return problems


# --- the soak -------------------------------------------------------------------------


def setup(folder: Path, base_url: str, urls: dict[str, str]) -> None:
    """Configuration (rate limits off), the policies, and every check due each second."""
    folder.mkdir(parents=True)
    (folder / "config.toml").write_text(
        f'[archive]\nurl = "{base_url}"\nsearch_per_minute = 0\nreplay_per_second = 0\n'
    )
    for name, url in urls.items():
        subprocess.run(redline(folder, "add", name, url), check=True, capture_output=True)
    db = open_database(f"sqlite:///{folder / 'bench.db'}")
    with db.session() as session:  # `redline add --every` allows ≥ 1 h: seconds, for the soak
        session.execute(update(Policy).values(check_every=1))
    db.close()


def scan(name: str, path: Path, known: list[str]) -> tuple[Actor, int]:
    """The failures a long-running process logged (known ones apart) and its notes."""
    actor, notes = Actor(name), 0
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines() if path.exists() else []
    actor.ops = sum("captures found" in line for line in lines)
    for k, line in enumerate(lines):
        end = next((j for j in range(k + 1, len(lines)) if not lines[j][:1].isspace()), k)
        if SCHEDULER_NOTE.search(line):
            notes += 1
        elif SHUTDOWN_RACE.search(line) or (
            line.startswith("Traceback") and SHUTDOWN_RACE.search(lines[end])
        ):
            known.append(f"{name}: {line if not line.startswith('Traceback') else lines[end]}")
        elif line.startswith("Traceback"):
            actor.failures.append(f"Traceback (most recent call last) … {lines[end]}")
        elif re.search(r" (ERROR|WARNING|CRITICAL) |database is (locked|busy)", line):
            actor.failures.append(line)
    return actor, notes


def soak(
    args: argparse.Namespace,
    folder: Path,
    server: ArchiveServer,
    pending: dict[str, list[CaptureSpec]],
) -> tuple[list[Actor], dict[str, Any], list[str]]:
    """Run every actor at once for ``args.seconds``: their tallies, the reader's, and the
    known issues outside this bench's subject that were seen."""
    db_url, stop = f"sqlite:///{folder / 'bench.db'}", threading.Event()
    names = ("archive (captures added)", "redline check", "reextract / rediff", "write probe")
    feeder, checker, maint, prober = (Actor(name) for name in names)
    maintenance = [
        redline(folder, verb, name) for name in pending for verb in ("reextract", "rediff")
    ]
    threads = [
        threading.Thread(target=feed, args=(server.store, pending, stop, args.feed_every, feeder)),
        threading.Thread(
            target=cli_loop,
            args=(checker, [redline(folder, "check")], folder / "check.log", stop, 0.0),
        ),
        threading.Thread(
            target=cli_loop, args=(maint, maintenance, folder / "maint.log", stop, 1.0)
        ),
        threading.Thread(target=probe, args=(prober, db_url, stop)),
    ]
    reader_argv = [sys.executable, __file__, "--reader", db_url, "--seconds", str(args.seconds)]
    with (folder / "daemon.log").open("w") as daemon_log, (folder / "reader.log").open("w") as log:
        daemon = subprocess.Popen(redline(folder, "daemon"), stderr=daemon_log)
        reader = subprocess.Popen(
            [*reader_argv, "--out", str(folder / "reader.json")], stdout=log, stderr=log
        )
        for thread in threads:
            thread.start()
        stop.wait(args.seconds)
        stop.set()
        for thread in threads:
            thread.join()
        daemon.send_signal(signal.SIGTERM)
        daemon_rc, reader_rc = daemon.wait(120), reader.wait(120)
    known: list[str] = []
    daemon_actor, notes = scan("redline daemon", folder / "daemon.log", known)
    print(f"daemon: {notes} APScheduler notes of a check due again while running (1 s interval)")
    reader_actor, _ = scan("reader process output", folder / "reader.log", known)
    for actor, rc in ((daemon_actor, daemon_rc), (reader_actor, reader_rc)):
        if rc != 0:
            actor.failures.append(f"exited with status {rc}")
    out = json.loads((folder / "reader.json").read_text()) if reader_rc == 0 else {}
    return [feeder, daemon_actor, checker, maint, prober, reader_actor], out, known


def report(
    actors: list[Actor], out: dict[str, Any], problems: list[str], known: list[str], seconds: float
) -> int:
    """Print the figures; the exit status (1 when anything reached a user or was lost)."""
    tui = Actor("TUI (Textual, headless)", out.get("tui_ops", 0), out.get("tui_errors", []))
    reads = Actor("TUI read functions", out.get("read_ops", 0), out.get("read_errors", []))
    actors = [*actors[:-1], tui, reads, actors[-1]]
    print(f"soak: {seconds:.0f} s, every actor at once on one SQLite database (WAL)")
    for actor in actors:
        print("  " + actor.line())
    failures = [f"{a.name}: {f}" for a in actors for f in a.failures]
    locked = [f for f in failures if LOCKED.search(f)]
    tracebacks = [f for f in failures if TRACEBACK.search(f) and not LOCKED.search(f)]
    waits = sorted(next(a for a in actors if a.name == "write probe").seconds) or [0.0]
    print(f"'database is locked/busy' seen by a user: {len(locked)}")
    print(f"tracebacks seen by a user:               {len(tracebacks)}")
    print(
        f"other errors seen by a user:             {len(failures) - len(locked) - len(tracebacks)}"
    )
    print(
        f"write wait (probe transaction):          median {waits[len(waits) // 2] * 1000:.0f} ms,"
        f" max {waits[-1] * 1000:.0f} ms"
    )
    print(f"lost or duplicated writes:               {len(problems)}")
    for line in [*problems, *failures][:20]:
        print("  " + line.replace("\n", "\n    "))
    if known:
        print(
            f"known issue outside storage (APScheduler stop race, daemon.py): {len(known)} line(s)"
        )
    return 1 if failures or problems else 0


def main() -> None:
    """Run the soak (or, with --reader, be its reader process)."""
    parser = argparse.ArgumentParser(
        description=" ".join(__doc__.split("\n\n")[0].split()),
        epilog="Exits 1 when a lock error, a traceback or a lost write reached a user.",
    )
    parser.add_argument("--seconds", type=float, default=60.0, help="how long the soak runs")
    parser.add_argument("--policies", type=int, default=4, help="policies in the archive")
    parser.add_argument("--captures", type=int, default=120, help="per policy at the start")
    parser.add_argument("--feed-every", type=float, default=0.5, help="s between new captures")
    parser.add_argument("--keep", type=Path, help="keep the databases and logs in this folder")
    parser.add_argument("--reader", metavar="DB_URL", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.reader:
        reader_main(args.reader, args.seconds, args.out)
        return
    specs = histories(args.policies, args.captures + int(args.seconds / args.feed_every) + 2)
    urls = {name: history[0].url for name, history in specs.items()}
    store = CaptureStore()
    for history in specs.values():
        for spec in history[: args.captures]:
            store.add(spec)
    pending = {name: history[args.captures :] for name, history in specs.items()}
    with ArchiveServer(store) as server, tempfile.TemporaryDirectory() as scratch:
        folder, reference = (Path(args.keep or scratch) / part for part in ("soak", "reference"))
        setup(folder, server.base_url, urls)
        setup(reference, server.base_url, urls)
        started = time.monotonic()
        actors, out, known = soak(args, folder, server, pending)
        elapsed = time.monotonic() - started
        final = Actor("final check / backfill")
        run_logged(final, redline(folder, "check"), folder / "check.log")
        run_logged(final, redline(reference, "backfill"), reference / "backfill.log")
        problems = lost_writes(folder, reference, store, urls)
        stored = sum(len(policy["captures"]) for policy in dump(folder).values())
        print(f"archive: {len(store)} captures of {len(urls)} policies; database: {stored}")
        status = report([*actors, final], out, problems, known, elapsed)
    sys.exit(status)


if __name__ == "__main__":
    main()
