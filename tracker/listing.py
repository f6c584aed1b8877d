"""The JSON shapes of `list`, `log` and `show` (DESIGN.md: outside scripts read them)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from storage.records import CaptureRecord, PolicyStats, VersionRecord


def iso(moment: datetime | None) -> str | None:
    """ISO 8601 in UTC with a ``Z``, or None."""
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ") if moment is not None else None


def policy_json(stats: PolicyStats, default_archive: str) -> dict[str, Any]:
    """One policy as `list --json` gives it."""
    policy = stats.policy
    return {
        "name": policy.name,
        "url": policy.url,
        "archive": policy.archive_url or default_archive,
        "versions": stats.versions,
        "captures": stats.captures,
        "last_change": iso(stats.last_change),
        "last_checked": iso(policy.last_checked_at),
        "last_error": policy.last_error,
    }


def version_json(version: VersionRecord, summary: dict[str, Any] | None = None) -> dict[str, Any]:
    """One version as `log --json` gives it; ``summary`` is its comparison with the one before."""
    return {
        "number": version.number,
        "first_seen": iso(version.first_seen),
        "last_seen": iso(version.last_seen),
        "captures": version.captures,
        "words": version.words,
        "sha256": version.sha256,
        "stated_date": version.stated_date.isoformat() if version.stated_date else None,
        "technical": version.technical,
        "revert_of": version.revert_of,
        "summary": summary,
    }


def capture_json(capture: CaptureRecord) -> dict[str, Any]:
    """One capture as `log --all --json` gives it."""
    return {
        "timestamp": capture.timestamp,
        "status": capture.statuscode,
        "digest": capture.digest,
        "outcome": capture.outcome,
        "reason": capture.reason,
    }
