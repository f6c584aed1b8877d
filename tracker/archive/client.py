"""A client for the Wayback Machine's CDX search and raw (``id_``) replay.

Why not EDGI's ``wayback`` package, which does much of this well: its endpoints are fixed to
web.archive.org, so it cannot talk to the local archive server the tests, the demo and offline
users rely on; and its rate limiting sleeps on real time, so limits, backoff and the 429 pause
could not be tested with an injected clock. We borrow its key insight instead: a replay answer
carrying a ``Memento-Datetime`` header IS a capture (maybe an archived redirect), while a 3xx
without it is the archive steering us to the nearest capture.
"""

from __future__ import annotations

import json
import random
import re
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
from tenacity import RetryCallState, Retrying, retry_if_exception, stop_after_attempt

from tracker import __version__
from tracker.archive.politeness import Politeness
from tracker.archive.records import CdxRow, Limits, Memento
from tracker.clock import Clock, SystemClock
from tracker.errors import ArchiveError, RateLimited

USER_AGENT = f"redline/{__version__} (+https://github.com/redline-privacy/redline)"
MAX_HOPS = 5  # the archive's nearest-capture redirects we follow before calling it a loop
_REQUIRED_FIELDS = ("urlkey", "timestamp", "original", "mimetype", "statuscode", "digest")
_MEMENTO_URL_RE = re.compile(r"/web/(\d{1,14})(?:[a-z]{2}_)?/(.+)$")
_TIMESTAMP_RE = re.compile(r"\d{14}")


@dataclass
class RequestStats:
    """HTTP requests actually sent, per endpoint (retries included)."""

    search_requests: int = 0
    replay_requests: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def count(self, endpoint: str) -> None:
        """Add one request to ``endpoint``'s counter."""
        with self._lock:
            if endpoint == "search":
                self.search_requests += 1
            else:
                self.replay_requests += 1


def _backoff(state: RetryCallState) -> float:
    """Exponential backoff 1 s, 2 s, 4 s… capped at 30 s, with up to 10 % jitter.

    After a 429 we wait nothing here: the politeness pause already holds the next request.
    """
    outcome = state.outcome
    if outcome is not None and isinstance(outcome.exception(), RateLimited):
        return 0.0
    base = min(2.0 ** (state.attempt_number - 1), 30.0)
    # Jitter keeps several workers that failed together from retrying in lockstep.
    return base * (1.0 + 0.1 * random.random())


def _transient(exc: BaseException) -> bool:
    """Retry only failures that may go away: connection trouble, timeouts, 5xx, 429."""
    return isinstance(exc, ArchiveError) and exc.transient


def _reason(exc: BaseException) -> str:
    """A short cause for a requests exception ("connection refused", "timed out"…)."""
    seen: set[int] = set()
    stack: list[Any] = [exc]
    while stack:
        err = stack.pop()
        if err is None or id(err) in seen:
            continue
        seen.add(id(err))
        if isinstance(err, ConnectionRefusedError):
            return "connection refused"
        if isinstance(err, ConnectionResetError):
            return "connection reset"
        if isinstance(err, socket.gaierror):
            return "host not found"
        if isinstance(err, TimeoutError):
            return "timed out"
        if isinstance(err, BaseException):
            stack.extend([err.__cause__, err.__context__, getattr(err, "reason", None), *err.args])
    return "timed out" if isinstance(exc, requests.Timeout) else type(exc).__name__


