"""Renderers of a :class:`~tracker.diff.model.Comparison`: terminal, Markdown, HTML, unified.

JSON is ``Comparison.to_dict()``; :func:`render_string` gives every format as a string.
"""

from __future__ import annotations

import json
import re

from ..model import Comparison
from .html import DEFAULT_TITLE, render_html, render_html_fragment
from .markdown import render_markdown
from .text import render_text
from .unified import render_unified

FORMATS = ("text", "json", "markdown", "html", "unified")
# json.dumps leaves DEL and C1 controls raw with ensure_ascii=False; a terminal acts on some.
_RAW_CONTROLS = re.compile("[\x7f-\x9f]")

__all__ = [
    "FORMATS",
    "render_html",
    "render_html_fragment",
    "render_markdown",
    "render_string",
    "render_text",
    "render_unified",
]


def render_string(
    cmp: Comparison,
    fmt: str,
    *,
    changes_only: bool = True,
    context: int | None = None,
    title: str = DEFAULT_TITLE,
) -> str:
    """A comparison in one of :data:`FORMATS`, as a string to print or write to a file.

    ``text`` is the terminal redline without colour (line markers, and ``[-…-]``/``{+…+}``
    around edited words); ``json`` the ``redline.diff/1`` document. ``context`` defaults to
    each renderer's own (1 line, 3 for ``unified``); ``unified`` ignores ``changes_only``.
    """
    if fmt == "json":
        document = json.dumps(cmp.to_dict(), indent=2, ensure_ascii=False)
        return _RAW_CONTROLS.sub(lambda m: f"\\u{ord(m.group()):04x}", document) + "\n"
    if fmt == "unified":
        return render_unified(cmp, context=3 if context is None else context)
    opts = {"changes_only": changes_only, "context": 1 if context is None else context}
    if fmt == "text":
        return render_text(cmp, word_markers=True, **opts).plain + "\n"
    if fmt == "markdown":
        return render_markdown(cmp, **opts)
    if fmt == "html":
        return render_html(cmp, title=title, **opts)
    raise ValueError(f"unknown format {fmt!r}; expected one of: {', '.join(FORMATS)}")
