"""Small labels shared by the tables: significance badges and short category names.

Each badge reads without colour too: the dots count the level and the word names it.
"""

from __future__ import annotations

from rich.text import Text

from tui.widgets.rows import Palette

CATEGORY_NAMES = {
    "first_party_collection": "collection",
    "third_party_sharing": "sharing",
    "cookies_tracking": "cookies",
    "user_choice": "choice",
    "user_rights": "rights",
    "data_retention": "retention",
    "data_security": "security",
    "policy_change": "policy change",
    "do_not_track": "do not track",
    "specific_audiences": "audiences",
    "contact": "contact",
    "other": "other",
}
_DOTS = {"high": "●●●", "medium": "●● ", "low": "●  ", "none": "·  "}


def significance_badge(level: str | None, palette: Palette | None = None) -> Text:
    """``●●● high`` … ``·   none``, coloured by the theme; ``—`` when there is no comparison."""
    if level is None:
        return Text("—", style="dim")
    palette = palette or Palette()
    style = {"high": f"bold {palette.error}", "medium": f"bold {palette.warning}"}.get(
        level, "dim" if level == "none" else ""
    )
    return Text(f"{_DOTS.get(level, '?  ')} {level}", style=style)


def category_label(categories: list[str], limit: int = 2) -> str:
    """The first ``limit`` categories by short name, and how many more there are."""
    names = [CATEGORY_NAMES.get(c, c) for c in categories]
    extra = f" +{len(names) - limit}" if len(names) > limit else ""
    return ", ".join(names[:limit]) + extra
