"""Inline Markdown: whitespace, ``*em*``/``**strong**`` and ``[text](href)`` links.

Also the element kinds both writers need, and the one tree fix-up emphasis needs before
writing (joining split runs).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple
from urllib.parse import quote

from lxml import etree

HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
LISTS = frozenset({"ul", "ol", "menu", "dir"})
PRE = frozenset({"pre", "listing", "xmp", "plaintext"})
# Elements a browser lays out as blocks: they end the running paragraph.
BLOCKS = frozenset(
    {"html", "body", "p", "div", "section", "article", "main", "blockquote", "address",
     "center", "dl", "dt", "dd", "figure", "figcaption", "fieldset", "legend", "details",
     "summary", "hr", "table", "caption", "thead", "tbody", "tfoot", "tr", "td", "th", "li",
     "form", "header", "footer", "aside", "nav", "hgroup", "dialog", "search", "frameset",
     "noframes", "multicol"} | HEADINGS | LISTS | PRE
)  # fmt: skip
_STRONG = frozenset({"b", "strong"})
_EM = frozenset({"i", "em", "cite", "dfn"})
_SPACES = re.compile(r"\s+")
_SPACES_KEEP_NEWLINES = re.compile(r"[^\S\n]+")
_UNSAFE_HREF = re.compile(r"[()<>]")
_URL_DROPPED = re.compile(r"[\t\n\r]")

Element = etree._Element


class Style(NamedTuple):
    """What the inline content being written sits inside."""

    strong: bool = False  # no ** inside **
    em: bool = False
    link: bool = False  # links do not nest
    plain: bool = False  # headings: no emphasis, they are emphatic already
    pre: bool = False  # newlines in the source text are line breaks
    strict: bool = False  # in the flow of blocks: meeting a block raises BlockInside


INLINE = Style()
FLOW = Style(strict=True)  # the writer's running text
HEADING = Style(plain=True)


@lru_cache(maxsize=128)
def with_flag(style: Style, name: str) -> Style:
    """The style with one more flag set (cached: there are only 64 styles)."""
    return style._replace(**{name: True})


class BlockInside(Exception):
    """An inline element turned out to wrap blocks; it is written as a container instead."""


def merge_split_emphasis(root: Element) -> None:
    """Join ``<b>Pri</b><b>vacy</b>`` into one element, as editors split runs for no visible
    reason; written separately they would read ``**Pri****vacy**``."""
    for el in list(root.iter("b", "strong", "i", "em")):
        family = el.tag in _STRONG
        nxt = el.getnext()
        while nxt is not None and not el.tail and isinstance(nxt.tag, str):
            if nxt.tag not in (_STRONG if family else _EM) or el.getparent() is None:
                break
            _append_text(el, nxt.text)
            el.extend(list(nxt))
            el.tail = nxt.tail
            nxt.getparent().remove(nxt)
            nxt = el.getnext()


def _append_text(el: Element, text: str | None) -> None:
    """Add text at the end of an element's content."""
    if not text:
        return
    if len(el):
        el[-1].tail = (el[-1].tail or "") + text
    else:
        el.text = (el.text or "") + text


def flat_inline(el: Element, style: Style | None = None) -> str:
    """An element's content as one line of inline Markdown (headings, table cells, terms)."""
    return _SPACES.sub(" ", children(el, style or INLINE)).strip()


def collapse(text: str | None, style: Style) -> str:
    """Source text with its whitespace collapsed (newlines kept inside ``<pre>``)."""
    if not text:
        return ""
    text = text.replace("\ufeff", "")  # a byte-order mark pasted into the text: invisible
    if style.pre:
        return _SPACES_KEEP_NEWLINES.sub(" ", text)
    if not text or text.isspace():
        return " " if text else ""
    # str.split() is the fast way to collapse whitespace; the ends keep one space each.
    core = " ".join(text.split())
    return (" " if text[0].isspace() else "") + core + (" " if text[-1].isspace() else "")


def children(el: Element, style: Style) -> str:
    """An element's content (not its tail) as inline Markdown; ``\\n`` marks line breaks."""
    parts = [collapse(text, style)] if (text := el.text) else []
    for child in el:
        parts.append(inline(child, style))
        if tail := child.tail:
            parts.append(collapse(tail, style))
    return "".join(parts)


def inline(el: Element, style: Style) -> str:
    """One element as inline Markdown."""
    tag = el.tag
    if not isinstance(tag, str) or tag == "img":
        return ""
    if tag == "br":
        return "\n"
    if tag == "a":
        return _link(el, style)
    if tag in _STRONG and not (style.strong or style.plain):
        return _emphasize(children(el, with_flag(style, "strong")), "**")
    if tag in _EM and not (style.em or style.plain):
        return _emphasize(children(el, with_flag(style, "em")), "*")
    if tag in BLOCKS:
        if style.strict:  # <font><p>…</p></font>: the 2001 way
            raise BlockInside
        return f" {children(el, style)} "  # flattened content (cells, headings, terms)
    return children(el, style)


def _chomp(text: str) -> tuple[str, str, str]:
    """Split text into leading whitespace, core and trailing whitespace."""
    core = text.strip(" ")
    if not core:
        return text, "", ""
    start = len(text) - len(text.lstrip(" "))
    return text[:start], core, text[start + len(core) :]


def _emphasize(inner: str, mark: str) -> str:
    """Wrap each line of ``inner`` in ``mark``, spaces outside the markers, nothing if empty.

    Line by line, so that ``<b>A<br><br>B</b>`` does not leave a marker open across blocks."""
    lines = []
    for line in inner.split("\n"):
        lead, core, trail = _chomp(line)
        lines.append(f"{lead}{mark}{core}{mark}{trail}" if core else lead)
    return "\n".join(lines)


def _link(el: Element, style: Style) -> str:
    """``[text](href)``; text only for links without a useful target or inside another link."""
    inner = children(el, with_flag(style, "link"))
    if not inner.strip():
        # An image link (a logo, a "print" icon) reads as its alt text, and only then.
        alts = (collapse(img.get("alt"), INLINE).strip() for img in el.iter("img"))
        inner = next((alt for alt in alts if alt), "")
    href = _href(el.get("href"))
    lead, core, trail = _chomp(inner.replace("\n", " "))
    if style.link or href is None or not core:
        return inner
    return f"{lead}[{_SPACES.sub(' ', core)}]({href}){trail}"


def _href(raw: str | None) -> str | None:
    """The link target as written, or None for script and same-page fragment links."""
    if raw is None:
        return None
    # Browsers strip surrounding whitespace, drop tabs and newlines inside URLs and
    # percent-encode other spaces; a Markdown link target cannot hold whitespace either.
    href = raw.strip()
    if _SPACES.search(href):  # rare: checked first, as every link passes here
        href = _SPACES.sub(lambda m: quote(m.group(), safe=""), _URL_DROPPED.sub("", href))
    if not href or href.startswith("#") or href.lower().startswith("javascript:"):
        return None
    if _UNSAFE_HREF.search(href):  # Markdown's <…> form keeps parentheses as they are
        return "<" + href.replace("<", "%3C").replace(">", "%3E") + ">"
    return href
