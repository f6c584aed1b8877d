"""Extraction benchmark: speed per page, and versions made from a churning 200-capture history.

Prints median and p90 milliseconds per page for the era fixtures and for a generated ~50 KB
modern page (target: median ≤ 5 ms for the 50 KB page), with markdownify side by side when it
is importable; then backfills a generated history whose HTML churns around a policy text that
changes exactly 5 times, through the real pipeline, and prints the versions made (target 6).

    python bench/extract.py [--runs 200] [--skip-churn]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tracker.archive import CaptureSpec  # noqa: E402
from tracker.extract.decode import decode_body  # noqa: E402
from tracker.extract.html import extract  # noqa: E402
from tracker.extract.normalize import identity_hash  # noqa: E402

ERAS = ROOT / "tests" / "extract" / "fixtures" / "eras"
FIXTURE_TYPES = {
    "2001_table_cp1252.html": "text/html",
    "2006_cms_sidebars.html": "text/html; charset=utf-8",
    "2016_responsive_cookie_banner.html": "text/html; charset=UTF-8",
    "2024_heavy_markup.html": "text/html; charset=utf-8",
    "frameset.html": "text/html",
    "frameset_policy.html": "text/html",
    "policy.pdf": "application/pdf",
}
CHURN_URL = "http://churn.example/legal/privacy"
CHURN_CAPTURES = 200
CHURN_TEXTS = 6  # the policy text changes 5 times


def _ms(fn: Callable[[], object], runs: int) -> tuple[float, float]:
    """Median and 90th percentile of ``runs`` timed calls, in milliseconds."""
    fn()  # warm caches (compiled selectors, regexes) as a long backfill would have them
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.9) - 1]


def modern_page(target_bytes: int = 50_000, seed: int = 7) -> bytes:
    """A 2024-style page of about ``target_bytes``: div soup, spans, SVG icons, a consent
    banner, JSON-LD and a framework's state script around a long policy."""
    rng = random.Random(seed)
    icon = (
        '<svg aria-hidden="true" class="h-4 w-4" viewBox="0 0 24 24"><path d="M6 9l6 6 6-6"/></svg>'
    )
    head = (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Privacy | Acme</title>'
        '<script type="application/ld+json">{"@type":"WebPage","name":"Privacy"}</script></head>'
        '<body class="antialiased"><a class="sr-only" href="#main">Skip to content</a>'
        '<header class="sticky top-0"><nav class="flex gap-4">'
        + "".join(f'<a class="text-sm" href="/p{i}">Product {i}</a>' for i in range(12))
        + f'</nav><button aria-label="Menu">{icon}</button></header>'
        '<div class="flex"><div class="mx-auto"><main id="main"><div class="prose"><h1>Privacy</h1>'
    )
    parts = [head]
    size, n = len(head), 0
    while size < target_bytes:
        n += 1
        words = " ".join(rng.choice(_VOCABULARY) for _ in range(60))
        section = (
            f'<div class="space-y-2"><div><h2 id="s{n}" class="text-2xl font-semibold">'
            f'<a class="anchor" href="#s{n}">{icon}</a>Section {n}</h2></div>'
            f'<div class="leading-7"><p><span class="text-base">{words}.</span></p>'
            f'<ul class="list-disc"><li><span>{words[:80]}</span></li>'
            f"<li><span><strong>{words[80:100]}</strong> {words[100:180]}</span></li></ul>"
            f'<p>See <a href="/terms?utm_source=privacy&amp;s={n}">our terms</a>.</p></div></div>'
        )
        parts.append(section)
        size += len(section)
    parts.append(
        '</div></main></div></div><footer class="border-t"><p>© 2024 Acme</p></footer>'
        '<div id="onetrust-consent-sdk"><p>We use cookies.</p><button>Accept</button></div>'
        '<script id="__NEXT_DATA__" type="application/json">{"props":{}}</script></body></html>'
    )
    return "".join(parts).encode()


_SENTENCES = (
    "we collect personal data such as your name email address device identifiers and "
    "usage information to provide improve and secure our services share it with processors "
    "retain it for as long as necessary and you may request access correction or deletion"
)
_VOCABULARY = _SENTENCES.split()


def speed(runs: int) -> None:
    """Print per-page timings for the fixtures and the generated modern page."""
    try:
        from markdownify import markdownify
    except ImportError:
        markdownify = None
    pages = [(name, (ERAS / name).read_bytes(), ct) for name, ct in FIXTURE_TYPES.items()]
    pages.append(("generated modern page", modern_page(), "text/html; charset=utf-8"))
    other = "markdownify median / p90" if markdownify else "(markdownify not installed)"
    print(f"{'page':36} {'KB':>6}  {'redline median / p90 ms':>24}  {other:>26}")
    for name, body, ct in pages:
        median, p90 = _ms(lambda b=body, c=ct: extract(b, c), runs)
        line = f"{name:36} {len(body) / 1024:6.1f}  {median:11.2f} / {p90:8.2f}  "
        if markdownify and name.endswith(".pdf"):
            line += f"{'(HTML only)':>26}"
        elif markdownify:
            m_median, m_p90 = _ms(lambda b=body, c=ct: markdownify(decode_body(b, c)), runs)
            line += f"{m_median:13.2f} / {m_p90:8.2f}  ({m_median / median:.1f}× slower)"
        print(line)
    print("target: median ≤ 5 ms for the ~50 KB page")


