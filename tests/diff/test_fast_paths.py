"""Shortcuts give what the plain code gives: each fast path against the code it replaced.

The references below are the engine's earlier, straightforward versions (regex passes over
whole texts). Generated texts mix the words the shortcuts look for with numbers, dates, marks,
case changes and the characters case folding treats specially.
"""

from __future__ import annotations

import re
from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.diff import align as align_module
from tracker.diff import chunks as chunks_module
from tracker.diff import cosmetic, flags
from tracker.diff.chunks import chunks
from tracker.diff.reading import Reader, prepare

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
PIECES = [
    "30 days", "thirteen", "one", "2021", "1999", "12/03/2021", "2021-03-04", "March 4, 2021",
    "4. März 2021", "Article 6(1)", "art. 5", "ARTICLE", "§ 3", "a§ 30 days", "Section 2.1",
    "no. 7", "No 5",
    "Paragraph", "sentence 1", "1 Hatch Street", "St. 4", "Suite 207", "P.O. Box 12", "ZIP",
    "Strasse", "rue", "ſection 3", "İ", "we", "keep", "data", "for", "90", "%", "percent",
    "1.", "3.1.", "2)", "*", "**", "_", "\\*", "a_b", "-", " ", "  ", "\n", ", ", ". ", "(", ")",
]  # fmt: skip
texts = st.lists(st.sampled_from(PIECES), max_size=25).map("".join)


def _reference_undated(text: str, mark: str = " ") -> str:
    return flags._DATE.sub(mark, text) if flags._DIGIT.search(text) else text


def _reference_quantities(text: str) -> Counter[tuple[str, str]]:
    """flags.quantities before readings and prechecks."""
    prepared = prepare(text)
    if not flags._DIGIT.search(prepared) and not flags._NUMBER_WORD.search(prepared):
        return Counter()
    prepared = flags._SECTION_REFERENCE.sub(" ", _reference_undated(prepared))
    if flags._ADDRESS.search(prepared):
        prepared = flags._ADDRESS_NUMBERS.sub(" ", prepared)
    prepared = flags._LEADING_NUMBER.sub(" ", prepared)
    found: Counter[tuple[str, str]] = Counter()
    for match in flags._QUANTITY.finditer(prepared):
        number, unit = match["n"].lower(), (match["unit"] or "").lower()
        unit = (
            flags._UNITS.get(unit)
            or flags._UNITS.get(unit.rstrip("s"))
            or flags._UNITS.get(unit[:-1], "")
        )
        value = str(flags._NUMBER_WORDS.get(number, number.replace(",", "")))
        if not unit and (number == "one" or (number.isdigit() and len(number) > 3)):
            continue
        found[(value, unit)] += 1
    return found


@SETTINGS
@given(texts)
def test_quantities_and_undated_text_are_those_of_the_plain_code(text: str) -> None:
    assert flags.quantities(text, Reader()) == _reference_quantities(text)
    for mark in (" ", "#"):
        assert flags._undated(text, mark) == _reference_undated(text, mark)


_OLD_EMPHASIS = re.compile(r"(?<!\\)(?:(?<![\w*_])[*_]+|[*_]+(?![\w*_]))")


@SETTINGS
@given(
    st.lists(st.sampled_from(["*", "_", "**", "__", "a", "\\", " ", "é", "1", "\n"])).map("".join)
)
def test_emphasis_marks_are_found_as_before(text: str) -> None:
    old = [m.span() for m in _OLD_EMPHASIS.finditer(text)]
    assert [m.span() for m in cosmetic._EMPHASIS.finditer(text)] == old


_OLD_SEPARATOR = re.compile(r"\n(?:[ \t\r]*\n)+")


def _reference_chunks(text: str) -> list[tuple[int, int]]:
    spans, position = [], 0
    for separator in _OLD_SEPARATOR.finditer(text):
        if separator.start() > position:
            spans.append((position, separator.start()))
        position = separator.end()
    if position < len(text):
        spans.append((position, len(text)))
    return spans


@SETTINGS
@given(st.lists(st.sampled_from(["a", "b c", "\n", "\n\n", " ", "\t", "\r", "\r\n"])).map("".join))
def test_chunks_are_found_as_before(text: str) -> None:
    assert chunks(text) == _reference_chunks(text)


_OLD_FOLDS = re.compile(r"[^\w .,;:!?()/@%$=']|_|  |^\d{1,9}[.)](?:\s|$)| $|^ ")


@SETTINGS
@given(
    st.lists(st.sampled_from(["a", " ", "  ", "_", "1", "2.", "3)", "\n", "é", "*", "-"])).map(
        "".join
    )
)
def test_texts_needing_a_fold_are_told_as_before(text: str) -> None:
    assert cosmetic._folds(text) == (_OLD_FOLDS.search(text) is not None)


def _reference_runs(anchors: list[tuple[int, int]]) -> list[tuple[tuple[int, int], ...]]:
    runs: list[tuple[tuple[int, int], tuple[int, int]]] = []
    for pair in anchors:
        if runs and pair == (runs[-1][1][0] + 1, runs[-1][1][1] + 1):
            runs[-1] = (runs[-1][0], pair)
        else:
            runs.append((pair, pair))
    return runs


def _reference_trim(
    a: list[str], b: list[str], xs: list[int], ys: list[int], out: list[tuple[int, int]]
) -> tuple[list[int], list[int]]:
    head, limit = 0, min(len(xs), len(ys))
    while head < limit and a[xs[head]] == b[ys[head]]:
        out.append((xs[head], ys[head]))
        head += 1
    tail = 0
    while tail < limit - head and a[xs[-1 - tail]] == b[ys[-1 - tail]]:
        out.append((xs[-1 - tail], ys[-1 - tail]))
        tail += 1
    return xs[head : len(xs) - tail], ys[head : len(ys) - tail]


@SETTINGS
@given(st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30)), unique=True).map(sorted))
def test_runs_of_anchors_are_found_as_before(anchors: list[tuple[int, int]]) -> None:
    assert chunks_module._runs(anchors) == _reference_runs(anchors)


@SETTINGS
@given(st.lists(st.sampled_from("abc"), max_size=12), st.lists(st.sampled_from("abc"), max_size=12))
def test_equal_ends_are_paired_as_before(a: list[str], b: list[str]) -> None:
    xs, ys = list(range(len(a))), list(range(len(b)))
    out: list[tuple[int, int]] = []
    expected_out: list[tuple[int, int]] = []
    assert align_module._trim(a, b, xs, ys, out) == _reference_trim(a, b, xs, ys, expected_out)
    assert out == expected_out
