"""A scrolling, virtualised view of rows of text (a redline, side by side, or a full text).

Rows are wrapped to the widget's width once per width (or search); only the lines on screen
are turned into segments, so a 20,000-word policy scrolls as fast as a short one.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.events import Resize
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.widgets.rows import Row

# Reverse video marks search matches on any terminal, colour or not.
MATCH_STYLE = Style(reverse=True, bold=True)
GUTTER = " │ "


class RedlinePane(ScrollView, can_focus=True):
    """Rows of text wrapped to the width, with stops at change headers and search matches."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "scroll_up", "Up", show=False),
        Binding("down", "scroll_down", "Down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown,space", "page_down", "Page down", show=False),
        Binding("home", "scroll_home", "Top", show=False),
        Binding("end", "scroll_end", "Bottom", show=False),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._rows: list[Row] = []
        self._query = ""
        self._lines: list[Text] = []
        self._anchors: list[int] = []
        self._matches: list[int] = []
        self._wrapped_at = -1
        self._cursor: int | None = None  # the stop last jumped to
        self._strips: LRUCache[int, Strip] = LRUCache(1024)

    @property
    def anchors(self) -> list[int]:
        """Wrapped line numbers of the change headers."""
        return self._anchors

    @property
    def matches(self) -> list[int]:
        """Wrapped line numbers holding a search match."""
        return self._matches

    @property
    def query_text(self) -> str:
        """The search being highlighted ("" when none)."""
        return self._query

    @property
    def top(self) -> int:
        """The wrapped line number at the top of the view."""
        return round(self.scroll_offset.y)

    def plain_lines(self) -> list[str]:
        """The wrapped lines as plain text (what the pane shows, without styles)."""
        return [line.plain for line in self._lines]

    def show(self, rows: list[Row], *, keep_position: bool = False) -> None:
        """Replace the rows (scrolled to the top unless ``keep_position``)."""
        self._rows = rows
        self._rewrap()
        if not keep_position:
            self.scroll_to(y=0, animate=False, immediate=True)

    def search(self, query: str) -> int:
        """Highlight every match of ``query`` (case-insensitive); the number of matching lines."""
        self._query = query
        self._rewrap()
        return len(self._matches)

    def on_resize(self, event: Resize) -> None:
        """Rewrap when the width changed."""
        if self._width() != self._wrapped_at:
            self._rewrap()

    def _width(self) -> int:
        return max(self.scrollable_content_region.width, 20)

    def _rewrap(self) -> None:
        width = self._width()
        console = self.app.console
        pattern = re.compile(re.escape(self._query), re.IGNORECASE) if self._query else None
        lines: list[Text] = []
        anchors: list[int] = []
        for row in self._rows:
            if row.anchor:
                anchors.append(len(lines))
            left = _marked(row.left, pattern)
            if row.right is None:
                lines.extend(left.wrap(console, width, overflow="fold"))
            else:
                lines.extend(_columns(left, _marked(row.right, pattern), width, console))
        self._lines, self._anchors, self._wrapped_at = lines, anchors, width
        self._matches = (
            [n for n, line in enumerate(lines) if any(s.style is MATCH_STYLE for s in line.spans)]
            if pattern
            else []
        )
        self._strips.clear()
        self._cursor = None
        self.virtual_size = Size(width, len(lines))
        self.refresh()

    def render_line(self, y: int) -> Strip:
        """One line of the view: the wrapped line under it, as segments (cached)."""
        number = self.top + y
        width = self.scrollable_content_region.width
        if number >= len(self._lines):
            return Strip.blank(width, self.rich_style)
        strip = self._strips.get(number)
        if strip is None:
            strip = Strip(list(self._lines[number].render(self.app.console)))
            self._strips[number] = strip
        return strip.crop_extend(0, width, self.rich_style).apply_style(self.rich_style)

    def jump(self, line: int) -> None:
        """Scroll so that ``line`` is at the top (or as near as the end allows)."""
        self._cursor = line
        self.scroll_to(y=line, animate=False, immediate=True)

    def step(self, stops: list[int], forward: bool) -> int | None:
        """Jump to the next (or previous) stop after the last one jumped to while it is still
        on screen, else after the top line; the stop, or None when there is none."""
        top, height = self.top, self.scrollable_content_region.height
        cursor = self._cursor
        here = cursor if cursor is not None and top <= cursor < top + height else top
        if forward:
            index = bisect_right(stops, here)
            target = stops[index] if index < len(stops) else None
        else:
            index = bisect_left(stops, here) - 1
            target = stops[index] if index >= 0 else None
        if target is not None:
            self.jump(target)
        return target


def _marked(text: Text, pattern: re.Pattern[str] | None) -> Text:
    """A copy of ``text`` with matches styled (the text itself when there is no search)."""
    if pattern is None:
        return text
    copy = text.copy()
    for match in pattern.finditer(copy.plain):
        copy.stylize(MATCH_STYLE, match.start(), match.end())
    return copy


def _columns(left: Text, right: Text, width: int, console: object) -> list[Text]:
    """Two texts wrapped into half-width columns and joined line by line."""
    half = max((width - len(GUTTER)) // 2, 8)
    olds = left.wrap(console, half, overflow="fold")  # type: ignore[arg-type]
    news = right.wrap(console, half, overflow="fold")  # type: ignore[arg-type]
    out = []
    for number in range(max(len(olds), len(news), 1)):
        old = olds[number].copy() if number < len(olds) else Text()
        new = news[number] if number < len(news) else Text()
        old.set_length(half)
        out.append(Text.assemble(old, (GUTTER, "dim"), new))
    return out
