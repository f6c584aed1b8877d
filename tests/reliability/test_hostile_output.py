"""Hostile policy text on its way out: to a real terminal and into email.

Terminal cases run the command in a forked child whose output is a pseudo-terminal (a real
one, from the kernel), so the commands take their on-a-terminal paths. Email cases go
through the outbox to a real SMTP server on 127.0.0.1.
"""

from __future__ import annotations

import os
import pty
import shutil
from collections.abc import Callable, Iterator
from dataclasses import replace
from email.message import EmailMessage
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from notify import history as h
from notify.smtp_sink import SmtpSink

from storage import policies as policy_store
from storage.db import Database, open_database
from storage.records import Rules
from tracker.cli import cli
from tracker.clock import ManualClock
from tracker.config import EmailSettings, Settings
from tracker.notify.outbox import Outbox
from tracker.notify.smtp import SmtpMailer
from tracker.notify.subscriptions import SubscriptionRequest, subscribe

HEADER = (
    "> *The following text is extracted and transformed from the acme privacy policy that was "
    "archived on {date}. Please check the [original snapshot on the Wayback Machine]"
    "(https://web.archive.org/web/{ts}/https://acme.example/privacy) for the most accurate "
    "reproduction.*\n\n"
)
BASE = (
    "# Acme privacy policy\n\nThis privacy policy explains how Acme collects, uses and shares "
    "the personal information of its customers, and the choices they have.\n\n"
)
# Clear the screen, retitle the window, write the clipboard (OSC 52), ring the bell; and
# Rich markup that would turn bold, red or into a link if it were interpreted.
ESCAPES = "We \x1b[2Jshare\x1b]0;owned\x07 data \x1b]52;c;ZXZpbA==\x07 with partners."
MARKUP = "Markup [bold red]stays[/] and [link=https://evil.example]this[/link] too."
SHOWN = (
    "\\x1b[2J",
    "\\x1b]0;owned\\x07",
    "\\x1b]52;c;ZXZpbA==\\x07",
    "[bold red]stays[/]",
    "[link=https://evil.example]this[/link]",
)
RAW = ("\x1b[2J", "\x1b]0;", "\x1b]52;", "\x07")


@pytest.fixture(scope="module")
def seed_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """acme with a plain first version and a hostile second one, built once per module."""
    folder = tmp_path_factory.mktemp("seed")
    (folder / "config.toml").write_text("")
    args = ["--db", f"sqlite:///{folder / 'seed.db'}", "--config", str(folder / "config.toml")]
    seeds = [("20200102000000", "We keep data.\n"), ("20210102000000", f"{ESCAPES}\n\n{MARKUP}\n")]
    for n, (ts, extra) in enumerate(seeds):
        path = folder / f"v{n}.md"
        path.write_text(HEADER.format(date=f"{ts[:4]}-01-02", ts=ts) + BASE + extra)
        result: Result = CliRunner().invoke(cli, [*args, "import", str(path)])
        assert result.exit_code == 0, result.output
    assert not (folder / "seed.db-wal").exists()  # all in the one file, safe to copy
    return folder / "seed.db"


@pytest.fixture
def seeded(tmp_path: Path, db_url: str, seed_file: Path) -> Callable[..., tuple[int, str]]:
    """A copy of the seeded database, and a way to run commands on a terminal against it."""
    shutil.copyfile(seed_file, db_url.removeprefix("sqlite:///"))
    config = tmp_path / "config.toml"
    config.write_text("")

    def on_terminal(*command: str) -> tuple[int, str]:
        return run_on_terminal(["--db", db_url, "--config", str(config), *command])

    return on_terminal


