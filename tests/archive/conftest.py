"""Shared fixtures: a small archive served on 127.0.0.1 and a client on a manual clock."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from tracker.archive import ArchiveClient, ArchiveServer, CaptureSpec, CaptureStore, Limits
from tracker.clock import ManualClock

PRIVACY = "https://example.com/privacy"
NEW_PRIVACY = "https://example.com/legal/privacy"
V1 = b"<html><body><h1>Privacy</h1><p>We collect your email.</p></body></html>"
V2 = b"<html><body><h1>Privacy</h1><p>We collect your email and share it.</p></body></html>"
# cp1252 bytes that are not valid UTF-8: replay must hand them back untouched.
V3 = "<p>Caf\u00e9 \u201cpartners\u201d \u2013 we share.</p>".encode("cp1252")
CP1252 = "text/html; charset=windows-1252"


@dataclass(frozen=True)
class Sample:
    """The sample archive's URLs, bodies and captures (tests reach it via the ``sample`` fixture;
    test directories have no ``__init__``, so they cannot import from this module)."""

    privacy: str = PRIVACY
    new_privacy: str = NEW_PRIVACY
    v1: bytes = V1
    v2: bytes = V2
    v3: bytes = V3
    captures: tuple[CaptureSpec, ...] = (
        CaptureSpec(PRIVACY, "20200101000000", V1),
        CaptureSpec(PRIVACY, "20200601120000", V1),
        CaptureSpec(PRIVACY, "20201231235959", V2),
        CaptureSpec(PRIVACY, "20210315080000", V3, content_type=CP1252),
        CaptureSpec(PRIVACY, "20210701000000", b"", status=301, location=NEW_PRIVACY),
        CaptureSpec(PRIVACY, "20220101000000", b"<h1>Not found</h1>", status=404),
        CaptureSpec(NEW_PRIVACY, "20210701000005", V3, content_type=CP1252),
    )

    @property
    def timestamps(self) -> list[str]:
        """Timestamps of the captures of ``privacy``, in order."""
        return [c.timestamp for c in self.captures if c.url == self.privacy]


NO_LIMITS = Limits(search_per_minute=None, replay_per_second=None)


@pytest.fixture
def sample() -> Sample:
    """The sample archive's data."""
    return Sample()


@pytest.fixture
def store(sample: Sample) -> CaptureStore:
    """A store holding the sample captures."""
    result = CaptureStore()
    for spec in sample.captures:
        result.add(spec)
    return result


@pytest.fixture
def server(store: CaptureStore) -> Iterator[ArchiveServer]:
    """The local archive server over ``store``, on a free port."""
    with ArchiveServer(store) as running:
        yield running


@pytest.fixture
def clock() -> ManualClock:
    """A clock that never really sleeps."""
    return ManualClock()


@pytest.fixture
def client(server: ArchiveServer, clock: ManualClock) -> Iterator[ArchiveClient]:
    """A client of ``server`` without rate limits (they are tested on their own)."""
    with ArchiveClient(server.base_url, limits=NO_LIMITS, clock=clock) as archive:
        yield archive
