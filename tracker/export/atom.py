"""A policy's changes as an Atom feed (RFC 4287): one entry per version after the first.

Built with ElementTree, which escapes every text and attribute it writes, so the feed is
well-formed whatever a policy contains. Each entry's content is the HTML redline of the
change, carried as escaped text (``type="html"``), the way feed readers expect it.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import datetime
from urllib.parse import quote

from tracker import __version__
from tracker.diff.render import render_html_fragment
from tracker.export.report import Entry, Report
from tracker.terminal import visible

ATOM = "http://www.w3.org/2005/Atom"
# A tag: URI (RFC 4151) names each entry for good: the same policy and version number give
# the same id on every export, so a feed reader never shows a change twice.
TAG_PREFIX = "tag:redline,2025:"
# Code points XML 1.0 forbids even escaped; ``visible`` already shows the control characters.
_NOT_XML = re.compile("[\ud800-\udfff\ufffe\uffff]")


def tag_uri(name: str, number: int | None = None) -> str:
    """The id of a policy's feed, or of the entry for one of its versions."""
    base = f"{TAG_PREFIX}policy/{quote(name, safe='')}"
    return base if number is None else f"{base}/version/{number}"


def _time(moment: datetime) -> str:
    """RFC 3339 in UTC, as Atom requires."""
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _add(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    if text is not None:
        element.text = _NOT_XML.sub("\ufffd", visible(text))
    return element


def render_report_atom(report: Report) -> str:
    """The report's changes as an Atom feed, newest first, as a UTF-8 XML document."""
    ET.register_namespace("", ATOM)
    policy = report.policy
    feed = ET.Element(f"{{{ATOM}}}feed")
    _add(feed, "id", tag_uri(policy.name))
    _add(feed, "title", f"Privacy policy changes: {policy.name}")
    _add(feed, "subtitle", f"Changes to {policy.url}, from its archived captures")
    _add(feed, "link", rel="alternate", type="text/html", href=policy.url)
    changes = [entry for entry in report.entries if entry.comparison is not None]
    newest = report.entries[-1].version.first_seen if report.entries else policy.created_at
    _add(feed, "updated", _time(newest))
    author = _add(feed, "author")
    _add(author, "name", "Redline")
    _add(feed, "generator", "Redline", version=__version__)
    for entry in reversed(changes):
        _entry(feed, policy.name, entry)
    ET.indent(feed, space="  ")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, "unicode") + "\n"


def _entry(feed: ET.Element, name: str, entry: Entry) -> None:
    """One change: its headline, when it was first seen, the capture and the redline."""
    assert entry.comparison is not None
    summary = entry.comparison.summary
    version = entry.version
    element = _add(feed, "entry")
    _add(element, "id", tag_uri(name, version.number))
    _add(element, "title", f"v{version.number}: {summary.headline}")
    _add(element, "updated", _time(version.first_seen))
    _add(element, "link", rel="alternate", type="text/html", href=entry.capture_url)
    _add(element, "category", term=summary.significance, label="significance")
    for category in summary.categories:
        _add(element, "category", term=category)
    _add(element, "content", render_html_fragment(entry.comparison), type="html")
