"""Injected failures for the local archive server: what a flaky or hostile archive does.

A :class:`Fault` names a kind of misbehaviour and how many requests (to which endpoint) it
hits; the server applies it instead of its correct answer. Each kind mimics something the
Wayback Machine, or the network in front of it, really does:

========== ===============================================================================
kind       what the client gets
========== ===============================================================================
status     HTTP ``status`` with an empty body (429 without Retry-After, 500, 502, 503, 504)
robots     403 with the archive's "blocked by robots" text (search and replay alike)
reset      the correct headers, half the body, then a TCP reset
short      the correct headers, half the body, then a clean close: fewer bytes than
           Content-Length promised
hold       nothing until :meth:`FaultPlan.release` (or the server stops): a timeout
big        a 200 page of ``size`` bytes, streamed; with or without a Content-Length
bad_rows   search: the real CDX answer with some rows truncated or garbled
truncated  search: the real CDX answer cut in half (not JSON any more)
not_json   search: a 200 HTML error page instead of JSON
loop       replay: a 302 to the very URL asked for
========== ===============================================================================
"""

from __future__ import annotations

import json
import re
import socket
import struct
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler

from tracker.archive.transport import MB

KINDS = (
    "status",
    "robots",
    "reset",
    "short",
    "hold",
    "big",
    "bad_rows",
    "truncated",
    "not_json",
    "loop",
)
ENDPOINTS = (None, "search", "replay")
HOLD_LIMIT = 60.0  # a held answer gives up on its own, so a forgotten release cannot hang a test
_CHUNK = b"<p>" + b"filler " * 9362 + b"</p>\n"  # about 64 KB of a very long page
ROBOTS_SEARCH = b"org.archive.wayback.exception.RobotAccessControlException: Blocked By Robots"
ROBOTS_REPLAY = b"<html><body><p>Page cannot be displayed due to robots.txt.</p></body></html>"
_SPEC_RE = re.compile(
    r"(?P<what>[a-z_]+|\d{3})(?:\*(?P<count>\d+))?(?:@(?P<endpoint>search|replay))?"
)


@dataclass
class Reply:
    """A complete, correct answer, before any fault spoils it."""

    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""


