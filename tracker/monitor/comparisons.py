"""Comparing each new version with its predecessor and storing the result.

Runs inside the caller's transaction, so a version and its comparison (and, later, the
notifications it queues) are written together or not at all.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from storage import changes as change_store
from storage import versions as version_store
from storage.records import VersionRecord
from tracker.diff import ENGINE_VERSION, Comparison, compare


def store_comparison(
    session: Session, policy_id: int, versions: list[VersionRecord], number: int, now: datetime
) -> Comparison | None:
    """Compare version ``number`` with the one before it and store the comparison."""
    index = next(i for i, v in enumerate(versions) if v.number == number)
    if index == 0:
        return None
    old, new = versions[index - 1], versions[index]
    comparison = compare(
        version_store.version_text(session, old.id), version_store.version_text(session, new.id)
    )
    change_store.store_change(
        session,
        policy_id=policy_id,
        old_version_id=old.id,
        new_version_id=new.id,
        engine=ENGINE_VERSION,
        document=comparison.to_dict(),
        now=now,
    )
    return comparison


def compare_new_version(
    session: Session, policy_id: int, number: int, now: datetime
) -> Comparison | None:
    """Store the comparison leading to a version just made."""
    versions = version_store.list_versions(session, policy_id)
    return store_comparison(session, policy_id, versions, number, now)


def compare_all(session: Session, policy_id: int, now: datetime) -> int:
    """Recompute every stored comparison of a policy (after a rebuild or an engine upgrade)."""
    change_store.delete_changes(session, policy_id)
    versions = version_store.list_versions(session, policy_id)
    for version in versions[1:]:
        store_comparison(session, policy_id, versions, version.number, now)
    return max(len(versions) - 1, 0)
