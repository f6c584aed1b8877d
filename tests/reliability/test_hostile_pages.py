"""Hostile page bodies, end to end: the local archive serves them, `redline backfill` reads them.

Each case puts a good capture first and the hostile one after it, then checks what the
capture log says (a version with sane text, or a rejection with a clear reason), that the
command printed its summary without a traceback, and that the good version is intact.
"""

from __future__ import annotations

import gzip
import json
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from click.testing import Result
from scenarios import URL, V1, page

from tracker.archive import ArchiveServer, CaptureSpec

GOOD = page("Privacy", V1).encode()
FIRST, SECOND, THIRD = "20200101000000", "20200201000000", "20200301000000"
Invoke = Callable[..., Result]


@dataclass(frozen=True)
class Backfilled:
    """What a backfill printed and what the capture log holds afterwards."""

    result: Result
    captures: list[dict[str, Any]]
    versions: list[dict[str, Any]]

    def outcome(self, timestamp: str) -> tuple[str, str | None]:
        """(outcome, reason) of the capture at ``timestamp``."""
        row = next(c for c in self.captures if c["timestamp"] == timestamp)
        return row["outcome"], row["reason"]


@pytest.fixture
def backfill(run: Invoke, archive: ArchiveServer) -> Callable[..., Backfilled]:
    """Serve GOOD then each (body, content type) a month apart, and backfill them."""

    def go(*hostile: tuple[bytes, str | None]) -> Backfilled:
        stamps = [FIRST, SECOND, THIRD]
        for stamp, (body, kind) in zip(stamps, [(GOOD, "text/html"), *hostile], strict=False):
            archive.store.add(CaptureSpec(url=URL, timestamp=stamp, body=body, content_type=kind))
        assert run("add", "acme", URL, "--archive", archive.base_url).exit_code == 0
        result = run("backfill", "acme")
        assert result.exit_code == 0, result.output
        assert "Traceback" not in result.output and "error:" not in result.output
        assert result.stdout.startswith("acme: "), result.stdout
        log = json.loads(run("log", "acme", "--all", "--json").stdout)
        assert log["versions"][0]["first_seen"] == "2020-01-01T00:00:00Z"  # the good one stays
        return Backfilled(result, log["captures"], log["versions"])

    return go


def text_of(run: Invoke, ref: str) -> str:
    """A stored version's exact text, as `redline show` pipes it."""
    result = run("show", ref)
    assert result.exit_code == 0, result.output
    return result.stdout_bytes.decode("utf-8")


def _policy_page(extra: str = "") -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in V1)
    return f"<html><head><title>Privacy</title></head><body>{extra}{paragraphs}</body></html>"


def test_random_binary_served_as_html_is_rejected_as_binary(backfill: Callable) -> None:
    noise = random.Random(8).randbytes(40_000)
    done = backfill((noise, "text/html"))
    outcome, reason = done.outcome(SECOND)
    assert outcome == "rejected" and reason.startswith("binary data, not a text page"), reason
    assert len(done.versions) == 1


def test_gzip_body_served_as_html_is_rejected_as_binary(backfill: Callable) -> None:
    # Archives sometimes keep a compressed body without its Content-Encoding header.
    done = backfill((gzip.compress(page("Privacy", [*V1, "More."]).encode()), "text/html"))
    outcome, reason = done.outcome(SECOND)
    assert outcome == "rejected" and reason.startswith("binary data"), reason


def test_image_capture_is_rejected_for_its_type(backfill: Callable) -> None:
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20
    done = backfill((png, "image/png"))
    assert done.outcome(SECOND) == ("rejected", "unsupported content type 'image/png'")


def test_nul_bytes_in_a_page_are_dropped_and_the_text_kept(backfill: Callable, run: Invoke) -> None:
    body = _policy_page().replace("We never", "We\x00 never\x00").encode() + b"\x00\x00"
    done = backfill((body, "text/html"))
    assert done.outcome(SECOND) == ("new", None)
    text = text_of(run, "acme@2")
    assert "\x00" not in text and "We never sell your data." in text


def test_invalid_utf8_in_a_page_declared_utf8_gives_sane_text(
    backfill: Callable, run: Invoke
) -> None:
    body = _policy_page('<meta charset="utf-8"><p>Caf\u00e9 BAD ok</p>').encode()
    done = backfill((body.replace(b"BAD", b"\xff\xfe\xc3"), "text/html; charset=utf-8"))
    assert done.outcome(SECOND)[0] == "new"
    text = text_of(run, "acme@2")
    assert "We never sell your data." in text and "ok" in text
    text.encode("utf-8", errors="strict")  # stored as valid Unicode


def test_page_nested_10000_deep_is_rejected_not_truncated(backfill: Callable) -> None:
    # libxml2 stops at depth 256 and silently drops the rest: that would be a cut-short version.
    deep = "<div>" * 10_000 + "".join(f"<p>{p}</p>" for p in V1) + "</div>" * 10_000
    done = backfill((f"<html><body>{deep}</body></html>".encode(), "text/html"))
    outcome, reason = done.outcome(SECOND)
    assert outcome == "rejected" and "nested more than 255 elements deep" in reason, reason


