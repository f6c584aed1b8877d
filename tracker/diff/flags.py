"""Flags of a clause pair: what kind of meaning a change may carry (DESIGN.md, "flags").

- ``negation``: the number of negations differs ("we share" → "we do not share"). Counting,
  rather than locating, ignores a negation that merely moved or was reworded ("not" → "never").
  Fixed phrases that only look negative are not counted: "not limited to", "without
  limitation", "whether or not", "Do Not Track signals", the "Do Not Sell My…" link.
- ``modality``: the strength of what the policy commits to changed. On a shortest word diff of
  the two clauses, a modal of one strength was removed where one of another was added ("may" →
  "will"), or a modal was inserted or dropped on its own ("we share" → "we may share"), and
  not merely moved ("you may, at any time, …" → "at any time, you may …"). A clause that merely
  gains a subordinate "…you can opt out" is not a change of modality;
  "required" is a modal only as "is required (to)", not in "the data required for
  registration".
- ``quantity``: the numbers, durations or ages differ ("30 days" → "90 days", "13" → "16",
  "two years" → "five years", "30 days" → "30 months"). Not quantities: leading list numbers
  (renumbering is no change of meaning), legal references ("Article 6(1)"), unit-less numbers of
  more than three digits (years, postcodes) and the numbers of a postal address.
- ``new_data``/``removed_data``, ``new_party``/``removed_party``: a kind of personal data or of
  recipient (:mod:`tracker.diff.kinds`) named on one side only; an added clause counts as all new.
- ``last_updated``: the two clauses differ only in a stated date; then it is the only flag.
"""

from __future__ import annotations

import re
from collections import Counter

from tracker.diff.dates import first_date, stated_date
from tracker.diff.inline import edit_runs
from tracker.diff.kinds import data_kinds, party_kinds
from tracker.diff.patterns import bounded, compile_terms, without
from tracker.diff.reading import Reader, Reading, prepare
from tracker.diff.registry import register

