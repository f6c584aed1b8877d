"""The `redline` command line: parses input, calls library functions, prints results.

Every library error becomes one line on stderr and exit code 1; usage errors exit 2.
"""

from __future__ import annotations

import logging
import sys
from importlib.metadata import entry_points
from typing import Any

import click

from tracker import __version__
from tracker.cli_support import AppContext
from tracker.errors import RedlineError
from tracker.terminal import one_line


class RedlineGroup(click.Group):
    """A command group that turns Redline errors into one clear line and exit code 1."""

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command, reporting library errors without a traceback."""
        try:
            return super().invoke(ctx)
        except RedlineError as exc:
            click.echo(f"error: {one_line(str(exc))}", err=True)
            ctx.exit(1)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            ctx.exit(130)


@click.group(cls=RedlineGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    "db_url",
    metavar="URL",
    help="Database URL (default: REDLINE_DATABASE_URL, "
    "the config file, or a SQLite file in the user data directory).",
)
@click.option(
    "--config",
    metavar="PATH",
    help="Configuration file (default: REDLINE_CONFIG or "
    "config.toml in the user config directory).",
)
@click.option("-v", "--verbose", count=True, help="Log more (-vv for debug).")
@click.version_option(__version__, prog_name="redline")
@click.pass_context
def cli(ctx: click.Context, db_url: str | None, config: str | None, verbose: int) -> None:
    """Redline tracks how privacy policies change, from their Wayback Machine history."""
    level = (logging.WARNING, logging.INFO, logging.DEBUG)[min(verbose, 2)]
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    app = AppContext(config, db_url)
    # Tests (and embedding programs) may hand in their own clock: cli.main(obj={"clock": …}).
    if isinstance(ctx.obj, dict) and "clock" in ctx.obj:
        app.clock = ctx.obj["clock"]
    ctx.obj = app
    ctx.call_on_close(app.close)


def _register() -> None:
    from tracker.commands import archive, compare, demo, export, fetch, history, monitor, policies

    for module in (policies, fetch, history, compare, archive, monitor, demo, export):
        for command in module.COMMANDS:
            cli.add_command(command)
    # Higher layers (the TUI) add their commands through this entry-point group, so that
    # tracker never imports them.
    for entry in entry_points(group="redline.commands"):
        try:
            cli.add_command(entry.load(), entry.name)
        except ImportError as exc:  # a broken optional part must not take the CLI down
            logging.getLogger(__name__).warning("command %s unavailable: %s", entry.name, exc)


_register()


def main() -> None:
    """Console-script entry point."""
    sys.exit(cli.main(prog_name="redline", standalone_mode=True))
