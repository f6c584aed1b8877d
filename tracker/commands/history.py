"""Commands that (re)build versions without the network: import and reextract."""

from __future__ import annotations

from pathlib import Path

import click

from storage.records import Rules
from tracker.cli_support import AppContext, pass_app
from tracker.corpus import CorpusFile, import_files, parse_corpus_file
from tracker.errors import RedlineError
from tracker.monitor.reextract import reextract
from tracker.policies import check_selectors, get_policy
from tracker.terminal import one_line


@click.command(name="import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--policy", metavar="NAME", help="Policy of files without a corpus header.")
@click.option("--date", metavar="DATE", help="Capture date of files without a corpus header.")
@click.option("--url", metavar="URL", help="URL of a policy --policy creates.")
@pass_app
def import_cmd(
    app: AppContext,
    paths: tuple[Path, ...],
    policy: str | None,
    date: str | None,
    url: str | None,
) -> None:
    """Import policy texts in the corpus format as versions (byte for byte).

    The header line names the policy, date and Wayback snapshot; files without it need
    --policy and --date. Importing a file twice changes nothing.
    """
    parsed: list[CorpusFile] = []
    errors = 0
    for path in paths:
        try:
            parsed.append(parse_corpus_file(path, policy=policy, date=date, url=url))
        except RedlineError as exc:
            click.echo(f"error: {one_line(str(exc))}", err=True)
            errors += 1
    for done in import_files(app.db, parsed, clock=app.clock):
        where = f" v{done.version}" if done.version else ""
        click.echo(f"{done.path}: {done.policy}{where} ({done.outcome})")
    if errors:
        raise click.exceptions.Exit(1)


@click.command(name="reextract")
@click.argument("name")
@click.option("--select", multiple=True, metavar="CSS", help="New content selector (repeatable).")
@click.option("--remove", multiple=True, metavar="CSS", help="New selector to drop (repeatable).")
@click.option("--clear-rules", is_flag=True, help="Go back to the default extraction.")
@pass_app
def reextract_cmd(
    app: AppContext,
    name: str,
    select: tuple[str, ...],
    remove: tuple[str, ...],
    clear_rules: bool,
) -> None:
    """Rebuild NAME's versions from stored snapshots, with new rules if given.

    Nothing is fetched. Versions that exist only because extraction changed are marked
    technical and never notified.
    """
    rules: Rules | None = None
    if select or remove or clear_rules:
        check_selectors(select + remove)
        rules = Rules(select, remove)
    get_policy(app.db, name)
    result = reextract(app.db, name, clock=app.clock, rules=rules, thresholds=app.settings.quality)
    technical = f" ({result.technical} technical)" if result.technical else ""
    click.echo(f"{name}: {result.before} versions before, {result.after} after{technical}")


COMMANDS = [import_cmd, reextract_cmd]
