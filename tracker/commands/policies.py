"""Commands that manage and read policies: add, remove, list, log, show."""

from __future__ import annotations

import sys
from typing import Any

import click

from tracker import policies as library
from tracker.cli_support import AppContext, echo_json, pass_app
from tracker.listing import capture_json, iso, policy_json, version_json
from tracker.terminal import visible


@click.command()
@click.argument("name")
@click.argument("url")
@click.option(
    "--select",
    "select",
    multiple=True,
    metavar="CSS",
    help="CSS selector of the policy's content (repeatable).",
)
@click.option(
    "--remove",
    "remove",
    multiple=True,
    metavar="CSS",
    help="CSS selector of parts to drop before extracting (repeatable).",
)
@click.option(
    "--every",
    default="1d",
    show_default=True,
    metavar="DURATION",
    help="How often the daemon checks it: 12h, 1d, 1w…",
)
@click.option("--archive", metavar="URL", help="Archive to ask instead of the configured one.")
@pass_app
def add(
    app: AppContext,
    name: str,
    url: str,
    select: tuple[str, ...],
    remove: tuple[str, ...],
    every: str,
    archive: str | None,
) -> None:
    """Track the policy at URL under the short NAME."""
    request = library.NewPolicy(name, url, select, remove, every, archive)
    policy = library.add_policy(app.db, request, app.clock)
    click.echo(f"tracking {policy.name}: {policy.url}")
    click.echo(f"next: redline backfill {policy.name}")


@click.command(name="remove")
@click.argument("name")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@pass_app
def remove_cmd(app: AppContext, name: str, yes: bool) -> None:
    """Stop tracking NAME and delete its captures and versions."""
    library.get_policy(app.db, name)
    if not yes and sys.stdin.isatty():
        click.confirm(f"delete {name} and its whole history?", abort=True)
    library.remove_policy(app.db, name)
    click.echo(f"removed {name}")


@click.command(name="list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_app
def list_cmd(app: AppContext, as_json: bool) -> None:
    """List tracked policies."""
    rows = library.policy_listing(app.db)
    archive = app.settings.archive.url
    if as_json:
        echo_json([policy_json(stats, archive) for stats in rows])
        return
    if not rows:
        click.echo("no policies yet; add one with `redline add NAME URL`")
        return
    click.echo(f"{'NAME':<20} {'VERSIONS':>8} {'CAPTURES':>8}  {'LAST CHANGE':<20}  URL")
    for stats in rows:
        last = iso(stats.last_change) or "-"
        line = f"{stats.policy.name:<20} {stats.versions:>8} {stats.captures:>8}  {last:<20}  "
        click.echo(line + visible(stats.policy.url))
        if stats.policy.last_error:
            click.echo(f"{'':<20} last error: {visible(stats.policy.last_error)}")


@click.command()
@click.argument("name")
@click.option("--all", "with_captures", is_flag=True, help="Also list every capture.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_app
def log(app: AppContext, name: str, with_captures: bool, as_json: bool) -> None:
    """Show the versions of NAME (and with --all every capture and its outcome)."""
    history = library.policy_history(app.db, name, with_captures=with_captures)
    if as_json:
        document: dict[str, Any] = {
            "policy": policy_json(history.stats, app.settings.archive.url),
            "versions": [
                version_json(v, history.summaries.get(v.number)) for v in history.versions
            ],
        }
        if history.captures is not None:
            document["captures"] = [capture_json(c) for c in history.captures]
        echo_json(document)
        return
    if not history.versions:
        click.echo(f"{name} has no versions yet; run `redline backfill {name}`")
    for v in history.versions:
        notes = [f"revert to v{v.revert_of}"] if v.revert_of else []
        notes += ["technical"] if v.technical else []
        notes += [f"stated {v.stated_date.isoformat()}"] if v.stated_date else []
        summary = history.summaries.get(v.number)
        if summary is not None:
            notes.insert(0, f"[{summary['significance']}] {visible(summary['headline'])}")
        click.echo(
            f"v{v.number:<4} {iso(v.first_seen)} → {iso(v.last_seen)}  "
            f"{v.captures:>4} captures {v.words:>6} words  {'; '.join(notes)}".rstrip()
        )
    for since, rules in history.rules:
        select = ", ".join(rules.select) or "(default extraction)"
        remove = f"; remove {', '.join(rules.remove)}" if rules.remove else ""
        click.echo(f"rules since {iso(since)}: select {visible(select)}{visible(remove)}")
    for c in history.captures or ():
        version = f"v{c.version_number}" if c.version_number else "-"
        reason = f"  {visible(c.reason)}" if c.reason else ""
        click.echo(f"{c.timestamp} {c.statuscode:>4} {c.outcome:<9} {version:<6}{reason}")


@click.command()
@click.argument("ref", metavar="NAME[@REF]")
@click.option("--json", "as_json", is_flag=True, help="Print JSON with the version's fields.")
@pass_app
def show(app: AppContext, ref: str, as_json: bool) -> None:
    """Print a version's text exactly as stored.

    REF is a version number, a date (YYYY-MM-DD), `latest` (the default) or -1 for the
    one before the latest.
    """
    policy, version, text = library.resolve_version(app.db, ref)
    if as_json:
        echo_json({"policy": policy.name, **version_json(version), "text": text})
    elif sys.stdout.isatty():
        # On a terminal, text from the web must not drive it; piped, it is exact.
        click.echo(visible(text), nl=not text.endswith("\n"))
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(text.encode("utf-8"))
        sys.stdout.buffer.flush()


COMMANDS = [add, remove_cmd, list_cmd, log, show]
