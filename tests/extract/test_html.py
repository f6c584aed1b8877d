"""extract: snapshot bytes → Markdown-ish text."""

from __future__ import annotations

import pytest

from tracker.errors import ExtractError
from tracker.extract.html import Extracted, extract


def html_text(fragment: str, content_type: str | None = "text/html; charset=utf-8") -> str:
    page = f"<!DOCTYPE html><html><head><title>T</title></head><body>{fragment}</body></html>"
    return extract(page.encode(), content_type).text


def test_headings_and_paragraphs() -> None:
    text = html_text("<h1>Privacy Policy</h1><p>Intro.</p><h3>Cookies</h3><div>We use them.</div>")
    assert text == "# Privacy Policy\n\nIntro.\n\n### Cookies\n\nWe use them.\n"


def test_title_is_collapsed() -> None:
    page = b"<html><head><title>\n  Example \xe2\x80\x94 Privacy\n</title></head><body>x</body>"
    assert extract(page, "text/html").title == "Example \u2014 Privacy"
    assert extract(b"<p>no title</p>", "text/html").title is None


def test_unordered_and_ordered_lists() -> None:
    text = html_text(
        "<ul><li>Name</li><li>Email <b>address</b><ul><li>work</li></ul></li></ul>"
        "<ol><li>Ask</li><li><p>Wait</p><p>thirty days</p></li></ol>"
    )
    assert text == ("- Name\n- Email address\n  - work\n\n1. Ask\n2. Wait thirty days\n")


def test_ordered_list_start() -> None:
    assert html_text('<ol start="4"><li>four</li><li>five</li></ol>') == "4. four\n5. five\n"


def test_data_table_rows() -> None:
    text = html_text(
        "<table><caption>Data we keep</caption>"
        "<thead><tr><th>Category</th><th>Retention</th></tr></thead>"
        "<tbody><tr><td>Logs</td><td>90 <i>days</i></td></tr>"
        "<tr><td>Orders</td><td></td></tr></tbody></table>"
    )
    assert text == "Data we keep\nCategory | Retention\nLogs | 90 days\nOrders\n"


def test_layout_table_cells_are_paragraphs() -> None:
    # The 2001 way: navigation in one cell, the policy in another, paragraphs split by <br><br>.
    text = html_text(
        "<table><tr><td><a href='/'>Home</a><br><a href='/faq'>FAQ</a></td>"
        "<td>Privacy Policy<br><br>We respect you.<br>Really.</td></tr></table>"
    )
    assert text == "Home\nFAQ\n\nPrivacy Policy\n\nWe respect you.\nReally.\n"


def test_br_is_a_line_break() -> None:
    assert html_text("<p>Example Inc.<br>1 Main St.<br/>Springfield</p>") == (
        "Example Inc.\n1 Main St.\nSpringfield\n"
    )


def test_boilerplate_is_dropped() -> None:
    text = html_text(
        "<header><a>Logo</a></header><nav><ul><li>Home</li></ul></nav>"
        "<script>var tracking = 1;</script><style>p { color: red }</style>"
        "<noscript>Enable JS</noscript><aside>Related</aside>"
        "<form><input name='q'><button>Search</button></form>"
        "<p>Policy <!-- hidden note -->text.</p><footer>\u00a9 2020</footer>"
    )
    assert text == "Policy text.\n"


def test_article_header_and_footer_are_kept() -> None:
    text = html_text(
        "<article><header><h1>Privacy</h1><p>Last updated: 2020-05-01</p></header>"
        "<p>Body.</p><footer>Effective 2020-06-01</footer></article>"
    )
    assert text == "# Privacy\n\nLast updated: 2020-05-01\n\nBody.\n\nEffective 2020-06-01\n"


def test_page_wide_aspnet_form_is_kept() -> None:
    text = html_text("<form id='aspnetForm'><div><h2>Sharing</h2><p>We do not.</p></div></form>")
    assert text == "## Sharing\n\nWe do not.\n"


def test_inline_whitespace_collapsed() -> None:
    text = html_text("<p>  We\n   collect\t<em>your</em>\n\n  data.  </p>\n\n<p>\u00a0</p>")
    assert text == "We collect your data.\n"


def test_pre_keeps_line_breaks() -> None:
    assert html_text("<pre>Section 1\n  Terms   apply\n\nSection 2</pre>") == (
        "Section 1\nTerms apply\n\nSection 2\n"
    )


def test_xhtml_with_xml_declaration() -> None:
    page = b'<?xml version="1.0" encoding="utf-8"?><html><body><p>caf\xc3\xa9</p></body></html>'
    assert extract(page, "application/xhtml+xml").text == "caf\u00e9\n"


def test_legacy_page_decoded_before_parsing() -> None:
    page = b"<html><body><p>We \x93respect\x94 you.</p></body></html>"
    assert extract(page, "text/html; charset=iso-8859-1").text == "We \u201crespect\u201d you.\n"


def test_deterministic() -> None:
    page = b"<h1>A</h1><ul><li>x</li><li>y</li></ul><table><tr><td>1</td><td>2</td></tr></table>"
    first, second = extract(page, "text/html"), extract(page, "text/html")
    assert first == second
    assert first.text == "# A\n\n- x\n- y\n\n1 | 2\n"


def test_text_plain_passthrough() -> None:
    body = b"Privacy Policy\r\n\r\n  Indented line \rEnd"
    result = extract(body, "text/plain; charset=utf-8")
    assert result == Extracted(text="Privacy Policy\n\n  Indented line \nEnd", title=None)


def test_sniffs_html_without_content_type() -> None:
    assert extract(b"<html><body><h2>Hi</h2></body></html>", None).text == "## Hi\n"
    assert extract(b"plain <words>", None).text == "plain <words>"


@pytest.mark.parametrize(
    "content_type", ["image/png", "application/octet-stream", "application/pdf"]
)
def test_unsupported_type_raises(content_type: str) -> None:
    with pytest.raises(ExtractError, match="unsupported content type"):
        extract(b"%PDF-1.4 \x00\x01", content_type)


def test_binary_without_content_type_raises() -> None:
    with pytest.raises(ExtractError):
        extract(b"%PDF-1.4\n\x00\x01", None)


@pytest.mark.parametrize("body", [b"", b"  \n\t ", b"<!-- only a comment -->", b"<html></html>"])
def test_empty_body_gives_empty_text(body: bytes) -> None:
    assert extract(body, "text/html") == Extracted(text="", title=None)


def test_list_nested_without_li() -> None:
    # Old editors emitted <ul> straight inside <ul>; it is still a sub-list.
    assert html_text("<ul><li>Partners</li><ul><li>Advertisers</li></ul></ul>") == (
        "- Partners\n  - Advertisers\n"
    )
