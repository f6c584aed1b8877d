"""Exports of a policy's whole history: a Markdown or HTML report, JSON, or an Atom feed.

``export(db, name, fmt, default_archive)`` reads the history once (:func:`collect`) and hands
it to the format's renderer; every renderer escapes policy text for its own format.
"""

from __future__ import annotations

from collections.abc import Callable

from storage.db import Database
from tracker.export.atom import render_report_atom
from tracker.export.html import render_report_html
from tracker.export.jsondoc import render_report_json
from tracker.export.markdown import render_report_markdown
from tracker.export.report import Report, collect

RENDERERS: dict[str, Callable[[Report], str]] = {
    "markdown": render_report_markdown,
    "html": render_report_html,
    "json": render_report_json,
    "atom": render_report_atom,
}
FORMATS = tuple(RENDERERS)
SUFFIXES = {"markdown": ".md", "html": ".html", "json": ".json", "atom": ".atom"}

__all__ = ["FORMATS", "SUFFIXES", "Report", "collect", "export"]


def export(db: Database, name: str, fmt: str, default_archive: str) -> str:
    """The whole history of policy ``name`` in format ``fmt`` (one of :data:`FORMATS`)."""
    if fmt not in RENDERERS:
        raise ValueError(f"unknown export format {fmt!r}; expected one of: {', '.join(FORMATS)}")
    return RENDERERS[fmt](collect(db, name, default_archive))