def run_on_terminal(argv: list[str]) -> tuple[int, str]:
    """Exit code and everything the command wrote, run with a pseudo-terminal as its output."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: its fds 0-2 are the terminal; Python's streams must be too
        import sys

        code = 1
        try:
            sys.stdout = open(1, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
            sys.stderr = open(2, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
            cli.main(argv, prog_name="redline", obj={"clock": ManualClock()})
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    chunks = []
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(fd)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), b"".join(chunks).decode("utf-8")


def _inert(output: str) -> None:
    for raw in RAW:
        assert raw not in output, (raw, output)
    for shown in SHOWN:
        assert shown in output, (shown, output)


def test_show_on_a_terminal_shows_escapes_and_markup_literally(seeded: Callable) -> None:
    code, output = seeded("show", "acme")
    assert code == 0
    _inert(output)


def test_diff_on_a_terminal_does_not_interpret_markup_or_escapes(seeded: Callable) -> None:
    code, output = seeded("diff", "acme@1", "acme@2")
    assert code == 0 and "\x1b[" in output  # Rich's own colours are there…
    _inert(output)  # …the policy's escapes and markup are not obeyed


@pytest.mark.parametrize("fmt", ["unified", "markdown", "html"])
def test_diff_documents_on_a_terminal_carry_no_raw_escapes(seeded: Callable, fmt: str) -> None:
    code, output = seeded("diff", "acme@1", "acme@2", "--format", fmt)
    assert code == 0
    assert all(raw not in output for raw in RAW), output
    assert "\\x1b" in output and "ZXZpbA==" in output  # shown (Markdown escapes the brackets)


@pytest.mark.parametrize("fmt", ["markdown", "html", "json", "atom"])
def test_export_on_a_terminal_carries_no_raw_escapes(seeded: Callable, fmt: str) -> None:
    code, output = seeded("export", "acme", "--format", fmt)
    assert code == 0 and "ZXZpbA==" in output
    assert all(raw not in output for raw in RAW), output


def test_list_and_status_show_a_hostile_error_literally(
    seeded: Callable, db_url: str, clock: ManualClock
) -> None:
    db = open_database(db_url)
    with db.session() as session:
        policy = policy_store.get_policy(session, "acme")
        error = "archive said \x1b[2J\x1b]0;owned\x07 [bold red]boo[/]"
        policy_store.mark_checked(session, policy.id, now=clock.now(), error=error)
    db.close()
    for command in (("list",), ("status",)):
        code, output = seeded(*command)
        assert code == 0 and "\\x1b[2J\\x1b]0;owned\\x07 [bold red]boo[/]" in output, output
        assert all(raw not in output for raw in RAW), output


# -- email ---------------------------------------------------------------------------------

INJECTION = h.text(
    "We keep your data <script>alert('x')</script> for 30 days.",
    'We share it with <img src=x onerror="alert(1)"> partners.',
    "[Opt out here](javascript:alert(document.cookie)) or "
    '<a href="javascript:alert(2)">here</a> or <a href="data:text/html,hi">there</a>.',
    "</body></html><form action=https://evil.example><input name=pw></form>",
    f"Terminal: {ESCAPES}",
)
EVIL_NAME = "Acme\r\nBcc: victim@evil.example\r\nX-Injected: yes"


@pytest.fixture
def smtp() -> Iterator[SmtpSink]:
    sink = SmtpSink().start()
    yield sink
    sink.stop()


def _digest(db: Database, clock: ManualClock, smtp: SmtpSink, name: str, url: str) -> EmailMessage:
    with db.session() as session:  # straight into storage: the CLI would refuse these values
        policy_store.add_policy(session, name=name, url=url, now=clock.now(), rules=Rules())
    subscribe(db, SubscriptionRequest("reader@example.org", cadence="immediate"), clock)
    h.record(db, clock, name, "20200101000000", h.text("We keep your data for 30 days."))
    h.record(db, clock, name, "20210101000000", INJECTION)
    email = EmailSettings(smtp_host="127.0.0.1", smtp_port=smtp.port, security="none")
    settings = replace(Settings(), email=email)
    report = Outbox(db, settings, clock).run(SmtpMailer(email, timeout=5), ["immediate"])
    assert report.sent == 1 and len(smtp.inbox.received) == 1
    assert smtp.inbox.received[0].recipients == ["reader@example.org"]
    return smtp.messages[0]


def test_html_and_script_in_policy_text_arrive_escaped(
    db: Database, clock: ManualClock, smtp: SmtpSink
) -> None:
    message = _digest(db, clock, smtp, "acme", "https://acme.example/privacy")
    page = message.get_body(("html",)).get_content()
    lowered = page.lower()
    for live in ("<script", "<img", "<form", "<input", 'javascript:alert(2)"', 'href="data:'):
        assert live not in lowered, live
    assert 'href="javascript:' not in lowered and "</body></html><form" not in lowered
    assert "&lt;script&gt;" in page and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in page
    assert lowered.count("</body>") == 1
    text = message.get_body(("plain",)).get_content()
    for part in (page, text):
        assert "\x1b" not in part and "\x07" not in part
        assert "\\x1b]52;c;ZXZpbA==\\x07" in part


def test_line_breaks_in_a_policy_name_cannot_add_headers(
    db: Database, clock: ManualClock, smtp: SmtpSink
) -> None:
    message = _digest(db, clock, smtp, EVIL_NAME, "javascript:alert(1)")
    assert message["Bcc"] is None and message["X-Injected"] is None
    assert "\n" not in message["Subject"] and "\r" not in message["Subject"]
    assert "Acme Bcc: victim@evil.example X-Injected: yes" in message["Subject"]
    page = message.get_body(("html",)).get_content()
    assert 'href="javascript:' not in page.lower()  # the policy URL is shown, not linked
    assert "javascript:alert(1)" in page


@pytest.mark.parametrize(
    "address",
    ["reader@example.org\r\nBcc: victim@evil.example", "Reader <reader@example.org>", "a b@c.org"],
)
def test_header_injection_in_a_subscriber_address_is_refused(
    tmp_path: Path, db_url: str, db: Database, address: str
) -> None:
    config = tmp_path / "config.toml"
    config.write_text("")
    args = ["--db", db_url, "--config", str(config), "subscribe", address]
    result = CliRunner().invoke(cli, args, obj={"clock": ManualClock()})
    assert result.exit_code == 1 and result.stderr.count("\n") == 1, result.output
    assert result.stderr.startswith("error: ") and "is not an email address" in result.stderr
    assert CliRunner().invoke(cli, [*args[:4], "subscriptions", "--json"]).stdout.strip() == "[]"
