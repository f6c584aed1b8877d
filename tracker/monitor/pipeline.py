"""One policy's check: search the archive for new captures, fetch, extract, version.

Captures are processed in timestamp order and each one commits in its own transaction,
so an interrupted run resumes where it stopped with no duplicates and no gaps. A digest
that is already stored is never downloaded again. A transient archive failure ends the
check (the policy records the error) rather than skipping the capture, so the next check
starts again from the same place and versions stay in capture order. A permanent failure
of one capture (a page too large, a redirect loop) records that capture as failed with the
reason. Malformed index rows are skipped, and the check reports them as its error.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol
from urllib.parse import urljoin

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
from tracker.errors import ArchiveError
from tracker.extract import QualityThresholds
from tracker.monitor.comparisons import compare_new_version
from tracker.monitor.judge import Frameset, judge
from tracker.monitor.reextract import reextract
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
    older: int = 0
    skipped: int = 0  # malformed index rows that could not be read as captures
    rebuilt: bool = False
    stopped: bool = False
    error: str | None = None

    def count(self, outcome: Outcome, fetched: bool) -> None:
        """Add one capture's outcome to the tallies."""
        self.fetched += fetched
        tally = {
            NEW: "new_versions",
            REVERT: "reverts",
            SAME: "same",
            REJECTED: "rejected",
            FAILED: "failed",
        }[outcome.kind]
        setattr(self, tally, getattr(self, tally) + 1)


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
    thresholds: QualityThresholds | None = None,
) -> CheckResult:
    """Bring one policy up to date with the archive (captures after the last one seen).

    ``since``/``until`` bound the search (14-digit timestamps or prefixes). Archive
    failures do not raise: they end the check and are returned in ``CheckResult.error``
    and stored as the policy's last error.
    """
    result = CheckResult(policy.name)
    run = _Run(db, client, policy, clock, thresholds or QualityThresholds())
    try:
        rows = _new_rows(run, since, until, result)
        if progress:
            progress.found(policy.name, len(rows))
        for row in rows:
            if should_stop and should_stop():
                result.stopped = True
                break
            outcome, fetched = run.process(row)
            result.count(outcome, fetched)
            if progress:
                progress.processed(policy.name, outcome, fetched)
        if not result.stopped:
            _finish_rebuild(db, policy, clock, run.thresholds, result)
    except ArchiveError as exc:
        result.error = str(exc)
    result.error = _with_skipped(result, run.skipped)
    with db.session() as session:
        policy_store.mark_checked(session, policy.id, now=clock.now(), error=result.error)
    return result


def _with_skipped(result: CheckResult, skipped: list[str]) -> str | None:
    """The check's error, led by the malformed index rows it had to skip, if any.

    A skipped row is reported as an error, not only counted, so that it is seen: in the
    policy's last error, the command's exit status and the daemon's log.
    """
    result.skipped = len(skipped)
    if not skipped:
        return result.error
    plural = "s" if len(skipped) > 1 else ""
    note = f"{len(skipped)} malformed CDX row{plural} skipped (first: {skipped[0]})"
    return f"{note}; {result.error}" if result.error else note


def _finish_rebuild(
    db: Database,
    policy: PolicyRecord,
    clock: Clock,
    thresholds: QualityThresholds,
    result: CheckResult,
) -> None:
    """Put late captures in order once every found capture is recorded."""
    with db.session() as session:
        if not policy_store.needs_rebuild(session, policy.id):
            return
    reextract(db, policy.name, clock=clock, thresholds=thresholds, mark_technical=False)
    result.rebuilt = True


def _new_rows(run: _Run, since: str | None, until: str | None, result: CheckResult) -> list[CdxRow]:
    db, policy = run.db, run.policy
    with db.session() as session:
        latest = capture_store.latest_timestamp(session, policy.id)
        start = since or latest
        known = capture_store.known_keys(session, policy.id, start)
    rows = run.client.search(policy.url, from_ts=start, to_ts=until, skipped=run.skipped)
    fresh = sorted(
        {
            (r.timestamp, r.original): r for r in rows if (r.timestamp, r.original) not in known
        }.values(),
        key=lambda r: (r.timestamp, r.original),
    )
    result.found = len(fresh)
    if latest is not None and fresh and fresh[0].timestamp < latest:
        # Versions are made in capture order: captures older than the stored history are
        # recorded first and the versions rebuilt afterwards. The flag survives a crash.
        result.older = sum(r.timestamp < latest for r in fresh)
        with db.session() as session:
            policy_store.flag_rebuild(session, policy.id)
    return fresh


def _capture_of(row: CdxRow) -> NewCapture:
    return NewCapture(
        timestamp=row.timestamp,
        original=row.original,
        mimetype=row.mimetype,
        statuscode=row.statuscode,
        digest=row.digest,
        length=row.length,
    )


