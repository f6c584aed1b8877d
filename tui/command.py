"""The `redline tui [NAME]` command, contributed to the CLI through an entry point."""

from __future__ import annotations

import click

from tracker.cli_support import AppContext, pass_app


@click.command(name="tui")
@click.argument("name", required=False)
@pass_app
def tui(app: AppContext, name: str | None) -> None:
    """Browse policies, their histories and redlines in a terminal UI (opens NAME if given)."""
    # Imported here so that `redline --help` does not pay for loading Textual.
    from tui.app import RedlineApp

    RedlineApp(app.db, app.settings, app.clock, open_policy=name).run()
