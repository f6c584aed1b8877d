"""A policy's whole history as one Markdown report: an overview table, then each redline."""

from __future__ import annotations

import re

from tracker.diff.render import render_markdown
from tracker.diff.render.markdown import escape
from tracker.export.report import Entry, Report, day, stated

# The redline renderer's own headings ("## headline", "### § section"); policy text in its
# output is escaped ("\#"), so only the renderer's headings start a line with "#".
_RENDERER_HEADING = re.compile(r"^(#{2,5}) ", re.MULTILINE)


def render_report_markdown(report: Report) -> str:
    """The report as CommonMark/GitHub Markdown (policy text escaped, edits in ins/del)."""
    policy = report.policy
    out = [
        f"# Privacy policy history: {escape(policy.name)}",
        "",
        f"<{policy.url}> · archive <{report.archive}> · {len(report.entries)} versions · "
        f"{report.stats.captures} captures",
        "",
        "| version | first seen | stated date | words | changes | significance | headline |",
        "| ---: | --- | --- | ---: | ---: | --- | --- |",
    ]
    out += [_row(entry) for entry in report.entries]
    for entry in report.entries:
        out += ["", *_section(entry)]
    return "\n".join(out).rstrip("\n") + "\n"


def _row(entry: Entry) -> str:
    """One version's row of the overview table."""
    headline = escape(entry.comparison.summary.headline) if entry.comparison else "first version"
    version = entry.version
    return (
        f"| [{version.number}](#version-{version.number}) | {day(entry)} | {stated(entry)} | "
        f"{version.words} | {entry.changes} | {entry.significance} | {headline} |"
    )


def _section(entry: Entry) -> list[str]:
    """One version: its facts, a link to the capture, and its redline one level down."""
    version = entry.version
    facts = (
        f"First seen {version.first_seen:%Y-%m-%d %H:%M} UTC, last seen "
        f"{version.last_seen:%Y-%m-%d %H:%M} UTC, {version.captures} captures · stated date "
        f"{stated(entry)} · {version.words} words · [archived capture]({entry.capture_url})"
    )
    anchor = f'<a id="version-{version.number}"></a>'  # GitHub's own anchor has the date in it
    out = [anchor, "", f"## Version {version.number} — {day(entry)}", "", facts, ""]
    if entry.comparison is None:
        return [*out, "The first version seen: everything after it is compared with it."]
    redline = render_markdown(entry.comparison)
    return [*out, _RENDERER_HEADING.sub(r"#\1 ", redline).rstrip("\n")]
