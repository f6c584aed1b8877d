"""Re-extraction rebuilds versions from stored snapshots only; late captures are put in order."""

from __future__ import annotations

from datetime import timedelta

import pytest

from storage.db import Database
from storage.records import Rules
from tracker.archive import ArchiveClient, ArchiveServer, CaptureSpec, Limits
from tracker.clock import ManualClock
from tracker.monitor import check_policy
from tracker.monitor.reextract import reextract
from tracker.policies import NewPolicy, add_policy, get_policy, policy_history, resolve_version

URL = "http://example.com/privacy"
POLICY = " ".join(f"We process personal data for purpose {k} and keep it safe." for k in range(12))


def _page(extra: str, policy: str = POLICY) -> bytes:
    return (
        f'<html><body><div id="policy"><h1>Privacy</h1><p>{policy}</p></div>'
        f'<div id="promo"><p>{extra}</p></div></body></html>'
    ).encode()


@pytest.fixture
def client(archive: ArchiveServer, clock: ManualClock) -> ArchiveClient:
    return ArchiveClient(archive.base_url, limits=Limits(None, None), clock=clock)


def _history(db: Database) -> list[tuple[int, bool]]:
    return [(v.number, v.technical) for v in policy_history(db, "acme").versions]


def test_new_rules_rebuild_versions_without_fetching_and_mark_technical_ones(
    db: Database, archive: ArchiveServer, client: ArchiveClient, clock: ManualClock
) -> None:
    for i, ts in enumerate(["20200101000000", "20200201000000", "20200301000000"]):
        archive.store.add(CaptureSpec(URL, ts, _page(f"Spring offer number {i}")))
    archive.store.add(
        CaptureSpec(
            URL, "20200401000000", _page("Spring offer number 2", POLICY + " We now sell it.")
        )
    )
    rules = Rules(select=("#policy",))
    policy = add_policy(
        db, NewPolicy("acme", URL, select=rules.select, archive=archive.base_url), clock
    )
    check_policy(db, client, policy, clock=clock)
    assert _history(db) == [(1, False), (2, False)]  # the promo is outside the selection
    archive.reset_counts()

    widened = reextract(db, "acme", clock=clock, rules=Rules())

    assert (archive.search_requests, archive.replay_requests) == (0, 0)
    assert (widened.before, widened.after, widened.technical) == (2, 4, 2)
    # The promo changes now make versions, but only extraction saw them: technical.
    assert _history(db) == [(1, False), (2, True), (3, True), (4, False)]
    assert get_policy(db, "acme").rules == Rules()

    narrowed = reextract(db, "acme", clock=clock, rules=rules)
    assert (narrowed.before, narrowed.after, narrowed.technical) == (4, 2, 0)
    assert "Spring offer" not in resolve_version(db, "acme@1")[2]


def test_a_rule_that_matches_nothing_rejects_with_its_reason(
    db: Database, archive: ArchiveServer, client: ArchiveClient, clock: ManualClock
) -> None:
    archive.store.add(CaptureSpec(URL, "20200101000000", _page("x")))
    policy = add_policy(db, NewPolicy("acme", URL, archive=archive.base_url), clock)
    check_policy(db, client, policy, clock=clock)

    result = reextract(db, "acme", clock=clock, rules=Rules(select=("#nowhere",)))

    assert result.after == 0
    captures = policy_history(db, "acme", with_captures=True).captures
    assert captures is not None and captures[0].outcome == "rejected"
    assert "#nowhere" in (captures[0].reason or "")


def test_backfilling_older_captures_later_gives_the_same_history_as_at_once(
    db: Database, archive: ArchiveServer, client: ArchiveClient, clock: ManualClock
) -> None:
    texts = [POLICY, POLICY + " We share data.", POLICY, POLICY + " We sell data."]
    for year, text in zip(range(2001, 2005), texts, strict=True):
        archive.store.add(CaptureSpec(URL, f"{year}0101000000", _page("", text)))
    policy = add_policy(db, NewPolicy("acme", URL, archive=archive.base_url), clock)

    recent = check_policy(db, client, policy, clock=clock, since="2003")
    assert recent.new_versions == 2
    late = check_policy(db, client, get_policy(db, "acme"), clock=clock, since="2001")

    assert (late.found, late.older, late.rebuilt) == (2, 2, True)
    versions = policy_history(db, "acme").versions
    assert [(v.first_seen.year, v.revert_of, v.technical) for v in versions] == [
        (2001, None, False),
        (2002, None, False),
        (2003, 1, False),
        (2004, None, False),
    ]


def test_rules_are_kept_with_their_dates_and_shown_in_the_log(
    db: Database, archive: ArchiveServer, client: ArchiveClient, clock: ManualClock
) -> None:
    archive.store.add(CaptureSpec(URL, "20200101000000", _page("x")))
    add_policy(db, NewPolicy("acme", URL, select=("#policy",), archive=archive.base_url), clock)
    clock.advance(86400)
    reextract(db, "acme", clock=clock, rules=Rules(remove=("#promo",)))

    history = policy_history(db, "acme", with_captures=True).rules
    assert [rules for _, rules in history] == [
        Rules(select=("#policy",)),
        Rules(remove=("#promo",)),
    ]
    assert history[1][0] - history[0][0] == timedelta(days=1)
