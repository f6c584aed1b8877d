"""A snapshot's bytes → Markdown-ish policy text: the simple first converter.

Headings become ``#`` lines, list items ``- item`` / ``1. item``, data-table rows one line with
cells joined by `` | ``, everything else paragraphs separated by a blank line. Page furniture
(navigation, scripts, forms…) is dropped so that a site redesign does not look like a policy change.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import lxml.html
from lxml import etree

from tracker.errors import ExtractError
from tracker.extract.decode import decode_body

_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_DROP = frozenset(
    {"script", "style", "noscript", "template", "iframe", "svg", "head", "nav", "aside"}
)
# In HTML5 an article's or section's own <header>/<footer> often holds the policy's title and
# "last updated" date; only the page-level ones are furniture.
_PAGE_FURNITURE = frozenset({"header", "footer"})
_CONTENT_SECTIONS = frozenset({"article", "main", "section"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_LISTS = frozenset({"ul", "ol", "menu", "dir"})
_BLOCKS = frozenset(
    {"html", "body", "p", "div", "section", "article", "main", "blockquote", "address", "center",
     "dl", "dt", "dd", "figure", "figcaption", "fieldset", "legend", "details", "summary", "hr",
     "table", "caption", "thead", "tbody", "tfoot", "tr", "td", "th", "li", "form", "header",
     "footer", "pre"} | _HEADINGS | _LISTS
)  # fmt: skip
# A cell holding any of these is page layout (the 2001 way), not a row of data.
# Line breaks count too: a 2001 page laid out in table cells separates paragraphs with <br><br>.
_LAYOUT_SIGNS = frozenset(
    {"table", "p", "div", "br", "blockquote", "pre", "dl"} | _HEADINGS | _LISTS
)
_HTML_SNIFF = re.compile(rb"<(?:!doctype\s+html|html|head|body|title|meta|p|div|table|br)\b", re.I)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Extracted:
    """The text of a snapshot and its HTML title, if any."""

    text: str
    title: str | None


def extract(body: bytes, content_type: str | None) -> Extracted:
    """Turn a snapshot into Markdown-ish text; raise ExtractError for unsupported content types.

    An empty or blank body gives empty text: the quality gate, not extraction, rejects it.
    """
    kind = _kind(body, content_type)
    text = decode_body(body, content_type)
    if not text.strip():
        return Extracted(text="", title=None)
    if kind == "text":
        return Extracted(text=text.replace("\r\n", "\n").replace("\r", "\n"), title=None)
    return _extract_html(text)


def _kind(body: bytes, content_type: str | None) -> str:
    """Classify the snapshot as "html" or "text", sniffing when no type was recorded."""
    media = (content_type or "").split(";", 1)[0].strip().lower()
    if media in _HTML_TYPES:
        return "html"
    if "text/plain" in media:
        return "text"
    if not media:
        head = body[:1024]
        if _HTML_SNIFF.search(head):
            return "html"
        if not head.startswith(b"%PDF") and b"\x00" not in head:
            return "text"
    raise ExtractError(f"unsupported content type {content_type!r}")


def _extract_html(text: str) -> Extracted:
    """Parse decoded HTML, drop furniture, and render the remaining blocks."""
    # lxml refuses str input that still carries an XML encoding declaration (XHTML pages).
    text = _XML_DECLARATION.sub("", text, count=1)
    try:
        root = lxml.html.document_fromstring(text)
    except etree.ParserError:  # only comments or whitespace: nothing to read
        return Extracted(text="", title=None)
    titles = root.xpath("//title[not(ancestor::svg)]")
    title = _flat_text(titles[0]) if titles else ""
    _drop_furniture(root)
    writer = _Writer()
    writer.walk(root)
    return Extracted(text=writer.result(), title=title or None)


def _drop_furniture(root: lxml.html.HtmlElement) -> None:
    """Remove scripts, navigation, comments and other non-policy parts, keeping their tails."""
    doomed = [el for el in root.iter() if not isinstance(el.tag, str) or _is_furniture(el)]
    for el in doomed:
        if el.getparent() is not None:
            el.drop_tree()


def _is_furniture(el: lxml.html.HtmlElement) -> bool:
    """Whether an element is page furniture rather than policy text."""
    if el.tag in _DROP:
        return True
    if el.tag in _PAGE_FURNITURE:
        return not any(a.tag in _CONTENT_SECTIONS for a in el.iterancestors())
    # ASP.NET pages wrap the whole body in one <form>; only small forms (search, login) go.
    if el.tag == "form":
        return next(el.iter("p", *_HEADINGS), None) is None
    return False


def _texts(el: lxml.html.HtmlElement, skip: frozenset[str]) -> Iterator[str]:
    """Yield the text inside an element, with spaces where block children and <br> separate it."""
    if el.text:
        yield el.text
    for child in el:
        if child.tag not in skip:
            separate = child.tag in _BLOCKS or child.tag == "br"
            yield " " if separate else ""
            yield from _texts(child, skip)
            yield " " if separate else ""
        if child.tail:
            yield child.tail


def _flat_text(el: lxml.html.HtmlElement, skip: frozenset[str] = frozenset()) -> str:
    """An element's text on one line, whitespace collapsed."""
    return _SPACES.sub(" ", "".join(_texts(el, skip))).strip()


