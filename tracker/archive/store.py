"""An in-memory store of captures and its CDX index: what the local archive server answers from.

It can be filled from WARC files or from a plain "folder of captures" (one sub-folder per URL,
with a ``url`` file and files named ``YYYYMMDDhhmmss.<ext>``) so that people can build a test
archive by hand. The CDX helpers (cells, filters, resume keys, answers) live here because they
depend on the store's row order; the server only speaks HTTP.
"""

from __future__ import annotations

import base64
import binascii
import bisect
import calendar
import hashlib
import json
import mimetypes
import re
import threading
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from tracker.archive.records import CdxRow
from tracker.archive.warc import TIMESTAMP_RE, CaptureSpec, read_warc
from tracker.errors import ArchiveError

CDX_FIELDS = ("urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length")
_FILTER_RE = re.compile(r"(!?)(\w+):(.*)")
_CAPTURE_FILE_RE = re.compile(r"(\d{14})\.([A-Za-z0-9]+)")
_WARC_SUFFIXES = (".warc", ".warc.gz")
_EXTENSION_TYPES = {
    "html": "text/html",
    "htm": "text/html",
    "txt": "text/plain",
    "md": "text/markdown",
}


def urlkey(url: str) -> str:
    """A SURT-like urlkey: ``com,example)/privacy`` for ``https://www.example.com/privacy``.

    This is the light canonicalization the real CDX does: scheme, a leading ``www.``, default
    ports and a trailing slash are ignored and case is folded, so that
    ``https://www.Example.com/privacy/`` and ``http://example.com/privacy`` are one URL.
    """
    parts = urlsplit(url if "://" in url else "http://" + url)
    host = (parts.hostname or "").lower().rstrip(".")
    host = host.removeprefix("www.")
    surt_host = ",".join(reversed(host.split("."))) if host else ""
    port = parts.port
    if port is not None and port not in (80, 443):
        surt_host += f":{port}"
    path = parts.path.rstrip("/")
    query = f"?{parts.query}" if parts.query else ""
    return f"{surt_host}){path}{query}".lower()


def cdx_digest(body: bytes) -> str:
    """The CDX digest of a payload: base32 of its SHA-1."""
    return base64.b32encode(hashlib.sha1(body).digest()).decode("ascii")


def timestamp_datetime(timestamp: str) -> datetime:
    """A UTC datetime for a 1–14 digit timestamp, padded low and clamped to a valid date."""
    ts = timestamp.ljust(14, "0")
    year, month = max(int(ts[0:4]), 1), min(max(int(ts[4:6]), 1), 12)
    day = min(max(int(ts[6:8]), 1), calendar.monthrange(year, month)[1])
    hour, minute, second = min(int(ts[8:10]), 23), min(int(ts[10:12]), 59), min(int(ts[12:14]), 59)
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def _cdx_row(spec: CaptureSpec) -> CdxRow:
    """The index row the real CDX would show for one capture."""
    mimetype = (spec.content_type or "unk").split(";")[0].strip().lower() or "unk"
    return CdxRow(
        urlkey=urlkey(spec.url),
        timestamp=spec.timestamp,
        original=spec.url,
        mimetype=mimetype,
        statuscode=str(spec.status),
        digest=cdx_digest(spec.body),
        length=len(spec.body),
    )


def cdx_cells(row: CdxRow) -> list[str]:
    """A row's values as strings, as the real CDX sends them."""
    length = "-" if row.length is None else str(row.length)
    return [*(getattr(row, name) for name in CDX_FIELDS[:-1]), length]


def sort_key(row: CdxRow) -> tuple[str, str, str]:
    """The order the store keeps rows in (duplicates share a key and keep insertion order)."""
    return (row.timestamp, row.original, row.digest)


def resume_key(rows: list[CdxRow], position: int) -> str:
    """An opaque key meaning "continue after rows[:position]".

    It names the last row sent and how many rows with the same key were sent, so it stays
    right when captures are added while a client pages, and with exact duplicate rows.
    """
    last = sort_key(rows[position - 1])
    seen = sum(1 for r in rows[:position] if sort_key(r) == last)
    raw = json.dumps([*last, seen]).encode()
    return base64.urlsafe_b64encode(raw).decode("ascii")


