"""A client for the Wayback Machine's CDX search and raw (``id_``) replay.

Why not EDGI's ``wayback`` package, which does much of this well: its endpoints are fixed to
web.archive.org, so it cannot talk to the local archive server the tests, the demo and offline
users rely on; and its rate limiting sleeps on real time, so limits, backoff and the 429 pause
could not be tested with an injected clock. We borrow its key insight instead: a replay answer
carrying a ``Memento-Datetime`` header IS a capture (maybe an archived redirect), while a 3xx
without it is the archive steering us to the nearest capture.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import TypeVar
from urllib.parse import urljoin, urlsplit

import requests
from tenacity import Retrying, retry_if_exception, retry_if_result, stop_after_attempt

from tracker import __version__
from tracker.archive.cdx import TIMESTAMP_RE, CdxPage, parse_cdx
from tracker.archive.politeness import Politeness
from tracker.archive.records import CdxRow, Limits, Memento
from tracker.archive.transport import (
    MB,
    Answer,
    RequestStats,
    backoff,
    read_body,
    reason,
    transient,
)
from tracker.clock import Clock, SystemClock
from tracker.errors import ArchiveError, RateLimited

USER_AGENT = f"redline/{__version__} (+https://github.com/redline-privacy/redline)"
MAX_HOPS = 5  # the archive's nearest-capture redirects we follow before calling it a loop
# The largest answer read. Policy pages run to a few hundred KB; a page larger than this is
# not a policy, and reading it whole would cost memory a small server may not have.
MAX_BODY = 20 * MB
_MEMENTO_URL_RE = re.compile(r"/web/(\d{1,14})(?:[a-z]{2}_)?/(.+)$")
T = TypeVar("T")


class ArchiveClient:
    """Talks to one archive (the Wayback Machine or anything speaking its API).

    Pass a shared :class:`Politeness` to several clients of the same archive so that the rate
    limits and the 429 pause hold for all of them together. ``timeout`` bounds the wait for
    the connection and for each read; ``max_attempts`` counts every try of a request that
    failed in a way worth retrying; an answer larger than ``max_body`` bytes is refused
    without being read further.
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
        max_body: int = MAX_BODY,
    ) -> None:
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ArchiveError(f"archive URL must be http(s)://host[:port], not {base_url!r}")
        self.base_url = base_url.rstrip("/")
        self.clock: Clock = clock or SystemClock()
        self.politeness = politeness or Politeness(limits, self.clock)
        self.timeout = timeout
        self.max_attempts = max(1, max_attempts)
        self.max_body = max_body
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
        skipped: list[str] | None = None,
    ) -> Iterator[CdxRow]:
        """Yield the CDX rows of ``url`` in the archive's order, following resume keys.

        ``from_ts``/``to_ts`` are 1–14 digit timestamp prefixes; ``status_filter`` is a regex
        the status must match (``"200"``, ``"[23].."``). Exact duplicate rows are dropped.
        Malformed rows are skipped; pass a list as ``skipped`` to get a description of each.
        Being a generator, it sends nothing (and raises nothing) until iterated.
        """
        params = {"url": url, "output": "json", "showResumeKey": "true", "limit": str(page_size)}
        status = f"statuscode:{status_filter}" if status_filter else None
        optional = {"from": from_ts, "to": to_ts, "filter": status}
        params.update({name: value for name, value in optional.items() if value})
        seen: set[tuple[str, str, str]] = set()
        keys_used: set[str] = set()
        while True:
            page = self._search_page(url, params)
            if skipped is not None:
                skipped.extend(page.skipped)
            for row in page.rows:
                identity = (row.timestamp, row.original, row.digest)
                if identity not in seen:
                    seen.add(identity)
                    yield row
            if page.resume_key is None:
                return
            if page.resume_key in keys_used:
                raise ArchiveError(f"CDX search for {url} at {self.base_url} repeats a resume key")
            keys_used.add(page.resume_key)
            params["resumeKey"] = page.resume_key

    def _search_page(self, url: str, params: dict[str, str]) -> CdxPage:
        """One page of a search. An answer that is not JSON is retried like a 503; so is a
        page with malformed rows, which are skipped only if they are still there at the
        last attempt (a garbled transfer heals, a bad index entry does not)."""
        endpoint = f"{self.base_url}/cdx/search/cdx"
        status, page = self._get(
            "search",
            endpoint,
            params,
            read=lambda a: parse_cdx(a.body, self.base_url),
            again=lambda page: isinstance(page, CdxPage) and bool(page.skipped),
        )
        if status == 403:
            raise self._blocked(f"search for {url}", page)
        if not isinstance(page, CdxPage):
            raise ArchiveError(f"CDX search for {url} at {self.base_url} failed: HTTP {status}")
        return page

    # -- replay --------------------------------------------------------------------------------

    def fetch(self, timestamp: str, original: str) -> Memento:
        """Replay the capture of ``original`` at (or, failing that, nearest to) ``timestamp``.

        Archived redirects come back as a Memento with a 3xx status and ``location`` set to
        the target's original URL; they are not followed.
        """
        url = f"{self.base_url}/web/{timestamp}id_/{original}"
        visited = {url}
        for _ in range(MAX_HOPS + 1):
            status, answer = self._get("replay", url, read=lambda a: a)
            if "Memento-Datetime" in answer.headers:
                return _memento(answer, url)
            location = answer.headers.get("Location")
            if 300 <= status < 400 and location:
                url = urljoin(url, location)
                if url in visited:
                    raise ArchiveError(f"archive at {self.base_url} loops redirecting {original}")
                visited.add(url)
                continue
            if status == 404:
                raise ArchiveError(f"no capture of {original} near {timestamp} at {self.base_url}")
            if status == 403:
                raise self._blocked(f"replay of {original}", answer)
            raise ArchiveError(f"replay of {original} at {timestamp} failed: HTTP {status}")
        raise ArchiveError(f"archive at {self.base_url}: too many redirects replaying {original}")

    def _blocked(self, what: str, answer: Answer | CdxPage) -> ArchiveError:
        """The archive's own 403: it excludes the site (robots.txt or the owner's request).

        Transient, but raised outside the retry loop: asking again at once is pointless,
        while the exclusion may be lifted before a later check.
        """
        body = answer.body if isinstance(answer, Answer) else b""
        why = (
            "the site's robots.txt blocks it"
            if b"robots" in body.lower()
            else "the site is excluded, usually by its robots.txt or at its owner's request"
        )
        message = f"archive at {self.base_url} refused the {what} (HTTP 403): {why}"
        return ArchiveError(message, transient=True)

    # -- HTTP ----------------------------------------------------------------------------------

    def _get(
        self,
        endpoint: str,
        url: str,
        params: dict[str, str] | None = None,
        *,
        read: Callable[[Answer], T],
        again: Callable[[T | Answer], bool] | None = None,
    ) -> tuple[int, T | Answer]:
        """GET with politeness and retries (tenacity, sleeping on the injected clock).

        ``read`` turns a 200 (or any archived) answer into a result inside the attempt, so
        a transient error it raises is retried too; other answers come back as they are.
        A result for which ``again`` is true is retried, and returned if the last one is.
        """
        retry = retry_if_exception(transient)
        if again is not None:
            retry = retry | retry_if_result(lambda result: again(result[1]))
        retrying = Retrying(
            stop=stop_after_attempt(self.max_attempts),
            wait=backoff,
            retry=retry,
            sleep=self._backoff_sleep,
            # The last outcome as it is: our ArchiveError/RateLimited raised, not tenacity's
            # RetryError, or the last result that ``again`` wanted to try once more.
            retry_error_callback=lambda state: state.outcome.result() if state.outcome else None,
        )
        return retrying(self._attempt, endpoint, url, params, read)

    def _backoff_sleep(self, seconds: float) -> None:
        """Sleep on the injected clock; skip the zero waits that follow a 429 (see backoff)."""
        if seconds > 0:
            self.clock.sleep(seconds)

    def _attempt(
        self,
        endpoint: str,
        url: str,
        params: dict[str, str] | None,
        read: Callable[[Answer], T],
    ) -> tuple[int, T | Answer]:
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
                stream=True,  # so that the size limit holds before the body is in memory
            )
        except requests.Timeout as exc:
            message = f"archive at {self.base_url} did not answer within {self.timeout:g} s ({url})"
            raise ArchiveError(message, transient=True) from exc
        except requests.RequestException as exc:
            message = f"archive at {self.base_url} unreachable: {reason(exc)} ({url})"
            raise ArchiveError(message, transient=True) from exc
        with response:
            status = response.status_code
            archived = "Memento-Datetime" in response.headers
            # A status carrying Memento-Datetime is an archived one, not the archive's own.
            if status == 429 and not archived:
                self.politeness.paused_429()
                message = f"archive at {self.base_url} is rate limiting us (HTTP 429) ({url})"
                raise RateLimited(message)
            if status >= 500 and not archived:
                raise ArchiveError(
                    f"archive at {self.base_url} failed: HTTP {status} ({url})", transient=True
                )
            what = "CDX answer" if endpoint == "search" else "page"
            body = read_body(response, self.max_body, f"{what} at {url}", self.base_url)
            answer = Answer(status, response.headers, body)
        return status, (read(answer) if status == 200 or archived else answer)


def _memento(answer: Answer, url: str) -> Memento:
    """Build a Memento from a replay answer that carries Memento-Datetime."""
    match = _MEMENTO_URL_RE.search(url)
    if match is None or not TIMESTAMP_RE.fullmatch(match.group(1)):
        raise ArchiveError(f"replay answer at unexpected URL {url}")
    location = answer.headers.get("Location") if 300 <= answer.status < 400 else None
    if location is not None:
        target = _MEMENTO_URL_RE.search(urljoin(url, location))
        location = target.group(2) if target else location
    return Memento(
        timestamp=match.group(1),
        original=match.group(2),
        status=answer.status,
        content_type=answer.headers.get("Content-Type"),
        body=answer.body,
        location=location,
    )
