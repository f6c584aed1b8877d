"""Generated archive histories for tests and benchmarks, each capture with its expected fate.

A history is a list of :class:`Planned` captures: what the archive holds and what the
pipeline must make of it (outcome and, for text, which version it belongs to).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from tracker.archive import CaptureSpec

URL = "http://example.com/privacy"
# A config file without rate limits: tests run on a manual clock or against the local archive.
NO_LIMITS = "[archive]\nsearch_per_minute = 0\nreplay_per_second = 0\n"
START = datetime(2000, 1, 1, 12)


@dataclass(frozen=True)
class Planned:
    """A capture and the outcome the pipeline must record for it."""

    spec: CaptureSpec
    outcome: str  # new | same | revert | rejected
    version: int | None = None  # the version number the capture ends up in
    revert_of: int | None = None
    fetched: bool = True  # whether processing it costs a replay
    replays: int | None = None  # replay HTTP requests it costs, when not 1 (or 0 if not fetched)

    @property
    def requests(self) -> int:
        """The replay requests the archive server sees for this capture."""
        return self.replays if self.replays is not None else int(self.fetched)


def page(
    title: str,
    paragraphs: list[str],
    *,
    nav: str = "Home | About",
    charset: str = "utf-8",
    attrs: str = "",
) -> str:
    """A policy page of its era: navigation and footer around the policy's own text."""
    body = "\n".join(f"<p{attrs}>{p}</p>" for p in paragraphs)
    return (
        f'<html><head><meta charset="{charset}"><title>{title}</title>'
        "<style>p { color: black }</style><script>var t = 1;</script></head>"
        f"<body><nav>{nav}</nav><h1>{title}</h1>\n{body}\n"
        "<footer>© Example Corp</footer></body></html>"
    )


# Enough words and policy vocabulary for the quality gate to take each text for a policy.
PREAMBLE = (
    "This privacy policy explains how Example Corp collects, uses and protects the personal "
    "information of visitors and customers. It applies to our website and services. Please "
    "read it carefully, and contact our data protection officer with any question about "
    "your personal data or the choices you have."
)
V1 = [PREAMBLE, "We collect your name and e\u2011mail address.", "We never sell your data."]
V2 = [
    PREAMBLE,
    "We collect your name, e-mail address and postal address.",
    "We never sell your data.",
]
V3 = [
    PREAMBLE,
    "We collect your name, e-mail address and postal address.",
    "We may share your data with advertisers.",
]
V4 = [
    PREAMBLE,
    "We collect your name and your location.",
    "We may share your data with advertisers.",
    "You can ask us to delete your data.",
]


def spine_history(url: str = URL) -> list[Planned]:
    """≥ 30 captures from 2001 to 2020: digest duplicates, an HTML-only change, a 404, a
    redirect elsewhere, a redirect within the document, a cp1252 page, reverts, an empty
    page and a plain-text capture."""
    cp1252 = page(
        "Acme\u2019s \u201cPrivacy\u201d Policy",
        [PREAMBLE, "We collect your name \u2014 only that."],
        charset="iso-8859-1",
    ).encode("cp1252")
    v1 = page("Privacy", V1).encode()
    v1_relaid = page("Privacy", V1, nav="Home | Blog | Shop", attrs=' class="x"').encode()
    v2 = page("Privacy", V2).encode()
    v3 = page("Privacy", V3).encode()
    v4 = ("Privacy\n\n" + "\n\n".join(V4) + "\n").encode()
    empty = b"<html><body><script>document.write('x')</script></body></html>"

    def cap(ts: str, body: bytes, **kw: object) -> CaptureSpec:
        return CaptureSpec(url=kw.pop("url", url), timestamp=ts, body=body, **kw)  # type: ignore[arg-type]

    plan = [
        Planned(
            cap("20010315000000", cp1252, content_type="text/html; charset=iso-8859-1"), "new", 1
        ),
        Planned(
            cap("20010601000000", cp1252, content_type="text/html; charset=iso-8859-1"),
            "same",
            1,
            fetched=False,
        ),
        Planned(
            cap("20011201000000", cp1252, content_type="text/html; charset=iso-8859-1"),
            "same",
            1,
            fetched=False,
        ),
        Planned(cap("20020101000000", b"Not Found", status=404), "rejected", fetched=False),
        Planned(cap("20020301000000", v1), "new", 2),
        Planned(cap("20020401000000", v1), "same", 2, fetched=False),
        Planned(cap("20020501000000", v1_relaid), "same", 2),
        Planned(cap("20020601000000", v1), "same", 2, fetched=False),
        Planned(cap("20030101000000", b"", status=301, location="http://example.com/"), "rejected"),
        Planned(cap("20030601000000", v2), "new", 3),
    ]
    plan += [
        Planned(cap(f"2004{m:02d}01000000", v2), "same", 3, fetched=False) for m in range(1, 7)
    ]
    plan += [
        Planned(cap("20050101000000", v3), "new", 4),
        Planned(cap("20050601000000", v2), "revert", 5, revert_of=3, fetched=False),
        Planned(cap("20060101000000", v3), "revert", 6, revert_of=4, fetched=False),
        Planned(cap("20060601000000", empty), "rejected"),
        Planned(cap("20070101000000", v3), "same", 6, fetched=False),
    ]
    plan += [
        Planned(cap(f"2008{m:02d}01000000", v3), "same", 6, fetched=False) for m in range(1, 7)
    ]
    # The site moved to https: the archive skips a redirect to the URL itself and answers
    # with a 302 to the nearest real capture (two requests), whose text is the current one.
    moved = cap("20090101000000", b"", status=301, location="https://www.example.com/privacy")
    plan += [Planned(moved, "same", 6, replays=2)]
    plan += [
        Planned(cap("20100101000000", v4, content_type="text/plain"), "new", 7),
        Planned(cap("20110101000000", v4, content_type="text/plain"), "same", 7, fetched=False),
        Planned(cap("20120101000000", v4 + b"\n\n", content_type="text/plain"), "same", 7),
        Planned(cap("20150101000000", v4, content_type="text/plain"), "same", 7, fetched=False),
        Planned(cap("20200101000000", v4, content_type="text/plain"), "same", 7, fetched=False),
    ]
    return plan


def churn_history(url: str, captures: int, distinct: int) -> list[CaptureSpec]:
    """``captures`` captures a day apart cycling through ``distinct`` texts with repeats,
    for benchmarks: about one capture in ``captures // distinct`` brings new text."""
    specs = []
    per_text = max(captures // distinct, 1)
    for i in range(captures):
        n = min(i // per_text, distinct - 1)
        paragraphs = [
            f"Clause {k} of version {n}: we process data for purpose {k}." for k in range(40)
        ]
        # Every second capture changes only its navigation: a new digest, the same text.
        nav = f"Home | News {i % 2}"
        ts = (START + timedelta(days=i)).strftime("%Y%m%d%H%M%S")
        specs.append(
            CaptureSpec(url=url, timestamp=ts, body=page("Privacy", paragraphs, nav=nav).encode())
        )
    return specs