# ---- churn_versions: HTML that churns around a policy text that changes 5 times -------------

_ADS = ("Holiday sale: 20% off", "Try Acme Pro free", "New: Acme for teams", "Webinar Thursday")


def _policy_paragraphs(version: int) -> list[str]:
    """The policy's text at ``version`` (0–5): each version edits or adds one clause."""
    paragraphs = [
        f"Clause {k}: we process your data for purpose {k} and keep it for {k + 1} months."
        for k in range(30)
    ]
    for v in range(1, version + 1):
        paragraphs[v * 5] = f"Clause {v * 5} (revised in version {v}): we no longer do this."
    return paragraphs


def _churned_page(i: int, version: int, rng: random.Random) -> bytes:
    """One capture: the policy of ``version`` in furniture that differs on every capture."""
    session = f"{rng.getrandbits(64):016X}"
    space = rng.choice([" ", "\n", "\n    ", "  \t"])

    def attrs(*pairs: tuple[str, str]) -> str:  # attribute order changes between captures
        shuffled = list(pairs)
        rng.shuffle(shuffled)
        return "".join(f' {k}="{v}"' for k, v in shuffled)

    body = [
        f"<html><head><title>Privacy</title><script>var sid='{session}';</script></head><body>",
        f'<nav><a href="/account;jsessionid={session}">Account</a>{space}',
        f'<a href="/?utm_source=nav&amp;utm_campaign={i}">Home</a></nav>',
        f'<aside><div class="ad">{rng.choice(_ADS)}</div></aside>',
        f"<main{attrs(('id', 'main'), ('class', 'policy'), ('data-build', str(i % 7)))}>",
        "<h1>Privacy Policy</h1>",
    ]
    for k, text in enumerate(_policy_paragraphs(version)):
        words = text.split(" ")
        body.append(f"<p{attrs(('class', 'clause'), ('id', f'c{k}'))}>{space.join(words)}</p>")
        if k == 12:  # an ad slot inside the content column too
            body.append(
                f"<div{attrs(('class', 'ad'), ('data-slot', session[:6]))}>Ad: {_ADS[i % 4]}</div>"
            )
    body.append(
        f'<p>See our <a href="/cookies?sessionid={session}&amp;utm_source=policy">cookie policy'
        f'</a> and <a href="/terms;jsessionid={session}">terms</a>.</p></main>'
    )
    clock = f"{i // 3600 % 24:02d}:{i // 60 % 60:02d}:{i * 7 % 60:02d}"
    body.append(f"<footer><p>Page generated at {clock}</p></footer></body></html>")
    return space.join(body).encode()


def churn_history() -> list[CaptureSpec]:
    """200 captures a day apart whose HTML churns while the policy text changes 5 times."""
    rng = random.Random(2024)
    start = datetime(2015, 1, 1, 6)
    specs = []
    for i in range(CHURN_CAPTURES):
        version = i * CHURN_TEXTS // CHURN_CAPTURES
        ts = (start + timedelta(days=i, seconds=rng.randrange(86_000))).strftime("%Y%m%d%H%M%S")
        body = _churned_page(i, version, rng)
        specs.append(CaptureSpec(url=CHURN_URL, timestamp=ts, body=body, content_type="text/html"))
    return specs


def churn_versions() -> int:
    """Backfill the churning 200-capture history through the real pipeline (local archive
    server, temporary SQLite database) and return the versions made (target: exactly 6)."""
    # Imported here so that the speed figures do not depend on the whole pipeline importing.
    from storage.db import open_database
    from tracker.archive import ArchiveClient, ArchiveServer, CaptureStore, Limits
    from tracker.clock import SystemClock
    from tracker.monitor import check_policy
    from tracker.policies import NewPolicy, add_policy, policy_history

    specs = churn_history()
    store = CaptureStore()
    for spec in specs:
        store.add(spec)
    with tempfile.TemporaryDirectory() as tmp, ArchiveServer(store) as server:
        db = open_database(f"sqlite:///{Path(tmp) / 'churn.db'}")
        try:
            clock = SystemClock()
            policy = add_policy(db, NewPolicy(name="churn", url=CHURN_URL), clock)
            client = ArchiveClient(server.base_url, limits=Limits(None, None))
            result = check_policy(db, client, policy, clock=clock)
            versions = len(policy_history(db, "churn").versions)
        finally:
            db.close()
    texts = {extract(spec.body, "text/html").text for spec in specs}
    print(f"captures {len(specs)}, distinct bodies {len({s.body for s in specs})}")
    print(
        f"distinct extracted texts {len(texts)}, distinct identities "
        f"{len({identity_hash(t) for t in texts})} (links keep their session ids as written; "
        "the identity drops them)"
    )
    print(
        f"new versions {result.new_versions}, reverts {result.reverts}, same {result.same}, "
        f"rejected {result.rejected}, failed {result.failed}, error {result.error}"
    )
    print(f"versions made: {versions}   (target: exactly {CHURN_TEXTS}, zero spurious)")
    return versions


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200, help="timed runs per page")
    parser.add_argument("--skip-churn", action="store_true", help="only the speed figures")
    args = parser.parse_args()
    speed(args.runs)
    if not args.skip_churn:
        print()
        churn_versions()


if __name__ == "__main__":
    main()
