"""What `redline diff` and `redline rediff` need: texts from files or the database."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from storage import changes as change_store
from storage import policies as policy_store
from storage import versions as version_store
from storage.db import Database
from tracker.clock import Clock
from tracker.diff import ENGINE_VERSION, Comparison, compare, comparison_from_dict
from tracker.errors import ConfigError, ExtractError, NotFound
from tracker.extract import extract
from tracker.monitor.comparisons import compare_ahead, compare_all
from tracker.policies import resolve_version

_TYPES = {
    ".html": "text/html",
    ".htm": "text/html",
    ".xhtml": "text/html",
    ".pdf": "application/pdf",
}


@dataclass(frozen=True)
class Side:
    """One side of a comparison: a label for people and the text."""

    label: str
    text: str


def read_file_side(path: Path) -> Side:
    """A file's text: HTML and PDF are extracted first, anything else is read as UTF-8."""
    try:
        body = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror or exc}") from exc
    content_type = _TYPES.get(path.suffix.lower())
    if content_type is None and body.lstrip()[:1] == b"<":
        content_type = "text/html"
    if content_type is not None:
        return Side(str(path), extract(body, content_type).text)
    try:
        return Side(str(path), body.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ExtractError(f"{path} is not UTF-8 text, HTML or PDF") from exc


def load_side(spec: str, database: Callable[[], Database]) -> Side:
    """A file path, or ``NAME@REF`` naming a stored version (files win when both exist)."""
    path = Path(spec)
    if path.is_file():
        return read_file_side(path)
    try:
        policy, version, text = resolve_version(database(), spec)
    except NotFound as exc:
        if "@" not in spec and "no policy named" in str(exc):
            raise ConfigError(f"{spec!r} is neither a file nor a policy (use NAME@REF)") from exc
        raise
    return Side(f"{policy.name}@{version.number} ({version.first_seen.date()})", text)


def version_comparison(db: Database, name: str, number: int, base: int | None = None) -> Comparison:
    """Version ``number`` of ``name`` compared with ``base`` (default: the version before it).

    The stored comparison is used when it was made by this engine; any other pair is
    compared on the spot.
    """
    with db.session() as session:
        policy = policy_store.get_policy(session, name)
        versions = version_store.list_versions(session, policy.id)
        new = version_store.resolve_ref(versions, str(number), name)
        index = versions.index(new)
        if base is None and index == 0:
            text = version_store.version_text(session, new.id)
            return compare("", text)
        old = (
            versions[index - 1]
            if base is None
            else version_store.resolve_ref(versions, str(base), name)
        )
        old_text = version_store.version_text(session, old.id)
        new_text = version_store.version_text(session, new.id)
        stored = change_store.stored_document(session, new.id) if base is None else None
    if stored is not None and stored.get("engine") == ENGINE_VERSION:
        return comparison_from_dict(stored, old_text, new_text)
    return compare(old_text, new_text)


def rediff(db: Database, names: list[str], clock: Clock) -> dict[str, int]:
    """Recompute the stored comparisons of the named policies (all when none is named)."""
    done = {}
    with db.session() as session:
        policies = (
            [policy_store.get_policy(session, n) for n in names]
            if names
            else policy_store.all_policies(session)
        )
    for policy in policies:
        with db.session() as session:  # diffing needs no lock; only storing does
            ahead = compare_ahead(session, policy.id)
        with db.writing() as session:
            done[policy.name] = compare_all(session, policy.id, clock.now(), ahead)
    return done
