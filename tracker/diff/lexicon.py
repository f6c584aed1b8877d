"""Phrase lexicons for the categories of a clause, after the OPP-115 annotation scheme.

A lexicon entry is a small pattern language, compiled once into a word-bounded regex:

- words are matched case-insensitively and only as whole words ("share" never hits "shareholder");
- a space matches any run of spaces or hyphens ("opt out" = "opt-out" = "opt  out");
- `` ?`` is an optional space or hyphen ("e ?mail" = email, e-mail, e mail);
- ``~`` after a word adds its inflections ("collect~" = collect, collects, collected, collecting);
- anything else is plain ``re`` syntax ("third part(?:y|ies)").

Some words only mean something next to others: "delete" or "keep" are about retention only when
the clause also says for how long. Such entries are *paired* with a second pattern that must occur
in the same clause. Headings get extra cues ("Your choices" is user_choice even though a sentence
saying "choices" is not), and a document title ("Privacy and Cookie Policy") is ignored, otherwise
every clause under it would be about cookies.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

Found = dict[str, tuple[str, ...]]  # category (or kind) -> evidence, in order of appearance


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


def compile_terms(terms: Iterable[str]) -> re.Pattern[str]:
    """One word-bounded, case-insensitive alternation of the entries, longest first."""
    alternatives = sorted({term_regex(t) for t in terms}, key=len, reverse=True)
    return re.compile(rf"(?<!\w)(?:{'|'.join(alternatives)})(?!\w)", re.IGNORECASE)


# Phrases that contain a lexicon word with another meaning; blanked before matching.
_NOISE = compile_terms(
    (
        "market share~", "share price~", "fair share", "lion's share", "social security",
        "national security", "public security", "security deposit~", "minor change~",
        "minor update~", "minor edit~", "fortune cookie~", "appropriate safeguards",
    )
)  # fmt: skip
_TYPOGRAPHY = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "_": " ", "*": " "})


@lru_cache(maxsize=4096)  # each clause is read by several lexicons
def prepare(text: str) -> str:
    """The text as the lexicons read it: NFC, plain quotes, no emphasis or escapes, no noise.

    Markdown emphasis is blanked because ``_`` is a word character and would hide
    ``_cookies_`` from a word-bounded pattern; escapes go ("1\\." is "1.").
    """
    text = unicodedata.normalize("NFC", text).translate(_TYPOGRAPHY).replace("\\", "")
    return _NOISE.sub(lambda m: " " * len(m.group()), text)


def top_level(regex: str) -> list[str]:
    """The alternatives of a regex, split at its top-level ``|``."""
    parts, depth, start, at, in_class = [], 0, 0, 0, False
    while at < len(regex):
        char = regex[at]
        if char == "\\":
            at += 1
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char in "()":
            depth += 1 if char == "(" else -1
        elif char == "|" and depth == 0:
            parts.append(regex[start:at])
            start = at + 1
        at += 1
    return [*parts, regex[start:]]


def first_words(regex: str) -> tuple[str, ...]:
    """What each alternative's match starts with for sure: its leading letters, lower-cased.

    A leading group gives its own alternatives' words. Letters a quantifier makes optional are
    not sure ("sdks?" gives "sdk"); an alternative starting otherwise gives "" (any text).
    """
    heads: set[str] = set()
    for alternative in top_level(regex):
        if alternative.startswith("(?:"):
            close = _closing(alternative)
            if alternative[close + 1 : close + 2] not in ("?", "*", "{"):
                heads.update(first_words(alternative[3:close]))
                continue
        size = 0
        while size < len(alternative) and alternative[size].isalnum():
            size += 1
        if alternative[size : size + 1] in ("?", "*", "{"):
            size -= 1
        heads.add(alternative[: max(size, 0)].lower())
    return tuple(sorted(heads))


def _closing(regex: str) -> int:
    """Where the group opening the regex closes."""
    depth, at, in_class = 0, 0, False
    while at < len(regex):
        char = regex[at]
        if char == "\\":
            at += 1
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return at
        at += 1
    return len(regex)


_WORDS = re.compile(r"\w+")
# Registered patterns ("owners") by the first letters of the words their matches start with.
_BY_HEAD: dict[str, list[tuple[str, int]]] = {}
_ANYWHERE: set[int] = set()
_OWNERS: list[tuple[str, ...]] = []


def register(firsts: tuple[str, ...]) -> int:
    """An owner number for a pattern whose matches start with one of ``firsts``."""
    owner = len(_OWNERS)
    _OWNERS.append(firsts)
    for first in firsts:
        if first:
            _BY_HEAD.setdefault(first[:3], []).append((first, owner))
        else:
            _ANYWHERE.add(owner)
    return owner


def possible(text: str) -> frozenset[int] | None:
    """The owners that may match in the text: one of their first words starts a word of it.

    None (all may) when lower-casing would move positions ("İ") or ``re.IGNORECASE`` reads a
    letter as another ("ı" as "i", "ſ" as "s").
    """
    return _possible(text, len(_OWNERS))


@lru_cache(maxsize=8192)
def _possible(text: str, registered: int) -> frozenset[int] | None:
    folded = text.lower()
    if len(folded) != len(text) or "ı" in folded or "ſ" in folded:
        return None
    owners = set(_ANYWHERE)
    for word in set(_WORDS.findall(folded)):
        for head in {word[:1], word[:2], word[:3]}:
            for first, owner in _BY_HEAD.get(head, ()):
                if word.startswith(first):
                    owners.add(owner)
    return frozenset(owners)


_OWNER_OF: dict[re.Pattern[str], int] = {}


def _owner(pattern: re.Pattern[str]) -> int:
    """The owner number of a :func:`compile_terms` pattern (any other may match anything)."""
    if pattern not in _OWNER_OF:
        regex = pattern.pattern
        opening, closing = r"(?<!\w)(?:", r")(?!\w)"
        if regex.startswith(opening) and regex.endswith(closing):
            firsts = first_words(regex[len(opening) : -len(closing)])
        else:
            firsts = ("",)
        _OWNER_OF[pattern] = register(firsts)
    return _OWNER_OF[pattern]


def evidence(pattern: re.Pattern[str], text: str) -> tuple[str, ...]:
    """Distinct matches of the pattern in a prepared text, lower-cased, in order."""
    owner = _owner(pattern)  # first: registering changes what possible() knows
    owners = possible(text)
    if owners is not None and owner not in owners:
        return ()
    seen: dict[str, None] = {}
    for match in pattern.finditer(text):
        seen.setdefault(" ".join(match.group().lower().split()), None)
    return tuple(seen)


@dataclass(frozen=True)
class Rule:
    """One category cue: a pattern, and another that must also occur in the clause."""

    category: str
    pattern: re.Pattern[str]
    needs: re.Pattern[str] | None = None


def rules(table: Mapping[str, Sequence[str]]) -> tuple[Rule, ...]:
    return tuple(Rule(category, compile_terms(terms)) for category, terms in table.items())


_NUMBER_WORDS = "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|sixteen"
_DURATION = compile_terms(
    (
        rf"(?:\d+|{_NUMBER_WORDS}) (?:hour|day|week|month|year)s?", "period~", "after",
        "within", "until", "as long as", "no longer (?:need|necess|requir)\\w*", "once",
        "when you (?:close|delete|deactivate)\\w*", "retention", "durée", "frist\\w*",
        "jours|mois|ans|tage|monate|jahre",
    )
)  # fmt: skip
_TRANSFER_ABROAD = compile_terms(
    (
        "outside", "abroad", "countr(?:y|ies)", "international\\w*", "overseas", "cross border",
        "united states", "u\\.s\\.", "eea", "european", "pays tiers", "drittl(?:a|ä)nd\\w*",
    )
)  # fmt: skip
_RECIPIENTS = compile_terms(
    (
        "third part(?:y|ies)", "partner~", "other compan(?:y|ies)", "provider~", "recipient~",
        "affiliate~", "advertiser~", "vendor~", "tiers", "dritte\\w*",
    )
)  # fmt: skip
_DATA_WORDS = compile_terms(("data", "information", "details", "you", "données", "daten"))

_TEXT_TERMS: dict[str, tuple[str, ...]] = {
    "first_party_collection": (
        "collect~", "collection", "gather~", "obtain~", "we (?:may )?receive", "you provide",
        "you give us", "provided by you", "you (?:submit|upload|enter)", "process~ (?:your )?"
        "(?:personal )?(?:data|information)", "processing", "we use (?:your|the|this|such|that|"
        "personal|information|data)", "use of (?:your )?(?:personal )?(?:data|information)",
        "collect(?:e|es|ons|ée|ées|é|és|er)", "traitement\\w*", "erhebe\\w*|erhoben|erhebung",
        "verarbeit\\w*",
    ),
    "third_party_sharing": (
        "share~", "disclose~", "disclosure~", "third part(?:y|ies)", "rent~ (?:or sell|it|your)",
        "(?:business|advertising|marketing|ad|trusted|third party|our|commercial) partners?",
        "advertiser~", "affiliate~", "service provider~", "vendor~", "data broker~",
        "make~ (?:it |them )?available to", "partag\\w*", "communiqu(?:er|ons|ées?|és?)",
        "transm(?:ettre|ettons|ises?)", "weitergabe|weitergeben|weitergegeben",
        "übermitt\\w*", "offenleg\\w*", "dritten?",
    ),
    "cookies_tracking": (
        "cookie~", "web beacon~", "beacon~", "pixel~", "pixel tag~", "tracking", "tracker~",
        "track~ (?:your|you|users|activity)", "tracking technolog(?:y|ies)", "local storage",
        "sdks?", "fingerprinting", "analytics", "clear gifs?", "log files?",
        "similar technolog(?:y|ies)", "traceurs?", "témoins? de connexion",
    ),
    "user_choice": (
        "opt(?:s|ed|ing)? (?:out|in)", "consent~", "unsubscribe~", "your choices?",
        "choose~ (?:not )?to", "you (?:can|may) (?:choose|decide|elect)", "preferences",
        "(?:privacy|browser|device|account|app) settings", "disable~", "turn~ off",
        "do not sell", "limit (?:the )?use", "consentement", "einwilligung\\w*", "widerruf\\w*",
    ),
    "user_rights": (
        "right~ to", "your rights", "data subject~", "access~ (?:to )?your", "rectif\\w*",
        "correct~ (?:your|inaccurate)", "erasure", "portability", "delete~ your (?:account|"
        "personal|data|information|profile)", "request~ (?:access|deletion|a copy|that we)",
        "copy of your", "update~ your (?:information|profile|personal)", "lodge a complaint",
        "supervisory authorit(?:y|ies)", "droits? d'accès", "droit (?:de|à|d')", "effacement",
        "portabilité", "auskunft\\w*", "berichtigung", "recht auf", "betroffenenrechte",
    ),
    "data_retention": (
        "retain~", "retention", "for as long as", "as long as (?:necessary|needed|required|"
        "your account)", "storage period~", "conserv(?:er|ons|ées?|és?|ation)",
        "aufbewahr\\w*", "speicherdauer",
    ),
    "data_security": (
        "security", "secure~", "securely", "safeguard~", "encrypt~", "encryption",
        "protect~ (?:your )?(?:personal )?(?:data|information)", "unauthori[sz]ed access",
        "breach~", "firewalls?", "ssl", "tls", "technical and organi[sz]ational measures",
        "sécurité", "chiffr\\w*", "sicherheit\\w*", "verschlüssel\\w*",
    ),
    "policy_change": (
        "(?:updat|modif|amend|revis|chang)\\w* (?:to )?(?:this|our|the) (?:privacy |cookie )?"
        "(?:policy|notice|statement)", "changes? to (?:this|our|the) (?:privacy )?(?:policy|"
        "notice|statement)", "last updated", "effective date", "material changes?",
        "notify you of (?:any )?(?:material )?changes", "modifications? (?:de|à) (?:la|cette)"
        " (?:présente )?politique", "änderung\\w* (?:dieser|der) datenschutz\\w*",
    ),
    "do_not_track": ("do not track", "dnt", "global privacy control", "gpc"),
    "specific_audiences": (
        "child(?:ren)?", "children's", "minors", "under (?:the age of )?(?:1[2-9]|2[01]|thirteen|"
        "sixteen|eighteen)", "age of (?:\\d+|thirteen|sixteen|eighteen)", "parent~ or guardian~",
        "coppa", "teen(?:s|agers?)?", "california", "ccpa", "cpra", "nevada", "virginia",
        "colorado", "eea", "european economic area", "european union", "gdpr", "uk gdpr",
        "united kingdom", "switzerland", "swiss", "brazil", "lgpd", "canada", "pipeda",
        "residents? of", "international transfer~", "standard contractual clauses",
        "adequacy decision~", "privacy shield", "cross border", "enfants?", "mineurs?",
        "union européenne", "kinder(?:n)?", "minderjährig\\w*", "drittl(?:a|ä)nd\\w*",
    ),
    "contact": (
        "contact~ us", "reach us", "email us", "write to us", "please contact",
        "questions? (?:about|regarding|concerning)", "data protection officer", "dpo",
        "privacy officer", "get in touch", "nous contacter", "contactez nous",
        "délégué à la protection des données", "datenschutzbeauftragte\\w*", "kontaktieren",
    ),
}  # fmt: skip
# (category, terms, what else the clause must say)
_PAIRED: tuple[tuple[str, tuple[str, ...], re.Pattern[str]], ...] = (
    ("data_retention", ("keep~", "store~", "delete~", "erase~", "destroy~", "purge~",
                        "anonymi[sz]e~", "löschen|gelöscht|löschung", "supprim\\w*",
                        "speicher\\w*"), _DURATION),
    ("specific_audiences", ("transfer~", "store~", "processed", "located", "servers?"),
     _TRANSFER_ABROAD),
    ("third_party_sharing", ("transfer~", "provide~ (?:(?:it|them|this) )?to"), _RECIPIENTS),
    ("third_party_sharing", ("sell~", "sale~", "sold", "vend\\w*", "verkauf\\w*"), _DATA_WORDS),
)  # fmt: skip
TEXT_RULES: tuple[Rule, ...] = rules(_TEXT_TERMS) + tuple(
    Rule(category, compile_terms(terms), needs) for category, terms, needs in _PAIRED
)


def match_rules(text: str, rules: Sequence[Rule]) -> Found:
    """Categories whose cues occur in a prepared text, with the words that matched."""
    found: dict[str, tuple[str, ...]] = {}
    for rule in rules:
        words = evidence(rule.pattern, text)
        if not words:
            continue
        if rule.needs is not None:
            # The companion words are evidence too: "delete" alone proves nothing.
            companions = evidence(rule.needs, text)
            if not companions:
                continue
            words += companions[:1]
        known = found.get(rule.category, ())
        found[rule.category] = known + tuple(w for w in words if w not in known)
    return found


def clause_categories(text: str) -> Found:
    """Categories a clause's own words point to."""
    return match_rules(prepare(text), TEXT_RULES)
