"""TUI benchmark: 1,000 policies × 50 versions (a few of 20,000 words), driven headless.

Builds the database in a temporary directory straight through the storage models (bulk
inserts, one transaction per policy; texts and comparison documents are shared between
policies, as identical texts are in real databases), then measures with ``App.run_test``:

- first paint of the policies screen: from creating the app to the table drawn with every
  policy (target ≤ 1 s);
- one ``]`` step to the next revision with its comparison drawn, on a 20,000-word policy:
  from the key event to the new redline rendered on screen (target ≤ 100 ms median). Both
  as used (neighbours prefetched while the user reads) and cold (caches emptied first).

    python bench/tui.py [--policies 1000] [--versions 50] [--big 3] [--steps 20]
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import itertools
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert  # noqa: E402
from textual import events  # noqa: E402
from textual.widgets import DataTable  # noqa: E402

from storage.db import Database, open_database  # noqa: E402
from storage.models import Capture, Change, Policy, TextBlob, Version  # noqa: E402
from storage.types import compress  # noqa: E402
from tracker.clock import ManualClock  # noqa: E402
from tracker.config import Settings  # noqa: E402
from tracker.diff import ENGINE_VERSION, compare  # noqa: E402
from tracker.monitor.judge import policy_text  # noqa: E402
from tui.app import RedlineApp  # noqa: E402
from tui.screens.diff import DiffScreen  # noqa: E402

START = datetime(2005, 1, 1, tzinfo=UTC)
WORDS = [
    "we",
    "collect",
    "share",
    "personal",
    "data",
    "information",
    "partners",
    "advertisers",
    "cookies",
    "retain",
    "security",
    "rights",
    "delete",
    "access",
    "choose",
    "children",
    "contact",
    "update",
    "service",
    "account",
    "email",
    "address",
    "location",
    "device",
    "analytics",
    "providers",
    "consent",
    "law",
    "request",
]


def history(seed: int, sections: int, paragraphs: int, versions: int) -> list[str]:
    """``versions`` texts of a generated policy, each a few edits away from the one before."""
    rng = random.Random(seed)

    def sentence() -> str:
        return " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 20))).capitalize() + "."

    blocks = []
    for s in range(sections):
        blocks.append(f"## Section {s}")
        blocks += [f"{sentence()} {sentence()}" for _ in range(paragraphs)]
    texts = ["\n\n".join(blocks)]
    for _ in range(versions - 1):
        for _ in range(3):  # reword a clause, add one, drop one
            k = rng.randrange(len(blocks))
            if not blocks[k].startswith("#"):
                blocks[k] = blocks[k].replace(" ", f" {rng.choice(WORDS)} ", 1)
        blocks.insert(rng.randrange(1, len(blocks)), sentence())
        del blocks[rng.randrange(1, len(blocks))]
        texts.append("\n\n".join(blocks))
    return texts


def documents(texts: list[str]) -> list[dict[str, Any] | None]:
    """Each version's comparison document with the version before (None for the first)."""
    return [None] + [compare(a, b).to_dict() for a, b in itertools.pairwise(texts)]


def store_texts(db: Database, texts: list[str], first_id: int) -> list[int]:
    """Insert texts once; their ids."""
    rows = [
        {"id": first_id + i, "sha256": hashlib.sha256(t.encode()).hexdigest(), "chars": len(t)}
        | {"data": compress(t.encode())}
        for i, t in enumerate(texts)
    ]
    with db.engine.begin() as connection:
        connection.execute(insert(TextBlob), rows)
    return [row["id"] for row in rows]


def store_policy(db: Database, number: int, template: dict[str, Any], now: datetime) -> None:
    """One policy with its versions, one capture each, and stored comparisons (one commit)."""
    name, base = f"policy-{number:04d}", number * 1000
    url = f"https://www.site{number}.example/privacy"
    versions, captures, changes = [], [], []
    for k, (text_id, info, doc) in enumerate(
        zip(template["ids"], template["infos"], template["docs"], strict=True)
    ):
        seen = START + timedelta(days=40 * k + number % 30)
        versions.append(
            {"id": base + k, "policy_id": number, "number": k + 1, "text_id": text_id}
            | {"identity": info.identity, "first_seen": seen, "last_seen": seen}
            | {"words": info.words, "stated_date": info.stated_date, "technical": False}
        )
        captures.append(
            {"policy_id": number, "timestamp": seen.strftime("%Y%m%d%H%M%S"), "original": url}
            | {"mimetype": "text/html", "statuscode": "200", "digest": f"D{base + k}"}
            | {"outcome": "new", "version_id": base + k, "processed_at": now}
        )
        if doc is not None:
            changes.append(
                {"policy_id": number, "old_version_id": base + k - 1, "new_version_id": base + k}
                | {"engine": ENGINE_VERSION, "significance": doc["summary"]["significance"]}
                | {"headline": doc["summary"]["headline"], "document": doc, "created_at": now}
            )
    with db.engine.begin() as connection:
        connection.execute(
            insert(Policy),
            [{"id": number, "name": name, "url": url, "rules": {}, "created_at": now}],
        )
        connection.execute(insert(Version), versions)
        connection.execute(insert(Capture), captures)
        connection.execute(insert(Change), changes)


