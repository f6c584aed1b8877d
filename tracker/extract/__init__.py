"""Snapshot bytes → policy text: decoding, HTML conversion and version identity."""

from tracker.extract.decode import charset_of, decode_body
from tracker.extract.html import Extracted, extract
from tracker.extract.normalize import (
    count_words,
    identity_hash,
    normalize_for_identity,
    sha256_text,
)

__all__ = [
    "Extracted",
    "charset_of",
    "count_words",
    "decode_body",
    "extract",
    "identity_hash",
    "normalize_for_identity",
    "sha256_text",
]
