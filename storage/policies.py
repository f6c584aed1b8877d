"""Queries and changes on policies."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.db import lock_for_write
from storage.errors import Conflict, NotFound
from storage.models import Capture, Policy, RuleSet, Version
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
    lock_for_write(session)  # two adds of one name at once: the second finds the first
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
    _add_rule_set(session, policy.id, rules or Rules(), now)
    return _record(policy)


def _add_rule_set(session: Session, policy_id: int, rules: Rules, since: datetime) -> None:
    session.add(
        RuleSet(
            policy_id=policy_id, since=since, select=list(rules.select), remove=list(rules.remove)
        )
    )


def set_rules(session: Session, name: str, rules: Rules, *, now: datetime) -> PolicyRecord:
    """Replace a policy's extraction rules, keeping the old ones in its rule history."""
    policy = _row(session, name)
    policy.rules = rules.to_json()
    policy.rules_changed_at = now
    _add_rule_set(session, policy.id, rules, now)
    session.flush()
    return _record(policy)


def rule_history(session: Session, policy_id: int) -> list[tuple[datetime, Rules]]:
    """A policy's rules over time, oldest first: (in force since, rules)."""
    rows = session.scalars(
        select(RuleSet).where(RuleSet.policy_id == policy_id).order_by(RuleSet.since, RuleSet.id)
    )
    return [(r.since, Rules(tuple(r.select), tuple(r.remove))) for r in rows]


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


def flag_rebuild(session: Session, policy_id: int, value: bool = True) -> None:
    """Mark (or clear) that a policy's versions must be rebuilt from its captures."""
    session.get_one(Policy, policy_id).needs_rebuild = value


def needs_rebuild(session: Session, policy_id: int) -> bool:
    """Whether a rebuild of the policy's versions is outstanding."""
    return bool(session.get_one(Policy, policy_id).needs_rebuild)
