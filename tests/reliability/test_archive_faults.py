"""The archive client against every fault the local archive server can inject, over real HTTP.

For each fault: how many requests were sent (bounded retries), what error comes out (clear,
transient or not), and that a later request, with the fault gone, gets the whole answer.
"""

from __future__ import annotations

import tracemalloc
from collections.abc import Iterator

import pytest

from tracker.archive import MAX_BODY, ArchiveClient, ArchiveServer, CaptureSpec, Limits
from tracker.archive.faults import MB
from tracker.clock import ManualClock
from tracker.errors import ArchiveError

URL = "https://example.com/privacy"
PAGE = b"<html><body>" + b"<p>We collect your e-mail address.</p>" * 100 + b"</body></html>"
TIMESTAMPS = [f"2020{month:02d}01000000" for month in range(1, 8)]  # two CDX pages of 5
NO_LIMITS = Limits(search_per_minute=None, replay_per_second=None)


@pytest.fixture
def faulty(clocked_archive: ArchiveServer) -> ArchiveServer:
    """The clocked archive holding seven captures of URL."""
    for timestamp in TIMESTAMPS:
        clocked_archive.store.add(CaptureSpec(URL, timestamp, PAGE))
    return clocked_archive


@pytest.fixture
def client(faulty: ArchiveServer, clock: ManualClock) -> Iterator[ArchiveClient]:
    """A client without rate limits, four attempts per request."""
    with ArchiveClient(faulty.base_url, limits=NO_LIMITS, clock=clock, timeout=10) as c:
        yield c


def _answers(server: ArchiveServer) -> list[str]:
    return [r.answer for r in server.requests]


def _fetch(client: ArchiveClient) -> bytes:
    return client.fetch(TIMESTAMPS[0], URL).body


def _search(client: ArchiveClient) -> list[str]:
    return [row.timestamp for row in client.search(URL)]


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_5xx_burst_is_retried_with_backoff_and_a_longer_one_is_a_transient_error(
    faulty: ArchiveServer, client: ArchiveClient, clock: ManualClock, status: int
) -> None:
    faulty.fail_next(status, count=3, endpoint="replay")
    assert _fetch(client) == PAGE
    assert _answers(faulty) == [str(status)] * 3 + ["ok"]
    assert [round(s) for s in clock.sleeps] == [1, 2, 4]  # exponential, 10 % jitter at most

    faulty.fail_next(status, count=4, endpoint="replay")
    with pytest.raises(ArchiveError, match=f"HTTP {status}") as caught:
        _fetch(client)
    assert caught.value.transient is True
    assert len(faulty.requests) == 4 + 4  # four attempts, no more
    assert _fetch(client) == PAGE  # the fault is gone: the next request is whole


@pytest.mark.parametrize(
    ("kind", "why"),
    [("reset", "connection reset"), ("short", "bytes short of its Content-Length")],
)
@pytest.mark.parametrize("endpoint", ["replay", "search"])
def test_an_answer_broken_off_mid_body_is_retried_never_used_in_part(
    faulty: ArchiveServer, client: ArchiveClient, kind: str, why: str, endpoint: str
) -> None:
    def call() -> object:
        return _fetch(client) if endpoint == "replay" else _search(client)

    fault = faulty.inject(kind, count=4, endpoint=endpoint)
    with pytest.raises(ArchiveError, match="broke off its answer") as caught:
        call()
    assert why in str(caught.value)
    assert caught.value.transient is True
    assert _answers(faulty) == [kind] * 4
    assert fault.sent > 0  # the headers and half the body did go out

    faulty.inject(kind, count=3, endpoint=endpoint)
    assert call() == (PAGE if endpoint == "replay" else TIMESTAMPS)
    assert _answers(faulty)[4:8] == [kind] * 3 + ["ok"]


def test_an_answer_slower_than_the_timeout_is_retried_then_a_transient_error(
    faulty: ArchiveServer, client: ArchiveClient, clock: ManualClock
) -> None:
    faulty.inject("hold", count=4, endpoint="replay")
    hasty = ArchiveClient(faulty.base_url, limits=NO_LIMITS, clock=clock, timeout=0.1)
    try:
        with pytest.raises(ArchiveError, match=r"did not answer within 0\.1 s") as caught:
            _fetch(hasty)
    finally:
        faulty.release()  # the four held handler threads may finish now
        hasty.close()
    assert caught.value.transient is True
    assert _answers(faulty) == ["hold"] * 4
    assert _fetch(client) == PAGE


