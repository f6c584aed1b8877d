"""One policy's check: search the archive for new captures, fetch, extract, version.

Captures are processed in timestamp order and each one commits in its own transaction,
so an interrupted run resumes where it stopped with no duplicates and no gaps. A digest
that is already stored is never downloaded again. A transient archive failure ends the
check (the policy records the error) rather than skipping the capture, so the next check
starts again from the same place and versions stay in capture order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy.orm import Session

from storage import captures as capture_store
from storage import policies as policy_store
from storage.db import Database
from storage.records import (
    FAILED,
    NEW,
    REJECTED,
    REVERT,
    SAME,
    DigestHit,
    NewCapture,
    NewSnapshot,
    NewText,
    Outcome,
    PolicyRecord,
    valid_timestamp,
)
from tracker.archive import ArchiveClient, CdxRow, Memento
from tracker.clock import Clock
from tracker.errors import ArchiveError, ExtractError
from tracker.extract import count_words, extract, identity_hash
from tracker.urls import same_document


class CheckProgress(Protocol):
    """Receives progress of a check (a progress bar, a log line, a TUI footer)."""

    def found(self, policy: str, count: int) -> None:
        """``count`` new captures are about to be processed."""
        ...

    def processed(self, policy: str, outcome: Outcome, fetched: bool) -> None:
        """One capture was recorded; ``fetched`` says whether it cost a replay request."""
        ...


@dataclass
class CheckResult:
    """What one check of one policy did."""

    policy: str
    found: int = 0
    fetched: int = 0
    new_versions: int = 0
    reverts: int = 0
    same: int = 0
    rejected: int = 0
    failed: int = 0
    skipped_older: int = 0
    error: str | None = None

    def count(self, outcome: Outcome, fetched: bool) -> None:
        """Add one capture's outcome to the tallies."""
        self.fetched += fetched
        field = {
            NEW: "new_versions",
            REVERT: "reverts",
            SAME: "same",
            REJECTED: "rejected",
            FAILED: "failed",
        }[outcome.kind]
        setattr(self, field, getattr(self, field) + 1)


