"""extract on whole pages of each era: 2001 tables, 2006 CMS, 2016 responsive, 2024 div soup.

The fixtures are hand-written pages modelled on real sites of their time, with fictional
policies; each ``X.html`` has the Markdown it must give beside it as ``X.md``. ``policy.pdf``
is a hand-assembled PDF 1.4 (one Helvetica font, lines placed with ``Tm``/``Tj``, a page
number on page 2).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tracker.extract.html import Extracted, extract

ERAS = Path(__file__).parent / "fixtures" / "eras"

# Fixture → (Content-Type the archive recorded, furniture text that must not appear).
PAGES: dict[str, tuple[str | None, tuple[str, ...]]] = {
    # No charset in the header: the page's <meta> says iso-8859-1, the bytes are cp1252.
    "2001_table_cp1252.html": (
        "text/html",
        ("Browse Books", "Gift Certificates", "Help Desk", "Copyright", "All rights reserved",
         "Conditions of Use", "MM_swapImage", "Your Cart"),
    ),
    # Replayed with the Wayback toolbar, as saved from web.archive.org.
    "2006_cms_sidebars.html": (
        "text/html; charset=utf-8",
        ("Wayback", "captures", "__wm", "Personal Banking", "About Us", "Our History",
         "Rates Today", "Advertisement", "Holiday Club", "Bank Online", "Site Map",
         "Member FDIC", "All rights reserved", "Search", "FILE ARCHIVED"),
    ),
    "2016_responsive_cookie_banner.html": (
        "text/html; charset=UTF-8",
        ("Skip to", "Stronger every day", "Memberships", "Menu", "Recent Posts",
         "Five stretches", "Sponsored", "Share this", "Facebook", "Copyright",
         "We use cookies to ensure", "Read more", "newsletter", "GoogleAnalyticsObject"),
    ),
    "2024_heavy_markup.html": (
        "text/html; charset=utf-8",
        ("Skip to", "Pricing", "Templates", "Toggle Menu", "Log in", "Home", "Quillory logo",
         "opens in a new tab", "Template row", "Internal note", "Decorative watermark",
         "© 2024", "Built with care", "Accept All Cookies", "We and our partners",
         "Chat with us", "@context", "buildId", "Untitled"),
    ),
    "frameset_policy.html": ("text/html", ()),
    "policy.pdf": ("application/pdf", ("\n2\n",)),
}  # fmt: skip


def _extract(name: str) -> Extracted:
    content_type, _ = PAGES.get(name, ("text/html", ()))
    return extract((ERAS / name).read_bytes(), content_type)


@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_gives_expected_markdown(name: str) -> None:
    expected = (ERAS / name).with_suffix(".md").read_text(encoding="utf-8")
    assert _extract(name).text == expected


@pytest.mark.parametrize("name", sorted(PAGES))
def test_furniture_is_absent(name: str) -> None:
    text = _extract(name).text
    for furniture in PAGES[name][1]:
        assert furniture not in text, furniture


def test_2001_page_decoded_as_windows_1252() -> None:
    text = _extract("2001_table_cp1252.html").text
    assert "\u201cCookies\u201d" in text
    assert "won\u2019t" in text
    assert "visits \u2013 nothing more" in text  # &#150; is an en dash, as browsers read it


def test_titles() -> None:
    assert _extract("2001_table_cp1252.html").title == "Lumen Books - Privacy Policy"
    assert _extract("2006_cms_sidebars.html").title == "Privacy Statement | Harbour Savings Bank"
    assert _extract("2024_heavy_markup.html").title == "Privacy Notice | Quillory"
    assert _extract("policy.pdf").title == "Lumen Books Privacy Notice"


def test_html_pages_carry_their_decoded_html() -> None:
    result = _extract("2001_table_cp1252.html")
    assert result.html is not None and "won\u2019t" in result.html
    assert _extract("policy.pdf").html is None


def test_frameset_has_no_text_and_lists_the_policy_frame_first() -> None:
    result = _extract("frameset.html")
    assert result.text == (ERAS / "frameset.md").read_text(encoding="utf-8") == ""
    assert result.title == "Northwind Travel - Privacy"
    # "text" + "policy" beat the rest; then the menu column (16 %) before the banner row (9 %).
    assert result.frames == ("frameset_policy.html", "menu.html", "banner.html")


def test_pages_with_text_list_no_frames() -> None:
    for name in PAGES:
        assert _extract(name).frames == ()


def test_2024_page_keeps_folded_and_shadow_dom_sections() -> None:
    text = _extract("2024_heavy_markup.html").text
    # An accordion panel is hidden until clicked, but it is part of the policy.
    assert "### Transfers outside the EU\n\nWhen data leaves the EU" in text
    # A web component's declarative shadow DOM, with the light children in their slots.
    assert "### Hosting and email\n\nWe use [Nimbus Hosting]" in text
