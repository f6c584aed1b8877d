"""extract: snapshot bytes → Markdown, rule by rule."""

from __future__ import annotations

import pytest

from tracker.errors import ExtractError
from tracker.extract.html import Extracted, check_selector, extract

CT = "text/html; charset=utf-8"


def page(fragment: str) -> bytes:
    return (
        f"<!DOCTYPE html><html><head><title>T</title></head><body>{fragment}</body></html>"
    ).encode()


def md(fragment: str, **rules: tuple[str, ...]) -> str:
    return extract(page(fragment), CT, **rules).text


# --- blocks ------------------------------------------------------------------------------


def test_headings_and_paragraphs() -> None:
    text = md("<h1>Privacy Policy</h1><p>Intro.</p><h3>Cookies</h3><div>We use them.</div>")
    assert text == "# Privacy Policy\n\nIntro.\n\n### Cookies\n\nWe use them.\n"


def test_all_heading_levels_and_no_emphasis_inside() -> None:
    text = md("".join(f"<h{n}><b>Level</b> {n}</h{n}>" for n in range(1, 7)))
    assert text.split("\n\n")[-1] == "###### Level 6\n"
    assert text.startswith("# Level 1\n\n## Level 2\n\n")


def test_empty_heading_and_paragraph_vanish() -> None:
    assert md("<h2> </h2><p>\u00a0</p><p></p><p>Text</p>") == "Text\n"


def test_bold_paragraph_stays_a_paragraph() -> None:
    # Old pages made headings with <b> or <font size>: we do not guess they are headings.
    text = md("<p><b>Cookies</b></p><p><font size='4'>Sharing</font></p>")
    assert text == "**Cookies**\n\nSharing\n"


def test_title_is_collapsed() -> None:
    body = b"<html><head><title>\n  Example \xe2\x80\x94 Privacy\n</title></head><body>x</body>"
    assert extract(body, "text/html").title == "Example \u2014 Privacy"
    assert extract(b"<p>no title</p>", "text/html").title is None


def test_br_is_a_line_break_and_two_end_the_paragraph() -> None:
    assert md("<p>Example Inc.<br>1 Main St.<br/>Springfield</p>") == (
        "Example Inc.\n1 Main St.\nSpringfield\n"
    )
    assert md("Intro<br><br>Body<br> <br>End") == "Intro\n\nBody\n\nEnd\n"


def test_inline_whitespace_collapsed_no_trailing_spaces() -> None:
    text = md("<p>  We\n   collect\t<em>your</em>\n\n  data.  </p>\n\n<p>\u00a0</p>")
    assert text == "We collect *your* data.\n"


def test_pre_keeps_line_breaks() -> None:
    assert md("<pre>Section 1\n  Terms   apply\n\nSection 2</pre>") == (
        "Section 1\nTerms apply\n\nSection 2\n"
    )


def test_blockquote() -> None:
    text = md("<blockquote><p>Quoted</p><p>two<br>lines</p></blockquote><p>after</p>")
    assert text == "> Quoted\n>\n> two\n> lines\n\nafter\n"


def test_definition_list() -> None:
    text = md(
        "<dl><dt>Cookie</dt><dd>A small file.</dd>"
        "<div><dt>Pixel</dt><dt>Beacon</dt><dd><p>An image.</p><p>Tiny.</p></dd></div></dl>"
    )
    assert text == "Cookie\n: A small file.\n\nPixel\nBeacon\n: An image.\n  Tiny.\n"


def test_inline_wrapper_around_blocks() -> None:
    # <font> around paragraphs: the 2001 way. The paragraphs stay paragraphs.
    assert md("<font face='arial'><p>One</p>loose<p>Two</p></font>") == "One\n\nloose\n\nTwo\n"


def test_hr_and_center_are_block_boundaries() -> None:
    assert md("a<hr>b<center>c</center>d") == "a\n\nb\n\nc\n\nd\n"


def test_images_are_dropped() -> None:
    assert md("<p>Our <img src='logo.gif' alt='Logo'> policy</p>") == "Our policy\n"


# --- emphasis ------------------------------------------------------------------------------


