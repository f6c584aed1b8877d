"""A backfill killed with SIGKILL halfway and resumed ends with the same database content."""

from __future__ import annotations

import itertools
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

from scenarios import NO_LIMITS, URL, spine_history
from sqlalchemy import create_engine, text

from tracker.archive import ArchiveServer


def _redline(tmp: Path, db: Path, *args: str) -> list[str]:
    config = tmp / "config.toml"
    config.write_text(NO_LIMITS)
    return [
        sys.executable,
        "-m",
        "tracker",
        "--db",
        f"sqlite:///{db}",
        "--config",
        str(config),
        *args,
    ]


def _dump(db: Path) -> dict[str, Any]:
    engine = create_engine(f"sqlite:///{db}")
    queries = {
        "captures": "SELECT c.timestamp, c.original, c.statuscode, c.digest, c.outcome, c.reason,"
        " v.number, s.sha256 FROM captures c LEFT JOIN versions v ON v.id = c.version_id"
        " LEFT JOIN snapshots s ON s.id = c.snapshot_id ORDER BY c.timestamp",
        "versions": "SELECT v.number, v.first_seen, v.last_seen, v.identity, v.words, v.revert_of,"
        " t.sha256 FROM versions v JOIN texts t ON t.id = v.text_id ORDER BY v.number",
        "snapshots": "SELECT sha256, size FROM snapshots ORDER BY sha256",
        "texts": "SELECT sha256, chars FROM texts ORDER BY sha256",
    }
    with engine.connect() as connection:
        dump = {
            name: [tuple(r) for r in connection.execute(text(q))] for name, q in queries.items()
        }
    engine.dispose()
    return dump


def _backfill(tmp: Path, db: Path, base_url: str) -> None:
    subprocess.run(
        _redline(tmp, db, "add", "acme", URL, "--archive", base_url),
        check=True,
        capture_output=True,
    )
    subprocess.run(_redline(tmp, db, "backfill", "acme"), check=True, capture_output=True)


def test_sigkill_halfway_then_resume_equals_an_uninterrupted_run(
    tmp_path: Path, archive: ArchiveServer
) -> None:
    plan = spine_history()
    for planned in plan:
        archive.store.add(planned.spec)
    whole = tmp_path / "whole.db"
    _backfill(tmp_path, whole, archive.base_url)

    # Hold the 5th replay request open, kill the process while it waits for the answer.
    reached, release = threading.Event(), threading.Event()
    replays = itertools.count(1)

    def hold_fifth(endpoint: str, path: str) -> int | None:
        if endpoint == "replay" and next(replays) == 5:
            reached.set()
            release.wait(60)
            return 503
        return None

    archive.fault_hook = hold_fifth
    killed = tmp_path / "killed.db"
    subprocess.run(
        _redline(tmp_path, killed, "add", "acme", URL, "--archive", archive.base_url),
        check=True,
        capture_output=True,
    )
    process = subprocess.Popen(
        _redline(tmp_path, killed, "backfill", "acme"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert reached.wait(60), "the backfill never reached its 5th replay"
        process.kill()
        assert process.wait(30) == -9
    finally:
        release.set()
        archive.fault_hook = None

    partial = _dump(killed)
    assert 0 < len(partial["captures"]) < len(plan)
    subprocess.run(_redline(tmp_path, killed, "backfill", "acme"), check=True, capture_output=True)
    assert _dump(killed) == _dump(whole)
