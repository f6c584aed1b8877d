"""Candidate pairs for fuzzy pairing (:mod:`tracker.diff.fuzzy`): which old clauses each new
clause is scored against.

First round: clauses in the same gap between in-place anchors — all pairs of a small gap
(``SMALL_GAP`` pairs at most: a rewritten passage), the pairs within ``BAND`` places of the
diagonal of a large one. Second round, among the clauses still unpaired: pairs sharing
``MIN_SHARED`` rare words (words in at most ``RARE`` of those clauses, both sides together; one
is enough for a clause of fewer than ``FEW_WORDS`` words), which finds moved clauses wherever
they went.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from itertools import chain

SMALL_GAP = 400
BAND = 8
RARE = 12
MIN_SHARED = 2  # rare words a pair must share…
FEW_WORDS = 6  # …unless one clause has fewer distinct words than this

_WORD = re.compile(r"[^\W_]{3,}")
_ASCII_WORD = re.compile(r"[^\W_]{3,}", re.ASCII)  # the same on ASCII text, twice as fast
Candidates = dict[int, list[int]]  # by new clause, the old clauses to score it against


class Gaps:
    """The clauses of each gap on both sides, in order, and each clause's place in its gap."""

    def __init__(self, old_gap: dict[int, int], new_gap: dict[int, int]) -> None:
        self.old_gap, self.new_gap = old_gap, new_gap
        self.olds, self.news = _members(old_gap), _members(new_gap)
        self.old_place = {i: k for members in self.olds.values() for k, i in enumerate(members)}
        self.new_place = {j: x for members in self.news.values() for x, j in enumerate(members)}

    def near(self) -> Candidates:
        """Pairs of clauses in the same gap, by new clause: all of them in a small gap, else
        near its diagonal (:func:`_near`)."""
        found: Candidates = {}
        for gap, news in self.news.items():
            olds = self.olds.get(gap)
            if olds:
                m, n = len(olds), len(news)
                if m * n <= SMALL_GAP:
                    found.update((j, olds) for j in news)
                    continue
                for x, j in enumerate(news):
                    low = max(0, (x * m - BAND * m) // n - 1)
                    high = min(m, (x * m + BAND * m) // n + 2)
                    found[j] = [olds[k] for k in range(low, high) if _near(k, m, x, n)]
        return found

    def is_near(self, i: int, j: int) -> bool:
        """Whether old clause ``i`` and new clause ``j`` are a pair of :meth:`near`."""
        gap = self.old_gap[i]
        if gap != self.new_gap[j]:
            return False
        m, n = len(self.olds[gap]), len(self.news[gap])
        return m * n <= SMALL_GAP or _near(self.old_place[i], m, self.new_place[j], n)


def _members(gaps: dict[int, int]) -> dict[int, list[int]]:
    """The clauses of each gap, in order."""
    members: dict[int, list[int]] = defaultdict(list)
    for k, gap in sorted(gaps.items()):
        members[gap].append(k)
    return members


def _near(k: int, m: int, x: int, n: int) -> bool:
    """Whether old clause k of m and new clause x of n in a large gap are near its diagonal:
    |k/m − x/n| ≤ BAND / max(m, n), tested in integers so that it holds the same way whichever
    side is called old."""
    return abs(x * m - k * n) * max(m, n) <= BAND * m * n


def sharing(old: dict[int, str], new: dict[int, str]) -> Candidates:
    """Pairs sharing ``MIN_SHARED`` rare words, or one if either clause has few words, by new
    clause."""
    words_old = {i: _words(key) for i, key in old.items()}
    words_new = {j: _words(key) for j, key in new.items()}
    counts = Counter(chain.from_iterable(words_old.values()))
    counts.update(chain.from_iterable(words_new.values()))
    rare = {word for word, count in counts.items() if count <= RARE}
    postings: dict[str, list[int]] = defaultdict(list)
    for i, words in words_old.items():
        for word in words & rare:
            postings[word].append(i)
    few_old = {i for i, words in words_old.items() if len(words) < FEW_WORDS}
    found: Candidates = {}
    for j, words in words_new.items():
        shared = Counter(chain.from_iterable(postings[word] for word in words & rare))
        few = len(words) < FEW_WORDS
        olds = [i for i, count in shared.items() if few or count >= MIN_SHARED or i in few_old]
        if olds:
            found[j] = olds
    return found


def _words(key: str) -> frozenset[str]:
    """The distinct words of three letters or digits or more in a key."""
    return frozenset((_ASCII_WORD if key.isascii() else _WORD).findall(key))
