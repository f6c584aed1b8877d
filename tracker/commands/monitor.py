"""Commands of the background monitor and email: daemon, status, subscribe, unsubscribe,
subscriptions, notify."""

from __future__ import annotations

import threading
from pathlib import Path

import click

from tracker.cli_support import AppContext, echo_json, pass_app
from tracker.diff.model import CATEGORIES
from tracker.listing import iso
from tracker.monitor.daemon import configure_logging, run_daemon, stop_on_signals
from tracker.monitor.status import Status, daemon_status, status_json
from tracker.notify import subscriptions as library
from tracker.notify.outbox import Outbox
from tracker.notify.smtp import SmtpMailer, password_from_env
from tracker.terminal import visible


@click.command()
@click.option(
    "--log-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also append the log to this file.",
)
@pass_app
def daemon(app: AppContext, log_file: Path | None) -> None:
    """Check policies on their schedules and send email digests, until SIGTERM or Ctrl-C.

    Schedules are kept in the database: a restart carries on where it stopped.
    """
    verbose = click.get_current_context().find_root().params.get("verbose", 0)
    configure_logging(log_file, verbose)
    settings, db = app.settings, app.db
    password = password_from_env()  # read once; only the mailer ever holds it

    def mailer() -> SmtpMailer:
        return SmtpMailer(settings.email, password)

    stop = threading.Event()
    with stop_on_signals(stop):
        run_daemon(db, settings, app.clock, mailer, stop)


def _print_status(status: Status) -> None:
    if not status.policies:
        click.echo("no policies yet; add one with `redline add NAME URL`")
    else:
        click.echo(f"{'NAME':<20} {'NEXT CHECK':<21} {'LAST CHECKED':<21} {'VERSIONS':>8}")
    for p in status.policies:
        upcoming = iso(p.next_run) or ("-" if p.scheduled else "not scheduled")
        checked = iso(p.last_checked) or "never"
        click.echo(f"{p.name:<20} {upcoming:<21} {checked:<21} {p.versions:>8}")
        if p.last_error:
            click.echo(f"{'':<20} last error: {visible(p.last_error)}")
    for job, when in status.digests.items():
        click.echo(f"{job}: next {iso(when) or '-'}")
    if not status.digests:
        click.echo("the daemon has not run on this database yet: `redline daemon`")
    box = status.outbox
    oldest = f" (oldest queued {iso(box.oldest_pending)})" if box.oldest_pending else ""
    click.echo(f"outbox: {box.pending} pending{oldest}, {box.sent} sent, {box.failed} failed")


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_app
def status(app: AppContext, as_json: bool) -> None:
    """Show each policy's next check and last result, and the email outbox."""
    result = daemon_status(app.db)
    if as_json:
        echo_json(status_json(result))
    else:
        _print_status(result)


@click.command()
@click.argument("email")
@click.option(
    "--policy",
    "policies",
    multiple=True,
    metavar="NAME",
    help="Only this policy (repeatable; default: every policy).",
)
@click.option(
    "--min-significance",
    type=click.Choice(library.LEVELS),
    default="low",
    show_default=True,
    help="Leave out changes below this level.",
)
@click.option(
    "--category",
    "categories",
    multiple=True,
    type=click.Choice(CATEGORIES),
    metavar="CAT",
    help="Only changes in this category (repeatable; default: all).",
)
@click.option(
    "--cadence",
    type=click.Choice(library.CADENCES),
    default="daily",
    show_default=True,
    help="Mail each change at once, or in a daily/weekly digest.",
)
@pass_app
def subscribe(
    app: AppContext,
    email: str,
    policies: tuple[str, ...],
    min_significance: str,
    categories: tuple[str, ...],
    cadence: str,
) -> None:
    """Email EMAIL when tracked policies change."""
    request = library.SubscriptionRequest(email, policies, min_significance, categories, cadence)
    sub = library.subscribe(app.db, request, app.clock)
    click.echo(f"subscribed {library.describe(sub)}")


@click.command()
@click.argument("email")
@click.option(
    "--policy",
    "policies",
    multiple=True,
    metavar="NAME",
    help="Only stop mail about this policy (repeatable; default: all mail).",
)
@pass_app
def unsubscribe(app: AppContext, email: str, policies: tuple[str, ...]) -> None:
    """Stop emailing EMAIL (about every policy, or only the named ones)."""
    changed = library.unsubscribe(app.db, email, policies)
    what = f" from {', '.join(policies)}" if policies else ""
    click.echo(f"unsubscribed {email}{what} ({changed} subscriptions changed)")


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_app
def subscriptions(app: AppContext, as_json: bool) -> None:
    """List who is emailed about what."""
    subs = library.subscriptions(app.db)
    if as_json:
        echo_json([library.subscription_json(s) for s in subs])
        return
    if not subs:
        click.echo("no subscriptions; add one with `redline subscribe EMAIL`")
    for sub in subs:
        click.echo(library.describe(sub))


@click.command()
@click.option("--dry-run", is_flag=True, help="Print what would be sent; send nothing.")
@click.option(
    "--cadence",
    "cadences",
    multiple=True,
    type=click.Choice(library.CADENCES),
    help="Only digests of this cadence (repeatable; default: all of them).",
)
@pass_app
def notify(app: AppContext, dry_run: bool, cadences: tuple[str, ...]) -> None:
    """Send the pending email digests now (whatever their cadence), or show them."""
    outbox = Outbox(app.db, app.settings, app.clock)
    chosen = list(cadences or library.CADENCES)
    if dry_run:
        previews = outbox.preview(chosen).previews
        for message in previews:
            click.echo(f"To: {message['To']}\nSubject: {message['Subject']}\n")
            text = message.get_body(("plain",))
            click.echo(visible(text.get_content() if text is not None else ""))
        click.echo(f"{len(previews)} digests would be sent")
        return
    report = outbox.run(SmtpMailer(app.settings.email, password_from_env()), chosen)
    click.echo(report.line())
    if report.failed:
        raise click.exceptions.Exit(1)


COMMANDS = [daemon, status, subscribe, unsubscribe, subscriptions, notify]
