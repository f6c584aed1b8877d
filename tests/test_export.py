"""`redline export`: the report in Markdown and HTML, JSON, and the Atom feed."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import lxml.html
import pytest
from click.testing import CliRunner

from storage.db import Database, open_database
from tracker.archive import ArchiveServer
from tracker.cli import cli
from tracker.clock import ManualClock
from tracker.corpus import import_files, parse_corpus_file
from tracker.demo.run import demo_archive, load_demo
from tracker.export import export

ATOM = "{http://www.w3.org/2005/Atom}"
ARCHIVE = "https://web.archive.org"
EVIL_V1 = """# Evil <script>alert(1)</script> Policy

Last updated: January 1, 2020

We collect your email address when you sign up. We do not sell your personal data.

Questions? Write to privacy@evil.example about <img src=x onerror=alert(2)> anything.
"""
EVIL_V2 = EVIL_V1.replace("We do not sell", "We may sell").replace(
    "anything.", "anything <script>steal()</script>."
)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """The demo policies, and a policy whose text carries markup, in one database."""
    folder = tmp_path_factory.mktemp("export")
    database = open_database(f"sqlite:///{folder / 'export.db'}")
    clock = ManualClock()
    server: ArchiveServer
    with demo_archive() as server:
        load_demo(database, server, clock)
    files = []
    for day, text in (("2020-01-01", EVIL_V1), ("2021-01-01", EVIL_V2)):
        path = folder / f"evil-{day}.md"
        path.write_text(text, encoding="utf-8")
        files.append(parse_corpus_file(path, policy="evil", date=day, url="https://evil.example/p"))
    import_files(database, files, clock=clock)
    yield database
    database.close()


class _Page(HTMLParser):
    """Collects tags, the styles of spans with their text, and all text."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []
        self.spans: list[tuple[str, str]] = []  # (style, text) of innermost styled spans
        self._open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "span":
            self._open.append(dict(attrs).get("style") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "span" and self._open:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._open:
            self.spans.append((self._open[-1], data))


def _parse(document: str) -> _Page:
    page = _Page()
    page.feed(document)
    page.close()
    return page


def test_html_report_shows_highlights_and_a_timeline(db: Database) -> None:
    document = export(db, "northwind", "html", ARCHIVE)
    page = _parse(document)
    assert "script" not in page.tags and "style" not in page.tags
    struck = {text for style, text in page.spans if "line-through" in style}
    underlined = {text for style, text in page.spans if "underline" in style}
    assert "do not" in struck and "may" in underlined  # "we do not sell" → "we may sell"
    assert "30" in struck and "90" in underlined  # retention 30 → 90 days
    tree = lxml.html.fromstring(document)
    assert tree.xpath("//script") == []
    sections = tree.xpath("//section[starts-with(@id, 'v')]")
    assert len(sections) == 12
    bars = tree.xpath("//a[starts-with(@href, '#v')]")
    assert [bar.text_content().split(" · ")[0] for bar in bars] == [f"v{n}" for n in range(1, 13)]
    assert "2020-01-08" in bars[7].text_content()


def test_policy_markup_arrives_as_text(db: Database) -> None:
    for fmt in ("markdown", "html", "atom"):
        document = export(db, "evil", fmt, ARCHIVE)
        assert not re.search(r"(?<!\\)<(?:script|img)\b", document), fmt
    # JSON is data, not markup: it carries the text exactly as the policy has it.
    assert "<script>steal()</script>" in export(db, "evil", "json", ARCHIVE)
    page = _parse(export(db, "evil", "html", ARCHIVE))
    assert "script" not in page.tags and "img" not in page.tags
    assert "<script>steal()</script>" in "".join(page.text)
    feed = ET.fromstring(export(db, "evil", "atom", ARCHIVE))
    content = feed.find(f"{ATOM}entry/{ATOM}content")
    assert content is not None and content.text is not None
    inner = _parse(content.text)
    assert "script" not in inner.tags and "<script>steal()</script>" in "".join(inner.text)
    markdown = export(db, "evil", "markdown", ARCHIVE)
    assert r"\<script\>steal()\</script\>" in markdown


def test_atom_feed_has_one_entry_per_change(db: Database) -> None:
    document = export(db, "northwind", "atom", ARCHIVE)
    feed = ET.fromstring(document)
    assert feed.tag == f"{ATOM}feed"
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 11  # 12 versions, 11 changes
    ids = [entry.findtext(f"{ATOM}id") for entry in entries]
    assert len(set(ids)) == 11 and all(i and i.startswith("tag:") for i in ids)
    assert ids[0] == "tag:redline,2025:policy/northwind/version/12"  # newest first
    newest = entries[0]
    assert newest.findtext(f"{ATOM}updated") == "2025-02-18T10:15:00Z"
    link = newest.find(f"{ATOM}link")
    assert link is not None
    assert link.get("href", "").endswith(
        "/web/20250218101500/https://www.northwind-outfitters.example/privacy"
    )
    content = newest.find(f"{ATOM}content")
    assert content is not None and content.get("type") == "html"
    v8 = entries[12 - 8]
    assert (v8.findtext(f"{ATOM}title") or "").startswith("v8: ")
    terms = [c.get("term") for c in v8.findall(f"{ATOM}category")]
    assert terms[0] == "high" and "third_party_sharing" in terms
    # Stable: the same history gives the same feed.
    assert export(db, "northwind", "atom", ARCHIVE) == document


def test_markdown_report(db: Database) -> None:
    document = export(db, "lanternbay", "markdown", ARCHIVE)
    assert document.startswith("# Privacy policy history: lanternbay\n")
    rows = [line for line in document.splitlines() if line.startswith("| [")]
    assert len(rows) == 4 and "first version" in rows[0]
    assert "## Version 3 — 2021-04-10" in document
    assert "<del>12</del><ins>24</ins>" in document
    assert "\n## Third" not in document  # the redlines' headings sit one level down


def test_json_is_the_log_document_with_comparisons(db: Database) -> None:
    document = json.loads(export(db, "northwind", "json", ARCHIVE))
    assert set(document) == {"policy", "versions"}
    assert set(document["policy"]) == {
        "name", "url", "archive", "versions", "captures", "last_change", "last_checked",
        "last_error",
    }  # fmt: skip
    versions = document["versions"]
    assert [v["number"] for v in versions] == list(range(1, 13))
    assert versions[0]["comparison"] is None and versions[0]["summary"] is None
    for version in versions[1:]:
        assert version["comparison"]["schema"] == "redline.diff/1"
        assert version["comparison"]["summary"] == version["summary"]


def test_export_command_writes_a_file(db: Database, tmp_path: Path) -> None:
    out = tmp_path / "feed.atom"
    url = str(db.engine.url)
    result = CliRunner().invoke(
        cli, ["--db", url, "export", "lanternbay", "--format", "atom", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert len(ET.parse(out).getroot().findall(f"{ATOM}entry")) == 3
    bad = CliRunner().invoke(cli, ["--db", url, "export", "lanternbay", "--format", "pdf"])
    assert bad.exit_code == 2
    missing = CliRunner().invoke(cli, ["--db", url, "export", "nope"])
    assert missing.exit_code == 1 and missing.stderr.startswith("error: ")


@pytest.mark.skipif(not shutil.which("chromium"), reason="chromium is not installed")
def test_html_report_renders_in_chromium(db: Database, tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    page.write_text(export(db, "northwind", "html", ARCHIVE), encoding="utf-8")
    shot = tmp_path / "report.png"
    subprocess.run(
        ["chromium", "--headless", "--no-sandbox", f"--screenshot={shot}", page.as_uri()],
        check=True,
        capture_output=True,
        timeout=60,
    )
    assert shot.stat().st_size > 10_000
