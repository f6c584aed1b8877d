"""Re-extraction: rebuild a policy's versions from its stored snapshots, fetching nothing.

Used after a change of extraction rules (`redline reextract NAME --select …`), after an
extractor upgrade, and when a backfill brings captures older than the stored history.

Other processes may be recording captures of the same policy meanwhile (the daemon, a
`redline check`). The rebuild therefore reads the captures and rewrites the versions in one
transaction holding the write lock, so no capture recorded meanwhile is left out. The slow
parts, judging the snapshots and comparing each new version with the one before, are done
first on a read snapshot without the lock (other writers wait for the lock at most the
busy timeout); under it, only what was recorded in between is judged or compared.
"""

from __future__ import annotations

import itertools
from dataclasses import replace

from sqlalchemy.orm import Session

from storage import captures as capture_store
from storage import policies as policy_store
from storage.db import Database
from storage.rebuild import RebuildResult, StoredCapture, Verdict, rebuild_versions, stored_captures
from storage.records import NewText, Rules
from tracker.clock import Clock
from tracker.diff import compare
from tracker.extract import QualityThresholds, sha256_text
from tracker.monitor.comparisons import Ahead, compare_all
from tracker.monitor.judge import Frameset, judge


def _verdicts(
    session: Session,
    captures: list[StoredCapture],
    rules: Rules,
    thresholds: QualityThresholds,
    by_snapshot: dict[int, Verdict],
) -> dict[int, Verdict]:
    """Each capture's verdict, judging each stored snapshot once (``by_snapshot`` holds
    the snapshots judged already and gains the new ones)."""
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


def _compare_ahead(captures: list[StoredCapture], verdicts: dict[int, Verdict]) -> Ahead:
    """The comparisons the rebuilt versions will need, made before taking the lock.

    Versions are the runs of captures with one text identity, in capture order, each
    holding the text of its first capture (as :func:`storage.captures.assign_version`
    makes them); each is compared with the one before.
    """
    texts: list[NewText] = []
    for capture in captures:
        verdict = verdicts.get(capture.id)
        if isinstance(verdict, NewText) and (not texts or texts[-1].identity != verdict.identity):
            texts.append(verdict)
    return {
        (sha256_text(old.text), sha256_text(new.text)): compare(old.text, new.text).to_dict()
        for old, new in itertools.pairwise(texts)
    }


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
    judged: dict[int, Verdict] = {}
    with db.session() as session:  # no lock: writers go on while this reads and compares
        policy = policy_store.get_policy(session, name)
        used = rules or policy.rules
        captures = stored_captures(session, policy.id)
        verdicts = _verdicts(session, captures, used, thresholds, judged)
    ahead = _compare_ahead(captures, verdicts)
    with db.writing() as session:
        policy = policy_store.get_policy(session, name)
        if (rules or policy.rules) != used:
            judged.clear()  # the policy's rules were changed meanwhile: judge again
        captures = stored_captures(session, policy.id)
        verdicts = _verdicts(session, captures, rules or policy.rules, thresholds, judged)
        if rules is not None:
            policy_store.set_rules(session, name, rules, now=clock.now())
        if not mark_technical:
            # Forgetting the old versions means no boundary can look extraction-made.
            captures = [replace(c, version_number=None) for c in captures]
        result = rebuild_versions(session, policy.id, captures, verdicts)
        compare_all(session, policy.id, clock.now(), ahead)
        return result
