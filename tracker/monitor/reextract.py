"""Re-extraction: rebuild a policy's versions from its stored snapshots, fetching nothing.

Used after a change of extraction rules (`redline reextract NAME --select …`), after an
extractor upgrade, and when a backfill brings captures older than the stored history.
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy.orm import Session

from storage import captures as capture_store
from storage import policies as policy_store
from storage.db import Database
from storage.rebuild import RebuildResult, StoredCapture, Verdict, rebuild_versions, stored_captures
from storage.records import Rules
from tracker.clock import Clock
from tracker.extract import QualityThresholds
from tracker.monitor.comparisons import compare_all
from tracker.monitor.judge import Frameset, judge


def _verdicts(
    session: Session, captures: list[StoredCapture], rules: Rules, thresholds: QualityThresholds
) -> dict[int, Verdict]:
    """Judge every stored snapshot once, whatever number of captures share it."""
    by_snapshot: dict[int, Verdict] = {}
    verdicts: dict[int, Verdict] = {}
    for capture in captures:
        if capture.snapshot_id is None:
            continue  # never fetched (rejected from the index, failed): nothing to redo
        if capture.snapshot_id not in by_snapshot:
            snapshot = capture_store.snapshot_content(session, capture.snapshot_id)
            verdict = judge(snapshot, rules, thresholds)
            if isinstance(verdict, Frameset):
                verdict = "a frameset whose frame was not stored"
            by_snapshot[capture.snapshot_id] = verdict
        verdicts[capture.id] = by_snapshot[capture.snapshot_id]
    return verdicts


def reextract(
    db: Database,
    name: str,
    *,
    clock: Clock,
    rules: Rules | None = None,
    thresholds: QualityThresholds | None = None,
    mark_technical: bool = True,
) -> RebuildResult:
    """Rebuild ``name``'s versions from stored snapshots, with new ``rules`` if given.

    Versions that exist only because extraction changed are marked technical (unless
    ``mark_technical`` is off: a late backfill changes the captures, not the extraction).
    """
    thresholds = thresholds or QualityThresholds()
    with db.session() as session:
        policy = policy_store.get_policy(session, name)
        captures = stored_captures(session, policy.id)
        verdicts = _verdicts(session, captures, rules or policy.rules, thresholds)
        if rules is not None:
            policy_store.set_rules(session, name, rules, now=clock.now())
        if not mark_technical:
            # Forgetting the old versions means no boundary can look extraction-made.
            captures = [replace(c, version_number=None) for c in captures]
        result = rebuild_versions(session, policy.id, captures, verdicts)
        compare_all(session, policy.id, clock.now())
        return result
