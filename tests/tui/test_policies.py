"""The policies and history screens: table, filter, add dialog, check now, opening."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from textual.widgets import DataTable, Input, Sparkline

from storage.db import Database
from storage.records import VersionRecord
from tracker.archive import ArchiveServer
from tracker.clock import ManualClock
from tracker.config import ArchiveSettings, Settings
from tracker.policies import NewPolicy, add_policy
from tui.app import RedlineApp
from tui.screens.add_policy import AddPolicyScreen
from tui.screens.history import HistoryScreen, version_cells
from tui.screens.policies import PoliciesScreen
from tui.widgets.rows import Palette

if TYPE_CHECKING:
    from conftest import UI

from scenarios import URL, spine_history


def table_rows(app: RedlineApp) -> dict[str, list[str]]:
    """The policies (or versions) table as plain text, by row key."""
    table: DataTable = app.screen.query_one(DataTable)
    return {str(key.value): [cell.plain for cell in table.get_row(key)] for key in table.rows}


async def test_lists_policies_with_counts_significance_and_status(
    make_app: Callable[..., RedlineApp], ui: type[UI]
) -> None:
    app = make_app()
    async with app.run_test(size=ui.size) as pilot:
        await ui.settle(pilot)
        rows = table_rows(app)
        assert list(rows) == ["acme", "globex", "initech"]
        name, host, versions, captures, changed, level, status = rows["acme"]
        assert (name, host, versions, captures, changed) == (
            "acme",
            "www.acme.example",
            "6",
            "6",
            "2022-01-12",
        )
        assert level.endswith(("low", "medium", "high"))
        assert status == "✓ checked 2024-01-15 09:30"
        assert rows["initech"][5] == "—"  # one version: nothing to compare
        assert rows["initech"][6] == "✗ archive answered HTTP 503"
        assert rows["globex"][6] == "never checked"


async def test_filter_as_you_type(make_app: Callable[..., RedlineApp], ui: type[UI]) -> None:
    app = make_app()
    async with app.run_test(size=ui.size) as pilot:
        await ui.settle(pilot)
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await pilot.press("g", "l")
        await pilot.pause(0.2)  # the table refills once typing pauses
        assert list(table_rows(app)) == ["globex"]
        assert "1 of 3 policies" in ui.text(app)
        await pilot.press("escape")  # clears the filter
        assert list(table_rows(app)) == ["acme", "globex", "initech"]
        await pilot.press("slash", *"503")  # matches the last error too
        await pilot.press("enter")  # refills at once, back to the table
        assert list(table_rows(app)) == ["initech"]
        await pilot.press("enter")
        await ui.settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
        assert app.screen.policy == "initech"


async def test_history_timeline_and_chart(
    make_app: Callable[..., RedlineApp], ui: type[UI]
) -> None:
    app = make_app()
    async with app.run_test(size=ui.size) as pilot:
        await ui.settle(pilot)
        await pilot.press("enter")  # acme
        await ui.settle(pilot)
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        rows = table_rows(app)
        assert list(rows) == ["1", "2", "3", "4", "5", "6"]
        assert rows["1"][:4] == ["v1", "2019-03-01", "74", "first"]
        assert rows["2"][6] == "2020-06-15"  # the stated date
        assert "↺ v2" in rows["5"][7]
        assert any("⚠ silent" in row[7] for row in rows.values())
        assert rows["3"][3].startswith("c")  # cosmetic only: no clause changed
        data = screen.query_one(Sparkline).data
        assert data is not None and len(data) == 6 and data[0] == 0 and data[2] == 0
        assert max(data) > 0
        await pilot.press("escape")
        assert isinstance(app.screen, PoliciesScreen)


async def fill(pilot, values: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    """Set the add form's fields."""
    for field, value in values.items():
        pilot.app.screen.query_one(f"#{field}", Input).value = value
    await pilot.pause()


