"""What a digest shows of each stored comparison, worked out once for both parts."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from storage.outbox import ChangeEntry
from tracker.diff.model import SIGNIFICANCE, Comparison, comparison_from_dict, rank


@dataclass(frozen=True)
class ChangeView:
    """One comparison with the links to both versions' first captures."""

    entry: ChangeEntry
    cmp: Comparison
    old_link: str | None
    new_link: str | None

    @property
    def significance(self) -> str:
        """The comparison's overall significance."""
        return self.cmp.summary.significance


@dataclass(frozen=True)
class PolicyView:
    """A policy's changes in a digest, rated by the most significant of them."""

    name: str
    url: str
    significance: str
    changes: tuple[ChangeView, ...]


def capture_link(archive: str, timestamp: str | None, original: str | None) -> str | None:
    """The archive's replay address of a capture (None when the version has no capture)."""
    if not timestamp or not original:
        return None
    return f"{archive.rstrip('/')}/web/{timestamp}/{original}"


def change_view(entry: ChangeEntry, default_archive: str) -> ChangeView:
    """A stored comparison rebuilt over its two texts, with its capture links."""
    cmp = comparison_from_dict(entry.document, entry.old_text, entry.new_text)
    archive = entry.archive_url or default_archive
    old = entry.old
    return ChangeView(
        entry=entry,
        cmp=cmp,
        old_link=capture_link(archive, old.timestamp, old.original) if old else None,
        new_link=capture_link(archive, entry.new.timestamp, entry.new.original),
    )


def policy_views(entries: Iterable[ChangeEntry], default_archive: str) -> list[PolicyView]:
    """Entries grouped by policy; most significant policies first, then by name."""
    by_policy: dict[str, list[ChangeView]] = {}
    for entry in entries:
        by_policy.setdefault(entry.policy, []).append(change_view(entry, default_archive))
    views = []
    for name, changes in by_policy.items():
        changes.sort(key=lambda c: c.entry.new.number)
        level = max((c.significance for c in changes), key=rank, default=SIGNIFICANCE[0])
        views.append(PolicyView(name, changes[0].entry.url, level, tuple(changes)))
    views.sort(key=lambda v: (-rank(v.significance), v.name))
    return views
