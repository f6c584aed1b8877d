"""Security properties, each shown at every entry point it concerns.

- Only http(s) URLs are tracked, and only http(s) archives asked.
- Secrets come only from the environment; a config file holding one is refused, with a
  warning when other users can read it.
- No shell is ever started (checked in the source with ``ast``).
- Every SQL statement goes through SQLAlchemy (checked in the source with ``ast``).
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from notify.smtp_sink import Inbox, _Controller
from scenarios import URL, spine_history

from storage import policies as policy_store
from storage.db import Database
from tracker.archive import ArchiveClient, ArchiveServer
from tracker.cli import cli
from tracker.clock import ManualClock
from tracker.config import EmailSettings, fields, load_settings
from tracker.errors import ArchiveError, ConfigError
from tracker.notify.smtp import DeliveryError, SmtpMailer, password_from_env
from tui.screens.add_policy import CHECKS

REPO = Path(__file__).resolve().parents[2]
SOURCES = ("tracker", "storage", "tui")
BAD_URLS = (
    "file:///etc/passwd",
    "ftp://example.com/privacy",
    "javascript:alert(1)",
    "data:text/html,<p>policy</p>",
    "gopher://example.com/",
    "ws://example.com/",
    "//example.com/privacy",
    "http://",
    "example.com/privacy",
)


def invoke(
    tmp_path: Path, db_url: str, *args: str, config: str = "", env: dict | None = None
) -> Result:
    path = tmp_path / "config.toml"
    if not path.exists():
        path.write_text(config)
    return CliRunner().invoke(
        cli, ["--db", db_url, "--config", str(path), *args], obj={"clock": ManualClock()}, env=env
    )


def one_error_line(result: Result) -> str:
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    return lines[0]


# -- http(s) only --------------------------------------------------------------------------


@pytest.mark.parametrize("url", BAD_URLS)
def test_add_tracks_only_http_urls_and_asks_only_http_archives(
    tmp_path: Path, db_url: str, url: str
) -> None:
    as_policy = invoke(tmp_path, db_url, "add", "x", url)
    assert "policy URL" in one_error_line(as_policy)
    as_archive = invoke(tmp_path, db_url, "add", "x", "https://x.example/p", "--archive", url)
    assert "archive URL" in one_error_line(as_archive)
    assert invoke(tmp_path, db_url, "list", "--json").stdout.strip() == "[]"


@pytest.mark.parametrize("url", BAD_URLS)
def test_config_file_and_environment_accept_only_http_archives(
    tmp_path: Path, db_url: str, url: str
) -> None:
    text = f"[archive]\nurl = {url!r}\n".replace("'", '"')
    assert "archive.url" in one_error_line(invoke(tmp_path, db_url, "list", config=text))
    # The environment names the config file (REDLINE_CONFIG); the same check applies.
    settings_file = tmp_path / "env.toml"
    settings_file.write_text(text)
    with pytest.raises(ConfigError, match=r"archive\.url"):
        load_settings(env={"REDLINE_CONFIG": str(settings_file)})


@pytest.mark.parametrize("url", BAD_URLS)
def test_the_tui_form_and_the_archive_client_refuse_other_schemes(url: str) -> None:
    for field in ("url", "archive"):
        with pytest.raises(ConfigError):
            CHECKS[field](url)
    with pytest.raises(ArchiveError, match="must be http"):
        ArchiveClient(url)


@pytest.mark.parametrize(
    ("snapshot", "needle"),
    [
        ("ftp://web.archive.org/web/20200101000000/https://a.example/p", "no /web/TIMESTAMP"),
        ("https://web.archive.org/web/20200101000000/file:///etc/passwd", "must start with http"),
        ("https://web.archive.org/web/20200101000000/gopher://a.example/", "must start with http"),
    ],
)
def test_imported_corpus_headers_accept_only_http(
    tmp_path: Path, db_url: str, snapshot: str, needle: str
) -> None:
    header = (
        "> *The following text is extracted and transformed from the acme privacy policy that "
        "was archived on 2020-01-01. Please check the [original snapshot on the Wayback "
        f"Machine]({snapshot}) for the most accurate reproduction.*\n\nText.\n"
    )
    path = tmp_path / "a.md"
    path.write_text(header)
    assert needle in one_error_line(invoke(tmp_path, db_url, "import", str(path)))
    headerless = tmp_path / "b.md"
    headerless.write_text("Text.\n")
    args = ("import", str(headerless), "--policy", "b", "--date", "2020-01-01", "--url")
    assert "--url" in one_error_line(invoke(tmp_path, db_url, *args, "file:///etc/passwd"))


def test_a_stored_non_http_archive_is_never_asked(
    tmp_path: Path, db_url: str, db: Database, clock: ManualClock
) -> None:
    # A row written around the validation (an old database, a hand edit): the check refuses.
    with db.session() as session:
        policy_store.add_policy(
            session,
            name="acme",
            url="https://a.example/p",
            now=clock.now(),
            archive_url="file:///etc",
        )
    line = one_error_line(invoke(tmp_path, db_url, "backfill", "acme"))
    assert "archive URL must be http" in line


def test_a_stored_non_http_archive_spoils_only_its_own_policy(
    tmp_path: Path, db_url: str, db: Database, clock: ManualClock, archive: ArchiveServer
) -> None:
    for planned in spine_history():
        archive.store.add(planned.spec)
    with db.session() as session:
        policy_store.add_policy(
            session, name="bad", url="https://b.example/p", now=clock.now(), archive_url="file:///"
        )
        policy_store.add_policy(
            session, name="good", url=URL, now=clock.now(), archive_url=archive.base_url
        )
    result = invoke(tmp_path, db_url, "backfill")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "archive URL must be http" in result.stderr
    with db.session() as session:
        bad, good = (policy_store.get_policy(session, name) for name in ("bad", "good"))
        assert bad.last_error is not None and "archive URL must be http" in bad.last_error
        assert good.last_error is None and good.last_checked_at is not None
    assert archive.search_requests == 1 and archive.replay_requests > 0


# -- secrets -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        '[email]\npassword = "hunter2-secret"\n',
        '[email]\nsmtp_password = "hunter2-secret"\n',
        'smtp_password = "hunter2-secret"\n',
        '[archive]\napi_token = "hunter2-secret"\n',
    ],
)
def test_a_secret_in_the_config_file_is_refused(tmp_path: Path, db_url: str, text: str) -> None:
    config = tmp_path / "config.toml"
    config.write_text(text)
    config.chmod(0o600)
    line = one_error_line(invoke(tmp_path, db_url, "list"))
    assert "Redline reads secrets only from the environment" in line
    assert "REDLINE_SMTP_PASSWORD" in line and "readable by other users" not in line
    assert "hunter2" not in line  # the message never repeats the secret


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604])
def test_a_secret_in_a_file_others_can_read_gets_a_chmod_warning(
    tmp_path: Path, db_url: str, mode: int
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[email]\npassword = "hunter2-secret"\n')
    config.chmod(mode)
    line = one_error_line(invoke(tmp_path, db_url, "list"))
    assert f"readable by other users, mode {mode:04o}" in line
    assert f"chmod 600 {config}" in line and "hunter2" not in line


def test_a_database_password_belongs_in_the_environment(tmp_path: Path) -> None:
    url = "postgresql://redline:hunter2-secret@db.example/redline"
    config = tmp_path / "config.toml"
    config.write_text(f'database = "{url}"\n')
    config.chmod(0o600)
    with pytest.raises(ConfigError, match="set REDLINE_DATABASE_URL instead") as refused:
        load_settings(str(config), env={})
    assert "hunter2" not in str(refused.value)
    plain = tmp_path / "plain.toml"
    plain.write_text('database = "sqlite:////tmp/redline.db"\n')
    assert load_settings(str(plain), env={"REDLINE_DATABASE_URL": url}).database == url


def test_the_smtp_password_comes_only_from_the_environment() -> None:
    assert not [f.name for f in fields(EmailSettings) if "pass" in f.name]
    assert password_from_env({"REDLINE_SMTP_PASSWORD": "s3cret"}) == "s3cret"
    assert password_from_env({"SMTP_PASSWORD": "s3cret", "PASSWORD": "x"}) is None


@pytest.fixture
def auth_smtp() -> Iterator[int]:
    """An SMTP server on 127.0.0.1 that offers AUTH (without TLS) and refuses every login."""

    def refuse(*_: object) -> object:
        from aiosmtpd.smtp import AuthResult

        return AuthResult(success=False, handled=False)

    controller = _Controller(
        Inbox(), hostname="127.0.0.1", port=0, authenticator=refuse, auth_require_tls=False
    )
    controller.start()
    yield controller.port
    controller.stop()


def test_a_failed_login_never_shows_the_password(auth_smtp: int) -> None:
    email = EmailSettings(
        smtp_host="127.0.0.1", smtp_port=auth_smtp, security="none", username="redline"
    )
    mailer = SmtpMailer(email, "hunter2-secret", timeout=5)
    from email.message import EmailMessage

    with pytest.raises(DeliveryError) as failed:
        mailer.send(EmailMessage(), "reader@example.org")
    assert "login" in str(failed.value) and "REDLINE_SMTP_PASSWORD" in str(failed.value)
    assert "hunter2" not in str(failed.value) and "hunter2" not in repr(mailer)
    mailer.close()


# -- no shell ------------------------------------------------------------------------------

SHELL_CALLS = frozenset(
    {
        "os.system",
        "os.popen",
        "subprocess.getoutput",
        "subprocess.getstatusoutput",
        "asyncio.create_subprocess_shell",
        "pty.spawn",
        "commands.getoutput",
    }
)


def dotted(node: ast.expr) -> str:
    """``a.b.c`` for a Name/Attribute chain, else ''."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = dotted(node.value)
        return f"{base}.{node.attr}" if base else ""
    return ""


