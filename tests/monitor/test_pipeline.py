"""The pipeline against the real local archive server: the right versions, no wasted requests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from scenarios import PREAMBLE, URL, Planned, page, spine_history

from storage import versions as version_store
from storage.db import Database
from storage.records import PolicyRecord
from tracker.archive import ArchiveClient, ArchiveServer, CaptureSpec, Limits
from tracker.clock import ManualClock
from tracker.monitor import check_policy
from tracker.policies import NewPolicy, add_policy, get_policy, policy_history, resolve_version


@pytest.fixture
def client(archive: ArchiveServer, clock: ManualClock) -> Iterator[ArchiveClient]:
    c = ArchiveClient(archive.base_url, limits=Limits(None, None), clock=clock)
    yield c
    c.close()


@pytest.fixture
def policy(db: Database, archive: ArchiveServer, clock: ManualClock) -> PolicyRecord:
    return add_policy(db, NewPolicy("acme", URL, archive=archive.base_url), clock)


def _load(archive: ArchiveServer, plan: list[Planned]) -> None:
    for planned in plan:
        archive.store.add(planned.spec)


def test_backfill_makes_exactly_the_expected_versions(
    db: Database,
    archive: ArchiveServer,
    client: ArchiveClient,
    policy: PolicyRecord,
    clock: ManualClock,
) -> None:
    plan = spine_history()
    assert len(plan) >= 30
    _load(archive, plan)

    result = check_policy(db, client, policy, clock=clock)

    assert result.error is None
    assert result.found == len(plan)
    history = policy_history(db, "acme", with_captures=True)
    assert history.captures is not None
    got = [(c.timestamp, c.outcome, c.version_number) for c in history.captures]
    want = [(p.spec.timestamp, p.outcome, p.version) for p in plan]
    assert got == want
    assert [v.revert_of for v in history.versions] == _revert_column(plan)
    # A digest already stored is never downloaded again: one replay per fetched capture.
    assert archive.replay_requests == sum(p.requests for p in plan)
    assert result.fetched == sum(p.fetched for p in plan)


def _revert_column(plan: list[Planned]) -> list[int | None]:
    firsts: dict[int, int | None] = {}
    for p in plan:
        if p.version is not None and p.outcome in ("new", "revert"):
            firsts[p.version] = p.revert_of
    return [firsts[n] for n in sorted(firsts)]


def test_cp1252_page_keeps_its_curly_quotes(
    db: Database,
    archive: ArchiveServer,
    client: ArchiveClient,
    policy: PolicyRecord,
    clock: ManualClock,
) -> None:
    _load(archive, spine_history()[:1])
    check_policy(db, client, policy, clock=clock)
    _, version, text = resolve_version(db, "acme@1")
    assert "Acme\u2019s \u201cPrivacy\u201d Policy" in text
    assert "\u2014" in text
    assert version.first_seen.year == 2001


def test_second_check_costs_one_search_and_no_replay(
    db: Database,
    archive: ArchiveServer,
    client: ArchiveClient,
    policy: PolicyRecord,
    clock: ManualClock,
) -> None:
    _load(archive, spine_history())
    check_policy(db, client, policy, clock=clock)
    archive.reset_counts()

    again = check_policy(db, client, get_policy(db, "acme"), clock=clock)

    assert (archive.search_requests, archive.replay_requests) == (1, 0)
    assert (again.found, again.new_versions) == (0, 0)


def test_new_capture_later_becomes_a_version(
    db: Database,
    archive: ArchiveServer,
    client: ArchiveClient,
    policy: PolicyRecord,
    clock: ManualClock,
) -> None:
    _load(archive, spine_history())
    check_policy(db, client, policy, clock=clock)
    changed = page("Privacy", [PREAMBLE, "We changed everything."]).encode()
    archive.store.add(CaptureSpec(URL, "20240101000000", changed))
    archive.reset_counts()

    result = check_policy(db, client, get_policy(db, "acme"), clock=clock)

    assert (result.found, result.new_versions, archive.replay_requests) == (1, 1, 1)
    assert resolve_version(db, "acme@latest")[2].endswith("We changed everything.\n")


def test_transient_failure_ends_the_check_and_the_next_one_recovers(
    db: Database,
    archive: ArchiveServer,
    client: ArchiveClient,
    policy: PolicyRecord,
    clock: ManualClock,
) -> None:
    plan = spine_history()
    _load(archive, plan)
    archive.fail_next(503, count=50, endpoint="replay")

    failed = check_policy(db, client, policy, clock=clock)

    assert failed.error is not None and "503" in failed.error
    assert get_policy(db, "acme").last_error == failed.error
    with db.session() as session:
        assert version_store.list_captures(session, policy.id) == []  # nothing half-recorded
    archive.faults.clear()
    recovered = check_policy(db, client, get_policy(db, "acme"), clock=clock)
    assert recovered.error is None and recovered.found == len(plan)
    assert get_policy(db, "acme").last_error is None


def test_stop_request_leaves_a_resumable_history(
    db: Database,
    archive: ArchiveServer,
    client: ArchiveClient,
    policy: PolicyRecord,
    clock: ManualClock,
) -> None:
    plan = spine_history()
    _load(archive, plan)
    seen: list[int] = []

    def stop_after_ten() -> bool:
        seen.append(1)
        return len(seen) > 10

    first = check_policy(db, client, policy, clock=clock, should_stop=stop_after_ten)
    second = check_policy(db, client, get_policy(db, "acme"), clock=clock)

    assert first.found == len(plan)
    history = policy_history(db, "acme", with_captures=True)
    assert history.captures is not None
    assert [c.timestamp for c in history.captures] == [p.spec.timestamp for p in plan]
    assert second.found == len(plan) - 10


def test_impossible_timestamp_is_rejected_not_a_crash(
    db: Database,
    archive: ArchiveServer,
    client: ArchiveClient,
    policy: PolicyRecord,
    clock: ManualClock,
) -> None:
    archive.store.add(CaptureSpec(URL, "20010230000000", page("Feb 30", [PREAMBLE]).encode()))
    archive.store.add(CaptureSpec(URL, "20010301000000", page("Mar 1", [PREAMBLE]).encode()))

    result = check_policy(db, client, policy, clock=clock)

    history = policy_history(db, "acme", with_captures=True)
    assert history.captures is not None
    assert [(c.outcome, c.reason) for c in history.captures] == [
        ("rejected", "impossible timestamp 20010230000000"),
        ("new", None),
    ]
    assert result.error is None and archive.replay_requests == 1
