"""The local archive server: the Wayback CDX search and raw replay API over a CaptureStore.

It exists so that tests, demos and offline users get the same API the Internet Archive speaks
(DESIGN.md, "Archive API spoken") from captures on disk, on 127.0.0.1. Faults can be injected
(:meth:`ArchiveServer.inject` with the kinds of :mod:`tracker.archive.faults`,
:meth:`ArchiveServer.fail_next`, :attr:`ArchiveServer.fault_hook`) to exercise the client's
retries, limits and error handling against real HTTP.
"""

from __future__ import annotations

import logging
import re
import threading
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

from tracker.archive.cdx import BadQuery, answer_query
from tracker.archive.faults import Fault, FaultPlan, Reply, apply, send
from tracker.archive.store import CaptureStore, timestamp_datetime
from tracker.clock import Clock, SystemClock
from tracker.errors import ArchiveError

log = logging.getLogger(__name__)

_REPLAY_RE = re.compile(r"/web/(\d{1,14})([a-z]{2}_)?/(.+)")
LOG_LIMIT = 100_000  # requests kept in the log: enough for any test, bounded for a long serve

FaultHook = Callable[[str, str], int | None]
"""Called with (endpoint, request path) for each request; a status to answer with, or None."""


@dataclass(frozen=True)
class RequestRecord:
    """One request the server received: when (on its clock), where, and how it was answered."""

    at: float  # the server clock's monotonic reading on arrival
    endpoint: str  # "search", "replay" or "other"
    path: str
    answer: str  # "ok", or the fault's label: "429", "reset", "hold"…


class _HTTPServer(ThreadingHTTPServer):
    """Threaded HTTP server that knows its ArchiveServer and does not print tracebacks."""

    daemon_threads = True
    archive: ArchiveServer

    def handle_error(self, request: object, client_address: object) -> None:
        """Clients hanging up mid-answer are routine in tests; keep them out of stderr."""
        log.debug("archive server: error answering %s", client_address, exc_info=True)


class _Handler(BaseHTTPRequestHandler):
    """Routes every GET to the ArchiveServer."""

    protocol_version = "HTTP/1.1"  # keep-alive, like the real archive; every answer has a length
    # Headers and body go out in two writes; with Nagle on, the body waits for the client's
    # delayed ACK of the headers, 40 ms a request on Linux.
    disable_nagle_algorithm = True
    timeout = 10  # drop idle keep-alive connections instead of holding threads forever
    server: _HTTPServer

    def do_GET(self) -> None:
        """Answer one GET."""
        self.server.archive.dispatch(self)

    def log_message(self, format: str, *args: object) -> None:
        """Stay quiet: tests and the CLI do not want an access log on stderr."""


