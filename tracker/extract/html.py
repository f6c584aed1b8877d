"""A snapshot's bytes → Markdown policy text, for pages from 1998 to today (and PDFs).

Why lxml and a small writer of our own: lxml's parser (libxml2, in C) reads a 50 KB page in
about half a millisecond, forgives the tag soup of 1998 (unclosed cells, ``<font>`` around
paragraphs) and brings CSS selectors through cssselect, lxml's own CSS engine, for the
per-policy rules. The writer (``markdown``, ``inline``, ``tables``) is ours, so every rule that
decides a version's text lives in this package and is tested. The alternatives: markdownify is
BeautifulSoup-based and measured 4–12× slower per page (6–10× on a 50 KB page, see
bench/extract.py); html2text is GPL and built on the standard library's HTMLParser;
trafilatura and readability *guess* the main content from scores, and a guess that tips the
other way between two captures of the same text would make versions flicker. Here only
explicit rules decide what is dropped (``boilerplate``), and the same bytes always give the
same text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import cssselect
from lxml import etree
from lxml.cssselect import CSSSelector

from tracker.errors import ExtractError
from tracker.extract.boilerplate import drop_tree, remove_boilerplate, strip_wayback, unwrap
from tracker.extract.decode import decode_body
from tracker.extract.inline import Element, flat_inline
from tracker.extract.markdown import to_markdown
from tracker.extract.pdf import pdf_text

_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_XML_TYPES = frozenset({"text/xml", "application/xml"})
_PDF_TYPES = frozenset({"application/pdf", "application/x-pdf"})
_HTML_SNIFF = re.compile(rb"<(?:!doctype\s+html|html|head|body|title|meta|p|div|table|br)\b", re.I)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
# Characters libxml2 keeps in text but lxml refuses to set again (the tree is edited in place).
# They are invisible; a form feed is whitespace.
_NOT_XML_CHARS = "".join(map(chr, (*range(0x09), 0x0B, *range(0x0E, 0x20), 0xFFFE, 0xFFFF)))
# Frame names and file names that say which frame holds the document, and which do not.
_FRAME_WORDS = {
    **dict.fromkeys(("privacy", "policy", "legal", "terms", "datenschutz", "privacidad"), 2),
    **dict.fromkeys(("main", "content", "contents", "body", "text", "article"), 1),
    **dict.fromkeys(("nav", "menu", "top", "header", "footer", "banner", "left", "toc"), -1),
}
_ASSUMED_WINDOW_PX = 1000  # to weigh "180,*" frame sizes: 1998 screens were 800–1024 wide
_MAX_DEPTH = 255  # libxml2's nesting limit without XML_PARSE_HUGE


@dataclass(frozen=True)
class Extracted:
    """A snapshot's text as Markdown, with what the rest of the pipeline needs to judge it.

    ``frames``: for a frameset page with no text of its own, the frame sources as written,
    the likeliest policy frame first. ``html``: the decoded page, for the quality gate.
    """

    text: str
    title: str | None
    frames: tuple[str, ...] = ()
    html: str | None = None


def extract(
    body: bytes,
    content_type: str | None,
    *,
    select: Sequence[str] = (),
    remove: Sequence[str] = (),
) -> Extracted:
    """Turn a snapshot into Markdown; raise ExtractError when that cannot be done.

    ``remove`` selectors are dropped first, then only what ``select`` matches is kept (all
    matches, in document order); the default boilerplate removal applies either way. A
    ``select`` rule that matches nothing (unless the page is a bare frameset), an unsupported
    content type and an unreadable PDF raise. Rules apply to HTML only. An empty or blank body
    gives empty text: the quality gate, not extraction, rejects it.
    """
    for css in (*select, *remove):
        check_selector(css)
    kind = _kind(body, content_type)
    if kind == "pdf":
        text, title = pdf_text(body)
        return Extracted(text=text, title=title)
    decoded = decode_body(body, content_type)
    if kind == "text":
        return Extracted(text=decoded.replace("\r\n", "\n").replace("\r", "\n"), title=None)
    if not decoded.strip():
        return Extracted(text="", title=None, html=decoded)
    return _extract_html(decoded, select, remove)


def check_selector(css: str) -> None:
    """Raise ExtractError when ``css`` is not a CSS selector lxml can apply."""
    _compiled(css)


@lru_cache(maxsize=256)
def _compiled(css: str) -> CSSSelector:
    """The compiled selector (rules are applied to every capture of a policy)."""
    try:
        return CSSSelector(css, translator="html")
    except cssselect.SelectorError as exc:
        raise ExtractError(f"invalid CSS selector {css!r}: {exc}") from exc


def _kind(body: bytes, content_type: str | None) -> str:
    """Classify the snapshot as "html", "text" or "pdf", sniffing when no type was recorded."""
    media = (content_type or "").split(";", 1)[0].strip().lower()
    head = body[:1024]
    if media in _PDF_TYPES or head.lstrip().startswith(b"%PDF"):
        return "pdf"
    if media in _HTML_TYPES or (media in _XML_TYPES and re.search(rb"<html\b", head, re.I)):
        return "html"
    if media == "text/plain":
        return "text"
    if not media:
        if _HTML_SNIFF.search(head):
            return "html"
        if b"\x00" not in head:
            return "text"
    raise ExtractError(f"unsupported content type {content_type!r}")


def _extract_html(decoded: str, select: Sequence[str], remove: Sequence[str]) -> Extracted:
    """Parse decoded HTML, apply the rules, drop furniture and write Markdown."""
    root = _parse(decoded)
    if root is None:  # only comments or whitespace: nothing to read
        return Extracted(text="", title=None, html=decoded)
    titles = root.xpath("//title[not(ancestor::svg)]")
    title = flat_inline(titles[0]) if titles else ""
    compose_shadow_roots(root)
    for css in remove:
        for el in _compiled(css)(root):
            drop_tree(el)
    frames = policy_frames(root)
    try:
        chosen = _selected(root, select)
    except ExtractError:
        # The rules of a framed policy describe the frame's page, not the frameset around it:
        # a frameset with no text of its own still hands back its frames.
        remove_boilerplate(root)
        if not frames or to_markdown([root]):
            raise
        return Extracted(text="", title=title or None, frames=frames, html=decoded)
    remove_boilerplate(root, keep=chosen)
    text = to_markdown(chosen or [root])
    return Extracted(text=text, title=title or None, frames=() if text else frames, html=decoded)


def _parse(decoded: str) -> Element | None:
    """The page's tree, without the Wayback toolbar; None for a page with no elements."""
    # lxml refuses str input that still carries an XML encoding declaration (XHTML pages).
    text = _XML_DECLARATION.sub("", strip_wayback(decoded), count=1)
    text = text.replace("\r\n", "\n").replace("\x0c", " ")
    if any(char in text for char in _NOT_XML_CHARS):  # rare; scanning for each is quick
        text = text.translate(dict.fromkeys(map(ord, _NOT_XML_CHARS)))
    # Plain lxml elements, not lxml.html's: its Python class lookup makes every walk of the
    # tree about three times slower. A new parser per page: parsers are not shared by threads.
    parser = etree.HTMLParser()
    root = etree.fromstring(text, parser)
    _check_limits(parser)
    return root


