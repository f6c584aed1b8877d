"""`redline daemon` killed with SIGKILL at 20 random points, restarted each time, ends with
the database an uninterrupted daemon makes, and every change mailed to every subscriber.

Kill points fall on archive requests of the daemon's first check and on the digests it then
mails (held, or accepted by the SMTP server just before the kill). Email is at least once: a
digest accepted by the server but not yet marked sent when the daemon died is sent again,
with the same Message-ID; the test allows a second copy exactly there and nowhere else.

This test runs in real time (the scheduler's clock is the system's); it waits on events and
on the daemon process with bounded deadlines, never on fixed sleeps.
"""

from __future__ import annotations

import random
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from multiprocessing.process import BaseProcess
from pathlib import Path

import pytest
from notify.smtp_sink import Received, SmtpSink
from reliability.crash_support import (
    WAIT,
    KillingInbox,
    KillSwitch,
    Redline,
    assert_same,
    changes_mailed,
    crash_seed,
    dump,
    end_leftovers,
    fire_or_finish,
    kill,
    kill_points,
    pick,
    query,
    request_positions,
)
from scenarios import URL, Planned, spine_history

from tracker.archive import ArchiveServer

KILLS = 20
RECIPIENTS = ("all@example.org", "high@example.org")


@pytest.fixture(autouse=True)
def _no_leftovers(archive: ArchiveServer) -> Iterator[None]:
    """Kill any `redline` child a failing test left running (before the archive stops)."""
    yield
    end_leftovers()


@pytest.fixture
def smtp() -> Iterator[SmtpSink]:
    """An SMTP server on 127.0.0.1 whose messages can be kill points."""
    sink = SmtpSink()
    sink.inbox = KillingInbox()
    sink.start()
    yield sink
    sink.inbox.switch.release.set()
    sink.stop()


def _redline(tmp: Path, name: str, archive: ArchiveServer, smtp: SmtpSink) -> Redline:
    """A database with the policy and two immediate subscriptions, and mail to ``smtp``."""
    config = (
        "[archive]\nsearch_per_minute = 0\nreplay_per_second = 0\n"
        f'[email]\nfrom = "redline@example.org"\nsmtp_host = "127.0.0.1"\n'
        f'smtp_port = {smtp.port}\nsecurity = "none"\n'
    )
    redline = Redline(tmp, tmp / f"{name}.db", config)
    redline.run("add", "acme", URL, "--archive", archive.base_url)
    redline.run("subscribe", RECIPIENTS[0], "--cadence", "immediate")
    redline.run("subscribe", RECIPIENTS[1], "--min-significance", "high", "--cadence", "immediate")
    return redline


def _events(db: Path, plan: list[Planned]) -> list[int]:
    """The positions of the events the next daemon run causes: the rest of the first check
    (positions of :func:`request_positions`), then one digest per recipient or claim left."""
    smtp = len(request_positions(plan, 0))
    if not query(db, "SELECT last_checked_at FROM policies")[0][0]:
        got = query(db, "SELECT timestamp FROM captures ORDER BY id")
        assert got == [(p.spec.timestamp,) for p in plan[: len(got)]]
        return [*request_positions(plan, len(got)), smtp, smtp + 1]
    ((digests,),) = query(
        db,
        "SELECT COUNT(DISTINCT COALESCE(n.message_id, s.email)) FROM notifications n"
        " JOIN subscriptions s ON s.id = n.subscription_id WHERE n.state = 'pending'",
    )
    return list(range(smtp + len(RECIPIENTS) - digests, smtp + len(RECIPIENTS)))


def _start(redline: Redline) -> BaseProcess:
    """Start a daemon and wait until it says it has started (its signal handlers are in)."""
    started = redline.log.read_text().count("daemon started")
    daemon = redline.start("daemon")
    deadline = time.monotonic() + WAIT
    while redline.log.read_text().count("daemon started") == started:
        assert daemon.is_alive(), "the daemon exited on its own"
        assert time.monotonic() < deadline, "the daemon did not start"
        daemon.join(0.05)
    return daemon


def _finish(redline: Redline) -> None:
    """Start a daemon, let it finish the check and its mail, then stop it with SIGTERM."""
    daemon = _start(redline)
    deadline = time.monotonic() + WAIT
    done = (
        "SELECT COUNT(*) FROM policies p WHERE p.last_checked_at IS NOT NULL AND"
        " (SELECT COUNT(*) FROM notifications) > 0 AND"
        " NOT EXISTS (SELECT 1 FROM notifications WHERE state != 'sent')"
    )
    while query(redline.db, done) != [(1,)]:
        assert daemon.is_alive(), "the daemon exited on its own"
        assert time.monotonic() < deadline, "the daemon did not finish its work"
        daemon.join(0.05)
    daemon.terminate()
    daemon.join(WAIT)
    assert daemon.exitcode == 0


