"""Version identity: what counts as the same text."""

from __future__ import annotations

import hashlib
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


POLICY = (
    "# Privacy Policy\n\nRead our [cookie notice]({cookies}) or write to us at {contact} today.\n"
)


def policy(cookies: str, contact: str = "https://example.com/contact") -> str:
    return POLICY.format(cookies=cookies, contact=contact)


CLEAN = "https://example.com/cookies?lang=fr&v=2#table"


@pytest.mark.parametrize(
    "tracked",
    [
        "https://example.com/cookies?utm_source=news&lang=fr&v=2#table",
        "https://example.com/cookies?lang=fr&utm_medium=email&UTM_CAMPAIGN=q1&v=2#table",
        "https://example.com/cookies?lang=fr&v=2&fbclid=IwAR0abc#table",
        "https://example.com/cookies?gclid=x&dclid=y&msclkid=z&lang=fr&v=2#table",
        "https://example.com/cookies?lang=fr&mc_cid=1&mc_eid=2&v=2&_ga=2.1.3&_gl=1*x#table",
        "https://example.com/cookies?yclid=1&igshid=2&ref_src=twsrc&lang=fr&v=2#table",
        "https://example.com/cookies?lang=fr&sessionid=ab12&session_id=cd&v=2#table",
        "https://example.com/cookies?sid=9&PHPSESSID=f00&lang=fr&v=2&jsessionid=1#table",
        "https://example.com/cookies?ASPSESSIONIDQACTRSBD=XYZ&lang=fr&cfid=1&cftoken=2&v=2#table",
        "https://example.com/cookies?lang=fr&s_cid=em1&v=2#table",
        "https://example.com/cookies;jsessionid=0A1B2C3D?lang=fr&v=2#table",
        "https://example.com/cookies;JSESSIONID=0A1B?lang=fr&v=2&sid=4#table",
        "https://example.com/cookies;sessionid=abc?lang=fr&utm_term=x&v=2#table",
    ],
)
def test_tracking_and_session_parameters_in_links_are_ignored(tracked: str) -> None:
    assert identity_hash(policy(tracked)) == identity_hash(policy(CLEAN))


@pytest.mark.parametrize(
    ("tracked", "clean"),
    [
        ("https://example.com/privacy?utm_source=x", "https://example.com/privacy"),
        ("https://example.com/privacy?fbclid=a&gclid=b#top", "https://example.com/privacy#top"),
        ("https://example.com/privacy;jsessionid=ABC", "https://example.com/privacy"),
        ("www.example.com/contact?utm_campaign=spring", "www.example.com/contact"),
        ("/cookies?utm_source=footer", "/cookies"),
    ],
)
def test_empty_question_mark_is_dropped(tracked: str, clean: str) -> None:
    normalized = normalize_for_identity(policy(tracked))
    assert normalized == normalize_for_identity(policy(clean))
    assert f"]({clean})" in normalized


@pytest.mark.parametrize(
    ("tracked", "clean"),
    [
        ("https://example.com/c?utm_source=x&fbclid=2", "https://example.com/c"),
        ("www.example.com/c;jsessionid=A1?sid=2#f", "www.example.com/c#f"),
        ("http://example.com/c?a=1&gclid=3", "http://example.com/c?a=1"),
    ],
)
def test_bare_urls_are_cleaned(tracked: str, clean: str) -> None:
    normalized = normalize_for_identity(policy("/cookies", tracked))
    assert f"at {clean} today." in normalized


def test_bare_url_keeps_its_sentence_punctuation() -> None:
    tracked = "Write to https://example.com/contact?utm_source=mail. Or call."
    assert normalize_for_identity(tracked) == "Write to https://example.com/contact. Or call."


def test_link_title_is_kept() -> None:
    text = '[notice](https://example.com/n?utm_source=a&id=7 "Cookie notice")'
    assert normalize_for_identity(text) == '[notice](https://example.com/n?id=7 "Cookie notice")'


def test_other_parameters_keep_their_order_and_spelling() -> None:
    text = "[x](https://example.com/p?b=2&utm_source=q&a=1&c=%20&flag&b=3)"
    assert normalize_for_identity(text) == "[x](https://example.com/p?b=2&a=1&c=%20&flag&b=3)"


@pytest.mark.parametrize(
    "changed",
    [
        "https://example.com/cookies?lang=de&v=2#table",  # a real parameter's value
        "https://example.com/cookies?v=2&lang=fr#table",  # real parameters reordered
        "https://example.com/cookies?lang=fr#table",  # a real parameter removed
        "https://example.com/cookie-notice?lang=fr&v=2#table",  # the path
        "https://example.com/cookies?lang=fr&v=2#list",  # the fragment
        "https://example.com/cookies;version=3?lang=fr&v=2#table",  # a real path parameter
        "https://example.com/cookies?lang=fr&v=2&side=left#table",  # "side" is not "sid"
        "https://example.com/cookies?lang=fr&v=2&utm=1#table",  # "utm" is not "utm_*"
    ],
)
def test_changed_real_parameter_or_path_gives_different_hash(changed: str) -> None:
    assert identity_hash(policy(changed)) != identity_hash(policy(CLEAN))


def test_words_that_are_not_urls_are_untouched() -> None:
    text = "Why?sid=1 is not a link. Do we sell data? No; sid=2&utm_source=3 stays."
    assert normalize_for_identity(text) == text


def test_stored_text_is_not_changed_only_the_hash() -> None:
    tracked = policy("https://example.com/cookies?utm_source=x&lang=fr")
    assert "utm_source" in tracked
    assert sha256_text(tracked) != sha256_text(policy("https://example.com/cookies?lang=fr"))


@pytest.mark.parametrize(
    "text",
    [
        policy("https://example.com/c?utm_source=a&lang=fr;jsessionid=1", "www.x.org/?sid=1&"),
        "[a](/p;jsessionid=1;sessionid=2?utm_source=?utm_source=3&b=1) https://e.com/?&&",
        "x https://e.com/a?fbclid=1#frag?gclid=2 \u00a0 y\n\n\n z\u0301 \u200b",
        "https://e.com/?u=https://f.com/?utm_source=z&utm_medium=y&k=1.",
    ],
)
def test_normalize_with_urls_is_idempotent(text: str) -> None:
    once = normalize_for_identity(text)
    assert normalize_for_identity(once) == once


# Characters that build links, parameters and the whitespace around them, so that generated
# texts are full of near-URLs, empty parameters and tracking names in odd places.
_ALPHABET = st.sampled_from(
    ["https://", "www.", "e.com", "/", "?", "&", "=", "#", ";", "jsessionid", "utm_a", "sid",
     "lang", "fr", "](", "[", ")", " ", "\n", ".", ",", "\u00a0", "\u200b", "e\u0301", "x"]
)  # fmt: skip


@given(st.lists(_ALPHABET, max_size=40).map("".join))
@settings(max_examples=300, deadline=None)
def test_normalize_is_idempotent_on_generated_link_soup(text: str) -> None:
    once = normalize_for_identity(text)
    assert normalize_for_identity(once) == once
