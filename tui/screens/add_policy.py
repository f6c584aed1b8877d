"""The add-policy form: each field is checked as the library would, errors shown under it."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from tracker.errors import ConfigError, Conflict, RedlineError
from tracker.policies import (
    MIN_INTERVAL,
    NewPolicy,
    add_policy,
    check_selectors,
    parse_duration,
    validate_name,
)
from tracker.terminal import visible
from tracker.urls import require_http_url
from tui.messages import AddRejected, PolicyAdded

if TYPE_CHECKING:
    from tui.app import RedlineApp

# (field id, label, placeholder)
FIELDS = (
    ("name", "Name", "a short slug, e.g. acme"),
    ("url", "URL", "https://example.com/privacy"),
    ("select", "Select", "CSS of the policy's content (optional)"),
    ("remove", "Remove", "CSS of parts to drop (optional)"),
    ("every", "Every", "check interval, e.g. 1d or 12h"),
    ("archive", "Archive", "archive base URL (optional; default from settings)"),
)


def _every(text: str) -> None:
    if parse_duration(text) < MIN_INTERVAL:
        raise ConfigError(f"{text!r} is too often; the shortest interval is 1h")


def _optional_url(what: str) -> Callable[[str], object]:
    return lambda text: require_http_url(text, what) if text else None


# What the library would reject, checked field by field so each error lands under its field.
CHECKS: dict[str, Callable[[str], object]] = {
    "name": validate_name,
    "url": lambda text: require_http_url(text, "policy URL"),
    "select": lambda text: check_selectors([text] if text else []),
    "remove": lambda text: check_selectors([text] if text else []),
    "every": _every,
    "archive": _optional_url("archive URL"),
}


class AddPolicyScreen(ModalScreen[str | None]):
    """A form for a new policy; dismisses with the new policy's name, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "submit", "Add"),
    ]

    def compose(self) -> ComposeResult:
        """Labelled inputs, an error line under each, and the buttons."""
        with Vertical(id="add-box", classes="dialog") as box:
            box.border_title = "Add a policy"
            for field, label, placeholder in FIELDS:
                with Horizontal(classes="field"):
                    yield Label(label, classes="field-label")
                    value = "1d" if field == "every" else ""
                    yield Input(value, placeholder=placeholder, id=field, compact=True)
                yield Static("", id=f"{field}-error", classes="field-error")
            yield Static("", id="form-error", classes="field-error")
            with Horizontal(classes="buttons"):
                yield Button("Add", id="add", variant="primary", compact=True)
                yield Button("Cancel", id="cancel", compact=True)

    def values(self) -> dict[str, str]:
        """The form's values, stripped."""
        return {field: self.query_one(f"#{field}", Input).value.strip() for field, *_ in FIELDS}

    def show_error(self, field: str, error: str) -> None:
        """Show an error under a field ("" for the form) and focus that field."""
        target = self.query_one(f"#{field or 'form'}-error", Static)
        target.update(Text(visible(error)))
        target.set_class(bool(error), "shown")
        if field and error:
            self.query_one(f"#{field}", Input).focus()

    def validate(self) -> bool:
        """Check every field, showing each error under its field; whether all are valid."""
        valid = True
        for field, value in reversed(self.values().items()):  # focus lands on the first error
            try:
                CHECKS[field](value)
                self.show_error(field, "")
            except RedlineError as exc:
                self.show_error(field, str(exc))
                valid = False
        self.show_error("", "")
        return valid

    @on(Input.Submitted)
    @on(Button.Pressed, "#add")
    def action_submit(self) -> None:
        """Validate, then add the policy (in a worker: it writes to the database)."""
        if self.validate():
            values = self.values()
            request = NewPolicy(
                name=values["name"],
                url=values["url"],
                select=(values["select"],) if values["select"] else (),
                remove=(values["remove"],) if values["remove"] else (),
                every=values["every"],
                archive=values["archive"] or None,
            )
            self.add(request)

    @work(thread=True, exclusive=True, group="add")
    def add(self, request: NewPolicy) -> None:
        """Add the policy (worker)."""
        app = cast("RedlineApp", self.app)
        try:
            add_policy(app.db, request, app.clock)
        except Conflict as exc:
            self.post_message(AddRejected("name", str(exc)))
        except RedlineError as exc:
            self.post_message(AddRejected("", str(exc)))
        else:
            self.post_message(PolicyAdded(request.name))

    def on_add_rejected(self, message: AddRejected) -> None:
        """Show why the library refused the policy."""
        self.show_error(message.field, message.error)

    def on_policy_added(self, message: PolicyAdded) -> None:
        """Close the form with the new name."""
        self.dismiss(message.name)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Close the form without adding anything."""
        self.dismiss(None)
