"""Bytes of an archived page → text, for pages of any era.

Archived captures span decades: 2001 pages labelled ``iso-8859-1`` that really hold Windows-1252
curly quotes, undeclared legacy encodings, and modern UTF-8. We follow what browsers do (the
WHATWG Encoding standard) where it is well defined, and fall back to detection where it is not.
"""

from __future__ import annotations

import re

import charset_normalizer

# WHATWG label → Python codec, for the labels old pages actually use. Browsers read the whole
# latin1/ascii family as windows-1252, which is why 0x93/0x94 in an "iso-8859-1" page are curly
# quotes. The Japanese, Korean, Chinese and Big5 entries use the Python codec closest to the
# WHATWG decoder (the Microsoft supersets), so vendor extensions decode instead of failing.
_LABEL_GROUPS: dict[str, tuple[str, ...]] = {
    "utf-8": (
        "utf-8", "utf8", "unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8", "x-unicode20utf8",
    ),
    "utf-16-le": (
        "utf-16", "utf-16le", "unicode", "unicodefeff", "ucs-2", "iso-10646-ucs-2", "csunicode",
    ),
    "utf-16-be": ("utf-16be", "unicodefffe"),
    "cp1252": (
        "windows-1252", "cp1252", "x-cp1252", "iso-8859-1", "iso8859-1", "iso88591",
        "iso_8859-1", "iso_8859-1:1987", "iso-ir-100", "latin1", "l1", "csisolatin1",
        "ibm819", "cp819", "us-ascii", "ascii", "ansi_x3.4-1968",
    ),
    "cp1254": (
        "windows-1254", "cp1254", "x-cp1254", "iso-8859-9", "iso8859-9", "iso88599",
        "iso_8859-9", "iso_8859-9:1989", "iso-ir-148", "latin5", "l5", "csisolatin5",
    ),
    "cp874": ("windows-874", "dos-874", "tis-620", "iso-8859-11", "iso8859-11", "iso885911"),
    "cp932": (
        "shift_jis", "shift-jis", "sjis", "x-sjis", "ms_kanji", "ms932", "windows-31j",
        "csshiftjis",
    ),
    "euc_jp": ("euc-jp", "x-euc-jp", "cseucpkdfmtjapanese"),
    "iso2022_jp": ("iso-2022-jp", "csiso2022jp"),
    "cp949": (
        "euc-kr", "cseuckr", "csksc56011987", "iso-ir-149", "korean", "ks_c_5601-1987",
        "ks_c_5601-1989", "ksc5601", "ksc_5601", "windows-949",
    ),
    "gb18030": (
        "gb18030", "gbk", "x-gbk", "gb2312", "gb_2312", "gb_2312-80", "chinese", "csgb2312",
        "csiso58gb231280", "iso-ir-58",
    ),
    "big5hkscs": ("big5", "big5-hkscs", "cn-big5", "csbig5", "x-x-big5"),
    "koi8_r": ("koi8-r", "koi8_r", "koi8", "koi", "cskoi8r"),
    "koi8_u": ("koi8-u", "koi8-ru"),
    "iso8859_2": (
        "iso-8859-2", "iso8859-2", "iso88592", "iso_8859-2", "iso_8859-2:1987", "iso-ir-101",
        "latin2", "l2", "csisolatin2",
    ),
    "iso8859_15": ("iso-8859-15", "iso8859-15", "iso885915", "iso_8859-15", "l9", "csisolatin9"),
}  # fmt: skip


def _build_labels() -> dict[str, str]:
    labels = {label: codec for codec, group in _LABEL_GROUPS.items() for label in group}
    for number in range(1250, 1259):
        for label in (f"windows-{number}", f"cp{number}", f"x-cp{number}"):
            labels.setdefault(label, f"cp{number}")
    return labels


_LABELS = _build_labels()