_NEGATION = compile_terms(
    (
        "not", "never", "no", "none", "neither", "nor", "without", "cannot", "\\w+n't",
        "no longer", "no one", "nobody", "nothing", "pas", "jamais", "aucun\\w*", "nicht",
        "kein\\w*", "nie", "niemals",
    )
)  # fmt: skip
_NOT_NEGATION = compile_terms(
    (
        "not only", "no matter", "whether or not", "(?:including )?(?:but )?not limited to",
        "without limitation", "without limiting", "no\\.? ?\\d+", "do not track(?= (?:signals?|"
        "requests?|settings?|preferences?|mechanisms?|features?|browser|\\(?dnt))",
        "do not sell(?: or share)? my", "no later than",
    )
)  # fmt: skip
_WEAK, _MEDIUM, _STRONG = 1, 2, 3
_MODALS: dict[str, int] = {
    "may": _WEAK, "might": _WEAK, "can": _WEAK, "could": _WEAK, "possibly": _WEAK,
    "sometimes": _WEAK, "occasionally": _WEAK, "peut": _WEAK, "peuvent": _WEAK,
    "pouvons": _WEAK, "kann": _WEAK, "können": _WEAK, "möglicherweise": _WEAK,
    "should": _MEDIUM, "would": _MEDIUM, "generally": _MEDIUM, "typically": _MEDIUM,
    "will": _STRONG, "shall": _STRONG, "must": _STRONG, "always": _STRONG,
    "required": _STRONG, "obliged": _STRONG, "obligated": _STRONG, "doit": _STRONG,
    "doivent": _STRONG, "devons": _STRONG, "muss": _STRONG, "müssen": _STRONG,
    "wird": _STRONG, "werden": _STRONG, "immer": _STRONG,
}  # fmt: skip
_MODAL_WORDS = frozenset(_MODALS)
# Words that may stand next to a modal in an inserted or deleted run without making the run
# more than a change of modality ("may also", "will be").
_MODAL_COMPANIONS = frozenset({"also", "be", "have", "only", "to", "is", "are", "we", "you"})
_TOKEN = re.compile(r"[^\W_]+(?:'[^\W_]+)?")
_MONTH_NAMES = (
    "january|february|march|april|may|june|july|august|september|october|november|december"
    "|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec|janvier|février|mars|avril|mai|juin"
    "|juillet|août|septembre|octobre|novembre|décembre|januar|februar|märz|juni|juli|oktober"
    "|dezember"
)
_DATE = re.compile(
    # Starts only at a word's start: the regex is tried at every position of every clause.
    rf"(?<!\w)(?:\d{{1,2}}(?:st|nd|rd|th|er)?\.?\s+(?:of\s+)?)?(?:{_MONTH_NAMES})\.?"
    r"(?:\s+\d{1,2}(?:st|nd|rd|th)?)?,?\s+\d{4}"
    r"|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\s?\d{1,2}[-/.]\s?\d{2,4}",
    re.IGNORECASE,
)
_SMALL_NUMBERS = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen", "twenty",
)  # fmt: skip
_DIGIT = re.compile(r"\d")
_DATE_HINT = re.compile(r"\d(?:\d\d\d|[-/.])")  # starts with a digit: the regex engine skips to one
_WORD = re.compile(r"[^\W_]+")
_MONTH_WORD = re.compile(rf"(?:{_MONTH_NAMES})|\d+(?:st|nd|rd|th|er)", re.IGNORECASE)
_NUMBER_WORDS = {word: value for value, word in enumerate(_SMALL_NUMBERS)} | {
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "ninety": 90, "hundred": 100,
}  # fmt: skip
_NUMBER_WORD = re.compile(rf"\b(?:{'|'.join(_NUMBER_WORDS)})\b", re.IGNORECASE)
_UNITS = {
    "second": "second", "minute": "minute", "hour": "hour", "day": "day", "business": "day",
    "week": "week", "month": "month", "year": "year", "time": "time", "percent": "%",
    "%": "%", "jour": "day", "mois": "month", "an": "year", "année": "year", "tag": "day",
    "woche": "week", "monat": "month", "jahr": "year", "stunde": "hour",
}  # fmt: skip
_QUANTITY = re.compile(
    rf"(?<![\w.,+/#:@-])(?P<n>\d+(?:[.,]\d+)*|{'|'.join(_NUMBER_WORDS)})(?![\w)]|[-/]\d)"
    r"(?:[\s\-]*(?:\(\d+\)\s*)?(?P<unit>%|[^\W\d_]+))?",
    re.IGNORECASE,
)
_LEADING_NUMBER = re.compile(
    r"^\W*\d+(?:\.\d+)*[.)]\s|^\W*\d+(?:\.\d+)+\s"
)  # "3.1. Payment data", "2) …"
_SECTION_REFERENCE = re.compile(
    r"\b(?:section|article|art\.|§|paragraph|para\.|clause|sentence|point|lit\.|chapter|annex"
    r"|recital|no\.)\s*[\d.()a-z]+",
    re.IGNORECASE,
)
# Numbers in a postal address are no quantities: "1 Hatch Street", "Dublin 2", "Suite 207".
_ADDRESS = re.compile(
    r"\b(?:street|st\.|road|rd\.|avenue|ave\.|suite|floor|terrace|boulevard|blvd|lane|square"
    r"|plaza|p\.?\s?o\.? box|postcode|zip code|straße|strasse|rue)\b",
    re.IGNORECASE,
)
_REFERENCE_WORDS = ("section", "art", "§", "para", "clause", "sentence", "point", "lit.",
                    "chapter", "annex", "recital", "no.")  # fmt: skip
_ADDRESS_WORDS = ("street", "st.", "road", "rd.", "avenue", "ave.", "suite", "floor", "terrace",
                  "boulevard", "blvd", "lane", "square", "plaza", "box", "postcode", "zip",
                  "straße", "strasse", "rue")  # fmt: skip
_ADDRESS_NUMBERS = re.compile(r"\b\d+\b(?!\s*(?:%|percent|days?|weeks?|months?|years?|hours?))")
_BE = frozenset({"is", "are", "be", "been", "was", "were", "am"})


