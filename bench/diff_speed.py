"""Diff engine speed: compare() against git's word diff and difflib, on the same version pairs.

For each service in the corpus (``/work/shared/corpus`` or ``--corpus``), versions are ordered by
``seq`` in ``index.json`` and each pair of consecutive versions whose texts differ is timed three
ways, side by side in one run:

- ``compare()``, in-process;
- ``git diff --no-index --word-diff=porcelain`` as a process, on the two versions written to
  temporary files;
- ``difflib.SequenceMatcher`` over whitespace-separated words (``get_opcodes()``).

Each pair is timed ``--runs`` times and its median kept. Every module-level cache of
``tracker.diff`` is emptied before each timed call, so no call reuses work done on the same
texts by the warm-up or an earlier run. Prints median, p90 and max milliseconds for each tool
and the ratio to git, for all pairs and for the pairs of 5,000–30,000 words (the target range:
compare median ≤ git's median, p90 ≤ 20 ms, max ≤ 100 ms), and the slowest pairs of that
range with git's time on each. Then, from a separate
instrumented run, how compare()'s time splits between the engine itself, the stated dates and
classification. Without a corpus, generated policy-like texts with a few edits are used
instead.

    python bench/diff_speed.py [--corpus DIR] [--runs 3] [--slowest 15] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import difflib
import itertools
import json
import pstats
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tracker.diff import compare  # noqa: E402

CORPUS = Path("/work/shared/corpus")
TARGET_WORDS = (5_000, 30_000)
Pair = tuple[str, str, str]  # label, old text, new text


def corpus_pairs(root: Path) -> list[Pair]:
    """Consecutive versions (by seq) of each service whose texts differ."""
    index = json.loads((root / "index.json").read_text(encoding="utf-8"))
    pairs = []
    for document in index["documents"]:
        versions = sorted(document["versions"], key=lambda v: v["seq"])
        texts = [
            (v["seq"], (root / document["dir"] / v["file"]).read_text(encoding="utf-8"))
            for v in versions
        ]
        for (seq_a, a), (seq_b, b) in itertools.pairwise(texts):
            if a != b:
                pairs.append((f"{document['dir']} {seq_a}->{seq_b}", a, b))
    return pairs


def generated_pairs(count: int = 40, seed: int = 3) -> list[Pair]:
    """Policy-like texts of 5,000–30,000 words, each with a few edits, when no corpus exists."""
    rng = random.Random(seed)
    words = ("data", "share", "collect", "partners", "cookies", "retain", "delete", "rights")
    pairs = []
    for n in range(count):
        paragraphs = []
        for p in range(rng.randint(200, 1200)):
            sentence = " ".join(rng.choice(words) for _ in range(rng.randint(6, 18)))
            paragraphs.append(f"Paragraph {p}: We {sentence}. Also {sentence} too.")
        old = "\n\n".join(paragraphs)
        for _ in range(5):
            k = rng.randrange(len(paragraphs))
            paragraphs[k] = paragraphs[k].replace("We", "We may", 1)
        pairs.append((f"generated {n}", old, "\n\n".join(paragraphs)))
    return pairs


def clear_caches() -> int:
    """Empty every module-level ``functools`` cache of the diff engine, so that no timed call
    finds work a previous call on the same texts did; how many caches were cleared."""
    cleared = 0
    for name, module in list(sys.modules.items()):
        if name != "tracker.diff" and not name.startswith("tracker.diff."):
            continue
        for value in list(vars(module).values()):
            if callable(getattr(value, "cache_clear", None)):
                value.cache_clear()
                cleared += 1
    return cleared


def _median_ms(fn: Callable[[], object], runs: int) -> float:
    samples = []
    for _ in range(runs):
        clear_caches()
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def _git(old_path: Path, new_path: Path) -> None:
    subprocess.run(
        ["git", "diff", "--no-index", "--word-diff=porcelain", str(old_path), str(new_path)],
        stdout=subprocess.DEVNULL,
        check=False,
    )


def _difflib(old: str, new: str) -> None:
    difflib.SequenceMatcher(None, old.split(), new.split()).get_opcodes()


def time_pairs(pairs: list[Pair], runs: int, workdir: Path) -> list[dict[str, float]]:
    """Per pair: words, and the median milliseconds of each tool."""
    rows = []
    for k, (_, old, new) in enumerate(pairs):
        old_path, new_path = workdir / f"{k}.old.md", workdir / f"{k}.new.md"
        old_path.write_text(old, encoding="utf-8")
        new_path.write_text(new, encoding="utf-8")
        compare(old, new)  # warm: regexes compiled, modules loaded
        rows.append(
            {
                "words": max(len(old.split()), len(new.split())),
                "compare": _median_ms(lambda o=old, n=new: compare(o, n), runs),
                "git": _median_ms(lambda a=old_path, b=new_path: _git(a, b), runs),
                "difflib": _median_ms(lambda o=old, n=new: _difflib(o, n), runs),
            }
        )
    return rows


def _p90(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(0.9 * len(ordered)) - 1)]


def report(title: str, rows: list[dict[str, float]]) -> None:
    """Median, p90 and max per tool, and the ratio of each to git."""
    if not rows:
        print(f"\n{title}: no pairs")
        return
    words = [r["words"] for r in rows]
    print(f"\n{title}: {len(rows)} pairs, {min(words):,.0f}–{max(words):,.0f} words")
    print(f"  {'ms':<9}{'median':>9}{'p90':>9}{'max':>9}   ratio to git (median, p90, max)")
    git = [r["git"] for r in rows]
    for tool in ("compare", "git", "difflib"):
        values = [r[tool] for r in rows]
        stats = (statistics.median(values), _p90(values), max(values))
        ratios = (stats[0] / statistics.median(git), stats[1] / _p90(git), stats[2] / max(git))
        print(
            f"  {tool:<9}{stats[0]:>9.2f}{stats[1]:>9.2f}{stats[2]:>9.2f}   "
            + " ".join(f"{r:.2f}x" for r in ratios)
        )


@contextmanager
def _instrumented(spent: dict[str, float]) -> Iterator[None]:
    """Time spent on stated dates ("dates") and in classify's functions ("classify"), added
    to ``spent`` while the block runs; the engine's own names are wrapped, then restored."""
    import tracker.diff.engine as engine
    import tracker.diff.fuzzy as fuzzy

    classify = ("categorize", "change_flags", "date_only_change", "significance_of", "summarize")
    targets = [(engine, "labelled_date", "dates"), (fuzzy, "date_only_change", "classify")]
    targets += [(engine, name, "classify") for name in classify]
    originals = [(module, name, getattr(module, name)) for module, name, _ in targets]

    def timed(function: Callable[..., object], bucket: str) -> Callable[..., object]:
        def wrapper(*args: object) -> object:
            started = time.perf_counter()
            try:
                return function(*args)
            finally:
                spent[bucket] += time.perf_counter() - started

        return wrapper

    for (module, name, bucket), (_, _, function) in zip(targets, originals, strict=True):
        setattr(module, name, timed(function, bucket))
    try:
        yield
    finally:
        for module, name, function in originals:
            setattr(module, name, function)


