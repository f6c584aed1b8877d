"""Pairing reworded clauses: similar enough old and new clauses, anywhere in the document.

Candidates are never all pairs, and come in two rounds (:mod:`tracker.diff.candidates`): first
clauses near each other in the same gap between in-place anchors, then, among the clauses still
unpaired, clauses sharing rare words, which finds moved clauses wherever they went (a near pair
the first round scored is not scored again). Each new clause's candidates are scored in one
rapidfuzz call, whose score cut-off skips hopeless pairs cheaply; containment (below) is scored
only when the greedy assignment reaches the best score a pair could have with both its clauses
still free.

Similarity is ``fuzz.ratio`` of the lower-cased folds (Indel similarity, 0–100). A clause that
kept its words and gained or lost a phrase scores ``CONTAINED`` times ``token_set_ratio`` when
the shorter has ``CONTAINED_WORDS`` words or more (both, when they are as long) and the longer
is at most four times as long.
Pairs in the same gap need ``SAME_GAP`` (60), pairs across gaps — moved and edited — need
``ACROSS_GAPS`` (75): a wrong "moved" is more confusing than an added and a removed clause. A
short clause pair in one gap that differs only in a date always pairs. Pairs are taken best
first, same-gap pairs with a ``SAME_GAP_BONUS``; ties go the same way whichever side is old.
"""

from __future__ import annotations

import re
import zlib
from collections import Counter
from collections.abc import Iterator
from heapq import heappop, heappush

from rapidfuzz import fuzz, process

from tracker.diff.candidates import Candidates, Gaps, sharing
from tracker.diff.classify import date_only_change
from tracker.diff.inline import common_prefix

SAME_GAP = 60.0
ACROSS_GAPS = 75.0
SAME_GAP_BONUS = 5.0
CONTAINED = 0.8
CONTAINED_WORDS = 5
CONTAINED_RATIO = 40.0  # below this ratio, containment is not even tried
DATE_LINE = 200  # a clause that differs only in a date is short: "Last updated: …"
DATE_LINE_RATIO = 30.0
LONG = 20_000  # longer keys get a linear estimate: rapidfuzz is O(n·m/64) on them
CONTAINS = SAME_GAP / CONTAINED  # the token_set_ratio a contained clause needs

_DIGIT = re.compile(r"\d")
Pairing = tuple[int, int]
Score = tuple[float, int, int, int, int]  # a sort key: best first, then ties broken alike


def fuzzy_pairs(
    old: dict[int, str], new: dict[int, str], old_gap: dict[int, int], new_gap: dict[int, int]
) -> list[Pairing]:
    """Pairs of similar clauses (keys are folds by clause index; gaps as in align).

    Two rounds: clauses near each other in the same gap first, then what is left by rare words
    anywhere (most clauses pair in the first round, so the second has little to look at).
    """
    sides = _Side(old, old_gap), _Side(new, new_gap)
    gaps = Gaps(old_gap, new_gap)
    pairs = _score(gaps.near(), *sides)
    paired_old = {i for i, _ in pairs}
    paired_new = {j for _, j in pairs}
    rest_old = {i: key for i, key in sides[0].low.items() if i not in paired_old}
    rest_new = {j: key for j, key in sides[1].low.items() if j not in paired_new}
    if rest_old and rest_new:
        # a near pair was scored in the first round and failed: had it passed, the greedy
        # assignment would have taken it or one of its clauses, and both are still unpaired
        unseen = {
            j: [i for i in olds if not gaps.is_near(i, j)]
            for j, olds in sharing(rest_old, rest_new).items()
        }
        pairs += _score(unseen, *sides)
    return pairs


class _Side:
    """One side's clauses for one pairing: keys, lower-cased keys and gaps, and what is worked
    out of a clause at most once (word count, checksum, whether it may be a dated line)."""

    def __init__(self, keys: dict[int, str], gaps: dict[int, int]) -> None:
        self.keys = keys
        self.low = {k: key.lower() for k, key in keys.items()}
        self.gaps = gaps
        self._words: dict[int, int] = {}
        self._checksums: dict[int, int] = {}
        self.dated = {k for k, key in self.low.items() if _maybe_dated(key)}

    def words(self, k: int) -> int:
        """How many words the clause has (split on whitespace)."""
        if k not in self._words:
            self._words[k] = len(self.low[k].split())
        return self._words[k]

    def checksum(self, k: int) -> int:
        """The CRC-32 of the clause's key (for ties the same whichever side is old)."""
        if k not in self._checksums:
            self._checksums[k] = zlib.crc32(self.keys[k].encode())
        return self._checksums[k]


