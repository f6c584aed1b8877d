"""From stored bytes to a verdict: the policy's text, or why the capture is not the policy.

Shared by the pipeline (new captures) and re-extraction (stored snapshots), so both apply
exactly the same rules, quality gate and identity.
"""

from __future__ import annotations

from dataclasses import dataclass

from storage.records import NewSnapshot, NewText, Rules
from tracker.errors import ExtractError
from tracker.extract import (
    QualityThresholds,
    assess,
    count_words,
    decode_body,
    extract,
    identity_hash,
    stated_date,
)

# Imported corpus files are stored as this type and taken verbatim: they are already text.
MARKDOWN = "text/markdown"


@dataclass(frozen=True)
class Frameset:
    """A frameset page: the policy is in one of its frames, to be fetched in its place."""

    frames: tuple[str, ...]


def media_type(content_type: str | None) -> str:
    """The bare media type of a Content-Type value, lower-cased."""
    return (content_type or "").split(";")[0].strip().lower()


def policy_text(text: str) -> NewText:
    """A text with what versioning needs: its identity, word count and stated date."""
    return NewText(
        text=text,
        identity=identity_hash(text),
        words=count_words(text),
        stated_date=stated_date(text),
    )


def judge(
    snapshot: NewSnapshot, rules: Rules, thresholds: QualityThresholds
) -> NewText | Frameset | str:
    """The snapshot's policy text, a frameset to follow, or the reason to reject it."""
    if media_type(snapshot.content_type) == MARKDOWN:
        return policy_text(decode_body(snapshot.body, snapshot.content_type))
    try:
        extracted = extract(
            snapshot.body, snapshot.content_type, select=rules.select, remove=rules.remove
        )
    except ExtractError as exc:
        return str(exc)
    if extracted.frames and not extracted.text.strip():
        return Frameset(extracted.frames)
    reason = assess(
        extracted.text, title=extracted.title, html=extracted.html, thresholds=thresholds
    )
    return reason if reason is not None else policy_text(extracted.text)