def test_emphasis_markers() -> None:
    text = md("<p><b>b</b> <strong>strong</strong> <i>i</i> <em>em</em> <u>u</u></p>")
    assert text == "**b** **strong** *i* *em* u\n"


def test_emphasis_whitespace_goes_outside_and_empty_emphasis_vanishes() -> None:
    assert md("<p>We<b> collect </b>your<i></i> <em> </em>data<strong>!</strong></p>") == (
        "We **collect** your data**!**\n"
    )


def test_nested_emphasis_is_not_doubled() -> None:
    assert md("<p><b>all <strong>bold</strong> <i>and it</i></b></p>") == (
        "**all bold *and it***\n"
    )


def test_split_emphasis_runs_are_joined() -> None:
    # Word and CMS editors split runs: <b>Pri</b><b>vacy</b> reads as one bold word.
    assert md("<p><b>Pri</b><strong>vacy</strong> and <i>a</i> <i>b</i></p>") == (
        "**Privacy** and *a* *b*\n"
    )


def test_emphasis_across_paragraph_break_is_closed_on_each_side() -> None:
    assert md("<b>Intro<br><br>Text</b>") == "**Intro**\n\n**Text**\n"


# --- links ---------------------------------------------------------------------------------


def test_links() -> None:
    assert md("<p>See <a href='/terms?a=1&amp;b=2'>our terms</a>.</p>") == (
        "See [our terms](/terms?a=1&b=2).\n"
    )


def test_script_and_fragment_links_are_text_only() -> None:
    text = md("<p><a href='javascript:void(0)'>Open</a> <a href='#top'>Top</a> <a>anchor</a></p>")
    assert text == "Open Top anchor\n"


def test_link_whitespace_and_unsafe_targets() -> None:
    assert md("<p><a href=' /a\nb '> x </a></p>") == "[x](/ab)\n"
    assert md("<p><a href='/a b(1)'>x</a></p>") == "[x](</a%20b(1)>)\n"


def test_image_link_reads_as_its_alt_text_only_when_alone() -> None:
    assert md("<p><a href='/'><img src='l.gif' alt='Home'></a></p>") == "[Home](/)\n"
    assert md("<p><a href='/'><img alt='Logo'>Start</a></p>") == "[Start](/)\n"
    assert md("<p>x <a href='/'><img src='l.gif'></a></p>") == "x\n"


def test_link_inside_emphasis_and_emphasis_inside_link() -> None:
    assert md("<p><b><a href='/x'>go</a></b> <a href='/y'><i>now</i></a></p>") == (
        "**[go](/x)** [*now*](/y)\n"
    )


# --- lists ---------------------------------------------------------------------------------


def test_unordered_and_ordered_lists() -> None:
    text = md(
        "<ul><li>Name</li><li>Email <b>address</b><ul><li>work</li></ul></li></ul>"
        "<ol><li>Ask</li><li><p>Wait</p><p>thirty days</p></li></ol>"
    )
    assert text == "- Name\n- Email **address**\n  - work\n\n1. Ask\n2. Wait\n  thirty days\n"


def test_ordered_list_start_value_and_nesting() -> None:
    text = md(
        "<ol start='3'><li>three<ol><li>a</li><li>b<ul><li>deep</li></ul></li></ol></li>"
        "<li value='10'>ten</li><li>eleven</li></ol>"
    )
    assert text == "3. three\n  1. a\n  2. b\n    - deep\n10. ten\n11. eleven\n"


def test_list_nested_without_li_and_empty_items() -> None:
    # Old editors emitted <ul> straight inside <ul>; it is still a sub-list.
    assert md("<ul><li>Partners</li><ul><li>Advertisers</li></ul><li> </li></ul>") == (
        "- Partners\n  - Advertisers\n"
    )


def test_unclosed_list_items() -> None:
    assert md("<ul><li>one<li>two</ul>") == "- one\n- two\n"


# --- tables --------------------------------------------------------------------------------


