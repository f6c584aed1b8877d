"""A seeded database for the TUI's tests, imported from corpus-format files at fixed dates.

Nothing shown depends on the wall clock or on a server port: the archive URLs in the corpus
headers are fixed, and the manual clock starts at a fixed moment.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from textual.pilot import Pilot

from storage import policies as policy_store
from storage.db import Database, open_database
from tracker.clock import ManualClock
from tracker.config import Settings
from tracker.corpus import import_files, parse_corpus_file
from tui.app import RedlineApp


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """Run ``async def`` tests on a fresh event loop (Textual's pilot is async; the suite
    has no async plugin, and needs none for this)."""
    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    names = pyfuncitem._fixtureinfo.argnames
    asyncio.run(pyfuncitem.obj(**{name: pyfuncitem.funcargs[name] for name in names}))
    return True


FIXED_NOW = datetime(2024, 1, 15, 9, 30, tzinfo=UTC)
SIZE = (100, 30)

V1 = """# Acme Privacy Policy

Last updated: March 1, 2019

## Information we collect

We collect your name and email address when you create an account.

We use cookies to remember your preferences.

## How we share information

We do not sell your personal information.

We share information with service providers who help us run the service.

## Your rights

You can ask us to delete your account at any time.

## Contact

Write to privacy@acme.example with any question.
"""


def _edit(text: str, *pairs: tuple[str, str]) -> str:
    for old, new in pairs:
        assert old in text, old
        text = text.replace(old, new)
    return text


V2 = _edit(
    V1,
    ("March 1, 2019", "June 15, 2020"),
    ("name and email address", "name, email address and precise location"),
    ("with service providers", "with service providers and advertising partners"),
    (
        "## Your rights",
        "We keep your data for as long as your account is open.\n\n## Your rights",
    ),
)
# Only emphasis differs: a cosmetic version.
V3 = _edit(V2, ("We use cookies to", "We use *cookies* to"))
# A substantive change under the same stated date: a silent change.
V4 = _edit(V3, ("We do not sell your personal information.\n\n", ""))
V5 = V2  # back to the text of v2: a revert
V6 = _edit(
    V2,
    ("June 15, 2020", "January 10, 2022"),
    (
        "## Contact",
        "## Children\n\nWe do not knowingly collect data from children under 13.\n\n## Contact",
    ),
    ("at any time.", "within 30 days of your request."),
)

GLOBEX_1 = """# Globex privacy notice

Effective date: 2018-05-25

Globex collects the data you give us to provide the service.

We share data with our group companies.
"""
GLOBEX_2 = _edit(GLOBEX_1, ("with our group companies.", "with our group companies and resellers."))

INITECH_1 = """# Initech privacy

Initech keeps server logs for 90 days and never shares them.
"""

HISTORY = {
    "acme": [
        ("2019-03-01", V1),
        ("2020-06-20", V2),
        ("2020-11-02", V3),
        ("2021-03-04", V4),
        ("2021-08-01", V5),
        ("2022-01-12", V6),
    ],
    "globex": [("2018-06-01", GLOBEX_1), ("2023-02-01", GLOBEX_2)],
    "initech": [("2017-01-01", INITECH_1)],
}


def corpus_file(directory: Path, name: str, day: str, text: str) -> Path:
    """Write one corpus-format file (header naming the policy, date and snapshot)."""
    stamp = day.replace("-", "") + "000000"
    snapshot = f"https://web.archive.org/web/{stamp}/https://www.{name}.example/privacy"
    header = (
        f"> *The following text is extracted and transformed from the {name} privacy policy "
        f"that was archived on {day}. Please check the [original snapshot on the Wayback "
        f"Machine]({snapshot}) for the most accurate reproduction.*"
    )
    path = directory / f"{name}-{day}.md"
    path.write_text(f"{header}\n\n{text}", encoding="utf-8")
    return path


def seed(db: Database, clock: ManualClock, directory: Path, history: dict) -> None:
    """Import a {name: [(date, text)]} history, then give the policies a check status."""
    directory.mkdir(parents=True, exist_ok=True)
    files = [
        parse_corpus_file(corpus_file(directory, name, day, text))
        for name, versions in history.items()
        for day, text in versions
    ]
    import_files(db, files, clock=clock)
    with db.session() as session:
        for name, error in (("acme", None), ("initech", "archive answered HTTP 503")):
            if name in history:
                policy = policy_store.get_policy(session, name)
                policy_store.mark_checked(session, policy.id, now=clock.now(), error=error)


@pytest.fixture
def fixed_clock() -> ManualClock:
    """A manual clock at a fixed moment."""
    return ManualClock(FIXED_NOW)


@pytest.fixture
def seeded(tmp_path: Path, fixed_clock: ManualClock) -> Iterator[Database]:
    """A database holding acme (6 versions), globex (2) and initech (1, last check failed)."""
    database = open_database(f"sqlite:///{tmp_path / 'seeded.db'}")
    seed(database, fixed_clock, tmp_path / "corpus", HISTORY)
    yield database
    database.close()


@pytest.fixture
def make_db(tmp_path: Path, fixed_clock: ManualClock) -> Iterator[Callable[[dict], Database]]:
    """A factory of databases seeded with a {name: [(date, text)]} history."""
    opened: list[Database] = []

    def make(history: dict) -> Database:
        database = open_database(f"sqlite:///{tmp_path / f'db{len(opened)}.db'}")
        opened.append(database)
        seed(database, fixed_clock, tmp_path / f"corpus{len(opened)}", history)
        return database

    yield make
    for database in opened:
        database.close()


@pytest.fixture
def make_app(seeded: Database, fixed_clock: ManualClock) -> Callable[..., RedlineApp]:
    """A factory of apps on the seeded database (optionally opening a policy)."""

    def make(open_policy: str | None = None) -> RedlineApp:
        return RedlineApp(seeded, Settings(), fixed_clock, open_policy=open_policy)

    return make


class UI:
    """Helpers for driving the app in tests (a fixture, as tests cannot import conftest)."""

    size = SIZE

    @staticmethod
    async def settle(pilot: Pilot) -> None:
        """Wait until every worker is done and the screen has caught up."""
        # A worker's message may start another worker (a comparison starts the prefetch).
        for _ in range(2):
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()

    @staticmethod
    def text(app: RedlineApp) -> str:
        """What the terminal shows now, as plain text (one line per row)."""
        strips = app.screen._compositor.render_strips()
        return "\n".join("".join(segment.text for segment in strip) for strip in strips)

    @classmethod
    def steps(cls, *keys: str) -> Callable[[Pilot], Awaitable[None]]:
        """A ``run_before`` for snapshots: press each key, letting workers finish in between."""

        async def run(pilot: Pilot) -> None:
            await cls.settle(pilot)
            for key in keys:
                await pilot.press(key)
                await cls.settle(pilot)

        return run


@pytest.fixture
def ui() -> type[UI]:
    """The test helpers."""
    return UI