def _list_lines(lst: lxml.html.HtmlElement, depth: int) -> list[str]:
    """Render a list as ``- item`` or ``1. item`` lines, nested lists indented."""
    start = lst.get("start", "1").strip()
    number = int(start) if lst.tag == "ol" and start.isdigit() else 1
    lines: list[str] = []
    for child in lst:
        if child.tag in _LISTS:  # a list nested without an <li>, common in old pages
            lines.extend(_list_lines(child, depth + 1))
        if child.tag != "li":
            continue
        text = _flat_text(child, skip=_LISTS)
        if text:
            marker = f"{number}." if lst.tag == "ol" else "-"
            lines.append(f"{'  ' * depth}{marker} {text}")
            number += 1
        for sub in _sublists(child):
            lines.extend(_list_lines(sub, depth + 1))
    return lines


def _sublists(el: lxml.html.HtmlElement) -> Iterator[lxml.html.HtmlElement]:
    """Yield the outermost lists inside an element."""
    for child in el:
        if child.tag in _LISTS:
            yield child
        else:
            yield from _sublists(child)


def _table_rows(table: lxml.html.HtmlElement) -> list[str] | None:
    """Render a data table as one line per row, or None for a layout table."""
    if any(el.tag in _LAYOUT_SIGNS for el in table.iterdescendants()):
        return None
    rows = [[c for c in tr if c.tag in ("td", "th")] for tr in table.iter("tr")]
    if not any(len(cells) > 1 for cells in rows):
        return None
    lines = [_flat_text(caption) for caption in table.iter("caption")]
    for cells in rows:
        lines.append(" | ".join(t for t in (_flat_text(c) for c in cells) if t))
    return [line for line in lines if line]


class _Writer:
    """Collects inline text and emits it as blocks when a block element starts or ends."""

    def __init__(self) -> None:
        self.blocks: list[str] = []
        self.pieces: list[str] = []
        self.in_pre = 0

    def walk(self, el: lxml.html.HtmlElement) -> None:
        """Render an element and its children (not its tail)."""
        tag = el.tag
        if tag in _HEADINGS:
            text = _flat_text(el)
            self.emit(f"{'#' * int(tag[1])} {text}" if text else "")
        elif tag in _LISTS:
            self.emit("\n".join(_list_lines(el, 0)))
        elif tag == "table" and (rows := _table_rows(el)) is not None:
            self.emit("\n".join(rows))
        elif tag == "br":
            self.pieces.append("\n")
        else:
            self.walk_children(el)

    def walk_children(self, el: lxml.html.HtmlElement) -> None:
        """Render a paragraph-level or inline element's content, with its children's tails."""
        block = el.tag in _BLOCKS
        if block:
            self.flush()
        if el.tag == "pre":
            self.in_pre += 1
        self.add(el.text)
        for child in el:
            self.walk(child)
            self.add(child.tail)
        if el.tag == "pre":
            self.in_pre -= 1
        if block:
            self.flush()

    def add(self, text: str | None) -> None:
        """Append inline text; outside <pre> its newlines are just spaces."""
        if text:
            self.pieces.append(text if self.in_pre else _SPACES.sub(" ", text))

    def emit(self, block: str) -> None:
        """Close the running paragraph and add a finished block."""
        self.flush()
        if block:
            self.blocks.append(block)

    def flush(self) -> None:
        """Turn collected inline text into paragraphs; an empty line (<br><br>) splits them."""
        lines: list[str] = []
        for raw in "".join(self.pieces).splitlines():
            line = _SPACES.sub(" ", raw).strip()
            if line:
                lines.append(line)
            elif lines:
                self.blocks.append("\n".join(lines))
                lines = []
        if lines:
            self.blocks.append("\n".join(lines))
        self.pieces = []

    def result(self) -> str:
        """The blocks joined by blank lines, ending with one newline (or empty)."""
        return "\n\n".join(self.blocks) + "\n" if self.blocks else ""
