"""Pairing reworded clauses: similar enough old and new clauses, anywhere in the document.

Candidates are never all pairs. A pair is a candidate when both clauses sit in the same small gap
between in-place anchors (``SMALL_GAP`` pairs at most: a rewritten passage), or when they share a
rare word (a word in at most ``RARE`` of the unpaired clauses, both sides together), which finds
moved clauses wherever they went. A length prefilter drops hopeless candidates before rapidfuzz.

Similarity is ``fuzz.ratio`` of the lower-cased folds (Indel similarity, 0–100). A clause that
kept its words and gained or lost a phrase scores ``CONTAINED`` times ``token_set_ratio`` when
the shorter has ``CONTAINED_WORDS`` words or more. Pairs in the same gap need ``SAME_GAP``
(60), pairs across gaps — moved and edited — need ``ACROSS_GAPS`` (75): a wrong "moved" is more
confusing than an added and a removed clause. A clause pair that differs only in a date always
pairs. Pairs are taken best first (ties the same way whichever side is called old).
"""

from __future__ import annotations

import re
import zlib
from collections import defaultdict
from collections.abc import Iterable

from rapidfuzz import fuzz

from tracker.diff.classify import date_only_change

SAME_GAP = 60.0
ACROSS_GAPS = 75.0
SAME_GAP_BONUS = 5.0
SMALL_GAP = 400
RARE = 12
CONTAINED = 0.8
CONTAINED_WORDS = 5
DATE_LINE = 200  # a clause that differs only in a date is short: "Last updated: …"
DATE_LINE_RATIO = 30.0
LONG = 20_000  # longer keys are compared by their word sets: rapidfuzz is O(n·m/64) on them

_WORD = re.compile(r"[^\W_]{3,}")
Pairing = tuple[int, int]


def fuzzy_pairs(
    old: dict[int, str], new: dict[int, str], old_gap: dict[int, int], new_gap: dict[int, int]
) -> list[Pairing]:
    """Pairs of similar clauses (keys are folds by clause index; gaps as in align)."""
    low_old = {i: key.lower() for i, key in old.items()}
    low_new = {j: key.lower() for j, key in new.items()}
    scored = []
    for i, j in _candidates(low_old, low_new, old_gap, new_gap):
        same = old_gap[i] == new_gap[j]
        floor = SAME_GAP if same else ACROSS_GAPS
        score = similarity(low_old[i], low_new[j], floor)
        if score < floor and same and _maybe_date_line(low_old[i], low_new[j]):
            score = 100.0 if date_only_change(old[i], new[j]) else 0.0
        if score >= floor:
            tie = zlib.crc32(old[i].encode()) + zlib.crc32(new[j].encode())
            scored.append((-(score + (SAME_GAP_BONUS if same else 0.0)), tie, i + j, i, j))
    scored.sort()
    taken_old: set[int] = set()
    taken_new: set[int] = set()
    pairs = []
    for *_, i, j in scored:
        if i not in taken_old and j not in taken_new:
            taken_old.add(i)
            taken_new.add(j)
            pairs.append((i, j))
    return pairs


def similarity(a: str, b: str, floor: float = 0.0) -> float:
    """How alike two lower-cased folds are, 0–100 (module docstring); 0 when below ``floor``."""
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    if not long:
        return 100.0
    if len(long) > LONG:
        return _word_overlap(short, long)
    best = 2 * len(short) / (len(short) + len(long)) * 100  # ratio's ceiling: the length gap
    score = fuzz.ratio(a, b, score_cutoff=floor) if best >= floor else 0.0
    if score < floor and len(short.split()) >= CONTAINED_WORDS and len(long) <= 4 * len(short):
        score = max(score, CONTAINED * fuzz.token_set_ratio(a, b))
    return score if score >= floor else 0.0


def _maybe_date_line(a: str, b: str) -> bool:
    """A cheap guard before date_only_change, which is slow: short, with digits, alike."""
    return (
        len(a) <= DATE_LINE
        and len(b) <= DATE_LINE
        and any(c.isdigit() for c in a)
        and any(c.isdigit() for c in b)
        and fuzz.ratio(a, b) >= DATE_LINE_RATIO
    )


def _word_overlap(a: str, b: str) -> float:
    words_a, words_b = set(a.split()), set(b.split())
    return 100.0 * len(words_a & words_b) / max(1, len(words_a | words_b))


def _candidates(
    old: dict[int, str], new: dict[int, str], old_gap: dict[int, int], new_gap: dict[int, int]
) -> set[Pairing]:
    """Same small gap, or a shared rare word (module docstring)."""
    found: set[Pairing] = set()
    gaps_old: dict[int, list[int]] = defaultdict(list)
    gaps_new: dict[int, list[int]] = defaultdict(list)
    for i in old:
        gaps_old[old_gap[i]].append(i)
    for j in new:
        gaps_new[new_gap[j]].append(j)
    for gap, olds in gaps_old.items():
        news = gaps_new.get(gap, ())
        if len(olds) * len(news) <= SMALL_GAP:
            found.update((i, j) for i in olds for j in news)
    postings_old = _postings(old.items())
    postings_new = _postings(new.items())
    for word, olds in postings_old.items():
        news = postings_new.get(word)
        if news and len(olds) + len(news) <= RARE:
            found.update((i, j) for i in olds for j in news)
    return found


def _postings(clauses: Iterable[tuple[int, str]]) -> dict[str, list[int]]:
    """For each word (3 letters or more), the clauses using it; too common words are cut short."""
    postings: dict[str, list[int]] = defaultdict(list)
    for index, key in clauses:
        for word in set(_WORD.findall(key)):
            posting = postings[word]
            if len(posting) <= RARE:
                posting.append(index)
    return postings
