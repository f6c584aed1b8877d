"""HTML tables: telling data from layout, and writing data tables as Markdown pipe tables.

Until CSS took over (about 2005), whole pages were laid out in tables: navigation in one cell,
the policy in another, paragraphs split by ``<br><br>``. Those must read as paragraphs. Real
data tables (retention periods, cookie lists) should stay tables. The rules below decide from
the markup alone, so the same table is always written the same way.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from lxml import etree

# Block content a data cell never holds; a cell with any of these is part of a page layout.
_STRUCTURE = (
    "table", "ul", "ol", "dl", "menu", "dir", "blockquote", "pre", "form", "hr", "center",
    "address", "fieldset", "iframe", "h1", "h2", "h3", "h4", "h5", "h6",
)  # fmt: skip
_PARAGRAPHS = ("p", "div")
_GRID = ("table", "thead", "tbody", "tfoot", "tr", "colgroup")
_CELLS_AND_GRID = frozenset({*_GRID, "td", "th", "caption"})
_DIGITS = re.compile(r"[0-9]{1,5}")  # not str.isdigit(): it accepts "²"
_MAX_COLSPAN = 50  # tag soup has colspan=1000; a table that wide is not one to draw
_MAX_ROWSPAN = 1000

Element = etree._Element
CellText = Callable[[Element], str]


def data_table(table: Element, cell_text: CellText) -> list[str] | None:
    """A data table as blocks (its caption, then the pipe table), or None for a layout table."""
    role = (table.get("role") or "").strip().lower()
    if role in ("presentation", "none"):
        return None
    if _has(table, "table"):
        return None  # tables in tables were always layout
    if _stray_content(table):
        return None  # browsers show it outside the grid; a layout keeps it in reading order
    rows = [[c for c in tr if c.tag in ("td", "th")] for tr in table.iter("tr")]
    cells = [cell for row in rows for cell in row]
    if any(_complex(cell) for cell in cells):
        return None
    grid = [row for row in _grid(rows, cell_text) if any(row)]
    width = max((len(row) for row in grid), default=0)
    if width < 2 or len(grid) < 2:
        return None  # one column or one row: a box around content, not data
    has_header = _has(table, "th", "thead", "caption")
    if not (has_header or table.get("summary")) and any(_has(c, "br") for c in cells):
        return None  # lines broken by hand, with nothing saying "data": a layout cell
    captions = [cell_text(c) for c in table.iter("caption")]
    return [c for c in captions if c] + [_pipe_table(grid, width)]


def _has(el: Element, *tags: str) -> bool:
    """Whether an element holds any of these tags."""
    return next(el.iterdescendants(*tags), None) is not None


def _stray_content(table: Element) -> bool:
    """Whether text sits in the table outside its cells (tag soup such as ``<tr>x<td>``)."""
    for el in table.iter(*_GRID):
        if (el.text or "").strip():
            return True
        for child in el:
            loose = isinstance(child.tag, str) and child.tag not in _CELLS_AND_GRID
            if loose and "".join(child.itertext()).strip():
                return True
            if (child.tail or "").strip():
                return True
    return False


def _complex(cell: Element) -> bool:
    """Whether a cell holds more than one paragraph of content."""
    if _has(cell, *_STRUCTURE):
        return True
    paragraphs = 0
    for el in cell.iterdescendants(*_PARAGRAPHS):
        # Wrappers (<div><p>…</p></div>) do not count; elements with text of their own do.
        own = (el.text or "").strip() or any((c.tail or "").strip() for c in el)
        paragraphs += bool(own)
    if paragraphs > 1:
        return True
    return any(_double_break(br) for br in cell.iter("br"))


def _double_break(br: Element) -> bool:
    """``<br><br>`` with nothing but spaces between: a paragraph break."""
    nxt = br.getnext()
    return nxt is not None and nxt.tag == "br" and not (br.tail or "").strip()


def _span(cell: Element, name: str, limit: int) -> int:
    """A cell's colspan or rowspan, within sane bounds."""
    value = (cell.get(name) or "").strip()
    return min(max(int(value), 1), limit) if _DIGITS.fullmatch(value) else 1


def _grid(rows: list[list[Element]], cell_text: CellText) -> list[list[str]]:
    """Cell texts laid out on a grid: spanned slots are empty, so columns stay aligned."""
    grid: list[list[str]] = []
    below: dict[int, int] = {}  # column → rows still covered by a rowspan from above
    for cells in rows:
        row: list[str] = []
        for cell in cells:
            _skip_covered(row, below)
            text = cell_text(cell).replace("|", "\\|")
            down = _span(cell, "rowspan", _MAX_ROWSPAN)
            for k in range(_span(cell, "colspan", _MAX_COLSPAN)):
                if down > 1:
                    below[len(row)] = down - 1
                row.append("" if k else text)
        _skip_covered(row, below)
        grid.append(row)
    return grid


def _skip_covered(row: list[str], below: dict[int, int]) -> None:
    """Leave empty the slots a cell from a row above spans into."""
    while below.get(len(row), 0) > 0:
        below[len(row)] -= 1
        row.append("")


def _pipe_table(grid: list[list[str]], width: int) -> str:
    """GFM pipe table: the first row is the header, as GFM requires one."""
    lines = []
    for n, row in enumerate(grid):
        padded = row + [""] * (width - len(row))
        lines.append("".join(f"| {cell} " if cell else "| " for cell in padded) + "|")
        if n == 0:
            lines.append("|" + " --- |" * width)
    return "\n".join(lines)
