"""Library functions behind the policy commands: validation, adding, removing, reading."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from storage import changes as change_store
from storage import policies as policy_store
from storage import versions as version_store
from storage.db import Database
from storage.records import CaptureRecord, PolicyRecord, PolicyStats, Rules, VersionRecord
from tracker.clock import Clock
from tracker.errors import ConfigError, ExtractError, NotFound
from tracker.extract import check_selector
from tracker.urls import require_http_url

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_DURATION = re.compile(r"^\s*(\d+)\s*([smhdw])\s*$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
# Checking more often than hourly buys nothing: the archive rarely captures more often.
MIN_INTERVAL = 3600


def parse_duration(text: str) -> int:
    """Seconds in a duration like ``90m``, ``12h``, ``1d`` or ``2w``."""
    match = _DURATION.match(text)
    if not match:
        raise ConfigError(f"{text!r} is not a duration; use a number and s, m, h, d or w (e.g. 1d)")
    return int(match.group(1)) * _UNIT_SECONDS[match.group(2)]


def parse_moment(text: str) -> str:
    """An archive timestamp prefix from ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD`` or 1–14 digits.

    The archive pads ``from`` low and ``to`` high itself; this only checks and normalizes.
    """
    digits = re.sub(r"[-:T ]", "", text.strip())
    if not digits.isdigit() or not 4 <= len(digits) <= 14 or len(digits) % 2:
        raise ConfigError(f"{text!r} is not a date; use YYYY, YYYY-MM, YYYY-MM-DD or a timestamp")
    try:
        date(int(digits[:4]), int(digits[4:6] or 1), int(digits[6:8] or 1))
    except ValueError as exc:
        raise ConfigError(f"{text!r} is not a real date: {exc}") from exc
    return digits


@dataclass(frozen=True)
class NewPolicy:
    """What `redline add` asks for, before validation."""

    name: str
    url: str
    select: tuple[str, ...] = ()
    remove: tuple[str, ...] = ()
    every: str = "1d"
    archive: str | None = None


def validate_name(name: str) -> str:
    """``name`` if it is a valid policy name, else ConfigError saying what a name may hold."""
    if not _NAME.match(name):
        raise ConfigError(
            f"policy name {name!r} must be 1–64 letters, digits, '.', '_' or '-', "
            "starting with a letter or digit"
        )
    return name


def check_selectors(selectors: Iterable[str]) -> None:
    """ConfigError for the first selector that is not valid CSS."""
    for css in selectors:
        try:
            check_selector(css)
        except ExtractError as exc:
            raise ConfigError(str(exc)) from exc


def add_policy(db: Database, request: NewPolicy, clock: Clock) -> PolicyRecord:
    """Validate and start tracking a policy."""
    validate_name(request.name)
    check_selectors(request.select + request.remove)
    url = require_http_url(request.url, "policy URL")
    archive = require_http_url(request.archive, "archive URL") if request.archive else None
    every = parse_duration(request.every)
    if every < MIN_INTERVAL:
        raise ConfigError(f"--every {request.every} is too often; the shortest interval is 1h")
    rules = Rules(tuple(request.select), tuple(request.remove))
    with db.session() as session:
        return policy_store.add_policy(
            session,
            name=request.name,
            url=url,
            now=clock.now(),
            archive_url=archive.rstrip("/") if archive else None,
            rules=rules,
            check_every=every,
        )


def remove_policy(db: Database, name: str) -> None:
    """Stop tracking a policy, deleting its captures and versions."""
    with db.session() as session:
        policy_store.remove_policy(session, name)


def get_policy(db: Database, name: str) -> PolicyRecord:
    """The policy called ``name``."""
    with db.session() as session:
        return policy_store.get_policy(session, name)


def policy_listing(db: Database, names: list[str] | None = None) -> list[PolicyStats]:
    """Policies with their counts, by name."""
    with db.session() as session:
        return policy_store.policy_stats(session, names)


@dataclass(frozen=True)
class History:
    """A policy's versions and, when asked, its captures."""

    stats: PolicyStats
    versions: list[VersionRecord]
    captures: list[CaptureRecord] | None
    # Each version number's comparison summary with the version before it.
    summaries: dict[int, dict[str, Any]]
    # The extraction rules over time (with captures only): (in force since, rules).
    rules: list[tuple[datetime, Rules]] = field(default_factory=list)


def policy_history(db: Database, name: str, *, with_captures: bool = False) -> History:
    """Everything `redline log` shows of a policy."""
    with db.session() as session:
        policy = policy_store.get_policy(session, name)
        stats = policy_store.policy_stats(session, [name])[0]
        versions = version_store.list_versions(session, policy.id)
        captures = version_store.list_captures(session, policy.id) if with_captures else None
        summaries = change_store.summaries(session, policy.id)
        rules = policy_store.rule_history(session, policy.id) if with_captures else []
    return History(stats, versions, captures, summaries, rules)


def split_ref(spec: str) -> tuple[str, str]:
    """``NAME@REF`` → (name, ref); a bare name means the latest version.

    References are ASCII: ``str.isdigit`` also takes "²" and "١", which are no version number.
    """
    name, _, ref = spec.partition("@")
    if not ref.isascii():
        raise NotFound(
            f"{name}@{ref!r}: not a version reference (use a number, a date YYYY-MM-DD, "
            "`latest` or -1)"
        )
    return name, ref or "latest"


def resolve_version(db: Database, spec: str) -> tuple[PolicyRecord, VersionRecord, str]:
    """The policy, version record and exact text that ``NAME[@REF]`` names."""
    name, ref = split_ref(spec)
    with db.session() as session:
        policy = policy_store.get_policy(session, name)
        versions = version_store.list_versions(session, policy.id)
        version = version_store.resolve_ref(versions, ref, name)
        return policy, version, version_store.version_text(session, version.id)