def test_data_table_is_a_pipe_table() -> None:
    text = md(
        "<table><caption>Data we keep</caption>"
        "<thead><tr><th>Category</th><th>Retention</th></tr></thead>"
        "<tbody><tr><td>Logs | raw</td><td>90 <i>days</i></td></tr>"
        "<tr><td>Orders</td><td></td></tr></tbody></table>"
    )
    assert text == (
        "Data we keep\n\n| Category | Retention |\n| --- | --- |\n"
        "| Logs \\| raw | 90 *days* |\n| Orders | |\n"
    )


def test_table_without_header_uses_first_row() -> None:
    assert md("<table><tr><td>1</td><td>2</td></tr><tr><td>3</td><td>4</td></tr></table>") == (
        "| 1 | 2 |\n| --- | --- |\n| 3 | 4 |\n"
    )


def test_table_spans_keep_columns_aligned() -> None:
    text = md(
        "<table><tr><th>A</th><th>B</th><th>C</th></tr>"
        "<tr><td rowspan='2'>x</td><td colspan='2'>y</td></tr><tr><td>z</td><td>w</td></tr></table>"
    )
    assert text == "| A | B | C |\n| --- | --- | --- |\n| x | y | |\n| | z | w |\n"


def test_cells_wrapped_in_one_paragraph_are_still_data() -> None:
    text = md(
        "<table><tr><th><p>Data</p></th><th><p>Kept</p></th></tr>"
        "<tr><td><div><p>Logs</p></div></td><td><p>1 year</p></td></tr></table>"
    )
    assert text == "| Data | Kept |\n| --- | --- |\n| Logs | 1 year |\n"


def test_layout_table_cells_are_paragraphs() -> None:
    # The 2001 way: navigation in one cell, the policy in another, paragraphs split by <br><br>.
    text = md(
        "<table><tr><td><a href='/'>Home</a><br><a href='/faq'>FAQ</a></td>"
        "<td>Privacy Policy<br><br>We respect you.<br>Really.</td></tr></table>"
    )
    assert text == "[Home](/)\n[FAQ](/faq)\n\nPrivacy Policy\n\nWe respect you.\nReally.\n"


@pytest.mark.parametrize(
    "table",
    [
        "<table><tr><td><table><tr><td>a</td><td>b</td></tr></table></td><td>c</td></tr></table>",
        "<table><tr><td><p>a</p><p>b</p></td><td>c</td></tr><tr><td>d</td><td>e</td></tr></table>",
        "<table><tr><td>a</td></tr><tr><td>b</td></tr></table>",
        "<table role='presentation'><tr><td>a</td><td>b</td></tr><tr><td>c</td><td>d</td></tr>"
        "</table>",
        "<table><tr><td>a<br>b</td><td>c</td></tr><tr><td>d</td><td>e</td></tr></table>",
    ],
    ids=["nested", "paragraphs", "one-column", "presentation", "br-no-header"],
)
def test_layout_tables_are_flattened(table: str) -> None:
    assert "|" not in md(table)


# --- furniture -----------------------------------------------------------------------------


def test_boilerplate_is_dropped() -> None:
    text = md(
        "<header><a>Logo</a></header><nav><ul><li>Home</li></ul></nav>"
        "<script>var tracking = 1;</script><style>p { color: red }</style>"
        "<noscript>Enable JS</noscript><aside>Related</aside><template><p>tpl</p></template>"
        "<form><input name='q'><button>Search</button></form><object>obj</object>"
        "<p>Policy <!-- hidden note -->text.</p><footer>\u00a9 2020</footer>"
        "<svg><text>icon</text></svg><iframe src='/ad'>frame</iframe>"
    )
    assert text == "Policy text.\n"


def test_article_and_main_header_and_footer_are_kept() -> None:
    text = md(
        "<main><article><header><h1>Privacy</h1><p>Last updated: 2020-05-01</p></header>"
        "<p>Body.</p><footer>Effective 2020-06-01</footer></article></main>"
    )
    assert text == "# Privacy\n\nLast updated: 2020-05-01\n\nBody.\n\nEffective 2020-06-01\n"


def test_page_wide_aspnet_form_is_kept() -> None:
    text = md("<form id='aspnetForm'><div><h2>Sharing</h2><p>We do not.</p></div></form>")
    assert text == "## Sharing\n\nWe do not.\n"


