"""The one error hierarchy of Redline.

Library code raises these; the edges (CLI, TUI, daemon) turn them into one clear line.
Every message should say what is wrong and, where it can, what to do about it.
The root, ``RedlineError``, and the storage branch are defined in ``storage.errors`` (the
lowest layer) and re-exported here.
"""

from __future__ import annotations

from storage.errors import Conflict, NotFound, RedlineError, StorageError

__all__ = [
    "ArchiveError",
    "ConfigError",
    "Conflict",
    "ExtractError",
    "NotFound",
    "NotifyError",
    "RateLimited",
    "RedlineError",
    "StorageError",
]


class ConfigError(RedlineError):
    """A setting, a configuration file or a command-line value is wrong."""


class ArchiveError(RedlineError):
    """The archive could not answer.

    ``transient`` says whether trying again later may succeed (connection errors, timeouts,
    5xx, 429) as opposed to a permanent answer (404 for a replay, malformed data).
    """

    def __init__(self, message: str, *, transient: bool = False) -> None:
        super().__init__(message)
        self.transient = transient


class RateLimited(ArchiveError):
    """The archive answered HTTP 429: everything pauses before the next request."""

    def __init__(self, message: str) -> None:
        super().__init__(message, transient=True)


class ExtractError(RedlineError):
    """A snapshot could not be turned into policy text."""


class NotifyError(RedlineError):
    """An email could not be composed or delivered."""
