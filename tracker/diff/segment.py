"""Markdown text → blocks → clauses, each with its exact span and its section path.

Blocks are read line by line, as CommonMark does for the constructs extracted policies use: ATX
headings (``# …``), setext headings (a paragraph underlined with ``===`` or ``---``), paragraphs,
list items (``-`` ``*`` ``+`` ``1.`` ``1)``, lazy continuation lines included), table rows
(``| … |``; the ``|---|`` rule is markup, not a clause) and blockquotes (``>``). A blank line
ends any block. A paragraph that is one short bold phrase ("**YOUR RIGHTS**") is read as a
heading below all others (level 7), because many policies mark their sections that way.

Headings and table rows are one clause each; paragraphs, list items and quotes are split into
sentences (:mod:`tracker.diff.sentences`). A clause's span starts at its first character after
indentation (a list marker is inside the first clause of its item), ends after its last
non-blank character, and ``text[start:end]`` is the clause. Everything is one pass over the text.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from tracker.diff.cosmetic import fold_title
from tracker.diff.sentences import sentences

PSEUDO_HEADING_LEVEL = 7
PSEUDO_HEADING_WORDS = 12

_INDENT = re.compile(r"[ \t]*")
_BLANK = re.compile(r"\s*$")
_ATX = re.compile(r" {0,3}(#{1,6})(?=[ \t]|\r?$)")
_SETEXT = re.compile(r" {0,3}(=+|-+)[ \t]*\r?$")
_BREAK = re.compile(r" {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*\r?$")
_ITEM = re.compile(r"[ \t]*(?:[-*+]|\d{1,9}[.)])(?=[ \t]|\r?$)")
_ROW_RULE = re.compile(r"[ \t]*\|?(?:[ \t]*:?-+:?[ \t]*\|?)+[ \t]*\r?$")
_QUOTE = re.compile(r" {0,3}>")
# What a line's first character after indentation must be for the line to be markup (a rule, a
# heading, a row, a quote or a list item), a digit aside: a list number.
_MARKUP_FIRST = "-*_#|>+"
_EMPTY_QUOTE = re.compile(r"(?:[ \t]*>)+\s*$")  # "> " alone separates quoted paragraphs
# A line that may be (or underline) a heading: only pieces with one are read when skipped. The
# pattern starts with a newline, a literal the regex engine scans for quickly; it leaves the
# line's end to the next line's hint ("**Title**" underlined with "===" is a level-1 heading).
_HINT = r"[ \t]*(#+|[=-]+[ \t]*\r?(?=\n|$)|(?:\*\*|__)[^\n]*(?:\*\*|__):?[ \t]*\r?(?=\n|$))"
_HEADING_HINT = re.compile("\n" + _HINT)
_HEADING_HINT_AT = re.compile(_HINT)
# The highest level (smallest number) a heading marked so can have: "##" 2 (the number of
# marks), an "===" underline 1, a "---" one 2, a bold line a pseudo-heading.
_HINT_LEVELS = {"=": 1, "-": 2, "*": PSEUDO_HEADING_LEVEL, "_": PSEUDO_HEADING_LEVEL}
_BOLD_LINE = re.compile(r"(\*\*|__)(?=\S)([^*_\n]+)(?<=\S)\1:?")


class Clause(NamedTuple):
    """One clause: its span in the text, its text and the headings above it (a named tuple:
    thousands are made per comparison, and tuples are made fastest)."""

    start: int
    end: int
    text: str
    section: tuple[str, ...]
    heading: bool = False


@dataclass(slots=True)
class _Block:
    kind: str  # "heading" | "para" | "item" | "row" | "quote"
    start: int
    end: int
    level: int = 0


def segment(text: str) -> list[Clause]:
    """The clauses of ``text``, in order."""
    return Segmenter(text).clauses(0, len(text))


class Segmenter:
    """Segments one text a piece at a time, in order, carrying the headings across pieces.

    Pieces must start and end on block boundaries (after a blank line: see
    :func:`tracker.diff.chunks.chunks`). Pieces that need no clauses are :meth:`skip`-ped: only
    those of their blocks that may hold a heading are read, and a heading's title is only
    worked out when a clause below it is made.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self._stack: list[_Block] = []
        self._section: tuple[str, ...] | None = ()
        self._skipped: list[tuple[int, int]] = []  # pieces whose headings are not read yet
        self._titles: dict[tuple[int, int], str] = {}  # each heading's title, worked out once

    def clauses(self, start: int, end: int) -> list[Clause]:
        """The clauses of the blocks in ``text[start:end]``."""
        if self._skipped:
            self._read_skipped()
        text = self.text
        found: list[Clause] = []
        section = self._section  # None when the headings above changed: worked out when needed
        for block in _blocks(text, start, end):
            kind, first, last = block.kind, block.start, block.end
            if kind == "heading":
                self._pop(block.level)  # a heading's own path: the headings above its level
                found.append(Clause(first, last, text[first:last], self.section(), heading=True))
                self._push(block)
                section = None
                continue
            if section is None:
                section = self.section()
            if kind == "row":
                found.append(Clause(first, last, text[first:last], section))
            else:
                found.extend(
                    [Clause(a, b, text[a:b], section) for a, b in sentences(text, first, last)]
                )
        return found

    def skip(self, spans: Sequence[tuple[int, int]]) -> None:
        """Pass over consecutive pieces, whose headings only matter to the clauses after them:
        they are read when the next clauses are asked for (never, after the last ones)."""
        self._skipped.extend(spans)

    def _read_skipped(self) -> None:
        """Bring the headings above up to date with the skipped pieces.

        Only the pieces that may hold a heading are read, and from the last one back: a
        heading stays above the text that follows only while no later heading is at its level
        or above, so reading stops at a level-1 heading.
        """
        spans, self._skipped = self._skipped, []
        starts = [a for a, _ in spans]
        first = spans[0][0]
        hints = list(_HEADING_HINT.finditer(self.text, max(0, first - 1), spans[-1][1]))
        if first == 0 and (at := _HEADING_HINT_AT.match(self.text, 0, spans[0][1])):
            hints.insert(0, at)
        kept: list[_Block] = []  # the headings that stay, last first
        lowest = PSEUDO_HEADING_LEVEL + 1  # the smallest level met so far (1 is the top)
        read: set[int] = set()
        for hint in reversed(hints):
            mark = hint.group(1)
            if (len(mark) if mark[0] == "#" else _HINT_LEVELS[mark[0]]) >= lowest:
                continue  # a heading so marked could not stay above what follows
            k = bisect_right(starts, hint.end(1) - 1) - 1  # the piece the hint's mark is in
            if k in read:
                continue
            read.add(k)
            headings = [b for b in _blocks(self.text, *spans[k]) if b.kind == "heading"]
            for heading in reversed(headings):
                if heading.level < lowest:
                    kept.append(heading)
                    lowest = heading.level
            if lowest == 1:
                break
        if kept:
            self._stack = [h for h in self._stack if h.level < lowest] + kept[::-1]
            self._section = None

    def section(self) -> tuple[str, ...]:
        """The titles of the headings above the current position, outermost first."""
        if self._section is None:
            titles = self._titles
            for h in self._stack:
                if (h.start, h.end) not in titles:
                    titles[h.start, h.end] = fold_title(self.text[h.start : h.end])
            self._section = tuple(titles[h.start, h.end] for h in self._stack)
        return self._section

    def _pop(self, level: int) -> None:
        while self._stack and self._stack[-1].level >= level:
            self._stack.pop()
            self._section = None

    def _push(self, heading: _Block) -> None:
        self._pop(heading.level)
        self._stack.append(heading)
        self._section = None


