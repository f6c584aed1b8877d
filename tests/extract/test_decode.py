"""decode_body: the byte-to-text step for archived pages of every era."""

from __future__ import annotations

import pytest

from tracker.extract.decode import charset_of, decode_body

# A 2001-style paragraph typed in a Windows editor: smart quotes, an em dash, an accent.
PARAGRAPH_2001 = (
    "At Example.com we\u2019re committed to protecting your privacy \u2014 we call it our "
    "\u201cno surprises\u201d promise. We will never sell the personal information you give us "
    "when you sign up for our caf\u00e9 newsletter, and we don\u2019t share it with anyone."
)
RUSSIAN = "Политика конфиденциальности. Мы уважаем вашу частную жизнь."
JAPANESE = "プライバシーポリシー。当社はお客様の個人情報を大切に取り扱います。"


@pytest.mark.parametrize(
    ("content_type", "expected"),
    [
        (None, None),
        ("text/html", None),
        ("text/html; charset=UTF-8", "utf-8"),
        ('text/html; charset="ISO-8859-1"', "iso-8859-1"),
        ("text/html;charset=windows-1252; foo=bar", "windows-1252"),
    ],
)
def test_charset_of(content_type: str | None, expected: str | None) -> None:
    assert charset_of(content_type) == expected


def test_utf8_bom_wins_over_http_charset() -> None:
    body = b"\xef\xbb\xbf" + "caf\u00e9 \u201cquoted\u201d".encode()
    assert decode_body(body, "text/html; charset=iso-8859-1") == "caf\u00e9 \u201cquoted\u201d"


@pytest.mark.parametrize(("bom", "codec"), [(b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")])
def test_utf16_boms(bom: bytes, codec: str) -> None:
    text = "<p>Privacy \u201cpolicy\u201d \u00e9</p>"
    assert decode_body(bom + text.encode(codec), "text/html; charset=utf-8") == text


def test_http_charset_is_used() -> None:
    assert decode_body(RUSSIAN.encode("koi8-r"), "text/html; charset=KOI8-R") == RUSSIAN


# Latin-9 puts the euro sign at 0xA4, where windows-1252 has the currency sign "¤".
LATIN9 = "Le prix est de 5 \u20ac par mois ; vos donn\u00e9es sont prot\u00e9g\u00e9es."


@pytest.mark.parametrize(
    "meta",
    [
        b'<meta charset="iso-8859-15">',
        b"<META HTTP-EQUIV='Content-Type' CONTENT='text/html; charset=ISO-8859-15'>",
        b'<meta content="text/html; charset=iso_8859-15" http-equiv="content-type" />',
    ],
)
def test_meta_charset_both_forms(meta: bytes) -> None:
    body = b"<html><head>" + meta + b"</head><body>" + LATIN9.encode("iso-8859-15")
    assert LATIN9 in decode_body(body, "text/html")


def test_meta_charset_beyond_first_4kb_is_ignored() -> None:
    body = b"<!--" + b" " * 5000 + b'--><meta charset="koi8-r"><p>caf\xc3\xa9</p>'
    assert decode_body(body, None).endswith("<p>caf\u00e9</p>")


def test_http_charset_beats_meta() -> None:
    body = b'<meta charset="utf-8"><p>' + RUSSIAN.encode("cp1251")
    assert RUSSIAN in decode_body(body, "text/html; charset=windows-1251")


@pytest.mark.parametrize("label", ["iso-8859-1", "ISO8859-1", "latin1", "us-ascii", "l1"])
def test_latin1_labels_read_as_windows_1252(label: str) -> None:
    body = b"We \x93respect\x94 your privacy \x97 it\x92s the law."
    expected = "We \u201crespect\u201d your privacy \u2014 it\u2019s the law."
    assert decode_body(body, f"text/html; charset={label}") == expected


def test_windows_1252_undefined_bytes_do_not_fail() -> None:
    # WHATWG maps the five bytes Python's cp1252 leaves undefined to C1 controls.
    assert decode_body(b"a\x81b\x93c", "text/html; charset=iso-8859-1") == "a\x81b\u201cc"


def test_undeclared_cp1252_page() -> None:
    body = ("<html><body><p>" + PARAGRAPH_2001 + "</p></body></html>").encode("cp1252")
    assert PARAGRAPH_2001 in decode_body(body, "text/html")


def test_undeclared_cp1252_french_not_read_as_central_european() -> None:
    # A detector alone guesses cp1250 here, which would turn "à" into "ŕ".
    french = (
        "Les donn\u00e9es collect\u00e9es \u00e0 partir de ce site ne sont pas c\u00e9d\u00e9es"
    )
    french += " \u00e0 des tiers. Tr\u00e8s important : fen\u00eatre, gar\u00e7on, \u00e8re."
    assert decode_body(french.encode("cp1252"), None) == french


def test_undeclared_utf8() -> None:
    text = "Datenschutzerkl\u00e4rung \u2014 \u201cPrivacy\u201d \u00e9 \u65e5\u672c"
    assert decode_body(text.encode("utf-8"), None) == text


def test_unknown_label_falls_through_to_utf8() -> None:
    text = "Caf\u00e9 \u201cprivacy\u201d"
    assert decode_body(text.encode(), "text/html; charset=x-no-such-thing") == text


def test_unknown_http_label_falls_through_to_meta() -> None:
    body = b'<meta charset="koi8-r">' + RUSSIAN.encode("koi8-r")
    assert RUSSIAN in decode_body(body, "text/html; charset=bogus")


def test_declared_label_that_does_not_decode_falls_through() -> None:
    # Declared UTF-8, but the bytes are a windows-1252 page.
    body = PARAGRAPH_2001.encode("cp1252")
    assert decode_body(body, "text/html; charset=utf-8") == PARAGRAPH_2001


def test_meta_claiming_utf16_is_read_as_utf8() -> None:
    text = '<meta charset="utf-16"><p>caf\u00e9s</p>'
    body = text.encode()
    assert len(body) % 2 == 0  # so a UTF-16 reading would not fail and fall through by luck
    assert decode_body(body, None) == text


def test_mostly_utf8_keeps_utf8_with_one_replacement() -> None:
    text = (
        "\u201cWe\u201d \u2014 caf\u00e9, na\u00efve, \u00fcber, r\u00e9sum\u00e9, \u00e0 la carte"
    )
    body = text.encode() + b" stray \x92 byte"
    assert decode_body(body, None) == text + " stray \ufffd byte"


def test_shift_jis_declared() -> None:
    body = JAPANESE.encode("shift_jis")
    assert decode_body(body, "text/html; charset=Shift_JIS") == JAPANESE


def test_sjis_label_accepts_windows_extensions() -> None:
    # Small roman numerals are vendor extensions: browsers decode them, strict shift_jis does not
    # (and on so short a text the detector cannot rescue it).
    text = "\u2170 お客様の情報"
    assert decode_body(text.encode("cp932"), "text/html; charset=sjis") == text


def test_last_resort_never_raises() -> None:
    assert isinstance(decode_body(bytes(range(256)), None), str)