# "\w+n't" may start anywhere: in a text without "n't" the rest finds the same negations.
_NEGATION_WORDS = without(_NEGATION, "\\w+n't")
_NUMBER_TERMS = bounded("|".join(_NUMBER_WORDS))  # _NUMBER_WORD, as a lexicon pattern
# The modals as a lexicon pattern: where none may match, no token is a modal (a token is a
# whole word, and a prepared text has no "_" to join it to another).
_MODAL_TERMS = compile_terms(_MODALS)
register(_NEGATION_WORDS, _NOT_NEGATION, _NUMBER_TERMS, _MODAL_TERMS)


def negation_count(text: str, reader: Reader | None = None) -> int:
    """How many negations a clause states (fixed phrases like "not limited to" aside)."""
    return (reader or Reader()).read(text).once("negations", _negations)


def _negations(reading: Reading) -> int:
    if reading.may_match(_NOT_NEGATION) and reading.matches(_NOT_NEGATION):
        return len(_NEGATION.findall(_NOT_NEGATION.sub(" ", reading.text)))
    if "n't" in reading.folded:
        return len(_NEGATION.findall(reading.text))
    return len(reading.matches(_NEGATION_WORDS)) if reading.may_match(_NEGATION_WORDS) else 0


def _undated(text: str, mark: str = " ") -> str:
    """The text with its dates replaced by a mark; only texts with four digits in a row or a
    digit before a date separator can have any (each form of _DATE has one)."""
    return _DATE.sub(mark, text) if _DATE_HINT.search(text) else text


def _undated_reading(reading: Reading) -> str:
    return _undated(reading.text)


def _tokens(reading: Reading) -> list[str]:
    """The words of a clause, lower-cased; dates are not words ("May 1, 2022" is no modal)."""
    text = reading.once("undated", _undated_reading)
    folded = text.lower()
    # Lower-casing that keeps the length changes no character's class, and only a capital
    # sigma lower-cases by its context: then the text's words lower-cased are those of its
    # lower case.
    if len(folded) == len(text) and "Σ" not in text:
        return _TOKEN.findall(folded)
    return [t.lower() for t in _TOKEN.findall(text)]


def _levels(tokens: list[str]) -> list[int]:
    """The modal strength of each token, 0 for none; "required" only as "is required (to)"."""
    levels = [_MODALS.get(t, 0) for t in tokens]
    for i, token in enumerate(tokens):
        if token in ("required", "obliged", "obligated") and (i == 0 or tokens[i - 1] not in _BE):
            levels[i] = 0
    return levels


def modality_changed(old: str, new: str, reader: Reader | None = None) -> bool:
    """Whether the modal strength of the clause changed (see the module docstring)."""
    reader = reader or Reader()
    before, after = reader.read(old), reader.read(new)
    if not before.may_match(_MODAL_TERMS) and not after.may_match(_MODAL_TERMS):
        return False  # most clauses: no modal on either side (seen in the word index)
    a, b = before.once("tokens", _tokens), after.once("tokens", _tokens)
    if _MODAL_WORDS.isdisjoint(a) and _MODAL_WORDS.isdisjoint(b):
        return False
    level_a, level_b = _levels(a), _levels(b)
    removed: set[int] = set()
    added: set[int] = set()
    dropped: Counter[int] = Counter()  # strengths of modals dropped on their own…
    put: Counter[int] = Counter()  # …and of modals inserted on their own
    for i1, i2, j1, j2 in edit_runs(a, b):
        gone = {level for level in level_a[i1:i2] if level}
        came = {level for level in level_b[j1:j2] if level}
        removed |= gone
        added |= came
        run = a[i1:i2] if gone else b[j1:j2]
        if not (gone and came) and all(t in _MODALS or t in _MODAL_COMPANIONS for t in run):
            dropped.update(level for level in level_a[i1:i2] if level)
            put.update(level for level in level_b[j1:j2] if level)
    # one dropped and one of the same strength inserted elsewhere only moved ("you may, at any
    # time, withdraw" → "at any time, you may withdraw")
    if dropped != put:
        return True
    return bool(removed and added and removed != added)