def shell_uses(tree: ast.AST) -> list[str]:
    """Every place a shell could be started: shell=True, os.system, os.popen…"""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module in ("os", "subprocess", "asyncio"):
            names = {f"{node.module}.{alias.name}" for alias in node.names}
            found += [f"line {node.lineno}: imports {n}" for n in sorted(names & SHELL_CALLS)]
        if not isinstance(node, ast.Call):
            continue
        name = dotted(node.func)
        if name in SHELL_CALLS:
            found.append(f"line {node.lineno}: {name}()")
        for keyword in node.keywords:
            literal_false = isinstance(keyword.value, ast.Constant) and keyword.value.value is False
            if keyword.arg == "shell" and not literal_false:
                found.append(f"line {node.lineno}: {name or 'call'}(shell=…)")
    return found


@functools.cache
def sources() -> tuple[tuple[str, ast.AST], ...]:
    """Every module of the product, parsed once for all the scans."""
    files = [path for root in SOURCES for path in sorted((REPO / root).rglob("*.py"))]
    assert len(files) > 50, files  # the scan really covers the code
    return tuple(
        (path.relative_to(REPO).as_posix(), ast.parse(path.read_text(), str(path)))
        for path in files
    )


def test_no_shell_is_ever_started() -> None:
    found = [f"{name}: {use}" for name, tree in sources() for use in shell_uses(tree)]
    assert found == []


