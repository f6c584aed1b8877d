"""Snapshot bytes → policy text: decoding, HTML conversion, the quality gate, stated dates
and version identity."""

from tracker.diff.dates import stated_date
from tracker.extract.decode import charset_of, decode_body
from tracker.extract.html import Extracted, check_selector, extract
from tracker.extract.normalize import (
    count_words,
    identity_hash,
    normalize_for_identity,
    sha256_text,
)
from tracker.extract.quality import QualityThresholds, assess

__all__ = [
    "Extracted",
    "QualityThresholds",
    "assess",
    "charset_of",
    "check_selector",
    "count_words",
    "decode_body",
    "extract",
    "identity_hash",
    "normalize_for_identity",
    "sha256_text",
    "stated_date",
]
