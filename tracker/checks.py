"""Running checks over several policies with one polite client per archive."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from storage import policies as policy_store
from storage.db import Database
from storage.records import PolicyRecord
from tracker.archive import ArchiveClient, Limits
from tracker.archive.transport import MB
from tracker.clock import Clock
from tracker.config import ArchiveSettings
from tracker.errors import ArchiveError
from tracker.extract import QualityThresholds
from tracker.monitor import CheckProgress, CheckResult, check_policy


def limits_of(settings: ArchiveSettings) -> Limits:
    """The archive client's limits from the settings (0 turns a limit off)."""
    return Limits(
        search_per_minute=settings.search_per_minute or None,
        replay_per_second=settings.replay_per_second or None,
    )


class ArchiveClients:
    """One client per archive base URL, so rate limits hold across all policies using it.

    ``timeout`` and ``max_body`` are passed to every client (see :class:`ArchiveClient`);
    ``max_body`` defaults to the settings' ``max_page_mb``.
    """

    def __init__(
        self,
        settings: ArchiveSettings,
        clock: Clock,
        *,
        timeout: float = 30.0,
        max_body: int | None = None,
    ) -> None:
        self._settings = settings
        self._clock = clock
        self._timeout = timeout
        self._max_body = int(settings.max_page_mb * MB) if max_body is None else max_body
        self._clients: dict[str, ArchiveClient] = {}

    def for_policy(self, policy: PolicyRecord) -> ArchiveClient:
        """The client for the policy's archive (its own, or the configured default)."""
        base = (policy.archive_url or self._settings.url).rstrip("/")
        if base not in self._clients:
            limits = limits_of(self._settings)
            self._clients[base] = ArchiveClient(
                base,
                limits=limits,
                clock=self._clock,
                timeout=self._timeout,
                max_body=self._max_body,
            )
        return self._clients[base]

    def close(self) -> None:
        """Close every client."""
        for client in self._clients.values():
            client.close()
        self._clients.clear()


def select_policies(db: Database, names: Iterable[str]) -> list[PolicyRecord]:
    """The named policies (every one when no name is given); an unknown name is NotFound."""
    names = list(names)
    with db.session() as session:
        if not names:
            return policy_store.all_policies(session)
        return [policy_store.get_policy(session, name) for name in names]


def run_checks(
    db: Database,
    policies: list[PolicyRecord],
    clients: ArchiveClients,
    *,
    clock: Clock,
    since: str | None = None,
    until: str | None = None,
    progress: CheckProgress | None = None,
    should_stop: Callable[[], bool] | None = None,
    thresholds: QualityThresholds | None = None,
) -> list[CheckResult]:
    """Check each policy in turn; a failing policy does not stop the others."""
    results = []
    for policy in policies:
        if should_stop and should_stop():
            break
        try:
            client = clients.for_policy(policy)
        except ArchiveError as exc:
            # A bad stored archive URL spoils only its own policy, like any archive failure.
            results.append(_unreachable(db, policy, clock, str(exc)))
            continue
        results.append(
            check_policy(
                db,
                client,
                policy,
                clock=clock,
                since=since,
                until=until,
                progress=progress,
                should_stop=should_stop,
                thresholds=thresholds,
            )
        )
    return results


def _unreachable(db: Database, policy: PolicyRecord, clock: Clock, error: str) -> CheckResult:
    """The result of a policy whose archive cannot even be asked, recorded as its last error."""
    with db.session() as session:
        policy_store.mark_checked(session, policy.id, now=clock.now(), error=error)
    return CheckResult(policy.name, error=error)
