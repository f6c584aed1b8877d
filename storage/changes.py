"""Stored comparisons: each version's diff document against its predecessor."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
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
    """Store the comparison that leads to ``new_version_id``, or update it in place (its id
    stays, so the notifications that point at it survive a rediff); its id."""
    row = session.scalars(select(Change).where(Change.new_version_id == new_version_id)).first()
    if row is None:
        row = Change(policy_id=policy_id, new_version_id=new_version_id, created_at=now)
        session.add(row)
    summary = document["summary"]
    row.old_version_id = old_version_id
    row.engine = engine
    row.significance = summary["significance"]
    row.headline = summary["headline"]
    row.document = document
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


def latest_significance(session: Session) -> dict[int, str]:
    """Each policy's significance of the comparison leading to its latest version.

    One query for every policy, so that a listing stays one round trip however many
    policies there are.
    """
    latest = (
        select(Version.policy_id, func.max(Version.number).label("number"))
        .group_by(Version.policy_id)
        .subquery()
    )
    query = (
        select(Version.policy_id, Change.significance)
        .join(
            latest,
            (latest.c.policy_id == Version.policy_id) & (latest.c.number == Version.number),
        )
        .join(Change, Change.new_version_id == Version.id)
    )
    return {policy_id: level for policy_id, level in session.execute(query)}
