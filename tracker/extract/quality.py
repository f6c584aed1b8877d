"""Quality gate: is an extracted capture the policy, or something the archive caught instead?

The Wayback Machine faithfully records whatever the server answered with HTTP 200: "page not
found" pages, bot checks, login walls, a home page the policy URL redirected to inside a script.
Such a capture must be recorded as rejected with a reason, never become a version.

Two rules keep real policies from being rejected. Only short pages can be walls or error pages:
a long policy that mentions "access denied" or "404" in passing is read, not judged by the
phrase. And a short page that reads like a policy (several policy words, several kinds of them)
is judged only by where a wall phrase sits (title, headings), not by a phrase somewhere in its
body. Only a handful of markers that no policy page carries reject a page of any length.
"""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass

from tracker.extract.normalize import count_words


@dataclass(frozen=True)
class QualityThresholds:
    """Word counts the gate works with.

    ``min_words``: fewer words than this is a near-empty page. ``short_page_words``: wall, error
    page and "not a policy" signals only count on pages shorter than this.
    """

    min_words: int = 40
    short_page_words: int = 400


DEFAULT_THRESHOLDS = QualityThresholds()


@dataclass(frozen=True)
class _Signal:
    """A pattern and the reason given when it is found; ``{}`` in the reason is the match."""

    pattern: re.Pattern[str]
    reason: str


def _signals(reason: str, *patterns: str) -> tuple[_Signal, ...]:
    return tuple(_Signal(re.compile(p, re.IGNORECASE), reason) for p in patterns)


_APOS = "['’]"
_CLOUDFLARE = "bot check (Cloudflare challenge)"
_BOT = 'bot check ("{}")'
_DENIED = "access denied page"
_ERROR = 'looks like an error page ("{}")'
_LOGIN = 'login wall ("{}")'

# Markers no policy page carries, so they reject a page of any length. Cloudflare's challenge
# pages are titled "Just a moment..." (managed challenge) or "Attention Required! | Cloudflare"
# (block and captcha pages) and carry the challenge form and its options object.
_STRONG_TITLE = _signals(_CLOUDFLARE, r"^just a moment\b", r"attention required!? \| cloudflare")
_STRONG_MARKUP = _signals(
    _CLOUDFLARE,
    r"cf-browser-verification",
    r"\bcf-challenge\b",
    r"_cf_chl_opt",
    r"\bcf_chl_",
    r"""id=["']?challenge-form\b""",
)

# Phrases of walls and error pages, checked in this order (most specific first). Haystacks have
# their whitespace collapsed, so a single space in a pattern stands for any whitespace.
_PHRASES = (
    *_signals(
        _CLOUDFLARE,
        r"checking your browser before accessing",
        r"enable javascript and cookies to continue",
        r"performance (?:&|and) security by cloudflare",
    ),
    *_signals(
        _BOT,
        r"unusual traffic from your computer network",
        rf"(?:verify|confirm|prove) (?:that )?you(?: are|{_APOS}re) (?:a )?human",
        rf"(?:verify|confirm|prove) (?:that )?you(?: are|{_APOS}re) not a robot",
        r"are you a robot",
        r"press (?:&|and) hold",
        r"pardon our interruption",
        r"complete the security check",
        r"request blocked",
        r"incapsula incident id",
    ),
    *_signals(
        _DENIED,
        r"access denied",
        rf"you don{_APOS}t have permission to access",
        r"403 forbidden",
        r"reference #\d+\.[0-9a-f]+\.\d+\.[0-9a-f]+",  # Akamai's error reference
    ),
    *_signals(
        _ERROR,
        r"page not found",
        r"404 not found",
        r"error 404|404 error|fehler 404",
        r"the page you (?:requested|are looking for|were looking for|tried to access)(?: \w+){0,2}"
        rf" (?:could not|cannot|can{_APOS}t|couldn{_APOS}t) be found",
        r"the page you (?:requested|are looking for|were looking for)(?: \w+){0,2}"
        rf" (?:does not|doesn{_APOS}t) exist",
        r"the page you (?:requested|are looking for|were looking for)(?: \w+){0,2}"
        r" (?:is no longer available|was not found|has been (?:re)?moved)",
        rf"we (?:can{_APOS}t|cannot|couldn{_APOS}t|could not) find (?:that|the|this) page",
        rf"(?:this|that) page (?:does not|doesn{_APOS}t) exist",
        rf"page (?:cannot|can{_APOS}t|could not) be found",
        r"the requested url \S+ was not found on this server",
        r"seite nicht gefunden|page introuvable|p[áa]gina no encontrada|pagina non trovata",
    ),
    *_signals(
        _LOGIN,
        r"(?:sign|log)[- ]?in to (?:continue|view|access|see|read)\b",
        r"please (?:sign|log)[- ]?in\b",
        r"you (?:must|need to) (?:be )?(?:signed|logged) in\b",
        r"you (?:must|need to) (?:sign|log)[- ]?in\b",
        r"login required|authentication required",
        r"bitte melden sie sich an|connectez-vous pour continuer",
    ),
)
# A title is short and about the page itself, so bare words count there.
_TITLE_ONLY = (
    *_signals(_ERROR, r"\b404\b"),
    *_signals(_DENIED, r"\b403\b", r"^forbidden\b"),
    *_signals(_LOGIN, r"^(?:sign[- ]?in|log[- ]?in)\b"),
)
# Markup of bot-check vendors, checked before phrases so the reason names the vendor. Weak:
# Cloudflare's bot-detection script is served from challenge-platform/…/scripts/jsd/ on ordinary
# pages (excluded here), and AWS WAF's integration script can load on any page of a site.
_VENDOR_MARKUP = (
    *_signals(_CLOUDFLARE, r"challenge-platform(?!/(?:h/[a-z]/)?scripts/jsd/)"),
    *_signals("bot check (AWS WAF)", r"awswaf|aws-waf-token"),
    *_signals("bot check (Imperva)", r"_incapsula_resource"),
    *_signals("bot check (PerimeterX)", r"px-captcha"),
)
# Widgets that real policy pages carry too (reCAPTCHA on a contact form, a login box in the
# header); on a short page with nothing else to say they are the page.
_FORM_MARKUP = (
    *_signals("bot check (CAPTCHA)", r"\bg-recaptcha\b", r"recaptcha/api", r"\bh-captcha\b"),
    *_signals("login wall (password form)", r"""<input\b[^>]*\btype\s*=\s*["']?password\b"""),
)

