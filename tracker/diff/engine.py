"""``compare(old, new)``: segment, align, then describe each difference as a Change.

Only the region where the texts differ is segmented clause by clause: the common prefix and
suffix, cut back to block boundaries (after a blank line), hold the same clauses at the same
places, so no change can start there; the prefix is still read for its headings.

Kinds: an identical clause that moved is ``moved``; a pair equal after cosmetic folding is
``cosmetic`` (``moved`` when out of place, its inline ops showing the cosmetic edits); a similar
pair is ``modified`` (``moved`` when out of place), or ``cosmetic`` with the ``last_updated`` flag
when only a date changed; unpaired clauses are ``removed`` or ``added``. Whitespace between
clauses (blank lines, indentation, line ends) is never a change; whitespace inside a clause
(spaces, re-wrapped lines) makes a ``cosmetic`` change.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from collections.abc import Callable, Sequence

from tracker.diff.align import COSMETIC, SAME, Alignment, Pair, align
from tracker.diff.classify import (
    categorize,
    change_flags,
    date_only_change,
    significance_of,
    summarize,
)
from tracker.diff.cosmetic import fold
from tracker.diff.dates import stated_date
from tracker.diff.inline import InlineDiffer, common_prefix
from tracker.diff.model import Change, Comparison, InlineOp, Span, TextInfo
from tracker.diff.segment import Clause, block_boundary, segment

Categorized = dict[str, tuple[str, ...]]


def compare(old: str, new: str) -> Comparison:
    """All changes between two Markdown texts, in new-text order, with a summary."""
    old_info, new_info = text_info(old), text_info(new)
    changes = () if old == new else _changes(old, new)
    summary = summarize(changes, old_info, new_info)
    return Comparison(old_info, new_info, summary, changes, old_text=old, new_text=new)


def text_info(text: str) -> TextInfo:
    """Length in code points, SHA-256 of the UTF-8 bytes and the stated date of a text."""
    stated = stated_date(text)
    return TextInfo(
        chars=len(text),
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        last_updated=stated.isoformat() if stated else None,
    )


def differing_region(old: str, new: str) -> tuple[int, int, int]:
    """Where clauses may differ: ``start`` in both texts, and the region's end in each."""
    head = common_prefix(old, new)
    limit = min(len(old), len(new)) - head
    tail = common_prefix(old[len(old) - limit :][::-1], new[len(new) - limit :][::-1])
    start = block_boundary(old, head, forward=False)
    old_end = block_boundary(old, len(old) - tail, forward=True)
    return start, old_end, old_end - len(old) + len(new)


def _changes(old: str, new: str) -> tuple[Change, ...]:
    start, old_end, new_end = differing_region(old, new)
    old_clauses = segment(old, start, old_end)
    new_clauses = segment(new, start, new_end)
    alignment = align([c.text for c in old_clauses], [c.text for c in new_clauses])
    describe = _Describer()
    placed: list[tuple[tuple[int, int, int], Change]] = []
    for pair in alignment.pairs:
        change = describe.pair(pair, old_clauses[pair.old], new_clauses[pair.new])
        if change:
            placed.append(((new_clauses[pair.new].start, 1, 0), change))
    anchors = _anchors(alignment, new_clauses, start)
    for i in alignment.removed:
        clause = old_clauses[i]
        where = anchors[1][bisect_right(anchors[0], i) - 1] if anchors[0] else start
        placed.append(((where, 0, clause.start), describe.alone("removed", clause)))
    placed.extend(((new_clauses[j].start, 1, 0), describe.alone("added", new_clauses[j]))
                  for j in alignment.added)
    placed.sort(key=lambda item: item[0])
    return tuple(change for _, change in placed)


def _anchors(alignment: Alignment, new: Sequence[Clause], start: int) -> tuple[list[int], list[int]]:
    """In-place pairs by old index, with the new-text offset after each: removed clauses go there.

    A sentinel at old index -1 places clauses removed before any anchor at the region's start.
    """
    in_place = sorted((p.old, new[p.new].end) for p in alignment.pairs if not p.moved)
    return [-1] + [i for i, _ in in_place], [start] + [end for _, end in in_place]


