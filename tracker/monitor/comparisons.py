"""Comparing each new version with its predecessor and storing the result.

Runs inside the caller's transaction, so a version and its comparison (and, later, the
notifications it queues) are written together or not at all.
"""

from __future__ import annotations

import itertools
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from storage import changes as change_store
from storage import versions as version_store
from storage.notifications import queue_notifications
from storage.records import VersionRecord
from tracker.diff import ENGINE_VERSION, Comparison, compare

# Comparison documents by the SHA-256 of the old and the new version's exact text.
Ahead = dict[tuple[str, str], dict[str, Any]]


def _compare_versions(session: Session, old: VersionRecord, new: VersionRecord) -> Comparison:
    """The comparison of two stored versions' texts."""
    return compare(
        version_store.version_text(session, old.id), version_store.version_text(session, new.id)
    )


def _store(
    session: Session,
    policy_id: int,
    old: VersionRecord,
    new: VersionRecord,
    document: dict[str, Any],
    now: datetime,
) -> int:
    """Store (or replace) the comparison of ``old`` and ``new``; its row id."""
    return change_store.store_change(
        session,
        policy_id=policy_id,
        old_version_id=old.id,
        new_version_id=new.id,
        engine=ENGINE_VERSION,
        document=document,
        now=now,
    )


def store_comparison(
    session: Session, policy_id: int, versions: list[VersionRecord], number: int, now: datetime
) -> tuple[Comparison, int] | None:
    """Compare version ``number`` with the one before it and store the comparison; the
    comparison and the id of its stored row."""
    index = next(i for i, v in enumerate(versions) if v.number == number)
    if index == 0:
        return None
    old, new = versions[index - 1], versions[index]
    comparison = _compare_versions(session, old, new)
    return comparison, _store(session, policy_id, old, new, comparison.to_dict(), now)


def compare_new_version(
    session: Session, policy_id: int, number: int, now: datetime
) -> Comparison | None:
    """Store the comparison leading to a version just made and queue its notifications,
    in the caller's transaction (the outbox pattern: no change without its mail, or the
    reverse)."""
    versions = version_store.list_versions(session, policy_id)
    stored = store_comparison(session, policy_id, versions, number, now)
    if stored is None:
        return None
    comparison, change_id = stored
    queue_notifications(session, change_id, now)
    return comparison


def compare_ahead(session: Session, policy_id: int) -> Ahead:
    """Every comparison of a policy's consecutive versions, computed on a read snapshot
    before :func:`compare_all` stores them under the write lock (other writers wait only
    for the storing, not for the diffing)."""
    versions = version_store.list_versions(session, policy_id)
    return {
        (old.sha256, new.sha256): _compare_versions(session, old, new).to_dict()
        for old, new in itertools.pairwise(versions)
    }


def compare_all(session: Session, policy_id: int, now: datetime, ahead: Ahead | None = None) -> int:
    """Recompute every stored comparison of a policy (after a rebuild or an engine upgrade),
    taking the ones in ``ahead`` and comparing only the pairs it lacks (versions made since).

    Nothing is queued: these changes are not news (a rebuild's versions are reported by
    their own check, and technical ones are never notified)."""
    ahead = ahead or {}
    versions = version_store.list_versions(session, policy_id)
    for old, new in itertools.pairwise(versions):
        document = ahead.get((old.sha256, new.sha256))
        if document is None:
            document = _compare_versions(session, old, new).to_dict()
        _store(session, policy_id, old, new, document, now)
    return max(len(versions) - 1, 0)