@pytest.mark.parametrize(
    "furniture",
    [
        "<div hidden>x</div>",
        "<div aria-hidden='true'>x</div>",
        "<div style='color:red; DISPLAY : none'>x</div>",
        "<div style='visibility:hidden'>x</div>",
        "<span class='sr-only'>x</span>",
        "<div id='sidebar'>x</div>",
        "<td class='nav'>x</td>",
        "<div class='main-nav'>x</div>",
        "<ul class='breadcrumbs'><li>x</li></ul>",
        "<div class='menu-wrapper'>x</div>",
        "<div class='ad'>x</div>",
        "<div class='social-share'>x</div>",
        "<div role='navigation'>x</div>",
        "<div role='dialog'>x</div>",
        "<div id='onetrust-consent-sdk'>x</div>",
        "<div id='CybotCookiebotDialog'>x</div>",
        "<div class='cc-window cc-banner'>x</div>",
        "<div id='cookie-notice'>x</div>",
        "<div class='js-cookie-banner-wrapper'>x</div>",
        "<section aria-label='Cookie consent'>x</section>",
        "<div id='wm-ipp-base'>x</div>",
        "<a href='#main'>Skip to content</a>",
        "<div class='site-footer'>x</div>",
        "<button type='button'>Print</button>",
    ],
)
def test_furniture_by_attribute(furniture: str) -> None:
    assert md(f"<p>Policy text that is long enough.</p>{furniture}") == (
        "Policy text that is long enough.\n"
    )


@pytest.mark.parametrize(
    "wrapper",
    [
        "<div class='content-sidebar-wrap'>{}</div>",
        "<div class='navbar-privacy-policy-page'>{}</div>",
        "<div class='sidebar'>{}</div>",  # most of the page's words: not really a sidebar
        "<div style='display:none'>{}</div>",  # revealed by a script on load
        "<section id='sharing'>{}</section>",  # a policy section, not share buttons
        "<section id='ads'>{}</section>",
        "<main class='nav'>{}</main>",
        "<div class='hidden md:block'>{}</div>",
    ],
)
def test_wrappers_that_look_like_furniture_are_kept(wrapper: str) -> None:
    body = "<h2>Sharing</h2><p>We share your data with carriers only.</p>"
    html = wrapper.format(body) + "<div class='nav'><a href='/'>Home</a></div>"
    assert md(html) == "## Sharing\n\nWe share your data with carriers only.\n"


def test_accordion_panel_is_kept_and_its_button_label_too() -> None:
    text = md(
        "<h3><button aria-controls='p1' aria-expanded='false'>Retention</button></h3>"
        "<div id='p1' hidden>We keep logs for a year.</div><p>More policy text here.</p>"
    )
    assert text == "### Retention\n\nWe keep logs for a year.\n\nMore policy text here.\n"


def test_wayback_toolbar_insert_is_dropped() -> None:
    body = page(
        "<!-- BEGIN WAYBACK TOOLBAR INSERT --><div>The Wayback Machine</div><p>Jun 2006</p>"
        "<!-- END WAYBACK TOOLBAR INSERT --><p>Policy.</p>"
    )
    assert extract(body, CT).text == "Policy.\n"


# --- rules ---------------------------------------------------------------------------------

RULED = (
    "<div class='intro'>Welcome!</div><div class='policy'><h1>Privacy</h1>"
    "<p class='note'>Draft</p><p>We keep nothing.</p><nav>Menu</nav></div>"
    "<div class='policy'><p>Second part.</p></div>"
)


def test_select_keeps_all_matches_in_document_order() -> None:
    assert md(RULED, select=(".policy",)) == (
        "# Privacy\n\nDraft\n\nWe keep nothing.\n\nSecond part.\n"
    )


def test_select_several_rules_without_duplicates() -> None:
    assert md(RULED, select=("p", ".policy")) == (
        "# Privacy\n\nDraft\n\nWe keep nothing.\n\nSecond part.\n"
    )