class ArchiveServer:
    """Serves a :class:`CaptureStore` over the Wayback API on a local port.

    Every request is logged in :attr:`requests` with the reading of ``clock`` on arrival, so
    a test sharing its ManualClock with the client can check the spacing of what was sent.
    """

    def __init__(
        self,
        store: CaptureStore,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        page_size: int = 1000,
        clock: Clock | None = None,
    ) -> None:
        self.store = store
        self.host = host
        self.port = port
        self.page_size = page_size
        self.clock: Clock = clock or SystemClock()
        self.plan = FaultPlan()
        self.fault_hook: FaultHook | None = None
        self._lock = threading.Lock()
        self._counts = {"search": 0, "replay": 0, "other": 0}
        self._log: deque[RequestRecord] = deque(maxlen=LOG_LIMIT)
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -----------------------------------------------------------------------------

    def start(self) -> ArchiveServer:
        """Listen and serve in a daemon thread; returns self."""
        try:
            httpd = _HTTPServer((self.host, self.port), _Handler)
        except OSError as exc:
            raise ArchiveError(f"cannot listen on {self.host}:{self.port}: {exc.strerror}") from exc
        httpd.archive = self
        self.port = httpd.server_address[1]
        self._httpd = httpd
        # A short poll interval keeps stop() quick; the cost is a few idle wake-ups.
        self._thread = threading.Thread(
            target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the listening socket (safe to call twice)."""
        self.plan.release()  # held answers must not outlive the server
        httpd, self._httpd = self._httpd, None
        if httpd is None:
            return
        httpd.shutdown()
        httpd.server_close()
        if self._thread is not None:
            self._thread.join()

    def wait(self) -> None:
        """Block until the server stops; joins in short steps so Ctrl-C is noticed."""
        while self._thread is not None and self._thread.is_alive():
            self._thread.join(0.5)

    def __enter__(self) -> ArchiveServer:
        return self.start() if self._httpd is None else self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        """``http://HOST:PORT`` to give a client."""
        host = "127.0.0.1" if self.host in ("", "0.0.0.0") else self.host
        return f"http://{host}:{self.port}"

    # -- counters, log and faults --------------------------------------------------------------

    @property
    def requests(self) -> list[RequestRecord]:
        """The requests received (the last :data:`LOG_LIMIT`), in arrival order; a copy."""
        with self._lock:
            return list(self._log)

    @property
    def search_requests(self) -> int:
        """CDX search requests received (including ones answered with an injected fault)."""
        with self._lock:
            return self._counts["search"]

    @property
    def replay_requests(self) -> int:
        """Replay requests received (including ones answered with an injected fault)."""
        with self._lock:
            return self._counts["replay"]

    def reset_counts(self) -> None:
        """Set the counters back to zero and empty the request log."""
        with self._lock:
            self._counts = dict.fromkeys(self._counts, 0)
            self._log.clear()

    @property
    def faults(self) -> list[Fault]:
        """The faults still queued (``faults.clear()`` is :meth:`FaultPlan.clear`)."""
        return self.plan.faults

    def fail_next(self, status: int, count: int = 1, endpoint: str | None = None) -> None:
        """Answer the next ``count`` requests to ``endpoint`` (or any) with ``status``, no body."""
        self.plan.add(Fault("status", count, endpoint, status=status))

    def inject(
        self, kind: str, count: int = 1, endpoint: str | None = None, **options: Any
    ) -> Fault:
        """Queue a fault of ``kind`` (see :mod:`tracker.archive.faults`) for ``count`` requests;
        ``options`` are the other :class:`Fault` fields (``after``, ``status``, ``size``…)."""
        return self.plan.add(Fault(kind, count, endpoint, **options))

    def release(self) -> None:
        """Let answers held by a ``hold`` fault go (and every later ``hold`` pass at once)."""
        self.plan.release()

    def _take_fault(self, endpoint: str, path: str) -> Fault | None:
        """Count and log the request; the fault to answer it with, if any.

        Counted on arrival, before a hook that may block, so tests can watch a held request.
        """
        at = self.clock.monotonic()
        with self._lock:
            self._counts[endpoint] += 1
        fault = self.plan.take(endpoint)
        hook = self.fault_hook
        if fault is None and hook is not None:
            status = hook(endpoint, path)
            fault = Fault("status", status=status) if status is not None else None
        with self._lock:
            self._log.append(RequestRecord(at, endpoint, path, fault.label if fault else "ok"))
        return fault

    # -- request handling ----------------------------------------------------------------------

    def dispatch(self, handler: BaseHTTPRequestHandler) -> None:
        """Route one request: CDX search, raw replay, or 404; spoiled by a fault if one is due."""
        raw = handler.path
        parts = urlsplit(raw)
        replay = _REPLAY_RE.fullmatch(raw)
        endpoint = "search" if parts.path == "/cdx/search/cdx" else "replay" if replay else "other"
        fault = self._take_fault(endpoint, raw)
        if fault is not None and fault.kind in ("status", "robots", "not_json", "loop"):
            apply(fault, handler, Reply(0), endpoint, self.plan)  # no need for the real answer
            return
        if endpoint == "search":
            reply = self._search(parse_qs(parts.query, keep_blank_values=True))
        elif replay is not None:
            reply = self._replay(handler, replay.group(1), _fix_scheme(replay.group(3)))
        else:
            reply = Reply(404, [("Content-Type", "text/plain")], b"not found\n")
        if fault is None:
            send(handler, reply)
        else:
            apply(fault, handler, reply, endpoint, self.plan)

    def _search(self, params: dict[str, list[str]]) -> Reply:
        """A CDX answer (json or text) for the query parameters, or a 400 as the real CDX."""
        try:
            body, content_type = answer_query(self.store, params, self.page_size)
        except BadQuery as exc:
            return Reply(400, [("Content-Type", "text/plain")], str(exc).encode())
        return Reply(200, [("Content-Type", content_type)], body)

    def _replay(self, handler: BaseHTTPRequestHandler, timestamp: str, original: str) -> Reply:
        """A raw replay: the capture itself, a 302 to the nearest one, or 404."""
        spec = self.store.nearest(original, timestamp)
        if spec is None:
            return Reply(404, [("Content-Type", "text/plain")], b"not in archive\n")
        base = self._base_for(handler)
        if spec.timestamp != timestamp:
            # The archive's own redirect: no Memento-Datetime, which is how clients tell it
            # apart from an archived redirect.
            return Reply(302, [("Location", f"{base}/web/{spec.timestamp}id_/{spec.url}")])
        mdt = format_datetime(timestamp_datetime(spec.timestamp), usegmt=True)
        headers = [("Memento-Datetime", mdt)]
        if spec.content_type is not None:
            headers.append(("Content-Type", spec.content_type))
        if spec.location is not None:
            target = urljoin(spec.url, spec.location)
            headers.append(("Location", f"{base}/web/{spec.timestamp}id_/{target}"))
        # The real archive passes the archived headers on with this prefix.
        headers.extend((f"X-Archive-Orig-{name}", value) for name, value in spec.headers)
        return Reply(spec.status, headers, spec.body)

    def _base_for(self, handler: BaseHTTPRequestHandler) -> str:
        """The base URL the client used (its Host header), so redirects stay reachable."""
        host = handler.headers.get("Host")
        return f"http://{host}" if host else self.base_url


def _fix_scheme(original: str) -> str:
    """Undo proxies and clients that collapse ``https://`` to ``https:/`` in a path."""
    return re.sub(r"^(https?):/(?!/)", r"\1://", original)


def start_server(
    path: str, port: int = 8123, host: str = "127.0.0.1", faults: Sequence[Fault] = ()
) -> ArchiveServer:
    """Load captures from ``path`` (see :meth:`CaptureStore.load`) and start serving them,
    with ``faults`` queued for the first requests."""
    server = ArchiveServer(CaptureStore.load(path), host=host, port=port)
    for fault in faults:
        server.plan.add(fault)
    return server.start()


def serve(
    path: str, port: int = 8123, host: str = "127.0.0.1", faults: Sequence[Fault] = ()
) -> None:
    """Serve the captures at ``path`` until interrupted (Ctrl-C); prints nothing itself."""
    server = start_server(path, port, host, faults)
    try:
        server.wait()
    except KeyboardInterrupt:
        pass  # Ctrl-C is how a user stops the server; stopping cleanly is all there is to do
    finally:
        server.stop()
