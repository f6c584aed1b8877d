"""Rate limits and the 429 pause, on a manual clock."""

from __future__ import annotations

import threading

import pytest

from tracker.archive import Limits, Politeness
from tracker.clock import ManualClock


def test_searches_are_spaced_to_the_per_minute_limit() -> None:
    clock = ManualClock()
    polite = Politeness(Limits(search_per_minute=24), clock)
    start = clock.monotonic()
    for _ in range(5):
        polite.before_search()
    assert clock.monotonic() - start == pytest.approx(4 * 2.5)
    assert clock.sleeps == pytest.approx([2.5] * 4)  # the first search goes at once


def test_replays_are_spaced_to_the_per_second_limit() -> None:
    clock = ManualClock()
    polite = Politeness(Limits(replay_per_second=8), clock)
    start = clock.monotonic()
    for _ in range(9):
        polite.before_replay()
    assert clock.monotonic() - start == pytest.approx(1.0)


def test_endpoints_have_separate_budgets() -> None:
    clock = ManualClock()
    polite = Politeness(Limits(), clock)
    polite.before_search()
    polite.before_replay()
    assert clock.sleeps == []


def test_no_wait_when_enough_time_has_passed() -> None:
    clock = ManualClock()
    polite = Politeness(Limits(search_per_minute=24), clock)
    polite.before_search()
    clock.advance(3.0)
    polite.before_search()
    clock.advance(1.0)
    polite.before_search()
    assert clock.sleeps == pytest.approx([1.5])


@pytest.mark.parametrize("off", [None, 0])
def test_limits_off_never_sleep(off: float | None) -> None:
    clock = ManualClock()
    polite = Politeness(Limits(search_per_minute=off, replay_per_second=off), clock)
    for _ in range(50):
        polite.before_search()
        polite.before_replay()
    assert clock.sleeps == []


def test_429_pause_blocks_every_endpoint() -> None:
    clock = ManualClock()
    polite = Politeness(Limits(search_per_minute=None, replay_per_second=None), clock)
    start = clock.monotonic()
    polite.paused_429()
    polite.before_replay()
    assert clock.monotonic() - start >= 60.0
    polite.before_search()  # the pause is over by now: no further wait
    assert clock.sleeps == pytest.approx([60.0])


def test_429_pause_length_comes_from_limits() -> None:
    clock = ManualClock()
    polite = Politeness(Limits(pause_on_429=5.0), clock)
    polite.paused_429()
    polite.before_search()
    assert clock.sleeps == pytest.approx([5.0])


class _PausingClock(ManualClock):
    """A clock during whose first sleep another worker receives a 429."""

    def __init__(self) -> None:
        super().__init__()
        self.polite: Politeness | None = None

    def sleep(self, seconds: float) -> None:
        super().sleep(seconds)
        if len(self.sleeps) == 1 and self.polite is not None:
            self.polite.paused_429()


def test_a_pause_that_starts_while_waiting_is_honoured() -> None:
    clock = _PausingClock()
    polite = Politeness(Limits(replay_per_second=8), clock)
    clock.polite = polite
    polite.before_replay()
    polite.before_replay()  # sleeps 0.125 s; a 429 arrives meanwhile
    assert clock.monotonic() >= polite.paused_until
    assert sum(clock.sleeps) >= 60.0


def test_threads_share_one_budget() -> None:
    clock = ManualClock()
    polite = Politeness(Limits(replay_per_second=8), clock)
    start = clock.monotonic()
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            for _ in range(10):
                polite.before_replay()
        except BaseException as exc:  # surfaced by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert errors == []
    assert not any(t.is_alive() for t in threads)
    # 40 replays at 8/s need at least 39 intervals, whichever thread sent which.
    assert clock.monotonic() - start >= 39 * 0.125 - 1e-9