def _score(candidates: Candidates, old: _Side, new: _Side) -> list[Pairing]:
    """The pairs among candidates: their scores, then the greedy assignment (module docstring).

    Containment is scored last, and only for pairs whose clauses are both still free when
    the assignment reaches the best score they could have (:class:`_Contained`).
    """
    scored = []
    contained = _Contained(old, new)
    for j, olds in candidates.items():
        if not olds:
            continue
        found, containable = _ratios(new, j, old, olds)
        if j in new.dated:  # a dated line's fallback needs its final score now
            scores = dict(found + contained.scores(j, containable))
            scores.update(_dated_lines(new, j, old, olds, scores))
            found = list(scores.items())
        else:
            scored += contained.defer(j, containable)
        for i, score in found:
            key = _key(old, i, new, j, score)
            if key:
                scored.append(key)
    return _best_first(scored, contained)


def _key(old: _Side, i: int, new: _Side, j: int, score: float) -> Score | None:
    """A pair's sort key when its score passes its floor: best first, then a symmetric tie."""
    same = old.gaps[i] == new.gaps[j]
    if score < (SAME_GAP if same else ACROSS_GAPS):
        return None
    tie = old.checksum(i) + new.checksum(j)
    return -(score + (SAME_GAP_BONUS if same else 0.0)), tie, i + j, i, j


class _Contained:
    """Containment scores (``token_set_ratio``), worked out when the assignment needs them.

    A deferred pair enters the assignment under the best key its score could give it (a tie
    of -1 marks it); when reached with both clauses free, its real key, if any, joins the
    rest. All deferred pairs of a new clause are scored together, in one rapidfuzz call.
    """

    def __init__(self, old: _Side, new: _Side) -> None:
        self.old, self.new = old, new
        self.deferred: dict[int, list[int]] = {}
        self.keys: dict[Pairing, Score] = {}

    def scores(self, j: int, olds: list[int]) -> list[tuple[int, float]]:
        """``CONTAINED`` times the ``token_set_ratio`` of new clause ``j`` and each old clause,
        for those where it reaches ``SAME_GAP``."""
        if not olds:
            return []
        query, choices = self.new.low[j], [self.old.low[i] for i in olds]
        return [
            (olds[k], CONTAINED * score)
            for _, score, k in process.extract(
                query, choices, scorer=fuzz.token_set_ratio, score_cutoff=CONTAINS, limit=None
            )
        ]

    def defer(self, j: int, olds: list[int]) -> Iterator[Score]:
        """Defer the pairs of new clause ``j`` with ``olds``; their best possible keys."""
        if olds:
            self.deferred[j] = olds
        for i in olds:
            same = self.old.gaps[i] == self.new.gaps[j]
            yield -(CONTAINED * 100.0 + (SAME_GAP_BONUS if same else 0.0)), -1, i + j, i, j

    def key(self, i: int, j: int, taken_old: set[int]) -> Score | None:
        """The real key of deferred pair (i, j), None when it does not pass its floor."""
        olds = self.deferred.pop(j, None)
        if olds is not None:
            free = [k for k in olds if k not in taken_old]
            for k, score in self.scores(j, free):
                key = _key(self.old, k, self.new, j, score)
                if key:
                    self.keys[k, j] = key
        return self.keys.get((i, j))


def _dated_lines(
    new: _Side, j: int, old: _Side, olds: list[int], found: dict[int, float]
) -> list[tuple[int, float]]:
    """Scores of short lines in the same gap as dated new clause ``j`` below their floor: 100
    when only a date changed, else 0 (such a line may differ in most of its characters)."""
    lines = []
    for i in olds:
        if i in old.dated and old.gaps[i] == new.gaps[j] and found.get(i, 0.0) < SAME_GAP:
            alike = fuzz.ratio(old.low[i], new.low[j]) >= DATE_LINE_RATIO
            lines.append(
                (i, 100.0 if alike and date_only_change(old.keys[i], new.keys[j]) else 0.0)
            )
    return lines


