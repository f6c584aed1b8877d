"""Library functions behind `subscribe`, `unsubscribe` and `subscriptions`: validation first.

An address ends up in a ``To`` header and an SMTP ``RCPT TO`` command, so it is checked
strictly here (no spaces, no line breaks, no display names, one ``@``) before it is stored.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from storage import notifications as notification_store
from storage import policies as policy_store
from storage.db import Database
from storage.notifications import SubscriptionRecord
from tracker.clock import Clock
from tracker.diff.model import CATEGORIES
from tracker.errors import ConfigError
from tracker.listing import iso

CADENCES = ("immediate", "daily", "weekly")
LEVELS = ("low", "medium", "high")
# Deliberately narrower than RFC 5322: what people type, without quoting or comments.
_LOCAL = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
_DOMAIN = r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
_EMAIL = re.compile(rf"^{_LOCAL}@{_DOMAIN}$")


@dataclass(frozen=True)
class SubscriptionRequest:
    """What `redline subscribe` asks for, before validation."""

    email: str
    policies: tuple[str, ...] = ()
    min_significance: str = "low"
    categories: tuple[str, ...] = ()
    cadence: str = "daily"


def validate_email(address: str) -> str:
    """The address with its domain lower-cased, or ConfigError saying what is wrong."""
    address = address.strip()
    if len(address) > 254 or not _EMAIL.match(address):
        raise ConfigError(f"{address!r} is not an email address (expected name@example.org)")
    local, domain = address.rsplit("@", 1)
    if len(local) > 64:
        raise ConfigError(f"{address!r}: the part before @ is longer than 64 characters")
    return f"{local}@{domain.lower()}"


def validate_categories(categories: Iterable[str]) -> list[str]:
    """The categories if each is one of the diff engine's, else ConfigError listing them."""
    result = []
    for category in categories:
        if category not in CATEGORIES:
            raise ConfigError(
                f"unknown category {category!r}; choose from: {', '.join(CATEGORIES)}"
            )
        result.append(category)
    return result


def _choice(value: str, allowed: tuple[str, ...], what: str) -> str:
    if value not in allowed:
        raise ConfigError(f"{what} must be one of {', '.join(allowed)}, not {value!r}")
    return value


def subscribe(db: Database, request: SubscriptionRequest, clock: Clock) -> SubscriptionRecord:
    """Store a subscription after checking the address, policy names, level and categories."""
    email = validate_email(request.email)
    level = _choice(request.min_significance, LEVELS, "the minimum significance")
    cadence = _choice(request.cadence, CADENCES, "the cadence")
    categories = validate_categories(request.categories)
    with db.session() as session:
        for name in request.policies:
            policy_store.get_policy(session, name)  # NotFound names the missing one
        return notification_store.add_subscription(
            session,
            email,
            policies=list(request.policies),
            min_significance=level,
            categories=categories,
            cadence=cadence,
            now=clock.now(),
        )


def unsubscribe(db: Database, email: str, policies: Iterable[str] = ()) -> int:
    """Remove ``email``'s subscriptions (or only the named policies from them)."""
    with db.session() as session:
        return notification_store.remove_subscriptions(
            session, validate_email(email), list(policies)
        )


def subscriptions(db: Database) -> list[SubscriptionRecord]:
    """Every subscription."""
    with db.session() as session:
        return notification_store.list_subscriptions(session)


def describe(sub: SubscriptionRecord) -> str:
    """One line a person reads: what the subscription covers and how often."""
    policies = ", ".join(sub.policies) if sub.policies else "every policy"
    categories = ", ".join(sub.categories) if sub.categories else "all categories"
    return f"{sub.email}: {policies}; {sub.min_significance} and above; {categories}; {sub.cadence}"


def subscription_json(sub: SubscriptionRecord) -> dict[str, Any]:
    """One subscription as `subscriptions --json` gives it."""
    return {
        "id": sub.id,
        "email": sub.email,
        "policies": list(sub.policies),
        "min_significance": sub.min_significance,
        "categories": list(sub.categories),
        "cadence": sub.cadence,
        "created_at": iso(sub.created_at),
    }
