"""Words every renderer shows around the text: counts, section paths, change headers.

Also the one place where untrusted policy text is made safe to print on a terminal.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from ..model import Change, Comparison, Span, Summary

# C0 controls except tab and line feed, DEL, and C1 controls: a terminal acts on these (colours,
# cursor moves, OSC 52 clipboard writes), so policy text shows them as escapes instead.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$", re.MULTILINE)
KIND_ORDER = ("added", "removed", "modified", "moved", "cosmetic")


def sanitize(text: str) -> str:
    r"""Text with control characters replaced by visible escapes such as ``\x1b``."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def section_label(section: tuple[str, ...]) -> str:
    """A section path as a reader sees it, e.g. ``§ Sharing › Advertisers``."""
    return "§ " + " › ".join(sanitize(s) for s in section) if section else "§ (top)"


def counts(summary: Summary) -> str:
    """The counts line: ``2 added · 1 removed · … · significance HIGH``."""
    parts = [f"{getattr(summary, kind)} {kind}" for kind in KIND_ORDER if getattr(summary, kind)]
    parts.append(f"significance {summary.significance.upper()}")
    return " · ".join(parts)


def categories_line(summary: Summary) -> str:
    """The categories the changes touch, with how many changes touch each ('' if none)."""
    return ", ".join(f"{sanitize(k)} ×{v}" for k, v in summary.categories.items())


def dates_line(cmp: Comparison) -> str:
    """The stated 'last updated' dates of both texts ('' when neither states one)."""
    old, new = cmp.old.last_updated, cmp.new.last_updated
    if not old and not new:
        return ""
    return f"last updated {sanitize(old or '?')} → {sanitize(new or '?')}"


def silent_line(cmp: Comparison) -> str:
    """A warning when the text changed in substance but its stated date did not ('' if not)."""
    if not cmp.summary.silent_change:
        return ""
    date = sanitize(cmp.new.last_updated or "")
    return f"Silent change: substantive edits, but the stated date stayed {date}".rstrip() + "."


def old_section(text: str, offset: int) -> tuple[str, ...]:
    """The Markdown heading path above an offset of a text (ATX headings only)."""
    path: list[tuple[int, str]] = []
    for match in _HEADING.finditer(text, 0, offset):
        level = len(match.group(1))
        path = [(lv, title) for lv, title in path if lv < level]
        path.append((level, match.group(2).strip()))
    return tuple(title for _, title in path)


def moved_from(cmp: Comparison, change: Change) -> str:
    """Where a moved clause came from: its old section, or earlier/later in the text."""
    if change.kind != "moved" or change.old is None:
        return ""
    before = old_section(cmp.old_text, change.old.start)
    if before and before != change.section:
        return "moved from " + section_label(before)
    if change.new is None:
        return "moved"
    # Where it sat among the text both versions share tells earlier from later.
    olds = outside(cmp.old_text, [c.old for c in cmp.changes if c.old])
    news = outside(cmp.new_text, [c.new for c in cmp.changes if c.new])
    was, now = bisect_left(olds, change.old.start), bisect_left(news, change.new.start)
    if was == now:
        return "moved within " + section_label(change.section)
    return "moved from " + ("earlier" if was < now else "later") + " in the text"


def outside(text: str, spans: list[Span]) -> list[int]:
    """Offsets of the non-whitespace characters of text outside every span, in order."""
    inside = bytearray(len(text) + 1)
    for span in spans:
        inside[span.start : span.end] = b"\x01" * (span.end - span.start)
    return [i for i, ch in enumerate(text) if not inside[i] and not ch.isspace()]


def header_fields(cmp: Comparison, change: Change) -> list[tuple[str, str]]:
    """A change's header as (role, text) fields, in order; renderers style each role.

    Roles: ``section``, ``kind``, ``categories``, ``flags``, ``significance``, ``moved``.
    """
    fields = [("section", section_label(change.section)), ("kind", change.kind)]
    if change.categories:
        fields.append(("categories", ", ".join(sanitize(c) for c in change.categories)))
    if change.flags:
        fields.append(("flags", ", ".join(sanitize(f) for f in change.flags)))
    fields.append(("significance", sanitize(change.significance).upper()))
    moved = moved_from(cmp, change)
    if moved:
        fields.append(("moved", moved))
    return fields