def _unfit(row: CdxRow) -> str | None:
    """Why a capture is rejected from its index row alone, without fetching it."""
    if not valid_timestamp(row.timestamp):
        return f"impossible timestamp {row.timestamp}"
    if row.statuscode.isdigit() and int(row.statuscode) >= 400:
        return f"archived with HTTP status {row.statuscode}"
    return None


@dataclass
class _Run:
    """One check's context, so each capture's steps need only the capture."""

    db: Database
    client: ArchiveClient
    policy: PolicyRecord
    clock: Clock
    thresholds: QualityThresholds
    skipped: list[str] = field(default_factory=list)  # malformed index rows, described

    def process(self, row: CdxRow) -> tuple[Outcome, bool]:
        """Record one capture; whether it cost a replay. Transient archive errors propagate."""
        capture = _capture_of(row)
        reason = _unfit(row)
        if reason is not None:
            return self._record(capture, None, reason), False
        if not row.statuscode.startswith("3"):
            with self.db.session() as session:
                hit = capture_store.find_digest(session, self.policy.id, row.digest)
                if hit is not None:
                    verdict = self._reuse(session, hit)
                    return self._record(capture, hit.snapshot_id, verdict, session), False
        try:
            snapshot, verdict = self._fetch(row)
        except ArchiveError as exc:
            if exc.transient:
                raise
            with self.db.session() as session:
                return capture_store.record_capture(
                    session, self.policy.id, capture, now=self.clock.now(), failed=str(exc)
                ), True
        with self.db.session() as session:
            snapshot_id = (
                capture_store.store_snapshot(session, snapshot, self.clock.now())
                if snapshot is not None
                else None
            )
            return self._record(capture, snapshot_id, verdict, session), True

    def _record(
        self,
        capture: NewCapture,
        snapshot_id: int | None,
        verdict: NewText | str,
        session: Session | None = None,
    ) -> Outcome:
        if session is None:
            with self.db.session() as own:
                return self._record(capture, snapshot_id, verdict, own)
        text, rejected = (verdict, None) if isinstance(verdict, NewText) else (None, verdict)
        outcome = capture_store.record_capture(
            session,
            self.policy.id,
            capture,
            now=self.clock.now(),
            snapshot_id=snapshot_id,
            text=text,
            rejected=rejected,
        )
        if outcome.kind in (NEW, REVERT) and outcome.version_number is not None:
            compare_new_version(session, self.policy.id, outcome.version_number, self.clock.now())
        return outcome

    def _judge(self, snapshot: NewSnapshot) -> NewText | Frameset | str:
        return judge(snapshot, self.policy.rules, self.thresholds)

    def _reuse(self, session: Session, hit: DigestHit) -> NewText | str:
        """The verdict on a digest seen before: the same text, the same rejection, or a
        fresh judgement of the stored bytes (seen before only by another policy)."""
        if hit.rejected_reason is not None:
            return hit.rejected_reason
        if hit.version_id is not None:
            return capture_store.version_as_text(session, hit.version_id)
        verdict = self._judge(capture_store.snapshot_content(session, hit.snapshot_id))
        return "a frameset whose frame was not stored" if isinstance(verdict, Frameset) else verdict

    def _fetch(self, row: CdxRow) -> tuple[NewSnapshot | None, NewText | str]:
        """Fetch a capture and judge it; for a frameset, the frame holding the policy is
        fetched and stored in its place, so re-extraction never needs the network."""
        memento = self._replay(row.timestamp, row.original)
        if isinstance(memento, str):
            return None, memento
        snapshot = NewSnapshot(memento.body, memento.content_type)
        verdict = self._judge(snapshot)
        if isinstance(verdict, Frameset):
            frame_url = urljoin(memento.original, verdict.frames[0])
            frame = self._replay(memento.timestamp, frame_url)
            if isinstance(frame, str):
                return None, f"policy frame {frame_url}: {frame}"
            snapshot = NewSnapshot(frame.body, frame.content_type)
            verdict = self._judge(snapshot)
            if isinstance(verdict, Frameset):
                verdict = f"nested framesets at {frame_url}"
        return snapshot, verdict

    def _replay(self, timestamp: str, original: str) -> Memento | str:
        """A capture's memento, following an archived redirect only within the same
        document; otherwise the reason the capture is rejected."""
        memento: Memento = self.client.fetch(timestamp, original)
        if 300 <= memento.status < 400:
            target = memento.location
            if not target or not same_document(target, original):
                return f"redirects to {target or 'an unknown location'}"
            memento = self.client.fetch(memento.timestamp, target)
            if 300 <= memento.status < 400:
                return f"redirects to {memento.location or 'an unknown location'}"
        if memento.status >= 400:
            return f"replayed with HTTP status {memento.status}"
        return memento
