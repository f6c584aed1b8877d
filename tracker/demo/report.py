"""What `redline demo` prints: each policy's versions, every stored change, the latest redline.

Functions return lines (or a string) so the command decides where they go. Headlines and
section names come from policy text, so they pass through ``visible`` before printing.
"""

from __future__ import annotations

from collections import defaultdict

from storage.db import Database
from storage.records import REJECTED, SAME, VersionRecord
from tracker.diff import Change, Comparison
from tracker.diff.model import KINDS, rank
from tracker.diff.render import render_string
from tracker.diffing import version_comparison
from tracker.policies import History, policy_history
from tracker.terminal import visible

_WIDTH = 7  # the widest significance label, "MEDIUM", and a space


def _day(version: VersionRecord) -> str:
    return version.first_seen.date().isoformat()


def _stated(version: VersionRecord) -> str:
    return f"stated {version.stated_date.isoformat()}" if version.stated_date else "no stated date"


def policy_report(db: Database, name: str) -> list[str]:
    """The policy, its captures' fates, and one line per version with its headline."""
    history = policy_history(db, name, with_captures=True)
    lines = [f"{name}  {history.stats.policy.url}", f"  {_capture_counts(history)}"]
    for version in history.versions:
        lines.append(_version_line(history, version))
    for capture in history.captures or []:
        if capture.outcome == REJECTED:
            day = f"{capture.timestamp[:4]}-{capture.timestamp[4:6]}-{capture.timestamp[6:8]}"
            lines.append(f"  rejected capture of {day}: {visible(capture.reason or '')}")
    return lines


def _capture_counts(history: History) -> str:
    captures = history.captures or []
    same = sum(1 for c in captures if c.outcome == SAME)
    rejected = sum(1 for c in captures if c.outcome == REJECTED)
    return (
        f"{len(captures)} captures → {len(history.versions)} versions, "
        f"{same} with unchanged text, {rejected} rejected"
    )


def _version_line(history: History, version: VersionRecord) -> str:
    """``v5  2014-04-22  HIGH   headline  [silent change]``."""
    head = f"  v{version.number:<3} {_day(version)}  "
    summary = history.summaries.get(version.number)
    if summary is None:
        return f"{head}{'':{_WIDTH}}first version: {version.words} words, {_stated(version)}"
    silent = "  [silent change: the stated date did not move]" if summary["silent_change"] else ""
    level = summary["significance"].upper()
    return f"{head}{level:{_WIDTH}}{visible(summary['headline'])}{silent}"


def change_list(db: Database, name: str) -> list[str]:
    """Every stored change of the policy, version by version, grouped by kind and level.

    One line per (kind, significance) with how many changes, the categories they touch and
    their flags: ``modified ×2  high    third_party_sharing, user_choice  flags: negation``.
    """
    history = policy_history(db, name)
    lines = []
    for version in history.versions[1:]:
        cmp = version_comparison(db, name, version.number)
        lines.append(f"  v{version.number:<3} {_day(version)}  {_stated(version)}")
        lines.extend(_group_lines(cmp))
    return lines


def _group_lines(cmp: Comparison) -> list[str]:
    groups: dict[tuple[str, str], list[Change]] = defaultdict(list)
    for change in cmp.changes:
        groups[(change.kind, change.significance)].append(change)
    order = sorted(groups, key=lambda key: (KINDS.index(key[0]), -rank(key[1])))
    lines = []
    for kind, level in order:
        changes = groups[(kind, level)]
        categories = sorted({c for change in changes for c in change.categories})
        flags = sorted({f for change in changes for f in change.flags})
        text = f"      {kind:<9}×{len(changes):<3}{level:<{_WIDTH}}{', '.join(categories)}"
        lines.append(text + (f"  flags: {', '.join(flags)}" if flags else ""))
    return lines or ["      (no changes)"]


def latest_redline(db: Database, name: str) -> tuple[str, str]:
    """A title and the plain-text redline of the policy's latest version against the one before."""
    history = policy_history(db, name)
    latest = history.versions[-1]
    cmp = version_comparison(db, name, latest.number)
    before = f"v{latest.number - 1} → " if latest.number > 1 else ""
    title = f"The latest change to {name} ({before}v{latest.number}, {_day(latest)}):"
    return title, render_string(cmp, "text")