def resume_position(rows: list[CdxRow], key: str | None) -> int:
    """Where a page continues for a resume key (0 without one)."""
    if not key:
        return 0
    try:
        *last, seen = json.loads(base64.urlsafe_b64decode(key.encode("ascii")))
        last_key = (str(last[0]), str(last[1]), str(last[2]))
        seen = int(seen)
    except (ValueError, TypeError, IndexError, binascii.Error, UnicodeEncodeError) as exc:
        raise ValueError(f"bad resumeKey {key!r}") from exc
    before = sum(1 for r in rows if sort_key(r) < last_key)
    equal = sum(1 for r in rows if sort_key(r) == last_key)
    return before + min(seen, equal)


def parse_filter(value: str) -> tuple[bool, str, re.Pattern[str]]:
    """``statuscode:2..`` or ``!statuscode:404`` as (negated, field, compiled regex)."""
    match = _FILTER_RE.fullmatch(value)
    if match is None or match.group(2) not in CDX_FIELDS:
        raise ValueError(f"bad filter {value!r}: expected [!]field:regex")
    try:
        return match.group(1) == "!", match.group(2), re.compile(match.group(3))
    except re.error as exc:
        raise ValueError(f"bad filter regex {match.group(3)!r}: {exc}") from exc


def filter_ok(row: CdxRow, flt: tuple[bool, str, re.Pattern[str]]) -> bool:
    """Whether a row passes one filter (the regex must match the whole field)."""
    negated, field, pattern = flt
    return (pattern.fullmatch(cdx_cells(row)[CDX_FIELDS.index(field)]) is not None) != negated


def cdx_json(chunk: list[CdxRow], key: str | None) -> bytes:
    """``[[fields], rows..., [], [key]]``, or ``[]`` when there are no rows."""
    if not chunk:
        return b"[]"
    table: list[list[str]] = [list(CDX_FIELDS), *(cdx_cells(r) for r in chunk)]
    if key is not None:
        table += [[], [key]]
    return json.dumps(table).encode()


def cdx_text(chunk: list[CdxRow], key: str | None) -> bytes:
    """Space-separated lines, then a blank line and the resume key when more follow."""
    lines = [" ".join(cdx_cells(r)) for r in chunk]
    if key is not None:
        lines += ["", key]
    return "".join(line + "\n" for line in lines).encode()


def _self_redirect(spec: CaptureSpec) -> bool:
    """Whether a capture is a redirect to its own URL in another spelling."""
    if spec.location is None or not 300 <= spec.status < 400:
        return False
    return urlkey(urljoin(spec.url, spec.location)) == urlkey(spec.url)