def _check_limits(parser: etree.HTMLParser) -> None:
    """Raise ExtractError when libxml2 stopped early at one of its resource limits.

    It then keeps the tree read so far and drops the rest of the page without a word, which
    would make a truncated text a new version. (Lifting the limits would not help: the
    Markdown writer walks the tree recursively, so depth must stay bounded.)
    """
    for entry in parser.error_log:
        if entry.type != etree.ErrorTypes.ERR_RESOURCE_LIMIT:
            continue
        if "depth" in entry.message.lower():
            raise ExtractError(
                f"page nested more than {_MAX_DEPTH} elements deep; the HTML parser stops "
                "there, so its text cannot be read whole"
            )
        raise ExtractError(f"page too large for the HTML parser ({entry.message.strip()})")


def _selected(root: Element, select: Sequence[str]) -> list[Element]:
    """The elements the select rules match, outermost only, in document order."""
    if not select:
        return []
    found: set[Element] = set()
    for css in select:
        matches = _compiled(css)(root)
        if not matches:
            raise ExtractError(f"the rule --select {css!r} matches nothing in this page")
        found.update(matches)
    # One walk gives document order; a match inside another match is already in it.
    chosen = []
    for el in root.iter():
        if el in found and not any(a in found for a in el.iterancestors()):
            chosen.append(el)
    return chosen


