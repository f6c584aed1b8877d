"""Fixtures of the notification tests: a real SMTP server and settings pointing at it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from notify.smtp_sink import SmtpSink

from tracker.config import EmailSettings, Settings


@pytest.fixture
def smtp() -> Iterator[SmtpSink]:
    """An aiosmtpd server on 127.0.0.1 that keeps every message it receives."""
    sink = SmtpSink().start()
    yield sink
    sink.stop()


@pytest.fixture
def settings(smtp: SmtpSink) -> Settings:
    """Settings whose email goes to the test server, in plain SMTP."""
    email = EmailSettings(
        from_="redline@example.org", smtp_host="127.0.0.1", smtp_port=smtp.port, security="none"
    )
    return replace(Settings(), email=email)
