"""The renderers: terminal redline, Markdown, HTML, unified diff, and the string front door."""

from __future__ import annotations

import difflib
import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from rich.text import Text

from tracker.diff.model import Change, Comparison, Span, Summary, TextInfo
from tracker.diff.render import (
    FORMATS,
    render_html,
    render_html_fragment,
    render_markdown,
    render_string,
    render_text,
    render_unified,
)
from tracker.diff.render.layout import pieces

P = "Privacy Policy"
SHARE = (P, "How we share information")
CONTACT = "Contact us at privacy@example.com for help."
OLD = f"""# Privacy Policy

## What we collect

We collect your email address. We collect your name.

{CONTACT}

## How we share information

We share it with partners. We keep logs for 30 days.

## Cookies

We use cookies to remember you.
"""
NEW = f"""# Privacy Policy

## What we collect

We collect your email address.

## How we share information

We share it with advertisers and partners. We keep logs for 90 days.

## Cookies

We use *cookies* to remember you.

We may also use web beacons.

{CONTACT}
"""
DELETE = "background:#fdd;color:#900;text-decoration:line-through"
INSERT = "background:#dfd;color:#060;text-decoration:underline"
HOSTILE = "Esc \x1b[31mred\x1b[0m, clip \x1b]52;c;aGk=\x07, csi \x9b2J and [red]x[/red]."


def span(text: str, clause: str) -> Span:
    """The span of a clause that occurs once in text."""
    assert text.count(clause) == 1, clause
    start = text.index(clause)
    return Span(start, start + len(clause))


def comparison(
    old: str,
    new: str,
    changes: list[Change],
    *,
    old_date: str | None = None,
    new_date: str | None = None,
    **summary: Any,
) -> Comparison:
    """A Comparison built by hand, as the engine would return it."""
    old_info = TextInfo(len(old), "0" * 64, old_date)
    new_info = TextInfo(len(new), "1" * 64, new_date)
    return Comparison(old_info, new_info, Summary(**summary), tuple(changes), old, new)


def example() -> Comparison:
    """One of every kind: removed, two modified on one line, cosmetic, added, moved."""
    share_old, share_new = (
        "We share it with partners.",
        "We share it with advertisers and partners.",
    )
    logs_old, logs_new = "We keep logs for 30 days.", "We keep logs for 90 days."
    use_old, use_new = "We use cookies to remember you.", "We use *cookies* to remember you."
    changes = [
        Change("removed", span(OLD, "We collect your name."), None, (P, "What we collect"),
               ("first_party_collection",), {}, ("removed_data",), "medium"),
        Change("modified", span(OLD, share_old), span(NEW, share_new), SHARE,
               ("third_party_sharing",), {"third_party_sharing": ("advertisers",)},
               ("new_party",), "high",
               (("equal", "We share it with "), ("insert", "advertisers and "),
                ("equal", "partners."))),
        Change("modified", span(OLD, logs_old), span(NEW, logs_new), SHARE, ("data_retention",),
               {}, ("quantity",), "medium",
               (("equal", "We keep logs for "), ("delete", "30"), ("insert", "90"),
                ("equal", " days."))),
        Change("cosmetic", span(OLD, use_old), span(NEW, use_new), (P, "Cookies"), (), {}, (),
               "none", (("equal", "We use "), ("delete", "cookies"), ("insert", "*cookies*"),
                        ("equal", " to remember you."))),
        Change("added", None, span(NEW, "We may also use web beacons."), (P, "Cookies"),
               ("cookies_tracking",), {}, ("new_party",), "low"),
        Change("moved", span(OLD, CONTACT), span(NEW, CONTACT), (P, "Cookies"), ("contact",), {},
               (), "low", (("equal", CONTACT),)),
    ]  # fmt: skip
    return comparison(
        OLD, NEW, changes, added=1, removed=1, modified=2, moved=1, cosmetic=1,
        categories={"third_party_sharing": 1, "data_retention": 1}, significance="high",
        headline="Now shares data with advertisers; keeps logs longer.",
        old_date="2021-03-04", new_date="2022-01-10",
    )  # fmt: skip