def check_policy(
    db: Database,
    client: ArchiveClient,
    policy: PolicyRecord,
    *,
    clock: Clock,
    since: str | None = None,
    until: str | None = None,
    progress: CheckProgress | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> CheckResult:
    """Bring one policy up to date with the archive (captures after the last one seen).

    ``since``/``until`` bound the search (14-digit timestamps or prefixes). Archive
    failures do not raise: they end the check and are returned in ``CheckResult.error``
    and stored as the policy's last error.
    """
    result = CheckResult(policy.name)
    try:
        rows = _new_rows(db, client, policy, since, until, result)
        if progress:
            progress.found(policy.name, len(rows))
        for row in rows:
            if should_stop and should_stop():
                break
            outcome, fetched = _process(db, client, policy, row, clock)
            result.count(outcome, fetched)
            if progress:
                progress.processed(policy.name, outcome, fetched)
    except ArchiveError as exc:
        result.error = str(exc)
    with db.session() as session:
        policy_store.mark_checked(session, policy.id, now=clock.now(), error=result.error)
    return result


def _new_rows(
    db: Database,
    client: ArchiveClient,
    policy: PolicyRecord,
    since: str | None,
    until: str | None,
    result: CheckResult,
) -> list[CdxRow]:
    with db.session() as session:
        latest = capture_store.latest_timestamp(session, policy.id)
        start = since or latest
        known = capture_store.known_keys(session, policy.id, start)
    rows = client.search(policy.url, from_ts=start, to_ts=until)
    fresh = sorted(
        {
            (r.timestamp, r.original): r for r in rows if (r.timestamp, r.original) not in known
        }.values(),
        key=lambda r: (r.timestamp, r.original),
    )
    result.found = len(fresh)
    if latest is None:
        return fresh
    # Versions are made in capture order; a capture older than the newest one stored
    # cannot be placed without rebuilding the history, which re-extraction will do.
    in_order = [r for r in fresh if r.timestamp >= latest]
    result.skipped_older = len(fresh) - len(in_order)
    return in_order


def _capture_of(row: CdxRow) -> NewCapture:
    return NewCapture(
        timestamp=row.timestamp,
        original=row.original,
        mimetype=row.mimetype,
        statuscode=row.statuscode,
        digest=row.digest,
        length=row.length,
    )


def _process(
    db: Database, client: ArchiveClient, policy: PolicyRecord, row: CdxRow, clock: Clock
) -> tuple[Outcome, bool]:
    capture = _capture_of(row)
    reason = _unfit(row)
    if reason is not None:
        with db.session() as session:
            return capture_store.record_capture(
                session, policy.id, capture, now=clock.now(), rejected=reason
            ), False
    with db.session() as session:
        redirect = row.statuscode.startswith("3")
        hit = None if redirect else capture_store.find_digest(session, policy.id, row.digest)
        if hit is not None:
            verdict = _reuse(session, hit)
            return _record(session, policy, capture, hit.snapshot_id, verdict, clock), False
    try:
        snapshot = _fetch(client, row)
    except ArchiveError as exc:
        if exc.transient:
            raise
        with db.session() as session:
            failed = capture_store.record_capture(
                session, policy.id, capture, now=clock.now(), failed=str(exc)
            )
        return failed, True
    with db.session() as session:
        if isinstance(snapshot, str):
            return _record(session, policy, capture, None, snapshot, clock), True
        snapshot_id = capture_store.store_snapshot(session, snapshot, clock.now())
        return _record(session, policy, capture, snapshot_id, _judge(snapshot), clock), True


def _unfit(row: CdxRow) -> str | None:
    """Why a capture is rejected from its index row alone, without fetching it."""
    if not valid_timestamp(row.timestamp):
        return f"impossible timestamp {row.timestamp}"
    if row.statuscode.isdigit() and int(row.statuscode) >= 400:
        return f"archived with HTTP status {row.statuscode}"
    return None


def _record(
    session: Session,
    policy: PolicyRecord,
    capture: NewCapture,
    snapshot_id: int | None,
    verdict: NewText | str,
    clock: Clock,
) -> Outcome:
    if isinstance(verdict, NewText):
        return capture_store.record_capture(
            session, policy.id, capture, now=clock.now(), snapshot_id=snapshot_id, text=verdict
        )
    return capture_store.record_capture(
        session, policy.id, capture, now=clock.now(), snapshot_id=snapshot_id, rejected=verdict
    )


def _reuse(session: Session, hit: DigestHit) -> NewText | str:
    """The verdict on a digest seen before: the same text, the same rejection, or a fresh
    extraction of the stored bytes (seen before only by another policy)."""
    if hit.rejected_reason is not None:
        return hit.rejected_reason
    if hit.version_id is not None:
        return capture_store.version_as_text(session, hit.version_id)
    return _judge(capture_store.snapshot_content(session, hit.snapshot_id))


def _fetch(client: ArchiveClient, row: CdxRow) -> NewSnapshot | str:
    """The capture's bytes, following an archived redirect only within the same document;
    a redirect elsewhere is returned as the reason to reject the capture."""
    memento: Memento = client.fetch(row.timestamp, row.original)
    if 300 <= memento.status < 400:
        target = memento.location
        if not target or not same_document(target, row.original):
            return f"redirects to {target or 'an unknown location'}"
        memento = client.fetch(memento.timestamp, target)
        if 300 <= memento.status < 400:
            return f"redirects to {memento.location or 'an unknown location'}"
    if memento.status >= 400:
        return f"replayed with HTTP status {memento.status}"
    return NewSnapshot(memento.body, memento.content_type)


def _judge(snapshot: NewSnapshot) -> NewText | str:
    """Extract a snapshot's text; the reason it is not a policy text when it is not."""
    try:
        extracted = extract(snapshot.body, snapshot.content_type)
    except ExtractError as exc:
        return str(exc)
    if not extracted.text.strip():
        return "no text found in the page"
    return NewText(
        text=extracted.text,
        identity=identity_hash(extracted.text),
        words=count_words(extracted.text),
    )
