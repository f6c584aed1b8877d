"""Dates as policies write them: "March 4, 2021", "4. März 2021", "2021-03-04", "03/2021"…

Only the formats policies actually use are read, in English, French and German; where formats
overlap the longest reading wins, and impossible dates are skipped (:func:`first_date`). Which
date is the one a policy states for itself is :mod:`tracker.diff.dates`' business.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

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
_YEARS = range(1990, 2101)


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
