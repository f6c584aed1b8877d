"""The local archive server, its store and WARC files: the wire format, spoken over real HTTP."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import requests
from warcio.warcwriter import WARCWriter

from tracker.archive import (
    ArchiveServer,
    CaptureSpec,
    CaptureStore,
    read_warc,
    start_server,
    write_warc,
)
from tracker.errors import ArchiveError

if TYPE_CHECKING:  # test folders are not packages; conftest is importable only to type checkers
    from conftest import Sample

FIELDS = ["urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length"]


def cdx(server: ArchiveServer, **params: str) -> requests.Response:
    """A raw CDX request, as any client would send it."""
    return requests.get(f"{server.base_url}/cdx/search/cdx", params=params, timeout=5)


def replay(server: ArchiveServer, path: str) -> requests.Response:
    """A raw replay request; redirects are not followed so they can be inspected."""
    return requests.get(f"{server.base_url}{path}", allow_redirects=False, timeout=5)


# -- WARC --------------------------------------------------------------------------------------


def test_warc_round_trip(tmp_path: Path, sample: Sample) -> None:
    specs = [
        *sample.captures,
        CaptureSpec("https://example.com/x", "20200101000000", b"", content_type=None),
        CaptureSpec(
            "https://example.com/y",
            "20200101000000",
            b"%PDF-1.4 \x00\xff",
            content_type="application/pdf",
            headers=(("Last-Modified", "Tue, 01 Jan 2019 00:00:00 GMT"), ("X-A", "1")),
        ),
    ]
    path = tmp_path / "sample.warc.gz"
    write_warc(path, specs)
    assert list(read_warc(path)) == specs
    assert path.read_bytes()[:2] == b"\x1f\x8b"  # gzip


def test_read_warc_skips_revisits(tmp_path: Path, sample: Sample) -> None:
    path = tmp_path / "mixed.warc.gz"
    write_warc(path, sample.captures[:1])
    with open(path, "ab") as out:
        writer = WARCWriter(out, gzip=True)
        revisit = writer.create_revisit_record(
            sample.privacy, "sha1:ABC", sample.privacy, "2020-01-01T00:00:00Z"
        )
        writer.write_record(revisit)
    assert list(read_warc(path)) == list(sample.captures[:1])


@pytest.mark.parametrize(
    "junk", [b"this is not a WARC file\r\n\r\n", bytes(range(256)) * 4, b"\x1f\x8b\x08junk"]
)
def test_read_warc_of_garbage(tmp_path: Path, junk: bytes) -> None:
    path = tmp_path / "bad.warc"
    path.write_bytes(junk)
    with pytest.raises(ArchiveError, match=r"cannot read WARC file .*bad\.warc") as caught:
        list(read_warc(path))
    assert len(str(caught.value)) < 300


def test_write_warc_rejects_bad_timestamp(tmp_path: Path) -> None:
    with pytest.raises(ArchiveError, match="14 digits"):
        write_warc(tmp_path / "x.warc.gz", [CaptureSpec("https://a.example/", "2020", b"")])


# -- store -------------------------------------------------------------------------------------


def test_store_loads_a_warc_file_and_a_folder_of_them(tmp_path: Path, sample: Sample) -> None:
    write_warc(tmp_path / "a.warc.gz", sample.captures[:3])
    write_warc(tmp_path / "b.warc.gz", sample.captures[3:])
    assert len(CaptureStore.load(tmp_path / "a.warc.gz")) == 3
    store = CaptureStore.load(tmp_path)
    assert [r.timestamp for r in store.search(sample.privacy)] == sample.timestamps


def test_store_loads_a_folder_of_captures(tmp_path: Path, sample: Sample) -> None:
    policy = tmp_path / "example-privacy"
    policy.mkdir()
    (policy / "url").write_text(sample.privacy + "\n")
    (policy / "20200101000000.html").write_bytes(sample.v1)
    (policy / "20210101000000.txt").write_bytes(b"plain")
    (policy / "20220101000000.pdf").write_bytes(b"%PDF-1.4")
    (policy / ".DS_Store").write_bytes(b"litter")
    store = CaptureStore.load(tmp_path)
    rows = store.search(sample.privacy)
    assert [(r.timestamp, r.mimetype, r.statuscode) for r in rows] == [
        ("20200101000000", "text/html", "200"),
        ("20210101000000", "text/plain", "200"),
        ("20220101000000", "application/pdf", "200"),
    ]
    assert rows[0].digest == base64.b32encode(hashlib.sha1(sample.v1).digest()).decode()
    assert len(CaptureStore.load(policy)) == 3  # one capture folder on its own works too


@pytest.mark.parametrize(
    ("layout", "message"),
    [
        ({"notes.txt": b"hi"}, "no WARC files"),
        ({"p/url": b"https://a.example/", "p/2020.html": b"x"}, "YYYYMMDDhhmmss"),
        ({"p/url": b"ftp://a.example/", "p/20200101000000.html": b"x"}, "http"),
    ],
)
def test_store_rejects_bad_folders(tmp_path: Path, layout: dict[str, bytes], message: str) -> None:
    for name, content in layout.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(content)
    with pytest.raises(ArchiveError, match=message):
        CaptureStore.load(tmp_path)


def test_store_rejects_missing_and_non_warc_paths(tmp_path: Path) -> None:
    with pytest.raises(ArchiveError, match="no such file"):
        CaptureStore.load(tmp_path / "missing")
    (tmp_path / "x.zip").write_bytes(b"PK")
    with pytest.raises(ArchiveError, match="not a WARC file"):
        CaptureStore.load(tmp_path / "x.zip")


def test_store_url_matching_is_lightly_canonical(store: CaptureStore, sample: Sample) -> None:
    for spelling in [
        "http://www.example.com/privacy/",
        "https://EXAMPLE.com/privacy",
        "example.com/privacy",
    ]:
        assert [r.timestamp for r in store.search(spelling)] == sample.timestamps
    assert store.search("https://example.com/privacy/other") == []
    assert store.search(sample.privacy)[0].urlkey == "com,example)/privacy"


def test_store_from_and_to_padding(store: CaptureStore, sample: Sample) -> None:
    assert [r.timestamp for r in store.search(sample.privacy, to_ts="2020")] == sample.timestamps[
        :3
    ]
    assert [
        r.timestamp for r in store.search(sample.privacy, from_ts="202012")
    ] == sample.timestamps[2:]
    assert store.search(sample.privacy, from_ts="2021", to_ts="202102") == []
    assert len(store.search(sample.privacy, status_regex="[23]..")) == 5


def test_store_nearest(store: CaptureStore, sample: Sample) -> None:
    assert store.nearest(sample.privacy, "20200301000000").timestamp == "20200101000000"
    assert store.nearest(sample.privacy, "20200401000000").timestamp == "20200601120000"
    assert store.nearest(sample.privacy, "2030").timestamp == "20220101000000"
    assert store.nearest("https://nothing.example/", "2020") is None


# -- CDX over HTTP -----------------------------------------------------------------------------


def test_cdx_json_format(server: ArchiveServer, sample: Sample) -> None:
    answer = cdx(server, url=sample.privacy, output="json")
    assert answer.status_code == 200
    assert answer.headers["Content-Type"] == "application/json"
    table = answer.json()
    assert table[0] == FIELDS
    assert all(isinstance(v, str) for row in table[1:] for v in row)
    assert [row[1] for row in table[1:]] == sample.timestamps
    assert table[1] == [
        "com,example)/privacy",
        "20200101000000",
        sample.privacy,
        "text/html",
        "200",
        base64.b32encode(hashlib.sha1(sample.v1).digest()).decode(),
        str(len(sample.v1)),
    ]


def test_cdx_resume_key_paging(server: ArchiveServer, sample: Sample) -> None:
    params = {"url": sample.privacy, "output": "json", "limit": "4", "showResumeKey": "true"}
    first = cdx(server, **params).json()
    assert len(first) == 1 + 4 + 2
    assert first[-2] == []
    assert len(first[-1]) == 1
    second = cdx(server, **params, resumeKey=first[-1][0]).json()
    assert [] not in second  # the last page has no resume key
    assert [r[1] for r in first[1:5] + second[1:]] == sample.timestamps


def test_cdx_without_show_resume_key_truncates(server: ArchiveServer, sample: Sample) -> None:
    table = cdx(server, url=sample.privacy, output="json", limit="2").json()
    assert len(table) == 3


def test_cdx_filters(server: ArchiveServer, sample: Sample) -> None:
    def statuses(*filters: str) -> list[str]:
        query = [("url", sample.privacy), ("output", "json"), *(("filter", f) for f in filters)]
        answer = requests.get(f"{server.base_url}/cdx/search/cdx", params=query, timeout=5)
        return [row[4] for row in answer.json()[1:]]

    assert statuses("statuscode:200") == ["200"] * 4
    assert statuses("!statuscode:200") == ["301", "404"]
    assert statuses("statuscode:[23]..", "!statuscode:301") == ["200"] * 4
    assert statuses("statuscode:20") == []  # a full match, not a search


def test_cdx_empty_and_errors(server: ArchiveServer) -> None:
    assert cdx(server, url="https://nothing.example/", output="json").content == b"[]"
    assert cdx(server, output="json").status_code == 400
    assert cdx(server, url="a.example", filter="nofield:1").status_code == 400
    assert cdx(server, url="a.example", filter="statuscode:(").status_code == 400
    assert cdx(server, url="a.example", resumeKey="garbage!").status_code == 400
    assert cdx(server, url="a.example", limit="-3").status_code == 400
    assert cdx(server, url="a.example", to="2020-01").status_code == 400


def test_cdx_text_output(server: ArchiveServer, sample: Sample) -> None:
    text = cdx(server, url=sample.privacy, limit="2", showResumeKey="true").text
    lines = text.split("\n")
    assert lines[0].split(" ")[:2] == ["com,example)/privacy", "20200101000000"]
    assert lines[2] == ""
    assert lines[3]  # the resume key


def test_added_capture_appears_in_later_searches(server: ArchiveServer, sample: Sample) -> None:
    before = len(cdx(server, url=sample.privacy, output="json").json())
    server.store.add(CaptureSpec(sample.privacy, "20230101000000", b"new"))
    after = cdx(server, url=sample.privacy, output="json").json()
    assert len(after) == before + 1
    assert after[-1][1] == "20230101000000"


# -- replay over HTTP --------------------------------------------------------------------------


def test_replay_exact(server: ArchiveServer, sample: Sample) -> None:
    answer = replay(server, f"/web/20210315080000id_/{sample.privacy}")
    assert answer.status_code == 200
    assert answer.content == sample.v3
    assert answer.headers["Content-Type"] == "text/html; charset=windows-1252"
    assert answer.headers["Memento-Datetime"] == "Mon, 15 Mar 2021 08:00:00 GMT"
    parsedate_to_datetime(answer.headers["Memento-Datetime"])  # valid RFC 1123


def test_replay_inexact_redirects_without_memento_datetime(
    server: ArchiveServer, sample: Sample
) -> None:
    answer = replay(server, f"/web/2020id_/{sample.privacy}")
    assert answer.status_code == 302
    assert "Memento-Datetime" not in answer.headers
    assert answer.headers["Location"] == f"{server.base_url}/web/20200101000000id_/{sample.privacy}"


def test_replay_archived_redirect(server: ArchiveServer, sample: Sample) -> None:
    answer = replay(server, f"/web/20210701000000id_/{sample.privacy}")
    assert answer.status_code == 301
    assert "Memento-Datetime" in answer.headers
    expected = f"{server.base_url}/web/20210701000000id_/{sample.new_privacy}"
    assert answer.headers["Location"] == expected


def test_replay_passes_archived_headers_with_prefix(server: ArchiveServer) -> None:
    server.store.add(
        CaptureSpec("https://a.example/", "20200101000000", b"x", headers=(("Server", "nginx"),))
    )
    answer = replay(server, "/web/20200101000000id_/https://a.example/")
    assert answer.headers["X-Archive-Orig-Server"] == "nginx"


def test_replay_not_found(server: ArchiveServer) -> None:
    assert replay(server, "/web/20200101000000id_/https://nothing.example/").status_code == 404
    assert replay(server, "/elsewhere").status_code == 404
    assert replay(server, "/web/notatimestamp/https://example.com/").status_code == 404


# -- counters, faults, lifecycle ---------------------------------------------------------------


def test_counters_and_reset(server: ArchiveServer, sample: Sample) -> None:
    cdx(server, url=sample.privacy)
    replay(server, f"/web/2020id_/{sample.privacy}")
    replay(server, "/elsewhere")
    assert (server.search_requests, server.replay_requests) == (1, 1)
    server.reset_counts()
    assert (server.search_requests, server.replay_requests) == (0, 0)


def test_fail_next_is_per_endpoint(server: ArchiveServer, sample: Sample) -> None:
    server.fail_next(503, count=2, endpoint="replay")
    assert cdx(server, url=sample.privacy).status_code == 200
    path = f"/web/20200101000000id_/{sample.privacy}"
    assert [replay(server, path).status_code for _ in range(3)] == [503, 503, 200]
    assert replay(server, path).content == sample.v1
    server.fail_next(429)
    failed = cdx(server, url=sample.privacy)
    assert (failed.status_code, failed.content) == (429, b"")


def test_fault_hook(server: ArchiveServer, sample: Sample) -> None:
    seen: list[tuple[str, str]] = []

    def hook(endpoint: str, path: str) -> int | None:
        seen.append((endpoint, path))
        return 502 if endpoint == "search" else None

    server.fault_hook = hook
    assert cdx(server, url=sample.privacy).status_code == 502
    assert replay(server, f"/web/20200101000000id_/{sample.privacy}").status_code == 200
    assert [e for e, _ in seen] == ["search", "replay"]


def test_start_server_from_a_folder(tmp_path: Path, sample: Sample) -> None:
    write_warc(tmp_path / "a.warc.gz", sample.captures)
    server = start_server(str(tmp_path), port=0)
    try:
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", server.base_url)
        assert len(cdx(server, url=sample.privacy, output="json").json()) == 7
    finally:
        server.stop()
    server.stop()  # stopping twice is fine


def test_port_in_use_is_a_clear_error(server: ArchiveServer) -> None:
    with pytest.raises(ArchiveError, match=r"cannot listen on 127\.0\.0\.1"):
        ArchiveServer(CaptureStore(), port=server.port).start()


def test_server_is_quiet(
    server: ArchiveServer, sample: Sample, capfd: pytest.CaptureFixture[str]
) -> None:
    cdx(server, url=sample.privacy)
    replay(server, "/elsewhere")
    with requests.get(f"{server.base_url}/web/2020id_/{sample.privacy}", stream=True, timeout=5):
        pass  # hang up without reading
    out, err = capfd.readouterr()
    assert (out, err) == ("", "")


def test_warc_bytes_survive_the_whole_trip(tmp_path: Path) -> None:
    body = io.BytesIO("r\u00e9sum\u00e9 \u2014 \u201cq\u201d".encode("cp1252")).getvalue()
    write_warc(tmp_path / "c.warc.gz", [CaptureSpec("https://a.example/", "20200101000000", body)])
    with ArchiveServer(CaptureStore.load(tmp_path)) as server:
        assert replay(server, "/web/20200101000000id_/https://a.example/").content == body
    assert json.dumps(body.decode("cp1252"))  # sanity: these really are cp1252 bytes
