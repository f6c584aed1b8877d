"""A backfill killed with SIGKILL at 20 random points, resumed each time, ends with the
database an uninterrupted backfill makes: captures, versions, snapshots, texts,
comparisons and queued notifications, nothing lost and nothing doubled."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from reliability.crash_support import (
    KillSwitch,
    Redline,
    assert_same,
    crash_seed,
    dump,
    end_leftovers,
    fire_or_finish,
    kill_points,
    pick,
    query,
    request_positions,
)
from scenarios import URL, Planned, spine_history

from tracker.archive import ArchiveServer

KILLS = 20


@pytest.fixture(autouse=True)
def _no_leftovers(archive: ArchiveServer) -> Iterator[None]:
    """Kill any `redline` child a failing test left running (before the archive stops)."""
    yield
    end_leftovers()


def _prepare(redline: Redline, base_url: str) -> None:
    """A policy and two subscriptions, so every comparison also queues notifications."""
    redline.run("add", "acme", URL, "--archive", base_url)
    redline.run("subscribe", "all@example.org", "--cadence", "immediate")
    redline.run("subscribe", "high@example.org", "--min-significance", "high")


def _recorded(db: Path, plan: list[Planned]) -> int:
    """How many captures are stored; they must be the plan's first ones, each whole."""
    got = query(db, "SELECT timestamp, outcome, version_id IS NOT NULL FROM captures ORDER BY id")
    want = [(p.spec.timestamp, p.outcome, p.version is not None) for p in plan]
    assert got == want[: len(got)], "the stored captures are not a whole prefix of the history"
    return len(got)


def test_backfill_killed_at_20_random_points_equals_an_uninterrupted_one(
    tmp_path: Path, archive: ArchiveServer
) -> None:
    plan = spine_history()
    for planned in plan:
        archive.store.add(planned.spec)
    whole = Redline(tmp_path, tmp_path / "whole.db")
    _prepare(whole, archive.base_url)
    whole.run("backfill", "acme")
    want = dump(whole.db)
    assert len(want["changes"]) == 6 and len(want["notifications"]) == 10  # the plan's own

    rng = random.Random(crash_seed())
    events = len(request_positions(plan, 0))
    killed = Redline(tmp_path, tmp_path / "killed.db")
    _prepare(killed, archive.base_url)
    try:
        for target, phase in kill_points(rng, KILLS, events):
            # The first request of this run at or past the target: always one, at worst
            # the search every run starts with.
            at = pick(request_positions(plan, _recorded(killed.db, plan)), target)
            switch = KillSwitch(at, phase)
            archive.fault_hook = switch.archive_hook
            process = killed.start("backfill", "acme")
            assert fire_or_finish(process, switch), f"never reached {phase} {target}"
    finally:
        archive.fault_hook = None
    _recorded(killed.db, plan)
    killed.run("backfill", "acme")
    assert_same(dump(killed.db), want)
