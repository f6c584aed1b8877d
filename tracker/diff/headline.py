"""The one line a person reads first about a comparison.

"Third-party sharing: now shares email address with advertisers (high); 2 clauses reworded in
Cookies". The most significant changes lead, named concretely from their flags and from the
words their inline edits inserted or deleted (at most two, in different categories); the other
changes follow as counts per section; what does not fit in :data:`LIMIT` characters is counted
as "+N more". Comparisons with nothing substantive get a fixed sentence.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from tracker.diff.flags import negation_count, quantities
from tracker.diff.kinds import data_kinds, party_kinds
from tracker.diff.model import CATEGORIES, Change, rank

LIMIT = 160
NO_CHANGES = "No changes."
ONLY_COSMETIC = "Only cosmetic changes."
ONLY_DATE = "Only the stated date changed."

LABELS = {
    "first_party_collection": "Collection",
    "third_party_sharing": "Third-party sharing",
    "cookies_tracking": "Cookies and tracking",
    "user_choice": "Choices",
    "user_rights": "Your rights",
    "data_retention": "Retention",
    "data_security": "Security",
    "policy_change": "Policy changes",
    "do_not_track": "Do Not Track",
    "specific_audiences": "Specific audiences",
    "contact": "Contact",
}
# Which category a flag is best told under, when the change has it.
_FLAG_HOME = {
    "new_party": ("third_party_sharing",),
    "removed_party": ("third_party_sharing",),
    "new_data": ("first_party_collection", "third_party_sharing"),
    "removed_data": ("first_party_collection", "third_party_sharing"),
    "quantity": ("data_retention", "specific_audiences"),
}
_VERBS = {"added": "added", "removed": "removed", "modified": "reworded", "moved": "moved"}
_MARKUP = re.compile(r"[#*_`\\\[\]]+")
_NUMBERING = re.compile(r"^(?:\d+[.)]?)+\s+|^[IVX]+\.\s+")  # "8. ", "3.1 ", "IV. "
_MODAL = re.compile(
    r"\b(?:may|might|can|could|should|would|will|shall|must|always|required)\b", re.IGNORECASE
)


def is_substantive(change: Change) -> bool:
    """Whether a change alters what the policy says: not cosmetic, not only its stated date.

    The engine reports a date-only change as ``cosmetic`` with the ``last_updated`` flag; a
    ``modified`` change whose only flag is ``last_updated`` is read the same way.
    """
    return change.kind != "cosmetic" and set(change.flags) != {"last_updated"}


def section_name(section: Sequence[str]) -> str:
    """The innermost heading, without Markdown and shouting, short enough for a headline."""
    if not section:
        return "the introduction"
    name = _NUMBERING.sub("", " ".join(_MARKUP.sub(" ", section[-1]).split())).strip(" :.-")
    if name.isupper():
        name = name.capitalize()
    return name if len(name) <= 32 else name[:31].rstrip() + "…"


def _sides(change: Change) -> tuple[str, str, str, str]:
    """Old text, new text, deleted words and inserted words, as the inline ops tell them."""
    old = "".join(t for op, t in change.inline if op != "insert")
    new = "".join(t for op, t in change.inline if op != "delete")
    deleted = " … ".join(t for op, t in change.inline if op == "delete")
    inserted = " … ".join(t for op, t in change.inline if op == "insert")
    if not change.inline:  # no inline ops: the evidence is all there is to go on
        words = " , ".join(w for ws in change.evidence.values() for w in ws)
        old, new = ("", words) if change.kind != "removed" else (words, "")
        deleted, inserted = old, new
    return old, new, deleted, inserted


def _names(found: dict[str, tuple[str, ...]], limit: int = 2) -> str:
    """The words as the policy put them, or the kind's own spelling when it is the same word."""
    words = [kind if kind.lower() == ws[0] else ws[0] for kind, ws in found.items()][:limit]
    return " and ".join(words)


def _quantity_phrase(old: str, new: str) -> str:
    def show(items: list[tuple[str, str]]) -> str:
        value, unit = items[0] if items else ("?", "")
        plural = "s" if unit not in ("", "%") and value != "1" else ""
        return f"{value}{'' if unit in ('', '%') else ' '}{unit}{plural}"

    before, after = quantities(old), quantities(new)
    gone, came = list((before - after).elements()), list((after - before).elements())
    if gone and came:
        return f"{show(gone)} → {show(came)}"
    return f"adds {show(came)}" if came else f"drops {show(gone)}" if gone else "changes a number"


