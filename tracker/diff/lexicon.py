"""Phrase lexicons for the categories of a clause, after the OPP-115 annotation scheme.

Entries are in the pattern language of :mod:`tracker.diff.patterns`. Some words only mean
something next to others: "delete" or "keep" are about retention only when the clause also says
for how long. Such entries are *paired* with a second pattern that must occur in the same clause.
Headings get extra cues (:mod:`tracker.diff.classify`: "Your choices" is user_choice even though
a sentence saying "choices" is not), and a document title ("Privacy and Cookie Policy") is
ignored, otherwise every clause under it would be about cookies. Clauses are read through
:class:`tracker.diff.reading.Reading`, which tries each pattern only where it may match.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from tracker.diff.patterns import compile_terms
from tracker.diff.reading import Reader, Reading
from tracker.diff.registry import Alternatives, register

Found = dict[str, tuple[str, ...]]  # category (or kind) -> evidence, in order of appearance


@dataclass(frozen=True)
class Rule:
    """One category cue: a pattern, and another that must also occur in the clause."""

    category: str
    pattern: re.Pattern[str]
    needs: re.Pattern[str] | None = None


def rules(table: Mapping[str, Sequence[str]]) -> tuple[Rule, ...]:
    """One rule per category of a table of entries."""
    found = tuple(Rule(category, compile_terms(terms)) for category, terms in table.items())
    register(*(rule.pattern for rule in found))
    return found


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


register(*(rule.pattern for rule in TEXT_RULES))
# A companion is looked for only where its rule matched: not worth indexing its common words
# ("you", "data", "us").
register(*(rule.needs for rule in TEXT_RULES if rule.needs is not None), indexed=False)


_ALTERNATIVES: dict[int, tuple[Sequence[Rule], Alternatives]] = {}


def _alternatives(rules: Sequence[Rule]) -> Alternatives:
    """The rules' patterns read together, made once per list of rules."""
    known = _ALTERNATIVES.get(id(rules))
    if known is None or known[0] is not rules:  # an id is only unique while its object lives
        known = _ALTERNATIVES[id(rules)] = (rules, Alternatives([r.pattern for r in rules]))
    return known[1]


def match_rules(reading: Reading, rules: Sequence[Rule]) -> Found:
    """Categories whose cues occur in a prepared text, with the words that matched."""
    found: dict[str, tuple[str, ...]] = {}
    for entry in reading.present(_alternatives(rules)):
        rule = rules[entry]
        words = reading.evidence(rule.pattern)
        if not words:
            continue
        if rule.needs is not None:
            # The companion words are evidence too: "delete" alone proves nothing.
            companions = reading.evidence(rule.needs)
            if not companions:
                continue
            words += companions[:1]
        known = found.get(rule.category, ())
        found[rule.category] = known + tuple(w for w in words if w not in known)
    return found


def _categories(reading: Reading) -> Found:
    return match_rules(reading, TEXT_RULES)


def clause_categories(text: str, reader: Reader | None = None) -> Found:
    """Categories a clause's own words point to (a new dict: the caller may change it)."""
    reading = (reader or Reader()).read(text)
    return dict(reading.once("categories", _categories))
