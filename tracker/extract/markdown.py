"""A cleaned HTML tree → Markdown: the writer behind :func:`tracker.extract.html.extract`.

The output is made for diffing versions of one document, so it favours stable, plain Markdown:
headings, paragraphs, ``-``/``1.`` lists, ``*em*``/``**strong**``, ``[text](href)`` links, pipe
tables, ``>`` quotes and ``Term`` / ``: definition`` groups. Literal ``*``, ``_`` or ``#`` in the
text are not escaped: escapes would be noise in every diff and the text is read, not re-rendered.
Blocks are separated by one blank line; a ``<br>`` is a line break inside its block, and two
in a row (the 2001 way of writing paragraphs) end the block. Other choices, each for a stable
text: a list item's paragraphs stay lines of the item (the list stays one block); ordered
lists are numbered ``1.`` whatever their ``type``; ``<pre>`` keeps its lines but not its
indentation (old plain-text policies were pasted into ``<pre>``, not code); ``<hr>`` only
ends a paragraph; images are dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from tracker.extract.inline import (
    BLOCKS,
    FLOW,
    HEADING,
    HEADINGS,
    INLINE,
    LISTS,
    PRE,
    BlockInside,
    Element,
    Style,
    children,
    collapse,
    flat_inline,
    inline,
    merge_split_emphasis,
    with_flag,
)
from tracker.extract.tables import data_table

# Elements block() handles itself; all others are containers or inline content.
_INTEGER = re.compile(r"[+-]?[0-9]{1,9}")  # not str.isdigit(): it accepts "²"
_SPECIAL = frozenset({"hr", "br", "img", "table", "blockquote", "dl"} | HEADINGS | LISTS)


def to_markdown(roots: Iterable[Element]) -> str:
    """Render elements (a page's body, or the parts a rule selected) as one Markdown text."""
    writer = _Writer()
    for root in roots:
        merge_split_emphasis(root)
        writer.block(root)
    blocks = writer.finish()
    return "\n\n".join(blocks) + "\n" if blocks else ""


class _Writer:
    """Collects inline text into paragraphs and emits finished blocks, in document order."""

    def __init__(self, style: Style | None = None) -> None:
        self.blocks: list[str] = []
        self.pieces: list[str] = []
        self.style = style or FLOW

    def block(self, el: Element) -> None:
        """Write one element (not its tail)."""
        tag = el.tag
        if tag not in _SPECIAL:  # most elements: straight to the common cases
            if tag in BLOCKS:
                self.container(el)
            elif isinstance(tag, str):
                self.inline_or_container(el)
        elif tag == "hr":
            self.flush()
        elif tag == "br":
            self.pieces.append("\n")
        elif tag in HEADINGS:
            text = flat_inline(el, HEADING)
            self.emit(f"{'#' * int(tag[1])} {text}" if text else "")
        elif tag in LISTS:
            self.emit("\n".join(_list_lines(el)))
        elif tag == "table":
            table = data_table(el, flat_inline)
            for block in table or ():
                self.emit(block)
            if table is None:  # a layout table: its cells are paragraphs
                self.container(el)
        elif tag == "blockquote":
            self.emit("\n>\n".join(_prefixed(b, "> ") for b in _sub_blocks(el)))
        elif tag == "dl":
            for group in _definition_groups(el):
                self.emit(group)

    def inline_or_container(self, el: Element) -> None:
        """Write an inline element; as a container if it turns out to wrap blocks.

        Most inline elements hold only inline content, so writing them inline is tried first
        rather than searching every one for blocks."""
        try:
            self.pieces.append(inline(el, self.style))
        except BlockInside:
            self.container(el)

    def container(self, el: Element) -> None:
        """Write a block's content, or an inline element that wraps blocks, in the flow."""
        block = el.tag in BLOCKS
        outer = self.style
        if block and self.pieces:
            self.flush()
        if el.tag in PRE:
            self.style = with_flag(outer, "pre")
        if text := el.text:
            self.pieces.append(collapse(text, self.style))
        for child in el:
            self.block(child)
            if tail := child.tail:
                self.pieces.append(collapse(tail, self.style))
        self.style = outer
        if block and self.pieces:
            self.flush()

    def emit(self, block: str) -> None:
        """Close the running paragraph and add a finished block."""
        self.flush()
        if block:
            self.blocks.append(block)

    def flush(self) -> None:
        """Turn the collected inline text into paragraphs; an empty line splits them."""
        text = "".join(self.pieces)
        self.pieces = []
        if not text or text.isspace():
            return
        lines: list[str] = []
        for raw in text.split("\n"):
            line = " ".join(raw.split())
            if line:
                lines.append(line)
            elif lines:
                self.blocks.append("\n".join(lines))
                lines = []
        if lines:
            self.blocks.append("\n".join(lines))

    def finish(self) -> list[str]:
        """The finished blocks."""
        self.flush()
        return self.blocks


def _sub_blocks(el: Element) -> list[str]:
    """The blocks of an element's content, written on their own (list items, quotes…)."""
    writer = _Writer()
    writer.container(el)
    return writer.finish()


def _prefixed(block: str, first: str, rest: str | None = None) -> str:
    """Prefix a block's first line with ``first`` and the others with ``rest`` (or ``first``).

    Empty lines get the prefix without its trailing space: no output line ends in a space."""
    out = []
    for n, line in enumerate(block.split("\n")):
        prefix = first if n == 0 or rest is None else rest
        out.append(prefix + line if line else prefix.rstrip())
    return "\n".join(out)


def _item_lines(el: Element) -> list[str]:
    """A list item's (or a definition's) content as lines, with no blank lines in between:
    the whole list stays one block."""
    try:  # most items hold only inline content: no writer needed
        text = children(el, FLOW)
    except BlockInside:
        return [line for block in _sub_blocks(el) for line in block.split("\n") if line.strip()]
    return [line for raw in text.split("\n") if (line := " ".join(raw.split()))]


def _list_lines(lst: Element) -> list[str]:
    """Render a list as ``- item`` or ``1. item`` lines, nested lists two spaces further in."""
    ordered = lst.tag == "ol"
    number = _int_attr(lst, "start", 1)
    lines = _stray(lst.text)  # text outside any item is shown, so it is kept, unmarked
    for child in lst:
        if child.tag in LISTS:  # a list nested without an <li>, common in old pages
            lines.extend(_prefixed(line, "  ") for line in _list_lines(child))
        elif child.tag == "li":
            number = _int_attr(child, "value", number)
            content = _item_lines(child)
            if content:
                marker = f"{number}. " if ordered else "- "
                lines.append(_prefixed("\n".join(content), marker, "  "))
                number += 1
        elif isinstance(child.tag, str):  # stray content: a paragraph in the list
            lines.extend(_item_lines(child))
        lines.extend(_stray(child.tail))
    return lines


def _stray(text: str | None) -> list[str]:
    """Loose text between list items, as a line of its own (or none if blank)."""
    if not text or text.isspace():
        return []
    line = collapse(text, INLINE).strip()
    return [line] if line else []


def _int_attr(el: Element, name: str, default: int) -> int:
    """An integer attribute (``<ol start>``, ``<li value>``), or the default."""
    value = (el.get(name) or "").strip()
    return int(value) if _INTEGER.fullmatch(value) else default


def _definition_groups(dl: Element) -> list[str]:
    """``Term`` lines followed by ``: definition`` lines, one block per group of terms."""
    groups: list[list[str]] = []
    terms_open = False
    items = [c for c in dl if isinstance(c.tag, str)]
    # HTML allows wrapping each group in a <div>; look through it.
    items = [g for c in items for g in (c if c.tag == "div" else [c]) if isinstance(g.tag, str)]
    for item in items:
        if item.tag == "dt":
            if not terms_open:
                groups.append([])
                terms_open = True
            term = flat_inline(item)
            groups[-1].extend([term] if term else [])
            continue
        lines = _item_lines(item)
        if not groups:
            groups.append([])
        if lines:
            marker = ": " if item.tag == "dd" else ""
            groups[-1].append(_prefixed("\n".join(lines), marker, "  " if marker else ""))
        terms_open = False
    return ["\n".join(group) for group in groups if group]
