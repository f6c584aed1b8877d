"""Cosmetic folding: the words a reader reads, without the way they are typeset.

``fold(text)`` keeps the case and the words of a clause and drops what DESIGN.md calls cosmetic:
whitespace, Markdown markup (emphasis, heading marks, bullet characters, list numbering style,
blockquote marks, table pipes, backslash escapes), quote/dash/ellipsis styles and link targets.
Two clauses are cosmetically equal when their folds are equal. Every step is a single regular
expression pass or ``str.translate``, so folding is linear in the clause's length.
"""

from __future__ import annotations

import html
import re
import unicodedata

# One character for each typographic variant of quotes, dashes and spaces; zero-width and soft
# hyphens vanish. The ellipsis becomes three full stops.
_CHARS = {
    **dict.fromkeys("‘’‚‛′‹›`´", "'"),
    **dict.fromkeys("“”„‟″«»", '"'),
    **dict.fromkeys("‐‑‒–—―−", "-"),
    **dict.fromkeys("\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008", " "),
    **dict.fromkeys("\u2009\u200a\u202f\u205f\u3000", " "),
    **dict.fromkeys("\u200b\u200c\u200d\u2060\ufeff\u00ad", ""),
    "…": "...",
}
# One regular expression pass finds them; str.translate would look every character up.
_CHAR = re.compile("[" + "".join(_CHARS) + "]")


def _char(match: re.Match[str]) -> str:
    return _CHARS[match.group()]


# Markup a clause may start with: blockquote marks, heading marks, a bullet or a list number.
_LEAD = re.compile(r"^\s*(?:>[ \t]*)*(?:#{1,6}(?=\s|$)|[-*+](?=\s)|\d{1,9}[.)](?=\s|$))?")
_QUOTE_MARKS = re.compile(r"\n[ \t]*(?:>[ \t]*)+")  # "> " continuing a quote on a new line
_SETEXT = re.compile(r"\n[ \t]*(?:=+|-+)[ \t]*$")  # a setext heading's underline
_CLOSING_HASHES = re.compile(r"[ \t]+#+[ \t]*$")
_IMAGE = re.compile(r"!\[([^\]\n]*)\]\((?:[^()\s]|\([^()\s]*\))*(?:\s+\"[^\"]*\")?\s*\)")
_LINK = re.compile(r"\[([^\]]*)\]\((?:[^()\s]|\([^()\s]*\))*(?:\s+\"[^\"]*\")?\s*\)")
_REF_LINK = re.compile(r"\[([^\]]*)\]\[[^\]\n]*\]")
_AUTOLINK = re.compile(r"<((?:https?|ftp|mailto):[^<>\s]+|[^<>@\s]+@[^<>\s]+)>")
_TAG = re.compile(r"</?(?:br|span|sup|sub|b|i|u|strong|em|a|p|div|small)\b[^<>]*>", re.I)
# Emphasis runs at a word's edge (``**bold**``, ``_it_``); ``snake_case`` keeps its underscore,
# and an escaped ``\*`` is a literal star, left for _ESCAPE.
# Written to start with its first character (one mark, the lookbehinds then read back over it):
# the regex engine skips quickly to the next mark instead of trying every position.
_EMPHASIS = re.compile(r"[*_](?<!\\[*_])(?:(?<![\w*_][*_])[*_]*|[*_]*(?![\w*_]))")
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_PIPES = re.compile(r"\s*\|\s*")
_DASHES = re.compile(r"\s*-+\s*")  # "a—b", "a – b" and "a -- b" differ only in style


# Text with none of what folding changes: words, single spaces, plain punctuation, and no list
# number in front. Most clauses are like that, and are their own fold. The class alone is
# looked for by the regex engine (it skips quickly to such a character); the rest are checks.
_ODD = re.compile(r"[^\w .,;:!?()/@%$=']")
_LIST_NUMBER = re.compile(r"\d{1,9}[.)](?:\s|$)")


def _folds(text: str) -> bool:
    """Whether folding may change the text (else it is its own fold, when NFC)."""
    return bool(
        _ODD.search(text)
        or "_" in text
        or "  " in text
        or text.startswith(" ")
        or text.endswith(" ")
        or _LIST_NUMBER.match(text)
    )


def fold(text: str) -> str:
    """The cosmetic fold of a clause: equal folds mean the same words to a reader."""
    if not _folds(text) and (text.isascii() or unicodedata.is_normalized("NFC", text)):
        return text
    if not text.isascii():
        text = _CHAR.sub(_char, text)
        if not unicodedata.is_normalized("NFC", text):
            text = unicodedata.normalize("NFC", text)
    text = _LEAD.sub("", text, count=1)
    if "\n" in text:
        text = _SETEXT.sub("", _QUOTE_MARKS.sub(" ", text))
    if text.endswith("#"):
        text = _CLOSING_HASHES.sub("", text)
    if "](" in text or "][" in text:
        text = _REF_LINK.sub(r"\1", _LINK.sub(r"\1", _IMAGE.sub(r"\1", text)))
    if "<" in text:
        text = _TAG.sub(" ", _AUTOLINK.sub(r"\1", text))
    if "&" in text:
        text = html.unescape(text)
    if "*" in text or "_" in text:
        text = _EMPHASIS.sub("", text)
    if "\\" in text:
        text = _ESCAPE.sub(r"\1", text)
    if "|" in text:
        text = _PIPES.sub(" | ", text).strip(" |")
    if "-" in text:
        text = _DASHES.sub("-", text)
    return " ".join(text.split())


def fold_title(text: str) -> str:
    """A heading's title for section paths: its fold, without a trailing colon."""
    return fold(text).rstrip(":").strip()
