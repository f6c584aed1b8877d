"""Write and read WARC files of captures with ``warcio``.

WARC is the archive's own storage format, so fixtures and demo data written here can be
inspected or replayed by any WARC tool, and real crawls can be loaded by the local server.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.recordloader import ArcWarcRecord
from warcio.statusandheaders import StatusAndHeaders
from warcio.timeutils import iso_date_to_timestamp, timestamp_to_iso_date
from warcio.warcwriter import WARCWriter

from tracker.errors import ArchiveError

TIMESTAMP_RE = re.compile(r"\d{14}")

# Headers that CaptureSpec carries in its own fields (or that are recomputed on write).
_OWN_HEADERS = {"content-type", "location", "content-length"}


@dataclass(frozen=True)
class CaptureSpec:
    """One archived HTTP response: what the archive saw at ``url`` at ``timestamp``.

    ``content_type`` may be ``None`` for a response that had no Content-Type header.
    ``headers`` are any further archived response headers, in order.
    """

    url: str
    timestamp: str
    body: bytes
    status: int = 200
    content_type: str | None = "text/html"
    location: str | None = None
    headers: tuple[tuple[str, str], ...] = ()


def _status_line(status: int) -> str:
    """``"301 Moved Permanently"`` for 301; unknown codes get a bare reason."""
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return f"{status} Unknown"


def _http_headers(spec: CaptureSpec) -> StatusAndHeaders:
    """The archived HTTP status line and headers of one capture."""
    headers: list[tuple[str, str]] = []
    if spec.content_type is not None:
        headers.append(("Content-Type", spec.content_type))
    if spec.location is not None:
        headers.append(("Location", spec.location))
    headers.extend(h for h in spec.headers if h[0].lower() not in _OWN_HEADERS)
    # A Content-Length keeps the record valid HTTP for other WARC tools (pywb, replayweb.page).
    headers.append(("Content-Length", str(len(spec.body))))
    return StatusAndHeaders(_status_line(spec.status), headers, protocol="HTTP/1.1")


def write_warc(path: str | Path, captures: Iterable[CaptureSpec]) -> None:
    """Write ``captures`` as response records into a gzip-compressed WARC file at ``path``."""
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=True)
        for spec in captures:
            if not TIMESTAMP_RE.fullmatch(spec.timestamp):
                raise ArchiveError(
                    f"capture of {spec.url}: timestamp {spec.timestamp!r} is not 14 digits"
                )
            record = writer.create_warc_record(
                spec.url,
                "response",
                payload=io.BytesIO(spec.body),
                length=len(spec.body),  # a known length spares warcio an unclosed temp file
                http_headers=_http_headers(spec),
                warc_headers_dict={"WARC-Date": timestamp_to_iso_date(spec.timestamp)},
            )
            writer.write_record(record)


def read_warc(path: str | Path) -> Iterator[CaptureSpec]:
    """Yield the response records of a WARC file (plain or gzip) as :class:`CaptureSpec`.

    Revisit, request, metadata and other records are skipped: only responses carry bodies.
    Unreadable files raise :class:`ArchiveError`.
    """
    try:
        with open(path, "rb") as stream:
            for record in ArchiveIterator(stream):
                if record.format != "warc":
                    # warcio reads any five-word line as an old ARC header: that is garbage here.
                    raise ArchiveError(f"cannot read WARC file {path}: not a WARC record")
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                yield _spec_from_record(record)
    except (ArchiveLoadFailed, OSError, EOFError, ValueError) as exc:
        # warcio quotes the whole offending line; a line of binary junk helps nobody.
        reason = str(exc) if len(str(exc)) <= 120 else str(exc)[:117] + "..."
        raise ArchiveError(f"cannot read WARC file {path}: {reason}") from exc


def _spec_from_record(record: ArcWarcRecord) -> CaptureSpec:
    """Turn one warcio response record into a :class:`CaptureSpec`."""
    rec_headers = record.rec_headers
    http = record.http_headers
    uri = (rec_headers.get_header("WARC-Target-URI") or "").strip("<>")
    timestamp = iso_date_to_timestamp(rec_headers.get_header("WARC-Date") or "")[:14]
    # content_stream() undoes chunking and content-encoding: we want the bytes a reader saw.
    body = record.content_stream().read()
    extra = tuple((k, v) for k, v in http.headers if k.lower() not in _OWN_HEADERS)
    return CaptureSpec(
        url=uri,
        timestamp=timestamp,
        body=body,
        status=int(http.get_statuscode() or 0),
        content_type=http.get_header("Content-Type"),
        location=http.get_header("Location"),
        headers=extra,
    )