def test_remove_then_select() -> None:
    assert md(RULED, select=(".policy",), remove=(".note", "h1")) == (
        "We keep nothing.\n\nSecond part.\n"
    )


def test_selected_furniture_is_kept_itself() -> None:
    assert md("<p>x</p><nav><p>Listed</p><div class='ad'>ad</div></nav>", select=("nav",)) == (
        "Listed\n"
    )


def test_select_matching_nothing_raises() -> None:
    with pytest.raises(ExtractError, match=r"^the rule --select '#nope' matches nothing"):
        md(RULED, select=("#nope",))


@pytest.mark.parametrize("css", ["div[", "", "a::text", "p >"])
def test_invalid_selector(css: str) -> None:
    with pytest.raises(ExtractError, match=r"^invalid CSS selector '.*': "):
        check_selector(css)
    with pytest.raises(ExtractError, match="invalid CSS selector"):
        md(RULED, remove=(css,))


def test_valid_selectors_pass() -> None:
    for css in ("div.policy > p:first-child", "#main, article", "[data-x='1']"):
        check_selector(css)


# --- frames --------------------------------------------------------------------------------


def test_frameset_lists_frames_by_likelihood() -> None:
    body = (
        b"<html><frameset cols='20%,80%'><frame name='left' src='nav.htm'>"
        b"<frame name='main' src='body.htm'></frameset></html>"
    )
    result = extract(body, "text/html")
    assert result.text == ""
    assert result.frames == ("body.htm", "nav.htm")


def test_frames_ranked_by_size_without_words() -> None:
    body = b"<frameset rows='100,*'><frame src='a.htm'><frame src='b.htm'></frameset>"
    assert extract(body, "text/html").frames == ("b.htm", "a.htm")


def test_iframe_only_page_lists_the_iframe() -> None:
    body = page("<iframe src='https://legal.example/privacy' width='100%'></iframe>")
    assert extract(body, CT).frames == ("https://legal.example/privacy",)


def test_page_with_text_lists_no_frames() -> None:
    assert extract(page("<p>Hi</p><iframe src='/ad'></iframe>"), CT).frames == ()


# --- content types -------------------------------------------------------------------------


def test_xhtml_with_xml_declaration() -> None:
    body = b'<?xml version="1.0" encoding="utf-8"?><html><body><p>caf\xc3\xa9</p></body></html>'
    assert extract(body, "application/xhtml+xml").text == "caf\u00e9\n"


def test_legacy_page_decoded_before_parsing() -> None:
    body = b"<html><body><p>We \x93respect\x94 you.</p></body></html>"
    assert extract(body, "text/html; charset=iso-8859-1").text == "We \u201crespect\u201d you.\n"


def test_result_carries_decoded_html() -> None:
    body = b"<p>We \x93respect\x94 you.</p>"
    assert extract(body, "text/html; charset=windows-1252").html == (
        "<p>We \u201crespect\u201d you.</p>"
    )


def test_text_plain_passthrough() -> None:
    body = b"Privacy Policy\r\n\r\n  Indented line \rEnd"
    result = extract(body, "text/plain; charset=utf-8", select=("p",))
    assert result == Extracted(text="Privacy Policy\n\n  Indented line \nEnd", title=None)


def test_sniffs_without_content_type() -> None:
    assert extract(b"<html><body><h2>Hi</h2></body></html>", None).text == "## Hi\n"
    assert extract(b"plain <words>", None).text == "plain <words>"


@pytest.mark.parametrize(
    "content_type",
    ["image/png", "application/octet-stream", "application/json", "text/css", "video/mp4"],
)
def test_unsupported_type_raises(content_type: str) -> None:
    with pytest.raises(ExtractError, match=f"^unsupported content type '{content_type}'$"):
        extract(b"\x89PNG\r\n\x1a\n\x00\x01", content_type)


def test_binary_without_content_type_raises() -> None:
    with pytest.raises(ExtractError, match="unsupported content type None"):
        extract(b"\x89PNG\r\n\x00\x01", None)


