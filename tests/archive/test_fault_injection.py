"""The local archive server's fault mode: specs, queues, bursts, the request log, the CLI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import requests
from click.testing import CliRunner

from tracker.archive import ArchiveServer, CaptureStore, Fault, write_warc
from tracker.archive.faults import FaultPlan, parse_fault
from tracker.cli import cli
from tracker.clock import ManualClock

if TYPE_CHECKING:  # test folders are not packages; conftest is importable only to type checkers
    from conftest import Sample


@pytest.mark.parametrize(
    ("spec", "want"),
    [
        ("503", Fault("status", 1, None, status=503)),
        ("429*3@search", Fault("status", 3, "search", status=429)),
        ("reset@replay", Fault("reset", 1, "replay")),
        (" Bad_Rows*2 ", Fault("bad_rows", 2, None)),
    ],
)
def test_parse_fault(spec: str, want: Fault) -> None:
    assert parse_fault(spec) == want


@pytest.mark.parametrize(
    ("spec", "why"),
    [
        ("boom", "unknown fault kind 'boom'"),
        ("200", "from 400 to 599"),
        ("503*0", "at least 1"),
        ("503@other", "is not KIND"),
        ("503*x", "is not KIND"),
    ],
)
def test_parse_fault_refuses_with_a_reason(spec: str, why: str) -> None:
    with pytest.raises(ValueError, match=why):
        parse_fault(spec)


def test_a_plan_counts_after_and_remaining_per_endpoint() -> None:
    plan = FaultPlan()
    third = plan.add(Fault("reset", 1, "replay", after=2))
    fifth = plan.add(Fault("short", 2, "replay", after=4))
    searches = plan.add(Fault("status", 1, "search", status=503))
    taken = [plan.take("replay") for _ in range(7)]
    assert taken == [None, None, third, None, fifth, fifth, None]
    assert plan.take("search") is searches and plan.take("search") is None
    assert plan.faults == []


def test_the_request_log_is_stamped_on_the_servers_clock(sample: Sample) -> None:
    clock = ManualClock()
    store = CaptureStore()
    store.add(sample.captures[0])
    with ArchiveServer(store, clock=clock) as server:
        server.inject("status", 1, "replay", status=502)
        path = f"{server.base_url}/web/20200101000000id_/{sample.privacy}"
        assert requests.get(path, timeout=5).status_code == 502
        clock.advance(7.5)
        assert requests.get(path, timeout=5).content == sample.v1
        requests.get(f"{server.base_url}/cdx/search/cdx?url=x", timeout=5)
        log = server.requests
        assert [(r.at - log[0].at, r.endpoint, r.answer) for r in log] == [
            (0.0, "replay", "502"),
            (7.5, "replay", "ok"),
            (7.5, "search", "ok"),
        ]
        assert log[0].path == f"/web/20200101000000id_/{sample.privacy}"
        server.reset_counts()
        assert server.requests == [] and server.replay_requests == 0


def test_bad_rows_leaves_the_resume_key_intact(server: ArchiveServer, sample: Sample) -> None:
    server.inject("bad_rows", 1, "search")
    params = {"url": sample.privacy, "output": "json", "limit": "3", "showResumeKey": "true"}
    table = requests.get(f"{server.base_url}/cdx/search/cdx", params=params, timeout=5).json()
    assert len(table) == 6 and table[4] == [] and len(table[5]) == 1  # header, 3 rows, key
    assert len(table[1]) == 3 and len(table[2]) == 7 and table[3][1] == "2020-01-01"


def test_serve_refuses_a_bad_fault_spec_as_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["archive", "serve", str(tmp_path), "--fault", "boom"])
    assert result.exit_code == 2
    assert "unknown fault kind 'boom'; known: status, robots, reset" in result.output


def test_serve_with_faults_misbehaves_then_recovers(tmp_path: Path, sample: Sample) -> None:
    write_warc(tmp_path / "a.warc.gz", sample.captures)
    command = [sys.executable, "-m", "tracker", "archive", "serve", str(tmp_path), "--port", "0"]
    command += ["--fault", "503*2@replay", "--fault", "robots@search"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        base = first.split(" at ")[1].split()[0]
        notes = [process.stdout.readline().strip() for _ in range(2)]
        path = f"{base}/web/20200101000000id_/{sample.privacy}"
        statuses = [requests.get(path, timeout=5).status_code for _ in range(3)]
        search = requests.get(f"{base}/cdx/search/cdx?url={sample.privacy}", timeout=5)
    finally:
        process.terminate()
        process.wait(10)
    assert first.startswith("serving 7 captures from")
    assert notes == [
        "fault: 503 for the next 2 replay requests",
        "fault: robots for the next 1 search requests",
    ]
    assert statuses == [503, 503, 200]
    assert search.status_code == 403 and b"Blocked By Robots" in search.content
