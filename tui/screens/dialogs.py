"""The diff view's small dialogs: pick a base version, filter changes, export."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Select
from textual.widgets.option_list import Option

from storage.records import VersionRecord
from tracker.diff.model import CATEGORIES, SIGNIFICANCE
from tui.widgets.badges import CATEGORY_NAMES

ANY = "any"


class BasePicker(ModalScreen[int | None]):
    """A list of versions to compare the current one with; dismisses with its number."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, versions: list[VersionRecord], current: int, base: int | None) -> None:
        super().__init__()
        self._versions = versions
        self._current = current
        self._base = base

    def compose(self) -> ComposeResult:
        """The versions, newest first, the current one left out."""
        options = [
            Option(
                Text(f"v{v.number:<4} {v.first_seen:%Y-%m-%d}  {v.words:>7,} words"),
                id=str(v.number),
            )
            for v in reversed(self._versions)
            if v.number != self._current
        ]
        with Vertical(id="base-box", classes="dialog") as box:
            box.border_title = f"Compare v{self._current} with"
            yield OptionList(*options, id="bases")

    def on_mount(self) -> None:
        """Put the cursor on the base in use."""
        options = self.query_one(OptionList)
        if self._base is not None:
            options.highlighted = options.get_option_index(str(self._base))
        elif options.option_count:
            options.highlighted = 0

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id or 0))

    def action_cancel(self) -> None:
        """Keep the base as it was."""
        self.dismiss(None)


@dataclass(frozen=True)
class ChangeFilter:
    """Which changes the diff view shows."""

    category: str | None = None
    minimum: str = "none"


class FilterDialog(ModalScreen[ChangeFilter | None]):
    """A category and a minimum significance; dismisses with the filter, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, current: ChangeFilter) -> None:
        super().__init__()
        self._current = current

    def compose(self) -> ComposeResult:
        """Two selects and the buttons."""
        categories = [("any category", ANY)] + [(CATEGORY_NAMES[c], c) for c in CATEGORIES]
        levels = [(f"{level} or more", level) for level in SIGNIFICANCE]
        with Vertical(id="filter-box", classes="dialog") as box:
            box.border_title = "Show only changes…"
            with Horizontal(classes="field"):
                yield Label("Category", classes="field-label")
                yield Select(
                    categories,
                    value=self._current.category or ANY,
                    allow_blank=False,
                    id="category",
                    compact=True,
                )
            with Horizontal(classes="field"):
                yield Label("Significance", classes="field-label")
                yield Select(
                    levels,
                    value=self._current.minimum,
                    allow_blank=False,
                    id="minimum",
                    compact=True,
                )
            with Horizontal(classes="buttons"):
                yield Button("Apply", id="apply", variant="primary", compact=True)
                yield Button("Show all", id="clear", compact=True)

    @on(Button.Pressed, "#apply")
    def action_apply(self) -> None:
        """Use the chosen filter."""
        category = self.query_one("#category", Select).value
        minimum = self.query_one("#minimum", Select).value
        self.dismiss(
            ChangeFilter(None if category == ANY else str(category), str(minimum or "none"))
        )

    @on(Button.Pressed, "#clear")
    def _clear(self) -> None:
        self.dismiss(ChangeFilter())

    def action_cancel(self) -> None:
        """Keep the filter as it was."""
        self.dismiss(None)


@dataclass(frozen=True)
class ExportRequest:
    """Where and how to write the comparison."""

    path: Path
    fmt: str  # markdown | html


class ExportDialog(ModalScreen[ExportRequest | None]):
    """A format and a path (relative paths are in the current directory)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, stem: str) -> None:
        super().__init__()
        self._stem = stem

    def compose(self) -> ComposeResult:
        """The format, the path and the buttons."""
        with Vertical(id="export-box", classes="dialog") as box:
            box.border_title = "Export the comparison"
            with Horizontal(classes="field"):
                yield Label("Format", classes="field-label")
                yield Select(
                    [("Markdown", "markdown"), ("HTML", "html")],
                    value="markdown",
                    allow_blank=False,
                    id="format",
                    compact=True,
                )
            with Horizontal(classes="field"):
                yield Label("Path", classes="field-label")
                yield Input(f"{self._stem}.md", id="path", compact=True)
            with Horizontal(classes="buttons"):
                yield Button("Export", id="export", variant="primary", compact=True)
                yield Button("Cancel", id="cancel", compact=True)

    @on(Select.Changed, "#format")
    def _format_changed(self, event: Select.Changed) -> None:
        # Follow the format with the suffix, unless the path was given another one.
        path = self.query_one("#path", Input)
        suffix = ".html" if event.value == "html" else ".md"
        current = Path(path.value)
        if current.suffix in (".md", ".html", ""):
            path.value = str(current.with_suffix(suffix))

    @on(Input.Submitted)
    @on(Button.Pressed, "#export")
    def action_export(self) -> None:
        """Export to the given path."""
        value = self.query_one("#path", Input).value.strip()
        if not value:
            self.notify("Give a path to write to", severity="warning")
            return
        fmt = str(self.query_one("#format", Select).value)
        self.dismiss(ExportRequest(Path(value).expanduser(), fmt))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Export nothing."""
        self.dismiss(None)
