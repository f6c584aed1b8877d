"""Lay a Comparison out as lines of the new text with the changes marked in place.

Every renderer but ``unified`` shares this: it walks the new text, puts each change's inline
operations where its clause stands, places removed clauses where they stood relative to the
unchanged text, splits the result into lines and, when only changes are wanted, cuts it into
hunks of changed lines with a few unchanged lines of context, like ``diff -U``.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from ..model import Change, Comparison, InlineOp, Span
from .labels import outside

# What may stand before a clause on its line and still leave the clause the whole block.
_BLOCK_PREFIX = re.compile(r"[ \t]*(?:(?:[-*+]|\d+[.)]|#{1,6}|>)[ \t]+)?")
MARKERS = {"added": "+", "removed": "-", "modified": "~", "cosmetic": "~", "moved": ">"}


@dataclass(frozen=True)
class Piece:
    """A run of text on one line: an inline op, and the index of its change (None: unchanged)."""

    op: str
    text: str
    change: int | None = None


@dataclass(frozen=True)
class Line:
    """One output line: its pieces, the changes whose header goes above it, and its marker."""

    pieces: tuple[Piece, ...]
    starts: tuple[int, ...] = ()
    marker: str = " "

    @property
    def changed(self) -> bool:
        """Whether any change shows on this line."""
        return self.marker != " "

    @property
    def blank(self) -> bool:
        """An unchanged line holding only whitespace."""
        return not self.changed and not "".join(p.text for p in self.pieces).strip()


def clause_ops(cmp: Comparison, change: Change) -> tuple[InlineOp, ...]:
    """The inline operations to show for a change, falling back on its spans."""
    old = cmp.old_text[change.old.start : change.old.end] if change.old else ""
    new = cmp.new_text[change.new.start : change.new.end] if change.new else ""
    if change.kind == "added":
        return (("insert", new),)
    if change.kind == "removed":
        return (("delete", old),)
    if change.inline:
        return change.inline
    # No word-level ops given: an unedited move, or a change the engine did not detail.
    return (("equal", new),) if old == new else (("delete", old), ("insert", new))


class _Unchanged:
    """Where the unchanged (non-whitespace) characters of both texts are, to place removals.

    Spans cover whole clauses, so the text outside every span is what both versions share;
    whitespace between clauses may differ, which is why only non-whitespace characters count.
    """

    def __init__(self, cmp: Comparison) -> None:
        self.cmp = cmp
        olds = [block(cmp.old_text, c.old) for c in cmp.changes if c.old]
        news = [block(cmp.new_text, c.new) for c in cmp.changes if c.new]
        self.old_pos = outside(cmp.old_text, olds)
        self.new_pos = outside(cmp.new_text, news)
        self.new_starts = sorted(s.start for s in news)

    def anchor(self, change: Change) -> tuple[int, str]:
        """Where in the new text a removed clause goes, and the text to show there."""
        assert change.old is not None
        old, new = self.cmp.old_text, self.cmp.new_text
        start, end = block(old, change.old).start, change.old.end
        before = _ws_back(old, start)
        after = old[end : len(old) - len(old[end:].lstrip())]
        clause = old[start:end]
        k = min(bisect_left(self.old_pos, start), len(self.new_pos))
        pos = self.new_pos[k - 1] + 1 if k else 0
        limit = self.new_pos[k] if k < len(self.new_pos) else len(new)
        # Changes kept in order (not moves) that ended before it in the old text precede it.
        for other in self.cmp.changes:
            if other.old and other.new and other.kind != "moved" and other.old.end <= start:
                pos = max(pos, min(other.new.end, limit))
        if "\n" not in before and start > 0:
            return pos, before + clause  # mid-line: it follows the text before it
        pos = self._next_line_start(pos, limit)
        if pos == 0 or new[pos - 1] == "\n":
            return pos, clause + after
        return pos, before + clause

    def _next_line_start(self, pos: int, limit: int) -> int:
        """Skip whitespace after pos up to the last line break in it, stopping at any change."""
        new = self.cmp.new_text
        i = bisect_left(self.new_starts, pos)
        stop = min(limit, self.new_starts[i] if i < len(self.new_starts) else len(new))
        best = pos
        while pos < stop and new[pos].isspace():
            pos += 1
            if new[pos - 1] == "\n":
                best = pos
        return best


def block(text: str, span: Span) -> Span:
    """The span widened to its whole line when it is all the line holds but block markup.

    A removed list item or heading takes its bullet or ``#`` with it; left outside the span,
    that markup would look like text both versions share.
    """
    line_start = text.rfind("\n", 0, span.start) + 1
    line_end = text.find("\n", span.end)
    rest = text[span.end : len(text) if line_end < 0 else line_end]
    if rest.strip() or not _BLOCK_PREFIX.fullmatch(text[line_start : span.start]):
        return span
    return Span(line_start, span.end)


def _ws_back(text: str, end: int) -> str:
    """The whitespace run just before end."""
    start = end
    while start > 0 and text[start - 1].isspace():
        start -= 1
    return text[start:end]


def _placed(cmp: Comparison) -> list[tuple[int, int, int, tuple[InlineOp, ...]]]:
    """Each change as (position in new text, end there, index, ops), in reading order."""
    unchanged = _Unchanged(cmp)
    items = []
    for index, change in enumerate(cmp.changes):
        if change.new is not None:
            items.append((change.new.start, change.new.end, index, clause_ops(cmp, change)))
        elif change.old is not None:
            pos, text = unchanged.anchor(change)
            items.append((pos, pos, index, (("delete", text),)))
    # At one position deletions come first, as in every diff.
    items.sort(key=lambda item: (item[0], item[1] > item[0], item[2]))
    return items


def pieces(cmp: Comparison) -> list[Piece]:
    """The new text as a flat run of pieces, with every change's ops in place."""
    out: list[Piece] = []
    pos = 0
    for start, end, index, ops in _placed(cmp):
        if start > pos:
            out.append(Piece("equal", cmp.new_text[pos:start]))
        out.extend(Piece(op, text, index) for op, text in ops if text)
        pos = max(pos, end)  # overlapping spans would otherwise repeat text
    if pos < len(cmp.new_text):
        out.append(Piece("equal", cmp.new_text[pos:]))
    return out


