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
from collections.abc import Iterator
from dataclasses import dataclass

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
_ROW = re.compile(r"[ \t]*\|")
_ROW_RULE = re.compile(r"[ \t]*\|?(?:[ \t]*:?-+:?[ \t]*\|?)+[ \t]*\r?$")
_QUOTE = re.compile(r" {0,3}>")
_EMPTY_QUOTE = re.compile(r"(?:[ \t]*>)+\s*$")  # "> " alone separates quoted paragraphs
_BOLD_LINE = re.compile(r"(\*\*|__)(?=\S)([^*_\n]+)(?<=\S)\1:?")


@dataclass(frozen=True, slots=True)
class Clause:
    """One clause: its span in the text, its text and the headings above it."""

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


def segment(text: str, start: int = 0, end: int | None = None) -> list[Clause]:
    """The clauses of ``text`` whose blocks start in ``text[start:end]``, in order.

    Blocks before ``start`` are read only for their headings (section paths); ``start`` and
    ``end`` should fall on block boundaries (see :func:`block_boundary`).
    """
    stop = len(text) if end is None else end
    stack: list[tuple[int, str]] = []
    clauses: list[Clause] = []
    for block in _blocks(text, stop):
        in_range = block.start >= start
        if block.kind == "heading":
            title = fold_title(text[block.start : block.end])
            while stack and stack[-1][0] >= block.level:
                stack.pop()
            if in_range:
                section = tuple(t for _, t in stack)
                clauses.append(Clause(block.start, block.end, text[block.start : block.end],
                                      section, heading=True))
            stack.append((block.level, title))
        elif in_range:
            section = tuple(t for _, t in stack)
            spans = [(block.start, block.end)] if block.kind == "row" else sentences(
                text, block.start, block.end)
            clauses.extend(Clause(a, b, text[a:b], section) for a, b in spans)
    return clauses


def block_boundary(text: str, position: int, forward: bool) -> int:
    """A position near ``position`` where a block surely starts: just after a blank line.

    Searching backwards gives the last such position at or before ``position`` (0 if none);
    forwards, the first at or after it (``len(text)`` if none).
    """
    if forward:
        found = text.find("\n\n", position)
        return len(text) if found < 0 else found + 2
    found = text.rfind("\n\n", 0, position)
    return 0 if found < 0 else found + 2


def _lines(text: str, stop: int) -> Iterator[tuple[int, int]]:
    """(start, end) of each line up to ``stop``, without its newline."""
    pos = 0
    while pos < stop:
        newline = text.find("\n", pos, stop)
        end = stop if newline < 0 else newline
        yield pos, end
        pos = end + 1


def _trimmed_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def _blocks(text: str, stop: int) -> Iterator[_Block]:
    """The blocks of ``text[:stop]`` in order (module docstring)."""
    current: _Block | None = None
    for pos, end in _lines(text, stop):
        if _BLANK.match(text, pos, end):
            if current:
                yield _finish(text, current)
            current = None
            continue
        last = _trimmed_end(text, pos, end)
        if current and current.kind == "para" and (underline := _SETEXT.match(text, pos, end)):
            level = 1 if underline.group(1)[0] == "=" else 2
            yield _Block("heading", current.start, last, level)
            current = None
            continue
        opened = _opened(text, pos, end, last, current)
        if opened is None:  # a continuation line
            if current is None:
                current = _Block("para", _INDENT.match(text, pos, end).end(), last)
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


def _opened(text: str, pos: int, end: int, last: int, current: _Block | None) -> _Block | None:
    """The block a line opens, None for a continuation line; a "skip" block for pure markup."""
    if _BREAK.match(text, pos, end):
        return _Block("skip", pos, pos)
    atx = _ATX.match(text, pos, end)
    if atx:
        return _Block("heading", atx.start(1), last, len(atx.group(1)))
    if _ROW.match(text, pos, end):
        if _ROW_RULE.match(text, pos, end):
            return _Block("skip", pos, pos)
        return _Block("row", _INDENT.match(text, pos, end).end(), last)
    if _QUOTE.match(text, pos, end):
        if _EMPTY_QUOTE.match(text, pos, end):
            return _Block("skip", pos, pos)
        if current and current.kind == "quote":
            return None
        return _Block("quote", _INDENT.match(text, pos, end).end(), last)
    if _ITEM.match(text, pos, end):
        return _Block("item", _INDENT.match(text, pos, end).end(), last)
    if current and current.kind == "quote":
        return _Block("para", _INDENT.match(text, pos, end).end(), last)
    return None


def _finish(text: str, block: _Block) -> _Block:
    """A closed block; a paragraph that is one short bold phrase becomes a pseudo-heading."""
    if block.kind == "para" and text.startswith(("**", "__"), block.start):
        bold = _BOLD_LINE.fullmatch(text, block.start, block.end)
        if bold and len(bold.group(2).split()) <= PSEUDO_HEADING_WORDS:
            return _Block("heading", block.start, block.end, PSEUDO_HEADING_LEVEL)
    return block
