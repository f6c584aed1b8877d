"""PDF policies → paragraphs, with pypdf (pure Python, maintained, no system libraries).

A PDF has no paragraphs, only positioned runs of text. pypdf gives the runs and where they sit;
lines are grouped into paragraphs where the vertical gap is clearly wider than the usual line
spacing or where a line starts indented, and each paragraph's lines are joined with spaces so
that re-wrapping a paragraph is not a change. Lone page numbers are dropped.
"""

from __future__ import annotations

import io
import itertools
import re
import statistics
from dataclasses import dataclass

import pypdf

from tracker.errors import ExtractError

_PAGE_NUMBER = re.compile(r"^(?:page\s+)?\d+(?:\s*(?:of|/)\s*\d+)?$", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.:;!?)\"”]$")
_SPACES = re.compile(r"\s+")
_WORD_HYPHEN = re.compile(r"\w-$")
_WIDE_GAP = 1.5  # × the usual line spacing: a blank line between paragraphs
_INDENT = 8.0  # points further right than the page's usual left edge: a first-line indent
_SAME_LINE = 1.0  # points: closer than this vertically is the same line


@dataclass
class _Line:
    text: str
    x: float
    y: float


def pdf_text(body: bytes) -> tuple[str, str | None]:
    """A PDF's text as paragraphs separated by blank lines, and its metadata title.

    Raises ExtractError when pypdf cannot read the file.
    """
    try:
        reader = pypdf.PdfReader(io.BytesIO(body))
        if reader.is_encrypted:  # most "encrypted" policies only restrict printing or copying
            reader.decrypt("")
        title = reader.metadata.title if reader.metadata else None
        pages = [_page_lines(page) for page in reader.pages]
    except Exception as exc:  # pypdf raises many kinds of error on damaged files
        raise ExtractError(f"unreadable PDF: {exc or type(exc).__name__}") from exc
    # The usual line spacing of the whole document: a short page has too few lines to tell.
    gaps = [a.y - b.y for lines in pages for a, b in itertools.pairwise(lines) if a.y - b.y > 0]
    usual = statistics.median_low(gaps) if gaps else 0.0
    paragraphs: list[list[str]] = []
    for lines in pages:
        _add_page(paragraphs, lines, usual)
    text = "\n\n".join(_join(p) for p in paragraphs if p)
    return (text + "\n" if text else ""), (
        _SPACES.sub(" ", title).strip() or None if title else None
    )


def _page_lines(page: pypdf.PageObject) -> list[_Line]:
    """The text lines of a page, each with the position where it starts."""
    lines: list[_Line] = []
    current: list[str] = []
    start: tuple[float, float] | None = None

    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        nonlocal start
        for n, part in enumerate(text.split("\n")):
            if n:  # a newline inside the run ends the line
                lines.append(_Line("".join(current), *(start or (0.0, 0.0))))
                current.clear()
                start = None
            if part.strip() and start is None:
                # The run's origin in page space: the text matrix, then the graphics matrix.
                start = (
                    tm[4] * cm[0] + tm[5] * cm[2] + cm[4],
                    tm[4] * cm[1] + tm[5] * cm[3] + cm[5],
                )
            current.append(part)

    page.extract_text(visitor_text=visit)
    lines.append(_Line("".join(current), *(start or (0.0, 0.0))))
    return [
        line for line in lines if line.text.strip() and not _PAGE_NUMBER.match(line.text.strip())
    ]


def _add_page(paragraphs: list[list[str]], lines: list[_Line], usual: float) -> None:
    """Group a page's lines into paragraphs, continuing the last one if it ran over the page."""
    left = min((line.x for line in lines), default=0.0)
    for n, line in enumerate(lines):
        if n == 0:
            last = paragraphs[-1][-1].rstrip() if paragraphs and paragraphs[-1] else "."
            new = _SENTENCE_END.search(last) is not None  # else it ran over the page
        else:
            gap = lines[n - 1].y - line.y
            if abs(gap) < _SAME_LINE:
                new = False  # one line written in several pieces
            else:  # a move up is a new column; a wide gap or an indent a new paragraph
                new = gap < 0 or gap > usual * _WIDE_GAP or line.x > left + _INDENT
        if new or not paragraphs:
            paragraphs.append([])
        paragraphs[-1].append(line.text)


def _join(lines: list[str]) -> str:
    """One paragraph: lines joined by spaces, a line-end hyphen joined without one."""
    out = ""
    for raw in lines:
        line = _SPACES.sub(" ", raw.replace("\ufeff", "")).strip()
        if out and not _WORD_HYPHEN.search(out):  # "infor-" + "mation": no space
            out += " "
        out += line
    return out
