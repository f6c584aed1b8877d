"""subscribe, unsubscribe, subscriptions and notify from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from notify import history as h
from notify.smtp_sink import SmtpSink

from storage.db import Database
from tracker.cli import cli
from tracker.clock import ManualClock


@pytest.fixture
def run(db: Database, db_url: str, clock: ManualClock, tmp_path: Path, smtp: SmtpSink):  # type: ignore[no-untyped-def]
    config = tmp_path / "config.toml"
    config.write_text(
        f'[email]\nfrom = "redline@example.org"\nsmtp_host = "127.0.0.1"\n'
        f'smtp_port = {smtp.port}\nsecurity = "none"\n'
    )
    h.policy(db, clock, "acme")
    h.policy(db, clock, "globex")

    def invoke(*args: str) -> Result:
        argv = ["--db", db_url, "--config", str(config), *args]
        return CliRunner().invoke(cli, argv, obj={"clock": clock})

    return invoke


def test_subscribe_list_and_unsubscribe(run) -> None:  # type: ignore[no-untyped-def]
    result = run(
        "subscribe", "Reader@Example.ORG", "--policy", "acme", "--policy", "globex",
        "--min-significance", "medium", "--category", "third_party_sharing", "--cadence", "weekly",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Reader@example.org: acme, globex; medium and above" in result.output

    listed = json.loads(run("subscriptions", "--json").output)
    assert listed == [
        {
            "id": 1,
            "email": "Reader@example.org",
            "policies": ["acme", "globex"],
            "min_significance": "medium",
            "categories": ["third_party_sharing"],
            "cadence": "weekly",
            "created_at": "2026-01-01T00:00:00Z",
        }
    ]
    assert run("unsubscribe", "Reader@example.org", "--policy", "acme").exit_code == 0
    assert json.loads(run("subscriptions", "--json").output)[0]["policies"] == ["globex"]
    assert run("unsubscribe", "Reader@example.org").exit_code == 0
    assert json.loads(run("subscriptions", "--json").output) == []


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["not-an-address"], 1, "not an email address"),
        (["a@example.org\r\nBcc: x@example.org"], 1, "not an email address"),
        (["a@example.org", "--policy", "nope"], 1, "no policy named 'nope'"),
        (["a@example.org", "--category", "gossip"], 2, "gossip"),
        (["a@example.org", "--cadence", "hourly"], 2, "hourly"),
    ],
)
def test_subscribe_rejects_bad_input(run, args: list[str], code: int, message: str) -> None:  # type: ignore[no-untyped-def]
    result = run("subscribe", *args)
    assert result.exit_code == code
    assert message in result.output
    assert json.loads(run("subscriptions", "--json").output) == []


def test_unsubscribing_one_policy_from_an_all_policies_subscription_is_refused(run) -> None:  # type: ignore[no-untyped-def]
    run("subscribe", "a@example.org")
    result = run("unsubscribe", "a@example.org", "--policy", "acme")
    assert result.exit_code == 1
    assert "every policy" in result.output


def test_notify_dry_run_then_send(run, db: Database, clock: ManualClock, smtp: SmtpSink) -> None:  # type: ignore[no-untyped-def]
    run("subscribe", "a@example.org", "--cadence", "weekly")
    h.record(db, clock, "acme", "20200101000000", h.text("We keep your data for 30 days."))
    h.record(db, clock, "acme", "20210101000000", h.text("We keep your data for 90 days."))

    dry = run("notify", "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "Subject: Privacy policy changes: acme (medium)" in dry.output
    assert "1 digests would be sent" in dry.output
    assert smtp.messages == []

    sent = run("notify")
    assert sent.exit_code == 0, sent.output
    assert "1 digests sent" in sent.output
    assert len(smtp.messages) == 1
    status = json.loads(run("status", "--json").output)
    assert status["outbox"] == {"pending": 0, "sent": 1, "failed": 0, "oldest_pending": None}


def test_notify_exits_1_when_the_server_is_down(
    run, db: Database, clock: ManualClock, smtp: SmtpSink
) -> None:  # type: ignore[no-untyped-def]
    run("subscribe", "a@example.org", "--cadence", "immediate")
    h.record(db, clock, "acme", "20200101000000", h.text("We keep your data for 30 days."))
    h.record(db, clock, "acme", "20210101000000", h.text("We keep your data for 90 days."))
    smtp.stop()
    result = run("notify")
    assert result.exit_code == 1
    assert "cannot reach the SMTP server" in result.output
    status = json.loads(run("status", "--json").output)
    assert status["outbox"]["pending"] == 1
    assert status["outbox"]["oldest_pending"] == "2026-01-01T00:00:00Z"


def test_status_before_the_daemon_ever_ran(run) -> None:  # type: ignore[no-untyped-def]
    result = run("status")
    assert result.exit_code == 0, result.output
    assert "acme" in result.output and "not scheduled" in result.output
    assert "outbox: 0 pending, 0 sent, 0 failed" in result.output
