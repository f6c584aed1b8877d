"""Kinds of personal data and kinds of recipients a clause names (for the data/party flags).

Same pattern language as :mod:`tracker.diff.patterns`. Kinds are coarse on purpose: "email
address" and "e-mail" are one kind, so rewording is not a new kind; but precise location is
its own kind apart from location, because moving from one to the other is what a reader wants
to see. A few words ("name", "email", "location", "age") only name data in a list or a short
list item ("Name;"), not in prose ("the name of the service", "we may email you").
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from tracker.diff.lexicon import Found
from tracker.diff.patterns import bounded, compile_terms, term_regex
from tracker.diff.reading import Reader, Reading
from tracker.diff.registry import Alternatives

_DATA_TERMS: dict[str, tuple[str, ...]] = {
    "name": ("(?:your|full|first|last|real|legal|display) names?", "user ?names?",
             "nom et prénom", "vor- und nachname"),
    "email address": ("e ?mail address(?:es)?", "adresse (?:e ?mail|électronique)",
                      "e ?mail adresse"),
    "phone number": ("(?:tele)?phone numbers?", "mobile (?:phone )?numbers?", "cell numbers?",
                     "numéro de téléphone", "telefonnummer", "handynummer"),
    "postal address": ("(?:postal|mailing|home|street|physical|billing|shipping) address(?:es)?",
                       "adresse postale", "postanschrift", "anschrift"),
    "contact details": ("contact (?:information|details|info|data)", "coordonnées",
                        "kontaktdaten"),
    "precise location": ("precise (?:geo ?)?location(?: data| information)?",
                         "exact (?:geo ?)?location", "gps (?:data|coordinates|location)",
                         "precise geolocation", "géolocalisation précise"),
    "location": ("geo ?location(?: data| information)?", "location (?:data|information)",
                 "(?:approximate|device|your|physical|real time) location",
                 "données de localisation", "standort(?:daten)?", "géolocalisation"),
    "IP address": ("ip address(?:es)?", "internet protocol address(?:es)?", "adresse ip",
                   "ip adresse"),
    "device identifiers": ("device (?:identifiers?|ids?)", "advertising (?:identifiers?|ids?)",
                           "idfa", "aaid", "gaid", "mac address(?:es)?", "imei",
                           "unique (?:device )?identifiers?", "werbe id"),
    "device information": ("device (?:information|data|type|model)", "operating system",
                           "browser type", "hardware and software information"),
    "cookie identifiers": ("cookie (?:ids?|identifiers?)",),
    "payment information": ("(?:payment|billing) (?:information|details|data|card)s?",
                            "credit (?:or debit )?cards?", "debit cards?",
                            "bank (?:account|card)(?: number)?s?", "financial information",
                            "card numbers?", "données (?:de paiement|bancaires)",
                            "zahlungs(?:daten|informationen)"),
    "purchase history": ("purchase history", "transaction (?:history|information|data)"),
    "biometric data": ("biometric\\w*", "face ?prints?", "facial (?:recognition|geometry|scans?)",
                       "voice ?prints?", "biométrique\\w*", "biometrische\\w*"),
    "health data": ("health", "medical", "hiv(?: status)?", "disabilit(?:y|ies)", "santé",
                    "gesundheit\\w*"),
    "browsing history": ("browsing (?:history|activity|data)", "search history",
                         "web history", "clickstream", "pages? you visit(?:ed)?",
                         "internet activity"),
    "contacts": ("address book", "contact lists?", "phone contacts", "your contacts"),
    "photos and videos": ("photos?", "photographs?", "pictures?", "videos?", "selfies?",
                          "fotos?"),
    "date of birth": ("dates? of birth", "birth ?dates?", "birthdays?", "your age",
                      "date de naissance", "geburtsdatum"),
    "gender": ("gender(?: identity)?", "genre", "geschlecht"),
    "race or ethnicity": ("race", "racial", "ethnic(?:ity|al origin)?", "origine ethnique"),
    "sexual orientation": ("sexual (?:orientation|preferences?)", "sex life",
                           "orientation sexuelle", "sexuelle orientierung"),
    "religion": ("religio(?:n|us beliefs?)", "philosophical beliefs?"),
    "political opinions": ("political (?:opinions?|views?|affiliations?)",),
    "government ID": ("social security numbers?", "ssn", "passports?",
                      "driver'?s'? licen[cs]es?", "government issued (?:id|identification)",
                      "national id(?:entity)?(?: numbers?| cards?)?",
                      "tax (?:id|identification) numbers?", "identity documents?", "id cards?",
                      "pièce d'identité", "personalausweis\\w*"),
    "messages": ("(?:private|chat|your|direct) messages", "chat (?:content|logs?|history)",
                 "content of (?:your )?(?:messages|communications)"),
    "audio recordings": ("voice recordings?", "audio recordings?"),
    "employment or education": ("employment\\w*", "job title", "work history",
                                "education(?:al)? (?:history|information)"),
    "inferences": ("inferences?",),
    "usage data": ("usage (?:data|information)", "log data", "interaction data"),
    "social media data": ("social media (?:profile|account|login)s?(?: information| data)?",),
}  # fmt: skip
# Bare words that name data only as a list item or in a list.
_BARE_DATA: dict[str, str] = {
    "name": "names?",
    "email address": "e ?mails?",
    "location": "location",
    "date of birth": "age",
    "phone number": "phone",
}
_ITEM_BEFORE = re.compile(r"(?:[,;:/(]|\b(?:and|or|as|including|your))$", re.IGNORECASE)
_ITEM_REACH = len("including")  # the longest match of _ITEM_BEFORE
_ITEM_AFTER = re.compile(r"[,;:/)]|(?:and|or)\b", re.IGNORECASE)

_PARTY_TERMS: dict[str, tuple[str, ...]] = {
    "advertisers": ("advertisers?", "advertising (?:partners?|networks?|companies|providers?)",
                    "ad (?:networks?|partners?|tech|exchanges?|servers?)",
                    "marketing (?:partners?|companies|service providers?)", "annonceurs?",
                    "régies? publicitaires?", "werbe(?:partner|treibende)\\w*"),
    "data brokers": ("data brokers?", "data resellers?", "list brokers?"),
    "analytics providers": ("analytics (?:providers?|partners?|companies|services?)",
                            "measurement (?:partners?|companies)"),
    "affiliates": ("affiliates?", "affiliated (?:companies|entities)", "subsidiar(?:y|ies)",
                   "corporate family", "(?:group|parent|sister) compan(?:y|ies)",
                   "sociétés? du groupe", "verbundene(?:n)? unternehmen", "konzern\\w*"),
    "service providers": ("service providers?", "vendors?", "contractors?", "suppliers?",
                          "(?:payment )?processors", "sous traitants?", "prestataires?",
                          "auftragsverarbeiter\\w*", "dienstleister\\w*"),
    "law enforcement": ("law enforcement(?: agencies| authorities)?",
                        "government(?:al)? (?:authorities|agencies|officials|entities|bodies)",
                        "public authorities", "regulators?", "regulatory authorities",
                        "courts?", "police", "autorités", "behörden"),
    "social networks": ("social (?:media|network(?:ing)?) (?:platforms?|networks?|sites?|"
                        "companies|providers?)", "facebook", "instagram", "twitter", "tiktok",
                        "snapchat", "réseaux sociaux", "soziale(?:n)? netzwerke"),
    "business partners": ("business partners?", "(?:trusted|commercial|strategic) partners?",
                          "partner companies", "third party partners?", "partenaires?"),
    "acquirers": ("acquirers?", "(?:potential |prospective )?(?:buyers?|purchasers?)",
                  "successors?", "merger", "acquisition", "bankruptcy"),
    "researchers": ("researchers?", "research (?:partners?|institutions?)", "academics?"),
    "the public": ("the public", "publicly (?:available|visible|accessible)", "public profile"),
    "other users": ("other (?:users|members)", "users you (?:match|chat)\\w*"),
    "third parties": ("third part(?:y|ies)", "tiers", "tierces? parties", "dritte(?:n)?"),
}  # fmt: skip


# A table: its entries' patterns, read together, and their names.
Table = tuple[Alternatives, tuple[str, ...]]


def compile_table(table: Mapping[str, Sequence[str]]) -> Table:
    """The entries of a table, each one pattern (alternatives longest first).

    Read together (:func:`match_table`) as one alternation: where entries match at the same
    place the earlier one wins, so specific entries go first.
    """
    regexes = ["|".join(sorted({term_regex(t) for t in terms}, key=len, reverse=True))
               for terms in table.values()]  # fmt: skip
    return Alternatives([bounded(r) for r in regexes]), tuple(table)


def match_table(table: Table, reading: Reading) -> Found:
    """The entries of a table found in a prepared text, with their words, in order.

    As ``finditer`` of one alternation of all entries: the leftmost match, the earliest entry
    there, then on from its end. Entries are tried only where they may match.
    """
    alternatives, names = table
    places = reading.places(alternatives)
    if places is None:
        return _search_table(table, reading.text)
    patterns = alternatives.patterns
    found: dict[str, dict[str, None]] = {}
    end = 0
    text = reading.text
    for start, entry in places:
        if start >= end and (match := patterns[entry].match(text, start)):
            words = found.setdefault(names[entry], {})
            words.setdefault(" ".join(match.group().lower().split()), None)
            end = match.end()
    return {entry: tuple(words) for entry, words in found.items()}


def _search_table(table: Table, text: str) -> Found:
    """:func:`match_table` searching each entry everywhere: for texts a Reading cannot index."""
    patterns, names = table[0].patterns, table[1]
    entries = list(range(len(patterns)))
    found: dict[str, dict[str, None]] = {}
    at = 0
    while entries:
        matches = [(m.start(), i, m) for i in entries if (m := patterns[i].search(text, at))]
        if not matches:
            break
        _, entry, match = min(matches, key=lambda m: (m[0], m[1]))
        found.setdefault(names[entry], {}).setdefault(" ".join(match.group().lower().split()), None)
        entries = [i for _, i, _ in matches]  # the others occur no further on
        at = match.end()
    return {entry: tuple(words) for entry, words in found.items()}


_DATA = compile_table(_DATA_TERMS)
_BARE_KINDS = tuple(_BARE_DATA)
_BARE_PATTERNS = Alternatives([compile_terms((term,)) for term in _BARE_DATA.values()])
_PARTIES = compile_table(_PARTY_TERMS)
_SHORT = 6  # words: "Name;", "Email address;", "Precise location" are list items


def _in_list(text: str, match: re.Match[str]) -> bool:
    """Whether a bare word stands as a list item: "name, email and phone", "(age)"."""
    # What comes before and after the word, spaces aside, read in place: copying the text
    # around every match made a clause of many bare words quadratic.
    start = match.start()
    while start and text[start - 1].isspace():
        start -= 1
    # _ITEM_BEFORE ends there and is at most _ITEM_REACH long; the characters before it still
    # count for its word boundary
    if _ITEM_BEFORE.search(text, max(0, start - _ITEM_REACH), start):
        return True
    end, size = match.end(), len(text)
    while end < size and text[end].isspace():
        end += 1
    return bool(_ITEM_AFTER.match(text, end))


def data_kinds(text: str, reader: Reader | None = None) -> Found:
    """Kinds of personal data a clause names, each with the words naming it (do not mutate)."""
    return (reader or Reader()).read(text).once("data", _data_kinds)


def _data_kinds(reading: Reading) -> Found:
    prepared = reading.text
    found = match_table(_DATA, reading)
    short: bool | None = None  # counted when first needed: most clauses have no bare word
    for entry in reading.present(_BARE_PATTERNS):
        kind, pattern = _BARE_KINDS[entry], _BARE_PATTERNS.patterns[entry]
        matches = reading.matches(pattern)
        if matches and short is None:
            short = len(prepared.split()) <= _SHORT
        words = tuple(
            dict.fromkeys(m.group().lower() for m in matches if short or _in_list(prepared, m))
        )
        if words and kind not in found:
            found[kind] = words
    # "precise location" also reads as "location"; the finer kind is the one that counts.
    if "precise location" in found:
        found.pop("location", None)
    return found


def party_kinds(text: str, reader: Reader | None = None) -> Found:
    """Kinds of recipients a clause names, each with the words naming them (do not mutate)."""
    return (reader or Reader()).read(text).once("parties", _party_kinds)


def _party_kinds(reading: Reading) -> Found:
    return match_table(_PARTIES, reading)
