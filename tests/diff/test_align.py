"""Alignment: identical, cosmetic and similar clauses, in place or moved."""

from __future__ import annotations

import time

from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.diff import cosmetic
from tracker.diff.align import COSMETIC, FUZZY, SAME, Alignment, align, chain, match_equal
from tracker.diff.fuzzy import similarity


def summary(alignment: Alignment) -> dict[str, object]:
    """Pairs as (old, new, how, moved), and the lone clauses."""
    return {
        "pairs": [(p.old, p.new, p.how, p.moved) for p in alignment.pairs],
        "removed": list(alignment.removed),
        "added": list(alignment.added),
    }


def test_identical_lists_pair_in_place() -> None:
    clauses = ["A one.", "B two.", "C three."]
    assert summary(align(clauses, clauses)) == {
        "pairs": [(0, 0, SAME, False), (1, 1, SAME, False), (2, 2, SAME, False)],
        "removed": [],
        "added": [],
    }


def test_inserted_and_deleted_clauses() -> None:
    old = ["Alpha first.", "Bravo second.", "Charlie third."]
    new = ["Alpha first.", "Delta new one entirely.", "Charlie third."]
    result = summary(align(old, new))
    assert result["removed"] == [1]
    assert result["added"] == [1]


def test_a_moved_clause_is_one_pair_out_of_order() -> None:
    old = ["Alpha.", "Bravo.", "Charlie.", "Delta.", "Echo."]
    new = ["Alpha.", "Charlie.", "Delta.", "Echo.", "Bravo."]
    pairs = summary(align(old, new))["pairs"]
    assert [p for p in pairs if p[3]] == [(1, 4, SAME, True)]


def test_a_moved_run_of_clauses_moves_together() -> None:
    old = ["P1.", "P2.", "P3.", "Q1.", "Q2.", "Q3.", "Q4.", "Q5."]
    new = ["Q1.", "Q2.", "Q3.", "Q4.", "Q5.", "P1.", "P2.", "P3."]
    moved = sorted(p[0] for p in summary(align(old, new))["pairs"] if p[3])
    assert moved == [0, 1, 2]  # the shorter run moved, not the longer one


def test_cosmetic_pairs_are_matched_on_folds() -> None:
    old = ["- We “share” data — sometimes.", "Other clause here."]
    new = ['* We "share" data - sometimes.', "Other clause here."]
    assert summary(align(old, new))["pairs"][0] == (0, 0, COSMETIC, False)


def test_reworded_clauses_pair_by_similarity_anywhere() -> None:
    old = [
        "We collect your name and email address when you register.",
        "Anchor clause one stays.",
        "Anchor clause two stays.",
        "We keep your data for as long as your account is open.",
    ]
    new = [
        "We keep your personal data for as long as your account remains open.",
        "Anchor clause one stays.",
        "Anchor clause two stays.",
        "We collect your name, phone and email address when you register.",
    ]
    pairs = summary(align(old, new))["pairs"]
    fuzzy = sorted((p[0], p[1]) for p in pairs if p[2] == FUZZY)
    assert fuzzy == [(0, 3), (3, 0)]
    assert sum(p[3] for p in pairs) >= 1  # a crossing pair is moved


def test_unrelated_clauses_do_not_pair() -> None:
    result = summary(align(["We never sell data."], ["Contact our office by post."]))
    assert result == {"pairs": [], "removed": [0], "added": [0]}


def test_duplicates_pair_by_occurrence() -> None:
    old = ["Learn more.", "X clause.", "Learn more.", "Y clause."]
    new = ["Learn more.", "X clause.", "Learn more.", "Z clause new.", "Y clause."]
    result = summary(align(old, new))
    assert result["removed"] == []
    assert result["added"] == [3]
    assert not any(p[3] for p in result["pairs"])


def test_match_equal_on_many_duplicates_is_fast() -> None:
    a = ["same"] * 50_000
    b = ["same"] * 25_000 + ["other"] + ["same"] * 25_000
    started = time.perf_counter()
    found = match_equal(a, b, list(range(len(a))), list(range(len(b))))
    assert len(found) == 50_000
    assert time.perf_counter() - started < 2.0


def test_chain_keeps_the_heaviest_increasing_set() -> None:
    weights = {(0, 2): 1, (1, 0): 1, (2, 1): 1, (3, 3): 1}
    kept = chain(weights)
    assert len(kept) == 3 and (0, 2) not in kept
    assert chain({(0, 1): 5, (1, 0): 1}) == {(0, 1)}
    assert chain({}) == set()


def test_similarity_is_symmetric_and_bounded() -> None:
    a = "we share data with partners."
    b = "we share data with partners and advertisers for marketing."
    assert similarity(a, b) == similarity(b, a)
    assert 60 <= similarity(a, b) <= 100
    assert similarity("abc", "xyz", 60) == 0.0
    assert similarity("", "") == 100.0


def test_totally_different_long_lists_align_quickly() -> None:
    old = [f"Old sentence number {k} talks about apples and pears." for k in range(3_000)]
    new = [f"New clause {k} concerns {k * 7} unrelated topics entirely." for k in range(3_000)]
    started = time.perf_counter()
    align(old, new)
    assert time.perf_counter() - started < 5.0


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab .,1)*_-#>[]()’“”…\u00a0\n\t|&<é\u0301", max_size=30))
def test_folding_shortcut_agrees_with_full_folding(text: str) -> None:
    shortcut = cosmetic.fold(text)
    original, cosmetic._folds = cosmetic._folds, lambda _: True
    try:
        assert shortcut == cosmetic.fold(text)
    finally:
        cosmetic._folds = original
