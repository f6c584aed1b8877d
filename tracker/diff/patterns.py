"""The lexicons' small pattern language, and what a pattern's matches must start with.

A lexicon entry is compiled once into a word-bounded regex:

- words are matched case-insensitively and only as whole words ("share" never hits "shareholder");
- a space matches any run of spaces or hyphens ("opt out" = "opt-out" = "opt  out");
- `` ?`` is an optional space or hyphen ("e ?mail" = email, e-mail, e mail);
- ``~`` after a word adds its inflections ("collect~" = collect, collects, collected, collecting);
- anything else is plain ``re`` syntax ("third part(?:y|ies)").

:func:`first_words` reads a compiled alternation back and tells the letters every match of it
starts with; :mod:`tracker.diff.reading` tries a pattern only where a word starts with them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

OPENING, CLOSING = r"(?<!\w)(?:", r")(?!\w)"  # what compile_terms wraps its alternation in
_OPTIONAL = ("?", "*", "{")  # quantifiers that let what they follow be absent


def _inflect(word: str) -> str:
    """Regular English inflections of a word; enough for a lexicon, not a stemmer."""
    if word.endswith("e"):
        return word[:-1] + "(?:e|es|ed|ing)"
    if len(word) > 2 and word.endswith("y") and word[-2] not in "aeiou":
        return word[:-1] + "(?:y|ies|ied|ying)"
    # The final consonant may double: transferred, opted.
    return word + f"(?:s|es|ed|ing|{word[-1]}ed|{word[-1]}ing)?"


def term_regex(term: str) -> str:
    """The regex of one lexicon entry (see the module docstring)."""
    words = term.replace(" ?", "\0").split(" ")
    inflected = (_inflect(w[:-1]) if w.endswith("~") else w for w in words)
    return r"[\s\-]+".join(inflected).replace("\0", r"[\s\-]?")


def bounded(alternation: str) -> re.Pattern[str]:
    """A word-bounded, case-insensitive pattern of a regex alternation."""
    return re.compile(OPENING + alternation + CLOSING, re.IGNORECASE)


def compile_terms(terms: Iterable[str]) -> re.Pattern[str]:
    """One word-bounded, case-insensitive alternation of the entries, longest first."""
    return bounded("|".join(sorted({term_regex(t) for t in terms}, key=len, reverse=True)))


def without(pattern: re.Pattern[str], term: str) -> re.Pattern[str]:
    """A :func:`compile_terms` pattern without one of its entries, the others in their order:
    the same matches wherever that entry cannot match."""
    regex = pattern.pattern[len(OPENING) : -len(CLOSING)]
    return bounded("|".join(a for a in top_level(regex) if a != term_regex(term)))


def top_level(regex: str) -> list[str]:
    """The alternatives of a regex, split at its top-level ``|``."""
    parts, start = [], 0
    for at, char, depth in _structure(regex):
        if char == "|" and depth == 0:
            parts.append(regex[start:at])
            start = at + 1
    return [*parts, regex[start:]]


def _structure(regex: str) -> Iterator[tuple[int, str, int]]:
    """Each character of a regex that is not escaped nor inside a character class, with its
    place and the depth of groups around it (a ")" at the depth inside it)."""
    depth, at, in_class = 0, 0, False
    while at < len(regex):
        char = regex[at]
        if char == "\\":
            at += 1
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        else:
            depth += char == "("
            yield at, char, depth
            depth -= char == ")"
        at += 1


def first_words(regex: str) -> tuple[str, ...]:
    """What each alternative's match starts with for sure: its leading letters, lower-cased.

    A leading group gives its own alternatives' words, and when a quantifier makes the group
    optional ("(?:but )?not"), also the words of what follows it. Letters a quantifier makes
    optional are not sure ("sdks?" gives "sdk"); an alternative starting otherwise gives ""
    (any text).
    """
    heads: set[str] = set()
    for alternative in top_level(regex):
        heads.update(_heads(alternative))
    return tuple(sorted(heads))


def _heads(alternative: str) -> set[str]:
    """The sure leading letters of one alternative (see :func:`first_words`)."""
    if alternative.startswith("(?:"):
        close = _closing(alternative)
        inner = set(first_words(alternative[3:close]))
        after = alternative[close + 1 :]
        if after[:1] not in _OPTIONAL:
            return inner
        return inner | _heads(_after_quantifier(after))
    size = 0
    while size < len(alternative) and alternative[size].isalnum():
        size += 1
    if alternative[size : size + 1] in _OPTIONAL:
        size -= 1
    return {alternative[: max(size, 0)].lower()}


def _after_quantifier(text: str) -> str:
    """``text`` without the quantifier it starts with ("?", "*", "{m,n}", lazy or possessive)."""
    if text.startswith("{"):
        end = text.find("}")
        text = text[end + 1 :] if end >= 0 else ""
    else:
        text = text[1:]
    return text[1:] if text[:1] in ("?", "+") else text


def _closing(regex: str) -> int:
    """Where the group opening the regex closes."""
    for at, char, depth in _structure(regex):
        if char == ")" and depth == 1:
            return at
    return len(regex)
