"""Queries and changes on policies."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.errors import Conflict, NotFound
from storage.models import Capture, Policy, Version
from storage.records import PolicyRecord, PolicyStats, Rules


def _record(policy: Policy) -> PolicyRecord:
    return PolicyRecord(
        id=policy.id,
        name=policy.name,
        url=policy.url,
        archive_url=policy.archive_url,
        rules=Rules.from_json(policy.rules),
        check_every=policy.check_every,
        created_at=policy.created_at,
        last_checked_at=policy.last_checked_at,
        last_error=policy.last_error,
    )


def _row(session: Session, name: str) -> Policy:
    policy = session.scalar(select(Policy).where(Policy.name == name))
    if policy is None:
        raise NotFound(f"no policy named {name!r}; `redline list` shows the tracked ones")
    return policy


def add_policy(
    session: Session,
    *,
    name: str,
    url: str,
    now: datetime,
    archive_url: str | None = None,
    rules: Rules | None = None,
    check_every: int = 86400,
) -> PolicyRecord:
    """Start tracking a policy; a name already in use is a :class:`Conflict`."""
    if session.scalar(select(Policy.id).where(Policy.name == name)) is not None:
        raise Conflict(f"a policy named {name!r} already exists; choose another name")
    policy = Policy(
        name=name,
        url=url,
        archive_url=archive_url,
        rules=(rules or Rules()).to_json(),
        rules_changed_at=now,
        check_every=check_every,
        created_at=now,
    )
    session.add(policy)
    session.flush()
    return _record(policy)


def get_policy(session: Session, name: str) -> PolicyRecord:
    """The policy called ``name``, or :class:`NotFound`."""
    return _record(_row(session, name))


def all_policies(session: Session) -> list[PolicyRecord]:
    """Every tracked policy, by name."""
    return [_record(p) for p in session.scalars(select(Policy).order_by(Policy.name))]


def remove_policy(session: Session, name: str) -> None:
    """Stop tracking a policy and delete its captures, versions and changes."""
    session.delete(_row(session, name))


def mark_checked(session: Session, policy_id: int, *, now: datetime, error: str | None) -> None:
    """Record when a policy was last checked and the error that check ended with, if any."""
    policy = session.get_one(Policy, policy_id)
    policy.last_checked_at = now
    policy.last_error = error


def policy_stats(session: Session, names: list[str] | None = None) -> list[PolicyStats]:
    """Policies with their version and capture counts and the time of their last change."""
    versions = (
        select(
            Version.policy_id,
            func.count(Version.id).label("n"),
            func.max(Version.first_seen).label("last"),
        )
        .group_by(Version.policy_id)
        .subquery()
    )
    captures = (
        select(Capture.policy_id, func.count(Capture.id).label("n"))
        .group_by(Capture.policy_id)
        .subquery()
    )
    query = (
        select(Policy, versions.c.n, versions.c.last, captures.c.n)
        .outerjoin(versions, versions.c.policy_id == Policy.id)
        .outerjoin(captures, captures.c.policy_id == Policy.id)
        .order_by(Policy.name)
    )
    if names is not None:
        query = query.where(Policy.name.in_(names))
    return [
        PolicyStats(_record(policy), n_versions or 0, n_captures or 0, last)
        for policy, n_versions, last, n_captures in session.execute(query)
    ]
