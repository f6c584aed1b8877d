"""Archive access: Wayback CDX search, raw replay, rate limits, retries; the local archive server.

Everything other packages need is re-exported here: ``from tracker.archive import ArchiveClient``.
"""

from tracker.archive.client import MAX_BODY, ArchiveClient, RequestStats
from tracker.archive.faults import Fault
from tracker.archive.politeness import Politeness
from tracker.archive.records import CdxRow, Limits, Memento
from tracker.archive.server import ArchiveServer, RequestRecord, serve, start_server
from tracker.archive.store import CaptureStore
from tracker.archive.warc import CaptureSpec, read_warc, write_warc

__all__ = [
    "MAX_BODY",
    "ArchiveClient",
    "ArchiveServer",
    "CaptureSpec",
    "CaptureStore",
    "CdxRow",
    "Fault",
    "Limits",
    "Memento",
    "Politeness",
    "RequestRecord",
    "RequestStats",
    "read_warc",
    "serve",
    "start_server",
    "write_warc",
]
