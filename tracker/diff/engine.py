"""``compare(old, new)``: segment, align, then describe each difference as a Change.

Only what differs is segmented clause by clause: chunks between blank lines that both texts
keep identical and in place are set aside first (:mod:`tracker.diff.chunks`), read only for
their headings.

Kinds: an identical clause that moved is ``moved``; a pair equal after cosmetic folding is
``cosmetic`` (``moved`` when out of place, its inline ops showing the cosmetic edits); a similar
pair is ``modified`` (``moved`` when out of place), or ``cosmetic`` with the ``last_updated`` flag
when only a date changed; unpaired clauses are ``removed`` or ``added``. Whitespace between
clauses (blank lines, indentation, line ends) is never a change; whitespace inside a clause
(spaces, re-wrapped lines) makes a ``cosmetic`` change.

What is worked out of one clause (its fold, its reading for the lexicons, its categories and
kinds) is worked out once per comparison and shared; nothing is kept from one comparison to
the next.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from collections.abc import Callable, Sequence

from tracker.diff.align import COSMETIC, SAME, Alignment, Pair, align
from tracker.diff.chunks import units
from tracker.diff.classify import (
    categorize,
    change_flags,
    date_only_change,
    significance_of,
    summarize,
)
from tracker.diff.cosmetic import fold
from tracker.diff.dates import labelled_date
from tracker.diff.inline import InlineDiffer
from tracker.diff.model import Change, Comparison, InlineOp, Span, TextInfo
from tracker.diff.reading import Reader
from tracker.diff.segment import Clause

Categorized = dict[str, tuple[str, ...]]
CLASSIFY_CHARS = 20_000  # a clause longer than this is classified on its beginning only
DATED_CHARS = 500_000  # ten times the longest real policy: where a stated date is looked for


def compare(old: str, new: str) -> Comparison:
    """All changes between two Markdown texts, in new-text order, with a summary."""
    old_info, new_info = text_info(old), text_info(new)
    changes = () if old == new else _changes(old, new)
    summary = summarize(changes, old_info, new_info)
    return Comparison(old_info, new_info, summary, changes, old_text=old, new_text=new)


def text_info(text: str) -> TextInfo:
    """Length in code points, SHA-256 of the UTF-8 bytes and the stated date of a text.

    The date is looked for in the first ``DATED_CHARS`` characters: a pathological 5 MB input
    may have a year and a label every few characters.
    """
    utf8 = text.encode("utf-8")
    if len(text) <= DATED_CHARS:
        stated = labelled_date(text, utf8)
    else:
        stated = labelled_date(text[:DATED_CHARS])
    return TextInfo(
        chars=len(text),
        sha256=hashlib.sha256(utf8).hexdigest(),
        last_updated=stated.isoformat() if stated else None,
    )


def _changes(old: str, new: str) -> tuple[Change, ...]:
    both = units(old, new)
    old_units, new_units = both.old, both.new
    folds = _memo(fold)  # align folds the clauses it pairs by similarity; describe reads them
    alignment = align([u.text for u in old_units], [u.text for u in new_units], both.anchors, folds)
    describe = _Describer(folds)
    placed: list[tuple[tuple[int, int, int], Change]] = []
    for pair in alignment.pairs:
        change = describe.pair(pair, old_units[pair.old], new_units[pair.new])
        if change:
            placed.append(((new_units[pair.new].start, 1, 0), change))
    anchors = _anchors(alignment, new_units)
    for i in alignment.removed:
        clause = old_units[i]
        where = anchors[1][bisect_right(anchors[0], i) - 1]
        placed.append(((where, 0, clause.start), describe.alone("removed", clause)))
    placed.extend(
        ((new_units[j].start, 1, 0), describe.alone("added", new_units[j])) for j in alignment.added
    )
    placed.sort(key=lambda item: item[0])
    return tuple(change for _, change in placed)


def _memo(function: Callable[[str], str]) -> Callable[[str], str]:
    """``function`` remembering its results, for one comparison."""
    known: dict[str, str] = {}

    def memoized(text: str) -> str:
        if text not in known:
            known[text] = function(text)
        return known[text]

    return memoized


def _anchors(alignment: Alignment, new: Sequence[Clause]) -> tuple[list[int], list[int]]:
    """In-place pairs by old index, with the new-text offset after each: removed clauses go there.

    A sentinel at old index -1 places clauses removed before any anchor at the text's start.
    """
    in_place = sorted((p.old, new[p.new].end) for p in alignment.pairs if not p.moved)
    return [-1] + [i for i, _ in in_place], [0] + [end for _, end in in_place]


class _Describer:
    """Builds Changes for one comparison: one inline time budget, one reading of each clause."""

    def __init__(self, folds: Callable[[str], str]) -> None:
        self._inline = InlineDiffer()
        self._reader = Reader()
        self._fold = folds
        self._categories: dict[tuple[str, tuple[str, ...]], Categorized] = {}
        self._flags: dict[tuple[str | None, str | None], tuple[str, ...]] = {}

    def pair(self, pair: Pair, old: Clause, new: Clause) -> Change | None:
        """The change a pair of clauses makes, None when it is no change."""
        flags: tuple[str, ...] = ()
        if pair.how == SAME:
            if not pair.moved:
                return None
            kind, inline = "moved", (("equal", new.text),)
        else:
            inline = self._inline.ops(old.text, new.text)
            kind = "moved" if pair.moved else "cosmetic"
            if pair.how != COSMETIC:
                if date_only_change(_bounded(self._fold(old.text)), _bounded(self._fold(new.text))):
                    flags = ("last_updated",)
                else:
                    kind = "moved" if pair.moved else "modified"
                    flags = self._flags_of(old.text, new.text)
        found = self._categorize(new.text, new.section)
        if old.text != new.text:
            found = _union(found, self._categorize(old.text, old.section))
        spans = Span(old.start, old.end), Span(new.start, new.end)
        return _change(kind, *spans, new.section, found, flags, inline)

    def alone(self, kind: str, clause: Clause) -> Change:
        """An ``added`` or ``removed`` clause."""
        span = Span(clause.start, clause.end)
        found = self._categorize(clause.text, clause.section)
        if kind == "removed":
            flags = self._flags_of(clause.text, None)
            return _change(
                kind, span, None, clause.section, found, flags, (("delete", clause.text),)
            )
        flags = self._flags_of(None, clause.text)
        return _change(kind, None, span, clause.section, found, flags, (("insert", clause.text),))

    def _categorize(self, text: str, section: tuple[str, ...]) -> Categorized:
        key = (text, section)
        if key not in self._categories:
            self._categories[key] = categorize(_bounded(text), section, self._reader)
        return self._categories[key]

    def _flags_of(self, old: str | None, new: str | None) -> tuple[str, ...]:
        key = (old, new)
        if key not in self._flags:
            self._flags[key] = change_flags(
                None if old is None else _bounded(old),
                None if new is None else _bounded(new),
                self._reader,
            )
        return self._flags[key]


def _bounded(text: str) -> str:
    """At most ``CLASSIFY_CHARS`` of a clause: classifying is linear but slow per character,
    and only a pathological clause (a 5 MB line) is longer."""
    return text if len(text) <= CLASSIFY_CHARS else text[:CLASSIFY_CHARS]


def _change(
    kind: str,
    old: Span | None,
    new: Span | None,
    section: tuple[str, ...],
    found: Categorized,
    flags: tuple[str, ...],
    inline: tuple[InlineOp, ...],
) -> Change:
    """A Change; categories sorted, evidence in the same order, significance by rule."""
    categories = tuple(sorted(found))
    return Change(
        kind=kind,
        old=old,
        new=new,
        section=section,
        categories=categories,
        evidence={category: found[category] for category in categories},
        flags=flags,
        significance=significance_of(kind, categories, flags),
        inline=inline,
    )


def _union(a: Categorized, b: Categorized) -> Categorized:
    """Categories of both sides of a pair; "other" only when neither side has another."""
    merged = {k: tuple(dict.fromkeys((*a.get(k, ()), *b.get(k, ())))) for k in {*a, *b}}
    if len(merged) > 1:
        merged.pop("other", None)
    return merged


def rebuild_old(comparison: Comparison) -> str:
    """The old text from its unchanged regions and each change's ``equal``+``delete`` ops."""
    return _rebuild(
        comparison.old_text,
        [(c.old, c.inline) for c in comparison.changes],
        lambda op: op != "insert",
    )


def rebuild_new(comparison: Comparison) -> str:
    """The new text from its unchanged regions and each change's ``equal``+``insert`` ops.

    Raises ValueError when two change spans of that side overlap.
    """
    return _rebuild(
        comparison.new_text,
        [(c.new, c.inline) for c in comparison.changes],
        lambda op: op != "delete",
    )


def _rebuild(
    text: str, pieces: list[tuple[Span | None, tuple[InlineOp, ...]]], keep: Callable[[str], bool]
) -> str:
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