class _Describer:
    """Builds Changes for one comparison: one inline time budget, one categorize cache."""

    def __init__(self) -> None:
        self._inline = InlineDiffer()
        self._categories: dict[tuple[str, tuple[str, ...]], Categorized] = {}

    def pair(self, pair: Pair, old: Clause, new: Clause) -> Change | None:
        """The change a pair of clauses makes, None when it is no change."""
        flags: tuple[str, ...] = ()
        if pair.how == SAME:
            if not pair.moved:
                return None
            kind, inline = "moved", (("equal", new.text),)
        elif pair.how == COSMETIC:
            kind = "moved" if pair.moved else "cosmetic"
            inline = self._inline.ops(old.text, new.text)
        else:
            inline = self._inline.ops(old.text, new.text)
            if date_only_change(fold(old.text), fold(new.text)):
                kind, flags = ("moved" if pair.moved else "cosmetic"), ("last_updated",)
            else:
                kind, flags = ("moved" if pair.moved else "modified"), change_flags(
                    old.text, new.text)
        found = self._categorize(new.text, new.section)
        if old.text != new.text:
            found = _union(found, self._categorize(old.text, old.section))
        return self._change(kind, Span(old.start, old.end), Span(new.start, new.end),
                            new.section, found, flags, inline)

    def alone(self, kind: str, clause: Clause) -> Change:
        """An ``added`` or ``removed`` clause."""
        old, new = (clause.text, None) if kind == "removed" else (None, clause.text)
        span = Span(clause.start, clause.end)
        inline = (("delete" if kind == "removed" else "insert", clause.text),)
        return self._change(kind, span if old else None, span if new else None, clause.section,
                            self._categorize(clause.text, clause.section),
                            change_flags(old, new), inline)

    def _change(self, kind: str, old: Span | None, new: Span | None, section: tuple[str, ...],
                found: Categorized, flags: tuple[str, ...],
                inline: tuple[InlineOp, ...]) -> Change:
        categories = tuple(sorted(found))
        return Change(kind=kind, old=old, new=new, section=section, categories=categories,
                      evidence=found, flags=flags,
                      significance=significance_of(kind, categories, flags), inline=inline)

    def _categorize(self, text: str, section: tuple[str, ...]) -> Categorized:
        key = (text, section)
        if key not in self._categories:
            self._categories[key] = dict(categorize(text, section))
        return self._categories[key]


def _union(a: Categorized, b: Categorized) -> Categorized:
    """Categories of both sides of a pair; "other" only when neither side has another."""
    merged = {k: tuple(dict.fromkeys((*a.get(k, ()), *b.get(k, ())))) for k in {*a, *b}}
    if len(merged) > 1:
        merged.pop("other", None)
    return merged


def rebuild_old(comparison: Comparison) -> str:
    """The old text from its unchanged regions and each change's ``equal``+``delete`` ops."""
    return _rebuild(comparison.old_text, [(c.old, c.inline) for c in comparison.changes],
                    lambda op: op != "insert")


def rebuild_new(comparison: Comparison) -> str:
    """The new text from its unchanged regions and each change's ``equal``+``insert`` ops.

    Raises ValueError when two change spans of that side overlap.
    """
    return _rebuild(comparison.new_text, [(c.new, c.inline) for c in comparison.changes],
                    lambda op: op != "delete")


def _rebuild(text: str, pieces: list[tuple[Span | None, tuple[InlineOp, ...]]],
             keep: Callable[[str], bool]) -> str:
    present = [(span, inline) for span, inline in pieces if span is not None]
    out: list[str] = []
    position = 0
    for span, inline in sorted(present, key=lambda piece: piece[0].start):
        if span.start < position:
            raise ValueError(f"overlapping change spans at {span.start}")
        out.append(text[position : span.start])
        out.append("".join(chunk for op, chunk in inline if keep(op)))
        position = span.end
    out.append(text[position:])
    return "".join(out)

