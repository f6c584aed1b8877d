"""Hostile command-line input: malformed corpus files, bad configuration, unknown names,
impossible dates, databases that are not databases and a read-only data directory.

Every case: exit code 1, exactly one ``error: …`` line and no traceback, and the database
exactly as it was before (compared as an SQL dump).
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tracker.cli import cli
from tracker.clock import ManualClock

Invoke = Callable[..., Result]
HEADER = (
    "> *The following text is extracted and transformed from the {name} privacy policy that was "
    "archived on {date}. Please check the [original snapshot on the Wayback Machine]({url}) for "
    "the most accurate reproduction.*\n\n"
)
SNAPSHOT = "https://web.archive.org/web/{ts}/https://acme.example/privacy"
TEXT = (
    "# Acme privacy policy\n\nThis privacy policy explains how Acme collects, uses and shares "
    "the personal information of its customers, and the choices they have.\n\n{clause}\n"
)


def corpus(name: str = "acme", date: str = "2020-01-02", ts: str = "20200102000000") -> str:
    """The corpus header line (and its blank line) for a capture."""
    return HEADER.format(name=name, date=date, url=SNAPSHOT.format(ts=ts))


def dump(db_url: str) -> list[str]:
    """The whole database as SQL statements, to show that a failed command changed nothing."""
    connection = sqlite3.connect(db_url.removeprefix("sqlite:///"))
    try:
        return list(connection.iterdump())
    finally:
        connection.close()


def one_error_line(result: Result) -> str:
    """The single ``error: …`` line of a failed command (exit 1, nothing else on stderr)."""
    assert result.exit_code == 1, (result.exit_code, result.output)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert "Traceback" not in result.output
    return lines[0]


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "config.toml"
    path.write_text("")
    return path


@pytest.fixture
def run(config: Path, db_url: str) -> Invoke:
    def invoke(*args: str, db: str = db_url, conf: Path = config) -> Result:
        return CliRunner().invoke(
            cli, ["--db", db, "--config", str(conf), *args], obj={"clock": ManualClock()}
        )

    return invoke


@pytest.fixture(scope="module")
def seed_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database holding acme with two versions, built once and copied by each test."""
    folder = tmp_path_factory.mktemp("seed")
    args = ["--db", f"sqlite:///{folder / 'seed.db'}", "--config", str(folder / "config.toml")]
    (folder / "config.toml").write_text("")
    seeds = [("20200102000000", "We keep data."), ("20210102000000", "We sell data.")]
    for n, (ts, clause) in enumerate(seeds):
        path = folder / f"seed{n}.md"
        path.write_text(corpus(date=f"{ts[:4]}-01-02", ts=ts) + TEXT.format(clause=clause))
        assert CliRunner().invoke(cli, [*args, "import", str(path)]).exit_code == 0
    assert not (folder / "seed.db-wal").exists()  # all in the one file, safe to copy
    return folder / "seed.db"


@pytest.fixture
def seeded(run: Invoke, seed_file: Path, db_url: str) -> Iterator[Invoke]:
    """The seeded database for this test; on teardown, checks it is unchanged."""
    shutil.copyfile(seed_file, db_url.removeprefix("sqlite:///"))
    before = dump(db_url)
    yield run
    assert dump(db_url) == before