def test_page_nested_250_deep_is_read_without_recursion_error(
    backfill: Callable, run: Invoke
) -> None:
    quoted = "<blockquote>" * 250 + "We may sell your data." + "</blockquote>" * 250
    done = backfill((_policy_page(quoted).encode(), "text/html"))
    assert done.outcome(SECOND)[0] == "new"
    assert "We may sell your data." in text_of(run, "acme@2")


def test_page_of_only_scripts_is_rejected_as_near_empty(backfill: Callable) -> None:
    scripts = "".join(f"<script>document.write('privacy {n}')</script>" for n in range(500))
    body = f"<html><head><script src=a.js></script></head><body>{scripts}</body></html>"
    done = backfill((body.encode(), "text/html"))
    assert done.outcome(SECOND) == ("rejected", "near-empty page (0 words)")


def test_minified_5mb_single_line_page_is_read_quickly(backfill: Callable, run: Invoke) -> None:
    blob = "A" * 2_700_000  # an inline base64 image and a bundled script on the same line
    script = "var x=" + "1+" * 1_200_000 + "1;"
    line = _policy_page(f'<img src="data:image/png;base64,{blob}"><script>{script}</script>')
    body = line.replace("\n", "").encode()
    assert len(body) > 5_000_000 and b"\n" not in body
    started = time.process_time()
    done = backfill((body, "text/html"))
    assert time.process_time() - started < 5  # CPU seconds, whatever the load
    assert done.outcome(SECOND) == ("new", None)
    text = text_of(run, "acme@2")
    assert "We never sell your data." in text and "AAAA" not in text and "1+1" not in text
    assert len(text) < 2000


def test_crlf_cr_and_mixed_line_endings_are_the_same_version(
    backfill: Callable, run: Invoke
) -> None:
    lines = "\n".join(f"<p>{p}</p>" for p in V1)
    crlf = f"<html><body>\r\n<h1>Privacy</h1>\r\n{lines.replace(chr(10), chr(13) + chr(10))}"
    mixed = f"<html><body>\r<h1>Privacy</h1>\n{lines.replace(chr(10), chr(13), 1)}\r\n"
    done = backfill((crlf.encode(), "text/html"), (mixed.encode(), "text/html"))
    assert [done.outcome(t)[0] for t in (SECOND, THIRD)] == ["same", "same"]
    assert "\r" not in text_of(run, "acme@1")


def test_plain_text_with_mixed_line_endings_has_no_carriage_returns(
    backfill: Callable, run: Invoke
) -> None:
    text = "Privacy\r\n\r\n" + "\r\n\r\n".join(V1[:2]) + "\r\rWe never sell your data.\n"
    done = backfill((text.encode(), "text/plain"))
    assert done.outcome(SECOND)[0] == "new"
    stored = text_of(run, "acme@2")
    assert "\r" not in stored and stored.count("\n\n") == 3


RTL = "\u05de\u05d3\u05d9\u05e0\u05d9\u05d5\u05ea \u05e4\u05e8\u05d8\u05d9\u05d5\u05ea"  # Hebrew
ARABIC = "\u0633\u064a\u0627\u0633\u0629 \u0627\u0644\u062e\u0635\u0648\u0635\u064a\u0629"


def test_right_to_left_and_zero_width_characters(backfill: Callable, run: Invoke) -> None:
    bidi = f"<p>{RTL} \u200f{ARABIC}\u200e and \u202etxet desrever\u202c here.</p>"
    first = _policy_page(bidi)
    # The same page with invisible characters inside words: it reads the same, so it is
    # the same version, not a change nobody can see.
    invisible = first.replace("never", "ne\u200bver").replace("sell", "s\u00adell\u2060")
    done = backfill((first.encode(), "text/html"), (invisible.encode(), "text/html"))
    assert [done.outcome(t)[0] for t in (SECOND, THIRD)] == ["new", "same"]
    stored = text_of(run, "acme@2")
    assert f"{RTL} \u200f{ARABIC}\u200e and \u202etxet desrever\u202c here." in stored


HOSTILE_TEXT = (
    "We share data \x1b[2J\x1b]0;owned\x07 with \x1b]52;c;ZXZpbA==\x07 partners. "
    "Markup [bold red]stays[/] and [link=https://evil.example]text[/link]."
)


def test_escape_sequences_and_markup_are_stored_exactly(backfill: Callable, run: Invoke) -> None:
    # HTML cannot carry them (the parser drops control characters); plain text can.
    done = backfill(("\n\n".join([*V1, HOSTILE_TEXT]).encode(), "text/plain"))
    assert done.outcome(SECOND)[0] == "new"
    assert HOSTILE_TEXT in text_of(run, "acme@2")  # piped output is exact
