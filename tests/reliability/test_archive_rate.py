"""Counting requests on the clock: the limits hold, and after a 429 nothing is sent for 60 s.

The archive server stamps each request with the ManualClock the clients sleep on, so the
request log shows exactly when, in clock time, each request reached the archive.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise

import pytest
from scenarios import URL, spine_history

from storage.db import Database
from tracker.archive import ArchiveClient, ArchiveServer, CaptureSpec, Limits, RequestRecord
from tracker.checks import ArchiveClients, run_checks, select_policies
from tracker.clock import ManualClock
from tracker.config import ArchiveSettings
from tracker.errors import RateLimited
from tracker.policies import NewPolicy, add_policy

LIMITS = Limits()  # the defaults: 24 searches a minute, 8 replays a second, 60 s after a 429
OTHER = "http://example.org/privacy"
EPS = 1e-6  # float rounding in clock sums


def assert_polite(log: list[RequestRecord], limits: Limits = LIMITS) -> None:
    """Spacing per endpoint, at most N searches in any minute, and silence after each 429."""
    assert limits.search_per_minute and limits.replay_per_second
    searches = [r.at for r in log if r.endpoint == "search"]
    replays = [r.at for r in log if r.endpoint == "replay"]
    assert all(b - a >= 60 / limits.search_per_minute - EPS for a, b in pairwise(searches))
    assert all(b - a >= 1 / limits.replay_per_second - EPS for a, b in pairwise(replays))
    for start in searches:
        in_minute = [t for t in searches if start <= t < start + 60 - EPS]
        assert len(in_minute) <= limits.search_per_minute
    for refused, following in pairwise(log):
        if refused.answer == "429":
            assert following.at >= refused.at + limits.pause_on_429 - EPS, (refused, following)


@pytest.fixture
def db(migrated_db: Database) -> Database:
    """This module's databases: copies of a migrated template (see conftest), for speed."""
    return migrated_db


@pytest.fixture
def archive23(clocked_archive: ArchiveServer) -> ArchiveServer:
    """23 captures of URL: five CDX pages."""
    for day in range(1, 24):
        clocked_archive.store.add(CaptureSpec(URL, f"202001{day:02d}000000", b"<p>policy</p>"))
    return clocked_archive


@pytest.fixture
def polite(archive23: ArchiveServer, clock: ManualClock) -> Iterator[ArchiveClient]:
    """A client with the default limits."""
    with ArchiveClient(archive23.base_url, limits=LIMITS, clock=clock) as client:
        yield client


def test_spacing_holds_and_429_bursts_silence_every_endpoint(
    archive23: ArchiveServer, polite: ArchiveClient, clock: ManualClock
) -> None:
    archive23.fail_next(429, count=2, endpoint="search")  # a burst, on the first page
    archive23.inject("status", 1, "replay", status=429, after=2)
    rows = list(polite.search(URL))
    for n, row in enumerate(rows):
        if n < 6:
            polite.fetch(row.timestamp, row.original)
        list(polite.search(URL, from_ts=row.timestamp, to_ts=row.timestamp))

    log = archive23.requests
    assert len(rows) == 23
    assert [r.answer for r in log].count("429") == 3  # the test did meet its 429s
    assert len(log) == 5 + 2 + 6 + 1 + 23  # pages, 429s, replays, a replay retried, searches
    assert sum(r.endpoint == "search" for r in log) > 24  # enough to test the minute window
    assert_polite(log)


def test_a_429_burst_longer_than_the_attempts_raises_and_its_pause_outlives_the_call(
    archive23: ArchiveServer, polite: ArchiveClient, clock: ManualClock
) -> None:
    archive23.fail_next(429, count=5, endpoint="search")
    with pytest.raises(RateLimited, match=r"rate limiting us \(HTTP 429\)"):
        list(polite.search(URL))
    assert [r.answer for r in archive23.requests] == ["429"] * 4
    last = archive23.requests[-1].at

    polite.fetch("20200101000000", URL)  # another endpoint still waits out the pause
    assert archive23.requests[-1].at >= last + 60
    assert len(list(polite.search(URL))) == 23  # the burst's 5th 429, a pause, then all pages
    assert [r.answer for r in archive23.requests].count("429") == 5
    assert_polite(archive23.requests)


def test_checks_over_several_cycles_stay_within_the_limits(
    db: Database, clocked_archive: ArchiveServer, clock: ManualClock
) -> None:
    for planned in spine_history()[:12] + spine_history(OTHER)[:6]:
        clocked_archive.store.add(planned.spec)
    for name, url in (("acme", URL), ("other", OTHER)):
        add_policy(db, NewPolicy(name, url, archive=clocked_archive.base_url), clock)
    clients = ArchiveClients(ArchiveSettings(url=clocked_archive.base_url), clock)
    policies = select_policies(db, [])

    # Cycle 1: bursts of 429 on both endpoints, short enough to be ridden out.
    clocked_archive.fail_next(429, count=3, endpoint="search")
    clocked_archive.inject("status", 2, "replay", status=429, after=3)
    assert [r.error for r in run_checks(db, policies, clients, clock=clock)] == [None, None]
    # Cycle 2: the first policy's search meets more 429s than it has attempts.
    clocked_archive.fail_next(429, count=4, endpoint="search")
    failed = run_checks(db, select_policies(db, []), clients, clock=clock)
    assert "rate limiting us (HTTP 429)" in (failed[0].error or "")
    assert failed[1].error is None
    # Cycle 3: no faults; the first policy is back to normal.
    clocked_archive.store.add(CaptureSpec(URL, "20210101000000", b"<p>new</p>"))
    recovered = run_checks(db, select_policies(db, []), clients, clock=clock)
    assert [r.error for r in recovered] == [None, None] and recovered[0].found == 1
    clients.close()

    log = clocked_archive.requests
    assert [r.answer for r in log].count("429") == 3 + 2 + 4
    assert_polite(log)


def test_assert_polite_catches_what_it_should() -> None:
    def at(t: float, endpoint: str = "search", answer: str = "ok") -> RequestRecord:
        return RequestRecord(t, endpoint, "/", answer)

    assert_polite([at(0), at(2.5), at(5), at(5, "replay"), at(5.125, "replay")])
    for impolite in (
        [at(0), at(2.4)],  # searches too close
        [at(0, "replay"), at(0.1, "replay")],  # replays too close
        [at(0, answer="429"), at(59.9, "replay")],  # a request inside the pause
    ):
        with pytest.raises(AssertionError):
            assert_polite(impolite)
    assert_polite([at(2.5 * n) for n in range(25)])  # 24 in any minute, exactly the limit
