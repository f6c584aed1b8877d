"""`redline diff` and `redline rediff`: compare versions, recompute stored comparisons."""

from __future__ import annotations

import sys

import click
from rich.console import Console

from tracker.cli_support import AppContext, pass_app
from tracker.diff import compare
from tracker.diff.render import FORMATS, render_string, render_text
from tracker.diffing import load_side, rediff
from tracker.terminal import visible


@click.command()
@click.argument("a", metavar="A")
@click.argument("b", metavar="B")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.option(
    "--changes-only/--full",
    default=True,
    show_default=True,
    help="Only the changed clauses with context, or the whole new text marked up.",
)
@click.option(
    "--context",
    type=click.IntRange(0, 100),
    default=None,
    help="Unchanged lines shown around each change (default 1; 3 for unified).",
)
@pass_app
def diff(
    app: AppContext, a: str, b: str, fmt: str, changes_only: bool, context: int | None
) -> None:
    """Compare A with B, clause by clause.

    A and B are files (HTML and PDF are extracted first) or NAME@REF for stored versions,
    where REF is a version number, a date (YYYY-MM-DD), `latest`, or -1 for the one before
    the latest: `redline diff acme@-1 acme@latest`.
    """
    old = load_side(a, lambda: app.db)
    new = load_side(b, lambda: app.db)
    comparison = compare(old.text, new.text)
    if fmt == "text" and sys.stdout.isatty():
        lines = 1 if context is None else context
        text = render_text(comparison, changes_only=changes_only, context=lines)
        Console(highlight=False).print(text)
        return
    title = f"{old.label} → {new.label}"
    document = render_string(
        comparison, fmt, changes_only=changes_only, context=context, title=title
    )
    # Piped, every format is exact; on a terminal, policy text must not drive the terminal.
    click.echo(visible(document) if sys.stdout.isatty() else document, nl=False)


@click.command(name="rediff")
@click.argument("names", nargs=-1, metavar="[NAME]...")
@pass_app
def rediff_cmd(app: AppContext, names: tuple[str, ...]) -> None:
    """Recompute the stored comparisons (after a diff engine upgrade)."""
    for name, count in rediff(app.db, list(names), app.clock).items():
        click.echo(f"{name}: {count} comparisons recomputed")


COMMANDS = [diff, rediff_cmd]
