"""`redline import`: the seed files become policies whose text `show` returns unchanged."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tracker.cli import cli
from tracker.clock import ManualClock

SEEDS = Path(__file__).parent / "fixtures" / "seeds"
HEADERLESS = "003_f38682d82d884eec.txt"
Invoke = Callable[..., Result]


@pytest.fixture
def run(db_url: str) -> Invoke:
    def invoke(*args: str) -> Result:
        return CliRunner().invoke(cli, ["--db", db_url, *args], obj={"clock": ManualClock()})

    return invoke


def _after_header(path: Path) -> bytes:
    header, blank, text = path.read_bytes().split(b"\n", 2)
    assert header.startswith(b"> *The following text") and blank == b""
    return text


def _import_seeds(run: Invoke) -> None:
    headed = [str(p) for p in sorted(SEEDS.glob("*.txt")) if p.name != HEADERLESS]
    assert run("import", *headed).exit_code == 0
    result = run(
        "import",
        str(SEEDS / HEADERLESS),
        "--policy",
        "plenary",
        "--date",
        "2019-05-01",
        "--url",
        "https://plenary.example/privacy",
    )
    assert result.exit_code == 0, result.output


def test_seed_files_become_four_policies_shown_unchanged(run: Invoke) -> None:
    _import_seeds(run)
    policies = {p["name"]: p for p in json.loads(run("list", "--json").stdout)}
    assert sorted(policies) == ["planetmirror.com", "planetrecruit.com", "plenary", "plus.net"]
    assert (
        policies["planetrecruit.com"]["url"] == "http://www.planetrecruit.com/static.cgi?m=privacy"
    )
    assert policies["plus.net"]["url"] == "https://www.plus.net/help/legal/privacy-policy"
    for path in sorted(SEEDS.glob("*.txt")):
        if path.name == HEADERLESS:
            assert run("show", "plenary").stdout_bytes == path.read_bytes()
            continue
        name = next(n for n in policies if n.encode() in path.read_bytes().split(b"\n")[0])
        assert run("show", name).stdout_bytes == _after_header(path)
    recruit = json.loads(run("log", "planetrecruit.com", "--json").stdout)["versions"]
    assert recruit[0]["first_seen"] == "2006-12-09T09:14:24Z"
    plenary = json.loads(run("log", "plenary", "--json").stdout)["versions"]
    assert plenary[0]["first_seen"] == "2019-05-01T00:00:00Z"


def test_importing_twice_changes_nothing(run: Invoke) -> None:
    _import_seeds(run)
    before = run("log", "plus.net", "--all", "--json").stdout
    again = run("import", *[str(p) for p in SEEDS.glob("00[0-2]_*.txt")])
    assert again.exit_code == 0 and again.stdout.count("(unchanged)") == 3
    assert run("log", "plus.net", "--all", "--json").stdout == before


def test_malformed_header_names_file_and_line_and_imports_nothing_of_it(
    run: Invoke, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text(
        "> *The following text is extracted and transformed from the x privacy "
        "policy that was archived on sometime.*\n\nText.\n"
    )
    good = SEEDS / "001_089174a0654e9667.txt"
    result = run("import", str(bad), str(good))
    assert result.exit_code == 1
    assert f"{bad}:1: malformed corpus header" in result.stderr
    names = [p["name"] for p in json.loads(run("list", "--json").stdout)]
    assert names == ["planetmirror.com"]  # the good file went in, nothing of the bad one


def test_headerless_file_needs_policy_and_date(run: Invoke) -> None:
    result = run("import", str(SEEDS / HEADERLESS))
    assert result.exit_code == 1 and "--policy NAME --date DATE" in result.stderr
    nowhere = run("import", str(SEEDS / HEADERLESS), "--policy", "x", "--date", "2019-02-30")
    assert nowhere.exit_code == 1 and "not a real date" in nowhere.stderr
    unknown = run("import", str(SEEDS / HEADERLESS), "--policy", "x", "--date", "2019-02-03")
    assert unknown.exit_code == 1 and "no policy named 'x'" in unknown.stderr
    assert json.loads(run("list", "--json").stdout) == []


def test_a_late_import_is_put_in_time_order(run: Invoke, tmp_path: Path) -> None:
    seed = SEEDS / "002_9e5fe6361c2e288a.txt"
    header = seed.read_text(encoding="utf-8").partition("\n")[0]
    older = tmp_path / "older.txt"
    older.write_text(header.replace("20160603111352", "20100101000000") + "\n\nOld text.\n")
    shutil.copy(seed, tmp_path / "newer.txt")
    assert run("import", str(tmp_path / "newer.txt")).exit_code == 0
    assert run("import", str(older)).exit_code == 0
    versions = json.loads(run("log", "plus.net", "--json").stdout)["versions"]
    assert [v["first_seen"][:4] for v in versions] == ["2010", "2016"]
    assert run("show", "plus.net@1").stdout == "Old text.\n"
    assert run("show", "plus.net@2").stdout_bytes == _after_header(seed)
