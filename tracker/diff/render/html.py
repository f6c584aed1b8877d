"""A redline as HTML for email digests and reports.

Every style is inline: email clients drop ``<style>`` elements and their own stylesheets
restyle or strip ``<ins>``/``<del>``, so the marks are ``<span>`` elements carrying their look.
Every piece of policy text passes through :func:`_esc` (control characters made visible, then
``html.escape``), so markup in a policy arrives as text.
"""

from __future__ import annotations

import html

from ..model import Comparison
from .labels import categories_line, counts, dates_line, header_fields, sanitize, silent_line
from .layout import Line, Piece, hunks

DELETE = "background:#fdd;color:#900;text-decoration:line-through"
INSERT = "background:#dfd;color:#060;text-decoration:underline"
MOVED = "background:#e8f0ff;color:#036"
PIECE_STYLES = {"delete": DELETE, "insert": INSERT}
LEVELS = {"high": "#c00", "medium": "#d97706", "low": "#2563eb", "none": "#777"}
MARKER_COLORS = {"+": "#060", "-": "#900", "~": "#a60", ">": "#036", " ": "#999"}
FONT = "font-family:-apple-system,'Segoe UI',Helvetica,Arial,sans-serif"
BOX = "border:1px solid #ddd;border-radius:4px;margin:12px 0;padding:8px 12px"
LINE = "white-space:pre-wrap;word-wrap:break-word;margin:2px 0;line-height:1.5"
MARKER = "display:inline-block;width:1.2em;font-family:monospace;font-weight:bold;color:"
HEADER = "font-size:12px;color:#555;margin:10px 0 4px"
BADGE = "display:inline-block;padding:0 6px;border-radius:3px;font-size:11px;margin-right:4px;"
DEFAULT_TITLE = "Privacy policy changes"


def _esc(text: str) -> str:
    """Untrusted text made inert and visible in HTML."""
    return html.escape(sanitize(text), quote=True)


def render_html(
    cmp: Comparison,
    *,
    changes_only: bool = True,
    context: int = 1,
    title: str = DEFAULT_TITLE,
) -> str:
    """A standalone UTF-8 HTML document of a comparison, with inline styles only."""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_esc(title)}</title>\n</head>\n"
        f'<body style="margin:0;padding:16px;background:#fff;color:#222;{FONT}">\n'
        f"{render_html_fragment(cmp, changes_only=changes_only, context=context)}"
        "</body>\n</html>\n"
    )


def render_html_fragment(cmp: Comparison, *, changes_only: bool = True, context: int = 1) -> str:
    """The body of :func:`render_html`: one ``<div>`` to embed in a digest or a report.

    The headline, counts and significance badge come first; then each hunk of changed lines
    (with ``context`` unchanged lines, or the whole new text when ``changes_only`` is False),
    each change under a header with its section path and badges for kind, significance,
    categories and flags, and where a moved clause came from.
    """
    out = [f'<div style="{FONT};font-size:14px;color:#222">', *_summary(cmp)]
    for hunk in hunks(cmp, changes_only=changes_only, context=context):
        out.append(f'<div style="{BOX}">')
        out.extend(_line(cmp, line) for line in hunk)
        out.append("</div>")
    out.append("</div>")
    return "\n".join(out) + "\n"


def _badge(text: str, look: str) -> str:
    return f'<span style="{BADGE}{look}">{_esc(text)}</span>'


def _level(level: str) -> str:
    return f"background:{LEVELS.get(level, '#777')};color:#fff;font-weight:bold"


def _summary(cmp: Comparison) -> list[str]:
    """Headline, counts with the significance badge, categories, dates, silent-change warning."""
    level = cmp.summary.significance
    out = [
        f'<h2 style="font-size:18px;margin:0 0 6px">{_esc(cmp.summary.headline)}</h2>',
        f'<p style="margin:0 0 4px">{_badge(level.upper(), _level(level))}'
        f"{_esc(counts(cmp.summary))}</p>",
    ]
    for extra in (categories_line(cmp.summary), dates_line(cmp)):
        if extra:
            out.append(f'<p style="margin:0 0 4px;color:#555;font-size:12px">{_esc(extra)}</p>')
    silent = silent_line(cmp)
    if silent:
        out.append(
            '<p style="margin:6px 0;padding:6px 8px;background:#fff4d6;border-left:4px solid'
            f' #d97706;color:#7a4b00;font-weight:bold">{_esc(silent)}</p>'
        )
    return out


def _header(cmp: Comparison, index: int) -> str:
    """A change's header: section path, then badges, then where a move came from."""
    change = cmp.changes[index]
    parts = []
    for role, text in header_fields(cmp, change):
        if role == "section":
            parts.append(f'<strong style="color:#333;margin-right:6px">{_esc(text)}</strong>')
        elif role == "kind":
            parts.append(_badge(text, "background:#eee;color:#333"))
        elif role == "categories":
            parts += [_badge(c, "background:#f0f0f0;color:#444") for c in change.categories]
        elif role == "flags":
            parts += [_badge(f, "border:1px solid #c99;color:#900") for f in change.flags]
        elif role == "significance":
            parts.append(_badge(text, _level(change.significance)))
        else:
            parts.append(f'<em style="color:#036">{_esc(text)}</em>')
    return f'<div style="{HEADER}">{"".join(parts)}</div>'


def _line(cmp: Comparison, line: Line) -> str:
    """A line's change headers, then the line with its marker and styled pieces."""
    headers = "".join(_header(cmp, index) for index in line.starts)
    if line.blank:
        return headers + f'<div style="{LINE}">&nbsp;</div>'
    marker = f'<span style="{MARKER}{MARKER_COLORS.get(line.marker, "#999")}">{line.marker}</span>'
    body = "".join(_piece(cmp, piece) for piece in line.pieces)
    return f'{headers}<div style="{LINE}">{marker}{body}</div>'


def _piece(cmp: Comparison, piece: Piece) -> str:
    """One run of policy text, escaped, in a styled span when it is an edit or a move."""
    text = _esc(piece.text)
    style = PIECE_STYLES.get(piece.op)
    if style is None and piece.change is not None and cmp.changes[piece.change].kind == "moved":
        style = MOVED
    return f'<span style="{style}">{text}</span>' if style else text