class ArchiveClient:
    """Talks to one archive (the Wayback Machine or anything speaking its API).

    Pass a shared :class:`Politeness` to several clients of the same archive so that the rate
    limits and the 429 pause hold for all of them together.
    """

    def __init__(
        self,
        base_url: str,
        *,
        limits: Limits = Limits(),  # noqa: B008 - frozen, so a shared default is safe
        clock: Clock | None = None,
        timeout: float = 30.0,
        max_attempts: int = 4,
        session: requests.Session | None = None,
        politeness: Politeness | None = None,
    ) -> None:
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ArchiveError(f"archive URL must be http(s)://host[:port], not {base_url!r}")
        self.base_url = base_url.rstrip("/")
        self.clock: Clock = clock or SystemClock()
        self.politeness = politeness or Politeness(limits, self.clock)
        self.timeout = timeout
        self.max_attempts = max(1, max_attempts)
        self._own_session = session is None
        self.session = session or requests.Session()
        self.stats = RequestStats()

    def close(self) -> None:
        """Close the HTTP session if this client created it."""
        if self._own_session:
            self.session.close()

    def __enter__(self) -> ArchiveClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- search --------------------------------------------------------------------------------

    def search(
        self,
        url: str,
        *,
        from_ts: str | None = None,
        to_ts: str | None = None,
        status_filter: str | None = None,
        page_size: int = 5000,
    ) -> Iterator[CdxRow]:
        """Yield the CDX rows of ``url`` in the archive's order, following resume keys.

        ``from_ts``/``to_ts`` are 1–14 digit timestamp prefixes; ``status_filter`` is a regex
        the status must match (``"200"``, ``"[23].."``). Exact duplicate rows are dropped.
        Being a generator, it sends nothing (and raises nothing) until iterated.
        """
        params = {"url": url, "output": "json", "showResumeKey": "true", "limit": str(page_size)}
        status = f"statuscode:{status_filter}" if status_filter else None
        optional = {"from": from_ts, "to": to_ts, "filter": status}
        params.update({name: value for name, value in optional.items() if value})
        seen: set[tuple[str, str, str]] = set()
        keys_used: set[str] = set()
        while True:
            response = self._get("search", f"{self.base_url}/cdx/search/cdx", params)
            if response.status_code != 200:
                raise ArchiveError(
                    f"CDX search for {url} at {self.base_url} failed: HTTP {response.status_code}"
                )
            rows, resume_key = _parse_cdx(response.content, self.base_url)
            for row in rows:
                identity = (row.timestamp, row.original, row.digest)
                if identity not in seen:
                    seen.add(identity)
                    yield row
            if resume_key is None:
                return
            if resume_key in keys_used:
                raise ArchiveError(f"CDX search for {url} at {self.base_url} repeats a resume key")
            keys_used.add(resume_key)
            params["resumeKey"] = resume_key

    # -- replay --------------------------------------------------------------------------------

    def fetch(self, timestamp: str, original: str) -> Memento:
        """Replay the capture of ``original`` at (or, failing that, nearest to) ``timestamp``.

        Archived redirects come back as a Memento with a 3xx status and ``location`` set to
        the target's original URL; they are not followed.
        """
        url = f"{self.base_url}/web/{timestamp}id_/{original}"
        visited = {url}
        for _ in range(MAX_HOPS + 1):
            response = self._get("replay", url)
            if "Memento-Datetime" in response.headers:
                return _memento(response, url)
            status = response.status_code
            location = response.headers.get("Location")
            if 300 <= status < 400 and location:
                url = urljoin(url, location)
                if url in visited:
                    raise ArchiveError(f"archive at {self.base_url} loops redirecting {original}")
                visited.add(url)
                continue
            if status == 404:
                raise ArchiveError(f"no capture of {original} near {timestamp} at {self.base_url}")
            raise ArchiveError(f"replay of {original} at {timestamp} failed: HTTP {status}")
        raise ArchiveError(f"archive at {self.base_url}: too many redirects replaying {original}")

    # -- HTTP ----------------------------------------------------------------------------------

    def _get(
        self, endpoint: str, url: str, params: dict[str, str] | None = None
    ) -> requests.Response:
        """GET with politeness and retries (tenacity, sleeping on the injected clock)."""
        retrying = Retrying(
            stop=stop_after_attempt(self.max_attempts),
            wait=_backoff,
            retry=retry_if_exception(_transient),
            sleep=self._backoff_sleep,
            reraise=True,  # callers see our ArchiveError/RateLimited, not tenacity's RetryError
        )
        return retrying(self._attempt, endpoint, url, params)

    def _backoff_sleep(self, seconds: float) -> None:
        """Sleep on the injected clock; skip the zero waits that follow a 429 (see _backoff)."""
        if seconds > 0:
            self.clock.sleep(seconds)

    def _attempt(self, endpoint: str, url: str, params: dict[str, str] | None) -> requests.Response:
        """One polite request; raises transient ArchiveErrors for what is worth retrying."""
        wait: Callable[[], None] = (
            self.politeness.before_search if endpoint == "search" else self.politeness.before_replay
        )
        wait()
        self.stats.count(endpoint)
        try:
            response = self.session.get(
                url,
                params=params,
                timeout=self.timeout,
                allow_redirects=False,  # redirects mean different things here; we decide
                headers={"User-Agent": USER_AGENT},
            )
        except requests.Timeout as exc:
            message = f"archive at {self.base_url} did not answer within {self.timeout:g} s ({url})"
            raise ArchiveError(message, transient=True) from exc
        except requests.RequestException as exc:
            message = f"archive at {self.base_url} unreachable: {_reason(exc)} ({url})"
            raise ArchiveError(message, transient=True) from exc
        # A status carrying Memento-Datetime is an archived one, not the archive's own failure.
        if "Memento-Datetime" in response.headers:
            return response
        if response.status_code == 429:
            self.politeness.paused_429()
            raise RateLimited(f"archive at {self.base_url} is rate limiting us (HTTP 429) ({url})")
        if response.status_code >= 500:
            raise ArchiveError(
                f"archive at {self.base_url} failed: HTTP {response.status_code} ({url})",
                transient=True,
            )
        return response