def hostile() -> Comparison:
    """A policy whose new clause carries terminal escapes, console markup and HTML."""
    old = "# Terms\n\nWe are nice.\n"
    html = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    new = f"# Terms\n\nWe are nice.\n\n{HOSTILE} {html}\n"
    clause = new[new.index("Esc") : -1]
    change = Change("added", None, span(new, clause), ("Terms \x1b[2J<b>",), ("other",))
    return comparison(old, new, [change], added=1, headline="Added <b>\x1b[5m</b>.")


def styled(text: Text, style: str) -> list[str]:
    """The stretches of a Text carrying a style."""
    return [text.plain[s.start : s.end] for s in text.spans if str(s.style) == style]


# The hand-built comparison itself


def test_the_example_is_well_formed() -> None:
    cmp = example()
    for change in cmp.changes:
        old = cmp.old_text[change.old.start : change.old.end] if change.old else None
        new = cmp.new_text[change.new.start : change.new.end] if change.new else None
        if change.inline:
            assert "".join(t for op, t in change.inline if op != "insert") == old
            assert "".join(t for op, t in change.inline if op != "delete") == new


def test_pieces_rebuild_the_new_text() -> None:
    for cmp in (example(), hostile()):
        assert "".join(p.text for p in pieces(cmp) if p.op != "delete") == cmp.new_text


# Terminal text


def test_text_starts_with_headline_and_counts() -> None:
    lines = render_text(example()).plain.splitlines()
    assert lines[0] == "Now shares data with advertisers; keeps logs longer."
    assert lines[1] == "1 added · 1 removed · 2 modified · 1 moved · 1 cosmetic · significance HIGH"
    assert "last updated 2021-03-04 → 2022-01-10" in lines


def test_text_marks_lines_and_headers() -> None:
    plain = render_text(example()).plain
    assert "- We collect your email address. We collect your name." in plain
    assert "~ We share it with advertisers and partners. We keep logs for 3090 days." in plain
    assert "~ We use cookies*cookies* to remember you." in plain
    assert "+ We may also use web beacons." in plain
    assert f"> {CONTACT}" in plain
    header = "§ Privacy Policy › How we share information · modified · third_party_sharing"
    assert f"{header} · new_party · HIGH\n" in plain
    assert "§ Privacy Policy › Cookies · cosmetic · NONE\n" in plain
    moved = "§ Privacy Policy › Cookies · moved · contact · LOW · moved from § Privacy Policy"
    assert f"{moved} › What we collect\n" in plain


def test_text_styles_deletions_and_insertions() -> None:
    text = render_text(example())
    assert styled(text, "red strike") == [" We collect your name.", "30", "cookies"]
    assert styled(text, "green underline") == [
        "advertisers and ",
        "90",
        "*cookies*",
        "We may also use web beacons.",
    ]
    assert styled(text, "cyan") == [CONTACT]
    assert "HIGH" in styled(text, "bold red")


def test_text_word_markers_for_plain_output() -> None:
    plain = render_text(example(), word_markers=True).plain
    assert "We keep logs for [-30-]{+90+} days." in plain
    assert "[-" not in render_text(example()).plain


def test_text_context_and_changes_only() -> None:
    zero = render_text(example(), context=0).plain
    one = render_text(example(), context=1).plain
    whole = render_text(example(), changes_only=False).plain
    assert "## How we share information" not in zero
    assert "⋯" in zero  # separate hunks
    assert "  ## How we share information" in one
    assert "# Privacy Policy" not in one
    assert "  # Privacy Policy" in whole and "⋯" not in whole
    for plain in (zero, one, whole):
        assert plain.count("\n§ ") == 6  # every change keeps its header