@dataclass
class Fault:
    """One injected failure: it lets ``after`` matching requests through, then spoils the
    next ``remaining`` (a burst when more than one). ``endpoint`` None matches any request."""

    kind: str = "status"
    remaining: int = 1
    endpoint: str | None = None
    status: int = 503  # for "status"
    after: int = 0
    size: int = 50 * MB  # for "big"
    with_length: bool = True  # for "big": False ends the body by closing the connection
    sent: int = 0  # body bytes the socket accepted, over every answer this fault spoiled
    # Set each time an answer this fault spoiled is over: ``sent`` is final for it then.
    done: threading.Event = field(default_factory=threading.Event, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown fault kind {self.kind!r}; known: {', '.join(KINDS)}")
        if self.endpoint not in ENDPOINTS:
            raise ValueError(f"endpoint must be 'search', 'replay' or None, not {self.endpoint!r}")

    @property
    def label(self) -> str:
        """How the server's request log names this fault: ``503``, ``reset``…"""
        return str(self.status) if self.kind == "status" else self.kind


def parse_fault(spec: str) -> Fault:
    """A fault from ``KIND[*COUNT][@ENDPOINT]``: ``503*3@replay``, ``reset@search``, ``hold``.

    KIND is one of :data:`KINDS` or an HTTP status from 400 to 599 (a ``status`` fault).
    """
    match = _SPEC_RE.fullmatch(spec.strip().lower())
    if match is None:
        raise ValueError(f"{spec!r} is not KIND[*COUNT][@search|@replay], e.g. 503*3@replay")
    what, count = match.group("what"), int(match.group("count") or 1)
    if count < 1:
        raise ValueError(f"{spec!r}: the count must be at least 1")
    endpoint = match.group("endpoint")
    if what.isdigit():
        if not 400 <= int(what) <= 599:
            raise ValueError(f"{spec!r}: an injected status must be from 400 to 599")
        return Fault("status", count, endpoint, status=int(what))
    return Fault(what, count, endpoint)


class FaultPlan:
    """The queued faults of one server and the event that held answers wait on."""

    def __init__(self) -> None:
        self.faults: list[Fault] = []
        self._lock = threading.Lock()
        self._release = threading.Event()

    def add(self, fault: Fault) -> Fault:
        """Queue ``fault`` after those already queued; returns it (to read ``sent`` later)."""
        with self._lock:
            self.faults.append(fault)
        return fault

    def clear(self) -> None:
        """Drop every queued fault (answers already held stay held until released)."""
        with self._lock:
            self.faults.clear()

    def take(self, endpoint: str) -> Fault | None:
        """The fault that spoils this request, if any; counts it against that fault.

        Every queued fault matching the endpoint sees the request, so ``after`` counts
        requests, not turns: two faults queued at once can target the 3rd and the 5th replay.
        """
        chosen = None
        with self._lock:
            for fault in self.faults:
                if fault.endpoint not in (None, endpoint):
                    continue
                if fault.after > 0:
                    fault.after -= 1
                elif chosen is None and fault.remaining > 0:
                    fault.remaining -= 1
                    chosen = fault
            self.faults = [f for f in self.faults if f.remaining > 0]
        return chosen

    def release(self) -> None:
        """Let every held answer (and every later one) go; for the end of a test."""
        self._release.set()

    def hold(self) -> None:
        """Block a handler thread until released (or :data:`HOLD_LIMIT` seconds pass)."""
        self._release.wait(HOLD_LIMIT)


def apply(
    fault: Fault, handler: BaseHTTPRequestHandler, reply: Reply, endpoint: str, plan: FaultPlan
) -> None:
    """Answer ``handler`` with ``reply`` spoiled as ``fault`` says."""
    try:
        _SPOILERS[fault.kind](fault, handler, reply, endpoint, plan)
    finally:
        fault.done.set()


def send(handler: BaseHTTPRequestHandler, reply: Reply) -> None:
    """Write one complete response; always with a Content-Length so keep-alive works."""
    _head(handler, reply.status, reply.headers, len(reply.body))
    handler.wfile.write(reply.body)


def _head(
    handler: BaseHTTPRequestHandler, status: int, headers: list[tuple[str, str]], length: int | None
) -> None:
    handler.send_response(status)
    for name, value in headers:
        if name.lower() != "content-length":
            handler.send_header(name, value)
    if length is None:
        handler.send_header("Connection", "close")
        handler.close_connection = True
    else:
        handler.send_header("Content-Length", str(length))
    handler.end_headers()


def _status(fault: Fault, handler: BaseHTTPRequestHandler, *_: object) -> None:
    send(handler, Reply(fault.status))


def _robots(
    fault: Fault, handler: BaseHTTPRequestHandler, reply: Reply, endpoint: str, *_: object
) -> None:
    if endpoint == "search":
        send(handler, Reply(403, [("Content-Type", "text/plain")], ROBOTS_SEARCH))
    else:
        send(handler, Reply(403, [("Content-Type", "text/html")], ROBOTS_REPLAY))


def _half(fault: Fault, handler: BaseHTTPRequestHandler, reply: Reply) -> None:
    """The headers the real answer has, then only the first half of its body."""
    body = reply.body or b"x" * 64  # an empty body cannot be cut short; lengthen it
    _head(handler, reply.status, reply.headers, len(body))
    handler.wfile.write(body[: len(body) // 2])
    fault.sent += len(body) // 2
    handler.close_connection = True


def _reset(fault: Fault, handler: BaseHTTPRequestHandler, reply: Reply, *_: object) -> None:
    _half(fault, handler, reply)
    # Linger 0 turns the close into a TCP RST; the socket really closes once the handler's
    # file objects let go of it, with nothing more written in between.
    handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    handler.rfile.close()
    handler.connection.close()


def _short(fault: Fault, handler: BaseHTTPRequestHandler, reply: Reply, *_: object) -> None:
    _half(fault, handler, reply)
    handler.connection.shutdown(socket.SHUT_WR)  # FIN now: the client sees the body end early


def _hold(
    fault: Fault, handler: BaseHTTPRequestHandler, reply: Reply, _e: str, plan: FaultPlan
) -> None:
    plan.hold()
    send(handler, reply)  # the client has long given up; this only ends the exchange cleanly


def _big(fault: Fault, handler: BaseHTTPRequestHandler, reply: Reply, *_: object) -> None:
    """A huge page, generated as it is sent so the server never holds it whole."""
    headers = [(n, v) for n, v in reply.headers if n.lower() not in ("content-type", "location")]
    headers.append(("Content-Type", "text/html; charset=utf-8"))
    _head(handler, 200, headers, fault.size if fault.with_length else None)
    left = fault.size
    try:
        while left > 0:
            piece = _CHUNK[:left]
            handler.wfile.write(piece)
            fault.sent += len(piece)
            left -= len(piece)
    except OSError:
        handler.close_connection = True  # the client hung up, as it should


def _bad_rows(fault: Fault, handler: BaseHTTPRequestHandler, reply: Reply, *_: object) -> None:
    """Spoil data rows 1, 3, 5… of a JSON CDX page three different ways."""
    table = json.loads(reply.body) if reply.body.startswith(b"[") else []
    garble: list[Callable[[list[object]], list[object]]] = [
        lambda row: row[:3],  # a truncated row
        lambda row: [row[0], "2020-01-01", *row[2:]],  # a timestamp that is not 14 digits
        lambda row: [*row[:4], 200, *row[5:]],  # a number where the CDX always has a string
    ]
    end = table.index([]) if [] in table else len(table)  # the resume key rows stay intact
    for n, index in enumerate(range(1, end, 2)):
        table[index] = garble[n % len(garble)](table[index])
    send(handler, Reply(200, reply.headers, json.dumps(table).encode()))


def _truncated(fault: Fault, handler: BaseHTTPRequestHandler, reply: Reply, *_: object) -> None:
    send(handler, Reply(200, reply.headers, reply.body[: max(len(reply.body) // 2, 1)]))


def _not_json(fault: Fault, handler: BaseHTTPRequestHandler, *_: object) -> None:
    page = b"<html><body><h1>Service temporarily unavailable</h1></body></html>"
    send(handler, Reply(200, [("Content-Type", "text/html")], page))


def _loop(fault: Fault, handler: BaseHTTPRequestHandler, *_: object) -> None:
    send(handler, Reply(302, [("Location", handler.path)]))


_SPOILERS: dict[str, Callable[..., None]] = {
    "status": _status,
    "robots": _robots,
    "reset": _reset,
    "short": _short,
    "hold": _hold,
    "big": _big,
    "bad_rows": _bad_rows,
    "truncated": _truncated,
    "not_json": _not_json,
    "loop": _loop,
}
