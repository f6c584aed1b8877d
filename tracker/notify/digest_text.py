"""The plain-text part of a digest: readable in any mail client, words marked ``[-…-]``
(deleted) and ``{+…+}`` (inserted) as in wdiff."""

from __future__ import annotations

from tracker.diff.render import render_string
from tracker.diff.render.labels import sanitize
from tracker.notify.views import ChangeView, PolicyView

RULE = "=" * 72


def version_line(view: ChangeView) -> str:
    """``version 3 (2024-01-10) → version 4 (2024-03-02)``."""
    new = view.entry.new
    after = f"version {new.number} ({new.first_seen:%Y-%m-%d})"
    old = view.entry.old
    if old is None:
        return f"first {after}"
    return f"version {old.number} ({old.first_seen:%Y-%m-%d}) → {after}"


def _change(view: ChangeView) -> list[str]:
    lines = [version_line(view)]
    if view.old_link:
        lines.append(f"  before: {sanitize(view.old_link)}")
    if view.new_link:
        lines.append(f"  after:  {sanitize(view.new_link)}")
    # The redline starts with the comparison's headline, counts and categories; each clause
    # carries its section, kind, categories, flags and significance.
    lines += ["", render_string(view.cmp, "text", changes_only=True, context=1).rstrip(), ""]
    return lines


def _policy(policy: PolicyView) -> list[str]:
    name = sanitize(policy.name)
    lines = [RULE, f"{name} — {policy.significance.upper()}", sanitize(policy.url), ""]
    for view in policy.changes:
        lines += _change(view)
    lines.append(f"Open it in Redline's terminal UI:  redline tui {name}")
    lines.append("")
    return lines


def footer(recipient: str, cadence: str) -> list[str]:
    """Why the reader gets this, and how to stop it."""
    return [
        "--",
        f"You get this {cadence} digest because {sanitize(recipient)} is subscribed in Redline.",
        f"To stop it: redline unsubscribe {sanitize(recipient)}",
    ]


def body(policies: list[PolicyView], recipient: str, cadence: str) -> str:
    """The whole text part."""
    count = sum(len(p.changes) for p in policies)
    noun = "change" if count == 1 else "changes"
    where = "policy" if len(policies) == 1 else "policies"
    lines = ["Privacy policy changes", f"{count} {noun} in {len(policies)} {where}.", ""]
    for policy in policies:
        lines += _policy(policy)
    lines += footer(recipient, cadence)
    return "\n".join(lines) + "\n"
