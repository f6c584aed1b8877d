"""A policy's whole history as one standalone HTML page: a timeline, then every redline.

Like the redline renderer it reuses, the page carries only inline styles (it is mailed and
opened from disk, where stylesheets get lost) and no script. Every piece of text that comes
from a policy or the database goes through :func:`esc`; the redlines are escaped by the
renderer itself.
"""

from __future__ import annotations

import html

from tracker.diff.render import render_html_fragment
from tracker.export.report import Entry, Report, day, stated
from tracker.terminal import visible

FONT = "font-family:-apple-system,'Segoe UI',Helvetica,Arial,sans-serif"
LEVELS = {"high": "#c00", "medium": "#d97706", "low": "#2563eb", "none": "#999", "first": "#555"}
MUTED = "color:#555;font-size:13px"
ROW = "display:flex;align-items:center;gap:8px;margin:3px 0;font-size:13px"
LABEL = "width:190px;flex:none;white-space:nowrap"
TRACK = "flex:1;background:#f1f1f1;border-radius:3px;height:14px"
SECTION = "border-top:1px solid #ddd;margin-top:28px;padding-top:8px"
MIN_BAR = 2  # percent: a version with one change still shows a sliver


def esc(text: str) -> str:
    """Untrusted text made inert and visible in HTML."""
    return html.escape(visible(text), quote=True)


def render_report_html(report: Report) -> str:
    """The report as a UTF-8 HTML document with inline styles only."""
    policy = report.policy
    title = f"Privacy policy history: {policy.name}"
    body = [
        f'<h1 style="font-size:24px;margin:0 0 4px">{esc(title)}</h1>',
        f'<p style="{MUTED};margin:0 0 16px">{_link(policy.url)} · archive '
        f"{_link(report.archive)} · {len(report.entries)} versions · "
        f"{report.stats.captures} captures</p>",
        '<h2 style="font-size:18px">Timeline</h2>',
        *timeline(report),
        *[_version(entry) for entry in report.entries],
    ]
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)}</title>\n</head>\n"
        f'<body style="margin:0 auto;max-width:960px;padding:16px;color:#222;{FONT}">\n'
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )


def _link(url: str, label: str | None = None) -> str:
    """An anchor for http(s) URLs only; anything else (``javascript:``…) stays plain text."""
    shown = esc(url if label is None else label)
    if not url.lower().startswith(("http://", "https://")):
        return shown
    return f'<a href="{esc(url)}" style="color:#036">{shown}</a>'


def timeline(report: Report) -> list[str]:
    """One row per version: its date, a bar sized by its number of changes, its level."""
    most = max((entry.changes for entry in report.entries), default=0) or 1
    rows = ['<div style="margin:8px 0 16px">']
    for entry in report.entries:
        number = entry.version.number
        width = max(MIN_BAR, round(100 * entry.changes / most)) if entry.changes else 0
        color = LEVELS.get(entry.significance, "#999")
        plural = "" if entry.changes == 1 else "s"
        label = f"{entry.changes} change{plural} · {entry.significance}"
        rows.append(
            f'<div style="{ROW}"><a href="#v{number}" style="{LABEL};color:#036">'
            f"v{number} · {day(entry)}</a>"
            f'<div style="{TRACK}"><div style="width:{width}%;height:14px;border-radius:3px;'
            f'background:{color}"></div></div>'
            f'<span style="width:200px;flex:none;color:{color}">'
            f"{esc(label if entry.comparison else 'first version')}</span></div>"
        )
    rows.append("</div>")
    return rows


def _version(entry: Entry) -> str:
    """One version: a heading with its dates and words, a capture link, its redline."""
    version = entry.version
    facts = (
        f"first seen {version.first_seen:%Y-%m-%d %H:%M} UTC · last seen "
        f"{version.last_seen:%Y-%m-%d %H:%M} UTC · {version.captures} captures · stated date "
        f"{esc(stated(entry))} · {version.words} words · "
        f"{_link(entry.capture_url, 'archived capture')}"
    )
    if entry.comparison is None:
        body = '<p style="color:#555">The first version seen: later ones are compared with it.</p>'
    else:
        body = render_html_fragment(entry.comparison)
    return (
        f'<section id="v{version.number}" style="{SECTION}">\n'
        f'<h2 style="font-size:18px;margin:0 0 4px">Version {version.number} · {day(entry)}</h2>\n'
        f'<p style="{MUTED};margin:0 0 8px">{facts}</p>\n{body}</section>'
    )
