"""The diff engine's records: what :func:`tracker.diff.compare` returns.

``Comparison.to_dict()`` is the ``redline.diff/1`` JSON document of DESIGN.md, which other
parts of Redline and outside scripts rely on exactly.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

SCHEMA = "redline.diff/1"
ENGINE_VERSION = "0.3.1"

KINDS = ("added", "removed", "modified", "moved", "cosmetic")
SIGNIFICANCE = ("none", "low", "medium", "high")  # in rising order
CATEGORIES = (
    "first_party_collection",
    "third_party_sharing",
    "cookies_tracking",
    "user_choice",
    "user_rights",
    "data_retention",
    "data_security",
    "policy_change",
    "do_not_track",
    "specific_audiences",
    "contact",
    "other",
)
FLAGS = (
    "negation",
    "modality",
    "quantity",
    "new_data",
    "removed_data",
    "new_party",
    "removed_party",
    "last_updated",
)
# One inline operation: ("equal" | "insert" | "delete", text).
InlineOp = tuple[str, str]


def rank(significance: str) -> int:
    """Order of a significance level: none < low < medium < high."""
    return SIGNIFICANCE.index(significance)


@dataclass(frozen=True)
class Span:
    """A half-open range of code-point offsets into one of the two texts."""

    start: int
    end: int

    def to_dict(self) -> dict[str, int]:
        """The span as JSON."""
        return {"start": self.start, "end": self.end}


@dataclass(frozen=True)
class Change:
    """One difference between two versions, covering whole clauses."""

    kind: str
    old: Span | None
    new: Span | None
    section: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    evidence: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    flags: tuple[str, ...] = ()
    significance: str = "none"
    inline: tuple[InlineOp, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The change as JSON (DESIGN.md, "Diff JSON")."""
        return {
            "kind": self.kind,
            "old": self.old.to_dict() if self.old else None,
            "new": self.new.to_dict() if self.new else None,
            "section": list(self.section),
            "categories": list(self.categories),
            "evidence": {k: list(v) for k, v in self.evidence.items()},
            "flags": list(self.flags),
            "significance": self.significance,
            "inline": [[op, text] for op, text in self.inline],
        }


@dataclass(frozen=True)
class TextInfo:
    """What the document says of each of the two texts."""

    chars: int
    sha256: str
    last_updated: str | None  # the stated date, ISO 8601, when the text states one

    def to_dict(self) -> dict[str, Any]:
        """The text's facts as JSON."""
        return {"chars": self.chars, "sha256": self.sha256, "last_updated": self.last_updated}


@dataclass(frozen=True)
class Summary:
    """Counts by kind and category, the highest significance, and a headline."""

    added: int = 0
    removed: int = 0
    modified: int = 0
    moved: int = 0
    cosmetic: int = 0
    categories: Mapping[str, int] = field(default_factory=dict)
    significance: str = "none"
    silent_change: bool = False
    headline: str = "No changes."

    def to_dict(self) -> dict[str, Any]:
        """The summary as JSON."""
        return {
            "added": self.added,
            "removed": self.removed,
            "modified": self.modified,
            "moved": self.moved,
            "cosmetic": self.cosmetic,
            "categories": dict(self.categories),
            "significance": self.significance,
            "silent_change": self.silent_change,
            "headline": self.headline,
        }


@dataclass(frozen=True)
class Comparison:
    """All changes between two texts, with a summary; keeps both texts for rendering."""

    old: TextInfo
    new: TextInfo
    summary: Summary
    changes: tuple[Change, ...]
    old_text: str = field(repr=False, default="")
    new_text: str = field(repr=False, default="")

    def to_dict(self) -> dict[str, Any]:
        """The ``redline.diff/1`` JSON document."""
        return {
            "schema": SCHEMA,
            "engine": ENGINE_VERSION,
            "old": self.old.to_dict(),
            "new": self.new.to_dict(),
            "summary": self.summary.to_dict(),
            "changes": [change.to_dict() for change in self.changes],
        }


def _span(data: Mapping[str, int] | None) -> Span | None:
    return Span(data["start"], data["end"]) if data else None


def comparison_from_dict(document: Mapping[str, Any], old_text: str, new_text: str) -> Comparison:
    """A Comparison from its stored JSON document and the two texts it was made from."""
    summary = dict(document["summary"])
    changes = tuple(
        Change(
            kind=c["kind"],
            old=_span(c["old"]),
            new=_span(c["new"]),
            section=tuple(c["section"]),
            categories=tuple(c["categories"]),
            evidence={k: tuple(v) for k, v in c["evidence"].items()},
            flags=tuple(c["flags"]),
            significance=c["significance"],
            inline=tuple((op, text) for op, text in c["inline"]),
        )
        for c in document["changes"]
    )
    return Comparison(
        old=TextInfo(**document["old"]),
        new=TextInfo(**document["new"]),
        summary=Summary(**summary),
        changes=changes,
        old_text=old_text,
        new_text=new_text,
    )