def _lines(text: str, pos: int, stop: int) -> Iterator[tuple[int, int]]:
    """(start, end) of each line of ``text[pos:stop]``, without its newline."""
    while pos < stop:
        newline = text.find("\n", pos, stop)
        end = stop if newline < 0 else newline
        yield pos, end
        pos = end + 1


def _trimmed_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def _blocks(text: str, start: int, stop: int) -> Iterator[_Block]:
    """The blocks of ``text[start:stop]`` in order (module docstring)."""
    current: _Block | None = None
    for pos, end in _lines(text, start, stop):
        # What a line may be follows from its first character after indentation: each pattern
        # below is only tried on the lines it may match (most lines are plain text).
        lead = _INDENT.match(text, pos, end).end()
        first = text[lead] if lead < end else ""
        if (not first or first.isspace()) and _BLANK.match(text, pos, end):
            if current:
                yield _finish(text, current)
            current = None
            continue
        last = _trimmed_end(text, pos, end)
        if (
            first in "=-"
            and current
            and current.kind == "para"
            and (underline := _SETEXT.match(text, pos, end))
        ):
            level = 1 if underline.group(1)[0] == "=" else 2
            yield _Block("heading", current.start, last, level)
            current = None
            continue
        if first in _MARKUP_FIRST or first.isdecimal():
            opened = _opened(text, pos, end, lead, last, current)
        elif current and current.kind == "quote":
            opened = _Block("para", lead, last)
        else:
            opened = None
        if opened is None:  # a continuation line
            if current is None:
                current = _Block("para", lead, last)
            else:
                current.end = last
            continue
        if current:
            yield _finish(text, current)
        current = opened if opened.kind in ("item", "quote", "para") else None
        if opened.kind in ("heading", "row"):
            yield opened
    if current:
        yield _finish(text, current)


def _opened(
    text: str, pos: int, end: int, lead: int, last: int, current: _Block | None
) -> _Block | None:
    """The block a line opens, None for a continuation line; a "skip" block for pure markup.
    ``lead`` is the line's first position after indentation."""
    first = text[lead]
    if first in "-*_" and _BREAK.match(text, pos, end):
        return _Block("skip", pos, pos)
    if first == "#" and (atx := _ATX.match(text, pos, end)):
        return _Block("heading", atx.start(1), last, len(atx.group(1)))
    if first == "|":  # a table row
        if _ROW_RULE.match(text, pos, end):
            return _Block("skip", pos, pos)
        return _Block("row", lead, last)
    if first == ">" and _QUOTE.match(text, pos, end):
        if _EMPTY_QUOTE.match(text, pos, end):
            return _Block("skip", pos, pos)
        if current and current.kind == "quote":
            return None
        return _Block("quote", lead, last)
    if (first in "-*+" or first.isdecimal()) and _ITEM.match(text, pos, end):
        return _Block("item", lead, last)
    if current and current.kind == "quote":
        return _Block("para", lead, last)
    return None


def _finish(text: str, block: _Block) -> _Block:
    """A closed block; a paragraph that is one short bold phrase becomes a pseudo-heading."""
    if block.kind == "para" and text.startswith(("**", "__"), block.start):
        bold = _BOLD_LINE.fullmatch(text, block.start, block.end)
        if bold and len(bold.group(2).split()) <= PSEUDO_HEADING_WORDS:
            return _Block("heading", block.start, block.end, PSEUDO_HEADING_LEVEL)
    return block