def write(tmp_path: Path, name: str, data: str | bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return str(path)


CORPUS_CASES = {
    "header with a word for a date": (
        "> *The following text is extracted and transformed from the acme privacy policy that "
        "was archived on yesterday.*\n\ntext",
        "malformed corpus header",
    ),
    "impossible header date": (corpus(date="2023-02-30", ts="20230228000000"), "not a real date"),
    "impossible snapshot time": (corpus(ts="20231399000000"), "is not a real time"),
    "snapshot URL without /web/": (
        HEADER.format(name="acme", date="2020-01-02", url="https://acme.example/p"),
        "has no /web/TIMESTAMP/URL part",
    ),
    "binary file": (bytes(range(256)) * 4, "not UTF-8 text"),
    "empty file": (b"", "no corpus header"),
}


@pytest.mark.parametrize("case", CORPUS_CASES)
def test_malformed_corpus_file_is_one_error_and_imports_nothing(
    seeded: Invoke, tmp_path: Path, case: str
) -> None:
    data, needle = CORPUS_CASES[case]
    payload = data + TEXT.format(clause="New.") if isinstance(data, str) else data
    path = write(tmp_path, "bad.md", payload)
    line = one_error_line(seeded("import", path))
    assert needle in line and path in line, line


def test_a_bad_file_among_good_ones_spoils_only_itself(
    run: Invoke, tmp_path: Path, db_url: str
) -> None:
    good = write(tmp_path, "good.md", corpus() + TEXT.format(clause="We keep data."))
    bad = write(tmp_path, "bad.md", corpus(ts="20201301000000") + "text")
    result = run("import", bad, good)
    assert "not a real time" in one_error_line(result)
    assert "acme v1 (new)" in result.stdout
    assert len(json.loads(run("log", "acme", "--json").stdout)["versions"]) == 1


CONFIG_CASES = {
    "not TOML": ("[archive\nurl = 1", "not valid TOML"),
    "duplicate key": ("database = 'a'\ndatabase = 'b'\n", "not valid TOML"),
    "wrong type": ("[email]\nsmtp_port = 'abc'\n", "email.smtp_port must be an integer"),
    "table expected": ("archive = 3\n", "[archive] must be a table"),
    "unknown key": ("[archive]\nspeed = 3\n", "unknown key archive.speed"),
    "unknown section": ("[archiv]\nurl = 'https://x.org'\n", "unknown key archiv"),
    "port out of range": ("[email]\nsmtp_port = 70000\n", "smtp_port must be a port number"),
    "rate not a number": ("[archive]\nsearch_per_minute = nan\n", "must be a number ≥ 0"),
    "page cap of zero": ("[archive]\nmax_page_mb = 0\n", "max_page_mb must be a number"),
    "impossible time": ("[digest]\ndaily_at = '25:99'\n", "daily_at must be a time"),
    "negative words": ("[quality]\nmin_words = -1\n", "cannot be negative"),
    "archive without host": ("[archive]\nurl = 'http://'\n", "needs a host"),
}


@pytest.mark.parametrize("case", CONFIG_CASES)
def test_bad_config_file_is_one_error_naming_the_file(
    seeded: Invoke, tmp_path: Path, case: str
) -> None:
    text, needle = CONFIG_CASES[case]
    path = Path(write(tmp_path, "bad.toml", text))
    line = one_error_line(seeded("list", conf=path))
    assert needle in line and str(path) in line, line


def test_config_that_is_not_utf8_or_not_a_file(seeded: Invoke, tmp_path: Path) -> None:
    latin1 = Path(
        write(tmp_path, "latin1.toml", "[email]\nusername = 'jos\u00e9'\n".encode("cp1252"))
    )
    assert "is not UTF-8 text" in one_error_line(seeded("list", conf=latin1))
    assert "is not a file" in one_error_line(seeded("list", conf=tmp_path))


@pytest.mark.parametrize(
    "args",
    [
        ("show", "nope"),
        ("show", "nope@1"),
        ("diff", "nope@1", "acme@1"),
        ("diff", "acme@1", "nope@2"),
        ("log", "nope"),
        ("backfill", "nope"),
        ("check", "acme", "nope"),
        ("remove", "nope", "--yes"),
        ("reextract", "nope"),
        ("export", "nope"),
    ],
    ids=" ".join,
)
def test_unknown_policy_name_is_one_error(seeded: Invoke, args: tuple[str, ...]) -> None:
    assert "no policy named 'nope'" in one_error_line(seeded(*args))


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("backfill", "--since", "2023-02-30"), "'2023-02-30' is not a real date"),
        (("backfill", "--until", "2023-13-01"), "'2023-13-01' is not a real date"),
        (("backfill", "--since", "0000-01-01"), "is not a real date"),
        (("show", "acme@2023-13-01"), "acme@2023-13-01: not a real date"),
        (("show", "acme@2023-02-30"), "acme@2023-02-30: not a real date"),
        (("diff", "acme@2023-02-29", "acme@1"), "not a real date"),
        (("show", "acme@\u00b2"), "not a version reference"),  # isdigit() but not a number
        (("show", "acme@\u0661"), "not a version reference"),  # an Arabic-Indic digit one
        (("import", "x.md", "--policy", "acme", "--date", "2023-02-30"), "not a real date"),
    ],
    ids=lambda v: " ".join(v) if isinstance(v, tuple) else "",
)
def test_impossible_dates_and_references(
    seeded: Invoke, tmp_path: Path, args: tuple[str, ...], needle: str
) -> None:
    if args[0] == "import":
        args = ("import", write(tmp_path, "x.md", "Some text."), *args[2:])
    assert needle in one_error_line(seeded(*args))


def test_terminal_escapes_in_an_argument_are_shown_not_obeyed(seeded: Invoke) -> None:
    line = one_error_line(seeded("show", "acme@\x1b]0;owned\x07\x1b[2J"))
    assert "\x1b" not in line and "\x07" not in line
    assert "\\x1b]0;owned\\x07\\x1b[2J" in line


