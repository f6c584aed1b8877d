"""Backfill benchmark: a generated 500-capture history from the local archive server.

Runs `redline backfill` end to end in a child process (rate limits off) against an
in-process local archive server and prints:
  captures/s (target ≥ 50), replay requests per new distinct digest (target 1.0),
  search requests, peak RSS of the backfilling process (target ≤ 150 MB),
and, side by side, what a naive fetch-every-capture client would have requested.

    python bench/backfill.py [--captures 500] [--texts 25]
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from scenarios import churn_history  # noqa: E402

from tracker.archive import ArchiveServer, CaptureStore  # noqa: E402

URL = "http://bench.example/privacy"


def _redline(folder: Path, *args: str) -> list[str]:
    config = folder / "config.toml"
    config.write_text("[archive]\nsearch_per_minute = 0\nreplay_per_second = 0\n")
    db = f"sqlite:///{folder / 'bench.db'}"
    return [sys.executable, "-m", "tracker", "--db", db, "--config", str(config), *args]


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--captures", type=int, default=500)
    parser.add_argument("--texts", type=int, default=25, help="distinct policy texts")
    args = parser.parse_args()

    specs = churn_history(URL, args.captures, args.texts)
    distinct_digests = len({spec.body for spec in specs})
    store = CaptureStore()
    for spec in specs:
        store.add(spec)
    with ArchiveServer(store) as server, tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        subprocess.run(
            _redline(folder, "add", "bench", URL, "--archive", server.base_url),
            check=True,
            capture_output=True,
        )
        server.reset_counts()
        start = time.perf_counter()
        done = subprocess.run(_redline(folder, "backfill", "bench"), capture_output=True, text=True)
        elapsed = time.perf_counter() - start
        if done.returncode != 0:
            sys.exit(f"backfill failed: {done.stderr.strip()}")
        peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        searches, replays = server.search_requests, server.replay_requests

    rate = len(specs) / elapsed
    per_digest = replays / distinct_digests
    print(f"captures                      {len(specs)}")
    print(f"distinct digests              {distinct_digests}")
    print(f"elapsed (process, end to end) {elapsed:.2f} s")
    print(f"captures/s                    {rate:.1f}   (target ≥ 50)")
    print(f"search requests               {searches}")
    print(f"replay requests               {replays}   naive client: {len(specs)}")
    print(f"replays per distinct digest   {per_digest:.2f}   (target 1.00)")
    print(f"peak RSS                      {peak_kb / 1024:.1f} MB   (target ≤ 150 MB)")
    print(f"backfill said: {done.stdout.strip()}")


if __name__ == "__main__":
    main()
