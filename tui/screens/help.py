"""The help screen: every key of the screen beneath it, and the app-wide ones."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static


def screen_bindings(screen: Screen) -> list[tuple[str, str, str]]:
    """(keys as shown, description, action) of a screen's own bindings, in declared order.

    A binding's tooltip, when it has one, says more than the footer's word.

    Keys bound to one action are shown together ("n / N" is two actions, "escape / q" one).
    """
    seen: dict[str, tuple[list[str], str]] = {}
    for binding in Binding.make_bindings(type(screen).BINDINGS):
        if not binding.description or binding.action.startswith("app."):
            continue  # app-wide keys are listed under "Everywhere"
        text = binding.tooltip or binding.description
        keys, _ = seen.setdefault(binding.action, ([], text))
        keys.append(screen.app.get_key_display(binding))
    return [(" / ".join(keys), text, action) for action, (keys, text) in seen.items()]


def _app_bindings(screen: Screen) -> list[tuple[str, str]]:
    rows = []
    for binding in Binding.make_bindings(type(screen.app).BINDINGS):
        rows.append((screen.app.get_key_display(binding), binding.description))
    rows.append((screen.app.get_key_display(Binding("ctrl+p", "")), "Command palette"))
    return rows


class HelpScreen(ModalScreen[None]):
    """A list of keys; any of Escape, q or ? closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "dismiss", "Close", show=False)
    ]

    def __init__(self, beneath: Screen) -> None:
        super().__init__()
        self._beneath = beneath

    def compose(self) -> ComposeResult:
        """A titled, scrollable list of keys."""
        with VerticalScroll(id="help-box") as box:
            box.border_title = "Keys"
            box.border_subtitle = "Escape closes"
            yield Static(self._keys(), id="help-keys")

    def _keys(self) -> Text:
        out = Text()
        title = getattr(self._beneath, "HELP_TITLE", "This screen")
        out.append(title + "\n", style="bold")
        for key, text, _ in screen_bindings(self._beneath):
            out.append(f"  {key:<18}", style="bold")
            out.append(text + "\n")
        out.append("\nEverywhere\n", style="bold")
        for key, text in _app_bindings(self._beneath):
            out.append(f"  {key:<18}", style="bold")
            out.append(text + "\n")
        note = getattr(self._beneath, "HELP_NOTE", "")
        if note:
            out.append("\n" + note + "\n", style="dim")
        out.rstrip()
        return out
