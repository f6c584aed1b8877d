"""Segmentation and folding shortcuts give what the plain code gives.

The references below are the earlier, straightforward versions: blocks found by trying every
line pattern on every line, sentence boundaries checked candidate by candidate after a plain
punctuation search, and a fold that runs each of its passes in turn. Generated texts mix
Markdown line starts, sentence punctuation, openers and closers, abbreviations, enumeration
markers, typographic characters and the Unicode letters and digits whose case or kind matters.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterator
from itertools import pairwise

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.diff import cosmetic, segment, sentences
from tracker.diff.segment import _Block

SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
LINE_STARTS = [
    "\n", "\n", "\n\n", "\n \n", "\r\n", "\n\t", "\n   ", "\n    ", "# ", "## ", "####### ",
    "#", "- ", "* ", "+ ", "1. ", "2) ", "12345678901. ", "٣. ", "| a | b |", "|---|:-:|", "> ",
    ">", "> > ", "***", "---", "- - -", "___", "_ _ _", "===", "=", "**Bold**", "__Title__:",
    "\u00a0", "\u2003",
]  # fmt: skip
WORDS = [
    "We", "we", "the", "Data", "e.g.", "etc.", "Inc.", "U.S.", "a.m.", "F.", "f.", "Mr.", "No.",
    "Ltd.", "v.", ". ", ".", "!", "? ", "…", "...", "?!", '"', "“", "”", "’", "»", "(", ")", "[",
    "]", "*", "_", "** ", '"(*', "“[_", "([«", "(a) ", "(b) ", "(i) ", "(1) ", "(c)", ": ", "; ",
    ", ", "5", "²", "Ⅻ", "é", "É", "ǅ", "ª", "中", "ß", "1.5", "www.x.com", " ", "  ", "\t",
    "some words that make a long sentence with many words in it and more words ",
]  # fmt: skip
FOLD_PIECES = [
    "a", "B", " ", "  ", "\n", "\t", "-", "--", " - ", "—", "–", "‐", "…", "‘", "’", "“", "”",
    "«", "»", "\u00a0", "\u200b", "\u00ad", "é", "e\u0301", "# ", "## ", "#", "> ", "\n> ",
    "1. ", "2)", "- ", "* ", "*", "**", "_", "__", "\\*", "\\", "a_b", "[x](http://a.b)",
    "![i](p.png)", "](", "][", "[r][1]", "[", "]", "(", ")", "<b>", "</i>", "<https://a.b>",
    "<a@b.c>", "<", ">", "&amp;", "&", "|", " | ", "\n===", "\n---", " ##", ".", ",", "word",
    "\x1c", "\u2028", "\u3000", " -\u2003- ",
]  # fmt: skip
markdown = st.lists(
    st.one_of(st.sampled_from(LINE_STARTS), st.sampled_from(WORDS)), max_size=40
).map(" ".join)
markdown_tight = st.lists(
    st.one_of(st.sampled_from(LINE_STARTS), st.sampled_from(WORDS)), max_size=40
).map("".join)
clause_texts = st.lists(st.sampled_from(FOLD_PIECES), max_size=25).map("".join)


# -- references: blocks ------------------------------------------------------------------------

_ROW = re.compile(r"[ \t]*\|")


def _reference_blocks(text: str, start: int, stop: int) -> Iterator[_Block]:
    current: _Block | None = None
    for pos, end in segment._lines(text, start, stop):
        if segment._BLANK.match(text, pos, end):
            if current:
                yield segment._finish(text, current)
            current = None
            continue
        last = segment._trimmed_end(text, pos, end)
        if (
            current
            and current.kind == "para"
            and (underline := segment._SETEXT.match(text, pos, end))
        ):
            level = 1 if underline.group(1)[0] == "=" else 2
            yield _Block("heading", current.start, last, level)
            current = None
            continue
        opened = _reference_opened(text, pos, end, last, current)
        if opened is None:
            if current is None:
                current = _Block("para", segment._INDENT.match(text, pos, end).end(), last)
            else:
                current.end = last
            continue
        if current:
            yield segment._finish(text, current)
        current = opened if opened.kind in ("item", "quote", "para") else None
        if opened.kind in ("heading", "row"):
            yield opened
    if current:
        yield segment._finish(text, current)


def _reference_opened(
    text: str, pos: int, end: int, last: int, current: _Block | None
) -> _Block | None:
    indent = segment._INDENT.match(text, pos, end).end()
    if segment._BREAK.match(text, pos, end):
        return _Block("skip", pos, pos)
    atx = segment._ATX.match(text, pos, end)
    if atx:
        return _Block("heading", atx.start(1), last, len(atx.group(1)))
    if _ROW.match(text, pos, end):
        if segment._ROW_RULE.match(text, pos, end):
            return _Block("skip", pos, pos)
        return _Block("row", indent, last)
    if segment._QUOTE.match(text, pos, end):
        if segment._EMPTY_QUOTE.match(text, pos, end):
            return _Block("skip", pos, pos)
        if current and current.kind == "quote":
            return None
        return _Block("quote", indent, last)
    if segment._ITEM.match(text, pos, end):
        return _Block("item", indent, last)
    if current and current.kind == "quote":
        return _Block("para", indent, last)
    return None


# -- references: sentences ---------------------------------------------------------------------

_END = re.compile(r"[.!?…]+[\"'’”»)\]*_]*(?=\s)")
_GAP = re.compile(r"(?:\s|>)+")
_OPENERS = "\"'“‘«([*_"
_ENUM = re.compile(r"(?<=[\s:;,])\((?:[a-z]|[ivx]{1,5}|\d{1,2})\)(?=\s)")


def _reference_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    begin = start
    for match in _END.finditer(text, start, end):
        stop = match.end()
        gap = _GAP.match(text, stop, end)
        after = gap.end() if gap else stop
        if after >= end or not _reference_is_boundary(text, match, after, end):
            continue
        if sentences._MARKER.fullmatch(text, begin, match.start()):
            continue
        spans.extend(_reference_enumerations(text, begin, stop))
        begin = after
    if begin < end:
        spans.extend(_reference_enumerations(text, begin, end))
    return spans


def _reference_is_boundary(text: str, match: re.Match[str], after: int, end: int) -> bool:
    first = after
    while first < end and first - after < 3 and text[first] in _OPENERS:
        first += 1
    char = text[first] if first < end else ""
    if not (char.isdigit() or (char.isalpha() and not char.islower())):
        return False
    if not match.group().startswith(".") or match.group().startswith(".."):
        return True
    word = sentences._WORD_BEFORE.search(text, max(0, match.start() - 16), match.start())
    if word is None:
        return True
    abbreviation = word.group().lower()
    if abbreviation in sentences._NEVER_FINAL:
        return False
    if len(abbreviation) == 1:
        return not word.group().isupper()
    if abbreviation in sentences._MAYBE_FINAL or sentences._dotted(abbreviation):
        following = sentences._WORD_AFTER.match(text, first, min(end, first + 40))
        return following is not None and following.group().lower() in sentences._OPENER_WORDS
    return True


def _reference_enumerations(text: str, start: int, end: int) -> list[tuple[int, int]]:
    if end - start < sentences.ENUM_MIN_WORDS * 4 or text.find("(", start, end) < 0:
        return [(start, end)]
    markers = [m.start() for m in _ENUM.finditer(text, start, end)]
    if len(markers) < 2 or text[markers[0] : markers[0] + 3] not in sentences._ENUM_FIRST:
        return [(start, end)]
    if len(text[start:end].split()) < sentences.ENUM_MIN_WORDS:
        return [(start, end)]
    cuts = [start, *markers, end] if markers[0] > start else [*markers, end]
    pieces = [(a, sentences._rstrip(text, a, b)) for a, b in pairwise(cuts)]
    items = pieces[1:] if markers[0] > start else pieces
    if any(len(text[a:b].split()) < sentences.ENUM_ITEM_WORDS for a, b in items):
        return [(start, end)]
    return [(a, b) for a, b in pieces if b > a]


# -- references: fold --------------------------------------------------------------------------

_DASHES = re.compile(r"\s*-+\s*")


def _reference_fold(text: str) -> str:
    c = cosmetic
    if not c._folds(text) and (text.isascii() or unicodedata.is_normalized("NFC", text)):
        return text
    if not text.isascii():
        text = c._CHAR.sub(lambda m: c._CHARS[m.group()], text)
        if not unicodedata.is_normalized("NFC", text):
            text = unicodedata.normalize("NFC", text)
    text = c._LEAD.sub("", text, count=1)
    if "\n" in text:
        text = c._SETEXT.sub("", c._QUOTE_MARKS.sub(" ", text))
    if text.endswith("#"):
        text = c._CLOSING_HASHES.sub("", text)
    if "](" in text or "][" in text:
        text = c._REF_LINK.sub(r"\1", c._LINK.sub(r"\1", c._IMAGE.sub(r"\1", text)))
    if "<" in text:
        text = c._TAG.sub(" ", c._AUTOLINK.sub(r"\1", text))
    if "&" in text:
        text = html.unescape(text)
    if "*" in text or "_" in text:
        text = c._EMPHASIS.sub("", text)
    if "\\" in text:
        text = c._ESCAPE.sub(r"\1", text)
    if "|" in text:
        text = c._PIPES.sub(" | ", text).strip(" |")
    if "-" in text:
        text = _DASHES.sub("-", text)
    return " ".join(text.split())


# -- the properties ----------------------------------------------------------------------------


def _spans(text: str, blocks: Iterator[_Block]) -> list[tuple[str, int, int, int]]:
    return [(b.kind, b.start, b.end, b.level) for b in blocks]


@SETTINGS
@given(st.one_of(markdown, markdown_tight))
def test_blocks_are_the_blocks_every_line_pattern_finds(text: str) -> None:
    assert _spans(text, segment._blocks(text, 0, len(text))) == _spans(
        text, _reference_blocks(text, 0, len(text))
    )


@SETTINGS
@given(st.one_of(markdown, markdown_tight), st.integers(0, 3), st.integers(0, 3))
def test_sentences_are_those_found_candidate_by_candidate(text: str, cut: int, trim: int) -> None:
    for block in _reference_blocks(text, 0, len(text)):
        start, end = block.start, block.end
        assert sentences.sentences(text, start, end) == _reference_sentences(text, start, end)
    # Any stretch, not only whole blocks: the bounds must cut the patterns the same way.
    start, end = min(cut, len(text)), max(min(cut, len(text)), len(text) - trim)
    assert sentences.sentences(text, start, end) == _reference_sentences(text, start, end)


@SETTINGS
@given(st.one_of(markdown, markdown_tight))
def test_enumeration_markers_are_those_the_lookbehind_first_pattern_finds(text: str) -> None:
    text = "x " * 100 + text
    assert [m.span() for m in sentences._ENUM.finditer(text)] == [
        m.span() for m in _ENUM.finditer(text)
    ]
    assert sentences._enumerations(text, 0, len(text)) == _reference_enumerations(
        text, 0, len(text)
    )


def test_long_enumerations_are_split_as_before() -> None:
    items = "; ".join(f"({m}) we keep your data for six more months" for m in "abcd")
    text = "To provide the service we may share your data with partners, namely: " + items + "."
    text = text + " We also do more. " + text
    assert sentences.sentences(text, 0, len(text)) == _reference_sentences(text, 0, len(text))
    assert len(sentences.sentences(text, 0, len(text))) > 3


@SETTINGS
@given(st.one_of(clause_texts, markdown, markdown_tight))
def test_fold_is_the_fold_of_every_pass_in_turn(text: str) -> None:
    assert cosmetic.fold(text) == _reference_fold(text)