def errors(app: RedlineApp) -> dict[str, str]:
    """The error lines the add form shows, by field."""
    screen = app.screen
    return {
        widget.id.removesuffix("-error"): str(widget.render())
        for widget in screen.query(".field-error.shown")
        if widget.id
    }


async def test_add_dialog_validates_inline(
    make_app: Callable[..., RedlineApp], ui: type[UI]
) -> None:
    app = make_app()
    async with app.run_test(size=ui.size) as pilot:
        await ui.settle(pilot)
        await pilot.press("a")
        await ui.settle(pilot)
        assert isinstance(app.screen, AddPolicyScreen)
        await fill(pilot, {"name": "bad name!", "url": "ftp://x", "every": "10m", "select": "p["})
        await pilot.click("#add")
        await ui.settle(pilot)
        shown = errors(app)
        assert set(shown) == {"name", "url", "select", "every"}
        assert "policy name" in shown["name"]
        assert "http://" in shown["url"]
        assert "too often" in shown["every"]
        assert "CSS selector" in shown["select"]
        assert app.focused is app.screen.query_one("#name")  # the first field at fault
        # A name already taken: the library's Conflict, under the name.
        await fill(pilot, {"name": "acme", "url": "https://acme.example/p", "every": "1d"})
        await fill(pilot, {"select": ""})
        await pilot.press("enter")
        await ui.settle(pilot)
        assert list(errors(app)) == ["name"]
        assert "already exists" in errors(app)["name"]
        await fill(pilot, {"name": "newco", "url": "https://newco.example/privacy"})
        await pilot.press("enter")
        await ui.settle(pilot)
        assert isinstance(app.screen, PoliciesScreen)
        row = table_rows(app)["newco"]
        assert row[:4] == ["newco", "newco.example", "0", "0"]


async def test_check_now_against_a_local_archive(
    seeded: Database,
    fixed_clock: ManualClock,
    archive: ArchiveServer,
    ui: type[UI],
) -> None:
    for planned in spine_history():
        archive.store.add(planned.spec)
    add_policy(seeded, NewPolicy("spine", URL, archive=archive.base_url), fixed_clock)
    settings = Settings(archive=ArchiveSettings(archive.base_url, 0, 0))
    app = RedlineApp(seeded, settings, fixed_clock)
    async with app.run_test(size=ui.size) as pilot:
        await ui.settle(pilot)
        assert table_rows(app)["spine"][2:4] == ["0", "0"]
        table = app.screen.query_one(DataTable)
        table.move_cursor(row=table.get_row_index("spine"))
        await pilot.press("c")
        await ui.settle(pilot)
        row = table_rows(app)["spine"]
        assert row[2] == "7"  # versions
        assert int(row[3]) == len(spine_history())  # captures
        assert row[6].startswith("✓ checked")
        assert "Checked 1 policies" in ui.text(app)
        assert "7 new versions" in ui.text(app)


def test_timeline_notes_mark_silent_changes_reverts_and_technical_versions() -> None:
    version = VersionRecord(
        id=1,
        policy_id=1,
        number=4,
        first_seen=datetime(2021, 3, 4, tzinfo=UTC),
        last_seen=datetime(2021, 3, 4, tzinfo=UTC),
        captures=2,
        words=1200,
        chars=8000,
        sha256="0" * 64,
        identity="0" * 64,
        stated_date=None,
        technical=True,
        revert_of=2,
    )
    summary = {"added": 1, "removed": 2, "modified": 0, "moved": 3, "cosmetic": 0}
    summary |= {"categories": {"third_party_sharing": 2, "cookies_tracking": 1, "other": 1}}
    summary |= {"significance": "high", "silent_change": True}
    cells = [cell.plain for cell in version_cells(version, summary, Palette())]
    assert cells == [
        "v4",
        "2021-03-04",
        "1,200",
        "+1 -2 >3",
        "sharing, cookies +1",
        "●●● high",
        "—",
        "⚠ silent ↺ v2 ⚙ technical",
    ]
