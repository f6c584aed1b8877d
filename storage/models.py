"""SQLAlchemy 2.0 typed models: the whole schema of Redline.

Only portable column types are used (no SQLite- or PostgreSQL-only types) so one set of
migrations serves both. Times are UTC (:class:`storage.types.UTCDateTime`); capture
timestamps keep the archive's 14-digit form as text because that is their identity there.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from storage.types import UTCDateTime


class Base(DeclarativeBase):
    """Declarative base of every Redline table."""

    # Named constraints: SQLite batch migrations can only drop a constraint by its name.
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_N_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


class Policy(Base):
    """One tracked document."""

    __tablename__ = "policies"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    url: Mapped[str] = mapped_column(Text)
    # None: use the configured archive.
    archive_url: Mapped[str | None] = mapped_column(Text)
    # {"select": [css…], "remove": [css…]}; versioned by rules_changed_at.
    rules: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    rules_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    check_every: Mapped[int] = mapped_column(Integer, default=86400)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    # Set while captures older than the stored history are being added; the rebuild that
    # puts them in order clears it, so a crash in between is finished by the next check.
    needs_rebuild: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    captures: Mapped[list[Capture]] = relationship(
        back_populates="policy", cascade="all, delete-orphan", passive_deletes=True
    )
    versions: Mapped[list[Version]] = relationship(
        back_populates="policy", cascade="all, delete-orphan", passive_deletes=True
    )


class RuleSet(Base):
    """A policy's extraction rules as they were from ``since`` on (rules are versioned)."""

    __tablename__ = "rule_sets"

    id: Mapped[int] = mapped_column(primary_key=True)
    policy_id: Mapped[int] = mapped_column(ForeignKey("policies.id", ondelete="CASCADE"))
    since: Mapped[datetime] = mapped_column(UTCDateTime)
    select: Mapped[list[str]] = mapped_column(JSON, default=list)
    remove: Mapped[list[str]] = mapped_column(JSON, default=list)


class Snapshot(Base):
    """The raw bytes of a fetched capture, stored once per SHA-256, compressed."""

    __tablename__ = "snapshots"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    content_type: Mapped[str | None] = mapped_column(String(255))
    size: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class TextBlob(Base):
    """An extracted text, stored once per SHA-256 of its exact characters, compressed."""

    __tablename__ = "texts"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    chars: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class Version(Base):
    """One distinct extracted text of a policy, in the order its captures were taken."""

    __tablename__ = "versions"
    __table_args__ = (
        UniqueConstraint("policy_id", "number"),
        Index("ix_versions_policy_identity", "policy_id", "identity"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    policy_id: Mapped[int] = mapped_column(ForeignKey("policies.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    text_id: Mapped[int] = mapped_column(ForeignKey("texts.id"))
    # Hash of the text as a reader sees it (whitespace, Unicode form… folded).
    identity: Mapped[str] = mapped_column(String(64))
    first_seen: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen: Mapped[datetime] = mapped_column(UTCDateTime)
    words: Mapped[int] = mapped_column(Integer)
    stated_date: Mapped[date | None] = mapped_column(Date)
    # Made only because extraction changed, not the policy: never notified.
    technical: Mapped[bool] = mapped_column(Boolean, default=False)
    # The earlier version number whose text this one returns to.
    revert_of: Mapped[int | None] = mapped_column(Integer)

    policy: Mapped[Policy] = relationship(back_populates="versions")
    text: Mapped[TextBlob] = relationship()


class Capture(Base):
    """One row of the archive's index for a policy, with what became of it."""

    __tablename__ = "captures"
    __table_args__ = (
        UniqueConstraint("policy_id", "timestamp", "original"),
        Index("ix_captures_digest", "digest"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    policy_id: Mapped[int] = mapped_column(ForeignKey("policies.id", ondelete="CASCADE"))
    timestamp: Mapped[str] = mapped_column(String(14))
    original: Mapped[str] = mapped_column(Text)
    mimetype: Mapped[str] = mapped_column(String(255))
    statuscode: Mapped[str] = mapped_column(String(8))
    digest: Mapped[str] = mapped_column(String(64))
    length: Mapped[int | None] = mapped_column(Integer)
    # new | same | revert | rejected | failed
    outcome: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(Text)
    snapshot_id: Mapped[int | None] = mapped_column(ForeignKey("snapshots.id"))
    version_id: Mapped[int | None] = mapped_column(ForeignKey("versions.id", ondelete="SET NULL"))
    processed_at: Mapped[datetime] = mapped_column(UTCDateTime)

    policy: Mapped[Policy] = relationship(back_populates="captures")
    version: Mapped[Version | None] = relationship()


class Change(Base):
    """The stored comparison of a version with its predecessor (diff JSON, engine version)."""

    __tablename__ = "changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    policy_id: Mapped[int] = mapped_column(ForeignKey("policies.id", ondelete="CASCADE"))
    old_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("versions.id", ondelete="CASCADE")
    )
    new_version_id: Mapped[int] = mapped_column(
        ForeignKey("versions.id", ondelete="CASCADE"), unique=True
    )
    engine: Mapped[str] = mapped_column(String(16))
    significance: Mapped[str] = mapped_column(String(8))
    headline: Mapped[str] = mapped_column(Text, default="")
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Subscription(Base):
    """Who is emailed about what."""

    __tablename__ = "subscriptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320))
    # Policy names; empty means every policy.
    policies: Mapped[list[str]] = mapped_column(JSON, default=list)
    min_significance: Mapped[str] = mapped_column(String(8), default="low")
    # Category names; empty means every category.
    categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    cadence: Mapped[str] = mapped_column(String(16), default="daily")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Notification(Base):
    """An outbox row: one change for one subscriber, with its delivery state."""

    __tablename__ = "notifications"
    __table_args__ = (UniqueConstraint("subscription_id", "change_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subscription_id: Mapped[int] = mapped_column(ForeignKey("subscriptions.id", ondelete="CASCADE"))
    change_id: Mapped[int] = mapped_column(ForeignKey("changes.id", ondelete="CASCADE"))
    # pending | sent | failed
    state: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    message_id: Mapped[str | None] = mapped_column(String(255))
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


# Tables that live in the database but are owned by libraries (APScheduler's job store).
FOREIGN_TABLES = frozenset({"apscheduler_jobs"})


def include_object(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    """Leave tables owned by libraries out of Alembic's autogenerate comparison."""
    return not (type_ == "table" and name in FOREIGN_TABLES)
