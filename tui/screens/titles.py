"""The diff view's title and status lines, built from data only (names are untrusted)."""

from __future__ import annotations

from rich.text import Text

from storage.records import VersionRecord
from tracker.diff import Comparison
from tracker.terminal import visible
from tui.screens.data import ViewKey
from tui.widgets.badges import CATEGORY_NAMES
from tui.widgets.rows import filtered


def version_label(version: VersionRecord) -> str:
    """``v5 (2021-03-04)``: the number and the day the version was first seen."""
    return f"v{version.number} ({version.first_seen:%Y-%m-%d})"


def diff_title(
    name: str, versions: list[VersionRecord], index: int, base: VersionRecord | None, key: ViewKey
) -> Text:
    """``acme  v5 (2021-03-04) vs v4 (2020-11-02)  [5/6]``."""
    version = versions[index]
    title = Text(visible(name), style="bold")
    if key.full_text:
        title.append(f"  {version_label(version)} · full text")
    elif base is None:
        title.append(f"  {version_label(version)} · first version")
    else:
        title.append(f"  {version_label(version)} vs {version_label(base)}")
    title.append("  ")
    title.append(f"[{index + 1}/{len(versions)}]", style="dim")
    return title


def diff_status(key: ViewKey, cmp: Comparison | None, query: str, matches: int) -> Text:
    """What the view shows: mode, filter (with how many changes pass it) and search."""
    parts = ["full text" if key.full_text else ("side by side" if key.side else "inline")]
    if not key.full_text:
        parts.append("changes only" if key.changes_only else "whole text")
    if key.filtering and cmp is not None:
        shown = filtered(cmp, key.category, key.minimum).changes
        category = CATEGORY_NAMES.get(key.category or "", "any category")
        parts.append(
            f"filter: {category}, ≥ {key.minimum} ({len(shown)} of {len(cmp.changes)} changes)"
        )
    if query:
        parts.append(f"search “{visible(query)}”: {matches} lines · n/N")
    return Text(" · ".join(parts))