def test_the_shell_scan_finds_what_it_looks_for() -> None:
    bad = (
        "import os, subprocess\nfrom os import system\nos.system('ls ' + x)\nos.popen(x)\n"
        "subprocess.run(x, shell=True)\nsubprocess.Popen(x, shell=flag)\n"
        "subprocess.run(['ls'], shell=False)\n"
    )
    assert len(shell_uses(ast.parse(bad))) == 5


# -- SQL through SQLAlchemy ----------------------------------------------------------------

EXECUTE = frozenset({"execute", "executemany", "executescript", "exec_driver_sql"})
DRIVERS = frozenset({"sqlite3", "apsw", "psycopg", "psycopg2", "pymysql", "MySQLdb"})
# The only raw SQL: SQLite settings applied to each new DBAPI connection and the explicit
# transaction starts (SQLAlchemy's own recipes for SQLite), all constant text. Exact source
# text, so any change to them is looked at again.
ALLOWED_SQL = {
    ("storage/db.py", "f'PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}'"),
    ("storage/db.py", "'PRAGMA foreign_keys = ON'"),
    ("storage/db.py", "'PRAGMA journal_mode = WAL'"),
    ("storage/db.py", "'PRAGMA synchronous = NORMAL'"),
    ("storage/db.py", "'BEGIN'"),
    ("storage/db.py", "'BEGIN IMMEDIATE'"),
}
# storage/db.py imports sqlite3 to name the connection type its connect hook receives.
ALLOWED_DRIVER_IMPORTS = {("storage/db.py", "sqlite3")}


