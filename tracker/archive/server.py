"""The local archive server: the Wayback CDX search and raw replay API over a CaptureStore.

It exists so that tests, demos and offline users get the same API the Internet Archive speaks
(DESIGN.md, "Archive API spoken") from captures on disk, on 127.0.0.1. Faults can be injected
(:meth:`ArchiveServer.fail_next`, :attr:`ArchiveServer.fault_hook`) to exercise the client's
retries and 429 pause against real HTTP.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urljoin, urlsplit

from tracker.archive.store import (
    CaptureStore,
    cdx_json,
    cdx_text,
    filter_ok,
    parse_filter,
    resume_key,
    resume_position,
    timestamp_datetime,
)
from tracker.errors import ArchiveError

log = logging.getLogger(__name__)

_REPLAY_RE = re.compile(r"/web/(\d{1,14})([a-z]{2}_)?/(.+)")
_PARTIAL_TS_RE = re.compile(r"\d{1,14}")

FaultHook = Callable[[str, str], int | None]
"""Called with (endpoint, request path) for each request; a status to answer with, or None."""


@dataclass
class Fault:
    """An injected failure: answer ``status`` (empty body) to the next ``remaining`` requests."""

    status: int
    remaining: int
    endpoint: str | None  # "search", "replay", or None for any request


class _BadRequest(Exception):
    """A request the real CDX would refuse with 400; the message becomes the body."""


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
    timeout = 10  # drop idle keep-alive connections instead of holding threads forever
    server: _HTTPServer

    def do_GET(self) -> None:
        """Answer one GET."""
        self.server.archive.dispatch(self)

    def log_message(self, format: str, *args: object) -> None:
        """Stay quiet: tests and the CLI do not want an access log on stderr."""


class ArchiveServer:
    """Serves a :class:`CaptureStore` over the Wayback API on a local port."""

    def __init__(
        self, store: CaptureStore, *, host: str = "127.0.0.1", port: int = 0, page_size: int = 1000
    ) -> None:
        self.store = store
        self.host = host
        self.port = port
        self.page_size = page_size
        self.faults: list[Fault] = []
        self.fault_hook: FaultHook | None = None
        self._lock = threading.Lock()
        self._counts = {"search": 0, "replay": 0}
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

    # -- counters and faults -------------------------------------------------------------------

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
        """Set both request counters back to zero."""
        with self._lock:
            self._counts = {"search": 0, "replay": 0}

    def fail_next(self, status: int, count: int = 1, endpoint: str | None = None) -> None:
        """Answer the next ``count`` requests to ``endpoint`` (or any) with ``status``, no body."""
        if endpoint not in (None, "search", "replay"):
            raise ValueError(f"endpoint must be 'search', 'replay' or None, not {endpoint!r}")
        with self._lock:
            self.faults.append(Fault(status, count, endpoint))

    def _take_fault(self, endpoint: str, path: str) -> int | None:
        """Count the request and return the status of a fault to answer with, if any."""
        with self._lock:
            if endpoint in self._counts:
                self._counts[endpoint] += 1
            for fault in self.faults:
                if fault.remaining > 0 and fault.endpoint in (None, endpoint):
                    fault.remaining -= 1
                    self.faults = [f for f in self.faults if f.remaining > 0]
                    return fault.status
            hook = self.fault_hook
        return hook(endpoint, path) if hook is not None else None

    # -- request handling ----------------------------------------------------------------------

    def dispatch(self, handler: BaseHTTPRequestHandler) -> None:
        """Route one request: CDX search, raw replay, or 404."""
        raw = handler.path
        parts = urlsplit(raw)
        replay = _REPLAY_RE.fullmatch(raw)
        endpoint = "search" if parts.path == "/cdx/search/cdx" else "replay" if replay else "other"
        status = self._take_fault(endpoint, raw)
        if status is not None:
            _send(handler, status)
        elif endpoint == "search":
            try:
                body, content_type = self._search(parse_qs(parts.query, keep_blank_values=True))
            except _BadRequest as exc:
                _send(handler, 400, str(exc).encode(), [("Content-Type", "text/plain")])
                return
            _send(handler, 200, body, [("Content-Type", content_type)])
        elif replay is not None:
            self._replay(handler, replay.group(1), _fix_scheme(replay.group(3)))
        else:
            _send(handler, 404, b"not found\n", [("Content-Type", "text/plain")])

    def _search(self, params: dict[str, list[str]]) -> tuple[bytes, str]:
        """Build a CDX answer (json or text) for the query parameters."""
        url = _param(params, "url")
        if not url:
            raise _BadRequest("missing url parameter")
        bounds = [_param(params, name) or None for name in ("from", "to")]
        if any(b and not _PARTIAL_TS_RE.fullmatch(b) for b in bounds):
            raise _BadRequest("from and to must be 1-14 digits")
        try:
            filters = [parse_filter(f) for f in params.get("filter", [])]
            page = min(_limit(_param(params, "limit")) or self.page_size, self.page_size)
        except ValueError as exc:
            raise _BadRequest(str(exc)) from exc
        rows = self.store.search(url, bounds[0], bounds[1])
        rows = [row for row in rows if all(filter_ok(row, f) for f in filters)]
        try:
            start = resume_position(rows, _param(params, "resumeKey"))
        except ValueError as exc:
            raise _BadRequest(str(exc)) from exc
        chunk = rows[start : start + page]
        more = start + len(chunk) < len(rows)
        show_key = more and bool(chunk) and _param(params, "showResumeKey") == "true"
        key = resume_key(rows, start + len(chunk)) if show_key else None
        if _param(params, "output") == "json":
            return cdx_json(chunk, key), "application/json"
        return cdx_text(chunk, key), "text/plain"

    def _replay(self, handler: BaseHTTPRequestHandler, timestamp: str, original: str) -> None:
        """Answer a raw replay: the capture itself, a 302 to the nearest one, or 404."""
        spec = self.store.nearest(original, timestamp)
        if spec is None:
            _send(handler, 404, b"not in archive\n", [("Content-Type", "text/plain")])
            return
        base = self._base_for(handler)
        if spec.timestamp != timestamp:
            # The archive's own redirect: no Memento-Datetime, which is how clients tell it
            # apart from an archived redirect.
            location = f"{base}/web/{spec.timestamp}id_/{spec.url}"
            _send(handler, 302, b"", [("Location", location)])
            return
        mdt = format_datetime(timestamp_datetime(spec.timestamp), usegmt=True)
        headers = [("Memento-Datetime", mdt)]
        if spec.content_type is not None:
            headers.append(("Content-Type", spec.content_type))
        if spec.location is not None:
            target = urljoin(spec.url, spec.location)
            headers.append(("Location", f"{base}/web/{spec.timestamp}id_/{target}"))
        # The real archive passes the archived headers on with this prefix.
        headers.extend((f"X-Archive-Orig-{name}", value) for name, value in spec.headers)
        _send(handler, spec.status, spec.body, headers)

    def _base_for(self, handler: BaseHTTPRequestHandler) -> str:
        """The base URL the client used (its Host header), so redirects stay reachable."""
        host = handler.headers.get("Host")
        return f"http://{host}" if host else self.base_url


def _send(
    handler: BaseHTTPRequestHandler,
    status: int,
    body: bytes = b"",
    headers: list[tuple[str, str]] | None = None,
) -> None:
    """Write one complete response; always with a Content-Length so keep-alive works."""
    handler.send_response(status)
    for name, value in headers or []:
        handler.send_header(name, value)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def _fix_scheme(original: str) -> str:
    """Undo proxies and clients that collapse ``https://`` to ``https:/`` in a path."""
    return re.sub(r"^(https?):/(?!/)", r"\1://", original)


def _param(params: dict[str, list[str]], name: str) -> str | None:
    """The last value of a query parameter, as the real CDX takes it."""
    values = params.get(name)
    return values[-1] if values else None


def _limit(value: str | None) -> int | None:
    """The ``limit`` parameter as a positive int, or None when absent."""
    if value is None or value == "":
        return None
    if not value.isdigit() or int(value) == 0:
        raise ValueError("limit must be a positive integer")
    return int(value)


def start_server(path: str, port: int = 8123, host: str = "127.0.0.1") -> ArchiveServer:
    """Load captures from ``path`` (see :meth:`CaptureStore.load`) and start serving them."""
    return ArchiveServer(CaptureStore.load(path), host=host, port=port).start()


def serve(path: str, port: int = 8123, host: str = "127.0.0.1") -> None:
    """Serve the captures at ``path`` until interrupted (Ctrl-C); prints nothing itself."""
    server = start_server(path, port, host)
    try:
        server.wait()
    except KeyboardInterrupt:
        pass  # Ctrl-C is how a user stops the server; stopping cleanly is all there is to do
    finally:
        server.stop()
