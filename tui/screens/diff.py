"""The diff view: one version against its predecessor (or any base), inline or side by side."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from storage.records import VersionRecord
from tracker.diff import Comparison
from tracker.errors import RedlineError
from tracker.policies import History
from tracker.terminal import visible
from tui.messages import ComparisonReady, ExportWritten, LoadFailed
from tui.screens.data import ViewKey, write_export
from tui.screens.dialogs import BasePicker, ChangeFilter, ExportDialog, ExportRequest, FilterDialog
from tui.screens.titles import diff_status, diff_title
from tui.widgets.redline import RedlinePane
from tui.widgets.rows import Palette, Row

if TYPE_CHECKING:
    from tui.app import RedlineApp


class DiffScreen(Screen[None]):
    """The redline of one version; walks the whole history without leaving the view."""

    HELP_TITLE = "Redline"
    HELP_NOTE = (
        "While a search is active, n / N step through its matches; Escape ends the search.\n"
        "Lines start with + added, - removed, ~ modified, > moved; deleted words are "
        "struck through, inserted words underlined."
    )
    # First the help, so that the footer always has room for it; the footer shows a word,
    # the tooltip says more (the help screen and the command palette show it).
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(key, action, word, show=shown, tooltip=text)
        for key, action, word, shown, text in (
            ("?", "app.help", "Help", True, ""),
            ("n", "next_change", "Next", True, "Next change (or search match)"),
            ("N", "previous_change", "Prev", False, "Previous change (or search match)"),
            ("]", "next_version", "Version", True, "Next version, against its predecessor"),
            ("[", "previous_version", "Prev", False, "Previous version, against its predecessor"),
            ("s", "toggle_side", "Side by side", True, "Inline redline / old and new side by side"),
            ("o", "toggle_changes", "Changes/all", True, "Changes with context / the whole text"),
            ("b", "pick_base", "Base", True, "Compare with another version…"),
            ("f", "filter", "Filter", True, "Filter changes by category and significance…"),
            ("/", "search", "Search", True, "Search the text"),
            ("t", "toggle_text", "Text", False, "Full text of this version / the redline"),
            ("e", "export", "Export", True, "Export as Markdown or HTML…"),
            ("escape", "back", "Back", True, "End the search, or back to the history"),
        )
    ]

    def __init__(self, history: History, number: int) -> None:
        super().__init__()
        self.history = history
        self.versions: list[VersionRecord] = history.versions
        self.index = next(i for i, v in enumerate(self.versions) if v.number == number)
        self.key = ViewKey(number)
        self.comparison: Comparison | None = None
        self.shown: ViewKey | None = None  # what the pane holds now (tests and bench wait on it)

    @property
    def redline(self) -> RedlineApp:
        """The app, typed."""
        return cast("RedlineApp", self.app)

    @property
    def name_(self) -> str:
        """The policy's name."""
        return self.history.stats.policy.name

    @property
    def pane(self) -> RedlinePane:
        """The text view."""
        return self.query_one(RedlinePane)

    def compose(self) -> ComposeResult:
        """Title, headline, the redline, a search box, a status line, the footer."""
        yield Static(id="title", classes="title")
        yield Static(id="headline")
        yield RedlinePane(id="pane")
        yield Input(placeholder="Search, then Enter", id="search", classes="hidden", compact=True)
        yield Static(id="status", classes="status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        """Show the version the screen was opened on (again when the theme changes)."""
        self.pane.focus()
        self.request(self.key)
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self.request(self.key))

    # Loading --------------------------------------------------------------------------

    def request(self, key: ViewKey) -> None:
        """Show ``key``: at once when it is cached, else when a worker has made it."""
        self.key = key
        self.index = next(i for i, v in enumerate(self.versions) if v.number == key.number)
        cached = self.redline.comparisons.cached_view(self.name_, key, self.redline.palette())
        if cached is not None:
            self._display(key, *cached)
            return
        self._titles(None)
        self.query_one("#status", Static).update("Comparing…")
        self.load(key, self.redline.palette())

    @work(thread=True, exclusive=True, group="diff")
    def load(self, key: ViewKey, palette: Palette) -> None:
        """Make the comparison and its rows (worker)."""
        app = self.redline
        try:
            cmp, rows = app.comparisons.view(app.db, self.name_, key, palette)
        except RedlineError as exc:
            self.post_message(LoadFailed(str(exc)))
            return
        self.post_message(ComparisonReady(key, cmp, rows))

    @work(thread=True, exclusive=True, group="prefetch")
    def prefetch(self, keys: list[ViewKey], palette: Palette) -> None:
        """Make the neighbours' views ahead of time, so [ and ] answer at once (worker)."""
        app = self.redline
        for key in keys:
            try:
                app.comparisons.view(app.db, self.name_, key, palette)
            except RedlineError:
                return  # shown properly when the user actually walks there

    def on_comparison_ready(self, message: ComparisonReady) -> None:
        """Show a comparison made in a worker, unless the user has moved on."""
        if message.key == self.key:
            self._display(message.key, message.comparison, message.rows)

    def on_load_failed(self, message: LoadFailed) -> None:
        """Show a failed read."""
        self.query_one("#status", Static).update(Text(message.error))
        self.notify(message.error, severity="error", markup=False)

    def _display(self, key: ViewKey, cmp: Comparison, rows: list[Row]) -> None:
        self.comparison = cmp
        self._titles(cmp)
        self.pane.show(rows)
        self.shown = key
        self._status()
        neighbours = [self.index + step for step in (1, -1)]
        self.prefetch(
            [
                replace(key, number=self.versions[i].number, base=None)
                for i in neighbours
                if 0 <= i < len(self.versions)
            ],
            self.redline.palette(),
        )

    # Titles and status ----------------------------------------------------------------

    def base_version(self) -> VersionRecord | None:
        """The version the current one is compared with (None for the first version)."""
        if self.key.base is not None:
            return next(v for v in self.versions if v.number == self.key.base)
        return self.versions[self.index - 1] if self.index else None

    def _titles(self, cmp: Comparison | None) -> None:
        title = diff_title(self.name_, self.versions, self.index, self.base_version(), self.key)
        self.query_one("#title", Static).update(title)
        headline = Text(visible(cmp.summary.headline), style="italic") if cmp else Text("…")
        self.query_one("#headline", Static).update(headline)

    def _status(self) -> None:
        pane = self.pane
        status = diff_status(self.key, self.comparison, pane.query_text, len(pane.matches))
        self.query_one("#status", Static).update(status)

    # Actions --------------------------------------------------------------------------

    def _step(self, stops: list[int], what: str, forward: bool) -> None:
        if self.pane.step(stops, forward) is None:
            self.notify(f"No {'next' if forward else 'previous'} {what}", timeout=2)

    def action_next_change(self) -> None:
        """Scroll to the next change header (or search match while searching)."""
        self._step(*self._stops(), True)

    def action_previous_change(self) -> None:
        """Scroll to the previous change header (or search match while searching)."""
        self._step(*self._stops(), False)

    def _stops(self) -> tuple[list[int], str]:
        if self.pane.query_text:
            return self.pane.matches, "match"
        return self.pane.anchors, "change"

    def _walk(self, step: int) -> None:
        index = self.index + step
        if not 0 <= index < len(self.versions):
            self.notify("That was the " + ("last" if step > 0 else "first") + " version", timeout=2)
            return
        self.request(replace(self.key, number=self.versions[index].number, base=None))

    def action_next_version(self) -> None:
        """The next version against its predecessor."""
        self._walk(1)

    def action_previous_version(self) -> None:
        """The previous version against its predecessor."""
        self._walk(-1)

    def action_toggle_side(self) -> None:
        """Switch between the inline redline and old/new side by side."""
        self.request(replace(self.key, side=not self.key.side, full_text=False))

    def action_toggle_changes(self) -> None:
        """Switch between changes with context and the whole text."""
        self.request(replace(self.key, changes_only=not self.key.changes_only, full_text=False))

    def action_toggle_text(self) -> None:
        """Switch between the redline and the version's full text."""
        self.request(replace(self.key, full_text=not self.key.full_text))

    def action_pick_base(self) -> None:
        """Choose the version to compare with."""

        def chosen(number: int | None) -> None:
            if number is not None:
                self.request(replace(self.key, base=number, full_text=False))

        picker = BasePicker(self.versions, self.key.number, self.key.base)
        self.app.push_screen(picker, chosen)

    def action_filter(self) -> None:
        """Show only changes of a category and at least some significance."""

        def chosen(choice: ChangeFilter | None) -> None:
            if choice is not None:
                key = replace(self.key, category=choice.category, minimum=choice.minimum)
                self.request(replace(key, full_text=False))

        current = ChangeFilter(self.key.category, self.key.minimum)
        self.app.push_screen(FilterDialog(current), chosen)

    def action_search(self) -> None:
        """Open the search box."""
        box = self.query_one("#search", Input)
        box.remove_class("hidden")
        box.focus()

    @on(Input.Submitted, "#search")
    def _searched(self, event: Input.Submitted) -> None:
        self.search(event.value)

    def search(self, query: str) -> None:
        """Highlight ``query`` and jump to its first match below the top line."""
        self.query_one("#search", Input).add_class("hidden")
        self.pane.focus()
        count = self.pane.search(query)
        if query and not count:
            self.notify(Text(f"No match for “{visible(query)}”").plain, markup=False, timeout=2)
        elif count:
            self.pane.jump(self.pane.matches[0])
        self._status()

    def action_back(self) -> None:
        """Close the search box, end a search, or go back to the history."""
        box = self.query_one("#search", Input)
        if not box.has_class("hidden"):
            box.add_class("hidden")
            self.pane.focus()
        elif self.pane.query_text:
            self.search("")
        else:
            self.dismiss(None)

    def action_export(self) -> None:
        """Write the comparison as shown (filter, changes only) as Markdown or HTML."""
        base = self.base_version()
        stem = f"{self.name_}-v{base.number if base else 0}-v{self.key.number}"
        self.app.push_screen(ExportDialog(stem), self._export_chosen)

    def _export_chosen(self, request: ExportRequest | None) -> None:
        if request is not None and self.comparison is not None:
            self.export(request, self.comparison, self.key)

    @work(thread=True, exclusive=True, group="export")
    def export(self, request: ExportRequest, cmp: Comparison, key: ViewKey) -> None:
        """Render and write the export (worker)."""
        title = f"{self.name_} v{key.number}: {cmp.summary.headline}"
        path = request.path if request.path.is_absolute() else Path.cwd() / request.path
        try:
            write_export(cmp, key, path, request.fmt, title)
        except OSError as exc:
            self.post_message(LoadFailed(f"cannot write {path}: {exc.strerror or exc}"))
            return
        self.post_message(ExportWritten(path))

    def on_export_written(self, message: ExportWritten) -> None:
        """Tell where the export went."""
        self.notify(f"Exported to {message.path}", title="Export", markup=False)
