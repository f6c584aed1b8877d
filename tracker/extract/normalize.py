"""Version identity: which differences between two extracted texts are not a new version.

Two captures are the same version when a reader sees the same words in the same lines:
differences in whitespace, invisible characters or Unicode composition do not count, and neither
do tracking or session parameters in link targets (a site that stamps ``?utm_source=…`` or
``;jsessionid=…`` on every link would otherwise make each capture a "new version").
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

# Where URLs live in extracted Markdown: a link target ``[text](target "title")`` (possibly
# relative), or a bare absolute URL. A bare URL does not end in sentence punctuation, so that
# "see https://example.com/?utm_source=x." keeps its full stop when the parameter goes.
_URL = re.compile(
    r"(?<=\]\()[^\s)]+"
    r"|\b(?:https?://|www\.)[^\s<>()\[\]\"'`]*[^\s<>()\[\]\"'`.,;:!?]"
)
# Query parameters that say who sent the visitor or which session they are in, never what the
# page is. Compared lower-cased; ``utm_*`` and ``aspsessionid*`` by prefix.
_TRACKING_PARAMS = frozenset(
    {"fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "_ga", "_gl", "yclid", "igshid",
     "ref_src", "sessionid", "session_id", "sid", "phpsessid", "jsessionid", "cfid", "cftoken",
     "s_cid"}
)  # fmt: skip
_TRACKING_PREFIXES = ("utm_", "aspsessionid")
# Java servlet and similar containers put the session in a path parameter: /a;jsessionid=XYZ?b=1
_PATH_SESSION = re.compile(r";(?:jsessionid|sessionid)=[^;?#/]*", re.IGNORECASE)


def normalize_for_identity(text: str) -> str:
    """Return the text a version's identity hash is computed on.

    Invisible characters removed, Unicode NFC, whitespace runs within a line collapsed to one
    space, lines stripped, runs of blank lines collapsed to one, leading and trailing blank lines
    dropped; lines joined by ``\\n`` with no final newline. Tracking and session parameters are
    removed from URLs (see :func:`strip_tracking`).
    """
    text = strip_tracking(unicodedata.normalize("NFC", text.translate(_INVISIBLE)))
    lines: list[str] = []
    for raw in text.splitlines():
        line = _SPACES.sub(" ", raw).strip()
        if line or (lines and lines[-1]):
            lines.append(line)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


def strip_tracking(text: str) -> str:
    """Remove tracking and session parameters from the URLs in a text, leaving all else as is.

    Dropped: query parameters ``utm_*``, click ids (fbclid, gclid…), session ids (sid,
    phpsessid, jsessionid, aspsessionid*…) and ``;jsessionid=``/``;sessionid=`` path parameters.
    Every other parameter keeps its place; a ``?`` with nothing left after it goes too.
    """
    return _URL.sub(lambda match: _clean_url(match.group(0)), text)


def _clean_url(url: str) -> str:
    """One URL without its tracking and session parameters; unchanged if it has none."""
    base, hash_mark, fragment = url.partition("#")
    path, question, query = base.partition("?")
    path = _PATH_SESSION.sub("", path)
    if question:
        kept = [part for part in query.split("&") if not _is_tracking(part)]
        # Rebuilt from the kept pieces, so untouched parameters keep their exact spelling.
        query = "&".join(kept)
        question = "?" if any(kept) else ""
    return f"{path}{question}{query if question else ''}{hash_mark}{fragment}"


def _is_tracking(parameter: str) -> bool:
    """Whether a ``name=value`` query parameter only tracks the visitor or their session."""
    name = parameter.split("=", 1)[0].lower()
    return name in _TRACKING_PARAMS or name.startswith(_TRACKING_PREFIXES)


def identity_hash(text: str) -> str:
    """SHA-256 hex digest of ``normalize_for_identity(text)`` as UTF-8: equal for equal versions."""
    return sha256_text(normalize_for_identity(text))


def sha256_text(text: str) -> str:
    """SHA-256 hex digest of the exact text, encoded as UTF-8."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def count_words(text: str) -> int:
    """Count the words a reader would count: runs of letters or digits, inner ' - . kept."""
    return len(_WORD.findall(text))
