"""Composing a digest: one ``multipart/alternative`` message (plain text and HTML) per
recipient per cadence, covering every change waiting for them.

Every policy name, URL, headline and clause is untrusted text from the web. The HTML part
escapes each of them (the diff renderer escapes the redline itself); headers get no line
breaks or other control characters, so nothing a policy says can add a header or markup.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime

from storage.outbox import ChangeEntry, OutboxRow
from tracker.notify import digest_html, digest_text
from tracker.notify.views import PolicyView, policy_views

TITLE = "Privacy policy changes"
SUBJECT_POLICIES = 5  # more than this and the subject says "and N more"
_HEADER_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def header_safe(text: str) -> str:
    """Text fit for a header: control characters and line breaks become single spaces."""
    return _HEADER_UNSAFE.sub(" ", text).strip()


def message_id_for(recipient: str, rows: Iterable[OutboxRow], domain: str) -> str:
    """The digest's Message-ID, derived only from what it contains (recipient, notification
    ids and queue times), so every attempt to send the same digest carries the same one."""
    key = (
        recipient.lower()
        + "\n"
        + "\n".join(
            f"{row.id}:{row.created_at.isoformat()}" for row in sorted(rows, key=lambda r: r.id)
        )
    )
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
    return f"<redline.{digest}@{domain}>"


def subject_of(policies: list[PolicyView]) -> str:
    """``Privacy policy changes: Plusnet (high), Example Corp (low)``, one line only."""
    shown = [f"{header_safe(p.name)} ({p.significance})" for p in policies[:SUBJECT_POLICIES]]
    more = len(policies) - len(shown)
    if more > 0:
        shown.append(f"and {more} more")
    return header_safe(f"{TITLE}: {', '.join(shown)}")


@dataclass(frozen=True)
class Envelope:
    """Who a digest goes to, from whom, under which Message-ID, for which cadence."""

    recipient: str
    sender: str
    message_id: str
    cadence: str


def compose(
    envelope: Envelope, entries: list[ChangeEntry], *, default_archive: str, now: datetime
) -> EmailMessage:
    """The digest message: headers, then a text part and an HTML part saying the same."""
    policies = policy_views(entries, default_archive)
    subject = subject_of(policies)
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = header_safe(envelope.sender)
    message["To"] = header_safe(envelope.recipient)
    message["Date"] = format_datetime(now)
    message["Message-ID"] = envelope.message_id
    # Tells autoresponders and mail filters this is machine-sent (RFC 3834).
    message["Auto-Submitted"] = "auto-generated"
    # Quoted-printable keeps every line 7-bit and short, whatever the policy's script.
    text = digest_text.body(policies, envelope.recipient, envelope.cadence)
    message.set_content(text, subtype="plain", cte="quoted-printable")
    page = digest_html.body(policies, subject, envelope.recipient, envelope.cadence)
    message.add_alternative(page, subtype="html", cte="quoted-printable")
    return message