def _mailed(received: list[Received]) -> dict[tuple[str, tuple[int, int]], list[str]]:
    """For each (recipient, version pair), the Message-IDs of the messages that reported it."""
    mailed: dict[tuple[str, tuple[int, int]], list[str]] = defaultdict(list)
    for item in received:
        for pair in changes_mailed(item.message):
            mailed[(item.recipients[0], pair)].append(item.message["Message-ID"])
    return mailed


def _kill_chain(
    redline: Redline, plan: list[Planned], archive: ArchiveServer, inbox: KillingInbox
) -> Counter[str]:
    """Start a daemon, SIGKILL it at the next kill point, again and again; for each
    Message-ID, how many killed runs had it accepted by the SMTP server."""
    rng = random.Random(crash_seed())
    at_risk: Counter[str] = Counter()
    events = len(request_positions(plan, 0)) + len(RECIPIENTS)
    for target, phase in kill_points(rng, KILLS, events):
        positions = _events(redline.db, plan)
        if not positions:  # a kill landed after the last digest was marked sent
            _kill_idle(redline)
            continue
        inbox.switch = switch = KillSwitch(pick(positions, target), phase)
        archive.fault_hook = switch.archive_hook
        before = len(inbox.received)
        assert fire_or_finish(redline.start("daemon"), switch), f"never reached {phase} {target}"
        at_risk.update(r.message["Message-ID"] for r in inbox.received[before:])
    archive.fault_hook = None
    inbox.switch = KillSwitch()
    return at_risk


def _kill_idle(redline: Redline) -> None:
    """SIGKILL a daemon with nothing to do, once it has started."""
    kill(_start(redline))


def test_daemon_killed_at_20_random_points_equals_an_uninterrupted_one(
    tmp_path: Path, archive: ArchiveServer, smtp: SmtpSink
) -> None:
    plan = spine_history()
    for planned in plan:
        archive.store.add(planned.spec)
    inbox = smtp.inbox
    assert isinstance(inbox, KillingInbox)
    whole = _redline(tmp_path, "whole", archive, smtp)
    _finish(whole)
    want = dump(whole.db)
    want_mailed = _mailed(inbox.received)
    assert len(want["notifications"]) == 10 and len(inbox.received) == 2
    assert all(len(ids) == 1 for ids in want_mailed.values())

    killed = _redline(tmp_path, "killed", archive, smtp)
    inbox.received.clear()
    at_risk = _kill_chain(killed, plan, archive, inbox)
    _finish(killed)

    assert_same(dump(killed.db), want)
    mailed = _mailed(inbox.received)
    assert mailed.keys() == want_mailed.keys()  # every change to every subscriber
    copies = Counter(r.message["Message-ID"] for r in inbox.received)
    for key, ids in mailed.items():
        assert len(set(ids)) == 1, f"{key} was put in two different digests"
        assert copies[ids[0]] <= 1 + at_risk[ids[0]], f"{key} mailed again without a crash"


def test_a_daemon_stopped_during_a_check_finishes_it_at_once_when_started_again(
    tmp_path: Path, archive: ArchiveServer, smtp: SmtpSink
) -> None:
    plan = spine_history()
    for planned in plan:
        archive.store.add(planned.spec)
    redline = _redline(tmp_path, "stopped", archive, smtp)
    reached, release = threading.Event(), threading.Event()
    requests = iter(range(1, 100))

    def hold_third(endpoint: str, path: str) -> None:
        if endpoint in ("search", "replay") and next(requests) == 3:
            reached.set()
            release.wait(WAIT)  # then answered: the capture in hand completes

    archive.fault_hook = hold_third
    daemon = redline.start("daemon")
    try:
        assert reached.wait(WAIT), "the check never reached its third request"
        daemon.terminate()
        deadline = time.monotonic() + WAIT
        while "SIGTERM received" not in redline.log.read_text():
            assert time.monotonic() < deadline, "the daemon did not take the signal"
            daemon.join(0.05)
    finally:
        release.set()
        archive.fault_hook = None
    daemon.join(WAIT)
    assert daemon.exitcode == 0
    stored = query(redline.db, "SELECT COUNT(*) FROM captures")[0][0]
    assert 0 < stored < len(plan)
    assert "left for the next start: check:acme" in redline.log.read_text()

    # Its next check was a day away; the stop left it due, so this start finishes it.
    _finish(redline)
    assert query(redline.db, "SELECT COUNT(*) FROM captures")[0][0] == len(plan)
    assert {r.recipients[0] for r in smtp.inbox.received} == set(RECIPIENTS)