def test_silent_change_is_called_out() -> None:
    cmp = example()
    silent = comparison(OLD, NEW, list(cmp.changes), new_date="2021-03-04", silent_change=True)
    warning = "Silent change: substantive edits, but the stated date stayed 2021-03-04."
    assert warning in render_text(silent).plain
    assert warning in render_markdown(silent)
    assert warning in render_html(silent)
    assert "Silent change" not in render_text(cmp).plain


def test_text_of_no_changes_is_the_headline() -> None:
    cmp = comparison("Same.\n", "Same.\n", [])
    assert render_text(cmp).plain == "No changes.\nsignificance NONE"
    assert render_markdown(cmp) == "## No changes.\n\nsignificance NONE\n"


def test_text_keeps_hostile_text_inert() -> None:
    text = render_text(hostile())
    plain = text.plain
    assert "\x1b" not in plain and "\x07" not in plain and "\x9b" not in plain
    assert r"Esc \x1b[31mred\x1b[0m, clip \x1b]52;c;aGk=\x07, csi \x9b2J and [red]x[/red]." in plain
    assert r"§ Terms \x1b[2J<b>" in plain and r"Added <b>\x1b[5m</b>." in plain
    # The markup stayed text: the only styles are ours.
    assert {str(s.style) for s in text.spans} <= {"bold", "dim", "bold green", "green underline"}
    console = Console(record=True, width=400, color_system=None)
    console.print(text)
    assert "[red]x[/red]" in console.export_text()


# Markdown


def test_markdown_structure() -> None:
    md = render_markdown(example())
    assert md.startswith("## Now shares data with advertisers; keeps logs longer.\n\n1 added")
    assert "### § Privacy Policy › What we collect" in md
    assert "*modified* · **HIGH** · third\\_party\\_sharing · new\\_party" in md
    assert "We share it with <ins>advertisers and </ins>partners." in md
    assert "We keep logs for <del>30</del><ins>90</ins> days." in md
    assert "We collect your email address.<del> We collect your name.</del>" in md
    assert "We use <del>cookies</del><ins>\\*cookies\\*</ins> to remember you." in md
    assert "moved from § Privacy Policy › What we collect" in md
    # Two changes in one paragraph and one section: one heading, two meta lines.
    assert md.count("### § Privacy Policy › How we share information") == 1
    assert "\\#\\# How we share information" in md  # the policy's heading, as context
    assert "\n\n\n" not in md


def test_markdown_escapes_policy_markup() -> None:
    old = "Intro.\n"
    new = "Intro.\n\n- **x** <b>y</b> [z](http://e) `c` ~~d~~ # e | f & g</del>\n\n1. Q\n"
    changes = [
        Change("added", None, span(new, new[new.index("**x**") : new.index("</del>") + 6])),
        Change("added", None, span(new, "Q")),
    ]
    md = render_markdown(comparison(old, new, changes))
    escaped = r"\*\*x\*\* \<b\>y\</b\> \[z\](http://e) \`c\` \~\~d\~\~ \# e \| f \& g\</del\>"
    assert f"\\- <ins>{escaped}</ins>" in md
    assert "1\\. <ins>Q</ins>" in md
    assert "\x1b" not in render_markdown(hostile())


def test_markdown_context() -> None:
    assert "Privacy Policy\n" not in render_markdown(example(), context=0).replace("§ ", "")
    whole = render_markdown(example(), changes_only=False)
    assert "\\# Privacy Policy" in whole


# HTML


