"""`redline export`: a policy's whole history as a report, JSON or an Atom feed."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from tracker.cli_support import AppContext, pass_app
from tracker.errors import ConfigError
from tracker.export import FORMATS, export
from tracker.terminal import visible


@click.command(name="export")
@click.argument("name")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="markdown",
    show_default=True,
    help="markdown or html: a report of every version and redline; json: the log --json "
    "document with each comparison; atom: a feed with one entry per change.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="PATH",
    help="Write to PATH instead of standard output.",
)
@pass_app
def export_cmd(app: AppContext, name: str, fmt: str, output: Path | None) -> None:
    """Export the whole history of NAME: every version, its dates and each comparison."""
    document = export(app.db, name, fmt, app.settings.archive.url)
    if output is None:
        # Piped, the document is exact; on a terminal, policy text must not drive the terminal.
        click.echo(visible(document) if sys.stdout.isatty() else document, nl=False)
        return
    try:
        # newline="" keeps the document's line breaks as written on every platform.
        with output.open("w", encoding="utf-8", newline="") as stream:
            stream.write(document)
    except OSError as exc:
        raise ConfigError(f"cannot write {output}: {exc.strerror or exc}") from exc
    click.echo(f"wrote {output} ({fmt})", err=True)


COMMANDS = [export_cmd]
