"""Fixtures shared by the whole suite: real databases, a real archive server, a manual clock."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from scenarios import NO_LIMITS

from storage.db import Database, open_database
from tracker.archive import ArchiveServer, CaptureStore
from tracker.cli import cli
from tracker.clock import ManualClock


@pytest.fixture
def clock() -> ManualClock:
    """A clock that moves only when slept on or advanced."""
    return ManualClock()


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    """The URL of a fresh SQLite file (not yet created)."""
    return f"sqlite:///{tmp_path / 'redline.db'}"


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    """A fresh SQLite database built by the real migrations."""
    database = open_database(db_url)
    yield database
    database.close()


@pytest.fixture
def archive() -> Iterator[ArchiveServer]:
    """An empty local archive server on 127.0.0.1; tests add captures to ``archive.store``."""
    server = ArchiveServer(CaptureStore()).start()
    yield server
    server.stop()


@pytest.fixture
def run(tmp_path: Path, db_url: str) -> Callable[..., Result]:
    """``redline`` in-process on the test database, with no rate limits and a manual clock:
    retries and rate limits wait on it instead of really sleeping."""
    config = tmp_path / "config.toml"
    config.write_text(NO_LIMITS)

    def invoke(*args: str) -> Result:
        return CliRunner().invoke(
            cli, ["--db", db_url, "--config", str(config), *args], obj={"clock": ManualClock()}
        )

    return invoke
