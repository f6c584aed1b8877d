"""Version identity: which differences between two extracted texts are not a new version.

Two captures are the same version when a reader sees the same words in the same lines:
differences in whitespace, invisible characters or Unicode composition do not count.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

# Invisible in rendering, so a capture that gained or lost one reads identically. They are deleted
# rather than turned into spaces: "priv\u200bacy" and "privacy" look the same, "priv acy" does not.
# (ZWSP, ZWNJ, ZWJ, word joiner, BOM / zero-width no-break space, soft hyphen.)
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
# \s covers Unicode whitespace: NBSP, the U+2000 spaces, ideographic space, tabs…
_SPACES = re.compile(r"\s+")
# Letters and digits, keeping "don't", "e-mail", "3.5" and "example.com" as one word each.
_WORD = re.compile(r"\w+(?:[-'’.]\w+)*")


def normalize_for_identity(text: str) -> str:
    """Return the text a version's identity hash is computed on.

    Invisible characters removed, Unicode NFC, whitespace runs within a line collapsed to one
    space, lines stripped, runs of blank lines collapsed to one, leading and trailing blank lines
    dropped; lines joined by ``\\n`` with no final newline.
    """
    text = unicodedata.normalize("NFC", text.translate(_INVISIBLE))
    lines: list[str] = []
    for raw in text.splitlines():
        line = _SPACES.sub(" ", raw).strip()
        if line or (lines and lines[-1]):
            lines.append(line)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


def identity_hash(text: str) -> str:
    """SHA-256 hex digest of ``normalize_for_identity(text)`` as UTF-8: equal for equal versions."""
    return sha256_text(normalize_for_identity(text))


def sha256_text(text: str) -> str:
    """SHA-256 hex digest of the exact text, encoded as UTF-8."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def count_words(text: str) -> int:
    """Count the words a reader would count: runs of letters or digits, inner ' - . kept."""
    return len(_WORD.findall(text))
