"""Sentence boundaries inside one block of text, in linear time.

A boundary is sentence punctuation (``. ! ? …``), optional closers (quotes, brackets, emphasis
marks), whitespace, then something that starts a sentence: an upper-case or caseless letter or a
digit, possibly behind an opening quote, bracket or emphasis mark. Punctuation not followed by
whitespace never ends a sentence, which keeps decimals (``1.5``), URLs and e-mail addresses whole.

Abbreviations come in two kinds. Some never end a sentence ("e.g.", "Mr.", "No. 5"), and neither
does a single capital initial ("John F. Kennedy"). Others often do ("etc.", "Inc.", "U.S."): after
them a boundary needs the next word to be a usual sentence opener ("The", "We", "You"…), so
"Match Group, Inc. Dallas" stays whole while "…cookies, etc. We also…" is split.

Enumerations inside a sentence — "to: (a) …; (b) …" — stay in one clause, except in long
sentences (``ENUM_MIN_WORDS`` words or more) whose every item has ``ENUM_ITEM_WORDS`` words or
more: those are split before each item marker, so an edit to one item is one short change.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import chain, pairwise

ENUM_MIN_WORDS = 40
ENUM_ITEM_WORDS = 6
_ENUM_MIN_CHARS = ENUM_MIN_WORDS * 4  # a sentence shorter than this is too short to be split


def _words(words: str) -> frozenset[str]:
    return frozenset(words.split())


# A boundary candidate, in one match: the punctuation with its closers (group 1), whitespace and
# "> " marks when a blockquote continues, up to three openers (group 2), then a letter or digit
# (the caller rules out those lower-case; "a-z" are ruled out here). The searched patterns start
# with one character class, which the regex engine skips to quickly, where a repeat or a
# lookbehind in front would make it try every position: "[.!?…][.!?…]*" is "[.!?…]+", and the
# lookbehind of _ENUM reads back over its "(". A match starts only at the first mark of a run
# ("(?<!…)" after it): tried again at each later mark, a long run of dots would cost time
# quadratic in its length, and would fail there as it failed at its start.
# What follows a candidate's first mark: more marks, closers, the gap and the openers.
_AFTER_MARK = r"[.!?…]*[\"'’”»)\]*_]*)\s[\s>]*([\"'“‘«(\[*_]{0,3})(?=[^\W_a-z])"
_CANDIDATE = re.compile(r"([.!?…](?<![.!?…][.!?…])" + _AFTER_MARK)
# The same where full stops are the only sentence punctuation (most blocks): one plain character
# in front, which the regex engine finds faster still.
_CANDIDATE_DOT = re.compile(r"(\.(?<!\.\.)" + _AFTER_MARK)
# Where the span starts inside a run of marks, the rest of that run may be a candidate too
# (only tried there, once).
_CANDIDATE_CUT = re.compile(r"([.!?…]" + _AFTER_MARK)
_WORD_BEFORE = re.compile(r"[^\W\d_][\w.]*$")
_WORD_AFTER = re.compile(r"[^\W\d_]+")
_NEVER_FINAL = _words(
    "e.g eg i.e ie cf vs v viz mr mrs ms dr prof st no nos nr art sec para fig p pp ca "
    "approx incl esp resp jan feb apr jun jul aug sep sept oct nov dec z.b d.h bzw ggf vgl "
    "p.ex mme mlle abs ref tel ph"
)
_MAYBE_FINAL = _words(
    "etc inc ltd co corp llc plc bros u.s u.k e.u u.s.a a.m p.m s.a s.l s.r.l b.v n.v usw"
)
_OPENER_WORDS = _words(
    "a all also an and any as at because before but by during each finally for from further "
    "furthermore he here how however if in it its learn moreover no note occasionally once "
    "our please read see she since so some such that the their then there these they this "
    "those to under unless upon we what when where whether which while who why with you your "
    "additionally accordingly personal information data wir sie die der das nous vous les le "
    "la nos"
)
_MARKER = re.compile(r"[-*+>\s]*(?:\d{1,3}(?:\.\d{1,3})*|[A-Za-z]|[IVXivx]{1,5})")
_ENUM = re.compile(r"\((?<=[\s:;,]\()(?:[a-z]|[ivx]{1,5}|\d{1,2})\)(?=\s)")
_ENUM_FIRST = frozenset(("(a)", "(i)", "(1)"))


def sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The sentence spans in ``text[start:end]`` (one block, trimmed), in order."""
    spans: list[tuple[int, int]] = []
    begin = start
    find = text.find
    candidate = _CANDIDATE_DOT
    if find("?", start, end) >= 0 or find("!", start, end) >= 0 or find("…", start, end) >= 0:
        candidate = _CANDIDATE
    matches: Iterable[re.Match[str]] = candidate.finditer(text, start, end)
    if start and text[start - 1] in ".!?…" and (cut := _CANDIDATE_CUT.match(text, start, end)):
        matches = chain([cut], candidate.finditer(text, cut.end(), end))
    for match in matches:
        first = match.end()
        char = text[first]
        if not char.isascii() and not (char.isdigit() or (char.isalpha() and not char.islower())):
            continue
        punctuation = match.group(1)
        if (
            punctuation[0] == "."
            and punctuation[:2] != ".."
            and not _ends_after_dot(text, match.start(), first, end)
        ):
            continue
        if _MARKER.fullmatch(text, begin, match.start()):
            continue  # "1. We…", "3.1. Data", "* H. Audio…": a list marker, not a sentence
        stop = match.end(1)
        if stop - begin < _ENUM_MIN_CHARS:
            spans.append((begin, stop))
        else:
            spans.extend(_enumerations(text, begin, stop))
        begin = match.start(2)
    if end - begin < _ENUM_MIN_CHARS:
        if begin < end:
            spans.append((begin, end))
    else:
        spans.extend(_enumerations(text, begin, end))
    return spans


