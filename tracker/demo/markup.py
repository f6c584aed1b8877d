"""Shared pieces of the era templates: escaping, the policy's blocks as HTML, page furniture."""

from __future__ import annotations

import html
from collections.abc import Callable

from tracker.demo.document import Block, Document, Site, texturize


def esc(text: str) -> str:
    """Text made safe inside HTML elements and attribute values."""
    return html.escape(text, quote=True)


def plain(text: str) -> str:
    """Text as a CMS that keeps straight quotes prints it (escaped)."""
    return esc(text)


def smart(text: str) -> str:
    """Text with typographic quotes and dashes (escaped)."""
    return esc(texturize(text))


Styler = Callable[[str], str]


def linkify(text: str, site: Site) -> str:
    """Make the company's e-mail address in already escaped text a mailto link."""
    address = f"privacy@{site.domain.removeprefix('www.')}"
    return text.replace(address, f'<a href="mailto:{address}">{address}</a>')


def block_html(block: Block, style: Styler, site: Site, p: str = "<p>", li: str = "<li>") -> str:
    """One paragraph or list of the policy, with the era's opening tags for ``p`` and ``li``."""
    if isinstance(block, str):
        return f"{p}{linkify(style(block), site)}</p>"
    close = "</li>" if li.lower().startswith("<li") else ""
    items = "".join(f"{li}{linkify(style(item), site)}{close}" for item in block)
    return f"<ul>{items}</ul>"


def sections_html(
    doc: Document,
    site: Site,
    style: Styler,
    *,
    heading: Callable[[str, str], str],
    p: str = "<p>",
    li: str = "<li>",
) -> str:
    """The introduction and every section; ``heading(text, anchor)`` prints a heading."""
    out = [block_html(paragraph, style, site, p, li) for paragraph in doc.intro]
    for section in doc.sections:
        out.append(heading(style(section.heading), anchor(section.heading)))
        out.extend(block_html(block, style, site, p, li) for block in section.blocks)
    return "\n".join(out)


def anchor(heading: str) -> str:
    """A fragment id for a heading: ``your-rights-under-the-gdpr``."""
    return "-".join("".join(c if c.isalnum() else " " for c in heading.lower()).split())


def nav_links(site: Site, template: str) -> str:
    """The site's navigation, each label through ``template`` (``{href}`` and ``{label}``)."""
    return "".join(
        template.format(href=f"/{label.lower()}/", label=esc(label)) for label in site.nav
    )
