"""Pairing reworded clauses: similar enough old and new clauses, anywhere in the document.

Candidates are never all pairs, and come in two rounds. First, clauses in the same gap between
in-place anchors: all pairs of a small gap (``SMALL_GAP`` pairs at most: a rewritten passage),
the pairs within ``BAND`` places of the diagonal of a large one. Then, among the clauses still
unpaired, pairs sharing ``MIN_SHARED`` rare words (words in at most ``RARE`` of those clauses,
both sides together; one is enough for a clause of fewer than ``FEW_WORDS`` words), which finds
moved clauses wherever they went. Each new clause's candidates are scored in one rapidfuzz
call, whose score cut-off skips hopeless pairs cheaply.

Similarity is ``fuzz.ratio`` of the lower-cased folds (Indel similarity, 0–100). A clause that
kept its words and gained or lost a phrase scores ``CONTAINED`` times ``token_set_ratio`` when
the shorter has ``CONTAINED_WORDS`` words or more and the longer is at most four times as long.
Pairs in the same gap need ``SAME_GAP`` (60), pairs across gaps — moved and edited — need
``ACROSS_GAPS`` (75): a wrong "moved" is more confusing than an added and a removed clause. A
short clause pair in one gap that differs only in a date always pairs. Pairs are taken best
first, same-gap pairs with a ``SAME_GAP_BONUS``; ties go the same way whichever side is old.
"""

from __future__ import annotations

import re
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterator
from itertools import chain

from rapidfuzz import fuzz, process

from tracker.diff.classify import date_only_change
from tracker.diff.inline import common_prefix

SAME_GAP = 60.0
ACROSS_GAPS = 75.0
SAME_GAP_BONUS = 5.0
SMALL_GAP = 400
BAND = 8
RARE = 12
MIN_SHARED = 2  # rare words a pair must share…
FEW_WORDS = 6  # …unless one clause has fewer distinct words than this
CONTAINED = 0.8
CONTAINED_WORDS = 5
CONTAINED_RATIO = 40.0  # below this ratio, containment is not even tried
DATE_LINE = 200  # a clause that differs only in a date is short: "Last updated: …"
DATE_LINE_RATIO = 30.0
LONG = 20_000  # longer keys get a linear estimate: rapidfuzz is O(n·m/64) on them

_WORD = re.compile(r"[^\W_]{3,}")
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
    pairs = _best_first(_score(_near(old_gap, new_gap), *sides))
    paired_old = {i for i, _ in pairs}
    paired_new = {j for _, j in pairs}
    rest_old = {i: key for i, key in sides[0].low.items() if i not in paired_old}
    rest_new = {j: key for j, key in sides[1].low.items() if j not in paired_new}
    if rest_old and rest_new:
        pairs += _best_first(_score(_sharing(rest_old, rest_new), *sides))
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


def _score(candidates: set[Pairing], old: _Side, new: _Side) -> list[Score]:
    """Candidates that pass their floor, as sort keys: best score first, then a symmetric tie."""
    by_new: dict[int, list[int]] = defaultdict(list)
    for i, j in candidates:
        by_new[j].append(i)
    scored = []
    for j, olds in by_new.items():
        olds.sort()
        for i, score in zip(olds, _scores(new, j, old, olds), strict=True):
            same = old.gaps[i] == new.gaps[j]
            floor = SAME_GAP if same else ACROSS_GAPS
            if score < floor and same and i in old.dated and j in new.dated:
                # a "Last updated" line may differ in most of its characters: the slow check
                alike = fuzz.ratio(old.low[i], new.low[j]) >= DATE_LINE_RATIO
                score = 100.0 if alike and date_only_change(old.keys[i], new.keys[j]) else 0.0
            if score >= floor:
                tie = old.checksum(i) + new.checksum(j)
                scored.append((-(score + (SAME_GAP_BONUS if same else 0.0)), tie, i + j, i, j))
    return scored


def _best_first(scored: list[Score]) -> list[Pairing]:
    """Greedy assignment, best score first; each clause pairs at most once."""
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


