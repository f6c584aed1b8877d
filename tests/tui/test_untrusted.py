"""Text from the web is shown, never obeyed: escape sequences and Rich markup stay literal."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from storage import policies as policy_store
from storage.db import Database
from tracker.clock import ManualClock
from tracker.config import Settings
from tui.app import RedlineApp
from tui.screens.diff import DiffScreen

if TYPE_CHECKING:
    from conftest import UI

HOSTILE = (
    "# Evil policy\n\n"
    "We collect \x1b[31mred\x1b[0m data.\n\n"
    "Copy this \x1b]52;c;ZXZpbA==\x07 now.\n\n"
    "Markup [red]x[/red] and [bold]y[/bold] and [link=http://evil.example]z[/link].\n"
)
SHOWN = ("\\x1b[31mred\\x1b[0m", "\\x1b]52;c;ZXZpbA==\\x07", "[red]x[/red]", "[bold]y[/bold]")


def rendered_segments(app: RedlineApp) -> str:
    """Every character the screen would send to the terminal, without its own escapes."""
    strips = app.screen._compositor.render_strips()
    return "".join(segment.text for strip in strips for segment in strip)


async def test_escapes_and_markup_in_policy_text_are_shown_literally(
    make_db: Callable[[dict], Database], fixed_clock: ManualClock, ui: type[UI]
) -> None:
    db = make_db({"evil": [("2020-01-01", HOSTILE)]})
    with db.session() as session:  # an error message can carry web text too
        policy = policy_store.get_policy(session, "evil")
        error = "bad page \x1b[2J\x1b]0;owned\x07 [blink]boo[/blink]"
        policy_store.mark_checked(session, policy.id, now=fixed_clock.now(), error=error)
    app = RedlineApp(db, Settings(), fixed_clock)
    async with app.run_test(size=(140, 30)) as pilot:
        await ui.settle(pilot)
        screen_chars = rendered_segments(app)
        assert "\\x1b[2J\\x1b]0;owned\\x07 [blink]boo[/blink]" in screen_chars
        assert "\x1b" not in screen_chars and "\x07" not in screen_chars

        await pilot.press("enter", "enter")  # the history, then v1 (all added)
        await ui.settle(pilot)
        screen = app.screen
        assert isinstance(screen, DiffScreen)
        for view in ("inline", "s", "t"):
            if view != "inline":
                await pilot.press(view)
                await ui.settle(pilot)
            text = "\n".join(screen.pane.plain_lines())
            screen_chars = rendered_segments(app)
            for literal in SHOWN:
                assert literal in text, (view, literal)
                assert literal.replace("\\x07", "") in screen_chars.replace("\\x07", "")
            assert "\x1b" not in screen_chars and "\x07" not in screen_chars
            assert "\x1b" not in text
