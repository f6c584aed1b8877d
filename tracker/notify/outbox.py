"""The outbox: pending notifications grouped into digests, sent, and marked.

Delivery is at least once and never silently dropped:

1. Rows due now are grouped, one digest per recipient and cadence; a digest already
   attempted keeps exactly its rows and its Message-ID.
2. Before sending, the rows are *claimed* in their own transaction: Message-ID recorded,
   attempt counted, next attempt scheduled by exponential backoff.
3. After the server accepts the message the rows are marked sent.

Each crash between the server accepting a digest and step 3 adds one copy, with the same
Message-ID, so a duplicate is recognisable as one: the claimed rows are retried at the
daemon's next start (``release_claims``), or after their backoff by ``redline notify``.
SMTP failures leave the rows pending until the backoff passes; after :data:`MAX_ATTEMPTS`
attempts, or a permanent refusal, they are marked failed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from email.message import EmailMessage

from storage import outbox as outbox_store
from storage.db import Database
from storage.errors import Conflict
from storage.outbox import OutboxRow
from tracker.clock import Clock
from tracker.config import Settings
from tracker.notify.digest import Envelope, compose, message_id_for
from tracker.notify.smtp import DeliveryError, Mailer
from tracker.notify.subscriptions import CADENCES

BACKOFF_BASE = 60.0  # seconds before the first retry
BACKOFF_CAP = 6 * 3600.0  # never wait longer than this between attempts
MAX_ATTEMPTS = 12  # about a day of retries in all, then the rows are marked failed


def backoff(attempt: int) -> timedelta:
    """How long to wait after the ``attempt``-th attempt (1, 2, 4… minutes, capped)."""
    return timedelta(seconds=min(BACKOFF_BASE * 2 ** max(attempt - 1, 0), BACKOFF_CAP))


@dataclass(frozen=True)
class DigestPlan:
    """One message to send: its recipient, cadence, rows and Message-ID."""

    recipient: str
    cadence: str
    rows: tuple[OutboxRow, ...]
    message_id: str

    @property
    def ids(self) -> list[int]:
        """The notification ids it covers."""
        return [row.id for row in self.rows]

    @property
    def change_ids(self) -> list[int]:
        """The changes it shows, each once (two subscriptions may match one change)."""
        return sorted({row.change_id for row in self.rows})

    @property
    def attempt(self) -> int:
        """Which attempt sending it now would be."""
        return max(row.attempts for row in self.rows) + 1


def sender_domain(sender: str) -> str:
    """The domain Message-IDs are made under: the From address's, else a reserved one."""
    domain = sender.rpartition("@")[2].strip(" >")
    return domain or "redline.invalid"


def plan_digests(rows: Iterable[OutboxRow], domain: str) -> list[DigestPlan]:
    """Group due rows: attempted ones by their Message-ID, fresh ones by recipient and
    cadence (one message per recipient per cadence)."""
    claimed: dict[str, list[OutboxRow]] = {}
    fresh: dict[tuple[str, str], list[OutboxRow]] = {}
    for row in rows:
        if row.message_id is not None:
            claimed.setdefault(row.message_id, []).append(row)
        else:
            fresh.setdefault((row.email.lower(), row.cadence), []).append(row)
    plans = [
        DigestPlan(group[0].email, group[0].cadence, tuple(group), message_id)
        for message_id, group in claimed.items()
    ]
    plans += [
        DigestPlan(group[0].email, cadence, tuple(group), message_id_for(email, group, domain))
        for (email, cadence), group in fresh.items()
    ]
    return sorted(plans, key=lambda p: (p.recipient.lower(), p.cadence, p.ids))


@dataclass
class OutboxReport:
    """What one outbox run did."""

    sent: int = 0  # digests the server accepted
    notifications: int = 0  # rows marked sent
    failed: int = 0  # digests that failed this time (retried later unless given up)
    given_up: int = 0  # digests marked failed for good
    errors: list[str] = field(default_factory=list)
    previews: list[EmailMessage] = field(default_factory=list)  # --dry-run

    def line(self) -> str:
        """One log line."""
        text = f"outbox: {self.sent} digests sent ({self.notifications} notifications)"
        if self.failed:
            text += f", {self.failed} failed ({self.given_up} given up): {self.errors[-1]}"
        return text


class Outbox:
    """Sends due digests through a mailer; the database holds all delivery state."""

    def __init__(self, db: Database, settings: Settings, clock: Clock) -> None:
        self._db = db
        self._settings = settings
        self._clock = clock
        self._domain = sender_domain(settings.email.from_)

    def due(self, cadences: Iterable[str] = CADENCES) -> list[DigestPlan]:
        """The digests to send now for these cadences (plus retries that are due)."""
        with self._db.session() as session:
            rows = outbox_store.due_notifications(session, self._clock.now(), list(cadences))
        return plan_digests(rows, self._domain)

    def compose(self, plan: DigestPlan) -> EmailMessage:
        """The message of a digest, as it will be sent."""
        with self._db.session() as session:
            entries = outbox_store.change_entries(session, plan.change_ids)
        sender = self._settings.email.from_
        envelope = Envelope(plan.recipient, sender, plan.message_id, plan.cadence)
        return compose(
            envelope, entries, default_archive=self._settings.archive.url, now=self._clock.now()
        )

    def preview(self, cadences: Iterable[str] = CADENCES) -> OutboxReport:
        """What would be sent now, without claiming or sending anything."""
        return OutboxReport(previews=[self.compose(plan) for plan in self.due(cadences)])

    def run(self, mailer: Mailer, cadences: Iterable[str] = CADENCES) -> OutboxReport:
        """Send every due digest; failures are recorded on the rows, never raised."""
        report = OutboxReport()
        try:
            for plan in self.due(cadences):
                self._deliver(plan, mailer, report)
        finally:
            mailer.close()
        return report

    def _deliver(self, plan: DigestPlan, mailer: Mailer, report: OutboxReport) -> None:
        message = self.compose(plan)
        now = self._clock.now()
        try:
            with self._db.session() as session:
                retry_at = now + backoff(plan.attempt)
                outbox_store.claim(session, list(plan.rows), plan.message_id, retry_at=retry_at)
        except Conflict:
            return  # another mailer took these rows since they were read; it sends them
        try:
            mailer.send(message, plan.recipient)
        except DeliveryError as exc:
            give_up = exc.permanent or plan.attempt >= MAX_ATTEMPTS
            with self._db.session() as session:
                outbox_store.mark_failed(session, plan.ids, str(exc), give_up=give_up)
            report.failed += 1
            report.given_up += give_up
            report.errors.append(str(exc))
            return
        with self._db.session() as session:
            outbox_store.mark_sent(session, plan.ids, self._clock.now())
        report.sent += 1
        report.notifications += len(plan.rows)