@pytest.mark.parametrize("with_length", [True, False])
def test_a_50_mb_page_is_refused_without_being_read_whole(
    faulty: ArchiveServer, clock: ManualClock, with_length: bool
) -> None:
    fault = faulty.inject("big", endpoint="replay", size=50 * MB, with_length=with_length)
    client = ArchiveClient(faulty.base_url, limits=NO_LIMITS, clock=clock)  # default max_body
    tracemalloc.start()
    try:
        with pytest.raises(ArchiveError, match="is larger than 20 MB") as caught:
            _fetch(client)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert caught.value.transient is False  # the page will not shrink: no retry
    assert _answers(faulty) == ["big"]
    assert fault.done.wait(10), "the server never finished sending"
    if with_length:
        # Refused on its Content-Length: only what the sockets buffered was ever sent.
        assert peak < 2 * MB
        assert fault.sent < MAX_BODY
    else:
        # Read up to the limit and no further: the rest was never sent.
        assert peak < MAX_BODY + 4 * MB
        assert fault.sent < MAX_BODY + 16 * MB
    assert _fetch(client) == PAGE
    client.close()


def test_a_redirect_loop_is_a_permanent_error(faulty: ArchiveServer, client: ArchiveClient) -> None:
    faulty.inject("loop", endpoint="replay")
    with pytest.raises(ArchiveError, match=f"loops redirecting {URL}") as caught:
        _fetch(client)
    assert caught.value.transient is False
    assert _answers(faulty) == ["loop"]


@pytest.mark.parametrize("endpoint", ["search", "replay"])
def test_a_robots_exclusion_names_robots_txt_and_is_not_retried_at_once(
    faulty: ArchiveServer, client: ArchiveClient, endpoint: str
) -> None:
    faulty.inject("robots", endpoint=endpoint)
    with pytest.raises(ArchiveError) as caught:
        _fetch(client) if endpoint == "replay" else _search(client)
    message = str(caught.value)
    assert f"refused the {endpoint} of" in message or f"refused the {endpoint} for" in message
    assert "(HTTP 403)" in message and "robots.txt" in message
    # Transient: the next check may find the exclusion lifted; but no retry within this one.
    assert caught.value.transient is True
    assert _answers(faulty) == ["robots"]


@pytest.mark.parametrize("kind", ["not_json", "truncated"])
def test_a_cdx_answer_that_is_not_json_is_retried_then_a_transient_error(
    faulty: ArchiveServer, client: ArchiveClient, kind: str
) -> None:
    faulty.inject(kind, count=3, endpoint="search")
    assert _search(client) == TIMESTAMPS
    assert _answers(faulty) == [kind] * 3 + ["ok", "ok"]  # two pages

    faulty.inject(kind, count=4, endpoint="search")
    with pytest.raises(ArchiveError, match=r"malformed CDX answer .*: not JSON") as caught:
        _search(client)
    assert caught.value.transient is True
    assert _answers(faulty)[5:] == [kind] * 4


def test_malformed_cdx_rows_that_heal_on_retry_lose_nothing(
    faulty: ArchiveServer, client: ArchiveClient
) -> None:
    faulty.inject("bad_rows", count=2, endpoint="search")
    skipped: list[str] = []
    assert [r.timestamp for r in client.search(URL, skipped=skipped)] == TIMESTAMPS
    assert skipped == []
    assert _answers(faulty) == ["bad_rows", "bad_rows", "ok", "ok"]


def test_malformed_cdx_rows_that_persist_are_skipped_and_each_described(
    faulty: ArchiveServer, client: ArchiveClient
) -> None:
    faulty.inject("bad_rows", count=4, endpoint="search")  # every attempt at the first page
    skipped: list[str] = []
    rows = [r.timestamp for r in client.search(URL, skipped=skipped)]
    # Rows 1, 3 and 5 of the first page were garbled; the second page came whole.
    assert rows == [TIMESTAMPS[1], TIMESTAMPS[3], *TIMESTAMPS[5:]]
    assert len(skipped) == 3
    assert "3 cells for 7 columns" in skipped[0]
    assert "timestamp '2020-01-01' is not 14 digits" in skipped[1]
    assert "a cell that is not a string" in skipped[2] and TIMESTAMPS[4] in skipped[2]
    assert _answers(faulty) == ["bad_rows"] * 4 + ["ok"]
