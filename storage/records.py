"""Typed records that cross the storage border (ORM objects never leave ``storage``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

# What became of a capture.
NEW, SAME, REVERT, REJECTED, FAILED = "new", "same", "revert", "rejected", "failed"
OUTCOMES = (NEW, SAME, REVERT, REJECTED, FAILED)


def parse_timestamp(timestamp: str) -> datetime:
    """The UTC datetime of an archive's 14-digit timestamp."""
    return datetime.strptime(timestamp, "%Y%m%d%H%M%S").replace(tzinfo=UTC)


def valid_timestamp(timestamp: str) -> bool:
    """Whether a 14-digit timestamp names a real moment (archives hold a few that do not)."""
    if len(timestamp) != 14 or not timestamp.isdigit():
        return False
    try:
        parse_timestamp(timestamp)
    except ValueError:
        return False
    return True


def format_timestamp(moment: datetime) -> str:
    """The archive's 14-digit form of a datetime (taken as UTC when naive)."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.strftime("%Y%m%d%H%M%S")


@dataclass(frozen=True)
class Rules:
    """Per-policy extraction rules: CSS selectors of the policy's content and of what to drop."""

    select: tuple[str, ...] = ()
    remove: tuple[str, ...] = ()

    def to_json(self) -> dict[str, list[str]]:
        """The rules as stored."""
        return {"select": list(self.select), "remove": list(self.remove)}

    @classmethod
    def from_json(cls, data: dict[str, list[str]] | None) -> Rules:
        """Rules from their stored form."""
        data = data or {}
        return cls(tuple(data.get("select", ())), tuple(data.get("remove", ())))


@dataclass(frozen=True)
class PolicyRecord:
    """A tracked policy."""

    id: int
    name: str
    url: str
    archive_url: str | None
    rules: Rules
    check_every: int
    created_at: datetime
    last_checked_at: datetime | None
    last_error: str | None


@dataclass(frozen=True)
class PolicyStats:
    """A policy with the counts a listing shows."""

    policy: PolicyRecord
    versions: int
    captures: int
    last_change: datetime | None


@dataclass(frozen=True)
class VersionRecord:
    """One distinct text of a policy."""

    id: int
    policy_id: int
    number: int
    first_seen: datetime
    last_seen: datetime
    captures: int
    words: int
    chars: int
    sha256: str
    identity: str
    stated_date: date | None
    technical: bool
    revert_of: int | None


@dataclass(frozen=True)
class CaptureRecord:
    """A capture with its outcome."""

    timestamp: str
    original: str
    mimetype: str
    statuscode: str
    digest: str
    length: int | None
    outcome: str
    reason: str | None
    version_number: int | None


@dataclass(frozen=True)
class NewCapture:
    """A capture as the archive's index describes it, before it is stored."""

    timestamp: str
    original: str
    mimetype: str
    statuscode: str
    digest: str
    length: int | None = None


@dataclass(frozen=True)
class NewSnapshot:
    """Fetched bytes to store."""

    body: bytes
    content_type: str | None


@dataclass(frozen=True)
class NewText:
    """An extracted text with what versioning needs to know of it."""

    text: str
    identity: str
    words: int
    stated_date: date | None = None


@dataclass(frozen=True)
class Outcome:
    """What recording a capture did."""

    kind: str
    version_number: int | None = None
    reason: str | None = None
    revert_of: int | None = None


@dataclass(frozen=True)
class DigestHit:
    """What is already known about a digest, so it is never downloaded twice."""

    snapshot_id: int
    # The same policy's earlier capture of this digest, when there is one.
    version_id: int | None = None
    rejected_reason: str | None = None
