"""The date a policy states for itself: "Last updated: March 4, 2021", "Stand: 4. März 2021"…

Hand-written with ``re`` rather than a date library. dateparser is large, slow to import and to
run, and guesses: it reads version numbers and phone numbers as dates. python-dateutil's fuzzy
parser accepts almost any string with a number in it and fills the gaps from today's date. Here
a date only counts when it closely follows a label that says what the date is, and only the
formats policies actually use are read (:mod:`tracker.diff.date_formats`), in English, French
and German.

Finding labels is the costly part on a long text, and only labels close before a year can have a
date. So labels are looked for only in the stretches that end at something that may be a year
("199", "20", "2100": every date read has a year of 1990–2100), widened back to a place no label
match covers, so that where labels overlap the same ones are found as in the whole text. A text
that is not NFC, or has digits other than 0–9 (which ``\\d`` also reads), is read whole.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from datetime import date
from functools import lru_cache

from tracker.diff.date_formats import first_date

__all__ = ["first_date", "labelled_date", "stated_date"]

_UPDATED, _EFFECTIVE = 0, 1  # label kinds; the lower wins when a policy states both
_NEAR = 80  # a labelled date starts within this many characters after an explicit label…
_CLOSE = 25  # …or this many after a bare verb ("updated", "revised"), which prose also uses
# Labels are whole words; "_" counts as a boundary because Markdown emphasis can be _Updated_.
_S = r"(?<![^\W_])"
_E = r"(?![^\W_])"
# Each label comes with the lower-case words one of which every match of it starts with: the
# label's pattern is only tried where they occur (:func:`stated_date`), not at every character.
_LABELS: tuple[tuple[re.Pattern[str], int, int, tuple[str, ...]], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), kind, reach, starts)
    for pattern, kind, reach, starts in (
        (rf"{_S}last[- ]?(?:updated|update|modified|modification|revised|revision|changed"
         rf"|amended|reviewed){_E}", _UPDATED, _NEAR, ("last",)),
        (rf"{_S}date of (?:the )?last (?:revision|update|modification){_E}", _UPDATED, _NEAR,
         ("date of",)),
        (rf"{_S}(?:revision|update) date{_E}", _UPDATED, _NEAR, ("revision", "update")),
        (rf"{_S}derni[èe]re (?:mise [àa] jour|modification|r[ée]vision){_E}", _UPDATED, _NEAR,
         ("derni",)),
        (rf"{_S}version (?:du|en vigueur au){_E}", _UPDATED, _NEAR, ("version",)),
        (rf"{_S}zuletzt (?:aktualisiert|ge[äa]ndert|überarbeitet){_E}", _UPDATED, _NEAR,
         ("zuletzt",)),
        (rf"{_S}letzte (?:aktualisierung|änderung|überarbeitung){_E}", _UPDATED, _NEAR,
         ("letzte",)),
        # German noun; English "stand" is a verb
        (rf"(?-i:{_S}Stand{_E})", _UPDATED, _NEAR, ("stand",)),
        (rf"{_S}(?:updated|revised|modified|amended){_E}", _UPDATED, _CLOSE,
         ("updated", "revised", "modified", "amended")),
        (rf"{_S}(?:mise? [àa] jour|modifi[ée]e? le|aktualisiert){_E}", _UPDATED, _CLOSE,
         ("mis", "modifi", "aktualisiert")),
        (rf"{_S}effective (?:date|as of|from|since|on){_E}", _EFFECTIVE, _NEAR, ("effective",)),
        (rf"{_S}(?:(?:entr[ée]e )?en vigueur|applicable (?:à compter du|depuis le)){_E}",
         _EFFECTIVE, _NEAR, ("entr", "en vigueur", "applicable")),
        (rf"{_S}(?:g[üu]ltig (?:ab|seit)|in kraft (?:seit|ab|getreten)|inkrafttreten){_E}",
         _EFFECTIVE, _NEAR, ("gültig", "gultig", "in kraft", "inkrafttreten")),
        (rf"{_S}effective{_E}", _EFFECTIVE, _CLOSE, ("effective",)),
    )
)  # fmt: skip
# Each start word above holds one of these at one of the offsets given: all are found in
# one pass per anchor ("date" finds both "date of" and "update").
_ANCHORS: dict[str, tuple[int, ...]] = {
    "last": (0,), "date": (0, 2), "revis": (0,), "derni": (0,), "version": (0,),
    "letzt": (0, 2), "stand": (0,), "modifi": (0,), "amended": (0,), "mis": (0,),
    "aktualisiert": (0,), "effective": (0,), "vigueur": (3, 10),
    "applicable": (0,), "ltig": (2,), "kraft": (2, 3),
}  # fmt: skip
# "The first part of the document": where a policy states its date. Labelled dates further down
# (a change log, "this section was updated on…") are used only when the top has none.
_HEAD_CHARS = 4000
_LABEL_WIDTH = 40  # no label match is longer (a test holds every label to it)
_CLEAR_BLOCK = 2048  # characters read at a time when looking back for a place no label covers
_FOLD_MARGIN = 64  # a label's start word and anchor end this close after the label's start
# A labelled date lies in the reach + 40 characters after its label (_better), so a label starts
# at most this far before the first digit of its year.
_BEFORE_YEAR = _NEAR + 40 + _LABEL_WIDTH
# The first UTF-8 byte of every decimal digit other than 0-9: a text without them has only
# ASCII digits, so every year it writes starts with "199", "20" or "2100".
_DIGIT_LEADS = tuple(bytes([lead]) for lead in (0xD9, 0xDB, 0xDF, 0xE0, 0xE1, 0xEA, 0xEF, 0xF0))
Span = tuple[int, int]


@lru_cache(maxsize=16)  # extraction, then flags on dated lines, ask again about a text
def stated_date(text: str) -> date | None:
    """The date the policy states for itself ("Last updated", "Effective", "Stand"…), or None.

    A date counts only when it starts soon after such a label. Among labelled dates, those in
    the first part of the text win, then "last updated" over "effective", then the earliest.
    Impossible dates (February 30) and years outside 1990–2100 are skipped.
    """
    return labelled_date(text)


def labelled_date(text: str, utf8: bytes | None = None) -> date | None:
    """:func:`stated_date`, uncached; ``utf8`` (the text's UTF-8 bytes, when the caller has
    them) spares encoding the text again."""
    normal = unicodedata.normalize("NFC", text)
    if normal is not text and normal != text:
        return _labelled(normal, [(0, len(normal))])
    if not text.isascii():
        utf8 = utf8 if utf8 is not None else text.encode("utf-8", "surrogatepass")
        if any(lead in utf8 for lead in _DIGIT_LEADS):
            return _labelled(text, [(0, len(text))])
    return _labelled(text, _spans(text, _year_starts(text)))


def _year_starts(text: str) -> list[int]:
    """Where a year of 1990–2100 written in digits 0-9 may start, in order (finding single
    characters is what ``str.find`` does fastest)."""
    found = []
    for digit, prefixes in (("1", ("199",)), ("2", ("20", "2100"))):
        at = text.find(digit)
        while at != -1:
            if text.startswith(prefixes, at):
                found.append(at)
            at = text.find(digit, at + 1)
    return sorted(found)


def _spans(text: str, years: list[int]) -> Iterator[Span]:
    """Stretches where a label may start that has a year after it, each widened back to a
    place no label match covers (:func:`_clear`), overlapping ones merged; in order, each
    found only when asked for."""
    pending: Span | None = None
    for year in years:
        low = _clear(text, max(0, year - _BEFORE_YEAR), pending[1] if pending else 0)
        if pending is not None and low <= pending[1]:
            # _clear stops at the span before: a label it steps back to starts inside that span
            pending = (min(low, pending[0]), year + 1)
            continue
        if pending is not None:
            yield pending
        pending = (low, year + 1)
    if pending is not None:
        yield pending


def _clear(text: str, low: int, floor: int) -> int:
    """The nearest place at or before ``low`` that no label match covers, or one at or before
    ``floor`` (where the span before ends: the two then merge, and that span's start is clear).

    A match is at most ``_LABEL_WIDTH`` long: when no label matches from anywhere in that many
    characters before a place, nothing covers it. Otherwise the earliest such match's start is
    tried in turn. Labels are looked for a block at a time, so that a text of labels packed
    back to back is read once, not once per label.
    """
    start = low  # labels matching from [start, low) are known: ``hits``
    hits: list[int] = []
    size = _LABEL_WIDTH  # the next block: usually the first says no label is near
    while low > floor:
        if low - _LABEL_WIDTH < start and start > 0:
            block = max(0, start - size)
            found = _isolated(text, block, start)
            if found is None:
                return 0
            hits, start, size = found + hits, block, min(2 * size, _CLEAR_BLOCK)
        at = bisect_left(hits, low - _LABEL_WIDTH)
        if at == len(hits) or hits[at] >= low:
            return low
        low = hits[at]
    return low


def _isolated(text: str, low: int, high: int) -> list[int] | None:
    """Where a label matches (on its own) from in [low, high), in order; None when the text
    cannot be folded there."""
    folded = _fold(text[low : high + _FOLD_MARGIN])
    if folded is None:
        return None
    return [
        low + at
        for at in _candidates(folded)
        if low + at < high
        and any(
            folded.startswith(starts, at) and pattern.match(text, low + at)
            for pattern, _, _, starts in _LABELS
        )
    ]


def _fold(text: str) -> str | None:
    """The text lower-cased as ``re.IGNORECASE`` compares it, None when positions would shift."""
    # re.IGNORECASE also reads "ı" as "i" and "ſ" as "s"; all else it equates lower-cases alike.
    folded = text.lower().replace("ı", "i").replace("ſ", "s")
    return folded if len(folded) == len(text) else None  # "İ" lower-cases to two characters


def _labelled(text: str, spans: Iterable[Span]) -> date | None:
    """The best labelled date among labels starting in the spans (in order, each starting at
    a place no label match covers): every label tried where a start word occurs, in order, as
    ``pattern.finditer`` would meet them. Spans are read until none further on can hold a
    better one: ranks tie only at one place, so span by span finds what label by label does."""
    best: tuple[bool, int, int] | None = None
    found: date | None = None
    for low, high in spans:
        if best is not None and (best[1] == _UPDATED or (not best[0] and low >= _HEAD_CHARS)):
            break  # no label from here on ranks higher (see _better)
        folded = _fold(text[low : high + _FOLD_MARGIN])
        if folded is None:
            return _stated_date_everywhere(text)
        candidates = [low + at for at in _candidates(folded) if low + at < high]
        for pattern, kind, reach, starts in _LABELS:
            taken = 0
            for start in candidates:
                if start < taken or not folded.startswith(starts, start - low):
                    continue
                label = pattern.match(text, start)
                if label is None:
                    continue
                taken = label.end()
                best, found = _better(text, label, kind, reach, best, found)
    return found


def _candidates(folded: str) -> list[int]:
    """Every position where a label's start word may begin, in order (a few too many)."""
    positions: set[int] = set()
    for anchor, offsets in _ANCHORS.items():
        at = folded.find(anchor)
        while at != -1:
            positions.update(at - offset for offset in offsets if offset <= at)
            at = folded.find(anchor, at + 1)
    return sorted(positions)


def _better(
    text: str,
    label: re.Match[str],
    kind: int,
    reach: int,
    best: tuple[bool, int, int] | None,
    found: date | None,
) -> tuple[tuple[bool, int, int] | None, date | None]:
    """The best labelled date so far, counting the date after this label if it ranks higher."""
    rank = (label.start() >= _HEAD_CHARS, kind, label.start())
    if best is not None and rank >= best:
        return best, found
    when = first_date(text[label.end() : label.end() + reach + 40], within=reach)
    return (rank, when) if when is not None else (best, found)


def _stated_date_everywhere(text: str) -> date | None:
    """:func:`stated_date` trying every label at every character: the reference, and the way
    for the rare texts whose lower case is longer than themselves."""
    best: tuple[bool, int, int] | None = None
    found: date | None = None
    for pattern, kind, reach, _ in _LABELS:
        for label in pattern.finditer(text):
            best, found = _better(text, label, kind, reach, best, found)
    return found
