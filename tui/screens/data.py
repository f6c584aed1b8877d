"""The database reads the screens share, and the cache of comparisons and their rendered rows.

Everything here runs in worker threads (never on the event loop), so it is all plain,
blocking, thread-safe code.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Generic, TypeVar
from urllib.parse import urlsplit

from storage import changes as change_store
from storage.db import Database
from tracker.diff import Comparison
from tracker.diff.render import render_string
from tracker.diffing import version_comparison
from tracker.policies import policy_listing
from tui.widgets.rows import Palette, Row, filtered, inline_rows, side_rows, text_rows

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


@dataclass(frozen=True)
class PolicyRow:
    """One line of the policies table."""

    name: str
    url: str
    versions: int
    captures: int
    last_change: datetime | None
    significance: str | None
    last_checked: datetime | None
    last_error: str | None

    @property
    def host(self) -> str:
        """The host of the policy's URL (the URL itself when it has none)."""
        return urlsplit(self.url).hostname or self.url


def latest_significance(db: Database) -> dict[int, str]:
    """Each policy's significance of the comparison leading to its latest version."""
    with db.session() as session:
        return change_store.latest_significance(session)


def load_policy_rows(db: Database) -> list[PolicyRow]:
    """Every tracked policy with its counts, last change, significance and status."""
    levels = latest_significance(db)
    return [
        PolicyRow(
            name=stats.policy.name,
            url=stats.policy.url,
            versions=stats.versions,
            captures=stats.captures,
            last_change=stats.last_change,
            significance=levels.get(stats.policy.id),
            last_checked=stats.policy.last_checked_at,
            last_error=stats.policy.last_error,
        )
        for stats in policy_listing(db)
    ]


class LRU(Generic[K, V]):
    """A small thread-safe least-recently-used cache."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._items: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        """The cached value, or None."""
        with self._lock:
            if key not in self._items:
                return None
            self._items.move_to_end(key)
            return self._items[key]

    def put(self, key: K, value: V) -> None:
        """Remember a value, forgetting the least recently used one when full."""
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self._size:
                self._items.popitem(last=False)

    def fetch(self, key: K, make: Callable[[], V]) -> V:
        """The cached value, made (outside the lock: it may be slow) when missing."""
        value = self.get(key)
        if value is None:
            value = make()
            self.put(key, value)
        return value

    def clear(self) -> None:
        """Forget everything (after the database changed)."""
        with self._lock:
            self._items.clear()


@dataclass(frozen=True)
class ViewKey:
    """Everything that decides what the diff view shows."""

    number: int
    base: int | None = None  # None: the version before ``number``
    side: bool = False
    changes_only: bool = True
    full_text: bool = False
    category: str | None = None
    minimum: str = "none"

    @property
    def filtering(self) -> bool:
        """Whether some changes are hidden."""
        return self.category is not None or self.minimum != "none"


def layout(cmp: Comparison, key: ViewKey, palette: Palette) -> list[Row]:
    """The rows the diff view shows for ``key``."""
    if key.full_text:
        return text_rows(cmp.new_text)
    view = filtered(cmp, key.category, key.minimum)
    make = side_rows if key.side else inline_rows
    return make(view, changes_only=key.changes_only, palette=palette)


def write_export(cmp: Comparison, key: ViewKey, path: Path, fmt: str, title: str) -> None:
    """Write the comparison as the view shows it (filter, changes only) as Markdown or HTML."""
    view = filtered(cmp, key.category, key.minimum)
    document = render_string(view, fmt, changes_only=key.changes_only, title=title)
    path.write_text(document, encoding="utf-8")


class ComparisonCache:
    """Comparisons by (policy, version, base) and their rows by view, so walking the
    history back and forth never diffs or lays out a version twice."""

    def __init__(self, size: int = 64) -> None:
        self._comparisons: LRU[tuple[str, int, int | None], Comparison] = LRU(size)
        self._rows: LRU[tuple[str, ViewKey, Palette], list[Row]] = LRU(size)

    def view(
        self, db: Database, name: str, key: ViewKey, palette: Palette
    ) -> tuple[Comparison, list[Row]]:
        """The comparison and rows for a view, made when not cached (slow: workers only)."""
        cmp = self.comparison(db, name, key.number, key.base)
        rows = self._rows.fetch((name, key, palette), lambda: layout(cmp, key, palette))
        return cmp, rows

    def cached_view(
        self, name: str, key: ViewKey, palette: Palette
    ) -> tuple[Comparison, list[Row]] | None:
        """The comparison and rows for a view if both are cached (cheap: the UI may call it)."""
        cmp = self._comparisons.get((name, key.number, key.base))
        rows = self._rows.get((name, key, palette))
        return (cmp, rows) if cmp is not None and rows is not None else None

    def comparison(self, db: Database, name: str, number: int, base: int | None) -> Comparison:
        """Version ``number`` of ``name`` against ``base`` (None: its predecessor)."""
        return self._comparisons.fetch(
            (name, number, base), lambda: version_comparison(db, name, number, base)
        )

    def clear(self) -> None:
        """Forget everything (after a check added versions)."""
        self._comparisons.clear()
        self._rows.clear()
