"""`redline diff`, stored comparisons in `log`, and `rediff`."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from scenarios import URL, spine_history

from tracker.archive import ArchiveServer
from tracker.cli import cli
from tracker.clock import ManualClock

Invoke = Callable[..., Result]
OLD = "# Sharing\n\nWe never sell your data.\n\nWe keep data for 30 days.\n"
NEW = "# Sharing\n\nWe may sell your data to advertisers.\n\nWe keep data for 30 days.\n"


@pytest.fixture
def run(tmp_path: Path, db_url: str) -> Invoke:
    config = tmp_path / "config.toml"
    config.write_text("[archive]\nsearch_per_minute = 0\nreplay_per_second = 0\n")

    def invoke(*args: str) -> Result:
        return CliRunner().invoke(
            cli, ["--db", db_url, "--config", str(config), *args], obj={"clock": ManualClock()}
        )

    return invoke


@pytest.fixture
def files(tmp_path: Path) -> tuple[str, str]:
    old, new = tmp_path / "old.md", tmp_path / "new.md"
    old.write_text(OLD)
    new.write_text(NEW)
    return str(old), str(new)


def test_diff_json_of_two_files_follows_the_contract(run: Invoke, files: tuple[str, str]) -> None:
    result = run("diff", *files, "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["schema"] == "redline.diff/1"
    assert sorted(document) == ["changes", "engine", "new", "old", "schema", "summary"]
    assert document["old"]["chars"] == len(OLD) and document["new"]["chars"] == len(NEW)
    [change] = document["changes"]
    assert change["kind"] == "modified"
    assert NEW[change["new"]["start"] : change["new"]["end"]].startswith("We may sell")
    assert "third_party_sharing" in change["categories"]


@pytest.mark.parametrize("fmt", ["text", "markdown", "html", "unified"])
def test_diff_every_format_prints(run: Invoke, files: tuple[str, str], fmt: str) -> None:
    result = run("diff", *files, "--format", fmt)
    assert result.exit_code == 0, result.output
    assert "advertisers" in result.stdout


def test_diff_html_file_is_extracted_first(run: Invoke, tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(
        "<html><body><nav>Menu</nav><h1>Sharing</h1><p>We never sell your data.</p>"
        "<p>We keep data for 30 days.</p></body></html>"
    )
    new = tmp_path / "new.md"
    new.write_text(NEW)
    document = json.loads(run("diff", str(page), str(new), "--format", "json").stdout)
    assert [c["kind"] for c in document["changes"]] == ["modified"]


def test_diff_refs_and_stored_comparisons(run: Invoke, archive: ArchiveServer) -> None:
    for planned in spine_history():
        archive.store.add(planned.spec)
    assert run("add", "acme", URL, "--archive", archive.base_url).exit_code == 0
    assert run("backfill", "acme").exit_code == 0

    log = json.loads(run("log", "acme", "--json").stdout)["versions"]
    assert log[0]["summary"] is None
    assert all(v["summary"] is not None for v in log[1:])
    assert {"headline", "significance", "silent_change"} <= set(log[1]["summary"])

    result = run("diff", "acme@3", "acme@4", "--format", "json")
    assert result.exit_code == 0, result.output
    kinds = [c["kind"] for c in json.loads(result.stdout)["changes"]]
    assert kinds  # 3 → 4: "We never sell" became "We may share … with advertisers"
    assert run("diff", "acme@-1", "acme").exit_code == 0

    recomputed = run("rediff", "acme")
    assert recomputed.exit_code == 0 and "6 comparisons recomputed" in recomputed.stdout
    assert json.loads(run("log", "acme", "--json").stdout)["versions"] == log


def test_diff_unknown_side_is_one_clear_line(run: Invoke, files: tuple[str, str]) -> None:
    result = run("diff", files[0], "nothing-here")
    assert result.exit_code == 1
    assert "neither a file nor a policy" in result.stderr
