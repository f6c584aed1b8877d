"""`redline demo`: two invented policy histories, backfilled from a local archive, then shown."""

from __future__ import annotations

import sys
from contextlib import ExitStack
from tempfile import TemporaryDirectory

import click

from tracker.cli_support import AppContext
from tracker.commands.fetch import BarProgress
from tracker.demo.captures import MAIN, POLICIES
from tracker.demo.report import change_list, latest_redline, policy_report
from tracker.demo.run import demo_archive, load_demo
from tracker.monitor import CheckResult


def _result_line(result: CheckResult) -> str:
    return (
        f"{result.policy}: {result.found} captures found, {result.fetched} fetched, "
        f"{result.new_versions} versions, {result.rejected} rejected"
    )


def _database(stack: ExitStack, app: AppContext) -> tuple[str, bool]:
    """The demo's database URL and whether it is temporary (only an explicit --db is kept).

    REDLINE_DATABASE_URL and the config file's database are ignored on purpose: the demo
    must never write into the database a user tracks real policies in by default.
    """
    if app.db_url:
        return app.db_url, False
    folder = stack.enter_context(TemporaryDirectory(prefix="redline-demo-"))
    return f"sqlite:///{folder}/demo.db", True


def _print_text(demo_app: AppContext) -> None:
    """The --no-tui output: the latest redline and every stored change of the main policy."""
    title, redline = latest_redline(demo_app.db, MAIN.name)
    click.echo(f"\n{title}\n")
    click.echo(redline.rstrip("\n"))
    click.echo(f"\nEvery stored change of {MAIN.name}, by version (kind ×count significance):")
    for line in change_list(demo_app.db, MAIN.name):
        click.echo(line)


def _open_tui(ctx: click.Context, demo_app: AppContext) -> bool:
    """Open the TUI on the main policy; False when no TUI is installed."""
    # tracker never imports tui: the TUI contributes its command to the group, so ask it.
    root = ctx.find_root().command
    command = root.get_command(ctx, "tui") if isinstance(root, click.Group) else None
    if command is None:
        return False
    ctx.obj = demo_app  # the tui command finds its AppContext here: the demo database
    ctx.invoke(command, name=MAIN.name)
    return True


@click.command()
@click.option("--no-tui", is_flag=True, help="Print the latest redline and a list of changes.")
@click.pass_context
def demo(ctx: click.Context, no_tui: bool) -> None:
    """Try Redline on two invented policy histories (2001-2025), offline, in seconds.

    Serves the demo archive on 127.0.0.1, backfills both policies into a temporary database
    (deleted at the end; give the global --db to keep it), prints what changed, and opens
    the terminal UI. Without a terminal, or with --no-tui, prints the latest redline and
    every stored change instead.
    """
    app = ctx.find_object(AppContext)
    assert app is not None  # the redline group always sets one
    with ExitStack() as stack:
        url, temporary = _database(stack, app)
        demo_app = AppContext(app.config, url, clock=app.clock)
        stack.callback(demo_app.close)  # runs before the temporary folder is removed
        server = stack.enter_context(demo_archive())
        where = "a temporary database" if temporary else url
        click.echo(f"Redline demo: archive at {server.base_url}, loading into {where}")
        with BarProgress(enabled=True) as bar:
            results = load_demo(demo_app.db, server, app.clock, bar)
        for result in results:
            click.echo(_result_line(result))
        for policy in POLICIES:
            click.echo()
            for line in policy_report(demo_app.db, policy.name):
                click.echo(line)
        interactive = sys.stdin.isatty() and sys.stdout.isatty()
        if no_tui or not interactive or not _open_tui(ctx, demo_app):
            _print_text(demo_app)
    click.echo()
    if temporary:
        click.echo(
            "The demo database was temporary and is deleted. To keep one: "
            "redline --db sqlite:///redline-demo.db demo"
        )
    else:
        click.echo(f"Browse it again: redline --db {url} tui {MAIN.name}")


COMMANDS = [demo]
