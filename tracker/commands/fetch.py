"""Commands that talk to the archive: backfill and check, with progress on stderr."""

from __future__ import annotations

from types import TracebackType

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn

from storage.records import NEW, REVERT, Outcome
from tracker.checks import ArchiveClients, run_checks, select_policies
from tracker.cli_support import AppContext, pass_app
from tracker.monitor import CheckResult
from tracker.policies import parse_moment
from tracker.terminal import one_line


class BarProgress:
    """A progress bar per policy: captures processed of those found, fetches, new versions."""

    def __init__(self, enabled: bool) -> None:
        self._progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("fetched {task.fields[fetched]} · versions {task.fields[versions]}"),
            console=Console(stderr=True),
            disable=not enabled,
        )
        self._tasks: dict[str, TaskID] = {}
        self._fetched: dict[str, int] = {}
        self._versions: dict[str, int] = {}

    def __enter__(self) -> BarProgress:
        self._progress.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._progress.stop()

    def found(self, policy: str, count: int) -> None:
        """Start the policy's bar with the number of new captures found."""
        self._fetched[policy] = self._versions[policy] = 0
        self._tasks[policy] = self._progress.add_task(policy, total=count, fetched=0, versions=0)

    def processed(self, policy: str, outcome: Outcome, fetched: bool) -> None:
        """Advance the policy's bar by one capture."""
        self._fetched[policy] += fetched
        self._versions[policy] += outcome.kind in (NEW, REVERT)
        self._progress.update(
            self._tasks[policy],
            advance=1,
            fetched=self._fetched[policy],
            versions=self._versions[policy],
        )


def _summary(result: CheckResult) -> str:
    parts = [
        f"{result.found} new captures",
        f"{result.fetched} fetched",
        f"{result.new_versions} new versions",
    ]
    parts += [f"{result.reverts} reverts"] if result.reverts else []
    parts += [f"{result.rejected} rejected"] if result.rejected else []
    parts += [f"{result.failed} failed"] if result.failed else []
    text = f"{result.policy}: " + ", ".join(parts)
    if result.rebuilt:
        text += f" ({result.older} older than the stored history; versions rebuilt)"
    return text


def _run(app: AppContext, names: tuple[str, ...], since: str | None, until: str | None) -> None:
    policies = select_policies(app.db, names)
    if not policies:
        click.echo("no policies yet; add one with `redline add NAME URL`")
        return
    clients = ArchiveClients(app.settings.archive, app.clock)
    try:
        with BarProgress(enabled=True) as bar:
            results = run_checks(
                app.db,
                policies,
                clients,
                clock=app.clock,
                since=since,
                until=until,
                progress=bar,
                thresholds=app.settings.quality,
            )
    finally:
        clients.close()
    failed = [r for r in results if r.error]
    for result in results:
        click.echo(_summary(result))
    for result in failed:
        click.echo(f"error: {result.policy}: {one_line(result.error or '')}", err=True)
    if failed:
        raise click.exceptions.Exit(1)


@click.command()
@click.argument("names", nargs=-1, metavar="[NAME]...")
@click.option("--since", metavar="DATE", help="Only captures from DATE on (YYYY[-MM[-DD]]).")
@click.option("--until", metavar="DATE", help="Only captures up to DATE (YYYY[-MM[-DD]]).")
@pass_app
def backfill(app: AppContext, names: tuple[str, ...], since: str | None, until: str | None) -> None:
    """Fetch the archived history of the named policies (all when none is named).

    Runs incrementally: captures already stored are not fetched again.
    """
    _run(
        app,
        names,
        parse_moment(since) if since else None,
        parse_moment(until) if until else None,
    )


@click.command()
@click.argument("names", nargs=-1, metavar="[NAME]...")
@pass_app
def check(app: AppContext, names: tuple[str, ...]) -> None:
    """Look for captures newer than the last one seen (all policies when none is named)."""
    _run(app, names, None, None)


COMMANDS = [backfill, check]
