"""Version identity: what counts as the same text."""

from __future__ import annotations

import hashlib
import unicodedata

import pytest

from tracker.extract.normalize import (
    count_words,
    identity_hash,
    normalize_for_identity,
    sha256_text,
)

BASE = "# Privacy Policy\n\nWe collect your name and email address.\n- cookies\n"


@pytest.mark.parametrize(
    "variant",
    [
        "# Privacy  Policy\n\nWe collect your\tname and email address.\n- cookies\n",
        "\n\n# Privacy Policy   \n\n\n\n  We collect your name and email address.\n- cookies",
        "# Privacy Policy\r\n\r\nWe collect your name and email address.\r\n- cookies\r\n",
        "# Privacy\u00a0Policy\n \u3000\nWe collect your name\u2003and email address.\n- cookies\n",
        "# Privacy \u200bPolicy\n\nWe collect your na\u200bme and\ufeff email address.\n"
        "- cookies\n",
        "\ufeff# Privacy Policy\n\nWe collect your name and email add\u00adress.\n- cookies\n",
    ],
)
def test_invisible_differences_give_equal_hashes(variant: str) -> None:
    assert identity_hash(variant) == identity_hash(BASE)


def test_nfc_and_nfd_give_equal_hashes() -> None:
    composed = "Donn\u00e9es personnelles trait\u00e9es \u00e0 Paris"
    decomposed = unicodedata.normalize("NFD", composed)
    assert composed != decomposed
    assert identity_hash(composed) == identity_hash(decomposed)


@pytest.mark.parametrize(
    "changed",
    [
        BASE.replace("email", "phone"),
        BASE.replace("collect", "do not collect"),
        BASE.replace("\n\nWe", "\nWe"),  # a paragraph break is structure, not whitespace
        BASE.replace("name and", "name, and"),
    ],
)
def test_changed_text_gives_different_hash(changed: str) -> None:
    assert identity_hash(changed) != identity_hash(BASE)


def test_normalized_form() -> None:
    text = "  \n\nA\u00a0 b  \n\n\n\n c\u200b\u200bd \n \n"
    assert normalize_for_identity(text) == "A b\n\ncd"


def test_normalize_is_idempotent() -> None:
    text = "x \u00a0 y\n\n\n z\u0301 \n"
    once = normalize_for_identity(text)
    assert normalize_for_identity(once) == once


def test_sha256_text_is_exact() -> None:
    assert sha256_text("caf\u00e9") == hashlib.sha256("caf\u00e9".encode()).hexdigest()
    assert sha256_text("a b") != sha256_text("a  b")
    assert identity_hash("a  b") == sha256_text("a b")


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", 0),
        ("# Privacy Policy", 2),
        ("We don't share e-mail addresses with example.com \u2014 ever.", 8),
        ("- item one\n- item two\n\nCategory | Retention", 6),
        ("Wir l\u00f6schen Ihre Daten nach 3.5 Jahren.", 7),
    ],
)
def test_count_words(text: str, words: int) -> None:
    assert count_words(text) == words