# Policy vocabulary, one pattern per kind of word, in the languages policies are archived in.
# A home page or an error page's footer says "Privacy" once; a policy says these many times.
_VOCABULARY = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        r"\bprivacy|\bprivacidad|\bprivacidade|\bconfidentialit[ée]|\bvie priv[ée]e"
        r"|\briservatezza",
        r"\bpersonal (?:data|information)|\bpersonally identifiable|\bdonn[ée]es personnelles"
        r"|\bdonn[ée]es [àa] caract[èe]re personnel|\bpersonenbezogen|\bdatos personales"
        r"|\bdati personali|\bdados pessoais|\bpersoonsgegevens",
        r"\bcookies?\b",
        r"\bcollect(?:s|ed|ing)?\b|\b(?:data|information) collection\b"
        r"|\bcollect(?:e|ons|ées?|és?)\b|\berhebe?n\b|\berhoben\b|\brecopila\w*|\braccolt\w*",
        r"\bdata protection\b|\bdatenschutz|\bprotection des donn[ée]es|\bprotecci[óo]n de datos"
        r"|\bgegevensbescherming|\bgdpr\b|\bdsgvo\b|\brgpd\b|\bccpa\b|\blgpd\b",
        r"\bthird[- ]part(?:y|ies)\b|\bdritt(?:e|en|anbieter\w*)\b|\bterceros\b|\bterzi\b",
        r"\bopt[- ]out\b|\bconsent\w*|\beinwilligung\w*|\bconsentimiento\b",
        r"\bretention\b|\bretain(?:ed)?\b|\bdisclos(?:e|es|ed|ure)\b|\bip address(?:es)?\b",
        r"個人情報|个人信息|個人資料|隐私|隱私|プライバシー|개인\s?정보",
    )
)
_POLICY_LIKE_HITS = 5  # words of the vocabulary, counted with repeats…
_POLICY_LIKE_KINDS = 3  # …and of this many different kinds, for a short page to read as a policy
_HOME_PAGE_HITS = 2  # fewer than this on a short page: not a policy at all

# Chinese and Japanese are written without spaces, so count_words sees a sentence as one word.
# Two ideographs or kana make about one word. (Korean separates words and is counted normally.)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+(.+)$", re.MULTILINE)
_HIDDEN_MARKUP = re.compile(r"<(script|style|template)\b.*?</\1\s*>|<!--.*?-->", re.I | re.S)
_TAG = re.compile(r"<[^>]*>")
# C0 control characters but tab, line and page breaks and ESC, and DEL: random bytes decode
# to about 10 % of them under any codec; HTML forbids them, so real pages hold next to none.
# (Not C1 controls or U+FFFD: a real page in a mislabelled encoding can be full of those.)
_BINARY_CHARS = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")
_BINARY_SHARE = 0.02
_BINARY_MIN_CHARS = 8
_BINARY_SCAN_CHARS = 65_536
# Challenge and error pages are small; a policy page's markup can run to megabytes of scripts.
_MARKUP_SCAN_CHARS = 500_000


