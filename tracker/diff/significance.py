"""How much a change matters: ``high``, ``medium``, ``low`` or ``none``, by fixed rules.

Core categories are the practices a reader of a policy cares most about: collection
(``first_party_collection``), sharing (``third_party_sharing``), retention (``data_retention``),
rights and choices (``user_rights``, ``user_choice``) and ``specific_audiences`` (children,
regions, international transfers). Strong flags are ``negation``, ``modality``, ``new_data`` and
``new_party``: each can turn what a practice is.

The first rule that applies decides:

1. ``cosmetic`` → none. The words a reader reads are unchanged.
2. The only flag is ``last_updated`` → none. The page restated its date.
3. A strong flag on a clause in a core category → high (any kind: an added clause that
   introduces a kind of data into collection is as new as an edited one).
4. ``new_data`` or ``new_party`` anywhere else → medium; so is ``negation`` or ``modality`` in
   a clause with any category other than ``other`` (security, cookies, contact…).
5. A clause added or removed in a core category → medium.
6. ``quantity``, ``removed_data`` or ``removed_party`` in a core category → medium
   ("30 days" → "90 days" in retention, an age of 13 → 16 for children).
7. Anything else (a reworded or moved clause, a change in ``other`` clauses) → low.
"""

from __future__ import annotations

from collections.abc import Sequence

CORE = frozenset(
    {
        "first_party_collection",
        "third_party_sharing",
        "data_retention",
        "user_rights",
        "user_choice",
        "specific_audiences",
    }
)
STRONG_FLAGS = frozenset({"negation", "modality", "new_data", "new_party"})
_NEW_KIND_FLAGS = frozenset({"new_data", "new_party"})
_TERM_FLAGS = frozenset({"negation", "modality"})
_CORE_MEDIUM_FLAGS = frozenset({"quantity", "removed_data", "removed_party"})


def significance_of(kind: str, categories: Sequence[str], flags: Sequence[str]) -> str:
    """The significance of one change, by the rules of this module's docstring."""
    flagged = set(flags)
    core = bool(CORE.intersection(categories))
    topical = bool(set(categories) - {"other"})
    if kind == "cosmetic":
        return "none"
    if flagged == {"last_updated"}:
        return "none"
    if core and flagged & STRONG_FLAGS:
        return "high"
    if flagged & _NEW_KIND_FLAGS or (topical and flagged & _TERM_FLAGS):
        return "medium"
    if core and kind in ("added", "removed"):
        return "medium"
    if core and flagged & _CORE_MEDIUM_FLAGS:
        return "medium"
    return "low"
