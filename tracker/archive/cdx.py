"""The CDX search format both ways: answering a query from a store (the local archive
server) and reading one page of an answer (JSON output) into typed rows (the client).

A page that is not JSON at all is treated as the archive having a bad moment (it sends HTML
error pages and cut-off answers under load): a transient error, retried. A page whose shape
is wrong (no header row, missing columns) is a permanent error. A single malformed row is
skipped and described in :attr:`CdxPage.skipped`, so that one bad index entry can neither
sink the whole search nor vanish unnoticed.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from tracker.archive.records import CdxRow
from tracker.archive.store import (
    CaptureStore,
    cdx_json,
    cdx_text,
    filter_ok,
    parse_filter,
    resume_key,
    resume_position,
)
from tracker.errors import ArchiveError

REQUIRED_FIELDS = ("urlkey", "timestamp", "original", "mimetype", "statuscode", "digest")
TIMESTAMP_RE = re.compile(r"\d{14}")
_PARTIAL_TS_RE = re.compile(r"\d{1,14}")
_SHOWN = 120  # characters of a skipped row quoted in its description


class BadQuery(Exception):
    """A query the real CDX refuses with 400; the message becomes the answer's body."""


@dataclass
class CdxPage:
    """The rows of one page, the key to the next page (None on the last), and a description
    of every row that had to be skipped."""

    rows: list[CdxRow] = field(default_factory=list)
    resume_key: str | None = None
    skipped: list[str] = field(default_factory=list)


def parse_cdx(content: bytes, base_url: str) -> CdxPage:
    """One CDX JSON page; columns are mapped by the names in its header row."""
    try:
        table = json.loads(content)
    except ValueError as exc:
        raise ArchiveError(
            f"malformed CDX answer from {base_url}: not JSON ({exc})", transient=True
        ) from exc
    if not isinstance(table, list) or not all(isinstance(r, list) for r in table):
        raise ArchiveError(f"malformed CDX answer from {base_url}: not a list of rows")
    if not table:
        return CdxPage()
    header = table[0]
    missing = [name for name in REQUIRED_FIELDS if name not in header]
    if missing:
        raise ArchiveError(f"malformed CDX answer from {base_url}: no {', '.join(missing)} column")
    body, key = table[1:], None
    if [] in body:
        blank = body.index([])
        tail = body[blank + 1 :]
        if len(tail) != 1 or len(tail[0]) != 1 or not isinstance(tail[0][0], str):
            raise ArchiveError(f"malformed CDX answer from {base_url}: bad resume key rows")
        body, key = body[:blank], tail[0][0]
    page = CdxPage(resume_key=key)
    for raw in body:
        row = cdx_row(header, raw)
        if isinstance(row, CdxRow):
            page.rows.append(row)
        else:
            page.skipped.append(f"{_quote(raw)} ({row})")
    return page


def cdx_row(header: list[Any], row: list[Any]) -> CdxRow | str:
    """One CdxRow from a JSON row, by column name; or why the row cannot be one.

    A bad ``length`` only loses the length (nothing depends on it); a row without a usable
    timestamp or with cells missing cannot name a capture and is refused.
    """
    if len(row) != len(header):
        return f"{len(row)} cells for {len(header)} columns"
    if not all(isinstance(v, str) for v in row):
        return "a cell that is not a string"
    values = dict(zip(header, row, strict=True))
    if not TIMESTAMP_RE.fullmatch(values["timestamp"]):
        return f"timestamp {values['timestamp']!r} is not 14 digits"
    raw_length = values.get("length", "-")
    length = int(raw_length) if raw_length.isascii() and raw_length.isdigit() else None
    return CdxRow(
        urlkey=values["urlkey"],
        timestamp=values["timestamp"],
        original=values["original"],
        mimetype=values["mimetype"],
        statuscode=values["statuscode"],
        digest=values["digest"],
        length=length,
    )


def _quote(row: Any) -> str:
    """A skipped row as JSON, shortened to keep error lines readable."""
    text = json.dumps(row)
    return text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"


def answer_query(
    store: CaptureStore, params: dict[str, list[str]], page_size: int
) -> tuple[bytes, str]:
    """The body and content type the CDX server answers a query with (json or text), paged
    by ``page_size`` rows at most; :class:`BadQuery` for what it refuses with a 400."""
    url = _param(params, "url")
    if not url:
        raise BadQuery("missing url parameter")
    bounds = [_param(params, name) or None for name in ("from", "to")]
    if any(b and not _PARTIAL_TS_RE.fullmatch(b) for b in bounds):
        raise BadQuery("from and to must be 1-14 digits")
    try:
        filters = [parse_filter(f) for f in params.get("filter", [])]
        page = min(_limit(_param(params, "limit")) or page_size, page_size)
    except ValueError as exc:
        raise BadQuery(str(exc)) from exc
    rows = store.search(url, bounds[0], bounds[1])
    rows = [row for row in rows if all(filter_ok(row, f) for f in filters)]
    try:
        start = resume_position(rows, _param(params, "resumeKey"))
    except ValueError as exc:
        raise BadQuery(str(exc)) from exc
    chunk = rows[start : start + page]
    more = start + len(chunk) < len(rows)
    show_key = more and bool(chunk) and _param(params, "showResumeKey") == "true"
    key = resume_key(rows, start + len(chunk)) if show_key else None
    if _param(params, "output") == "json":
        return cdx_json(chunk, key), "application/json"
    return cdx_text(chunk, key), "text/plain"


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