_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
_HTTP_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([^"';,\s]+)""", re.IGNORECASE)
# One pattern covers both <meta charset=…> and <meta http-equiv … content="…; charset=…">.
_META_CHARSET = re.compile(rb"""<meta\b[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_META_SCAN_BYTES = 4096
_UTF16_SNIFF_BYTES = 4096

# Python's cp1252 leaves 0x81, 0x8D, 0x8F, 0x90 and 0x9D undefined; WHATWG maps them to the C1
# controls of the same value, so windows-1252 decoding never fails. Decoding as latin-1 and then
# remapping 0x80-0x9F gives exactly the WHATWG result.
_CP1252_C1: dict[int, str] = {
    byte: bytes([byte]).decode("cp1252", errors="ignore") or chr(byte) for byte in range(0x80, 0xA0)
}


def charset_of(content_type: str | None) -> str | None:
    """Return the charset label of an HTTP Content-Type, lower-cased and unquoted, or None."""
    if not content_type:
        return None
    match = _HTTP_CHARSET.search(content_type)
    return match.group(1).lower() if match else None


def decode_body(body: bytes, content_type: str | None) -> str:
    """Decode an archived page's bytes to text; never raises.

    Order: byte-order mark, HTTP charset, ``<meta>`` charset in the first 4 KB, strict UTF-8,
    nearly-UTF-8 (a few stray bytes), a detector, and windows-1252 as the last resort. Unknown
    labels, and declared labels the bytes do not decode under, fall through to the next step.
    """
    for bom, codec in _BOMS:
        if body.startswith(bom):
            return body[len(bom) :].decode(codec, errors="replace")
    declared = [_codec_for(charset_of(content_type)), _meta_codec(body)]
    for codec in declared:
        text = _try_decode(body, codec) if codec else None
        if text is not None:
            return text
    codec = _utf16_without_bom(body)
    text = _try_decode(body, codec or "utf-8")
    if text is not None:
        return text
    if _mostly_utf8(body):
        return body.decode("utf-8", errors="replace")
    detected = _detect(body)
    return detected if detected is not None else _decode_cp1252(body)


def _codec_for(label: str | None) -> str | None:
    """Map a charset label to a Python codec as WHATWG does; None for unknown labels."""
    if not label:
        return None
    return _LABELS.get(label.strip().strip("\"'").lower())


def _meta_codec(body: bytes) -> str | None:
    """Return the codec named by a ``<meta>`` charset declaration near the top of the page."""
    match = _META_CHARSET.search(body[:_META_SCAN_BYTES])
    if not match:
        return None
    codec = _codec_for(match.group(1).decode("ascii"))
    # A page readable as ASCII bytes cannot really be UTF-16; WHATWG reads such a claim as UTF-8.
    if codec in ("utf-16-le", "utf-16-be"):
        return "utf-8"
    return codec


def _try_decode(body: bytes, codec: str) -> str | None:
    """Decode strictly, or return None so the caller can try the next step."""
    if codec == "cp1252":
        return _decode_cp1252(body)
    try:
        return body.decode(codec)
    except UnicodeDecodeError:
        return None


def _decode_cp1252(body: bytes) -> str:
    """Decode as WHATWG windows-1252, which has a character for every byte."""
    return body.decode("latin-1").translate(_CP1252_C1)


def _utf16_without_bom(body: bytes) -> str | None:
    """``utf-16-le`` or ``-be`` for UTF-16 text that lost its byte-order mark, else None.

    Such text (of Latin script) has a NUL in every other byte and only there; as UTF-8 it
    would decode "fine", NULs and all, and then be taken for binary data.
    """
    sample = body[: _UTF16_SNIFF_BYTES - _UTF16_SNIFF_BYTES % 2]
    pairs = len(sample) // 2
    if pairs < 8:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd >= pairs * 0.4 and even <= pairs * 0.02:
        return "utf-16-le"
    if even >= pairs * 0.4 and odd <= pairs * 0.02:
        return "utf-16-be"
    return None


def _mostly_utf8(body: bytes) -> bool:
    """Whether the body is UTF-8 text with only a few stray bytes.

    Pages assembled from pieces often carry a single pasted windows-1252 byte among hundreds of
    valid UTF-8 characters; reading the whole page as a legacy encoding would garble all of them.
    """
    text = body.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = sum(1 for char in text if char > "\x7f") - bad
    # Genuine legacy text almost never forms valid UTF-8 sequences, so even a modest majority of
    # valid ones is decisive.
    return good > 0 and bad * 3 <= good


def _detect(body: bytes) -> str | None:
    """Guess the encoding with charset-normalizer, preferring windows-1252 on a tie.

    Short Western texts decode identically under several Latin code pages, and the detector's
    pick among them is arbitrary (it often says cp1250, which turns à into ŕ). Browsers default
    to windows-1252, so it wins whenever it is as plausible as the best guess.
    """
    # Declarations were already tried (and failed) above; the detector should only guess.
    matches = charset_normalizer.from_bytes(body, preemptive_behaviour=False)
    best = matches.best()
    if best is None:
        return None
    for match in matches:
        as_good = (match.chaos, -match.coherence) <= (best.chaos, -best.coherence)
        if as_good and "cp1252" in match.could_be_from_charset:
            return _decode_cp1252(body)
    return str(best)
