"""How the matches of a lexicon pattern start: the first word, as exactly as the regex tells.

:mod:`tracker.diff.reading` tries a pattern only where a match of it can start. The finer that
is known, the fewer places are tried. A head is one of:

- ``("prefix", letters, "")``: the match starts with these letters, and the word may go on
  ("traitement\\w*"); ``("prefix", "", "")`` means anywhere;
- ``("word", word, "")``: the match starts with this whole word ("not", "collected": a
  lexicon word ends where the pattern's word boundary or a separator says);
- ``("pair", word, next)``: this whole word, spaces or hyphens, then a word starting with
  ``next`` ("you provide", "e-mail").

The regex of each alternative is read from its start: letters, groups of letters with or
without ``?`` ("collect(?:s|es|ed|ing)?", "sdks?"), leading groups of alternatives (each tried
in turn), then what ends the word. Anything else falls back to the sure leading letters
(:func:`tracker.diff.patterns.first_words`), which is always right, only less precise.
"""

from __future__ import annotations

import re

from tracker.diff.patterns import CLOSING, OPENING, _closing, _heads, first_words, top_level

Head = tuple[str, str, str]  # kind ("prefix" | "word" | "pair"), word, next word's beginning
SEPARATOR = r"[\s\-]+"  # what term_regex makes of a space
OPTIONAL_SEPARATOR = r"[\s\-]?"  # …and of " ?"
ANYWHERE: Head = ("prefix", "", "")
_MAX_FORMS = 256  # expansions beyond this fall back to the sure letters
_WORD_ENDS = frozenset("'’,:;/&!\"")  # literal characters that end a word: not \w, not special


def pattern_heads(pattern: re.Pattern[str]) -> set[Head]:
    """The heads of a pattern compiled by :func:`tracker.diff.patterns.bounded` (module
    docstring); ``{ANYWHERE}`` for any other pattern."""
    regex = pattern.pattern
    if not (regex.startswith(OPENING) and regex.endswith(CLOSING)):
        return {ANYWHERE}
    heads: set[Head] = set()
    for alternative in top_level(regex[len(OPENING) : -len(CLOSING)]):
        found = _alternative(alternative)
        if found is None or len(found) > _MAX_FORMS:
            found = {("prefix", letters, "") for letters in _heads(alternative)}
        heads |= found
    return heads


def _alternative(regex: str) -> set[Head] | None:
    """The heads of one alternative, or None when its start is not plain enough to read."""
    if regex.startswith("(?:"):  # a leading group: each of its alternatives, then the rest
        close = _closing(regex)
        options, after = top_level(regex[3:close]), regex[close + 1 :]
        optional = after.startswith("?")
        rest = after[1:] if optional else after
        if after[:1] in ("*", "+", "{") or rest[:1] in ("?", "+"):
            return None
        found: set[Head] = set()
        for option in [*options, *([""] if optional else [])]:
            heads = _alternative(option + rest) if option + rest else None
            if heads is None or len(found) > _MAX_FORMS:
                return None
            found |= heads
        return found
    forms, rest = _word(regex)
    return None if forms is None else _ending(forms, rest)


def _word(regex: str) -> tuple[set[str] | None, str]:
    """The forms a word at the start of the regex takes, and the regex after it."""
    forms = {""}
    while True:
        size = _letters(regex)
        if size:
            letters, regex = regex[:size], regex[size:]
            if regex.startswith("?"):  # the last letter may be missing: "sdks?"
                regex = regex[1:]
                forms = {f + letters[:-1] + tail for f in forms for tail in ("", letters[-1])}
            else:
                forms = {f + letters for f in forms}
        elif regex.startswith("(?:") and forms != {""}:
            close = _closing(regex)
            options, regex = top_level(regex[3:close]), regex[close + 1 :]
            if regex.startswith("?"):
                options, regex = [*options, ""], regex[1:]
            if not all(_letters(option) == len(option) for option in options):
                return None, regex
            forms = {f + option for f in forms for option in options}
        else:
            break
        if regex[:1] in ("?", "*", "+", "{") or len(forms) > _MAX_FORMS:
            return None, regex
    if "" in forms:
        return None, regex
    return {f.lower() for f in forms}, regex


def _ending(forms: set[str], rest: str) -> set[Head] | None:
    """The heads of words with these forms, by what follows them in the regex."""
    if rest.startswith(SEPARATOR):
        nexts = first_words(rest[len(SEPARATOR) :])
        if "" in nexts:
            return {("word", form, "") for form in forms}
        return {("pair", form, after) for form in forms for after in nexts}
    if rest.startswith(OPTIONAL_SEPARATOR):  # "e ?mail": "e-mail", or "email" as one word
        nexts = first_words(rest[len(OPTIONAL_SEPARATOR) :])
        if "" in nexts:
            return None
        pairs = {("pair", form, after) for form in forms for after in nexts}
        return pairs | {("prefix", form + after, "") for form in forms for after in nexts}
    if rest == "" or _ends_word(rest):
        return {("word", form, "") for form in forms}
    return None


def _ends_word(rest: str) -> bool:
    """Whether the regex goes on with a literal character that is not a word character."""
    if rest.startswith("\\") and len(rest) > 1 and not (rest[1].isalnum() or rest[1] == "_"):
        char, after = rest[1], rest[2:]
    elif rest[:1] in _WORD_ENDS:
        char, after = rest[0], rest[1:]
    else:
        return False
    return not re.match(r"\w", char) and after[:1] not in ("?", "*", "{")


def _letters(text: str) -> int:
    size = 0
    while size < len(text) and text[size].isalnum():
        size += 1
    return size