def quantities(text: str, reader: Reader | None = None) -> Counter[tuple[str, str]]:
    """The numbers of a clause with their units: "30 days" → ("30", "day") (do not mutate)."""
    return (reader or Reader()).read(text).once("quantities", _quantities)


def _quantities(reading: Reading) -> Counter[tuple[str, str]]:
    prepared = reading.text
    if not _DIGIT.search(prepared) and not (
        reading.may_match(_NUMBER_TERMS) and reading.matches(_NUMBER_TERMS)
    ):
        return Counter()
    prepared = reading.once("undated", _undated_reading)
    # Words of a section reference or an address must occur for either to (a dateless text
    # has no more words than the text).
    if not reading.plain or any(word in reading.folded for word in _REFERENCE_WORDS):
        prepared = _SECTION_REFERENCE.sub(" ", prepared)
    address = not reading.plain or any(word in reading.folded for word in _ADDRESS_WORDS)
    if address and _ADDRESS.search(prepared):
        prepared = _ADDRESS_NUMBERS.sub(" ", prepared)
    prepared = _LEADING_NUMBER.sub(" ", prepared)
    found: Counter[tuple[str, str]] = Counter()
    for match in _QUANTITY.finditer(prepared):
        number, unit = match["n"].lower(), (match["unit"] or "").lower()
        unit = _UNITS.get(unit) or _UNITS.get(unit.rstrip("s")) or _UNITS.get(unit[:-1], "")
        value = str(_NUMBER_WORDS.get(number, number.replace(",", "")))
        # "one of our partners" is no quantity; nor, without a unit, is a long number: a year,
        # a street number, a postcode, part of a phone number.
        if not unit and (number == "one" or (number.isdigit() and len(number) > 3)):
            continue
        found[(value, unit)] += 1
    return found


def _dated(text: str) -> object:
    return stated_date(text) or first_date(text)


def date_only_change(old: str, new: str) -> bool:
    """Whether two clauses differ only in a stated date, and the date really differs."""
    if old == new or not _DIGIT.search(old) or not _DIGIT.search(new):
        return False
    # Cheap first: the words that differ must all be digits or month names.
    differing = set(_WORD.findall(old.lower())) ^ set(_WORD.findall(new.lower()))
    if any(not (w.isdigit() or _MONTH_WORD.fullmatch(w)) for w in differing):
        return False
    masked_old = " ".join(_undated(prepare(old), "#").split())
    masked_new = " ".join(_undated(prepare(new), "#").split())
    if masked_old != masked_new or "#" not in masked_old:
        return False
    before, after = _dated(old), _dated(new)
    return before is not None and after is not None and before != after


def _kind_flags(old: str | None, new: str | None, reader: Reader) -> list[str]:
    flags = []
    for find, added, removed in (
        (data_kinds, "new_data", "removed_data"),
        (party_kinds, "new_party", "removed_party"),
    ):
        before = set(find(old, reader)) if old else set()
        after = set(find(new, reader)) if new else set()
        if after - before:
            flags.append(added)
        if before - after:
            flags.append(removed)
    return flags


def change_flags(old: str | None, new: str | None, reader: Reader | None = None) -> tuple[str, ...]:
    """Flags of a clause pair; ``None`` on the side where the clause does not exist.

    A reader shares the work on each clause between the calls of one comparison.
    """
    reader = reader or Reader()
    if old is not None and new is not None:
        if date_only_change(old, new):
            return ("last_updated",)
        flags = []
        if negation_count(old, reader) != negation_count(new, reader):
            flags.append("negation")
        if modality_changed(old, new, reader):
            flags.append("modality")
        if quantities(old, reader) != quantities(new, reader):
            flags.append("quantity")
        return tuple(flags + _kind_flags(old, new, reader))
    return tuple(_kind_flags(old, new, reader))
