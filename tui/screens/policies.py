"""The policies screen: every tracked policy with its counts, last change and status."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Footer, Input, Static
from textual.worker import get_current_worker

from storage.records import NEW, REVERT, Outcome
from tracker.checks import ArchiveClients, run_checks, select_policies
from tracker.errors import RedlineError
from tracker.monitor import CheckResult
from tracker.terminal import visible
from tui.messages import CheckProgressed, ChecksFinished, LoadFailed, PoliciesLoaded
from tui.screens.add_policy import AddPolicyScreen
from tui.screens.data import PolicyRow, load_policy_rows
from tui.screens.history import HistoryScreen
from tui.widgets.badges import significance_badge
from tui.widgets.rows import Palette

if TYPE_CHECKING:
    from tui.app import RedlineApp

# Seconds of quiet in the filter box before the table is refilled.
FILTER_DELAY = 0.12
COLUMNS = ("Policy", "Host", "Vers", "Caps", "Changed", "Significance", "Status")


class _Progress:
    """Turns check progress (called from the worker thread) into status-line messages."""

    def __init__(self, screen: PoliciesScreen) -> None:
        self._screen = screen
        self._done = self._total = self._versions = 0

    def found(self, policy: str, count: int) -> None:
        """A policy's check found ``count`` new captures."""
        self._done, self._total, self._versions = 0, count, 0
        self._post(policy)

    def processed(self, policy: str, outcome: Outcome, fetched: bool) -> None:
        """One capture of the policy was recorded."""
        self._done += 1
        self._versions += outcome.kind in (NEW, REVERT)
        self._post(policy)

    def _post(self, policy: str) -> None:
        text = (
            f"Checking {visible(policy)}: {self._done}/{self._total} captures, "
            f"{self._versions} new versions"
        )
        self._screen.post_message(CheckProgressed(text))


def _summary(results: list[CheckResult]) -> ChecksFinished:
    versions = sum(r.new_versions + r.reverts for r in results)
    found = sum(r.found for r in results)
    summary = f"Checked {len(results)} policies: {found} new captures, {versions} new versions"
    errors = [f"{visible(r.policy)}: {visible(r.error)}" for r in results if r.error]
    return ChecksFinished(summary, errors)


def _cells(row: PolicyRow, palette: Palette) -> list[Text]:
    """The table cells of a policy; every string from the web goes in as plain Text."""
    if row.last_error:
        status = Text("✗ " + visible(row.last_error.splitlines()[0]), style=palette.error)
    elif row.last_checked:
        status = Text(f"✓ checked {row.last_checked:%Y-%m-%d %H:%M}")
    else:
        status = Text("never checked", style="dim")
    changed = f"{row.last_change:%Y-%m-%d}" if row.last_change else "—"
    return [
        Text(visible(row.name), style="bold"),
        Text(visible(row.host)),
        Text(str(row.versions), justify="right"),
        Text(str(row.captures), justify="right"),
        Text(changed),
        significance_badge(row.significance, palette),
        status,
    ]


