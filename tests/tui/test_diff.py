"""The diff view's flows: walking revisions, views, stops, filter, search, base, export."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Select

from tui.app import RedlineApp

if TYPE_CHECKING:
    from conftest import UI
from tui.screens.dialogs import BasePicker, ExportDialog, FilterDialog
from tui.screens.diff import DiffScreen
from tui.widgets.redline import MATCH_STYLE


async def open_diff(pilot: Pilot, ui: type[UI]) -> DiffScreen:
    """acme's history (opened from the command line), then its latest version's redline."""
    await ui.settle(pilot)
    await pilot.press("enter")
    await ui.settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, DiffScreen)
    return screen


def title(app: RedlineApp, ui: type[UI]) -> str:
    return ui.text(app).splitlines()[0]


async def test_walks_every_revision_forward_and_back(
    make_app: Callable[..., RedlineApp], ui: type[UI]
) -> None:
    app = make_app("acme")
    async with app.run_test(size=ui.size) as pilot:
        screen = await open_diff(pilot, ui)
        assert "v6 (2022-01-12) vs v5 (2021-08-01)" in title(app, ui)
        for number in (5, 4, 3, 2, 1):
            await pilot.press("[")
            await ui.settle(pilot)
            assert screen.key.number == number
            assert f"v{number} (" in title(app, ui)
        assert "v1 (2019-03-01) · first version" in title(app, ui)
        # The first version reads as all added.
        assert any(line.startswith("+ We collect") for line in screen.pane.plain_lines())
        await pilot.press("[")  # nothing before v1: it stays
        await ui.settle(pilot)
        assert screen.key.number == 1
        for number in (2, 3, 4, 5, 6):
            await pilot.press("]")
            await ui.settle(pilot)
            assert f"v{number} (" in title(app, ui)
        assert "v6 (2022-01-12) vs v5 (2021-08-01)" in title(app, ui)
        await pilot.press("escape")  # back to the history, then the policies
        await ui.settle(pilot)
        assert type(app.screen).__name__ == "HistoryScreen"


async def test_side_by_side_and_whole_text_toggle(
    make_app: Callable[..., RedlineApp], ui: type[UI]
) -> None:
    app = make_app("acme")
    async with app.run_test(size=ui.size) as pilot:
        screen = await open_diff(pilot, ui)
        inline = screen.pane.plain_lines()
        assert "~ You can ask us to delete your account at any timewithin 30 days of your " in (
            "\n".join(inline)
        )
        await pilot.press("s")
        await ui.settle(pilot)
        side = screen.pane.plain_lines()
        pair = next(line for line in side if line.startswith("- You can ask"))
        assert "│ + You can ask us to delete your account within" in pair
        assert "side by side" in ui.text(app).splitlines()[-2]
        await pilot.press("o")  # the whole text, still side by side
        await ui.settle(pilot)
        whole = "\n".join(screen.pane.plain_lines())
        assert "Write to privacy@acme.example" in whole
        assert "Write to privacy@acme.example" not in "\n".join(side)
        await pilot.press("s", "o")
        await ui.settle(pilot)
        assert screen.pane.plain_lines() == inline
        await pilot.press("t")  # the version's own text
        await ui.settle(pilot)
        text = screen.pane.plain_lines()
        assert text[:3] == ["# Acme Privacy Policy", "", "Last updated: January 10, 2022"]
        assert "full text" in title(app, ui)


async def test_next_and_previous_change(make_app: Callable[..., RedlineApp], ui: type[UI]) -> None:
    app = make_app("acme")
    async with app.run_test(size=(100, 16)) as pilot:  # short, so that the view can scroll
        screen = await open_diff(pilot, ui)
        anchors = screen.pane.anchors
        assert len(anchors) == 4
        lines = screen.pane.plain_lines()
        assert all(lines[a].startswith("§ ") for a in anchors)
        pane = screen.pane

        def at(line: int) -> bool:  # near the end, the view scrolls as far as it can
            return pane.top == min(line, pane.max_scroll_y)

        await pilot.press("n")
        assert at(anchors[0])
        await pilot.press("n")
        assert at(anchors[1])
        await pilot.press("n", "n")
        assert at(anchors[3])
        await pilot.press("n")  # no more: stays, and says so
        await pilot.pause()
        assert at(anchors[3])
        assert any("No next change" in n.message for n in app._notifications)
        await pilot.press("N", "N")
        assert at(anchors[1])
        await pilot.press("N")
        assert at(anchors[0])


async def test_filter_by_category_and_significance(
    make_app: Callable[..., RedlineApp], ui: type[UI]
) -> None:
    app = make_app("acme")
    async with app.run_test(size=ui.size) as pilot:
        screen = await open_diff(pilot, ui)
        await pilot.press("f")
        await ui.settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, FilterDialog)
        dialog.query_one("#category", Select).value = "user_rights"
        dialog.query_one("#minimum", Select).value = "medium"
        await pilot.click("#apply")
        await ui.settle(pilot)
        assert screen.comparison is not None
        wanted = [
            c
            for c in screen.comparison.changes
            if "user_rights" in c.categories and c.significance in ("medium", "high")
        ]
        headers = [screen.pane.plain_lines()[a] for a in screen.pane.anchors]
        assert 0 < len(headers) == len(wanted) < len(screen.comparison.changes)
        assert all("user_rights" in h and h.endswith(("MEDIUM", "HIGH")) for h in headers)
        total = len(screen.comparison.changes)
        assert f"filter: rights, ≥ medium ({len(wanted)} of {total} changes)" in ui.text(app)
        # The filter stays while walking the history.
        await pilot.press("[")
        await ui.settle(pilot)
        assert screen.key.category == "user_rights"
        await pilot.press("f")
        await ui.settle(pilot)
        await pilot.click("#clear")
        await ui.settle(pilot)
        assert not screen.key.filtering


async def test_search_highlights_and_jumps(
    make_app: Callable[..., RedlineApp], ui: type[UI]
) -> None:
    app = make_app("acme")
    async with app.run_test(size=(100, 16)) as pilot:
        screen = await open_diff(pilot, ui)
        await pilot.press("o")  # the whole text
        await ui.settle(pilot)
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await pilot.press(*"YOUR")
        await pilot.press("enter")
        await ui.settle(pilot)
        matches = screen.pane.matches
        assert len(matches) >= 3
        assert screen.pane.top == matches[0]
        lines = screen.pane._lines
        assert all(any(s.style is MATCH_STYLE for s in lines[m].spans) for m in matches)
        assert "your" in lines[matches[0]].plain.lower()
        await pilot.press("n")  # n steps through matches while searching
        assert screen.pane.top == matches[1]
        assert "search “YOUR”" in ui.text(app)
        await pilot.press("escape")  # ends the search; n goes back to changes
        assert screen.pane.matches == []
        assert app.screen is screen


async def test_compare_two_chosen_versions(
    make_app: Callable[..., RedlineApp], ui: type[UI]
) -> None:
    app = make_app("acme")
    async with app.run_test(size=ui.size) as pilot:
        screen = await open_diff(pilot, ui)
        await pilot.press("b")
        await ui.settle(pilot)
        picker = app.screen
        assert isinstance(picker, BasePicker)
        options = picker.query_one(OptionList)
        # Newest first, without the version being shown.
        assert [options.get_option_at_index(i).id for i in range(options.option_count)] == [
            "5",
            "4",
            "3",
            "2",
            "1",
        ]
        options.highlighted = 4
        await pilot.press("enter")
        await ui.settle(pilot)
        assert "v6 (2022-01-12) vs v1 (2019-03-01)" in title(app, ui)
        assert screen.comparison is not None
        headers = "\n".join(screen.pane.plain_lines()[a] for a in screen.pane.anchors)
        assert "third_party_sharing" in headers  # v1 → v6 includes v2's sharing change
        await pilot.press("[")  # walking goes back to predecessors
        await ui.settle(pilot)
        assert "v5 (2021-08-01) vs v4 (2021-03-04)" in title(app, ui)


EXPORT_MARKS = [
    ("markdown", ("<del>", "<ins>")),
    ("html", ("text-decoration:line-through", "text-decoration:underline")),
]


@pytest.mark.parametrize(("fmt", "marks"), EXPORT_MARKS)
async def test_export(
    make_app: Callable[..., RedlineApp],
    ui: type[UI],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    fmt: str,
    marks: tuple[str, ...],
) -> None:
    monkeypatch.chdir(tmp_path)
    app = make_app("acme")
    async with app.run_test(size=ui.size) as pilot:
        await open_diff(pilot, ui)
        await pilot.press("e")
        await ui.settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        dialog.query_one("#format", Select).value = fmt
        await pilot.pause()
        path = dialog.query_one("#path", Input)
        assert path.value == ("acme-v5-v6.md" if fmt == "markdown" else "acme-v5-v6.html")
        path.focus()
        await pilot.press("enter")
        await ui.settle(pilot)
        written = tmp_path / path.value
        assert written.is_file()
        document = written.read_text(encoding="utf-8")
        assert all(mark in document for mark in marks)
        assert "30 days" in document
        assert any(str(written) in n.message for n in app._notifications)