class _Collector(HTMLParser):
    """Elements, their attributes and the text inside each styled span."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.spans: dict[str, list[str]] = {}
        self.stack: list[str | None] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in {"meta", "br", "img"}:
            self.stack.append(dict(attrs).get("style") if tag == "span" else None)
            if tag == "span":
                self.spans.setdefault(dict(attrs).get("style") or "", []).append("")

    def handle_endtag(self, tag: str) -> None:
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self.stack and self.stack[-1] is not None:
            self.spans[self.stack[-1]][-1] += data


def parse(document: str) -> _Collector:
    collector = _Collector()
    collector.feed(document)
    collector.close()
    assert collector.stack == []  # every element closed
    return collector


def test_html_is_a_standalone_inline_styled_document() -> None:
    document = render_html(example(), title="ACME <policy>")
    assert document.startswith("<!DOCTYPE html>")
    parsed = parse(document)
    names = [tag for tag, _ in parsed.tags]
    assert "style" not in names and "script" not in names and "link" not in names
    assert ("meta", {"charset": "utf-8"}) in parsed.tags
    assert "<title>ACME &lt;policy&gt;</title>" in document
    assert parsed.spans[DELETE] == [" We collect your name.", "30", "cookies"]
    assert parsed.spans[INSERT] == [
        "advertisers and ",
        "90",
        "*cookies*",
        "We may also use web beacons.",
    ]
    text = "".join(parsed.text)
    assert "§ Privacy Policy › How we share information" in text
    assert "moved from § Privacy Policy › What we collect" in text
    for badge in ("HIGH", "MEDIUM", "third_party_sharing", "new_party", "quantity"):
        assert any(badge in chunk for chunks in parsed.spans.values() for chunk in chunks)


def test_html_fragment_is_the_body() -> None:
    fragment = render_html_fragment(example())
    assert fragment.startswith("<div") and "<html" not in fragment and "<body" not in fragment
    assert fragment in render_html(example())
    assert "## What we collect" not in render_html_fragment(example(), context=0)


def test_html_escapes_hostile_policy_text() -> None:
    document = render_html(hostile())
    parsed = parse(document)
    names = {tag for tag, _ in parsed.tags}
    assert not names & {"script", "img", "b"}
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in document
    assert "&lt;img src=x onerror=alert(2)&gt;" in document
    assert "\x1b" not in document and "\x9b" not in document
    assert r"\x1b]52;c;aGk=\x07" in "".join(parsed.text)


# Unified diff


def apply_unified(old: str, patch: str) -> str:
    """A tiny ``patch``: apply unified hunks to old, checking every context and removed line."""
    source = old.split("\n")
    lines = patch.split("\n")
    out: list[str] = []
    pos = 0
    for number, line in enumerate(lines):
        header = re.match(r"@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@", line)
        if not header:
            continue
        start = int(header.group(1)) - (0 if header.group(2) == "0" else 1)
        out += source[pos:start]
        pos = start
        for body in lines[number + 1 :]:
            if body.startswith(("@@", "\\")) or not body:
                break
            if body[0] in " -":
                assert source[pos] == body[1:], (source[pos], body)
                pos += 1
            if body[0] in " +":
                out.append(body[1:])
    out += source[pos:]
    result = "\n".join(out)
    return result[:-1] if "\\ No newline" in patch else result


def test_unified_matches_difflib_and_applies() -> None:
    cmp = example()
    patch = render_unified(cmp, old_label="a/policy.md", new_label="b/policy.md")
    expected = difflib.unified_diff(
        OLD.splitlines(keepends=True),
        NEW.splitlines(keepends=True),
        "a/policy.md",
        "b/policy.md",
    )
    assert patch == "".join(expected)
    assert patch.startswith("--- a/policy.md\n+++ b/policy.md\n@@ ")
    assert apply_unified(OLD, patch) == NEW


def test_unified_context_and_identical_texts() -> None:
    cmp = example()
    assert render_unified(cmp, context=0).count("@@ ") > render_unified(cmp).count("@@ ")
    assert apply_unified(OLD, render_unified(cmp, context=0)) == NEW
    assert render_unified(comparison("same\n", "same\n", [])) == ""


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (OLD, NEW),
        ("a\nb\nc", "a\nB\nc"),  # no final line break on either side
        ("a\nb\n", "a\nb"),  # the final line break removed
        ("x\u2028y\r\nz\x0c\n", "x\u2028Y\r\nz\x0c\n"),  # only \n breaks lines for patch
    ],
)
def test_unified_applies_with_patch(old: str, new: str, tmp_path: Path) -> None:
    if shutil.which("patch") is None:
        pytest.skip("no patch program")
    target = tmp_path / "policy.md"
    target.write_bytes(old.encode())
    diff = render_unified(comparison(old, new, []), old_label="policy.md", new_label="policy.md")
    result = subprocess.run(
        ["patch", "--batch", "--silent", str(target)],
        input=diff.encode(),
        capture_output=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert target.read_bytes() == new.encode()


# Placing removed clauses and moves


GONE = "§ (top) · removed · NONE"


def removal(old: str, new: str, clause: str) -> str:
    """The plain redline (whole text, word markers) of removing one clause."""
    cmp = comparison(old, new, [Change("removed", span(old, clause), None)])
    return render_text(cmp, changes_only=False, word_markers=True).plain.split("\n", 2)[2]


@pytest.mark.parametrize(
    ("old", "new", "clause", "shown"),
    [
        ("P1\n\nP2\n\nP3\n", "P1\n\nP3\n", "P2", f"  P1\n\n{GONE}\n- [-P2-]\n\n  P3"),
        ("P1\n\nP2\n\nP3", "P1\n\nP2", "P3", f"  P2\n\n{GONE}\n- [-P3-]"),
        ("P0\n\nP1\n", "P1\n", "P0", f"{GONE}\n- [-P0-]\n\n  P1"),
        ("A. B. C.\n", "A. C.\n", "B.", "- A.[- B.-] C."),
        ("A. B.\n\nC.\n", "A.\n\nC.\n", "B.", "- A.[- B.-]\n\n  C."),
        ("X. Y.\n", "Y.\n", "X.", "- [-X. -]Y."),
        ("- a\n- b\n- c\n", "- a\n- c\n", "b", f"  - a\n{GONE}\n- [-- b-]\n  - c"),
        ("a\r\nb\r\nc\r\n", "a\r\nc\r\n", "b", f"  a\n{GONE}\n- [-b-]\n  c"),
    ],
)
def test_removed_clauses_stay_in_place(old: str, new: str, clause: str, shown: str) -> None:
    assert shown in removal(old, new, clause)


def test_moves_say_where_from() -> None:
    old, new = "One. Two. Three.\n", "Two. Three. One.\n"
    move = Change("moved", span(old, "One."), span(new, "One."), ())
    plain = render_text(comparison(old, new, [move])).plain
    assert "moved from earlier in the text" in plain
    assert "> Two. Three. One." in plain


def test_edit_without_inline_ops_shows_both_clauses() -> None:
    old, new = "We may share.\n", "We will sell.\n"
    change = Change("modified", span(old, "We may share."), span(new, "We will sell."))
    text = render_text(comparison(old, new, [change]))
    assert styled(text, "red strike") == ["We may share."]
    assert styled(text, "green underline") == ["We will sell."]


# The string front door


def test_render_string_every_format() -> None:
    cmp = example()
    assert FORMATS == ("text", "json", "markdown", "html", "unified")
    assert json.loads(render_string(cmp, "json")) == cmp.to_dict()
    assert "[-30-]{+90+}" in render_string(cmp, "text")
    assert render_string(cmp, "markdown") == render_markdown(cmp)
    assert render_string(cmp, "html", title="T") == render_html(cmp, title="T")
    assert render_string(cmp, "unified") == render_unified(cmp)
    assert render_string(cmp, "unified", context=0) == render_unified(cmp, context=0)
    whole = render_string(cmp, "text", changes_only=False)
    assert "  # Privacy Policy" in whole
    with pytest.raises(ValueError, match="unknown format"):
        render_string(cmp, "pdf")


def test_render_string_json_keeps_controls_escaped() -> None:
    document = render_string(hostile(), "json")
    assert "\x1b" not in document and "\x9b" not in document and "\x07" not in document
    assert json.loads(document) == hostile().to_dict()
