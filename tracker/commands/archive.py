"""`redline archive serve`: the local archive server for offline use, tests and demos."""

from __future__ import annotations

import click

from tracker.archive.server import start_server


@click.group()
def archive() -> None:
    """Work with a local archive that speaks the Wayback Machine's API."""


@archive.command()
@click.argument("path", type=click.Path(exists=True))
@click.option(
    "--port",
    default=8123,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port on 127.0.0.1 (0 picks a free one).",
)
def serve(path: str, port: int) -> None:
    """Serve the captures in PATH (WARC files or a folder of captures) on 127.0.0.1.

    Point a policy at it with `redline add NAME URL --archive http://127.0.0.1:PORT`.
    """
    server = start_server(path, port)
    total = len(server.store)
    click.echo(f"serving {total} captures from {path} at {server.base_url} (Ctrl-C stops)")
    try:
        server.wait()
    except KeyboardInterrupt:
        click.echo("stopped", err=True)
    finally:
        server.stop()


COMMANDS = [archive]
