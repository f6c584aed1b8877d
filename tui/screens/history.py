"""The history screen: a policy's versions as a timeline, with a chart of change sizes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Label, Sparkline, Static

from storage.records import VersionRecord
from tracker.errors import RedlineError
from tracker.policies import History, policy_history
from tracker.terminal import visible
from tui.messages import HistoryLoaded, LoadFailed
from tui.screens.diff import DiffScreen
from tui.widgets.badges import category_label, significance_badge
from tui.widgets.rows import Palette

if TYPE_CHECKING:
    from tui.app import RedlineApp

COLUMNS = ("v", "First seen", "Words", "Changes", "Categories", "Significance", "Stated", "Notes")
CHANGED = ("added", "removed", "modified", "moved")


def changed_clauses(summary: dict[str, Any] | None) -> int:
    """How many clauses a comparison added, removed, modified or moved (cosmetic: none)."""
    return sum(int(summary.get(kind, 0)) for kind in CHANGED) if summary else 0


def _changes(summary: dict[str, Any] | None) -> Text:
    """``+2 -1 ~4 >1``: the markers read without colour."""
    if summary is None:
        return Text("first", style="dim")
    parts = [
        f"{mark}{summary.get(kind, 0)}"
        for mark, kind in zip("+-~>", CHANGED, strict=True)
        if summary.get(kind)
    ]
    if summary.get("cosmetic"):
        parts.append(f"c{summary['cosmetic']}")
    return Text(" ".join(parts) or "none", style="" if parts else "dim")


def _notes(version: VersionRecord, summary: dict[str, Any] | None) -> Text:
    notes = Text()
    if summary and summary.get("silent_change"):
        notes.append("⚠ silent ", style="bold")
    if version.revert_of is not None:
        notes.append(f"↺ v{version.revert_of} ")
    if version.technical:
        notes.append("⚙ technical", style="dim")
    notes.rstrip()
    return notes


def version_cells(
    version: VersionRecord, summary: dict[str, Any] | None, palette: Palette
) -> list[Text]:
    """The timeline cells of one version."""
    categories = list(summary.get("categories", {})) if summary else []
    stated = version.stated_date.isoformat() if version.stated_date else "—"
    return [
        Text(f"v{version.number}", style="bold"),
        Text(f"{version.first_seen:%Y-%m-%d}"),
        Text(f"{version.words:,}", justify="right"),
        _changes(summary),
        Text(visible(category_label(categories))),
        significance_badge(summary.get("significance") if summary else None, palette),
        Text(stated),
        _notes(version, summary),
    ]


class HistoryScreen(Screen[None]):
    """One policy's versions, newest last; Enter opens the redline of a version."""

    HELP_TITLE = "History"
    BINDINGS: ClassVar[list[BindingType]] = [
        # First, so that the footer always has room for it.
        Binding("question_mark", "app.help", "Help"),
        Binding("enter", "open", "Redline", show=False),
        Binding("escape,backspace", "back", "Back"),
        Binding("r", "reload", "Reload", show=False),
    ]

    def __init__(self, name: str) -> None:
        super().__init__()
        self.policy = name
        self.history: History | None = None

    @property
    def redline(self) -> RedlineApp:
        """The app, typed."""
        return cast("RedlineApp", self.app)

    def compose(self) -> ComposeResult:
        """Title, change-size chart, timeline, status line, footer."""
        yield Static(Text(visible(self.policy), style="bold"), id="title", classes="title")
        with Horizontal(id="chart-row"):
            yield Label("changes", id="chart-label")
            yield Sparkline([], id="chart")
        table: DataTable[Text] = DataTable(id="versions", cursor_type="row", zebra_stripes=True)
        table.add_columns(*COLUMNS)
        yield table
        yield Static("Loading…", id="status", classes="status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        """Start reading the history (again when the theme changes its colours)."""
        self.query_one(DataTable).focus()
        self.load()
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self.load())

    @work(thread=True, exclusive=True, group="history")
    def load(self) -> None:
        """Read the policy's versions and summaries (worker)."""
        try:
            self.post_message(HistoryLoaded(policy_history(self.redline.db, self.policy)))
        except RedlineError as exc:
            self.post_message(LoadFailed(str(exc)))

    def on_history_loaded(self, message: HistoryLoaded) -> None:
        """Fill the timeline and the chart."""
        history = self.history = message.history
        policy = history.stats.policy
        title = Text(visible(policy.name), style="bold")
        title.append("  ")
        title.append(visible(policy.url), style="dim")
        self.query_one("#title", Static).update(title)
        table: DataTable[Text] = self.query_one(DataTable)
        table.clear()
        palette = self.redline.palette()
        for version in history.versions:
            summary = history.summaries.get(version.number)
            table.add_row(*version_cells(version, summary, palette), key=str(version.number))
        if table.row_count:
            table.move_cursor(row=table.row_count - 1)
        sizes = [changed_clauses(history.summaries.get(v.number)) for v in history.versions]
        self.query_one(Sparkline).data = [float(size) for size in sizes]
        self.query_one("#status", Static).update(_status(history))

    def on_load_failed(self, message: LoadFailed) -> None:
        """Show a failed read."""
        self.query_one("#status", Static).update(Text(message.error))
        self.notify(message.error, severity="error", markup=False)

    @on(DataTable.RowSelected)
    def _row_selected(self) -> None:
        self.action_open()

    def selected(self) -> int | None:
        """The version number under the cursor."""
        table: DataTable[Text] = self.query_one(DataTable)
        if not table.row_count:
            return None
        return int(str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value))

    def action_open(self) -> None:
        """Open the redline of the selected version against its predecessor."""
        number = self.selected()
        if self.history is not None and number is not None:
            self.app.push_screen(DiffScreen(self.history, number))

    def action_back(self) -> None:
        """Back to the policies."""
        self.dismiss(None)

    def action_reload(self) -> None:
        """Read the history again."""
        self.load()


def _status(history: History) -> Text:
    stats = history.stats
    text = f"{stats.versions} versions · {stats.captures} captures"
    if stats.policy.last_error:
        return Text(text + " · last error: " + visible(stats.policy.last_error.splitlines()[0]))
    return Text(text)
