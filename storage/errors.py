"""The root of Redline's one error hierarchy, and the storage branch of it.

The root lives here, in the lowest layer, so that storage can raise errors that the edges
catch with a single ``except RedlineError`` without storage importing ``tracker``;
``tracker.errors`` re-exports it and adds the rest of the hierarchy.
"""

from __future__ import annotations


class RedlineError(Exception):
    """Base of every error Redline reports to a user as one clear line."""


class StorageError(RedlineError):
    """The database cannot be opened, migrated or written."""


class NotFound(RedlineError):
    """A named policy, version or other record does not exist."""


class Conflict(RedlineError):
    """A record with that name or key already exists."""
