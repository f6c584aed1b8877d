"""A terminal redline as a ``rich.text.Text``.

Policy text is untrusted web text. It is only ever added with ``Text.append(text, style)``
after :func:`sanitize`, never parsed as console markup, so ``[red]`` in a policy prints as
written and escape sequences in it print as ``\\x1b`` instead of reaching the terminal.
"""

from __future__ import annotations

from rich.text import Text

from ..model import Comparison
from .labels import categories_line, counts, dates_line, header_fields, sanitize, silent_line
from .layout import Line, Piece, hunks

STYLES = {"delete": "red strike", "insert": "green underline"}
MOVED_STYLE = "cyan"
MARKER_STYLES = {"+": "bold green", "-": "bold red", "~": "bold yellow", ">": "bold cyan"}
FIELD_STYLES = {"moved": "dim cyan"}
LEVEL_STYLES = {"high": "bold red", "medium": "bold yellow", "low": "bold", "none": "dim"}
# Without colour a reader still needs to tell deleted words from inserted ones: wdiff brackets.
BRACKETS = {"delete": ("[-", "-]"), "insert": ("{+", "+}")}
HUNK_GAP = "⋯"


def render_text(
    cmp: Comparison, *, changes_only: bool = True, context: int = 1, word_markers: bool = False
) -> Text:
    """A redline of a comparison for the terminal.

    The summary headline and counts come first; then each changed line (with ``context``
    unchanged lines around it, or the whole new text when ``changes_only`` is False) under a
    dim header naming its section, kind, categories, flags and significance. Lines start with
    ``+`` added, ``-`` removed, ``~`` modified or cosmetic, ``>`` moved, so the output reads
    without colour; ``word_markers`` also wraps deleted and inserted words in ``[-…-]`` and
    ``{+…+}`` for plain-text output.
    """
    out = Text()
    _summary(out, cmp)
    for number, hunk in enumerate(hunks(cmp, changes_only=changes_only, context=context)):
        if number:
            out.append(HUNK_GAP + "\n", style="dim")
        for line in hunk:
            _line(out, cmp, line, word_markers)
    out.rstrip()
    return out


def _summary(out: Text, cmp: Comparison) -> None:
    """Headline, counts, categories, dates and a silent-change warning."""
    out.append(sanitize(cmp.summary.headline) + "\n", style="bold")
    out.append(counts(cmp.summary) + "\n")
    for extra, style in (
        (categories_line(cmp.summary), "dim"),
        (dates_line(cmp), "dim"),
        (silent_line(cmp), "bold yellow"),
    ):
        if extra:
            out.append(extra + "\n", style=style)
    if cmp.changes:
        out.append("\n")


def _header(out: Text, cmp: Comparison, index: int) -> None:
    """One dim line: ``§ section · kind · categories · flags · SIGNIFICANCE``."""
    change = cmp.changes[index]
    for number, (role, text) in enumerate(header_fields(cmp, change)):
        if number:
            out.append(" · ", style="dim")
        if role == "significance":
            out.append(text, style=LEVEL_STYLES.get(change.significance, "bold"))
        else:
            out.append(text, style=FIELD_STYLES.get(role, "dim"))
    out.append("\n")


def _line(out: Text, cmp: Comparison, line: Line, word_markers: bool) -> None:
    """A line's headers, then its marker and pieces."""
    for index in line.starts:
        _header(out, cmp, index)
    if line.blank:
        out.append("\n")
        return
    out.append(line.marker, style=MARKER_STYLES.get(line.marker, ""))
    out.append(" ")
    for piece in line.pieces:
        _piece(out, cmp, piece, word_markers)
    out.append("\n")


def _piece(out: Text, cmp: Comparison, piece: Piece, word_markers: bool) -> None:
    """One run of policy text, styled by its op (and by the change it belongs to)."""
    text = sanitize(piece.text)
    if piece.op in STYLES:
        opening, closing = BRACKETS[piece.op] if word_markers else ("", "")
        out.append(opening + text + closing, style=STYLES[piece.op])
    elif piece.change is not None and cmp.changes[piece.change].kind == "moved":
        out.append(text, style=MOVED_STYLE)
    else:
        out.append(text)