def _best_first(scored: list[Score], contained: _Contained) -> list[Pairing]:
    """Greedy assignment, best key first; each clause pairs at most once.

    A deferred pair reached with both clauses free gets its real key, which is no better than
    the one it had: it waits in a heap for its turn among the others.
    """
    scored.sort()
    waiting: list[Score] = []
    taken_old: set[int] = set()
    taken_new: set[int] = set()
    pairs = []
    at = 0
    while at < len(scored) or waiting:
        if waiting and (at == len(scored) or waiting[0] < scored[at]):
            key = heappop(waiting)
        else:
            key = scored[at]
            at += 1
        i, j = key[3], key[4]
        if i in taken_old or j in taken_new:
            continue
        if key[1] < 0:
            real = contained.key(i, j, taken_old)
            if real:
                heappush(waiting, real)
            continue
        taken_old.add(i)
        taken_new.add(j)
        pairs.append((i, j))
    return pairs


def _ratios(
    new: _Side, j: int, old: _Side, olds: list[int]
) -> tuple[list[tuple[int, float]], list[int]]:
    """The old clauses whose ratio with new clause ``j`` reaches ``SAME_GAP``, with it (or
    :func:`similarity` on huge clauses); and those it leaves to containment. In bulk: one
    rapidfuzz call instead of one Python call per pair."""
    query, choices = new.low[j], [old.low[i] for i in olds]
    if len(query) > LONG or max(map(len, choices)) > LONG:
        scores = (similarity(query, choice, SAME_GAP) for choice in choices)
        return [(i, score) for i, score in zip(olds, scores, strict=True) if score], []
    found = []
    hopeful = []  # a clause inside one at most 4 times longer has a ratio of 40 or more
    for _, score, k in process.extract(
        query, choices, scorer=fuzz.ratio, score_cutoff=CONTAINED_RATIO, limit=None
    ):
        if score >= SAME_GAP:
            found.append((olds[k], score))
        else:
            hopeful.append(olds[k])
    return found, [i for i in hopeful if _containable(new, j, old, i)]


def _containable(new: _Side, j: int, old: _Side, i: int) -> bool:
    """Whether the containment score applies: the shorter text has enough words (both, when
    they are as long), and the longer is at most four times as long."""
    a, b = len(new.low[j]), len(old.low[i])
    if a < b:
        return new.words(j) >= CONTAINED_WORDS and b <= 4 * a
    if b < a:
        return a <= 4 * b and old.words(i) >= CONTAINED_WORDS
    # as long as each other: both must have the words, so that it holds whichever side is old
    return min(new.words(j), old.words(i)) >= CONTAINED_WORDS


def similarity(a: str, b: str, floor: float = 0.0) -> float:
    """How alike two lower-cased folds are, 0–100 (module docstring); 0 when below ``floor``."""
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    if not long:
        return 100.0
    if len(long) > LONG:
        score = _long_similarity(short, long)
        return score if score >= floor else 0.0
    best = 2 * len(short) / (len(short) + len(long)) * 100  # ratio's ceiling: the length gap
    score = fuzz.ratio(a, b, score_cutoff=floor) if best >= floor else 0.0
    words = len(short.split()) if len(a) != len(b) else min(len(a.split()), len(b.split()))
    if score < floor and words >= CONTAINED_WORDS and len(long) <= 4 * len(short):
        score = max(score, CONTAINED * fuzz.token_set_ratio(a, b))
    return score if score >= floor else 0.0


def _maybe_dated(key: str) -> bool:
    """Whether a clause could be a short dated line: a cheap guard before date_only_change."""
    return len(key) <= DATE_LINE and _DIGIT.search(key) is not None


def _long_similarity(a: str, b: str) -> float:
    """A linear-time stand-in for ``fuzz.ratio`` on huge clauses: the larger of the share of
    common prefix and suffix (a lower bound of the ratio) and the words in common, counted with
    their repetitions."""
    head = common_prefix(a, b)
    tail = common_prefix(a[head:][::-1], b[head:][::-1])
    ends = 200.0 * (head + tail) / (len(a) + len(b))
    words_a, words_b = Counter(a.split()), Counter(b.split())
    common = sum((words_a & words_b).values())
    return max(ends, 200.0 * common / max(1, sum(words_a.values()) + sum(words_b.values())))
