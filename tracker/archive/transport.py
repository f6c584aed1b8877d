"""HTTP plumbing of the archive client: answers read within a size limit, the retry policy,
and short human causes for network failures."""

from __future__ import annotations

import http.client
import random
import socket
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import requests
import urllib3.exceptions
from tenacity import RetryCallState

from tracker.errors import ArchiveError, RateLimited

MB = 1024 * 1024
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class Answer:
    """One HTTP answer, read whole (within the size limit)."""

    status: int
    headers: Mapping[str, str]  # case-insensitive, as requests gives them
    body: bytes


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


def backoff(state: RetryCallState) -> float:
    """Exponential backoff 1 s, 2 s, 4 s… capped at 30 s, with up to 10 % jitter.

    After a 429 we wait nothing here: the politeness pause already holds the next request.
    """
    outcome = state.outcome
    if outcome is not None and isinstance(outcome.exception(), RateLimited):
        return 0.0
    base = min(2.0 ** (state.attempt_number - 1), 30.0)
    # Jitter keeps several workers that failed together from retrying in lockstep.
    return base * (1.0 + 0.1 * random.random())


def transient(exc: BaseException) -> bool:
    """Retry only failures that may go away: connection trouble, timeouts, 5xx, 429."""
    return isinstance(exc, ArchiveError) and exc.transient


def reason(exc: BaseException) -> str:
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
        if isinstance(err, TimeoutError | urllib3.exceptions.ReadTimeoutError):
            return "timed out"
        if isinstance(err, http.client.IncompleteRead):
            missing = err.expected if isinstance(err.expected, int) else "some"
            return f"{missing} bytes short of its Content-Length"
        if isinstance(err, BaseException):
            stack.extend([err.__cause__, err.__context__, getattr(err, "reason", None), *err.args])
    return "timed out" if isinstance(exc, requests.Timeout) else type(exc).__name__


def read_body(response: requests.Response, max_body: int, what: str, base_url: str) -> bytes:
    """The body of a streamed response, refused once it passes ``max_body`` bytes.

    A declared Content-Length over the limit is refused before reading anything; without
    one, reading stops at the first chunk past the limit. A connection broken off mid-body
    is a transient error: a body is used whole or not at all.
    """
    too_big = ArchiveError(f"{what} is larger than {max_body / MB:g} MB, the most Redline reads")
    declared = response.headers.get("Content-Length", "")
    if declared.isascii() and declared.isdigit() and int(declared) > max_body:
        raise too_big
    body = bytearray()
    try:
        for chunk in response.iter_content(_CHUNK):
            body += chunk
            if len(body) > max_body:
                raise too_big
    except requests.RequestException as exc:
        message = f"archive at {base_url} broke off its answer: {reason(exc)} ({response.url})"
        raise ArchiveError(message, transient=True) from exc
    return bytes(body)
