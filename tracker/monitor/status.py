"""What `redline status` reports: each policy's schedule and last result, and the outbox."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from storage import outbox as outbox_store
from storage import policies as policy_store
from storage.db import Database
from storage.outbox import OutboxCounts
from tracker.listing import iso
from tracker.monitor.scheduler import DAILY, OUTBOX_JOB, WEEKLY, check_job_id, scheduled_runs


@dataclass(frozen=True)
class PolicyStatus:
    """One policy's schedule and the outcome of its last check."""

    name: str
    every: int
    next_run: datetime | None
    scheduled: bool
    last_checked: datetime | None
    versions: int
    last_change: datetime | None
    last_error: str | None


@dataclass(frozen=True)
class Status:
    """Policies, digest schedule and outbox at a glance."""

    policies: list[PolicyStatus]
    digests: dict[str, datetime | None]
    outbox: OutboxCounts


def daemon_status(db: Database) -> Status:
    """Read the schedule from the job store and the rest from the database."""
    runs = scheduled_runs(db.engine)
    with db.session() as session:
        stats = policy_store.policy_stats(session)
        counts = outbox_store.outbox_counts(session)
    policies = [
        PolicyStatus(
            name=s.policy.name,
            every=s.policy.check_every,
            next_run=runs.get(check_job_id(s.policy.name)),
            scheduled=check_job_id(s.policy.name) in runs,
            last_checked=s.policy.last_checked_at,
            versions=s.versions,
            last_change=s.last_change,
            last_error=s.policy.last_error,
        )
        for s in stats
    ]
    digests = {key: runs[key] for key in (DAILY, WEEKLY, OUTBOX_JOB) if key in runs}
    return Status(policies, digests, counts)


def status_json(status: Status) -> dict[str, Any]:
    """`status --json`."""
    return {
        "policies": [
            {
                "name": p.name,
                "every": p.every,
                "scheduled": p.scheduled,
                "next_run": iso(p.next_run),
                "last_checked": iso(p.last_checked),
                "versions": p.versions,
                "last_change": iso(p.last_change),
                "last_error": p.last_error,
            }
            for p in status.policies
        ],
        "jobs": {key: iso(when) for key, when in status.digests.items()},
        "outbox": {
            "pending": status.outbox.pending,
            "sent": status.outbox.sent,
            "failed": status.outbox.failed,
            "oldest_pending": iso(status.outbox.oldest_pending),
        },
    }
