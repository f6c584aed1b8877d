"""Hostile bodies at the extraction level: sizes, depths and bytes that are not text."""

from __future__ import annotations

import gzip
import io
import random
import time
import zipfile
from pathlib import Path

import pytest
from scenarios import V1, page

from tracker.errors import ExtractError
from tracker.extract import assess, decode_body, extract
from tracker.extract.quality import binary_data

FIXTURES = Path(__file__).parent.parent / "extract" / "fixtures"
POLICY = page("Privacy", V1)


def _judge(body: bytes, content_type: str | None = "text/html") -> tuple[str, str | None]:
    extracted = extract(body, content_type)
    reason = assess(extracted.text, title=extracted.title, html=extracted.html)
    return extracted.text, reason


@pytest.mark.parametrize(
    ("opening", "closing"),
    [("<div>", "</div>"), ("<b>", "</b>"), ("<ul><li>", "</li></ul>"), ("<table><tr><td>", "")],
)
def test_10000_deep_nesting_is_an_extract_error_not_a_recursion_error(
    opening: str, closing: str
) -> None:
    body = f"<html><body>{opening * 10_000}We collect data.{closing * 10_000}</body></html>"
    with pytest.raises(ExtractError, match="nested more than 255 elements deep"):
        extract(body.encode(), "text/html")


def test_a_5mb_single_line_paragraph_extracts_in_reasonable_time() -> None:
    line = "We collect your name and share it with partners. " * 105_000
    body = f"<html><body><h1>Privacy</h1><p>{line}</p></body></html>".encode()
    assert len(body) > 5_000_000
    started = time.process_time()
    text, reason = _judge(body)
    assert time.process_time() - started < 5  # CPU seconds (load-proof); 0.5 s here
    assert reason is None and text.count("\n") == 3  # heading, blank line, one paragraph


def test_a_5mb_word_is_judged_on_its_start_only() -> None:
    # Fewer words than a short page, so wall and vocabulary checks run: on the first
    # 500,000 characters, not on megabytes of one "word" (2.8 s before, 0.8 s now).
    body = f"<html><body><p>{'x' * 5_000_000}</p></body></html>".encode()
    started = time.process_time()
    text, reason = _judge(body)
    assert time.process_time() - started < 5  # CPU seconds, whatever the load
    assert reason == "near-empty page (1 word)" and len(text) > 5_000_000


def test_an_11mb_text_run_is_refused_not_cut_short() -> None:
    body = f"<html><body><p>{'word ' * 2_200_000}</p></body></html>".encode()
    with pytest.raises(ExtractError, match="too large for the HTML parser"):
        extract(body, "text/html")


def _zip(data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("privacy.html", data)
    return out.getvalue()


BINARIES = {
    "gzip": gzip.compress(POLICY.encode()),
    "zip": _zip(POLICY.encode()),
    "png": b"\x89PNG\r\n\x1a\n" + random.Random(1).randbytes(5000),
    "random": random.Random(2).randbytes(5000),
    "nul padded": POLICY.encode().replace(b" ", b"\x00"),
}


@pytest.mark.parametrize("name", BINARIES)
@pytest.mark.parametrize("content_type", ["text/html", "text/plain"])
def test_binary_bodies_are_rejected_whatever_their_label(name: str, content_type: str) -> None:
    _, reason = _judge(BINARIES[name], content_type)
    assert reason is not None and reason.startswith("binary data, not a text page"), reason


@pytest.mark.parametrize("path", sorted((FIXTURES / "eras").glob("*.html")), ids=lambda p: p.name)
def test_real_pages_are_not_taken_for_binary(path: Path) -> None:
    extracted = extract(path.read_bytes(), "text/html")
    assert binary_data(extracted.html or extracted.text) is None


def test_a_few_stray_nul_and_control_bytes_are_not_binary() -> None:
    body = POLICY.replace("collect", "coll\x00ect", 1).replace("sell", "\x1bsell\x07", 1)
    text, reason = _judge(body.encode())
    assert reason is None and "We never sell your data." in text


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_byte_order_mark_is_read_not_taken_for_binary(codec: str) -> None:
    body = POLICY.replace("Privacy", "Privacy \u00e9t\u00e9 \u2014 \u041f\u0440\u0438").encode(
        codec
    )
    assert decode_body(body, "text/html") == POLICY.replace(
        "Privacy", "Privacy \u00e9t\u00e9 \u2014 \u041f\u0440\u0438"
    )
    text, reason = _judge(body)
    assert reason is None and "We never sell your data." in text
