"""Fuzzy pairing's shortcuts give what the plain computation gives.

The reference below scores every candidate pair one at a time, sorts them all and assigns
best first: what :mod:`tracker.diff.fuzzy` did before candidates were grouped by new clause,
containment was deferred until the assignment needs it, and the second round skipped the
pairs the first had already scored.
"""

from __future__ import annotations

import re
import zlib
from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

from tracker.diff import candidates, fuzzy
from tracker.diff.classify import date_only_change

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
WORDS = [
    "we", "share", "your", "personal", "data", "with", "partners", "and", "advertisers",
    "for", "marketing", "purposes", "cookies", "keep", "it", "30", "days", "Last", "updated:",
    "March", "4,", "2021", "2022", "May", "nous", "partageons", "vos", "données", "e-mail",
    "rare_word", "Ärger", "ſection",
]  # fmt: skip
clauses = st.lists(st.sampled_from(WORDS), min_size=1, max_size=20).map(" ".join)


def _reference_score(old: str, new: str, same: bool) -> float:
    """A pair's score as the plain code worked it out, 0 below its floor."""
    a, b = new.lower(), old.lower()
    if max(len(a), len(b)) > fuzzy.LONG:
        score = fuzzy.similarity(a, b, fuzzy.SAME_GAP)
    else:
        score = fuzz.ratio(a, b)
        if score < fuzzy.CONTAINED_RATIO:
            score = 0.0
        elif score < fuzzy.SAME_GAP:
            short, long = sorted((a, b), key=len)
            words = min(len(x.split()) for x in (a, b) if len(x) == len(short))
            containable = words >= fuzzy.CONTAINED_WORDS and len(long) <= 4 * len(short)
            ratio = fuzz.token_set_ratio(a, b) if containable else 0.0
            score = fuzzy.CONTAINED * ratio if ratio >= fuzzy.SAME_GAP / fuzzy.CONTAINED else 0.0
    floor = fuzzy.SAME_GAP if same else fuzzy.ACROSS_GAPS
    dated = all(len(x) <= fuzzy.DATE_LINE and re.search(r"\d", x) for x in (a, b))
    if score < floor and same and dated:
        alike = fuzz.ratio(a, b) >= fuzzy.DATE_LINE_RATIO
        score = 100.0 if alike and date_only_change(old, new) else 0.0
    return score if score >= floor else 0.0


def _reference_near(old_gap: dict[int, int], new_gap: dict[int, int]) -> set[tuple[int, int]]:
    """Same-gap pairs: all of a small gap, else those near its diagonal."""
    found = set()
    for gap in set(old_gap.values()):
        olds = sorted(i for i, g in old_gap.items() if g == gap)
        news = sorted(j for j, g in new_gap.items() if g == gap)
        m, n = len(olds), len(news)
        for k, i in enumerate(olds):
            for x, j in enumerate(news):
                if (
                    m * n <= candidates.SMALL_GAP
                    or abs(x * m - k * n) * max(m, n) <= candidates.BAND * m * n
                ):
                    found.add((i, j))
    return found


def _reference_sharing(old: dict[int, str], new: dict[int, str]) -> set[tuple[int, int]]:
    """Pairs sharing two rare words, or one when either clause has few words."""
    words = {("old", i): set(candidates._WORD.findall(key)) for i, key in old.items()}
    words.update({("new", j): set(candidates._WORD.findall(key)) for j, key in new.items()})
    counts = Counter(word for found in words.values() for word in found)
    rare = {word for word, count in counts.items() if count <= candidates.RARE}
    found = set()
    for i in old:
        for j in new:
            a, b = words["old", i], words["new", j]
            few = min(len(a), len(b)) < candidates.FEW_WORDS
            if len(a & b & rare) >= (1 if few else candidates.MIN_SHARED):
                found.add((i, j))
    return found


def _reference_round(
    candidates: set[tuple[int, int]],
    old: dict[int, str],
    new: dict[int, str],
    gaps: tuple[dict[int, int], dict[int, int]],
) -> list[tuple[int, int]]:
    keys = []
    for i, j in candidates:
        same = gaps[0][i] == gaps[1][j]
        score = _reference_score(old[i], new[j], same)
        if score:
            tie = zlib.crc32(old[i].encode()) + zlib.crc32(new[j].encode())
            keys.append((-(score + (fuzzy.SAME_GAP_BONUS if same else 0.0)), tie, i + j, i, j))
    taken_old, taken_new, pairs = set(), set(), []
    for *_, i, j in sorted(keys):
        if i not in taken_old and j not in taken_new:
            taken_old.add(i)
            taken_new.add(j)
            pairs.append((i, j))
    return pairs