def assess(
    text: str,
    *,
    title: str | None = None,
    html: str | None = None,
    thresholds: QualityThresholds = DEFAULT_THRESHOLDS,
) -> str | None:
    """Judge whether an extracted capture is the policy: None if it is, else a short reason.

    ``text`` is the extracted Markdown, ``title`` the page's title and ``html`` the decoded
    markup, when there is any. Reasons read like "near-empty page (12 words)", "bot check
    (Cloudflare challenge)", 'looks like an error page ("page not found")', "access denied
    page", 'login wall ("sign in to continue")' or "looks like a home page, not a policy".
    """
    binary = binary_data(html if html is not None else text)
    if binary:
        return binary
    strong = _strong_wall(title, html)
    if strong:
        return strong
    words = reading_words(text)
    if words >= thresholds.short_page_words:
        return None
    # A short page of megabytes is one enormous "word": its start tells all there is.
    text = text[:_MARKUP_SCAN_CHARS]
    hits, kinds = _vocabulary(f"{title or ''}\n{text}")
    policy_like = hits >= _POLICY_LIKE_HITS and kinds >= _POLICY_LIKE_KINDS
    wall = _wall(text, title, html, policy_like=policy_like)
    if wall:
        return wall
    if words < thresholds.min_words:
        return f"near-empty page ({words} word{'' if words == 1 else 's'})"
    if hits < _HOME_PAGE_HITS:
        return "looks like a home page, not a policy"
    return None


def binary_data(decoded: str) -> str | None:
    """The reason a capture is binary data read as text (an image, a compressed body), or None.

    Such bytes decode to text full of control characters and undecodable bytes, which no page
    holds; a page with a stray NUL or two is still read.
    """
    sample = decoded[:_BINARY_SCAN_CHARS]
    found = len(_BINARY_CHARS.findall(sample))
    if found < _BINARY_MIN_CHARS or found < len(sample) * _BINARY_SHARE:
        return None
    return f"binary data, not a text page ({found * 100 // len(sample)}% control characters)"


def reading_words(text: str) -> int:
    """Count words as a reader would, counting two Chinese or Japanese characters as one word."""
    ideographs = len(_CJK.findall(text))
    if not ideographs:
        return count_words(text)
    return count_words(_CJK.sub(" ", text)) + ideographs // 2


def _strong_wall(title: str | None, html: str | None) -> str | None:
    """The reason for a marker that rejects a page whatever its length."""
    return _first_reason(_STRONG_TITLE, [title or ""]) or (
        _first_reason(_STRONG_MARKUP, [html[:_MARKUP_SCAN_CHARS]]) if html else None
    )


def _wall(text: str, title: str | None, html: str | None, *, policy_like: bool) -> str | None:
    """The reason a short page is a wall or an error page, or None.

    The title and headings always count. The body text, the page's hidden-to-the-extractor text
    (``<noscript>``, forms) and its markup count only when the page does not read like a policy.
    """
    prominent = [title or "", *_HEADING.findall(text)]
    reason = _first_reason(_PHRASES, prominent) or _first_reason(_TITLE_ONLY, [title or ""])
    if reason or policy_like:
        return reason
    markup = html[:_MARKUP_SCAN_CHARS] if html else ""
    return (
        _first_reason(_VENDOR_MARKUP, [markup])
        or _first_reason(_PHRASES, [text, _visible_text(markup)])
        or _first_reason(_FORM_MARKUP, [markup])
    )


def _first_reason(signals: tuple[_Signal, ...], haystacks: list[str]) -> str | None:
    """The reason of the first signal found in any haystack, with the matched words filled in."""
    folded = [" ".join(haystack.split()) for haystack in haystacks if haystack]
    for signal in signals:
        for haystack in folded:
            match = signal.pattern.search(haystack)
            if match:
                return signal.reason.format(match.group(0).lower()[:60])
    return None


def _vocabulary(text: str) -> tuple[int, int]:
    """How many policy words the text has (with repeats), and of how many different kinds."""
    counts = [len(pattern.findall(text)) for pattern in _VOCABULARY]
    return sum(counts), sum(1 for count in counts if count)


def _visible_text(markup: str) -> str:
    """The text a browser could show, including what the extractor drops (noscript, forms)."""
    return html_lib.unescape(_TAG.sub(" ", _HIDDEN_MARKUP.sub(" ", markup)))