def _flag_phrase(change: Change, category: str) -> str | None:
    """The most telling flag of a change, said concretely; None when it has none."""
    old, new, deleted, inserted = _sides(change)
    flags = set(change.flags)
    if "new_party" in flags:
        parties = _names(party_kinds(inserted) or party_kinds(new))
        data = _names(data_kinds(inserted), 1)
        if category == "third_party_sharing":
            return f"now shares {data + ' ' if data else ''}with {parties or 'new recipients'}"
        return f"now names {parties or 'new recipients'}"
    if "new_data" in flags:
        data = _names(data_kinds(inserted) or data_kinds(new)) or "new kinds of data"
        verb = {"first_party_collection": "collects", "third_party_sharing": "shares"}
        return f"now {verb.get(category, 'mentions')} {data}"
    if "negation" in flags:
        added = negation_count(new) > negation_count(old)
        return "adds a negation" if added else "drops a negation"
    if "modality" in flags:
        was, now = _MODAL.findall(deleted), _MODAL.findall(inserted)
        if was and now:
            return f'"{was[0].lower()}" → "{now[0].lower()}"'
        return f'adds "{now[0].lower()}"' if now else f'drops "{was[0].lower() if was else "may"}"'
    if "quantity" in flags:
        return _quantity_phrase(old, new)
    if flags & {"removed_party", "removed_data"}:
        gone = party_kinds(deleted) if "removed_party" in flags else data_kinds(deleted)
        return f"no longer names {_names(gone) or 'some recipients or data'}"
    return None


def home_category(change: Change) -> str:
    """The category a change is told under: where its main flag matters, else the first."""
    for flag in change.flags:
        for category in _FLAG_HOME.get(flag, ()):
            if category in change.categories:
                return category
    present = [c for c in CATEGORIES if c in change.categories and c != "other"]
    return present[0] if present else "other"


def describe(change: Change) -> str:
    """One change as a headline part: "Retention: 30 days → 90 days (medium)"."""
    category = home_category(change)
    label = LABELS.get(category) or section_name(change.section)
    label = label[:1].upper() + label[1:]  # "The introduction"
    phrase = _flag_phrase(change, category)
    if phrase is None:
        phrase = f"clause {_VERBS.get(change.kind, 'changed')}"
        if category != "other":
            phrase += f" in {section_name(change.section)}"
    return f"{label}: {phrase} ({change.significance})"


def _leads(changes: list[Change]) -> list[Change]:
    """The one or two changes named concretely: most significant first, then flagged."""
    order = sorted(
        range(len(changes)),
        key=lambda i: (-rank(changes[i].significance), not changes[i].flags, i),
    )
    leads = [changes[order[0]]]
    for i in order[1:]:
        candidate = changes[i]
        notable = rank(candidate.significance) >= rank("medium") and candidate.flags
        if notable and home_category(candidate) != home_category(leads[0]):
            leads.append(candidate)
            break
    return leads


def _tail(changes: list[Change]) -> list[str]:
    """The remaining changes as counts per section, most significant sections first."""
    groups: dict[str, list[Change]] = {}
    names: dict[tuple[str, ...], str] = {}  # many changes share a section
    for change in changes:
        if change.section not in names:
            names[change.section] = section_name(change.section)
        groups.setdefault(names[change.section], []).append(change)
    ordered = sorted(
        groups.items(), key=lambda kv: (-max(rank(c.significance) for c in kv[1]), -len(kv[1]))
    )
    parts = []
    for name, members in ordered:
        kinds = {c.kind for c in members}
        verb = _VERBS.get(kinds.pop(), "changed") if len(kinds) == 1 else "changed"
        noun = "clause" if len(members) == 1 else "clauses"
        parts.append(f"{len(members)} {noun} {verb} in {name}")
    return parts


def _fit(parts: list[str], tail: list[str]) -> str:
    """Leads, then as many tail parts as fit, then "+N more" for the changes left out."""
    line = "; ".join(parts)
    for done, part in enumerate(tail):
        reserve = 0 if done == len(tail) - 1 else len("; +999 more")
        if len(line) + 2 + len(part) + reserve > LIMIT:
            line += f"; +{sum(int(p.split()[0]) for p in tail[done:])} more"
            break
        line += "; " + part
    return line if len(line) <= LIMIT else line[: LIMIT - 1].rstrip() + "…"


def headline(changes: Sequence[Change]) -> str:
    """The headline of a comparison's changes (see the module docstring)."""
    if not changes:
        return NO_CHANGES
    substantive = [c for c in changes if is_substantive(c)]
    if not substantive:
        dated = any("last_updated" in c.flags for c in changes)
        return ONLY_DATE if dated else ONLY_COSMETIC
    leads = _leads(substantive)
    rest = [c for c in substantive if not any(c is lead for lead in leads)]
    return _fit([describe(c) for c in leads], _tail(rest))