def build(db: Database, policies: int, versions: int, big: int) -> tuple[float, int]:
    """Fill the database; seconds taken and the words of the big policies' last version."""
    started = time.perf_counter()
    now = datetime(2026, 1, 1, tzinfo=UTC)
    templates = []
    for seed, (sections, paragraphs) in enumerate(((8, 4), (70, 10))):  # ~600 and ~20,000 words
        texts = history(seed, sections, paragraphs, versions)
        templates.append(
            {
                "ids": store_texts(db, texts, 1 + seed * versions),
                "infos": [policy_text(t) for t in texts],
                "docs": documents(texts),
            }
        )
    for number in range(1, policies + 1):
        store_policy(db, number, templates[number <= big], now)
    return time.perf_counter() - started, templates[1]["infos"][-1].words


async def first_paint(db: Database, policies: int) -> float:
    """Seconds from creating the app to the policies table drawn with every policy."""
    started = time.perf_counter()
    app = RedlineApp(db, Settings(), ManualClock())
    async with app.run_test(size=(120, 40)):
        table = app.screen.query_one(DataTable)
        while table.row_count < policies:
            await asyncio.sleep(0.001)
        app.screen._compositor.render_strips()  # the frame the terminal would get
        return time.perf_counter() - started


async def steps(db: Database, count: int, *, cold: bool) -> list[float]:
    """Milliseconds of each ``]`` step through a 20,000-word policy's history."""
    app = RedlineApp(db, Settings(), ManualClock(), open_policy="policy-0001")
    timings = []
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        app.screen.query_one(DataTable).move_cursor(row=0)
        await pilot.press("enter")  # v1, then onwards
        screen = app.screen
        while not isinstance(screen, DiffScreen) or screen.shown is None:
            await asyncio.sleep(0.001)
            screen = app.screen
        for _ in range(count):
            await app.workers.wait_for_complete()  # the user reads; the prefetch finishes
            if cold:
                app.comparisons.clear()
            target = screen.versions[screen.index + 1].number
            started = time.perf_counter()
            app.post_message(events.Key("right_square_bracket", "]"))
            while screen.shown is None or screen.shown.number != target:
                await asyncio.sleep(0.0005)
            app.screen._compositor.render_strips()
            timings.append((time.perf_counter() - started) * 1000)
    return timings


def main() -> None:
    """Build the database, run the measurements, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--policies", type=int, default=1000)
    parser.add_argument("--versions", type=int, default=50)
    parser.add_argument("--big", type=int, default=3, help="policies of ~20,000 words")
    parser.add_argument("--steps", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = open_database(f"sqlite:///{Path(folder) / 'bench.db'}")
        built, words = build(db, args.policies, args.versions, args.big)
        size = (Path(folder) / "bench.db").stat().st_size / 1e6
        print(
            f"database: {args.policies} policies × {args.versions} versions "
            f"({args.big} of {words:,} words), built in {built:.1f} s, {size:.0f} MB"
        )
        paints = [asyncio.run(first_paint(db, args.policies)) for _ in range(3)]
        runs = ", ".join(f"{p:.2f}" for p in paints)
        print(f"first paint, policies screen: median {statistics.median(paints):.2f} s ({runs})")
        print("  target ≤ 1 s")
        for cold in (False, True):
            ms = asyncio.run(steps(db, args.steps, cold=cold))
            label = "cold (caches emptied)" if cold else "as used (neighbours prefetched)"
            print(
                f"] step, {label}: median {statistics.median(ms):.0f} ms, "
                f"max {max(ms):.0f} ms, {len(ms)} steps"
            )
        print("  target ≤ 100 ms median")
        db.close()


if __name__ == "__main__":
    main()
