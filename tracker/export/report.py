"""What every export format shows: a policy, its versions and each version's comparison."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from storage.db import Database
from storage.records import PolicyRecord, PolicyStats, VersionRecord, format_timestamp
from tracker.diff import Comparison
from tracker.diffing import version_comparison
from tracker.policies import policy_history


@dataclass(frozen=True)
class Entry:
    """One version with its comparison against the version before (None for the first)."""

    version: VersionRecord
    summary: dict[str, Any] | None
    comparison: Comparison | None
    capture_url: str  # the archived capture where this version was first seen

    @property
    def changes(self) -> int:
        """How many changes lead to this version (0 for the first)."""
        return len(self.comparison.changes) if self.comparison else 0

    @property
    def significance(self) -> str:
        """The comparison's significance, or ``"first"`` for the first version."""
        return self.comparison.summary.significance if self.comparison else "first"


@dataclass(frozen=True)
class Report:
    """A policy's whole history, ready for a renderer."""

    stats: PolicyStats
    archive: str  # the archive the policy's captures come from
    entries: tuple[Entry, ...]

    @property
    def policy(self) -> PolicyRecord:
        """The policy reported on."""
        return self.stats.policy


def capture_url(archive: str, timestamp: str, url: str) -> str:
    """The archive's replay address of one capture: ``{archive}/web/{timestamp}/{url}``."""
    # Spaces, quotes and angle brackets cannot occur in a checked URL; quoting makes sure.
    safe = quote(url, safe=":/?#[]@!$&'()*+,;=%~")
    return f"{archive.rstrip('/')}/web/{timestamp}/{safe}"


def collect(db: Database, name: str, default_archive: str) -> Report:
    """Read the policy, its versions and every comparison (stored ones are reused)."""
    history = policy_history(db, name)
    policy = history.stats.policy
    archive = policy.archive_url or default_archive
    entries = []
    for index, version in enumerate(history.versions):
        comparison = version_comparison(db, name, version.number) if index else None
        link = capture_url(archive, format_timestamp(version.first_seen), policy.url)
        entries.append(Entry(version, history.summaries.get(version.number), comparison, link))
    return Report(history.stats, archive, tuple(entries))


def day(entry: Entry) -> str:
    """The date a version was first seen, ``YYYY-MM-DD``."""
    return entry.version.first_seen.date().isoformat()


def stated(entry: Entry) -> str:
    """The version's stated "last updated" date, or an em dash."""
    date = entry.version.stated_date
    return date.isoformat() if date else "—"