def _reference_pairs(
    old: dict[int, str], new: dict[int, str], old_gap: dict[int, int], new_gap: dict[int, int]
) -> list[tuple[int, int]]:
    gaps = old_gap, new_gap
    pairs = _reference_round(_reference_near(old_gap, new_gap), old, new, gaps)
    rest_old = {i: key for i, key in old.items() if i not in {p[0] for p in pairs}}
    rest_new = {j: key for j, key in new.items() if j not in {p[1] for p in pairs}}
    low_old = {i: key.lower() for i, key in rest_old.items()}
    low_new = {j: key.lower() for j, key in rest_new.items()}
    return pairs + _reference_round(_reference_sharing(low_old, low_new), old, new, gaps)


@st.composite
def edited(draw: st.DrawFn, key: str) -> str:
    """A clause with words inserted and removed: a reworded or a containing clause."""
    words = key.split()
    for _ in range(draw(st.integers(0, 2))):
        if len(words) > 1:
            del words[draw(st.integers(0, len(words) - 1))]
    at = draw(st.integers(0, len(words)))
    words[at:at] = draw(st.lists(st.sampled_from(WORDS), max_size=12))
    return " ".join(words) or key


@st.composite
def sides(draw: st.DrawFn) -> tuple[dict[int, str], dict[int, str], dict[int, int], dict[int, int]]:
    """Two clause lists, many edited copies of each other, split into gaps in order."""
    old = draw(st.lists(clauses, min_size=1, max_size=30))
    new = [draw(edited(key)) if draw(st.booleans()) else key for key in old]
    new += [draw(edited(draw(st.sampled_from(old)))) for _ in range(draw(st.integers(0, 6)))]
    new = draw(st.permutations(new)) if draw(st.booleans()) else new
    cuts = draw(st.integers(0, 3))
    old_gap = {i: min(cuts, i * (cuts + 1) // len(old)) for i in range(len(old))}
    new_gap = {j: min(cuts, j * (cuts + 1) // len(new)) for j in range(len(new))}
    return dict(enumerate(old)), dict(enumerate(new)), old_gap, new_gap


@SETTINGS
@given(sides())
def test_fuzzy_pairs_match_the_plain_computation(case: tuple) -> None:
    assert fuzzy.fuzzy_pairs(*case) == _reference_pairs(*case)


@SETTINGS
@given(sides())
def test_fuzzy_pairs_are_the_mirror_of_the_swapped_sides(case: tuple) -> None:
    old, new, old_gap, new_gap = case
    swapped = fuzzy.fuzzy_pairs(new, old, new_gap, old_gap)
    assert sorted(fuzzy.fuzzy_pairs(*case)) == sorted((i, j) for j, i in swapped)


@SETTINGS
@given(st.lists(st.integers(0, 4), max_size=60), st.lists(st.integers(0, 4), max_size=60))
def test_gaps_give_the_near_pairs_by_new_clause(old: list[int], new: list[int]) -> None:
    old_gap = {i: gap for i, gap in enumerate(sorted(old))}
    new_gap = {j: gap for j, gap in enumerate(sorted(new))}
    gaps = candidates.Gaps(old_gap, new_gap)
    near = {(i, j) for j, olds in gaps.near().items() for i in olds}
    assert near == _reference_near(old_gap, new_gap)
    assert {(i, j) for i in old_gap for j in new_gap if gaps.is_near(i, j)} == near


@SETTINGS
@given(st.text(alphabet="abZ09_ -.,éſÄ\u00a0\u0301", max_size=40))
def test_ascii_word_search_matches_the_unicode_one(text: str) -> None:
    assert candidates._words(text) == frozenset(candidates._WORD.findall(text))


def test_containment_between_clauses_as_long_as_each_other_holds_both_ways() -> None:
    # 14 characters each: "the shorter" was the new one, so swapping sides changed the pairs
    old = {k: "we" for k in range(10)} | {10: "we we personal"}
    new = {k: "we" for k in range(10)} | {10: "we we we we we"}
    gaps = dict.fromkeys(range(11), 0)
    swapped = fuzzy.fuzzy_pairs(new, old, gaps, gaps)
    assert sorted(fuzzy.fuzzy_pairs(old, new, gaps, gaps)) == sorted((i, j) for j, i in swapped)
    assert fuzzy.similarity("we we personal", "we we we we we") == fuzzy.similarity(
        "we we we we we", "we we personal"
    )
