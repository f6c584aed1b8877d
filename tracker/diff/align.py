"""Which clause of the old text became which clause of the new one.

Three passes, each only on what the previous ones left unpaired:

1. identical texts (:func:`match_equal`, patience style: clauses unique on both sides pair up
   first and anchor the rest; between anchors, equal prefixes and suffixes pair up and the gap is
   searched again; duplicates left over pair by occurrence);
2. the same on cosmetic folds (:func:`tracker.diff.cosmetic.fold`); a clause that is all
   markup (an empty fold: a table rule, an image without alt text) keeps its own text as key,
   so it never pairs with some other markup;
3. similar texts anywhere in the document (:mod:`tracker.diff.fuzzy`).

Then a heaviest chain of pairs in order on both sides (:func:`chain`) stays in place; every other
pair is ``moved``. The chain counts pairs first, so the fewest clauses are reported moved; ties go
to identical over cosmetic over similar pairs, then to longer clauses.
"""

from __future__ import annotations

import zlib
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from operator import eq, lt
from typing import NamedTuple

from tracker.diff.cosmetic import fold
from tracker.diff.fuzzy import fuzzy_pairs

SAME, COSMETIC, FUZZY = "same", "cosmetic", "fuzzy"
_RANK = {SAME: 2, COSMETIC: 1, FUZZY: 0}
Pairing = tuple[int, int]
Keys = Sequence[str] | Mapping[int, str]  # indexed by clause position


class Pair(NamedTuple):
    """An old clause and the new clause it became; ``how`` they match, and whether it moved."""

    old: int
    new: int
    how: str
    moved: bool


@dataclass(frozen=True, slots=True)
class Alignment:
    """Pairs in new-text order, and the clauses left alone on each side."""

    pairs: tuple[Pair, ...]
    removed: tuple[int, ...]
    added: tuple[int, ...]


def align(
    old: Sequence[str],
    new: Sequence[str],
    fixed: Sequence[Pairing] = (),
    fold: Callable[[str], str] = fold,
) -> Alignment:
    """Align two clause lists (module docstring); ``fixed`` pairs are pinned in place.

    ``fold`` is :func:`tracker.diff.cosmetic.fold`, or a memo of it the caller shares.
    """
    how: dict[Pairing, str] = dict.fromkeys(fixed, SAME)
    tie = _tie(old, new, set(fixed))
    free_old, free_new = _free(len(old), len(new), how)
    how.update(dict.fromkeys(match_equal(old, new, free_old, free_new), SAME))
    free_old, free_new = _free(len(old), len(new), how)
    if free_old and free_new:
        old_keys = {i: fold(old[i]) or old[i] for i in free_old}
        new_keys = {j: fold(new[j]) or new[j] for j in free_new}
        how.update(dict.fromkeys(match_equal(old_keys, new_keys, free_old, free_new), COSMETIC))
        free_old, free_new = _free(len(old), len(new), how)
        if free_old and free_new:
            anchors = sorted(_kept(how, old, new, fixed, tie))
            found = fuzzy_pairs(
                {i: old_keys[i] for i in free_old},
                {j: new_keys[j] for j in free_new},
                _gaps(free_old, [a for a, _ in anchors]),
                _gaps(free_new, [b for _, b in anchors]),
            )
            how.update(dict.fromkeys(found, FUZZY))
            free_old, free_new = _free(len(old), len(new), how)
    in_place = _kept(how, old, new, fixed, tie)
    pairs = tuple(Pair(i, j, how[i, j], (i, j) not in in_place) for i, j in sorted(how, key=_new))
    return Alignment(pairs, tuple(free_old), tuple(free_new))


def _new(pair: Pairing) -> int:
    return pair[1]


def _kept(
    how: dict[Pairing, str],
    old: Sequence[str],
    new: Sequence[str],
    fixed: Sequence[Pairing],
    tie: Callable[[Pairing], int],
) -> set[Pairing]:
    """The pairs that stay in place: all of them when they are in order (most comparisons),
    else the heaviest chain."""
    if in_order(how):
        return set(how)
    return chain(_weights(how, old, new, fixed), tie)


def in_order(pairs: Iterable[Pairing]) -> bool:
    """Whether pairs (each index used once per side) keep one order on both sides: then every
    chain keeps them all, as none crosses another."""
    news = [j for _, j in sorted(pairs)]
    return all(map(lt, news, news[1:]))