def breakdown(pairs: list[Pair], runs: int, title: str) -> None:
    """Where compare()'s time goes, pair by pair (the fastest of ``runs`` instrumented runs):
    the engine itself (segment, align, inline), the stated dates (``dates.labelled_date``) and
    classification (``classify``: categories, flags, significance, summary)."""
    rows = []
    spent = {"dates": 0.0, "classify": 0.0}
    with _instrumented(spent):
        for _, old, new in pairs:
            best: dict[str, float] = {}
            for _ in range(runs):
                clear_caches()
                spent.update(dates=0.0, classify=0.0)
                started = time.perf_counter()
                compare(old, new)
                total = (time.perf_counter() - started) * 1000
                dates, classify = spent["dates"] * 1000, spent["classify"] * 1000
                if not best or total < sum(best.values()):
                    best = {
                        "engine": total - dates - classify,
                        "dates": dates,
                        "classify": classify,
                    }
            rows.append(best)
    print(f"\n{title}: where compare()'s time goes ({len(rows)} pairs, instrumented)")
    print(f"  {'ms':<9}{'median':>9}{'p90':>9}{'max':>9}")
    for part in ("engine", "dates", "classify"):
        values = [r[part] for r in rows]
        stats = (statistics.median(values), _p90(values), max(values))
        print(f"  {part:<9}" + "".join(f"{v:>9.2f}" for v in stats))