class PoliciesScreen(Screen[None]):
    """A filterable table of the tracked policies."""

    HELP_TITLE = "Policies"
    BINDINGS: ClassVar[list[BindingType]] = [
        # First, so that the footer always has room for it.
        Binding("question_mark", "app.help", "Help"),
        Binding("enter", "open", "Open", show=False),
        Binding("slash", "filter", "Filter"),
        Binding("a", "add", "Add"),
        Binding("c", "check", "Check"),
        Binding("C", "check_all", "Check all shown", show=False),
        Binding("r", "reload", "Reload", show=False),
        Binding("escape", "clear_filter", "Clear filter", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[PolicyRow] = []
        self._cells: dict[str, list[Text]] = {}  # made once per load, reused by every filter
        self._note = ""  # the last check's summary, kept in the status line
        self._refill: Timer | None = None

    @property
    def redline(self) -> RedlineApp:
        """The app, typed."""
        return cast("RedlineApp", self.app)

    def compose(self) -> ComposeResult:
        """Title, filter, table, status line, footer."""
        yield Static("Redline · policies", id="title", classes="title")
        yield Input(placeholder="Filter: / then type", id="filter", compact=True)
        table: DataTable[Text] = DataTable(id="policies", cursor_type="row", zebra_stripes=True)
        table.add_columns(*COLUMNS)
        yield table
        yield Static("Loading…", id="status", classes="status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        """Start reading the policies; read them again when the theme (colours) changes."""
        self.query_one(DataTable).focus()
        self.load()
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self.load())

    @work(thread=True, exclusive=True, group="policies")
    def load(self) -> None:
        """Read the policies table's rows (worker)."""
        try:
            self.post_message(PoliciesLoaded(load_policy_rows(self.redline.db)))
        except RedlineError as exc:
            self.post_message(LoadFailed(str(exc)))

    def on_policies_loaded(self, message: PoliciesLoaded) -> None:
        """Show the rows that were read."""
        self._rows = message.rows
        palette = self.redline.palette()
        self._cells = {row.name: _cells(row, palette) for row in self._rows}
        self._fill()

    def _shown(self) -> list[PolicyRow]:
        needle = self.query_one("#filter", Input).value.strip().lower()
        if not needle:
            return self._rows
        return [
            row
            for row in self._rows
            if needle in row.name.lower()
            or needle in row.url.lower()
            or needle in (row.last_error or "").lower()
        ]

    def _fill(self) -> None:
        table: DataTable[Text] = self.query_one(DataTable)
        selected = self.selected()
        table.clear()
        shown = self._shown()
        for row in shown:
            table.add_row(*self._cells[row.name], key=row.name)
        if selected is not None and any(row.name == selected for row in shown):
            table.move_cursor(row=table.get_row_index(selected))
        status = f"{len(shown)} of {len(self._rows)} policies"
        note = self._note or ("" if self._rows else "press a to add one")
        self.query_one("#status", Static).update(Text(" · ".join(filter(None, [status, note]))))

    def selected(self) -> str | None:
        """The name of the policy under the cursor."""
        table: DataTable[Text] = self.query_one(DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        return str(key.value)

    @on(Input.Changed, "#filter")
    def _filter_changed(self) -> None:
        # Refilling a table of a thousand policies takes a tenth of a second: wait until
        # typing pauses rather than refill on every key.
        if self._refill is not None:
            self._refill.stop()
        self._refill = self.set_timer(FILTER_DELAY, self._fill)

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self) -> None:
        if self._refill is not None:
            self._refill.stop()
        self._fill()
        self.query_one(DataTable).focus()

    @on(DataTable.RowSelected)
    def _row_selected(self) -> None:
        self.action_open()

    def action_open(self) -> None:
        """Open the selected policy's history."""
        name = self.selected()
        if name is not None:
            self.app.push_screen(HistoryScreen(name))

    def action_filter(self) -> None:
        """Focus the filter box."""
        self.query_one("#filter", Input).focus()

    def action_clear_filter(self) -> None:
        """Empty the filter and return to the table."""
        self.query_one("#filter", Input).value = ""
        self._filter_submitted()

    def action_reload(self) -> None:
        """Read the policies again."""
        self.load()

    def action_add(self) -> None:
        """Open the add-policy form; the table reloads when a policy was added."""

        def added(name: str | None) -> None:
            if name:
                self.notify(f"Added {visible(name)}", markup=False)
                self.load()

        self.app.push_screen(AddPolicyScreen(), added)

    def action_check(self) -> None:
        """Check the selected policy for new captures now."""
        name = self.selected()
        if name is not None:
            self._start_check([name])

    def action_check_all(self) -> None:
        """Check every policy the filter shows."""
        self._start_check([row.name for row in self._shown()])

    def _start_check(self, names: list[str]) -> None:
        # One check at a time: two would race to record the same captures.
        if any(w.group == "check" and w.is_running for w in self.workers):
            self.notify("A check is already running", severity="warning", timeout=3)
        elif names:
            self.check(names)

    @work(thread=True, exclusive=True, group="check")
    def check(self, names: list[str]) -> None:
        """Run checks of the named policies (worker); progress goes to the status line."""
        app, worker = self.redline, get_current_worker()
        self.post_message(CheckProgressed(f"Checking {len(names)} policies…"))
        clients = ArchiveClients(app.settings.archive, app.clock)
        try:
            results = run_checks(
                app.db,
                select_policies(app.db, names),
                clients,
                clock=app.clock,
                progress=_Progress(self),
                # Quitting cancels the worker; the check stops after the capture in hand.
                should_stop=lambda: worker.is_cancelled,
                thresholds=app.settings.quality,
            )
        except RedlineError as exc:
            self.post_message(ChecksFinished("Check failed", [str(exc)]))
            return
        finally:
            clients.close()
        self.post_message(_summary(results))

    def on_check_progressed(self, message: CheckProgressed) -> None:
        """Show check progress in the status line."""
        self.query_one("#status", Static).update(Text(message.text))

    def on_checks_finished(self, message: ChecksFinished) -> None:
        """Report the check, forget stale comparisons and reload the table."""
        self._note = message.summary
        self.query_one("#status", Static).update(Text(message.summary))
        for error in message.errors:
            self.notify(error, title="Check failed", severity="error", markup=False)
        self.redline.comparisons.clear()
        self.load()

    def on_load_failed(self, message: LoadFailed) -> None:
        """Show a failed read."""
        self.query_one("#status", Static).update(Text(message.error))
        self.notify(message.error, severity="error", markup=False)
