"""The command line: JSON shapes, exact text, and one clear line for every user mistake."""

from __future__ import annotations

import json
import socket
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from scenarios import URL, spine_history

from tracker.archive import ArchiveServer
from tracker.cli import cli

Invoke = Callable[..., Result]


def _one_error_line(result: Result) -> str:
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    return lines[0]


@pytest.fixture
def backfilled(run: Invoke, archive: ArchiveServer) -> Invoke:
    for planned in spine_history():
        archive.store.add(planned.spec)
    assert run("add", "acme", URL, "--archive", archive.base_url).exit_code == 0
    result = run("backfill", "acme")
    assert result.exit_code == 0, result.output
    return run


def test_backfill_prints_a_summary(backfilled: Invoke) -> None:
    result = backfilled("list")
    assert "acme" in result.stdout and result.exit_code == 0


def test_list_json_shape(backfilled: Invoke, archive: ArchiveServer) -> None:
    rows = json.loads(backfilled("list", "--json").stdout)
    assert [sorted(r) for r in rows] == [
        sorted(
            [
                "name",
                "url",
                "archive",
                "versions",
                "captures",
                "last_change",
                "last_checked",
                "last_error",
            ]
        )
    ]
    assert rows[0]["archive"] == archive.base_url
    assert (rows[0]["versions"], rows[0]["captures"]) == (7, len(spine_history()))
    assert rows[0]["last_change"] == "2010-01-01T00:00:00Z"


def test_log_json_shape_with_captures(backfilled: Invoke) -> None:
    document = json.loads(backfilled("log", "acme", "--all", "--json").stdout)
    assert document["policy"]["name"] == "acme"
    first = document["versions"][0]
    assert sorted(first) == sorted(
        [
            "number",
            "first_seen",
            "last_seen",
            "captures",
            "words",
            "sha256",
            "stated_date",
            "technical",
            "revert_of",
            "summary",
        ]
    )
    assert [v["revert_of"] for v in document["versions"]][4:6] == [3, 4]
    assert sorted(document["captures"][0]) == ["digest", "outcome", "reason", "status", "timestamp"]
    rejected = [c for c in document["captures"] if c["outcome"] == "rejected"]
    assert {c["reason"] for c in rejected} >= {"archived with HTTP status 404"}


def test_show_prints_the_text_exactly_and_resolves_refs(backfilled: Invoke) -> None:
    latest = backfilled("show", "acme").stdout_bytes
    assert latest == backfilled("show", "acme@7").stdout_bytes
    assert latest == backfilled("show", "acme@latest").stdout_bytes
    assert backfilled("show", "acme@-1").stdout_bytes == backfilled("show", "acme@6").stdout_bytes
    assert (
        backfilled("show", "acme@2003-12-31").stdout_bytes
        == backfilled("show", "acme@3").stdout_bytes
    )
    wrapped = json.loads(backfilled("show", "acme@1", "--json").stdout)
    assert wrapped["number"] == 1 and "\u201cPrivacy\u201d" in wrapped["text"]


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("add", "x", "ftp://example.com/p"), "http"),
        (("add", "x", "not a url"), "http"),
        (("add", "x", "https://"), "host"),
        (("add", "bad name!", "https://example.com/p"), "policy name"),
        (("add", "x", "https://example.com/p", "--every", "soon"), "duration"),
        (("add", "x", "https://example.com/p", "--archive", "file:///tmp"), "archive URL"),
        (("log", "nobody"), "no policy named 'nobody'"),
        (("show", "nobody@1"), "no policy named"),
        (("backfill", "nobody"), "no policy named"),
        (("backfill", "--since", "2019-13-01"), "not a real date"),
    ],
)
def test_user_mistakes_get_one_clear_line(run: Invoke, args: tuple[str, ...], needle: str) -> None:
    assert needle in _one_error_line(run(*args))


def test_duplicate_name_and_bad_refs(backfilled: Invoke) -> None:
    assert "already exists" in _one_error_line(backfilled("add", "acme", "https://e.com/p"))
    assert "no such version" in _one_error_line(backfilled("show", "acme@99"))
    assert "not a version reference" in _one_error_line(backfilled("show", "acme@soon"))
    assert "first version was seen" in _one_error_line(backfilled("show", "acme@1999-01-01"))


def test_unreachable_archive_is_one_line_and_exit_1(run: Invoke) -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    assert run("add", "acme", URL, "--archive", f"http://127.0.0.1:{port}").exit_code == 0
    result = run("backfill", "acme")
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "unreachable" in errors[0], result.stderr
    assert "Traceback" not in result.output
    assert "unreachable" in json.loads(run("list", "--json").stdout)[0]["last_error"]


def test_database_that_cannot_be_opened(tmp_path: Path) -> None:
    not_a_db = tmp_path / "junk.db"
    not_a_db.write_bytes(b"this is not a database" * 100)
    for url in (f"sqlite:///{not_a_db}", "nosuchdriver://x/y", "::::"):
        result = CliRunner().invoke(cli, ["--db", url, "list"])
        assert (
            "cannot open database" in _one_error_line(result)
            or "not a database URL" in result.stderr
        )
    assert not_a_db.read_bytes() == b"this is not a database" * 100  # untouched


def test_bad_config_file(tmp_path: Path, db_url: str) -> None:
    config = tmp_path / "bad.toml"
    config.write_text("[archive]\nspeed = 3\n")
    result = CliRunner().invoke(cli, ["--db", db_url, "--config", str(config), "list"])
    assert "unknown key archive.speed" in _one_error_line(result)
    missing = CliRunner().invoke(cli, ["--db", db_url, "--config", str(tmp_path / "no"), "list"])
    assert "does not exist" in _one_error_line(missing)


def test_usage_error_exits_2(run: Invoke) -> None:
    assert run("add", "only-a-name").exit_code == 2
    assert run("frobnicate").exit_code == 2


def test_remove_deletes_the_history(backfilled: Invoke) -> None:
    assert backfilled("remove", "acme", "--yes").exit_code == 0
    assert json.loads(backfilled("list", "--json").stdout) == []


def test_check_after_backfill_costs_one_search_and_no_replay(
    backfilled: Invoke, archive: ArchiveServer
) -> None:
    archive.reset_counts()
    for command in ("check", "backfill"):
        result = backfilled(command, "acme")
        assert result.exit_code == 0
        assert "acme: 0 new captures, 0 fetched, 0 new versions" in result.stdout
    assert (archive.search_requests, archive.replay_requests) == (2, 0)


def test_log_all_lists_captures_and_rules(backfilled: Invoke) -> None:
    text = backfilled("log", "acme", "--all").stdout
    assert "rules since " in text and "(default extraction)" in text
    assert "archived with HTTP status 404" in text