def _free(n_old: int, n_new: int, pairs: dict[Pairing, str]) -> tuple[list[int], list[int]]:
    """The clauses of each side that no pair uses, in order."""
    used_old = {i for i, _ in pairs}
    used_new = {j for _, j in pairs}
    return (
        [i for i in range(n_old) if i not in used_old],
        [j for j in range(n_new) if j not in used_new],
    )


def _gaps(free: list[int], anchors: list[int]) -> dict[int, int]:
    """For each free clause, how many anchors precede it: clauses in the same gap correspond."""
    return {x: bisect_left(anchors, x) for x in free}


def _weights(
    how: dict[Pairing, str], old: Sequence[str], new: Sequence[str], fixed: Sequence[Pairing]
) -> dict[Pairing, int]:
    """Chain weights: pinned pairs always; then one per pair, then identical > cosmetic >
    similar, then length (exact ties are broken by :func:`checksum_tie`)."""
    weights = {}
    for (i, j), kind in how.items():
        size = min(len(old[i]) + len(new[j]), 0xFFFF)
        weights[i, j] = (1 << 100) + (_RANK[kind] << 80) + (size << 40)
    for pair in fixed:
        weights[pair] += 1 << 160  # pinned pairs are in order with each other: all kept
    return weights


def checksum_tie(old: Sequence[str], new: Sequence[str]) -> Callable[[Pairing], int]:
    """A tie-breaker for chains: a checksum of both texts of a pair, the same whichever text
    is called old, which keeps ``compare(b, a)`` the mirror of ``compare(a, b)``."""

    def tie(pair: Pairing) -> int:
        """The pair's checksum, under 2**20."""
        i, j = pair
        return (zlib.crc32(old[i].encode()) + zlib.crc32(new[j].encode())) & 0xFFFFF

    return tie


def _tie(old: Sequence[str], new: Sequence[str], pinned: set[Pairing]) -> Callable[[Pairing], int]:
    """:func:`checksum_tie`, but none for pinned pairs: they are always kept, and long."""
    checksum = checksum_tie(old, new)
    return lambda pair: 0 if pair in pinned else checksum(pair)


def match_equal(a: Keys, b: Keys, a_idx: list[int], b_idx: list[int]) -> list[Pairing]:
    """Pairs of equal keys between the positions ``a_idx`` of ``a`` and ``b_idx`` of ``b``."""
    found: list[Pairing] = []
    work = [(a_idx, b_idx)]
    budget = 8 * (len(a_idx) + len(b_idx)) + 4096  # patience recursion's work, bounded
    while work:
        xs, ys = _trim(a, b, *work.pop(), found)
        if not xs or not ys:
            continue
        budget -= len(xs) + len(ys)
        unique = _unique_pairs(a, b, xs, ys) if budget > 0 else []
        if not unique:
            found.extend(_by_occurrence(a, b, xs, ys))
            continue
        found.extend(unique)
        anchors = unique if in_order(unique) else chain(_key_weights(a, unique))
        work.extend(_split(xs, ys, unique, sorted(anchors)))
    used_a = {x for x, _ in found}
    used_b = {y for _, y in found}
    rest_a = [x for x in a_idx if x not in used_a]
    rest_b = [y for y in b_idx if y not in used_b]
    found.extend(_by_occurrence(a, b, rest_a, rest_b))  # equal texts far apart: moved
    return found


def _trim(
    a: Keys, b: Keys, xs: list[int], ys: list[int], out: list[Pairing]
) -> tuple[list[int], list[int]]:
    """Pair the equal prefix and suffix of two position lists; return what is left between
    (keys compared in C, by ``map``: most texts share long stretches)."""
    head = _same_for(map(a.__getitem__, xs), map(b.__getitem__, ys))
    out.extend(zip(xs[:head], ys[:head], strict=True))
    rest_x, rest_y = xs[head:], ys[head:]
    tail = _same_for(map(a.__getitem__, reversed(rest_x)), map(b.__getitem__, reversed(rest_y)))
    out.extend(zip(rest_x[::-1][:tail], rest_y[::-1][:tail], strict=True))
    return rest_x[: len(rest_x) - tail], rest_y[: len(rest_y) - tail]


def _same_for(a: Iterable[str], b: Iterable[str]) -> int:
    """How many keys the two sequences have equal before the first difference."""
    same = list(map(eq, a, b))
    return same.index(False) if False in same else len(same)


