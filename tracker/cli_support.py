"""What every command shares: the application context and output helpers."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Concatenate, ParamSpec, TypeVar

import click

from storage.db import Database, open_database
from tracker.clock import Clock, SystemClock
from tracker.config import Settings, load_settings

P = ParamSpec("P")
R = TypeVar("R")


@dataclass
class AppContext:
    """What every command gets: settings, a clock, and the database once it is needed."""

    config: str | None
    db_url: str | None
    clock: Clock = field(default_factory=SystemClock)
    _settings: Settings | None = None
    _db: Database | None = None

    @property
    def settings(self) -> Settings:
        """The merged settings (loaded on first use)."""
        if self._settings is None:
            self._settings = load_settings(self.config, self.db_url)
        return self._settings

    @property
    def db(self) -> Database:
        """The open database, migrated to head (opened on first use)."""
        if self._db is None:
            self._db = open_database(self.settings.database)
        return self._db

    def close(self) -> None:
        """Close the database if it was opened."""
        if self._db is not None:
            self._db.close()


def pass_app(func: Callable[Concatenate[AppContext, P], R]) -> Callable[P, R]:
    """Decorate a command to receive the :class:`AppContext` as its first argument."""
    return click.make_pass_decorator(AppContext)(func)


def echo_json(document: Any) -> None:
    """Print a JSON document (UTF-8, indented) on stdout."""
    click.echo(json.dumps(document, ensure_ascii=False, indent=2))