def sql_problems(name: str, tree: ast.AST) -> list[str]:
    """Direct driver use, and SQL text that is built or not allowed, in one module."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            single = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            modules = single or [alias.name for alias in node.names]
            for module in modules:
                if module.split(".")[0] in DRIVERS and (name, module) not in ALLOWED_DRIVER_IMPORTS:
                    found.append(f"{name}:{node.lineno}: imports {module}")
        if not isinstance(node, ast.Call):
            continue
        function = dotted(node.func)
        if function.split(".")[0] in DRIVERS:
            found.append(f"{name}:{node.lineno}: calls {function}()")
        called = function.rsplit(".", 1)[-1] or getattr(node.func, "attr", "")
        if (called not in EXECUTE and called != "text") or not node.args:
            continue
        statement = node.args[0]
        built = isinstance(statement, ast.JoinedStr | ast.BinOp) or (
            isinstance(statement, ast.Call) and getattr(statement.func, "attr", "") == "format"
        )
        raw = isinstance(statement, ast.Constant) and isinstance(statement.value, str)
        if (built or (raw and called in EXECUTE)) and (
            name,
            ast.unparse(statement),
        ) not in ALLOWED_SQL:
            found.append(f"{name}:{node.lineno}: SQL text {ast.unparse(statement)[:60]}")
    return found


def test_every_sql_statement_goes_through_sqlalchemy() -> None:
    found = [problem for name, tree in sources() for problem in sql_problems(name, tree)]
    assert found == []


def test_the_sql_scan_finds_what_it_looks_for() -> None:
    bad = (
        "import sqlite3\nfrom sqlalchemy import text\nsqlite3.connect('x.db')\n"
        "session.execute(text(f'SELECT * FROM t WHERE n = {n}'))\n"
        "conn.exec_driver_sql('DELETE FROM t WHERE n = ' + n)\n"
        "cursor.execute('SELECT 1')\ncursor.execute('SELECT %s' % n)\n"
        "session.execute(text('SELECT :n').bindparams(n=n))\n"
        "session.execute(select(T).where(T.n == n))\n"
    )
    assert len(sql_problems("x.py", ast.parse(bad))) == 6
    assert sql_problems("storage/db.py", ast.parse("c.execute('PRAGMA foreign_keys = ON')")) == []


def test_the_environment_is_read_only_where_settings_are_merged() -> None:
    # Settings (and the one secret) come from the environment in these places only, so a
    # secret cannot reach the program by another path.
    readers = {
        name
        for name, tree in sources()
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute | ast.Name)
        and dotted(node) in ("os.environ", "os.getenv", "environ", "getenv")
    }
    assert readers == {"tracker/config.py", "tracker/notify/smtp.py", "storage/migrations/env.py"}
