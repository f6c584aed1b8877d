"""`redline demo`: the shipped archive, its captures' fates, and the command end to end."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from tracker.cli import cli
from tracker.cli_support import AppContext
from tracker.commands.demo import _open_tui
from tracker.demo.build import DATA, build
from tracker.demo.captures import POLICIES, SOFT_404, DemoPolicy, captures
from tracker.extract import assess, extract

KINDS = ("added", "removed", "modified", "moved", "cosmetic")
# A line of the demo's change list: "      modified ×2  high   third_party_sharing, …".
CHANGE_LINE = re.compile(r"^ {6}(\w+) +×(\d+) +(\w+) +(.*)$", re.MULTILINE)


def _clean_env(home: Path) -> dict[str, str]:
    """The environment with a fresh home, so no file of the user's is read or written."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("REDLINE_")}
    for var, sub in (
        ("HOME", ""),
        ("XDG_CONFIG_HOME", ".config"),
        ("XDG_DATA_HOME", ".local/share"),
        ("XDG_CACHE_HOME", ".cache"),
        ("XDG_STATE_HOME", ".local/state"),
    ):
        env[var] = str(home / sub)
    env["TMPDIR"] = str(home.parent / "tmp")
    (home.parent / "tmp").mkdir()
    env["COLUMNS"] = "200"
    return env


def _versions(out: str) -> list[list[tuple[str, str, str, str]]]:
    """The change list's groups, version by version: (kind, level, categories, flags)."""
    listing = out[out.index("Every stored change") :]
    versions: list[list[tuple[str, str, str, str]]] = []
    for line in listing.splitlines()[1:]:
        if re.match(r"^  v\d+ ", line):
            versions.append([])
        elif match := CHANGE_LINE.match(line):
            kind, _, level, rest = match.groups()
            categories, _, flags = rest.partition("  flags: ")
            versions[-1].append((kind, level, categories.strip(), flags.strip()))
    return versions


def test_demo_runs_to_the_end_and_shows_every_kind_of_change(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    env = _clean_env(home)
    done = subprocess.run(
        [sys.executable, "-m", "tracker", "demo", "--no-tui"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    groups = CHANGE_LINE.findall(out)
    assert {kind for kind, *_ in groups} >= set(KINDS), out
    assert any(
        level == "high" and "third_party_sharing" in rest.split("flags:")[0]
        for _, _, level, rest in groups
    ), out
    versions = _versions(out)
    # The 2016 redesign: only cosmetic changes. The 2009 update: only the stated date.
    assert [("cosmetic", "none", "")] in [[(k, lv, f) for k, lv, _, f in g] for g in versions]
    assert [("cosmetic", "none", "last_updated")] in [
        [(k, lv, f) for k, lv, _, f in g] for g in versions
    ]
    assert "new_party" in out and "negation" in out and "quantity" in out
    assert 'rejected capture of 2008-03-05: looks like an error page ("page not found")' in out
    assert "[silent change" in out
    # The temporary database is gone and nothing was written under the fresh home.
    assert list((tmp_path / "tmp").iterdir()) == []
    assert [p for p in home.rglob("*") if p.is_file()] == []


def test_shipped_archives_are_what_the_build_writes(tmp_path: Path) -> None:
    for path in build(tmp_path):
        shipped = DATA / path.name
        assert shipped.is_file(), f"{shipped} is missing: run `python -m tracker.demo.build`"
        assert shipped.read_bytes() == path.read_bytes(), (
            f"{shipped} is out of date: run `python -m tracker.demo.build`"
        )


@pytest.mark.parametrize("policy", POLICIES, ids=lambda p: p.name)
def test_every_capture_passes_the_quality_gate_but_the_soft_404(policy: DemoPolicy) -> None:
    for row, spec in zip(policy.rows, captures(policy), strict=True):
        extracted = extract(spec.body, spec.content_type)
        reason = assess(extracted.text, title=extracted.title, html=extracted.html)
        if row.version == SOFT_404:
            assert reason and "error page" in reason
        else:
            assert reason is None, (spec.timestamp, reason)
            assert "Last updated" in extracted.text


def test_the_2001_page_is_cp1252_declared_as_latin1() -> None:
    first = captures(POLICIES[0])[0]
    assert first.content_type == "text/html; charset=iso-8859-1"
    assert b"\x96" in first.body  # an en dash: cp1252, not Latin-1
    assert "adults – we" in extract(first.body, first.content_type).text


def test_demo_keeps_a_named_database_and_refuses_to_run_twice(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'demo.db'}"
    config = tmp_path / "config.toml"
    config.write_text("")
    run = CliRunner().invoke
    first = run(cli, ["--config", str(config), "--db", db, "demo", "--no-tui"])
    assert first.exit_code == 0, first.output
    assert f"redline --db {db} tui northwind" in first.stdout
    listed = run(cli, ["--config", str(config), "--db", db, "list"])
    assert "northwind" in listed.stdout and "lanternbay" in listed.stdout
    again = run(cli, ["--config", str(config), "--db", db, "demo", "--no-tui"])
    assert again.exit_code == 1
    assert again.stderr.strip().startswith("error: this database already has a policy named")


def test_the_tui_opens_on_the_demo_database_through_the_group(tmp_path: Path) -> None:
    seen: list[tuple[str | None, str]] = []

    @click.group()
    def root() -> None:
        """A stand-in for the redline group."""

    @root.command(name="tui")
    @click.argument("name")
    @click.pass_obj
    def fake_tui(app: AppContext, name: str) -> None:
        seen.append((app.db_url, name))

    demo_app = AppContext(None, "sqlite:///demo.db")
    with click.Context(root, info_name="redline", obj=AppContext(None, None)) as ctx:
        sub = click.Context(root, info_name="demo", parent=ctx)
        assert _open_tui(sub, demo_app)
    assert seen == [("sqlite:///demo.db", "northwind")]