def _scores(new: _Side, j: int, old: _Side, olds: list[int]) -> list[float]:
    """:func:`similarity` of new clause ``j`` with each old one (0 below ``SAME_GAP``), in
    bulk: one rapidfuzz call per scorer instead of one Python call per pair."""
    query, choices = new.low[j], [old.low[i] for i in olds]
    scores = [0.0] * len(choices)
    if len(query) > LONG or max(map(len, choices)) > LONG:
        return [similarity(query, c, SAME_GAP) for c in choices]
    hopeful = []  # a clause inside one at most 4 times longer has a ratio of 40 or more
    for _, score, k in process.extract(
        query, choices, scorer=fuzz.ratio, score_cutoff=CONTAINED_RATIO, limit=None
    ):
        if score >= SAME_GAP:
            scores[k] = score
        else:
            hopeful.append(k)
    contained = [k for k in sorted(hopeful) if _containable(new, j, old, olds[k])]
    if contained:
        subset = [choices[k] for k in contained]
        cutoff = SAME_GAP / CONTAINED
        for _, score, k in process.extract(
            query, subset, scorer=fuzz.token_set_ratio, score_cutoff=cutoff, limit=None
        ):
            scores[contained[k]] = CONTAINED * score
    return scores


def _containable(new: _Side, j: int, old: _Side, i: int) -> bool:
    """Whether the containment score applies: the shorter text has enough words, and the
    longer is at most four times as long."""
    a, b = len(new.low[j]), len(old.low[i])
    if a <= b:
        return new.words(j) >= CONTAINED_WORDS and b <= 4 * a
    return a <= 4 * b and old.words(i) >= CONTAINED_WORDS


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
    if score < floor and len(short.split()) >= CONTAINED_WORDS and len(long) <= 4 * len(short):
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


def _near(old_gap: dict[int, int], new_gap: dict[int, int]) -> set[Pairing]:
    """Pairs of clauses in the same gap: all of them in a small gap, else near its diagonal."""
    gaps_old: dict[int, list[int]] = defaultdict(list)
    gaps_new: dict[int, list[int]] = defaultdict(list)
    for i, gap in sorted(old_gap.items()):
        gaps_old[gap].append(i)
    for j, gap in sorted(new_gap.items()):
        gaps_new[gap].append(j)
    found: set[Pairing] = set()
    for gap, olds in gaps_old.items():
        found.update(_same_gap(olds, gaps_new.get(gap, [])))
    return found


def _sharing(old: dict[int, str], new: dict[int, str]) -> set[Pairing]:
    """Pairs sharing ``MIN_SHARED`` rare words, or one if either clause has few words."""
    words_old = {i: frozenset(_WORD.findall(key)) for i, key in old.items()}
    words_new = {j: frozenset(_WORD.findall(key)) for j, key in new.items()}
    counts = Counter(chain.from_iterable(words_old.values()))
    counts.update(chain.from_iterable(words_new.values()))
    rare = {word for word, count in counts.items() if count <= RARE}
    postings: dict[str, list[int]] = defaultdict(list)
    for i, words in words_old.items():
        for word in words & rare:
            postings[word].append(i)
    few_old = {i for i, words in words_old.items() if len(words) < FEW_WORDS}
    found: set[Pairing] = set()
    for j, words in words_new.items():
        shared = Counter(chain.from_iterable(postings[word] for word in words & rare))
        few = len(words) < FEW_WORDS
        found.update(
            (i, j) for i, count in shared.items() if few or count >= MIN_SHARED or i in few_old
        )
    return found


def _same_gap(olds: list[int], news: list[int]) -> Iterator[Pairing]:
    """All pairs of a small gap; in a large one, the pairs near its diagonal.

    Old clause k of m and new clause l of n are near when |k/m − l/n| ≤ BAND / max(m, n),
    tested in integers so that it holds the same way whichever side is called old.
    """
    m, n = len(olds), len(news)
    if m * n <= SMALL_GAP:
        yield from ((i, j) for i in olds for j in news)
        return
    scale = max(m, n)
    for k, i in enumerate(olds):
        low = max(0, (k * n - BAND * n) // m - 1)
        high = min(n, (k * n + BAND * n) // m + 2)
        yield from (
            (i, news[x]) for x in range(low, high) if abs(x * m - k * n) * scale <= BAND * m * n
        )