def compose_shadow_roots(root: Element) -> None:
    """Render declarative shadow DOM (``<template shadowrootmode>``) as browsers do.

    A web component's shadow template is shown in place of its host's children, and each
    child is shown where the ``<slot>`` of its name sits; children no slot takes are not shown.
    """
    for template in list(root.iter("template")):
        host = template.getparent()
        if host is None or not (template.get("shadowrootmode") or template.get("shadowroot")):
            continue
        light = [c for c in host if c is not template and isinstance(c.tag, str)]
        slots = [s for s in template.iter("slot") if next(s.iterancestors("template")) is template]
        for slot in slots:
            name = (slot.get("name") or "").strip()
            assigned = [c for c in light if (c.get("slot") or "").strip() == name]
            if assigned:  # the slot's own content is only a fallback
                slot.text = None
                for child in list(slot):
                    slot.remove(child)
                slot.extend(assigned)
                light = [c for c in light if c not in assigned]
            unwrap(slot)
        for child in light:  # not slotted: not rendered
            drop_tree(child)
        host.text = None
        unwrap(template)


def policy_frames(root: Element) -> tuple[str, ...]:
    """Frame and iframe sources, the likeliest policy frame first: by the words in its name
    and source, then by its share of the window, then in page order."""
    ranked = []
    for order, frame in enumerate(root.iter("frame", "iframe")):
        src = (frame.get("src") or "").strip()
        if not src or src.lower().startswith(("javascript:", "about:", "data:")):
            continue
        words = re.findall(
            r"[a-z]+", " ".join((frame.get("name") or "", frame.get("id") or "", src)).lower()
        )
        scores = [_FRAME_WORDS.get(w, 0) for w in words]
        score = max(scores, default=0) if any(s > 0 for s in scores) else min(scores, default=0)
        ranked.append((-score, -_frame_share(frame), order, src))
    seen: dict[str, None] = {}
    for *_, src in sorted(ranked):
        seen.setdefault(src, None)
    return tuple(seen)


def _frame_share(frame: Element) -> float:
    """The part of the window a frame fills, from its framesets' rows and cols."""
    share = 1.0
    el = frame
    while (parent := el.getparent()) is not None and parent.tag == "frameset":
        slots = [c for c in parent if c.tag in ("frame", "frameset", "iframe")]
        rows, cols = _sizes(parent.get("rows")), _sizes(parent.get("cols"))
        index = slots.index(el)
        row, col = divmod(index, len(cols)) if cols else (index, 0)
        share *= (rows[row] if row < len(rows) else 0.0) if rows else 1.0
        share *= (cols[col] if col < len(cols) else 0.0) if cols else 1.0
        el = parent
    if el is frame:  # an iframe: its width and height attributes
        return _size(frame.get("width")) * _size(frame.get("height"))
    return share


def _sizes(spec: str | None) -> list[float]:
    """Frameset sizes ("180,*", "20%,80%", "1*,3*") as shares of the window."""
    if not spec:
        return []
    parts = [p.strip() for p in spec.split(",")]
    fixed = [_size(p) if not p.endswith("*") else 0.0 for p in parts]
    weights = [
        (float(p[:-1]) if _number(p[:-1]) else 1.0) if p.endswith("*") else 0.0 for p in parts
    ]
    rest = max(1.0 - sum(fixed), 0.0)
    total = sum(weights)
    return [f + (rest * w / total if total else 0.0) for f, w in zip(fixed, weights, strict=True)]


def _size(value: str | None) -> float:
    """A length ("180", "25%") as a share of the assumed window, at most 1."""
    value = (value or "").strip()
    if value.endswith("%") and _number(value[:-1]):
        return min(float(value[:-1]) / 100, 1.0)
    if _number(value):
        return min(float(value) / _ASSUMED_WINDOW_PX, 1.0)
    return 0.0


def _number(text: str) -> bool:
    """Whether the text is a plain non-negative decimal number."""
    return re.fullmatch(r"[0-9]{1,6}(?:\.[0-9]{1,3})?", text.strip()) is not None
