"""The demo archives: which page the archive caught at which moment, for each demo policy.

Each row names a capture time, the era's template and the version it shows, plus the
captures that are not the policy (a "page not found" served with status 200) and the
captures that repeat one already taken (same bytes: the archive's crawler came back and
nothing had changed). :func:`captures` turns the rows into WARC-ready :class:`CaptureSpec`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from tracker.archive import CaptureSpec
from tracker.demo import lanternbay, northwind
from tracker.demo.document import Document, Site
from tracker.demo.eras import Page, not_found_2006, page_2001, page_2006, page_2012
from tracker.demo.eras_modern import page_2016, page_2020, page_2024

Template = Callable[[Site, Document], Page]
SOFT_404 = "soft-404"


@dataclass(frozen=True)
class Row:
    """One capture: when, in which template, showing which version (or :data:`SOFT_404`)."""

    timestamp: str
    template: Template
    version: str
    scheme: str = "https"


@dataclass(frozen=True)
class DemoPolicy:
    """A demo policy: its name, URL, site, versions and the archive's captures of it."""

    name: str
    url: str
    site: Site
    versions: dict[str, Document]
    rows: tuple[Row, ...]


NORTHWIND = DemoPolicy(
    name="northwind",
    url=northwind.URL.replace("http://", "https://"),
    site=northwind.SITE,
    versions=northwind.VERSIONS,
    rows=(
        Row("20010314083012", page_2001, "v1", "http"),
        Row("20010921174405", page_2001, "v1", "http"),  # same bytes again
        Row("20020205120731", page_2001, "v1", "http"),  # and again
        Row("20060412093344", page_2006, "v2", "http"),
        Row("20070118201502", page_2006, "v2", "http"),  # same bytes again
        Row("20080305111920", page_2006, SOFT_404, "http"),  # "Page not found", status 200
        Row("20090130154210", page_2006, "v3", "http"),  # only the stated date changed
        Row("20120615102233", page_2012, "v4", "http"),
        Row("20140422081547", page_2012, "v5", "http"),  # edited, stated date unchanged
        Row("20161003142918", page_2016, "v6"),  # the redesign: same words, new HTML
        Row("20170211093001", page_2016, "v6"),  # same bytes again
        Row("20180601120000", page_2016, "v7"),  # GDPR
        Row("20200108074512", page_2020, "v8"),  # CCPA, selling, advertisers
        Row("20210702193322", page_2020, "v9"),  # a section moved
        Row("20221115110843", page_2020, "v10"),  # retention 30 → 90 days
        Row("20240312085530", page_2024, "v11"),
        Row("20240901162210", page_2024, "v11"),  # same bytes again
        Row("20250218101500", page_2024, "v12"),
    ),
)

LANTERNBAY = DemoPolicy(
    name="lanternbay",
    url=lanternbay.URL,
    site=lanternbay.SITE,
    versions=lanternbay.VERSIONS,
    rows=(
        Row("20150611090000", page_2012, "v1"),
        Row("20180702131500", page_2016, "v2"),
        Row("20190115080000", page_2016, "v2"),  # same bytes again
        Row("20210410170000", page_2020, "v3"),
        Row("20231002094500", page_2020, "v4"),
    ),
)

POLICIES = (NORTHWIND, LANTERNBAY)
MAIN = NORTHWIND


def captures(policy: DemoPolicy) -> list[CaptureSpec]:
    """The policy's captures as the archive holds them, oldest first."""
    specs = []
    for row in policy.rows:
        url = policy.url.replace("https://", f"{row.scheme}://", 1)
        if row.version == SOFT_404:
            body, content_type = not_found_2006(policy.site)
        else:
            body, content_type = row.template(policy.site, policy.versions[row.version])
        specs.append(CaptureSpec(url, row.timestamp, body, content_type=content_type))
    return specs
