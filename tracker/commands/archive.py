"""`redline archive serve`: the local archive server for offline use, tests and demos."""

from __future__ import annotations

import click

from tracker.archive.faults import Fault, parse_fault
from tracker.archive.server import start_server


def _faults(ctx: click.Context, param: click.Parameter, specs: tuple[str, ...]) -> list[Fault]:
    """``--fault`` values as faults; a bad one is a usage error naming what is allowed."""
    try:
        return [parse_fault(spec) for spec in specs]
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from exc


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
@click.option(
    "--fault",
    "faults",
    multiple=True,
    metavar="KIND[*N][@ENDPOINT]",
    callback=_faults,
    help="Misbehave on the first N requests (to search or replay only, if given), "
    "in the order given: a status (429, 503…) or reset, short, hold, big, bad_rows, "
    "truncated, not_json, loop, robots. Repeatable; for trying out failures.",
)
def serve(path: str, port: int, faults: list[Fault]) -> None:
    """Serve the captures in PATH (WARC files or a folder of captures) on 127.0.0.1.

    Point a policy at it with `redline add NAME URL --archive http://127.0.0.1:PORT`.
    """
    server = start_server(path, port, faults=faults)
    total = len(server.store)
    click.echo(f"serving {total} captures from {path} at {server.base_url} (Ctrl-C stops)")
    for fault in faults:
        where = f"{fault.endpoint} " if fault.endpoint else ""
        click.echo(f"fault: {fault.label} for the next {fault.remaining} {where}requests")
    try:
        server.wait()
    except KeyboardInterrupt:
        click.echo("stopped", err=True)
    finally:
        server.stop()


COMMANDS = [archive]
