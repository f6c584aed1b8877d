"""The Redline terminal UI: policies → a policy's history → the redline of one version."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from storage.db import Database
from tracker.clock import Clock
from tracker.config import Settings
from tui.screens.data import ComparisonCache
from tui.screens.help import HelpScreen, screen_bindings
from tui.screens.history import HistoryScreen
from tui.screens.policies import PoliciesScreen
from tui.widgets.rows import Palette


class RedlineApp(App[None]):
    """Browse tracked policies, their version timelines and redlines.

    The database, settings and clock are handed in (the CLI opens the database once; tests
    pass their own database and a manual clock); nothing here reads the environment.
    """

    CSS_PATH = "app.tcss"
    TITLE = "Redline"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", "Help", show=False),
        Binding("q", "quit", "Quit", show=False),
    ]

    def __init__(
        self,
        db: Database,
        settings: Settings,
        clock: Clock,
        *,
        open_policy: str | None = None,
    ) -> None:
        super().__init__()
        self.db = db
        self.settings = settings
        self.clock = clock
        self.comparisons = ComparisonCache()
        self._open_policy = open_policy

    def get_default_screen(self) -> Screen:
        """The policies screen is the bottom of the stack: Escape never leaves it."""
        return PoliciesScreen()

    def on_mount(self) -> None:
        """Open the policy named on the command line, if any."""
        if self._open_policy:
            self.push_screen(HistoryScreen(self._open_policy))

    def palette(self) -> Palette:
        """The current theme's colours, for text built outside CSS (redlines, badges)."""
        variables = self.theme_variables
        return Palette(
            error=variables.get("error", "red"),
            success=variables.get("success", "green"),
            warning=variables.get("warning", "yellow"),
            accent=variables.get("accent", "cyan"),
        )

    def action_help(self) -> None:
        """Show the keys of the current screen."""
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Textual's commands, then every action of the current screen for the palette."""
        yield from super().get_system_commands(screen)
        for key, description, action in screen_bindings(screen):
            if action in ("help", "quit", "command_palette"):
                continue  # Textual already lists these, or the palette is open anyway
            yield SystemCommand(description, f"{key}", partial(screen.run_action, action))
        yield SystemCommand("Help", "? · the keys of this screen", self.action_help)
