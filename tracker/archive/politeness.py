"""Rate limits and the global pause after HTTP 429, on an injected clock.

One :class:`Politeness` is meant to be shared by every client of the same archive, so the limits
hold for the archive as a whole rather than per client or per thread.
"""

from __future__ import annotations

import math
import threading

from tracker.archive.records import Limits
from tracker.clock import Clock


def _interval(per_unit: float | None, unit_seconds: float) -> float:
    """Minimum spacing between two requests for ``per_unit`` requests per ``unit_seconds``."""
    if not per_unit or per_unit <= 0:
        return 0.0
    return unit_seconds / per_unit


class Politeness:
    """Spaces requests per endpoint and pauses every endpoint after a 429.

    Spacing requests evenly (search every 60/N s, replay every 1/N s) guarantees at most N
    requests in any window of the limit's length, which a sliding-window counter would also
    give but with bursts the archive may still frown upon.
    """

    def __init__(self, limits: Limits, clock: Clock) -> None:
        self.limits = limits
        self._clock = clock
        self._lock = threading.Lock()
        self._intervals = {
            "search": _interval(limits.search_per_minute, 60.0),
            "replay": _interval(limits.replay_per_second, 1.0),
        }
        # Earliest time the next request of each endpoint may start.
        self._next = {"search": -math.inf, "replay": -math.inf}
        self._pause_until = -math.inf

    def before_search(self) -> None:
        """Block until a CDX search may be sent."""
        self._acquire("search")

    def before_replay(self) -> None:
        """Block until a replay request may be sent."""
        self._acquire("replay")

    def paused_429(self) -> None:
        """Start (or extend) a pause of ``limits.pause_on_429`` seconds for every endpoint."""
        with self._lock:
            until = self._clock.monotonic() + self.limits.pause_on_429
            self._pause_until = max(self._pause_until, until)

    @property
    def paused_until(self) -> float:
        """Clock reading at which the current 429 pause ends (-inf when none was ever started)."""
        with self._lock:
            return self._pause_until

    def _acquire(self, endpoint: str) -> None:
        """Reserve the endpoint's next slot, sleep until it, and re-check for a new pause.

        The slot is reserved under the lock but the sleep happens outside it, so waiting
        threads do not serialize each other beyond the spacing itself. A 429 pause that starts
        while we sleep sends us round again: nobody may slip through a fresh pause.
        """
        while True:
            with self._lock:
                now = self._clock.monotonic()
                start = max(now, self._next[endpoint], self._pause_until)
                self._next[endpoint] = start + self._intervals[endpoint]
            if start > now:
                self._clock.sleep(start - now)
            with self._lock:
                # Compare with the reserved start, not the clock, so float rounding in a
                # sleep never costs a second slot.
                if self._pause_until <= start:
                    return