def _unique_pairs(a: Keys, b: Keys, xs: list[int], ys: list[int]) -> list[Pairing]:
    """Pairs of keys that occur exactly once on each side, in ``ys`` order."""
    keys_a = list(map(a.__getitem__, xs))
    keys_b = list(map(b.__getitem__, ys))
    count_a, count_b = Counter(keys_a), Counter(keys_b)
    where = {key: x for key, x in zip(keys_a, xs, strict=True) if count_a[key] == 1}
    return [
        (where[key], y)
        for key, y in zip(keys_b, ys, strict=True)
        if count_b[key] == 1 and key in where
    ]


def _by_occurrence(a: Keys, b: Keys, xs: list[int], ys: list[int]) -> list[Pairing]:
    """The k-th occurrence of a key in ``xs`` pairs with its k-th occurrence in ``ys``."""
    queues: dict[str, list[int]] = defaultdict(list)
    for x in reversed(xs):
        queues[a[x]].append(x)
    found = []
    for y in ys:
        queue = queues.get(b[y])
        if queue:
            found.append((queue.pop(), y))
    return found


def _split(
    xs: list[int], ys: list[int], unique: list[Pairing], anchors: list[Pairing]
) -> list[tuple[list[int], list[int]]]:
    """The unpaired positions between consecutive anchors, gap by gap on both sides."""
    paired_a = {x for x, _ in unique}
    paired_b = {y for _, y in unique}
    cuts_a = [x for x, _ in anchors]
    cuts_b = [y for _, y in anchors]
    gaps_a: list[list[int]] = [[] for _ in range(len(anchors) + 1)]
    gaps_b: list[list[int]] = [[] for _ in range(len(anchors) + 1)]
    for x in xs:
        if x not in paired_a:
            gaps_a[bisect_left(cuts_a, x)].append(x)
    for y in ys:
        if y not in paired_b:
            gaps_b[bisect_left(cuts_b, y)].append(y)
    return [(ga, gb) for ga, gb in zip(gaps_a, gaps_b, strict=True) if ga and gb]


def _key_weights(a: Keys, pairs: list[Pairing]) -> dict[Pairing, int]:
    """Chain weights for pairs of equal keys: one per pair, then length, then a checksum of the
    key (the same on both sides, so the choice does not depend on which side is old)."""
    return {
        (x, y): (1 << 60) + (min(len(a[x]), 0xFFFF) << 20) + (zlib.crc32(a[x].encode()) & 0xFFFFF)
        for x, y in pairs
    }


def chain(weights: dict[Pairing, int], tie: Callable[[Pairing], int] | None = None) -> set[Pairing]:
    """The heaviest set of pairs (the keys) in order on both sides: the pairs that did not move.

    ``tie`` (under 2**20) is added once per run, for its first pair: it only breaks ties.
    Pairs all in order are all kept (every weight is positive).

    Runs of pairs adjacent on both sides are all in or all out of any best chain (no other pair
    sits between them), so each run is one weighted item: a text that barely changed is a few
    items, whatever its length. The heaviest chain of items uses a Fenwick tree of prefix maxima.
    """
    if in_order(weights):
        return set(weights)
    ordered = sorted(weights, key=_new)
    rank = {x: r for r, x in enumerate(sorted(x for x, _ in ordered))}
    runs: list[list[Pairing]] = []
    for pair in ordered:
        if runs and rank[pair[0]] == rank[runs[-1][-1][0]] + 1:
            runs[-1].append(pair)
        else:
            runs.append([pair])
    size = len(rank)
    tree: list[tuple[int, int]] = [(0, -1)] * (size + 1)
    best: list[tuple[int, int]] = []
    for index, run in enumerate(runs):
        position = rank[run[0][0]]
        before = (0, -1)
        k = position  # prefix maximum over ranks < position
        while k > 0:
            before = max(before, tree[k])
            k -= k & -k
        total = before[0] + sum(weights[p] for p in run) + (tie(run[0]) if tie else 0)
        best.append((total, before[1]))
        k = rank[run[-1][0]] + 1
        while k <= size:
            tree[k] = max(tree[k], (total, index))
            k += k & -k
    kept: set[Pairing] = set()
    index = max(range(len(best)), key=lambda r: best[r][0], default=-1)
    while index >= 0:
        kept.update(runs[index])
        index = best[index][1]
    return kept