class CaptureStore:
    """Captures in memory, indexed by canonical URL; safe to use from several threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_key: dict[str, list[tuple[CaptureSpec, CdxRow]]] = {}

    def add(self, spec: CaptureSpec) -> None:
        """Add one capture (exact duplicates are kept, as a real archive may hold them)."""
        if not TIMESTAMP_RE.fullmatch(spec.timestamp):
            raise ArchiveError(
                f"capture of {spec.url}: timestamp {spec.timestamp!r} is not 14 digits"
            )
        row = _cdx_row(spec)
        with self._lock:
            entries = self._by_key.setdefault(row.urlkey, [])
            # insort_right puts a duplicate after its twins: resume keys rely on that order.
            bisect.insort_right(entries, (spec, row), key=lambda e: sort_key(e[1]))

    def __len__(self) -> int:
        """Number of captures held."""
        with self._lock:
            return sum(len(v) for v in self._by_key.values())

    def search(
        self,
        url: str,
        from_ts: str | None = None,
        to_ts: str | None = None,
        status_regex: str | None = None,
    ) -> list[CdxRow]:
        """Index rows of ``url`` sorted by timestamp, as the real CDX answers an exact-URL query.

        ``from_ts``/``to_ts`` are 1–14 digit prefixes: ``from`` is padded low, ``to`` high, so
        ``to_ts="2005"`` includes all of 2005. ``status_regex`` must match the whole status.
        """
        low = from_ts.ljust(14, "0") if from_ts else None
        high = to_ts.ljust(14, "9") if to_ts else None
        pattern = re.compile(status_regex) if status_regex else None
        with self._lock:
            rows = [row for _, row in self._by_key.get(urlkey(url), [])]
        return [
            r
            for r in rows
            if (low is None or r.timestamp >= low)
            and (high is None or r.timestamp <= high)
            and (pattern is None or pattern.fullmatch(r.statuscode))
        ]

    def nearest(self, url: str, timestamp: str) -> CaptureSpec | None:
        """The capture of ``url`` closest in time to ``timestamp`` (earlier wins a tie), or None.

        A capture whose original spelling equals ``url`` is preferred among equally close ones.
        """
        with self._lock:
            entries = list(self._by_key.get(urlkey(url), []))
        if not entries:
            return None
        # Like the real archive, never answer with a redirect to the URL itself (http → https,
        # adding www.): replaying its target would land on the redirect again.
        entries = [e for e in entries if not _self_redirect(e[0])] or entries
        target = timestamp_datetime(timestamp)

        def distance(entry: tuple[CaptureSpec, CdxRow]) -> tuple[float, bool]:
            delta = abs((timestamp_datetime(entry[0].timestamp) - target).total_seconds())
            return (delta, entry[0].url != url)

        return min(entries, key=distance)[0]

    @classmethod
    def load(cls, path: str | Path) -> CaptureStore:
        """Load a WARC file, a folder of WARC files, or a folder of captures (see module doc)."""
        path = Path(path)
        store = cls()
        if path.is_file():
            if not path.name.endswith(_WARC_SUFFIXES):
                raise ArchiveError(f"{path} is not a WARC file (expected .warc or .warc.gz)")
            _load_warc(store, path)
        elif path.is_dir():
            _load_folder(store, path)
        else:
            raise ArchiveError(f"no such file or folder: {path}")
        return store


def _load_warc(store: CaptureStore, path: Path) -> None:
    """Add every response record of one WARC file."""
    for spec in read_warc(path):
        store.add(spec)


def _load_folder(store: CaptureStore, folder: Path) -> None:
    """Add WARC files and capture folders found in ``folder`` (or ``folder`` itself)."""
    if (folder / "url").is_file():
        _load_capture_folder(store, folder)
        return
    found = False
    for entry in sorted(folder.iterdir()):
        if entry.is_file() and entry.name.endswith(_WARC_SUFFIXES):
            _load_warc(store, entry)
            found = True
        elif entry.is_dir() and (entry / "url").is_file():
            _load_capture_folder(store, entry)
            found = True
    if not found:
        raise ArchiveError(
            f"{folder} holds no WARC files and no capture folders "
            "(a sub-folder with a 'url' file and files named YYYYMMDDhhmmss.html)"
        )


def _load_capture_folder(store: CaptureStore, folder: Path) -> None:
    """Add the captures of one URL's folder: a ``url`` file plus ``YYYYMMDDhhmmss.<ext>`` files."""
    try:
        url = (folder / "url").read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise ArchiveError(f"cannot read {folder / 'url'}: {exc}") from exc
    if not url.startswith(("http://", "https://")):
        raise ArchiveError(f"{folder / 'url'} must hold one http(s) URL, found {url[:80]!r}")
    for entry in sorted(folder.iterdir()):
        if entry.name == "url" or entry.name.startswith("."):
            continue  # dotfiles are editor and OS litter (.DS_Store), not captures
        match = _CAPTURE_FILE_RE.fullmatch(entry.name)
        if match is None or not entry.is_file():
            raise ArchiveError(f"unexpected {entry}: capture files are named YYYYMMDDhhmmss.<ext>")
        try:
            body = entry.read_bytes()
        except OSError as exc:
            raise ArchiveError(f"cannot read {entry}: {exc}") from exc
        spec = CaptureSpec(url, match.group(1), body, content_type=_content_type(match.group(2)))
        store.add(spec)


def _content_type(extension: str) -> str:
    """Content type for a capture file's extension."""
    ext = extension.lower()
    if ext in _EXTENSION_TYPES:
        return _EXTENSION_TYPES[ext]
    guessed, _ = mimetypes.guess_type(f"x.{ext}")
    return guessed or "application/octet-stream"
