"""`redline import`: policy texts in the corpus format become versions, byte for byte.

A corpus file starts with one header line naming the policy, the archive date and the
Wayback snapshot it came from, then a blank line, then Markdown::

    > *The following text is extracted and transformed from the NAME privacy policy that was
    archived on DATE. Please check the [original snapshot on the Wayback Machine](URL) for the
    most accurate reproduction.*

(on one line). The text after the header and its blank line is stored exactly; files without
the header need ``--policy`` and ``--date``. A file is imported whole or not at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from sqlalchemy.orm import Session

from storage import captures as capture_store
from storage import policies as policy_store
from storage.db import Database
from storage.records import (
    NEW,
    REVERT,
    NewCapture,
    NewSnapshot,
    PolicyRecord,
    Rules,
    valid_timestamp,
)
from tracker.archive.store import cdx_digest
from tracker.clock import Clock
from tracker.config import DEFAULT_ARCHIVE
from tracker.errors import ConfigError, ExtractError, NotFound
from tracker.monitor.comparisons import compare_new_version
from tracker.monitor.judge import MARKDOWN, policy_text
from tracker.monitor.reextract import reextract
from tracker.policies import parse_moment, validate_name
from tracker.urls import require_http_url

_HEADER_START = "> *The following text is extracted and transformed from"
_HEADER = re.compile(
    r"> \*The following text is extracted and transformed from the (?P<name>.+?) privacy "
    r"policy that was archived on (?P<date>\d{4}-\d{2}-\d{2})\. Please check the \[original "
    r"snapshot on the Wayback Machine\]\((?P<url>[^)\s]+)\) for the most accurate "
    r"reproduction\.\*\s*"
)
_SNAPSHOT = re.compile(r"^(?P<base>https?://[^/]+)/web/(?P<ts>\d{14})(?:[a-z]{2}_)?/(?P<orig>.+)$")
_BAD_NAME_CHARS = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class CorpusFile:
    """One parsed corpus file, ready to import."""

    path: Path
    name: str
    url: str
    archive: str | None
    timestamp: str
    text: str


@dataclass(frozen=True)
class Imported:
    """What importing one file did: the policy, the outcome, the version it is in."""

    path: Path
    policy: str
    outcome: str  # new | same | revert | unchanged (imported before)
    version: int | None


def policy_name(raw: str) -> str:
    """A valid policy name from a corpus header's service name."""
    name = _BAD_NAME_CHARS.sub("-", raw.strip()).strip("-.")[:64]
    return name or "policy"


def _split_header(data: str) -> tuple[str, str]:
    first, newline, rest = data.partition("\n")
    # The blank line after the header separates it from the text and is not part of it.
    for blank in ("\r\n", "\n"):
        if rest.startswith(blank):
            return first, rest[len(blank) :]
    return first, rest if newline else ""


def parse_corpus_file(
    path: Path, *, policy: str | None = None, date: str | None = None, url: str | None = None
) -> CorpusFile:
    """Read a corpus file; a malformed header is an error naming the file and line."""
    try:
        data = path.read_bytes().decode("utf-8")
    except OSError as exc:
        raise ExtractError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise ExtractError(f"{path}: not UTF-8 text (byte {exc.start})") from exc
    first, text = _split_header(data)
    if not first.startswith(_HEADER_START):
        return _headerless(path, data, policy, date, url)
    match = _HEADER.fullmatch(first)
    if match is None:
        raise ExtractError(
            f"{path}:1: malformed corpus header; expected {_HEADER_START} the "
            "NAME privacy policy that was archived on YYYY-MM-DD. …(URL)…*"
        )
    snapshot = _SNAPSHOT.match(match["url"])
    if snapshot is None:
        raise ExtractError(
            f"{path}:1: the snapshot URL {match['url']!r} has no /web/TIMESTAMP/URL part"
        )
    if not valid_timestamp(snapshot["ts"]):
        raise ExtractError(f"{path}:1: the snapshot timestamp {snapshot['ts']} is not a real time")
    try:
        parse_moment(match["date"])
        original = require_http_url(unquote(snapshot["orig"]), "snapshot URL")
        name = validate_name(policy) if policy else policy_name(match["name"])
    except ConfigError as exc:
        raise ExtractError(f"{path}:1: {exc}") from exc
    archive = snapshot["base"] if snapshot["base"] != DEFAULT_ARCHIVE else None
    return CorpusFile(path, name, original, archive, snapshot["ts"], text)


def _headerless(
    path: Path, data: str, policy: str | None, date: str | None, url: str | None
) -> CorpusFile:
    if not policy or not date:
        raise ExtractError(f"{path}:1: no corpus header; import it with --policy NAME --date DATE")
    try:
        timestamp = parse_moment(date).ljust(14, "0")
        validate_name(policy)
        url = require_http_url(url, "--url") if url else ""
    except ConfigError as exc:
        raise ExtractError(f"{path}: {exc}") from exc
    if not valid_timestamp(timestamp):
        raise ExtractError(f"{path}: --date {date!r} is not a real date")
    return CorpusFile(path, policy, url, None, timestamp, data)


def import_files(db: Database, files: list[CorpusFile], *, clock: Clock) -> list[Imported]:
    """Import parsed corpus files in capture order, each in its own transaction."""
    results = []
    for corpus in sorted(files, key=lambda f: (f.name, f.timestamp)):
        results.append(_import_one(db, corpus, clock))
    for name in sorted({r.policy for r in results}):
        with db.session() as session:
            policy = policy_store.get_policy(session, name)
            late = policy_store.needs_rebuild(session, policy.id)
        if late:
            reextract(db, name, clock=clock, mark_technical=False)
    return results


def _import_one(db: Database, corpus: CorpusFile, clock: Clock) -> Imported:
    body = corpus.text.encode("utf-8")
    with db.session() as session:
        policy = _policy_for(session, corpus, clock)
        original = corpus.url or policy.url
        capture = NewCapture(
            corpus.timestamp, original, MARKDOWN, "200", cdx_digest(body), len(body)
        )
        if (corpus.timestamp, original) in capture_store.known_keys(
            session, policy.id, corpus.timestamp
        ):
            return Imported(corpus.path, policy.name, "unchanged", None)
        latest = capture_store.latest_timestamp(session, policy.id)
        if latest is not None and corpus.timestamp < latest:
            policy_store.flag_rebuild(session, policy.id)
        snapshot_id = capture_store.store_snapshot(
            session, NewSnapshot(body, f"{MARKDOWN}; charset=utf-8"), clock.now()
        )
        outcome = capture_store.record_capture(
            session,
            policy.id,
            capture,
            now=clock.now(),
            snapshot_id=snapshot_id,
            text=policy_text(corpus.text),
        )
        if outcome.kind in (NEW, REVERT) and outcome.version_number is not None:
            compare_new_version(session, policy.id, outcome.version_number, clock.now())
    return Imported(corpus.path, policy.name, outcome.kind, outcome.version_number)


def _policy_for(session: Session, corpus: CorpusFile, clock: Clock) -> PolicyRecord:
    try:
        return policy_store.get_policy(session, corpus.name)
    except NotFound:
        if not corpus.url:
            raise NotFound(
                f"{corpus.path}: no policy named {corpus.name!r}; add it first or pass --url URL"
            ) from None
        return policy_store.add_policy(
            session,
            name=corpus.name,
            url=corpus.url,
            now=clock.now(),
            archive_url=corpus.archive,
            rules=Rules(),
        )
