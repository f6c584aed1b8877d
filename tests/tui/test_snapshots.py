"""Snapshots of every screen on the seeded database, at 100×30 with a fixed clock.

Regenerate after an intended change with ``pytest tests/tui --snapshot-update`` and look at
the SVGs in ``__snapshots__`` before committing them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from tui.app import RedlineApp

if TYPE_CHECKING:
    from conftest import UI

Compare = Callable[..., bool]


def test_policies_screen(
    snap_compare: Compare, make_app: Callable[..., RedlineApp], ui: type[UI]
) -> None:
    assert snap_compare(make_app(), terminal_size=ui.size, run_before=ui.steps())


def test_history_screen(
    snap_compare: Compare, make_app: Callable[..., RedlineApp], ui: type[UI]
) -> None:
    assert snap_compare(make_app(), terminal_size=ui.size, run_before=ui.steps("enter"))


def test_inline_diff(
    snap_compare: Compare, make_app: Callable[..., RedlineApp], ui: type[UI]
) -> None:
    steps = ui.steps("enter", "enter")
    assert snap_compare(make_app(), terminal_size=ui.size, run_before=steps)


def test_side_by_side_diff(
    snap_compare: Compare, make_app: Callable[..., RedlineApp], ui: type[UI]
) -> None:
    steps = ui.steps("enter", "up", "enter", "s")  # v5 (a revert) against v4
    assert snap_compare(make_app(), terminal_size=ui.size, run_before=steps)


def test_help_screen(
    snap_compare: Compare, make_app: Callable[..., RedlineApp], ui: type[UI]
) -> None:
    steps = ui.steps("enter", "enter", "question_mark")
    assert snap_compare(make_app(), terminal_size=ui.size, run_before=steps)
