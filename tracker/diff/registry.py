"""The registry of lexicon patterns: an owner number for each, and an index of their first words.

Every pattern a :class:`tracker.diff.reading.Reading` is asked about gets an owner number, and
how its matches start (:mod:`tracker.diff.heads`) is indexed: letters a match starts with, whole
first words, and first words that need a given next word. :func:`word_starts` finds, in one
regex pass over a lower-cased text, the words that start some match, and for each the owners
that may match there.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import NamedTuple

from tracker.diff.heads import ANYWHERE, SEPARATOR, pattern_heads

# The registry: every pattern a Reading is asked about gets an owner number, and how its
# matches start (tracker.diff.heads): letters a match starts with, and their owners; whole
# first words, and their owners; first words a second word must follow, what that starts with,
# and for which owner.
_BY_FIRST: dict[str, list[int]] = {}
_BY_WORD: dict[str, list[int]] = {}
_BY_PAIR: dict[str, list[tuple[str, int]]] = {}
_PAIR_REACH: dict[str, int] = {}  # how much of the next word a first word's pairs look at
ANYWHERE_OWNERS: list[bool] = []  # by owner: may a match start anywhere?
_PAIRED: tuple[int, ...] = (-1,)  # a word's owners depend on the next word (a marker)
OWNER_BY_ID: dict[int, int] = {}
_KEPT: list[re.Pattern[str]] = []  # registered patterns stay alive: their ids stay theirs


class _Index(NamedTuple):
    """What :func:`word_starts` reads, made from the registry at one time: for every beginning
    of first letters (a trie as a dict), the owners whose letters are that beginning or a
    shorter one; and one regex of the words that start with first letters or are first words
    (None: nothing registered)."""

    beginnings: dict[str, tuple[int, ...]]
    words: re.Pattern[str] | None


_REST = r"\w*"  # what follows first letters in the index's regex: the rest of the word

# The index, made when first needed and dropped by registering: a whole new one replaces it,
# so that a comparison in another thread reads one index, never half of one.
_INDEX: list[_Index | None] = [None]


def owner_of(pattern: re.Pattern[str], *, indexed: bool = True) -> int:
    """The owner number of a pattern, registered on first use; a pattern not ``indexed`` is
    searched for everywhere (for patterns rarely asked about, whose words are common)."""
    owner = OWNER_BY_ID.get(id(pattern))
    if owner is None:
        owner = len(ANYWHERE_OWNERS)
        heads = pattern_heads(pattern) if indexed else {ANYWHERE}
        ANYWHERE_OWNERS.append(ANYWHERE in heads)
        for kind, word, after in heads:
            if kind == "pair":
                _BY_PAIR.setdefault(word, []).append((after, owner))
                _PAIR_REACH[word] = max(_PAIR_REACH.get(word, 0), len(after))
            elif kind == "word":
                _BY_WORD.setdefault(word, []).append(owner)
            elif word:
                _BY_FIRST.setdefault(word, []).append(owner)
        _INDEX[0] = None
        _KEPT.append(pattern)
        OWNER_BY_ID[id(pattern)] = owner
    return owner


def register(*patterns: re.Pattern[str], indexed: bool = True) -> None:
    """Register patterns up front, so that readings index their words from the start."""
    for pattern in patterns:
        owner_of(pattern, indexed=indexed)


def _index() -> _Index:
    """A new index of the registry (see :class:`_Index`)."""
    beginnings: dict[str, tuple[int, ...]] = {}
    for first in _BY_FIRST:
        for size in range(1, len(first) + 1):
            beginning = first[:size]
            if beginning not in beginnings:
                found = (o for f in _prefixes(beginning) for o in _BY_FIRST.get(f, ()))
                beginnings[beginning] = tuple(dict.fromkeys(found))
    # A word that starts with first letters, or is a first word; and the next word when only
    # spaces or hyphens come between (looked at, not taken: it may be a first word too). One
    # trie for both, and "(?<!\w)" rather than "\b": a third faster than two tries after "\b".
    firsts = sorted(_BY_FIRST)
    words = _trie(_word_ends(firsts) | dict.fromkeys(firsts, _REST))
    found = rf"(?<!\w)({words})(?:(?={SEPARATOR}(\w+))|)"
    return _Index(beginnings, re.compile(found) if words else None)


def _word_ends(firsts: Sequence[str]) -> dict[str, str]:
    """For each whole first word, what must follow it: the end of the word; for a word that
    has owners only through the next word ("you" of "you provide"), a next word starting as
    one of its pairs says. Most words of a text are such words ("the", "you", "we"), and most
    of the time no pair follows: the regex passes them over instead of Python looking them up.
    """
    ends: dict[str, str] = {}
    for word in sorted({*_BY_WORD, *_BY_PAIR}):
        afters = sorted({after for after, _ in _BY_PAIR.get(word, ())})
        only_paired = word not in _BY_WORD and not any(map(word.startswith, firsts))
        if not only_paired:
            ends[word] = r"\b"
        elif "" in afters:
            ends[word] = rf"(?={SEPARATOR}\w)"
        else:
            ends[word] = rf"(?={SEPARATOR}{_trie(dict.fromkeys(afters, ''))})"
    return ends


def _trie(ends: Mapping[str, str]) -> str:
    """A regex of the words as a trie, each word followed by its end (a regex): one branch
    per letter, so that a failing word costs a look at its first letters, not a try of every
    word. Longer words are tried before the words they start with, except after first letters
    (end ``_REST``), which take the whole word at once."""
    branches: dict[str, dict[str, str]] = {}
    whole: str | None = None
    for word, end in ends.items():
        if word:
            branches.setdefault(word[0], {})[word[1:]] = end
        else:
            whole = end
    alternatives = [re.escape(char) + _trie(rest) for char, rest in branches.items()]
    if whole == _REST:  # first letters: the rest of the word, whatever it is (longer words too)
        alternatives.insert(0, whole)
    elif whole is not None:
        alternatives.append(whole)
    if len(alternatives) <= 1:
        return "".join(alternatives)  # no words at all: ""
    return "(?:" + "|".join(alternatives) + ")"


def _owners(
    word: str, following: str | None, beginnings: dict[str, tuple[int, ...]]
) -> tuple[int, ...]:
    """The owners some of whose matches may start with this (lower-cased) word, the next word
    being ``following`` (None: no next word right after spaces or hyphens)."""
    owners: tuple[int, ...] = ()
    for size in range(1, len(word) + 1):
        known = beginnings.get(word[:size])
        if known is None:
            break
        owners = known
    more = _BY_WORD.get(word, [])
    if following is not None and word in _BY_PAIR:
        more = [*more, *(owner for after, owner in _BY_PAIR[word] if following.startswith(after))]
    return tuple(dict.fromkeys((*owners, *more))) if more else owners


def _prefixes(text: str) -> list[str]:
    return [text[:size] for size in range(1, len(text) + 1)]


class Alternatives:
    """Patterns read together (a table's entries, a list of rules): the entries of each
    owner number, and the entries that may match anywhere."""

    def __init__(self, patterns: Sequence[re.Pattern[str]]) -> None:
        owners = [owner_of(pattern) for pattern in patterns]
        self.patterns = tuple(patterns)
        self.entries: dict[int, tuple[int, ...]] = {}
        for entry, owner in enumerate(owners):
            self.entries[owner] = (*self.entries.get(owner, ()), entry)
        self.anywhere = [entry for entry, owner in enumerate(owners) if ANYWHERE_OWNERS[owner]]
        self.last = max(owners, default=-1)


def word_starts(
    folded: str,
    owners_of: dict[str, tuple[int, ...]],
    paired: dict[tuple[str, str | None], tuple[int, ...]],
) -> dict[int, list[int]]:
    """For each owner, the starts of the words of ``folded`` (a lower-cased text that keeps its
    length) where one of its matches may begin, in order. ``owners_of`` and ``paired`` are a
    caller's memos of :func:`_owners`, kept while no pattern is registered."""
    index = _INDEX[0]
    if index is None:
        index = _INDEX[0] = _index()
    beginnings = index.beginnings
    starts: dict[int, list[int]] = {}
    for match in index.words.finditer(folded) if index.words else ():
        word, following = match.group(1, 2)
        owners = owners_of.get(word)
        if owners is None:
            owners = owners_of[word] = (
                _PAIRED if word in _BY_PAIR else _owners(word, None, beginnings)
            )
        if owners is _PAIRED:
            if following is not None:
                following = following[: _PAIR_REACH[word]]  # all the pairs look at
            owners = paired.get((word, following))
            if owners is None:
                owners = paired[word, following] = _owners(word, following, beginnings)
        start = match.start()
        for owner in owners:
            if owner in starts:
                starts[owner].append(start)
            else:
                starts[owner] = [start]
    return starts