def lines(cmp: Comparison) -> list[Line]:
    """The new text with changes in place, split into lines (CRLF counts as one break)."""
    rows: list[list[Piece]] = [[]]
    for piece in pieces(cmp):
        parts = piece.text.replace("\r\n", "\n").split("\n")
        for n, part in enumerate(parts):
            if n:
                rows.append([])
            if part:
                rows[-1].append(Piece(piece.op, part, piece.change))
    if len(rows) > 1 and not rows[-1]:
        rows.pop()  # a final line break ends the last line; it does not start another
    return _finish(cmp, rows)


def _finish(cmp: Comparison, rows: list[list[Piece]]) -> list[Line]:
    """Attach each change's header to the first line where it shows words, and set markers."""
    first: dict[int, int] = {}
    for number, row in enumerate(rows):
        for piece in row:
            if piece.change is not None and piece.text.strip():
                first.setdefault(piece.change, number)
    for number, row in enumerate(rows):  # changes of whitespace only: their first line
        for piece in row:
            if piece.change is not None:
                first.setdefault(piece.change, number)
    starts: dict[int, list[int]] = {}
    for index, number in sorted(first.items()):
        starts.setdefault(number, []).append(index)
    result = []
    for number, row in enumerate(rows):
        marks = {MARKERS[cmp.changes[p.change].kind] for p in row if p.change is not None}
        # One kind shows its own marker; a line mixing kinds reads as modified.
        marker = marks.pop() if len(marks) == 1 else ("~" if marks else " ")
        result.append(Line(tuple(row), tuple(starts.get(number, ())), marker))
    return result


def hunks(cmp: Comparison, *, changes_only: bool = True, context: int = 1) -> list[list[Line]]:
    """The lines to show: all of them as one hunk, or changed lines with context around."""
    every = lines(cmp)
    if not changes_only:
        return [every]
    keep = [False] * len(every)
    for number, line in enumerate(every):
        if line.changed:
            keep[number] = True
            _widen(every, keep, number, -1, context)
            _widen(every, keep, number, 1, context)
    _bridge_blanks(every, keep)
    groups: list[list[Line]] = []
    for number, line in enumerate(every):
        if keep[number]:
            if number == 0 or not keep[number - 1]:
                groups.append([])
            groups[-1].append(line)
    return groups


def _widen(every: list[Line], keep: list[bool], number: int, step: int, context: int) -> None:
    """Keep up to context unchanged non-blank lines in one direction (blank ones are free)."""
    left, n = context, number + step
    while left > 0 and 0 <= n < len(every) and not every[n].changed:
        if not every[n].blank:
            keep[n] = True
            left -= 1
            _fill(keep, number, n)
        n += step


def _fill(keep: list[bool], a: int, b: int) -> None:
    for n in range(min(a, b), max(a, b) + 1):
        keep[n] = True


def _bridge_blanks(every: list[Line], keep: list[bool]) -> None:
    """Blank lines between two kept lines stay, so adjacent paragraphs form one hunk."""
    n = 0
    while n < len(every):
        if every[n].blank and not keep[n]:
            end = n
            while end < len(every) and every[end].blank:
                end += 1
            if n > 0 and end < len(every) and keep[n - 1] and keep[end]:
                _fill(keep, n, end - 1)
            n = end
        else:
            n += 1
