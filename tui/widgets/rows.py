"""A comparison (or a version's text) as rows for :class:`~tui.widgets.redline.RedlinePane`.

Policy text is untrusted: it only ever reaches a ``Text`` through ``Text.append`` / the
constructor after ``sanitize``/``visible`` (the diff renderers do the same), never through
markup, so ``[bold]`` in a policy shows as written and escape sequences show as ``\\x1b``.
Every change is readable without colour: line markers (``+ - ~ >``), strike-through for
deleted words, underline for inserted ones.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from rich.color import Color
from rich.style import Style
from rich.text import Span, Text

from tracker.diff import Comparison
from tracker.diff.model import rank
from tracker.diff.render import render_text
from tracker.diff.render.labels import (
    categories_line,
    counts,
    dates_line,
    header_fields,
    sanitize,
    silent_line,
)
from tracker.diff.render.layout import Line, hunks
from tracker.terminal import visible

HUNK_GAP = "⋯"


@dataclass(frozen=True)
class Palette:
    """Theme colours the rows use (taken from the app's theme on the UI thread)."""

    error: str = "red"
    success: str = "green"
    warning: str = "yellow"
    accent: str = "cyan"

    def swap(self, name: str) -> str | None:
        """The theme colour standing in for an ANSI colour name the renderers use."""
        return {
            "red": self.error,
            "green": self.success,
            "yellow": self.warning,
            "cyan": self.accent,
        }.get(name)


@dataclass(frozen=True)
class Row:
    """One logical line: one column (``right`` None) or an old/new pair side by side."""

    left: Text
    right: Text | None = None
    anchor: bool = False  # a change header: where n/N stop


def themed(text: Text, palette: Palette) -> Text:
    """``text`` with the renderer's ANSI colours replaced by the theme's (styles kept)."""
    memo: dict[str, Style | str] = {}

    def swap(style: Style | str) -> Style | str:
        if not isinstance(style, str):
            return style
        if style not in memo:
            parsed = Style.parse(style)
            colour = palette.swap(parsed.color.name) if parsed.color else None
            memo[style] = parsed + Style(color=Color.parse(colour)) if colour else style
        return memo[style]

    text.spans[:] = [Span(s.start, s.end, swap(s.style)) for s in text.spans]
    return text


def filtered(cmp: Comparison, category: str | None, minimum: str) -> Comparison:
    """The comparison keeping only changes in ``category`` (any when None) at ``minimum`` or
    above; the text outside kept changes then reads as unchanged."""
    if category is None and minimum == "none":
        return cmp
    keep = tuple(
        change
        for change in cmp.changes
        if (category is None or category in change.categories)
        and rank(change.significance) >= rank(minimum)
    )
    return replace(cmp, changes=keep)


def inline_rows(cmp: Comparison, *, changes_only: bool, palette: Palette) -> list[Row]:
    """The redline of :func:`render_text`, one row per line, change headers as anchors.

    The headline (its first line) is left out: the screen shows it above the rows.
    """
    text = themed(render_text(cmp, changes_only=changes_only, context=1), palette)
    rows = []
    in_body = False  # the summary ends at the first blank line; headers come after it
    for line in text.split("\n", allow_blank=True)[1:]:
        # Body lines start with a marker and a space, so only a header starts with "§".
        rows.append(Row(line, anchor=in_body and line.plain.startswith("§ ")))
        in_body = in_body or not line.plain
    return rows


def summary_rows(cmp: Comparison, palette: Palette) -> list[Row]:
    """Counts, categories, stated dates and a silent-change warning (the screen shows the
    headline above the rows)."""
    rows = [Row(Text(counts(cmp.summary)))]
    for line, style in (
        (categories_line(cmp.summary), "dim"),
        (dates_line(cmp), "dim"),
        (silent_line(cmp), f"bold {palette.warning}"),
    ):
        if line:
            rows.append(Row(Text(line, style=style)))
    return [*rows, Row(Text())]


def header(cmp: Comparison, index: int, palette: Palette) -> Text:
    """A change's header: section, kind, categories, flags, significance (and a move)."""
    levels = {"high": palette.error, "medium": palette.warning}
    change = cmp.changes[index]
    out = Text()
    for number, (role, field) in enumerate(header_fields(cmp, change)):
        if number:
            out.append(" · ", style="dim")
        if role == "significance":
            out.append(field, style=f"bold {levels.get(change.significance, '')}".strip())
        else:
            out.append(field, style=f"dim {palette.accent}" if role == "moved" else "dim")
    return out


def side_rows(cmp: Comparison, *, changes_only: bool, palette: Palette) -> list[Row]:
    """Old text left, new text right: deletions struck through on the left, insertions
    underlined on the right, each change's header spanning both columns."""
    rows = summary_rows(cmp, palette)
    rows.append(Row(Text("old", style="bold"), Text("new", style="bold")))
    for number, hunk in enumerate(hunks(cmp, changes_only=changes_only, context=1)):
        if number:
            rows.append(Row(Text(HUNK_GAP, style="dim")))
        for line in hunk:
            rows += [Row(header(cmp, i, palette), anchor=True) for i in line.starts]
            rows.append(_pair(cmp, line, palette))
    return rows


def _pair(cmp: Comparison, line: Line, palette: Palette) -> Row:
    """One line of the layout split into its old and new sides."""
    deleted = Style(color=Color.parse(palette.error), strike=True)
    inserted = Style(color=Color.parse(palette.success), underline=True)
    left, right = Text(), Text()
    ops = {piece.op for piece in line.pieces}
    moved = line.marker == ">"
    left.append(("-" if "delete" in ops else ">" if moved else " ") + " ", style="bold")
    right.append(("+" if "insert" in ops else ">" if moved else " ") + " ", style="bold")
    for piece in line.pieces:
        text = sanitize(piece.text)
        if piece.op == "delete":
            left.append(text, style=deleted)
        elif piece.op == "insert":
            right.append(text, style=inserted)
        else:
            style = palette.accent if moved else ""
            left.append(text, style=style)
            right.append(text, style=style)
    return Row(left, right)


def text_rows(text: str) -> list[Row]:
    """A version's full text, control characters made visible."""
    return [Row(Text(visible(line))) for line in text.replace("\r\n", "\n").split("\n")]
