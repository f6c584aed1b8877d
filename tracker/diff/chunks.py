"""A first, coarse alignment: blank-line separated chunks that two texts keep, in place.

A blank line ends every block, so a chunk of text between blank lines is segmented the same
wherever it sits; two identical chunks hold identical clauses. Chunks identical on both sides and
in order (the heaviest such chain, as in :func:`tracker.diff.align.chain`) are set aside as
anchors: they are never split into clauses, only read for their headings. Consecutive anchors
become one unit. What is left — typically a few paragraphs — is segmented and aligned clause by
clause, with the anchor units pinned in place, so that a clause moved across an anchor is still
reported as moved.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import accumulate, pairwise

from tracker.diff.align import chain, checksum_tie, in_order, match_equal
from tracker.diff.segment import Clause, Segmenter

_SEPARATOR = re.compile(r"(\n(?:[ \t\r]*\n)+)")  # the group keeps separators in splits
Pairing = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Units:
    """Both texts as lists of units (clauses, or whole anchored stretches), and the anchors."""

    old: list[Clause]
    new: list[Clause]
    anchors: list[Pairing]  # (old unit, new unit): identical stretches in place


def chunks(text: str) -> list[tuple[int, int]]:
    """Spans of the non-blank stretches between blank lines."""
    return _pieces(text)[0]


def _pieces(text: str) -> tuple[list[tuple[int, int]], list[str]]:
    """:func:`chunks`, with each chunk's text. Split at the separators (kept), the chunks'
    bounds are running sums of lengths: no Python step per chunk but one comprehension."""
    parts = _SEPARATOR.split(text)  # chunk, separator, chunk, …, chunk
    bounds = [0, *accumulate(map(len, parts))]
    spans = [(a, b) for a, b in zip(bounds[0::2], bounds[1::2], strict=True) if b > a]
    return spans, [part for part in parts[0::2] if part]


def units(old: str, new: str) -> Units:
    """Segment both texts, anchored chunks as whole units (module docstring)."""
    (old_spans, old_texts), (new_spans, new_texts) = _pieces(old), _pieces(new)
    pairs = match_equal(
        old_texts, new_texts, list(range(len(old_texts))), list(range(len(new_texts)))
    )
    if in_order(pairs):
        kept = set(pairs)  # the usual case, and the quick one
    else:
        weights = {(i, j): (1 << 100) + (min(len(old_texts[i]), 0xFFFF) << 40) for i, j in pairs}
        kept = chain(weights, checksum_tie(old_texts, new_texts))
    runs = _runs(sorted(kept))
    old_units, old_whole = _side(old, old_spans, [(a[0], b[0]) for a, b in runs])
    new_units, new_whole = _side(new, new_spans, [(a[1], b[1]) for a, b in runs])
    return Units(old_units, new_units, list(zip(old_whole, new_whole, strict=True)))


def _runs(anchors: list[Pairing]) -> list[tuple[Pairing, Pairing]]:
    """Anchors consecutive on both sides, as (first, last) of each run."""
    # Where a run breaks: the next anchor is not one on from the last on both sides.
    breaks = [
        k + 1
        for k, (before, after) in enumerate(pairwise(anchors))
        if after[0] != before[0] + 1 or after[1] != before[1] + 1
    ]
    firsts, lasts = [0, *breaks], [*breaks, len(anchors)]
    return [(anchors[f], anchors[e - 1]) for f, e in zip(firsts, lasts, strict=True) if e > f]


def _side(
    text: str, spans: list[tuple[int, int]], runs: list[Pairing]
) -> tuple[list[Clause], list[int]]:
    """One text's units: the clauses of free chunks, one unit per run of anchored chunks."""
    segmenter = Segmenter(text)
    found: list[Clause] = []
    whole: list[int] = []
    k = 0
    for first, last in runs:
        if k < first:  # free chunks in a row: segmented at once, the blank lines between too
            found.extend(segmenter.clauses(spans[k][0], spans[first - 1][1]))
        segmenter.skip(spans[first : last + 1])
        start, end = spans[first][0], spans[last][1]
        whole.append(len(found))
        found.append(Clause(start, end, text[start:end], ()))
        k = last + 1
    if k < len(spans):
        found.extend(segmenter.clauses(spans[k][0], spans[-1][1]))
    return found, whole