def _ends_after_dot(text: str, dot: int, first: int, end: int) -> bool:
    """Whether a full stop at ``dot`` ends a sentence whose successor's first word is at
    ``first``: not after an abbreviation that never ends one, nor after an initial."""
    word = _WORD_BEFORE.search(text, max(0, dot - 16), dot)
    if word is None:
        return True
    abbreviation = word.group().lower()
    if abbreviation in _NEVER_FINAL:
        return False
    if len(abbreviation) == 1:
        return not word.group().isupper()  # "F." in "John F. Kennedy" is an initial
    if abbreviation in _MAYBE_FINAL or _dotted(abbreviation):
        following = _WORD_AFTER.match(text, first, min(end, first + 40))
        return following is not None and following.group().lower() in _OPENER_WORDS
    return True


def _dotted(word: str) -> bool:
    """Whether a word is dotted initials ("U.S", "a.m"): parts of one or two letters."""
    return "." in word and all(0 < len(part) <= 2 for part in word.split("."))


def _enumerations(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """One sentence, split before its enumeration markers when it is long (module docstring)."""
    if end - start < _ENUM_MIN_CHARS or text.find("(", start, end) < 0:  # cheap rejections
        return [(start, end)]
    markers = [m.start() for m in _ENUM.finditer(text, start, end)]
    if len(markers) < 2 or text[markers[0] : markers[0] + 3] not in _ENUM_FIRST:
        return [(start, end)]
    if len(text[start:end].split()) < ENUM_MIN_WORDS:
        return [(start, end)]
    cuts = [start, *markers, end] if markers[0] > start else [*markers, end]
    pieces = [(a, _rstrip(text, a, b)) for a, b in pairwise(cuts)]
    items = pieces[1:] if markers[0] > start else pieces
    if any(len(text[a:b].split()) < ENUM_ITEM_WORDS for a, b in items):
        return [(start, end)]
    return [(a, b) for a, b in pieces if b > a]


def _rstrip(text: str, start: int, end: int) -> int:
    """``end`` moved back over trailing whitespace."""
    while end > start and text[end - 1].isspace():
        end -= 1
    return end