NOT_DATABASES = {
    "random bytes": (os.urandom(8192), "file is not a database"),
    "damaged SQLite file": (b"SQLite format 3\x00" + b"\xff" * 8176, "cannot open database"),
    "text file": (b"this is not a database\n" * 100, "file is not a database"),
}


@pytest.mark.parametrize("case", NOT_DATABASES)
def test_database_file_that_is_not_a_database(run: Invoke, tmp_path: Path, case: str) -> None:
    data, needle = NOT_DATABASES[case]
    path = tmp_path / "junk.db"
    path.write_bytes(data)
    for command in (("list",), ("add", "x", "https://x.example/p")):
        assert needle in one_error_line(run(*command, db=f"sqlite:///{path}"))
    assert path.read_bytes() == data  # not "repaired", not migrated over
    assert sorted(p.name for p in tmp_path.iterdir()) == ["config.toml", "junk.db"]


def test_directory_in_place_of_the_database_file(run: Invoke, tmp_path: Path) -> None:
    (tmp_path / "redline.db").mkdir()
    assert "unable to open database file" in one_error_line(run("list"))


def test_sqlite_file_of_another_program_is_refused_untouched(run: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE notes (body TEXT)")
    connection.commit()
    connection.close()
    before = dump(f"sqlite:///{path}")
    result = run("list", db=f"sqlite:///{path}")
    assert dump(f"sqlite:///{path}") == before
    assert "not a Redline database" in one_error_line(result)


def test_database_from_a_newer_redline_is_one_error(run: Invoke, db_url: str) -> None:
    assert run("add", "acme", "https://acme.example/p").exit_code == 0
    connection = sqlite3.connect(db_url.removeprefix("sqlite:///"))
    connection.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    connection.commit()
    connection.close()
    before = dump(db_url)
    assert "newer" in one_error_line(run("list"))
    assert dump(db_url) == before


def as_nobody(invoke: Callable[[], Result]) -> dict[str, object]:
    """Run ``invoke`` in a child process without root's right to write anywhere.

    Tests run as root, for whom chmod changes nothing; a forked child that gives up root
    (setuid to nobody) meets the permissions the kernel really enforces.
    """
    read, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(read)
        try:
            if os.geteuid() == 0:
                os.setgid(65534)
                os.setuid(65534)
            result = invoke()
            report = {"code": result.exit_code, "out": result.stdout, "err": result.stderr}
            unexpected = not isinstance(result.exception, SystemExit | None)
            report["exception"] = repr(result.exception) if unexpected else None
        except BaseException as exc:  # report it to the parent, whatever it is
            report = {"code": -1, "out": "", "err": "", "exception": repr(exc)}
        os.write(write_end, json.dumps(report).encode())
        os._exit(0)
    os.close(write_end)
    data = b""
    while chunk := os.read(read, 65536):
        data += chunk
    os.close(read)
    os.waitpid(pid, 0)
    return json.loads(data)


@pytest.fixture
def read_only_folder() -> Iterator[Path]:
    """A folder nobody but root may write (under /tmp: tmp_path's parents are root-only)."""
    folder = Path(tempfile.mkdtemp(prefix="redline-ro-"))
    folder.chmod(0o755)
    yield folder
    folder.chmod(0o755)
    for path in folder.iterdir():
        path.unlink()
    folder.rmdir()


def test_read_only_data_directory(read_only_folder: Path) -> None:
    url = f"sqlite:///{read_only_folder / 'redline.db'}"
    config = read_only_folder / "config.toml"
    config.write_text("")

    def redline(*args: str) -> Result:
        argv = ["--db", url, "--config", str(config), *args]
        return CliRunner().invoke(cli, argv, obj={"clock": ManualClock()})

    assert redline("add", "a", "https://a.example/p").exit_code == 0
    before = dump(url)
    (read_only_folder / "redline.db").chmod(0o444)
    read_only_folder.chmod(0o555)
    for args in (["list"], ["add", "b", "https://b.example/p"], ["remove", "a", "--yes"]):
        report = as_nobody(lambda args=args: redline(*args))
        assert report["exception"] is None and report["code"] == 1, report
        lines = str(report["err"]).strip().splitlines()
        assert len(lines) == 1 and "readonly database" in lines[0], report
    assert dump(url) == before
    assert sorted(p.name for p in read_only_folder.iterdir()) == ["config.toml", "redline.db"]


def test_read_only_database_by_sqlite_uri(
    seeded: Invoke, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # where a stray relative "file:" folder would appear
    read_only = f"sqlite:///file:{db_url.removeprefix('sqlite:///')}?mode=ro&uri=true"
    assert seeded("list", db=read_only).exit_code == 0
    assert "readonly database" in one_error_line(
        seeded("add", "b", "https://b.example/p", db=read_only)
    )
    assert not (tmp_path / "file:").exists()
