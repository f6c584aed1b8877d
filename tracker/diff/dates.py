"""The date a policy states for itself: "Last updated: March 4, 2021", "Stand: 4. März 2021"…

Hand-written with ``re`` rather than a date library. dateparser is large, slow to import and to
run, and guesses: it reads version numbers and phone numbers as dates. python-dateutil's fuzzy
parser accepts almost any string with a number in it and fills the gaps from today's date. Here
a date only counts when it closely follows a label that says what the date is, and only the
formats policies actually use are read, in English, French and German.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import date
from functools import lru_cache

_MONTH_NAMES: dict[int, tuple[str, ...]] = {
    1: ("january", "jan", "janvier", "janv", "januar", "jänner"),
    2: ("february", "feb", "février", "fevrier", "févr", "fevr", "februar"),
    3: ("march", "mar", "mars", "märz", "maerz", "mär"),
    4: ("april", "apr", "avril", "avr"),
    5: ("may", "mai"),
    6: ("june", "jun", "juin", "juni"),
    7: ("july", "jul", "juillet", "juil", "juli"),
    8: ("august", "aug", "août", "aout"),
    9: ("september", "sep", "sept", "septembre"),
    10: ("october", "oct", "octobre", "oktober", "okt"),
    11: ("november", "nov", "novembre"),
    12: ("december", "dec", "décembre", "decembre", "déc", "dezember", "dez"),
}
_MONTHS = {name: number for number, names in _MONTH_NAMES.items() for name in names}
# Longest first, so "march" is not read as "mar" followed by "ch". Not inside a longer word
# ("summary"), an abbreviation may end in a full stop ("Mar.", "févr.").
_MONTH = (
    r"(?<![^\W\d_])(?P<month>"
    + "|".join(sorted(map(re.escape, _MONTHS), key=len, reverse=True))
    + r")(?![^\W\d_])\.?"
)
_YEAR = r"(?P<year>\d{4})(?!\d)"
_ORDINAL = r"(?:st|nd|rd|th|er)?"  # 4th, 1st, French 1er
# Numbers glued to letters, dots or slashes are versions, ids or phone numbers, not dates.
_NUMBER_START = r"(?<![\w./-])"
_NUMBER_END = r"(?!\d|[./-]\d)"

_Parts = tuple[int, int, int]  # year, month, day


def _named(match: re.Match[str]) -> _Parts:
    day = match.groupdict().get("day")
    return int(match["year"]), _MONTHS[match["month"].lower()], int(day) if day else 1


def _numeric(match: re.Match[str]) -> _Parts:
    return int(match["year"]), int(match["month"]), int(match["day"])


def _month_year(match: re.Match[str]) -> _Parts:
    return int(match["year"]), int(match["month"]), 1


def _us_or_day_first(match: re.Match[str]) -> _Parts:
    """03/04/2021 is March 4 (US); 13/04/2021 can only be April 13."""
    first, second = int(match["a"]), int(match["b"])
    if first > 12:
        return int(match["year"]), second, first
    return int(match["year"]), first, second


_FORMATS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], _Parts]], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), build)
    for pattern, build in (
        # March 4, 2021 · Mar. 4th 2021
        (rf"{_MONTH}\s*(?P<day>\d{{1,2}}){_ORDINAL},?\s+{_YEAR}", _named),
        # 4 March 2021 · 4th of March, 2021 · 4. März 2021 · 1er mars 2021
        (rf"{_NUMBER_START}(?P<day>\d{{1,2}}){_ORDINAL}\.?\s*(?:of\s+)?{_MONTH},?\s+{_YEAR}",
         _named),
        # March 2021 (the 1st is assumed)
        (rf"{_MONTH},?\s+{_YEAR}", _named),
        # 2021-03-04 · 2021/03/04 · 2021.03.04
        (rf"{_NUMBER_START}{_YEAR}[-/.](?P<month>\d{{1,2}})[-/.](?P<day>\d{{1,2}}){_NUMBER_END}",
         _numeric),
        # 03/04/2021 · 03-04-2021
        (rf"{_NUMBER_START}(?P<a>\d{{1,2}})(?P<sep>[/-])(?P<b>\d{{1,2}})(?P=sep){_YEAR}"
         rf"{_NUMBER_END}", _us_or_day_first),
        # 4.3.2021 · 04. 03. 2021 (German, always day first)
        (rf"{_NUMBER_START}(?P<day>\d{{1,2}})\.\s?(?P<month>\d{{1,2}})\.\s?{_YEAR}{_NUMBER_END}",
         _numeric),
        # 03/2021 · 03.2021 ("Stand: 03/2021")
        (rf"{_NUMBER_START}(?P<month>\d{{1,2}})[/.]{_YEAR}{_NUMBER_END}", _month_year),
    )
)  # fmt: skip

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
_YEARS = range(1990, 2101)


@lru_cache(maxsize=16)  # a version is compared with the one before it and with the one after
def stated_date(text: str) -> date | None:
    """The date the policy states for itself ("Last updated", "Effective", "Stand"…), or None.

    A date counts only when it starts soon after such a label. Among labelled dates, those in
    the first part of the text win, then "last updated" over "effective", then the earliest.
    Impossible dates (February 30) and years outside 1990–2100 are skipped.
    """
    text = unicodedata.normalize("NFC", text)
    # re.IGNORECASE also reads "ı" as "i" and "ſ" as "s"; all else it equates lower-cases alike.
    folded = text.lower().replace("ı", "i").replace("ſ", "s")
    if len(folded) != len(text):  # "İ" lower-cases to two characters: positions would shift
        return _stated_date_everywhere(text)
    best: tuple[bool, int, int] | None = None
    found: date | None = None
    candidates = _candidates(folded)
    for pattern, kind, reach, starts in _LABELS:
        # The same matches as pattern.finditer(text), but only tried where a start word occurs.
        taken = 0
        for start in candidates:
            if start < taken or not folded.startswith(starts, start):
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


def first_date(text: str, *, within: int | None = None) -> date | None:
    """The first valid date written in the text, starting at most ``within`` characters in.

    Where formats overlap the longest reading wins ("4 March 2021", not "March 2021"); an
    impossible date is skipped together with anything read inside it.
    """
    candidates: list[tuple[int, int, date | None]] = []
    for pattern, build in _FORMATS:
        for match in pattern.finditer(text):
            if within is None or match.start() <= within:
                candidates.append((match.start(), -match.end(), _make_date(*build(match))))
    blocked_until = 0
    for start, negative_end, when in sorted(candidates, key=lambda c: (c[0], c[1])):
        if start < blocked_until:
            continue
        if when is not None:
            return when
        blocked_until = -negative_end
    return None


def _make_date(year: int, month: int, day: int) -> date | None:
    """The date, or None when it does not exist or lies outside the years policies have."""
    if year not in _YEARS:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None
