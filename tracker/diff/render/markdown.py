"""A redline in Markdown (CommonMark / GitHub), for issues, reports and notes.

Deletions are ``<del>…</del>`` and insertions ``<ins>…</ins>`` rather than ``~~…~~`` and
``**…**``: word-level edits often start or end at punctuation, where CommonMark's flanking
rules leave ``**`` unclosed, and policies carry their own ``**bold**``. Policy text is escaped so
neither its Markdown nor its HTML can pass for ours; the policy's own Markdown therefore shows
as written (``## Heading`` reads literally), which is what a redline of the source should show.
"""

from __future__ import annotations

import re

from ..model import Comparison
from .labels import categories_line, counts, dates_line, header_fields, sanitize, silent_line
from .layout import Line, hunks

TAGS = {"delete": ("<del>", "</del>"), "insert": ("<ins>", "</ins>")}
# Characters that start emphasis, code, links, HTML, entities, headings or table cells anywhere.
_ACTIVE = re.compile(r"([\\`*_~\[\]<>#|&])")
# Line starts that would open a list item, a setext underline or a numbered list.
_LINE_START = re.compile(r"^([-+=])|^(\d+)([.)])")


def escape(text: str) -> str:
    """Policy text made inert in Markdown: control characters shown, active characters escaped."""
    return _ACTIVE.sub(r"\\\1", sanitize(text))


def render_markdown(cmp: Comparison, *, changes_only: bool = True, context: int = 1) -> str:
    """A comparison as Markdown: headline, counts, then each change under ``### § section``.

    Each change gets a heading with its section path and a line with its kind, significance,
    categories and flags; the clause follows with ``<del>``/``<ins>`` marking the edits, and
    ``context`` unchanged lines around it (the whole new text when ``changes_only`` is False).
    """
    out = [f"## {escape(cmp.summary.headline)}", "", counts(cmp.summary)]
    out += [f"Categories: {escape(c)}" for c in [categories_line(cmp.summary)] if c]
    out += [escape(d) for d in [dates_line(cmp)] if d]
    out += [f"> **{escape(s)}**" for s in [silent_line(cmp)] if s]
    for number, hunk in enumerate(hunks(cmp, changes_only=changes_only, context=context)):
        out += ["", "---"] if number else []
        for line in hunk:
            out += _line(cmp, line)
    return _tidy(out)


def _header(cmp: Comparison, index: int, heading: bool) -> list[str]:
    """``### § section`` (unless the last header had it) and one change's meta line."""
    change = cmp.changes[index]
    fields = dict(header_fields(cmp, change))
    meta = [f"*{fields['kind']}*", f"**{fields['significance']}**"]
    for names in (change.categories, change.flags):
        if names:
            meta.append(", ".join(escape(name) for name in names))
    if "moved" in fields:
        meta.append(escape(fields["moved"]))
    top = ["", f"### {escape(fields['section'])}"] if heading else []
    return [*top, "", " · ".join(meta)]


def _line(cmp: Comparison, line: Line) -> list[str]:
    """A line's headers then the line as its own paragraph (blank lines are dropped)."""
    out: list[str] = []
    for n, index in enumerate(line.starts):
        # Changes in one paragraph often share a section: one heading over their meta lines.
        same = n and cmp.changes[line.starts[n - 1]].section == cmp.changes[index].section
        out += _header(cmp, index, heading=not same)
    if line.blank:
        return out
    parts: list[str] = []
    for piece in line.pieces:
        # Leading indentation would make an indented code block of the line.
        text = piece.text if parts else piece.text.lstrip()
        if text:
            parts.append(_wrap(piece.op, text, first=not parts))
    return [*out, "", "".join(parts)]


def _wrap(op: str, text: str, *, first: bool) -> str:
    """One piece escaped, in ``<del>``/``<ins>`` when it is a deletion or insertion."""
    body = escape(text)
    if first and op not in TAGS:
        body = _LINE_START.sub(_escape_start, body)
    if op not in TAGS or not body:
        return body
    opening, closing = TAGS[op]
    return opening + body + closing


def _escape_start(match: re.Match[str]) -> str:
    if match.group(1):
        return "\\" + match.group(1)
    return match.group(2) + "\\" + match.group(3)


def _tidy(out: list[str]) -> str:
    """Join lines, with never more than one blank line in a row and one final line break."""
    text = "\n".join(out)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip("\n") + "\n"
