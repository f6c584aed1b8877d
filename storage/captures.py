"""Recording captures: snapshots and texts stored once, versions made only for new text.

One call of :func:`record_capture` is one capture's whole effect; the caller commits it as
one transaction, so an interrupted run resumes with no duplicates and no gaps.

Writers check and then insert (is this capture, snapshot or text stored yet? which version
number is next?), so each takes the write lock before that check: another process
checking the same policy at the same time (the daemon and `redline check`) then either
committed first, and its record is found and kept, or waits for this one.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.db import lock_for_write
from storage.models import Capture, Snapshot, TextBlob, Version
from storage.records import (
    FAILED,
    NEW,
    REJECTED,
    REVERT,
    SAME,
    DigestHit,
    NewCapture,
    NewSnapshot,
    NewText,
    Outcome,
    parse_timestamp,
)
from storage.types import compress, decompress


def latest_timestamp(session: Session, policy_id: int) -> str | None:
    """The newest capture timestamp recorded for a policy."""
    return session.scalar(
        select(Capture.timestamp)
        .where(Capture.policy_id == policy_id)
        .order_by(Capture.timestamp.desc())
        .limit(1)
    )


def known_keys(session: Session, policy_id: int, since: str | None = None) -> set[tuple[str, str]]:
    """The (timestamp, original URL) of every recorded capture, optionally from ``since`` on."""
    query = select(Capture.timestamp, Capture.original).where(Capture.policy_id == policy_id)
    if since:
        query = query.where(Capture.timestamp >= since)
    return {(ts, original) for ts, original in session.execute(query)}


def find_digest(session: Session, policy_id: int, digest: str) -> DigestHit | None:
    """What is stored for a digest: its snapshot, and this policy's verdict on it if any."""
    # A redirect's digest covers only its (usually empty) body, not where it points: its
    # snapshot, if it was followed, is the target's and must not stand for the digest.
    own = session.scalars(
        select(Capture)
        .where(Capture.policy_id == policy_id, Capture.digest == digest)
        .where(Capture.snapshot_id.is_not(None), Capture.outcome != FAILED)
        .where(Capture.statuscode.not_like("3%"))
        .order_by(Capture.timestamp.desc())
        .limit(1)
    ).first()
    if own is not None and own.snapshot_id is not None:
        rejected = own.reason if own.outcome == REJECTED else None
        return DigestHit(own.snapshot_id, own.version_id, rejected)
    snapshot_id = session.scalar(
        select(Capture.snapshot_id)
        .where(Capture.digest == digest, Capture.snapshot_id.is_not(None))
        .where(Capture.statuscode.not_like("3%"))
        .limit(1)
    )
    return DigestHit(snapshot_id) if snapshot_id is not None else None


def snapshot_content(session: Session, snapshot_id: int) -> NewSnapshot:
    """A stored snapshot's bytes and content type."""
    snapshot = session.get_one(Snapshot, snapshot_id)
    return NewSnapshot(decompress(snapshot.data), snapshot.content_type)


def version_as_text(session: Session, version_id: int) -> NewText:
    """A stored version's text as versioning sees it, to reuse for a repeated digest."""
    version = session.get_one(Version, version_id)
    return NewText(
        text=decompress(version.text.data).decode("utf-8"),
        identity=version.identity,
        words=version.words,
        stated_date=version.stated_date,
    )


def store_snapshot(session: Session, snapshot: NewSnapshot, now: datetime) -> int:
    """Store bytes once per SHA-256; the id of the stored snapshot."""
    lock_for_write(session)
    sha = hashlib.sha256(snapshot.body).hexdigest()
    existing = session.scalar(select(Snapshot.id).where(Snapshot.sha256 == sha))
    if existing is not None:
        return existing
    row = Snapshot(
        sha256=sha,
        content_type=snapshot.content_type,
        size=len(snapshot.body),
        data=compress(snapshot.body),
        created_at=now,
    )
    session.add(row)
    session.flush()
    return row.id


