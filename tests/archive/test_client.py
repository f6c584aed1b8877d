"""ArchiveClient against the real local archive server (and two tiny hostile servers)."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, ClassVar

import pytest

from tracker import __version__
from tracker.archive import (
    ArchiveClient,
    ArchiveServer,
    CaptureSpec,
    CaptureStore,
    Limits,
    Politeness,
)
from tracker.archive.cdx import parse_cdx
from tracker.clock import ManualClock
from tracker.errors import ArchiveError, RateLimited

if TYPE_CHECKING:  # test folders are not packages; conftest is importable only to type checkers
    from conftest import Sample

# The sample archive's main URL (see conftest.Sample); used where no fixture can reach.
PRIVACY = "https://example.com/privacy"
NO_LIMITS = Limits(search_per_minute=None, replay_per_second=None)

# -- search ------------------------------------------------------------------------------------


def test_search_follows_resume_keys(
    server: ArchiveServer, client: ArchiveClient, sample: Sample
) -> None:
    rows = list(client.search(PRIVACY, page_size=2))
    assert [r.timestamp for r in rows] == sample.timestamps
    assert server.search_requests == 3  # 6 rows in pages of 2
    assert client.stats.search_requests == 3
    first = rows[0]
    assert first.urlkey == "com,example)/privacy"
    assert (first.original, first.mimetype, first.statuscode) == (PRIVACY, "text/html", "200")
    assert first.length == len(sample.v1)


def test_search_pages_by_the_servers_own_limit(
    store: CaptureStore, clock: ManualClock, sample: Sample
) -> None:
    with (
        ArchiveServer(store, page_size=4) as small,
        ArchiveClient(small.base_url, limits=NO_LIMITS, clock=clock) as client,
    ):
        assert [r.timestamp for r in client.search(PRIVACY)] == sample.timestamps
        assert small.search_requests == 2


def test_search_from_and_to_are_prefixes(client: ArchiveClient, sample: Sample) -> None:
    rows = list(client.search(PRIVACY, from_ts="2020", to_ts="2020"))
    assert [r.timestamp for r in rows] == sample.timestamps[:3]
    rows = list(client.search(PRIVACY, from_ts="20210101"))
    assert [r.timestamp for r in rows] == sample.timestamps[3:]


def test_search_status_filter(client: ArchiveClient) -> None:
    assert [r.statuscode for r in client.search(PRIVACY, status_filter="200")] == ["200"] * 4
    assert [r.statuscode for r in client.search(PRIVACY, status_filter="3..")] == ["301"]


def test_search_empty(client: ArchiveClient) -> None:
    assert list(client.search("https://nothing.example/")) == []


def test_search_drops_duplicate_rows_even_across_pages(
    server: ArchiveServer, client: ArchiveClient, sample: Sample
) -> None:
    server.store.add(CaptureSpec(PRIVACY, "20200101000000", sample.v1))
    server.store.add(CaptureSpec(PRIVACY, "20200101000000", sample.v1))
    rows = list(client.search(PRIVACY, page_size=1))
    assert [r.timestamp for r in rows] == sample.timestamps
    assert server.search_requests == 8  # the server did send all 8 rows


def test_search_respects_the_rate_limit(server: ArchiveServer, clock: ManualClock) -> None:
    with ArchiveClient(server.base_url, clock=clock) as client:
        list(client.search(PRIVACY, page_size=2))
    assert clock.sleeps == pytest.approx([2.5, 2.5])


def test_search_sees_captures_added_later(
    server: ArchiveServer, client: ArchiveClient, sample: Sample
) -> None:
    server.store.add(CaptureSpec(PRIVACY, "20230101000000", sample.v1))
    assert list(client.search(PRIVACY))[-1].timestamp == "20230101000000"


# -- fetch -------------------------------------------------------------------------------------


def test_fetch_exact(server: ArchiveServer, client: ArchiveClient, sample: Sample) -> None:
    memento = client.fetch("20210315080000", PRIVACY)
    assert memento.timestamp == "20210315080000"
    assert memento.original == PRIVACY
    assert memento.status == 200
    assert memento.content_type == "text/html; charset=windows-1252"
    assert memento.body == sample.v3  # cp1252 bytes, untouched
    assert memento.location is None
    assert server.replay_requests == 1


def test_fetch_inexact_follows_to_the_nearest(
    server: ArchiveServer, client: ArchiveClient, sample: Sample
) -> None:
    memento = client.fetch("20200501000000", PRIVACY)
    assert memento.timestamp == "20200601120000"
    assert memento.body == sample.v1
    assert server.replay_requests == 2
    assert client.stats.replay_requests == 2


def test_fetch_archived_redirect_is_returned_not_followed(
    server: ArchiveServer, client: ArchiveClient, sample: Sample
) -> None:
    memento = client.fetch("20210701000000", PRIVACY)
    assert (memento.status, memento.location) == (301, sample.new_privacy)
    assert memento.timestamp == "20210701000000"
    assert server.replay_requests == 1


def test_fetch_archived_404_is_a_memento(client: ArchiveClient) -> None:
    memento = client.fetch("20220101000000", PRIVACY)
    assert memento.status == 404
    assert memento.body == b"<h1>Not found</h1>"


def test_fetch_unknown_url_is_a_permanent_error(client: ArchiveClient) -> None:
    with pytest.raises(ArchiveError) as caught:
        client.fetch("20200101000000", "https://nothing.example/")
    assert caught.value.transient is False
    assert "nothing.example" in str(caught.value)


# -- retries, 429, failures --------------------------------------------------------------------


def test_503_twice_then_success(
    server: ArchiveServer, client: ArchiveClient, clock: ManualClock, sample: Sample
) -> None:
    server.fail_next(503, count=2, endpoint="replay")
    assert client.fetch("20200101000000", PRIVACY).body == sample.v1
    assert server.replay_requests == 3
    assert client.stats.replay_requests == 3
    assert len(clock.sleeps) == 2  # exponential backoff with at most 10 % jitter
    assert 1.0 <= clock.sleeps[0] <= 1.1
    assert 2.0 <= clock.sleeps[1] <= 2.2


def test_429_pauses_everything_then_succeeds(
    server: ArchiveServer, client: ArchiveClient, clock: ManualClock, sample: Sample
) -> None:
    server.fail_next(429, endpoint="search")
    start = clock.monotonic()
    assert len(list(client.search(PRIVACY))) == len(sample.timestamps)
    assert server.search_requests == 2
    assert clock.monotonic() - start >= 60.0
    assert sum(clock.sleeps) >= 60.0


def test_429_pause_is_shared_by_clients_of_one_politeness(
    server: ArchiveServer, clock: ManualClock
) -> None:
    shared = Politeness(NO_LIMITS, clock)
    searcher = ArchiveClient(server.base_url, clock=clock, politeness=shared, max_attempts=1)
    fetcher = ArchiveClient(server.base_url, clock=clock, politeness=shared)
    server.fail_next(429, endpoint="search")
    start = clock.monotonic()
    with pytest.raises(RateLimited):
        list(searcher.search(PRIVACY))
    assert clock.sleeps == []  # nobody waited yet: the searcher gave up at once
    fetcher.fetch("20200101000000", PRIVACY)  # the fetcher waits out the searcher's 429
    assert clock.monotonic() - start >= 60.0
    searcher.close()
    fetcher.close()


def test_persistent_429_raises_rate_limited(server: ArchiveServer, clock: ManualClock) -> None:
    server.fail_next(429, count=10)
    with (
        ArchiveClient(server.base_url, limits=NO_LIMITS, clock=clock, max_attempts=3) as client,
        pytest.raises(RateLimited) as caught,
    ):
        client.fetch("20200101000000", PRIVACY)
    assert caught.value.transient is True
    assert server.replay_requests == 3
    assert sum(clock.sleeps) >= 2 * 60.0


def test_persistent_5xx_is_a_transient_error(
    server: ArchiveServer, client: ArchiveClient, clock: ManualClock
) -> None:
    server.fail_next(500, count=10)
    with pytest.raises(ArchiveError) as caught:
        list(client.search(PRIVACY))
    assert caught.value.transient is True
    assert "HTTP 500" in str(caught.value)
    assert server.search_requests == 4  # max_attempts
    assert len(clock.sleeps) == 3


def test_unreachable_archive(clock: ManualClock) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    with (
        ArchiveClient(base, limits=NO_LIMITS, clock=clock, max_attempts=2) as client,
        pytest.raises(ArchiveError) as caught,
    ):
        client.fetch("20200101000000", PRIVACY)
    assert caught.value.transient is True
    message = str(caught.value)
    assert message.startswith(f"archive at {base} unreachable: connection refused")
    assert "\n" not in message
    assert client.stats.replay_requests == 2


@pytest.mark.parametrize("base", ["ftp://example.org", "web.archive.org", "file:///tmp", ""])
def test_non_http_base_url_is_rejected(base: str) -> None:
    with pytest.raises(ArchiveError) as caught:
        ArchiveClient(base)
    assert caught.value.transient is False


def test_trailing_slash_in_base_url(
    server: ArchiveServer, clock: ManualClock, sample: Sample
) -> None:
    with ArchiveClient(server.base_url + "/", limits=NO_LIMITS, clock=clock) as client:
        assert client.fetch("20200101000000", PRIVACY).body == sample.v1


# -- a hostile archive: loops, garbage, and what we send --------------------------------------


class _Hostile(BaseHTTPRequestHandler):
    """Answers CDX with garbage and replays with a redirect loop; records User-Agents."""

    agents: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.agents.append(self.headers.get("User-Agent", ""))
        if self.path.startswith("/cdx/"):
            body = b"<html>not json</html>"
            self.send_response(200)
        else:
            body = b""
            self.send_response(302)
            other = "20200101000000" if "20210101000000" in self.path else "20210101000000"
            self.send_header("Location", f"/web/{other}id_/{PRIVACY}")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def hostile() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Hostile)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()
    thread.join()


def test_redirect_loop_is_an_error(hostile: str, clock: ManualClock) -> None:
    with (
        ArchiveClient(hostile, limits=NO_LIMITS, clock=clock) as client,
        pytest.raises(ArchiveError, match="loops"),
    ):
        client.fetch("20200101000000", PRIVACY)
    assert set(_Hostile.agents) == {
        f"redline/{__version__} (+https://github.com/redline-privacy/redline)"
    }


def test_cdx_answer_that_is_not_json_is_retried_then_transient(
    hostile: str, clock: ManualClock
) -> None:
    # An HTML error page with status 200 is how an overloaded archive answers: try again.
    with (
        ArchiveClient(hostile, limits=NO_LIMITS, clock=clock, max_attempts=3) as client,
        pytest.raises(ArchiveError, match="not JSON") as caught,
    ):
        list(client.search(PRIVACY))
    assert caught.value.transient is True
    assert client.stats.search_requests == 3
    assert len(clock.sleeps) == 2


def test_timeout_is_transient(clock: ManualClock) -> None:
    # A listening socket that never accepts: the kernel completes the handshake, nobody answers.
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(8)
        base = f"http://127.0.0.1:{sock.getsockname()[1]}"
        client = ArchiveClient(base, limits=NO_LIMITS, clock=clock, timeout=0.1, max_attempts=2)
        with pytest.raises(ArchiveError, match=r"did not answer within 0\.1 s") as caught:
            client.fetch("20200101000000", PRIVACY)
        client.close()
    assert caught.value.transient is True


# -- CDX parsing -------------------------------------------------------------------------------


def test_cdx_columns_are_mapped_by_name() -> None:
    table = [
        ["timestamp", "original", "statuscode", "urlkey", "digest", "mimetype", "length"],
        ["20200101000000", PRIVACY, "200", "com,example)/privacy", "ABC", "text/html", "-"],
        [],
        ["next-page"],
    ]
    page = parse_cdx(json.dumps(table).encode(), "http://x")
    assert page.resume_key == "next-page"
    assert page.rows[0].urlkey == "com,example)/privacy"
    assert page.rows[0].statuscode == "200"
    assert page.rows[0].length is None
    assert page.skipped == []


@pytest.mark.parametrize(
    "content",
    [
        b"{}",
        b"[1, 2]",
        b'[["urlkey", "timestamp"], ["a", "20200101000000"]]',
        json.dumps([list("abcdefg")]).encode(),
        json.dumps(
            [
                ["urlkey", "timestamp", "original", "mimetype", "statuscode", "digest"],
                [],
                ["a"],
                ["b"],
            ]
        ).encode(),
    ],
)
def test_cdx_of_the_wrong_shape_is_a_permanent_error(content: bytes) -> None:
    with pytest.raises(ArchiveError, match="malformed CDX") as caught:
        parse_cdx(content, "http://x")
    assert caught.value.transient is False


@pytest.mark.parametrize("content", [b"<html>busy</html>", b'[["urlkey", "timest', b""])
def test_cdx_that_is_not_json_is_a_transient_error(content: bytes) -> None:
    with pytest.raises(ArchiveError, match="not JSON") as caught:
        parse_cdx(content, "http://x")
    assert caught.value.transient is True


HEADER = ["urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length"]
GOOD = ["k", "20200101000000", PRIVACY, "text/html", "200", "D", "12"]


@pytest.mark.parametrize(
    ("bad", "why"),
    [
        (["k", "2020", PRIVACY, "text/html", "200", "D", "12"], "timestamp '2020' is not 14"),
        (["k", "20200101000000", PRIVACY], "3 cells for 7 columns"),
        (["k", "20200101000000", PRIVACY, "text/html", 200, "D", "12"], "not a string"),
    ],
)
def test_a_malformed_row_is_skipped_and_described(bad: list[object], why: str) -> None:
    page = parse_cdx(json.dumps([HEADER, bad, GOOD]).encode(), "http://x")
    assert [r.timestamp for r in page.rows] == ["20200101000000"]
    assert len(page.skipped) == 1
    assert why in page.skipped[0]
    assert json.dumps(bad)[:40] in page.skipped[0]


def test_a_bad_length_only_loses_the_length() -> None:
    page = parse_cdx(json.dumps([HEADER, [*GOOD[:6], "12kB"]]).encode(), "http://x")
    assert page.rows[0].length is None and page.skipped == []


def test_empty_cdx() -> None:
    page = parse_cdx(b"[]", "http://x")
    assert (page.rows, page.resume_key, page.skipped) == ([], None, [])


def test_default_limits_are_80_percent_of_published() -> None:
    assert Limits() == Limits(search_per_minute=24, replay_per_second=8, pause_on_429=60.0)
