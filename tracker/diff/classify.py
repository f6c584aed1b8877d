"""Why a change may matter: categories with evidence, flags, significance and the summary.

The engine calls the five functions here; the substance lives in :mod:`.lexicon` and
:mod:`.kinds` (what a clause is about), :mod:`.flags` (what kind of meaning a change carries),
:mod:`.significance` (the rules) and :mod:`.headline` (the line a person reads first).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from tracker.diff.flags import change_flags, date_only_change
from tracker.diff.headline import headline, is_substantive
from tracker.diff.lexicon import TEXT_RULES, Found, Rule, clause_categories, match_rules, rules
from tracker.diff.model import CATEGORIES, Change, Summary, TextInfo, rank
from tracker.diff.patterns import compile_terms
from tracker.diff.reading import Reader, prepare
from tracker.diff.significance import significance_of

__all__ = ["categorize", "change_flags", "date_only_change", "significance_of", "summarize"]

# Heading-only cues: what a section is about, said in the words headings use.
_HEADING_TERMS: dict[str, tuple[str, ...]] = {
    "first_party_collection": (
        "(?:information|data) (?:we|you)", "what (?:information|data|personal)", "how we use",
        "use of (?:your )?(?:personal )?(?:information|data)", "purposes?", "lawful basis",
        "legal basis", "données (?:collectées|personnelles)", "welche daten",
    ),
    "third_party_sharing": ("disclosures?", "recipients?", "who (?:we|do we) share",
                            "who sees", "with whom", "destinataires", "empfänger"),
    "cookies_tracking": ("advertising", "analytics"),
    "user_choice": ("choices?", "your options", "preferences", "controls?", "choix"),
    "user_rights": ("rights?", "access", "droits?", "rechte"),
    "data_retention": ("how long", "storage", "durée", "speicher\\w*"),
    "data_security": ("(?:how we )?protect(?:ing)? your", "sécurité", "datensicherheit"),
    # Plural nouns only: "How to update your information" is about rights, not this policy.
    "policy_change": ("changes", "updates", "amendments", "revisions", "modifications",
                      "änderungen"),
    "specific_audiences": ("age", "international", "regions?", "residents?",
                           "transfers? (?:of|to|outside)"),
    "contact": ("contact\\w*", "questions?", "how to reach", "nous joindre"),
}  # fmt: skip
# "Privacy and Cookie Policy", "Politique de confidentialité": a title, not a topic.
_TITLE = compile_terms(
    (
        "(?:privacy|cookies?|data protection)(?: and (?:privacy|cookies?))? (?:policy|notice|"
        "statement|center|centre)", "politique de (?:confidentialité|cookies)",
        "datenschutz(?:erklärung|hinweise|richtlinie)",
        # A date line set as a heading ("Last updated: May 1, 2022") says nothing of the
        # clauses below it.
        "(?:last (?:updated|revised|modified)|effective(?: date)?)(?: on| as of)?",
    )
)  # fmt: skip

HEADING_RULES: tuple[Rule, ...] = TEXT_RULES + rules(_HEADING_TERMS)


def heading_categories(section: Sequence[str], reader: Reader | None = None) -> Found:
    """Categories of the innermost heading that says what its section is about.

    Made once per reader and shared by every clause of the section: do not mutate it.
    """
    reader = reader or Reader()
    key = ("heading", tuple(section))
    return reader.once(key, lambda: _heading_categories(section, reader))


def _heading_categories(section: Sequence[str], reader: Reader) -> Found:
    for heading in reversed(section):
        title = reader.read_prepared(_TITLE.sub(" ", prepare(heading)))
        found = match_rules(title, HEADING_RULES)
        if found:
            return found
    return {}


def categorize(
    text: str, section: Sequence[str], reader: Reader | None = None
) -> dict[str, tuple[str, ...]]:
    """The categories a clause touches, each with the words that led to it.

    Cues come from the clause's own words and from the innermost heading above it that says
    what its section is about ("How we share information" makes a clause about "them"
    third-party sharing). ``{"other": ()}`` when nothing matches. A reader shares the work
    on each clause and heading between the calls of one comparison.
    """
    reader = reader or Reader()
    found = clause_categories(text, reader)
    for category, words in heading_categories(section, reader).items():
        known = found.get(category, ())
        found[category] = known + tuple(w for w in words if w not in known)
    ordered = {c: found[c] for c in CATEGORIES if c in found}
    return ordered or {"other": ()}


def silent_change(changes: Sequence[Change], old: TextInfo, new: TextInfo) -> bool:
    """Substantive changes while the stated "last updated" date stayed the same.

    Substantive: neither cosmetic nor only a restated date (:func:`.headline.is_substantive`).
    Only when both texts state a date and it is the same one: with no date on either side we
    cannot know whether the policy owned up to the change, so it is not called silent; nor
    when the date appeared or disappeared (that is itself a visible change of the date).
    """
    substantive = any(is_substantive(change) for change in changes)
    stated = old.last_updated is not None and new.last_updated is not None
    return substantive and stated and old.last_updated == new.last_updated


def summarize(changes: Sequence[Change], old: TextInfo, new: TextInfo) -> Summary:
    """Counts by kind and category, the highest significance, silent change and headline.

    Categories are counted over the non-cosmetic changes only: a reformatted cookie clause
    says nothing new about cookies.
    """
    kinds = Counter(change.kind for change in changes)
    categories = Counter(
        category
        for change in changes
        if change.kind != "cosmetic"
        for category in change.categories
    )
    top = max((change.significance for change in changes), key=rank, default="none")
    return Summary(
        added=kinds["added"],
        removed=kinds["removed"],
        modified=kinds["modified"],
        moved=kinds["moved"],
        cosmetic=kinds["cosmetic"],
        categories={c: categories[c] for c in CATEGORIES if c in categories},
        significance=top,
        silent_change=silent_change(changes, old, new),
        headline=headline(changes),
    )
