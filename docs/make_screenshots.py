"""Regenerate the README's screenshots of the terminal UI: ``python docs/make_screenshots.py``.

Loads the demo policies (``redline demo``'s data) into a temporary database with a fixed
clock, drives the TUI headless with Textual's pilot, and saves each screen as an SVG in
``docs/img``. Run it after a change to the TUI or the demo data, and look at the SVGs
before committing them.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from tempfile import TemporaryDirectory

from textual.pilot import Pilot

from storage.db import Database, open_database
from tracker.clock import ManualClock
from tracker.config import Settings
from tracker.demo.run import demo_archive, load_demo
from tui.app import RedlineApp

IMAGES = Path(__file__).resolve().parent / "img"
SIZE = (110, 34)
# A fixed "now": the policies screen shows when each policy was last checked.
NOW = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Shot:
    """One screenshot: the file name, what it shows, and the keys that lead there."""

    name: str
    title: str
    keys: tuple[str, ...]


# Northwind is the second policy by name. From its latest version (v12), four up is v8:
# "we do not sell" became "we may sell" and sharing widened to advertisers.
_OPEN = ("down", "enter")
_TO_V8 = (*_OPEN, "up", "up", "up", "up", "enter")
SHOTS = (
    Shot("policies", "Policies", ("down",)),
    Shot("history", "A policy's history", _OPEN),
    Shot("redline", "A redline", _TO_V8),
    Shot("side-by-side", "Side by side", (*_TO_V8, "s")),
)


async def _settle(pilot: Pilot[None]) -> None:
    """Let every worker finish (a finished comparison may start a prefetch) and repaint."""
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
    # Tables size their columns after their rows arrive: give that layout pass time to land.
    await pilot.pause(0.2)


async def _shoot(db: Database, clock: ManualClock, shot: Shot) -> Path:
    """Drive a fresh app through the shot's keys and save what the terminal shows."""
    app = RedlineApp(db, Settings(), clock)
    async with app.run_test(size=SIZE) as pilot:
        await _settle(pilot)
        for key in shot.keys:
            await pilot.press(key)
            await _settle(pilot)
        app.title = f"Redline — {shot.title}"
        return Path(app.save_screenshot(f"{shot.name}.svg", str(IMAGES)))


def main() -> None:
    """Build the demo database and write every screenshot."""
    IMAGES.mkdir(parents=True, exist_ok=True)
    clock = ManualClock(NOW)
    with TemporaryDirectory(prefix="redline-shots-") as folder, demo_archive() as server:
        db = open_database(f"sqlite:///{folder}/demo.db")
        try:
            load_demo(db, server, clock)
            for shot in SHOTS:
                path = asyncio.run(_shoot(db, clock, shot))
                print(f"wrote {path}")
        finally:
            db.close()


if __name__ == "__main__":
    main()
