"""The HTML part of a digest: inline styles only (mail clients drop ``<style>``), and every
interpolated string escaped — the redline itself comes escaped from the diff renderer."""

from __future__ import annotations

import html

from tracker.diff.render import render_html_fragment
from tracker.diff.render.html import FONT, LEVELS
from tracker.diff.render.labels import sanitize
from tracker.notify.digest_text import version_line
from tracker.notify.views import ChangeView, PolicyView

BADGE = "display:inline-block;padding:0 6px;border-radius:3px;font-size:12px;color:#fff;"
MUTED = "color:#555;font-size:12px;margin:2px 0"
SECTION = "border-top:2px solid #222;margin:24px 0 8px;padding-top:8px"


def esc(text: str) -> str:
    """Untrusted text made inert in HTML (control characters shown, then escaped)."""
    return html.escape(sanitize(text), quote=True)


def link(url: str | None, label: str) -> str:
    """An anchor for http(s) URLs only; anything else (``javascript:``…) stays plain text."""
    if not url:
        return esc(label)
    if not url.lower().startswith(("http://", "https://")):
        return esc(label)
    return f'<a href="{esc(url)}" style="color:#1d4ed8">{esc(label)}</a>'


def _badge(level: str) -> str:
    colour = LEVELS.get(level, "#777")
    return f'<span style="{BADGE}background:{colour}">{esc(level.upper())}</span>'


def _change(view: ChangeView) -> list[str]:
    entry = view.entry
    versions = esc(version_line(view))
    captures = []
    if view.old_link and entry.old is not None:
        captures.append(link(view.old_link, f"capture of version {entry.old.number}"))
    if view.new_link:
        captures.append(link(view.new_link, f"capture of version {entry.new.number}"))
    return [
        f'<p style="margin:8px 0 2px;font-weight:bold">{versions}</p>',
        f'<p style="{MUTED}">Archived: {" · ".join(captures) or "no capture"}</p>',
        render_html_fragment(view.cmp, changes_only=True, context=1),
    ]


def _policy(policy: PolicyView) -> list[str]:
    out = [
        f'<div style="{SECTION}">',
        f'<h2 style="font-size:20px;margin:0 0 4px">{esc(policy.name)} '
        f"{_badge(policy.significance)}</h2>",
        f'<p style="{MUTED}">{link(policy.url, policy.url)}</p>',
    ]
    for view in policy.changes:
        out += _change(view)
    out.append(
        f'<p style="{MUTED}">Open it in Redline\'s terminal UI: '
        f'<code style="background:#f3f3f3;padding:1px 4px">redline tui {esc(policy.name)}</code>'
        "</p></div>"
    )
    return out


def body(policies: list[PolicyView], subject: str, recipient: str, cadence: str) -> str:
    """The whole HTML part, a standalone UTF-8 document."""
    count = sum(len(p.changes) for p in policies)
    noun = "change" if count == 1 else "changes"
    out = [
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">',
        f"<title>{esc(subject)}</title></head>",
        f'<body style="margin:0;padding:16px;background:#fff;color:#222;{FONT}">',
        '<h1 style="font-size:22px;margin:0 0 4px">Privacy policy changes</h1>',
        f'<p style="{MUTED}">{count} {noun} in {len(policies)} '
        f"{'policy' if len(policies) == 1 else 'policies'}</p>",
    ]
    for policy in policies:
        out += _policy(policy)
    out += [
        f'<p style="{MUTED};margin-top:24px">You get this {esc(cadence)} digest because '
        f"{esc(recipient)} is subscribed in Redline. To stop it: "
        f"<code>redline unsubscribe {esc(recipient)}</code></p>",
        "</body></html>",
    ]
    return "\n".join(out) + "\n"
