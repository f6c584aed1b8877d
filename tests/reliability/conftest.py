"""Fixtures for the reliability tests: an archive server that stamps requests on the test clock,
and fresh databases copied from one built by the real migrations (20 ms instead of 300)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from storage.db import Database, open_database
from tracker.archive import ArchiveServer, CaptureStore
from tracker.clock import ManualClock


@pytest.fixture
def clocked_archive(clock: ManualClock) -> Iterator[ArchiveServer]:
    """An empty local archive whose request log is stamped with ``clock``, the clock the
    clients under test sleep on; its CDX pages hold 5 rows, so searches page."""
    server = ArchiveServer(CaptureStore(), clock=clock, page_size=5).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty database file at the head migration, built once by the real migrations."""
    path = tmp_path_factory.mktemp("template") / "redline.db"
    open_database(f"sqlite:///{path}").close()  # closing checkpoints the WAL into the file
    return path


@pytest.fixture
def migrated_db(migrated_template: Path, db_url: str) -> Iterator[Database]:
    """A fresh database at ``db_url``: a copy of the template, so no migration runs again."""
    shutil.copyfile(migrated_template, db_url.removeprefix("sqlite:///"))
    database = open_database(db_url)
    yield database
    database.close()
