"""`redline daemon` as a real process: archive server, database and SMTP server on 127.0.0.1.

This test runs in real time (the scheduler's clock is the system's); it waits on conditions
with bounded deadlines, never on fixed sleeps.
"""

from __future__ import annotations

import itertools
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from notify.smtp_sink import SmtpSink
from scenarios import PREAMBLE, URL, page, spine_history
from sqlalchemy import func, select, update

from storage import notifications as notification_store
from storage.db import Database
from storage.models import Capture, Change, Notification, Policy, Version
from tracker.archive import ArchiveServer, CaptureSpec
from tracker.clock import SystemClock
from tracker.notify.subscriptions import SubscriptionRequest, subscribe
from tracker.policies import NewPolicy, add_policy

V1 = page("Privacy", [PREAMBLE, "We keep your data for 30 days.", "We never sell your data."])
V2 = page("Privacy", [PREAMBLE, "We keep your data for 90 days.", "We never sell your data."])


@pytest.fixture
def smtp() -> Iterator[SmtpSink]:
    sink = SmtpSink().start()
    yield sink
    sink.stop()


def _wait(what: str, condition: Callable[[], object], deadline: float) -> None:
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def _count(db: Database, query: object) -> int:
    with db.session() as session:
        return session.scalar(query) or 0  # type: ignore[call-overload]


def _config(tmp_path: Path, smtp: SmtpSink) -> Path:
    config = tmp_path / "config.toml"
    config.write_text(
        "[archive]\nsearch_per_minute = 0\nreplay_per_second = 0\n"
        f'[email]\nfrom = "redline@example.org"\nsmtp_host = "127.0.0.1"\n'
        f'smtp_port = {smtp.port}\nsecurity = "none"\n'
    )
    return config


def test_new_capture_becomes_a_version_a_comparison_and_an_email_then_sigterm_stops(
    tmp_path: Path, db: Database, db_url: str, archive: ArchiveServer, smtp: SmtpSink
) -> None:
    start = time.monotonic()
    clock = SystemClock()
    add_policy(db, NewPolicy("acme", URL, archive=archive.base_url), clock)
    with db.session() as session:  # seconds, for the test; `redline add --every` allows ≥ 1h
        session.execute(update(Policy).values(check_every=1))
    subscribe(db, SubscriptionRequest("reader@example.org", cadence="immediate"), clock)
    archive.store.add(CaptureSpec(URL, "20240101000000", V1.encode()))
    log = tmp_path / "daemon.log"
    argv = [
        sys.executable,
        "-m",
        "tracker",
        "--db",
        db_url,
        "--config",
        str(_config(tmp_path, smtp)),
    ]
    with (tmp_path / "stderr.txt").open("wb") as stderr:
        daemon = subprocess.Popen([*argv, "daemon", "--log-file", str(log)], stderr=stderr)
    try:
        _wait("version 1", lambda: _count(db, select(func.count(Version.id))) == 1, start + 8)

        archive.store.add(CaptureSpec(URL, "20240201000000", V2.encode()))
        _wait("the comparison", lambda: _count(db, select(func.count(Change.id))) == 1, start + 11)
        with db.session() as session:  # as the pipeline does once it queues them itself
            change_id = session.scalars(select(Change.id)).one()
            notification_store.queue_notifications(session, change_id, clock.now())
        _wait("the email", lambda: smtp.messages, start + 13)
    finally:
        daemon.send_signal(signal.SIGTERM)
        code = daemon.wait(10)

    assert code == 0, (tmp_path / "stderr.txt").read_text()
    assert smtp.messages[0]["Subject"] == "Privacy policy changes: acme (medium)"
    assert "{+90+}" in smtp.messages[0].get_body(("plain",)).get_content()
    with db.session() as session:  # nothing half-written
        captures = session.scalars(select(Capture)).all()
        assert [(c.timestamp, c.outcome) for c in captures] == [
            ("20240101000000", "new"),
            ("20240201000000", "new"),
        ]
        assert all(c.version_id is not None for c in captures)
        assert session.scalars(select(Notification.state)).all() == ["sent"]
    lines = log.read_text()
    assert "check acme: 1 captures found, 1 fetched, 1 versions made" in lines
    assert "SIGTERM received" in lines and lines.rstrip().endswith("daemon stopped")
    assert "outbox: 1 digests sent (1 notifications)" in lines


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_signal_during_a_check_stops_it_after_the_capture_in_hand(
    tmp_path: Path,
    db: Database,
    db_url: str,
    archive: ArchiveServer,
    smtp: SmtpSink,
    signum: signal.Signals,
) -> None:
    plan = spine_history()
    for planned in plan:
        archive.store.add(planned.spec)
    add_policy(db, NewPolicy("acme", URL, archive=archive.base_url), SystemClock())
    reached, release = threading.Event(), threading.Event()
    replays = itertools.count(1)

    def hold_third(endpoint: str, path: str) -> int | None:
        if endpoint == "replay" and next(replays) == 3:
            reached.set()
            release.wait(10)
        return None  # then answer normally: the capture in hand completes

    archive.fault_hook = hold_third
    log = tmp_path / "daemon.log"
    argv = [
        sys.executable,
        "-m",
        "tracker",
        "--db",
        db_url,
        "--config",
        str(_config(tmp_path, smtp)),
    ]
    daemon = subprocess.Popen([*argv, "daemon", "--log-file", str(log)], stderr=subprocess.DEVNULL)
    try:
        assert reached.wait(10), "the check never reached its third replay"
        daemon.send_signal(signum)
        logged = f"{signum.name} received"
        _wait("the signal to be logged", lambda: logged in log.read_text(), time.monotonic() + 5)
    finally:
        release.set()
        code = daemon.wait(10)
        archive.fault_hook = None

    assert code == 0
    with db.session() as session:
        got = [
            (c.timestamp, c.outcome) for c in session.scalars(select(Capture).order_by(Capture.id))
        ]
    want = [(p.spec.timestamp, p.outcome) for p in plan]
    # A prefix of the history, the held capture included, each one whole.
    assert 0 < len(got) < len(want) and got == want[: len(got)]
    assert archive.replay_requests == 3
    assert "stopped early" in log.read_text()