def slowest(pairs: list[Pair], rows: list[dict[str, float]], count: int) -> None:
    """The pairs compare() took longest on, with git's time on the same pair."""
    if count <= 0 or not rows:
        return
    ranked = sorted(zip(pairs, rows, strict=True), key=lambda item: -item[1]["compare"])
    print(f"\nslowest {min(count, len(ranked))} pairs for compare()")
    print(f"  {'compare ms':>10} {'git ms':>8} {'words':>7}  pair")
    for (label, _, _), row in ranked[:count]:
        print(f"  {row['compare']:>10.2f} {row['git']:>8.2f} {row['words']:>7,.0f}  {label}")


def profile(pairs: list[Pair]) -> None:
    """cProfile of compare() over all pairs: the 25 costliest functions by own time."""
    profiler = cProfile.Profile()
    profiler.enable()
    for _, old, new in pairs:
        clear_caches()
        compare(old, new)
    profiler.disable()
    pstats.Stats(profiler).sort_stats("tottime").print_stats(25)


def main() -> None:
    """Run the benchmark (module docstring)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--slowest", type=int, default=15, help="list this many slowest pairs")
    args = parser.parse_args()
    if (args.corpus / "index.json").exists():
        pairs, source = corpus_pairs(args.corpus), f"corpus {args.corpus}"
    else:
        pairs, source = generated_pairs(), "generated texts (no corpus found)"
    print(f"diff speed on {source}: consecutive versions that differ, median of {args.runs} runs")
    if args.profile:
        profile(pairs)
        return
    with tempfile.TemporaryDirectory() as workdir:
        rows = time_pairs(pairs, args.runs, Path(workdir))
    low, high = TARGET_WORDS
    in_range = [p for p, r in zip(pairs, rows, strict=True) if low <= r["words"] <= high]
    report("all pairs", rows)
    report(f"pairs of {low:,}–{high:,} words", [r for r in rows if low <= r["words"] <= high])
    slowest(in_range, [r for r in rows if low <= r["words"] <= high], args.slowest)
    breakdown(pairs, args.runs, "all pairs")
    breakdown(in_range, args.runs, f"pairs of {low:,}–{high:,} words")
    print(
        f"\ntargets ({low:,}–{high:,} words): compare median ≤ git median, p90 ≤ 20 ms, "
        "max ≤ 100 ms"
    )
    adversarial()


def adversarial() -> None:
    """Time the inputs that must never take seconds (their exactness is a test)."""
    cases = {
        "5 MB single line": ("word " * 1_000_000, "word " * 500_000 + "other " + "word " * 499_999),
        "50k identical sentences": (
            "We collect data. " * 50_000,
            "We collect data. " * 25_000 + "We sell data. " + "We collect data. " * 25_000,
        ),
        "totally different 30k words": (
            " ".join(f"alpha{k % 997} beta{k % 13}." for k in range(30_000)),
            " ".join(f"gamma{k % 991} delta{k % 17}." for k in range(30_000)),
        ),
    }
    print("\nadversarial inputs (one run each; must stay well under seconds)")
    for name, (old, new) in cases.items():
        clear_caches()
        started = time.perf_counter()
        compare(old, new)
        print(f"  {name:<30}{(time.perf_counter() - started) * 1000:>9.0f} ms")


if __name__ == "__main__":
    main()
