"""Properties of extract on generated tag soup and arbitrary bytes (hypothesis).

Examples are bounded (small documents, a few hundred cases) so the file runs in seconds.
"""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.errors import ExtractError
from tracker.extract.html import Extracted, extract
from tracker.extract.normalize import normalize_for_identity

TAGS = (
    "p", "div", "span", "b", "strong", "i", "em", "a", "ul", "ol", "li", "table", "tr", "td",
    "th", "thead", "caption", "h1", "h2", "h6", "pre", "blockquote", "dl", "dt", "dd", "br",
    "font", "center", "nav", "header", "footer", "article", "main", "aside", "form", "script",
    "style", "noscript", "template", "svg", "iframe", "frameset", "frame", "img", "hr", "sup",
    "section", "button", "select", "option", "policy-box", "slot",
)  # fmt: skip
ATTRS = (
    "", "", "", ' class="nav"', " hidden", ' style="display:none"', ' href="/x"', ' href="#a"',
    ' href="javascript:x"', ' href=" a b(c "', ' aria-hidden="true"', ' colspan="2"',
    ' rowspan="3"', ' start="5"', ' value="-2"', ' role="presentation"', ' id="sidebar"',
    ' src="f.htm"', ' alt="A"', ' aria-controls="p1"', ' id="p1"', ' shadowrootmode="open"',
    ' slot="title"', ' name="title"', ' class="content-sidebar-wrap"', ' rows="10,*"',
    ' start="\u00b2"', ' colspan="--3"', ' cols="2*,\u0663%,x"', ' value="99999999999"',
)  # fmt: skip
WORDS = st.lists(
    st.one_of(
        st.sampled_from("ab *_|#>-1.:\n\t\u00a0\u2028\u200b\ufeff"),
        st.sampled_from(["&amp;", "&nbsp;", "&#150;", "&lt;", "<!-- c -->", "</p>", "<br>"]),
        st.characters(codec="utf-8", exclude_categories=("Cs",)),
    ),
    max_size=12,
).map("".join)


def _element(parts: tuple[str, str, list[str], bool]) -> str:
    tag, attrs, children, closed = parts
    return f"<{tag}{attrs}>{''.join(children)}" + (f"</{tag}>" if closed else "")


SOUP = st.recursive(
    WORDS,
    lambda inner: st.tuples(
        st.sampled_from(TAGS), st.sampled_from(ATTRS), st.lists(inner, max_size=4), st.booleans()
    ).map(_element),
    max_leaves=25,
)
PAGES = st.lists(SOUP, min_size=1, max_size=4).map(
    lambda parts: "<html><head><title>t</title></head><body>" + "".join(parts) + "</body></html>"
)
ENCODINGS = st.sampled_from(["utf-8", "cp1252", "utf-16", "shift_jis"])
CONTENT_TYPES = st.sampled_from(
    ["text/html", "text/html; charset=utf-8", "text/html; charset=iso-8859-1", None]
)
TRAILING_SPACE = re.compile(r"[ \t]$", re.MULTILINE)

bounded = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _well_formed(result: Extracted) -> None:
    text = result.text
    assert text == "" or (text.endswith("\n") and not text.endswith("\n\n"))
    assert not text.startswith("\n")
    assert "\n\n\n" not in text
    assert not TRAILING_SPACE.search(text), text
    assert "\r" not in text


@bounded
@given(PAGES)
def test_deterministic(html: str) -> None:
    body = html.encode("utf-8")
    assert extract(body, "text/html") == extract(body, "text/html")


@bounded
@given(PAGES, CONTENT_TYPES)
def test_well_formed_markdown(html: str, content_type: str | None) -> None:
    _well_formed(extract(html.encode("utf-8"), content_type))


@bounded
@given(PAGES)
def test_idempotent(html: str) -> None:
    text = extract(html.encode("utf-8"), "text/html").text
    again = extract(text.encode("utf-8"), "text/plain; charset=utf-8").text
    assert again == text
    once = normalize_for_identity(text)
    assert normalize_for_identity(once) == once


@bounded
@given(st.binary(max_size=3000), CONTENT_TYPES)
def test_never_raises_on_arbitrary_bytes(body: bytes, content_type: str | None) -> None:
    try:
        result = extract(body, content_type or "text/html")
    except ExtractError as exc:  # only a %PDF body may be refused, as an unreadable PDF
        assert body.lstrip().startswith(b"%PDF"), exc
        return
    assert isinstance(result, Extracted)
    _well_formed(result)


@bounded
@given(PAGES, ENCODINGS)
def test_never_raises_on_mis_encoded_soup(html: str, encoding: str) -> None:
    body = html.encode(encoding, errors="replace")
    _well_formed(extract(body, "text/html"))


@settings(max_examples=50, deadline=None)
@given(PAGES, st.sampled_from(["p", "div, li", "b", "td"]))
def test_rules_keep_output_well_formed(html: str, css: str) -> None:
    body = html.encode("utf-8")
    try:
        result = extract(body, "text/html", select=(css,), remove=("nav",))
    except ExtractError as exc:
        assert "matches nothing" in str(exc)
        return
    _well_formed(result)
    assert result == extract(body, "text/html", select=(css,), remove=("nav",))
