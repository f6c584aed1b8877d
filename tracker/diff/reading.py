"""Reading a clause for the lexicons: its prepared text, and where each pattern may match.

Every lexicon pattern is word-bounded, and each of its matches starts with a known word or known
letters (:mod:`tracker.diff.heads`: "collect~" starts with "collect", "collects"…, "you
provide" with "you" before a word starting "provide"). A :class:`Reading` finds those words in
its text once (:func:`tracker.diff.registry.word_starts`); a pattern is then tried with
``pattern.match`` only where one starts, instead of ``pattern.finditer`` trying it at every
character. The matches are the same as ``finditer``'s: a match can only start where a word
starts (the pattern is word-bounded), and only as its heads say. When lower-casing would not
keep positions ("İ") or ``re.IGNORECASE`` reads a letter as another ("ı" as "i", "ſ" as "s"),
and for patterns that may start anywhere, the reading falls back to ``finditer``.

A :class:`Reader` makes each clause's reading once per comparison: the same clause text is read
for its categories, kinds and flags, and often stands on both sides of a pair.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from typing import TypeVar

from tracker.diff.patterns import compile_terms
from tracker.diff.registry import ANYWHERE_OWNERS as _ANYWHERE
from tracker.diff.registry import OWNER_BY_ID as _OWNER_BY_ID
from tracker.diff.registry import Alternatives, owner_of, register, word_starts

T = TypeVar("T")

# Phrases that contain a lexicon word with another meaning; blanked before matching.
NOISE = compile_terms(
    (
        "market share~", "share price~", "fair share", "lion's share", "social security",
        "national security", "public security", "security deposit~", "minor change~",
        "minor update~", "minor edit~", "fortune cookie~", "appropriate safeguards",
    )
)  # fmt: skip
_TYPOGRAPHY_CHARS = (("’", "'"), ("‘", "'"), ("“", '"'), ("”", '"'), ("_", " "), ("*", " "))
_TYPOGRAPHY = str.maketrans(dict(_TYPOGRAPHY_CHARS))


def _normalized(text: str) -> str:
    """NFC, plain quotes, no emphasis marks, no backslashes, every run of whitespace one space
    (:func:`prepare` but the noise)."""
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
        # str.translate looks every character of a non-ASCII text up in its table: replacing
        # the few characters that occur is many times faster.
        for char, plain in _TYPOGRAPHY_CHARS:
            if char in text:
                text = text.replace(char, plain)
    elif "_" in text or "*" in text:
        text = text.translate(_TYPOGRAPHY)
    text = text.replace("\\", "") if "\\" in text else text
    return " ".join(text.split())


def _blank(match: re.Match[str]) -> str:
    return " " * len(match.group())


def prepare(text: str) -> str:
    """The text as the lexicons read it: NFC, plain quotes, no emphasis or escapes, whitespace
    collapsed, no noise.

    Markdown emphasis is blanked because ``_`` is a word character and would hide
    ``_cookies_`` from a word-bounded pattern; escapes go ("1\\." is "1."). Whitespace is
    collapsed (and trimmed) so that a clause re-indented or re-wrapped reads as it did: its
    reading is shared (:class:`Reader`).
    """
    return NOISE.sub(_blank, _normalized(text))


register(NOISE)


class Reading:
    """A prepared text, and for each registered pattern the word starts it may match at."""

    __slots__ = ("_known", "_memo", "_starts", "folded", "text")

    def __init__(self, text: str, folded: str, starts: dict[int, list[int]] | None) -> None:
        self.text = text
        self.folded = folded  # text.lower()
        self._starts = starts  # None: positions unknown, every pattern is searched for
        self._known = len(_ANYWHERE)  # owners registered later were not indexed
        self._memo: dict[str, object] = {}

    @property
    def plain(self) -> bool:
        """Whether ``folded`` reads the text as ``re.IGNORECASE`` does, place for place."""
        return self._starts is not None

    def _positions(self, pattern: re.Pattern[str]) -> Sequence[int] | None:
        """Where the pattern may match, in order; None when it may match anywhere."""
        owner = _OWNER_BY_ID.get(id(pattern))
        if owner is None:
            owner = owner_of(pattern)
        if self._starts is None or _ANYWHERE[owner] or owner >= self._known:
            return None
        return self._starts.get(owner, ())

    def matches(self, pattern: re.Pattern[str]) -> list[re.Match[str]]:
        """What ``pattern.finditer(self.text)`` finds (module docstring)."""
        return self._matches(pattern, self._positions(pattern))

    def _matches(
        self, pattern: re.Pattern[str], positions: Sequence[int] | None
    ) -> list[re.Match[str]]:
        if positions is None:
            return list(pattern.finditer(self.text))
        text, match_at = self.text, pattern.match
        found = []
        end = 0
        for start in positions:
            if start >= end:
                match = match_at(text, start)
                if match:
                    found.append(match)
                    end = match.end()
        return found

    def may_match(self, pattern: re.Pattern[str]) -> bool:
        """False when the pattern surely has no match in the text."""
        positions = self._positions(pattern)
        return positions is None or bool(positions)

    def places(self, table: Alternatives) -> list[tuple[int, int]] | None:
        """(start, entry) wherever an entry of the table may match, in order; None when one
        may match anywhere."""
        if self._starts is None or table.anywhere or table.last >= self._known:
            return None
        entries = table.entries
        found = [
            (start, entry)
            for owner, starts in self._starts.items()
            if owner in entries
            for entry in entries[owner]
            for start in starts
        ]
        found.sort()
        return found

    def present(self, table: Alternatives) -> list[int]:
        """The entries of the table that may match, in order."""
        if self._starts is None or table.last >= self._known:
            return list(range(len(table.patterns)))
        entries = table.entries
        found = [entry for owner in self._starts if owner in entries for entry in entries[owner]]
        return sorted(found + table.anywhere)

    def evidence(self, pattern: re.Pattern[str]) -> tuple[str, ...]:
        """Distinct matches of the pattern, lower-cased, spaces collapsed, in order."""
        positions = self._positions(pattern)
        if positions is not None and not positions:
            return ()
        matches = self._matches(pattern, positions)
        if not matches:
            return ()
        return tuple(dict.fromkeys(" ".join(m.group().lower().split()) for m in matches))

    def once(self, key: str, make: Callable[[Reading], T]) -> T:
        """``make(self)``, made once per reading: callers must not mutate what it returns."""
        if key not in self._memo:
            self._memo[key] = make(self)
        return self._memo[key]  # type: ignore[return-value]


class Reader:
    """Readings of the clauses of one comparison, each made once, and other per-comparison
    results (:meth:`once`); nothing outlives the reader."""

    def __init__(self) -> None:
        self._readings: dict[str, Reading] = {}
        # texts alike once normalized (whitespace, quote styles, emphasis, escapes) share one
        self._by_normal: dict[str, Reading] = {}
        # word -> _owners(word, …), or _PAIRED when they depend on the next word: then
        # (word, next word) -> _owners(word, next word); while no pattern is registered
        self._words: dict[str, tuple[int, ...]] = {}
        self._pairs: dict[tuple[str, str | None], tuple[int, ...]] = {}
        self._registered = -1  # owners registered when _words was made: none yet
        self._memo: dict[object, object] = {}

    def read(self, text: str) -> Reading:
        """The reading of a clause's raw text: prepared (:func:`prepare`), words indexed."""
        reading = self._readings.get(text)
        if reading is None:
            normal = _normalized(text)
            reading = self._by_normal.get(normal)
            if reading is None:
                reading = self._by_normal[normal] = self._read_normalized(normal)
            self._readings[text] = reading
        return reading

    def _read_normalized(self, normal: str) -> Reading:
        """The reading of a normalized text, its noise blanked (:func:`prepare`)."""
        reading = self.read_prepared(normal)
        noise = reading.matches(NOISE) if reading.may_match(NOISE) else ()
        if noise:  # blanked as NOISE.sub(_blank, …) does, the words read again
            pieces, end = [], 0
            for match in noise:
                pieces += [normal[end : match.start()], _blank(match)]
                end = match.end()
            reading = self.read_prepared("".join([*pieces, normal[end:]]))
        return reading

    def read_prepared(self, text: str) -> Reading:
        """The reading of a text already prepared (or meant to be read as it is)."""
        folded = text.lower()
        if len(folded) != len(text) or "ı" in folded or "ſ" in folded:
            return Reading(text, folded, None)
        if self._registered != len(_ANYWHERE):  # a pattern was registered: memos go
            self._words.clear()
            self._pairs.clear()
            self._registered = len(_ANYWHERE)
        # Lower-casing that keeps the length maps each character to one, and never changes
        # whether it is a word character: the words of ``folded`` are those of ``text``.
        starts = word_starts(folded, self._words, self._pairs)
        return Reading(text, folded, starts)

    def once(self, key: object, make: Callable[[], T]) -> T:
        """``make()``, made once per reader: callers must not mutate what it returns."""
        if key not in self._memo:
            self._memo[key] = make()
        return self._memo[key]  # type: ignore[return-value]
