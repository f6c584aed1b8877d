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

from tracker.diff.align import chain, checksum_tie, match_equal
from tracker.diff.segment import Clause, Segmenter

_SEPARATOR = re.compile(r"\n(?:[ \t\r]*\n)+")
Pairing = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Units:
    """Both texts as lists of units (clauses, or whole anchored stretches), and the anchors."""

    old: list[Clause]
    new: list[Clause]
    anchors: list[Pairing]  # (old unit, new unit): identical stretches in place


def chunks(text: str) -> list[tuple[int, int]]:
    """Spans of the non-blank stretches between blank lines."""
    spans = []
    position = 0
    for separator in _SEPARATOR.finditer(text):
        if separator.start() > position:
            spans.append((position, separator.start()))
        position = separator.end()
    if position < len(text):
        spans.append((position, len(text)))
    return spans


def units(old: str, new: str) -> Units:
    """Segment both texts, anchored chunks as whole units (module docstring)."""
    old_spans, new_spans = chunks(old), chunks(new)
    old_texts = [old[a:b] for a, b in old_spans]
    new_texts = [new[a:b] for a, b in new_spans]
    pairs = match_equal(
        old_texts, new_texts, list(range(len(old_texts))), list(range(len(new_texts)))
    )
    weights = {(i, j): (1 << 100) + (min(len(old_texts[i]), 0xFFFF) << 40) for i, j in pairs}
    runs = _runs(sorted(chain(weights, checksum_tie(old_texts, new_texts))))
    old_units, old_whole = _side(old, old_spans, [(a[0], b[0]) for a, b in runs])
    new_units, new_whole = _side(new, new_spans, [(a[1], b[1]) for a, b in runs])
    return Units(old_units, new_units, list(zip(old_whole, new_whole, strict=True)))


def _runs(anchors: list[Pairing]) -> list[tuple[Pairing, Pairing]]:
    """Anchors consecutive on both sides, as (first, last) of each run."""
    runs: list[tuple[Pairing, Pairing]] = []
    for pair in anchors:
        if runs and pair == (runs[-1][1][0] + 1, runs[-1][1][1] + 1):
            runs[-1] = (runs[-1][0], pair)
        else:
            runs.append((pair, pair))
    return runs


def _side(
    text: str, spans: list[tuple[int, int]], runs: list[Pairing]
) -> tuple[list[Clause], list[int]]:
    """One text's units: the clauses of free chunks, one unit per run of anchored chunks."""
    segmenter = Segmenter(text)
    found: list[Clause] = []
    whole: list[int] = []
    k = 0
    for first, last in runs:
        for a, b in spans[k:first]:
            found.extend(segmenter.clauses(a, b))
        segmenter.skip(spans[first : last + 1])
        start, end = spans[first][0], spans[last][1]
        whole.append(len(found))
        found.append(Clause(start, end, text[start:end], ()))
        k = last + 1
    for a, b in spans[k:]:
        found.extend(segmenter.clauses(a, b))
    return found, whole