@pytest.mark.parametrize("content_type", ["application/pdf", None, "application/octet-stream"])
def test_broken_pdf_raises_with_reason(content_type: str | None) -> None:
    with pytest.raises(ExtractError, match=r"^unreadable PDF: .+"):
        extract(b"%PDF-1.4\n\x00\x01 not really", content_type)


@pytest.mark.parametrize("body", [b"", b"  \n\t ", b"<!-- only a comment -->", b"<html></html>"])
def test_empty_body_gives_empty_text(body: bytes) -> None:
    result = extract(body, "text/html")
    assert (result.text, result.title, result.frames) == ("", None, ())


def test_loose_text_in_lists_and_tables_is_kept() -> None:
    assert md("<ul>Intro<li>a</li> between <li>b</li></ul>") == "Intro\n- a\nbetween\n- b\n"
    text = md("<table><tr>loose<td>a</td><td>b</td></tr><tr><td>c</td><td>d</td></tr></table>")
    assert "loose" in text and "|" not in text


def test_declarative_shadow_dom_is_composed() -> None:
    text = md(
        "<x-card><template shadowrootmode='open'><h3><slot name='t'>Untitled</slot></h3>"
        "<slot></slot><p>Shadow text.</p></template><b slot='t'>Retention</b>"
        "<p>Light text.</p><span slot='nowhere'>never shown</span></x-card>"
        "<x-card><template shadowrootmode='open'><h3><slot name='t'>Fallback</slot></h3>"
        "</template></x-card>"
    )
    assert text == "### Retention\n\nLight text.\n\nShadow text.\n\n### Fallback\n"


def pdf(*pages: list[tuple[int, int, str]]) -> bytes:
    """A minimal PDF 1.4 with Helvetica text lines placed at (x, y) points on each page."""
    objects = [b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    page_ids = []
    for lines in pages:
        ops = b" ".join(b"1 0 0 1 %d %d Tm (%s) Tj" % (x, y, t.encode()) for x, y, t in lines)
        stream = b"BT /F1 11 Tf " + ops + b" ET"
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
        objects.append(b"<< /Type /Page /Parent PAGES /Contents %d 0 R >>" % len(objects))
        page_ids.append(len(objects))
    kids = b" ".join(b"%d 0 R" % n for n in page_ids)
    objects.append(
        b"<< /Type /Pages /Kids [%s] /Count %d /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 1 0 R >> >> >>" % (kids, len(page_ids))
    )
    objects = [o.replace(b"PAGES", b"%d 0 R" % len(objects)) for o in objects]
    objects.append(b"<< /Type /Catalog /Pages %d 0 R >>" % len(objects))
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for n, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (n, obj)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer << /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        len(objects),
        xref,
    )
    return bytes(out)


def test_pdf_paragraphs_by_gap_indent_hyphen_and_page_run_over() -> None:
    body = pdf(
        [(72, 700, "We collect your name and infor-"), (72, 686, "mation you give us."),
         (72, 650, "We keep it for a year."), (90, 636, "An indented line starts a new one,"),
         (72, 622, "and this paragraph runs onto"), (300, 40, "Page 1 of 2")],
        [(72, 700, "the next page."), (72, 670, "Contact us.")],
    )  # fmt: skip
    assert extract(body, "application/pdf").text == (
        "We collect your name and infor-mation you give us.\n\nWe keep it for a year.\n\n"
        "An indented line starts a new one, and this paragraph runs onto the next page.\n\n"
        "Contact us.\n"
    )


def test_select_on_a_frameset_page_hands_back_its_frames() -> None:
    body = b"<html><frameset cols='150,*'><frame src='nav.htm'><frame src='p.htm'></frameset>"
    result = extract(body, "text/html", select=("#policy",))
    assert (result.text, result.frames) == ("", ("p.htm", "nav.htm"))
    with pytest.raises(ExtractError, match="matches nothing"):
        extract(page("<p>text</p><iframe src='x.htm'></iframe>"), CT, select=("#policy",))


def test_iframe_inside_frameset_soup() -> None:
    body = b"<frameset rows='*'><iframe src='f.htm'></iframe><frame src='g.htm'></frameset>"
    assert set(extract(body, "text/html").frames) == {"f.htm", "g.htm"}
