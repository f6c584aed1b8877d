"""App-wide: the `tui` command, help, the command palette, and an 80×24 terminal."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from click.testing import CliRunner
from textual.binding import Binding

from tracker.cli import cli
from tui.app import RedlineApp
from tui.screens.diff import DiffScreen
from tui.screens.help import HelpScreen
from tui.screens.history import HistoryScreen
from tui.screens.policies import PoliciesScreen

if TYPE_CHECKING:
    from conftest import UI


def test_tui_command_is_contributed_to_the_cli() -> None:
    result = CliRunner().invoke(cli, ["tui", "--help"])
    assert result.exit_code == 0
    assert "[NAME]" in result.output


async def test_help_lists_the_keys_of_the_screen(
    make_app: Callable[..., RedlineApp], ui: type[UI]
) -> None:
    app = make_app("acme")
    async with app.run_test(size=ui.size) as pilot:
        await ui.settle(pilot)
        await pilot.press("enter")
        await ui.settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = ui.text(app)
        for line in ("]  ", "Next version", "Side by side", "Export as Markdown", "Everywhere"):
            assert line.strip() in text
        await pilot.press("escape")
        assert isinstance(app.screen, DiffScreen)


async def test_every_screen_action_is_in_the_command_palette(
    make_app: Callable[..., RedlineApp], ui: type[UI]
) -> None:
    app = make_app("acme")
    async with app.run_test(size=ui.size) as pilot:
        await ui.settle(pilot)
        await pilot.press("enter")
        await ui.settle(pilot)
        screen = app.screen
        assert isinstance(screen, DiffScreen)
        titles = {command.title for command in app.get_system_commands(screen)}
        for binding in DiffScreen.BINDINGS:
            assert isinstance(binding, Binding)
            assert (binding.tooltip or binding.description) in titles
        assert {"Help", "Quit"} <= titles
        # Run one through the palette itself.
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"whole text")
        await pilot.pause(0.3)  # the palette searches asynchronously
        await pilot.press("enter")
        await ui.settle(pilot)
        assert app.screen is screen
        assert screen.key.changes_only is False


async def test_usable_at_80_by_24(make_app: Callable[..., RedlineApp], ui: type[UI]) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ui.settle(pilot)
        assert isinstance(app.screen, PoliciesScreen)
        for screen_type, keys in ((HistoryScreen, ("enter",)), (DiffScreen, ("enter", "s"))):
            await pilot.press(*keys)
            await ui.settle(pilot)
            assert isinstance(app.screen, screen_type)
            lines = ui.text(app).splitlines()
            assert len(lines) == 24
            assert lines[0].strip().startswith("acme")
            assert lines[-1].startswith("?")  # the footer, with help first
        assert "│" in ui.text(app)  # both columns fit
