"""Stored comparisons: each version's diff document against its predecessor."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from storage.models import Change, Version


def store_change(
    session: Session,
    *,
    policy_id: int,
    old_version_id: int | None,
    new_version_id: int,
    engine: str,
    document: dict[str, Any],
    now: datetime,
) -> int:
    """Store (or replace) the comparison that leads to ``new_version_id``; its id."""
    session.execute(delete(Change).where(Change.new_version_id == new_version_id))
    summary = document["summary"]
    row = Change(
        policy_id=policy_id,
        old_version_id=old_version_id,
        new_version_id=new_version_id,
        engine=engine,
        significance=summary["significance"],
        headline=summary["headline"],
        document=document,
        created_at=now,
    )
    session.add(row)
    session.flush()
    return row.id


def summaries(session: Session, policy_id: int) -> dict[int, dict[str, Any]]:
    """Each version number's comparison summary (versions without one are absent)."""
    query = (
        select(Version.number, Change.document)
        .join(Change, Change.new_version_id == Version.id)
        .where(Version.policy_id == policy_id)
    )
    return {number: document["summary"] for number, document in session.execute(query)}


def stored_document(session: Session, new_version_id: int) -> dict[str, Any] | None:
    """The stored comparison document leading to a version, if any."""
    return session.scalar(select(Change.document).where(Change.new_version_id == new_version_id))


def delete_changes(session: Session, policy_id: int) -> None:
    """Forget a policy's stored comparisons (before recomputing them)."""
    session.execute(delete(Change).where(Change.policy_id == policy_id))
