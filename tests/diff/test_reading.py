"""Readings find exactly what searching everywhere finds: every lexicon pattern, every table.

A Reading tries a pattern only at the words that start with the pattern's first letters
(tracker.diff.reading). These properties compare it with plain ``finditer`` on generated text
made of lexicon words, inflections, Markdown marks and the characters case folding treats
specially ("İ", "ı", "ſ", the Kelvin sign, combining accents).
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.diff import flags, kinds, lexicon
from tracker.diff.classify import HEADING_RULES, categorize
from tracker.diff.heads import pattern_heads
from tracker.diff.patterns import compile_terms, first_words, without
from tracker.diff.reading import NOISE, Reader, prepare
from tracker.diff.registry import _KEPT

# Words of every registered pattern (stems and whole words), so that generated text hits them.
STEMS = sorted({w for p in _KEPT for w in re.findall(r"[^\W\d_]{2,}", p.pattern)} - {"w", "s"})
ODD = ["İ", "ı", "ſ", "\u212a", "e\u0301", "ß", "٣", "30", "2021", "no.", "n't", "n’t", "K"]
SUFFIXES = ["", "", "", "s", "e", "es", "ed", "ing", "ies", "'s"]
JOINERS = [
    " ",
    " ",
    " ",
    "-",
    "  ",
    "\n",
    ", ",
    ". ",
    "_",
    "*",
    "**",
    "’",
    "\\",
    "(",
    ") ",
    "\u00a0",
    " -\t",
]
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def texts(draw: st.DrawFn) -> str:
    """Lexicon words with inflections, in any case, joined by spaces and marks."""
    parts = []
    for _ in range(draw(st.integers(1, 30))):
        word = draw(st.sampled_from(STEMS)) + draw(st.sampled_from(SUFFIXES))
        if draw(st.integers(0, 9)) == 0:
            word = draw(st.sampled_from(ODD))
        case = draw(st.sampled_from([str.lower, str.lower, str.upper, str.title]))
        parts.append(case(word) + draw(st.sampled_from(JOINERS)))
    return "".join(parts)


def spans(matches: list[re.Match[str]]) -> list[tuple[int, int]]:
    return [m.span() for m in matches]


@SETTINGS
@given(texts())
def test_a_reading_matches_as_finditer_does_for_every_pattern(text: str) -> None:
    reading = Reader().read(text)
    assert reading.text == prepare(text)
    for pattern in _KEPT:
        expected = spans(list(pattern.finditer(reading.text)))
        assert spans(reading.matches(pattern)) == expected, pattern.pattern[:80]
        assert reading.may_match(pattern) or not expected


@SETTINGS
@given(texts())
def test_tables_read_as_one_alternation(text: str) -> None:
    reading = Reader().read(text)
    for table in (kinds._DATA, kinds._PARTIES):
        assert kinds.match_table(table, reading) == kinds._search_table(table, reading.text)


def _slow_rules(prepared: str, rules: tuple[lexicon.Rule, ...]) -> dict[str, tuple[str, ...]]:
    """lexicon.match_rules as it read clauses before readings: finditer for every rule."""

    def evidence(pattern: re.Pattern[str]) -> tuple[str, ...]:
        found = (" ".join(m.group().lower().split()) for m in pattern.finditer(prepared))
        return tuple(dict.fromkeys(found))

    found: dict[str, tuple[str, ...]] = {}
    for rule in rules:
        words = evidence(rule.pattern)
        if words and rule.needs is not None:
            companions = evidence(rule.needs)
            words = words + companions[:1] if companions else ()
        if words:
            known = found.get(rule.category, ())
            found[rule.category] = known + tuple(w for w in words if w not in known)
    return found


@SETTINGS
@given(texts())
def test_categories_negations_and_quantities_are_those_of_the_slow_path(text: str) -> None:
    reader = Reader()
    prepared = prepare(text)
    assert lexicon.clause_categories(text, reader) == _slow_rules(prepared, lexicon.TEXT_RULES)
    title = reader.read_prepared(prepared)
    assert lexicon.match_rules(title, HEADING_RULES) == _slow_rules(prepared, HEADING_RULES)
    slow_negations = len(flags._NEGATION.findall(flags._NOT_NEGATION.sub(" ", prepared)))
    assert flags.negation_count(text, reader) == slow_negations
    has_numbers = flags._DIGIT.search(prepared) or flags._NUMBER_WORD.search(prepared)
    assert bool(flags.quantities(text, reader)) <= bool(has_numbers)


def test_one_reader_reads_each_text_once_and_answers_alike() -> None:
    reader = Reader()
    text = "We share your *email address* with advertisers, not with data brokers."
    assert reader.read(text) is reader.read(text)
    assert categorize(text, ["How we share"], reader) == categorize(text, ["How we share"])
    assert (
        kinds.data_kinds(text, reader)
        == kinds.data_kinds(text)
        == {"email address": ("email address",)}
    )
    assert flags.change_flags(text, text.replace("not ", ""), reader) == ("negation",)


def test_noise_is_blanked_only_where_it_occurs() -> None:
    reader = Reader()
    assert reader.read("Our market share grew.").text == "Our " + " " * 12 + " grew."
    assert reader.read("We share data.").text == "We share data."
    assert NOISE.pattern in {p.pattern for p in _KEPT}


@pytest.mark.parametrize(
    ("regex", "firsts"),
    [
        ("collect(?:s|es|ed|ing)?", ("collect",)),
        ("sdks?", ("sdk",)),
        ("(?:business|ad) partners?", ("ad", "business")),
        ("(?:including )?(?:but )?not limited to", ("but", "including", "not")),
        ("(?:tele)?phone numbers?", ("phone", "tele")),
        ("(?:\\d+|one) days?", ("", "one")),
        ("(?:x)?", ("", "x")),
        ("\\w+n't|never", ("", "never")),
        ("e[\\s\\-]?mail", ("e",)),
    ],
)
def test_first_words(regex: str, firsts: tuple[str, ...]) -> None:
    assert first_words(regex) == firsts


W, P, X = "word", "pair", "prefix"


@pytest.mark.parametrize(
    ("term", "heads"),
    [
        ("not", {(W, "not", "")}),
        ("sdks?", {(W, "sdk", ""), (W, "sdks", "")}),
        ("share~", {(W, f"shar{e}", "") for e in ("e", "es", "ed", "ing")}),
        ("you provide", {(P, "you", "provide")}),
        ("(?:business|ad) partners?", {(P, "business", "partner"), (P, "ad", "partner")}),
        ("(?:our|third party) partners?", {(P, "our", "partner"), (P, "third", "party")}),
        ("we (?:may )?receive", {(P, "we", "may"), (P, "we", "receive")}),
        ("e ?mail", {(P, "e", "mail"), (X, "email", "")}),
        ("u\\.s\\.", {(W, "u", "")}),
        ("lion's share", {(W, "lion", "")}),
        ("(?:tele)?phone numbers?", {(P, "telephone", "number"), (P, "phone", "number")}),
        ("no\\.? ?\\d+", {(X, "no", "")}),
        ("traitement\\w*", {(X, "traitement", "")}),
        ("unauthori[sz]ed access", {(X, "unauthori", "")}),
        ("do not track(?= (?:signals?|requests?))", {(P, "do", "not")}),
        ("(?:\\d+|one) days?", {(X, "", ""), (X, "one", "")}),
        ("teen(?:s|agers?)?", {(X, "teen", "")}),
    ],
)
def test_heads_say_how_matches_start(term: str, heads: set[tuple[str, str, str]]) -> None:
    assert pattern_heads(compile_terms((term,))) == heads


def test_without_keeps_the_other_entries_in_their_order() -> None:
    pattern = compile_terms(("not", "\\w+n't", "never", "no longer"))
    rest = without(pattern, "\\w+n't")
    assert "n't" not in rest.pattern
    assert pattern_heads(rest) == {(W, "never", ""), (W, "not", ""), (P, "no", "longer")}
    text = "We will never, no longer, not share."
    assert spans(list(rest.finditer(text))) == spans(list(pattern.finditer(text)))


def test_odd_case_folding_falls_back_to_searching_everywhere() -> None:
    reading = Reader().read("İnformation we COLLECT")  # "İ" lower-cases to two characters
    assert spans(reading.matches(lexicon.TEXT_RULES[0].pattern)) == [(15, 22)]
    assert set(kinds.data_kinds("İD: Name; e-mail; phone")) == {
        "name",
        "email address",
        "phone number",
    }


def test_readers_in_several_threads_read_alike() -> None:
    """The word index is made on first use and replaced whole: threads that start together,
    with no index yet, still each read every text as one thread alone does."""
    from concurrent.futures import ThreadPoolExecutor

    from tracker.diff import registry

    texts = [f"We share your e-mail address with advertisers, clause {k}." for k in range(200)]
    texts += ["You may opt out of cookies; we do not sell data.", "Wir geben Daten an Dritte."]
    expected = [categorize(t, ["How we share"], Reader()) for t in texts]

    def read_all(_: int) -> list[dict[str, tuple[str, ...]]]:
        reader = Reader()
        return [categorize(t, ["How we share"], reader) for t in texts]

    registry._INDEX[0] = None
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(read_all, range(8)))
    assert all(result == expected for result in results)


def test_rewrapped_and_respaced_text_reads_as_one_line() -> None:
    # Lexicon phrases hold across a line break or doubled spaces ("e ?mail" is one optional
    # separator), and texts alike but for whitespace share one reading.
    reader = Reader()
    assert "email address" in kinds.data_kinds("We keep your e  mail address.", reader)
    assert "email address" in kinds.data_kinds("We keep your e\nmail address.", reader)
    assert reader.read("We share  your data.") is reader.read("We share\n your data.")