def _store_text(session: Session, text: str) -> TextBlob:
    encoded = text.encode("utf-8")
    sha = hashlib.sha256(encoded).hexdigest()
    blob = session.scalars(select(TextBlob).where(TextBlob.sha256 == sha)).first()
    if blob is None:
        blob = TextBlob(sha256=sha, chars=len(text), data=compress(encoded))
        session.add(blob)
        session.flush()
    return blob


def assign_version(
    session: Session, policy_id: int, text: NewText, seen: datetime
) -> tuple[Version, Outcome]:
    """The version a text seen at ``seen`` belongs to: the latest one extended, or a new
    version (a revert when the text was seen before)."""
    lock_for_write(session)
    latest = session.scalars(
        select(Version).where(Version.policy_id == policy_id).order_by(Version.number.desc())
    ).first()
    if latest is not None and latest.identity == text.identity:
        latest.last_seen = max(latest.last_seen, seen)
        return latest, Outcome(SAME, latest.number)
    earlier = session.scalars(
        select(Version)
        .where(Version.policy_id == policy_id, Version.identity == text.identity)
        .order_by(Version.number.desc())
    ).first()
    # A text seen before but not latest (A/B tests, geo variants, rollbacks) is a revert:
    # a new entry in the timeline that points back instead of a new distinct text.
    revert_of = (earlier.revert_of or earlier.number) if earlier is not None else None
    version = Version(
        policy_id=policy_id,
        number=(latest.number + 1) if latest is not None else 1,
        text=_store_text(session, text.text),
        identity=text.identity,
        first_seen=seen,
        last_seen=seen,
        words=text.words,
        stated_date=text.stated_date,
        technical=False,
        revert_of=revert_of,
    )
    session.add(version)
    session.flush()
    kind = REVERT if revert_of is not None else NEW
    return version, Outcome(kind, version.number, revert_of=revert_of)


def _recorded(session: Session, policy_id: int, capture: NewCapture) -> Outcome | None:
    """The outcome of a capture already recorded, as news no more (None: not recorded)."""
    row = session.scalars(
        select(Capture).where(
            Capture.policy_id == policy_id,
            Capture.timestamp == capture.timestamp,
            Capture.original == capture.original,
        )
    ).first()
    if row is None:
        return None
    number = row.version.number if row.version is not None else None
    kind = row.outcome if row.outcome in (REJECTED, FAILED) else SAME
    return Outcome(kind, number, reason=row.reason)


def record_capture(
    session: Session,
    policy_id: int,
    capture: NewCapture,
    *,
    now: datetime,
    snapshot_id: int | None = None,
    text: NewText | None = None,
    rejected: str | None = None,
    failed: str | None = None,
) -> Outcome:
    """Record one capture and its effect on the policy's versions.

    Exactly one of ``text`` (the capture's extracted text), ``rejected`` or ``failed`` (a
    reason) says what became of it. A capture already recorded (by another process
    checking the same policy meanwhile) is left as it is: its outcome is returned as
    ``same`` (or its rejection or failure), so nothing is compared or notified twice.
    """
    if (text is None) + (rejected is None) + (failed is None) != 2:
        raise ValueError("record_capture needs exactly one of text, rejected or failed")
    lock_for_write(session)
    recorded = _recorded(session, policy_id, capture)
    if recorded is not None:
        return recorded
    version: Version | None = None
    if text is not None:
        version, outcome = assign_version(
            session, policy_id, text, parse_timestamp(capture.timestamp)
        )
    elif rejected is not None:
        outcome = Outcome(REJECTED, reason=rejected)
    else:
        outcome = Outcome(FAILED, reason=failed)
    session.add(
        Capture(
            policy_id=policy_id,
            timestamp=capture.timestamp,
            original=capture.original,
            mimetype=capture.mimetype,
            statuscode=capture.statuscode,
            digest=capture.digest,
            length=capture.length,
            outcome=outcome.kind,
            reason=outcome.reason,
            snapshot_id=snapshot_id,
            version_id=version.id if version is not None else None,
            processed_at=now,
        )
    )
    session.flush()
    return outcome
