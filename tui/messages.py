"""Messages workers post back to the screens (past tense: each says what has happened)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from textual.message import Message

from tracker.diff import Comparison
from tracker.policies import History
from tui.screens.data import PolicyRow, ViewKey
from tui.widgets.rows import Row


@dataclass
class PoliciesLoaded(Message):
    """The policies table's rows were read."""

    rows: list[PolicyRow]


@dataclass
class PolicyAdded(Message):
    """A policy was added through the add dialog."""

    name: str


@dataclass
class AddRejected(Message):
    """Adding a policy failed; ``field`` names the input at fault ("" when none is)."""

    field: str
    error: str


@dataclass
class CheckProgressed(Message):
    """A check moved on: one line for the status bar."""

    text: str


@dataclass
class ChecksFinished(Message):
    """Checking ended: a one-line summary and one line per policy that failed."""

    summary: str
    errors: list[str] = field(default_factory=list)


@dataclass
class HistoryLoaded(Message):
    """A policy's versions and comparison summaries were read."""

    history: History


@dataclass
class ComparisonReady(Message):
    """A comparison was made (or read) and laid out as rows for ``key``."""

    key: ViewKey
    comparison: Comparison
    rows: list[Row]


@dataclass
class ExportWritten(Message):
    """A comparison was written to a file."""

    path: Path


@dataclass
class LoadFailed(Message):
    """A worker failed with a Redline error: one clear line to show."""

    error: str
