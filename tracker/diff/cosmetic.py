"""Cosmetic folding: the words a reader reads, without the way they are typeset.

``fold(text)`` keeps the case and the words of a clause and drops what DESIGN.md calls cosmetic:
whitespace, Markdown markup (emphasis, heading marks, bullet characters, list numbering style,
blockquote marks, table pipes, backslash escapes), quote/dash/ellipsis styles and link targets.
Two clauses are cosmetically equal when their folds are equal. Every step is a single regular
expression pass or plain string replacements, so folding is linear in the clause's length; a
step only runs when the characters it acts on are present.
"""

from __future__ import annotations

import html
import re
import unicodedata
from operator import itemgetter

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
# One regular expression pass finds them (str.translate would look every character up).
_CHAR = re.compile("[" + "".join(_CHARS) + "]")


# A match's group 1, as the replacement of a pass that keeps it: the regex engine calls it in C,
# where a template ("\\1") costs a Python call per match.
_INNER = itemgetter(1)

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
_DASH_RUN = re.compile(r"--+")  # "a—b", "a – b" and "a -- b" differ only in style


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
        # Each kind of typographic character present, replaced in C: no Python call per match.
        for char in set(_CHAR.findall(text)):
            text = text.replace(char, _CHARS[char])
        if not unicodedata.is_normalized("NFC", text):
            text = unicodedata.normalize("NFC", text)
    lead = _LEAD.match(text).end()  # it always matches at 0, if only the empty string
    if lead:
        text = text[lead:]
    if "\n" in text:
        text = _SETEXT.sub("", _QUOTE_MARKS.sub(" ", text))
    if text.endswith("#"):
        text = _CLOSING_HASHES.sub("", text)
    if "](" in text or "][" in text:
        # Each pass only where its literal is still present: it cannot match otherwise.
        if "![" in text:
            text = _IMAGE.sub(_INNER, text)
        if "](" in text:
            text = _LINK.sub(_INNER, text)
        if "][" in text:
            text = _REF_LINK.sub(_INNER, text)
    if "<" in text:
        text = _TAG.sub(" ", _AUTOLINK.sub(_INNER, text))
    if "&" in text:
        text = html.unescape(text)
    if "*" in text or "_" in text:
        text = _EMPHASIS.sub("", text)
    if "\\" in text:
        text = _ESCAPE.sub(_INNER, text)
    if "|" in text:
        text = _PIPES.sub(" | ", text).strip(" |")
    text = " ".join(text.split())
    if "-" in text:
        # Dashes once whitespace is single spaces: each run of them one "-", without the
        # spaces around it ("a - b", "a — b", "a -- b" are "a-b"), by plain replacements.
        if "--" in text:
            text = _DASH_RUN.sub("-", text)
        text = text.replace(" -", "-").replace("- ", "-")
    return text


def fold_title(text: str) -> str:
    """A heading's title for section paths: its fold, without a trailing colon."""
    return fold(text).rstrip(":").strip()