def _memento(response: requests.Response, url: str) -> Memento:
    """Build a Memento from a replay answer that carries Memento-Datetime."""
    match = _MEMENTO_URL_RE.search(url)
    if match is None or not _TIMESTAMP_RE.fullmatch(match.group(1)):
        raise ArchiveError(f"replay answer at unexpected URL {url}")
    location = response.headers.get("Location") if 300 <= response.status_code < 400 else None
    if location is not None:
        target = _MEMENTO_URL_RE.search(urljoin(url, location))
        location = target.group(2) if target else location
    return Memento(
        timestamp=match.group(1),
        original=match.group(2),
        status=response.status_code,
        content_type=response.headers.get("Content-Type"),
        body=response.content,
        location=location,
    )


def _parse_cdx(content: bytes, base_url: str) -> tuple[list[CdxRow], str | None]:
    """Rows and the resume key (if any) of one CDX JSON page; columns mapped by header name."""
    try:
        table = json.loads(content)
    except ValueError as exc:
        raise ArchiveError(f"malformed CDX answer from {base_url}: not JSON ({exc})") from exc
    if not isinstance(table, list) or not all(isinstance(r, list) for r in table):
        raise ArchiveError(f"malformed CDX answer from {base_url}: not a list of rows")
    if not table:
        return [], None
    header = table[0]
    missing = [name for name in _REQUIRED_FIELDS if name not in header]
    if missing:
        raise ArchiveError(f"malformed CDX answer from {base_url}: no {', '.join(missing)} column")
    body, resume_key = table[1:], None
    if [] in body:
        blank = body.index([])
        tail = body[blank + 1 :]
        if len(tail) != 1 or len(tail[0]) != 1 or not isinstance(tail[0][0], str):
            raise ArchiveError(f"malformed CDX answer from {base_url}: bad resume key rows")
        body, resume_key = body[:blank], tail[0][0]
    return [_cdx_row(header, row, base_url) for row in body], resume_key


def _cdx_row(header: list[Any], row: list[Any], base_url: str) -> CdxRow:
    """One CdxRow from a JSON row, by column name."""
    if len(row) != len(header) or not all(isinstance(v, str) for v in row):
        raise ArchiveError(f"malformed CDX row from {base_url}: {row!r}")
    values = dict(zip(header, row, strict=True))
    if not _TIMESTAMP_RE.fullmatch(values["timestamp"]):
        raise ArchiveError(f"malformed CDX row from {base_url}: timestamp {values['timestamp']!r}")
    raw_length = values.get("length", "-")
    try:
        length = None if raw_length in ("-", "") else int(raw_length)
    except ValueError as exc:
        raise ArchiveError(f"malformed CDX row from {base_url}: length {raw_length!r}") from exc
    return CdxRow(
        urlkey=values["urlkey"],
        timestamp=values["timestamp"],
        original=values["original"],
        mimetype=values["mimetype"],
        statuscode=values["statuscode"],
        digest=values["digest"],
        length=length,
    )
