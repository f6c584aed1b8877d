"""The quality gate: captures that are not the policy are rejected with a reason."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tracker.extract.decode import decode_body
from tracker.extract.html import extract
from tracker.extract.quality import QualityThresholds, assess, reading_words

FIXTURES = Path(__file__).parent / "fixtures"


def judge(path: Path, *, with_html: bool = True) -> str | None:
    """Run a fixture through extraction and the gate, as the pipeline does."""
    body = path.read_bytes()
    extracted = extract(body, "text/html; charset=utf-8")
    html = decode_body(body, "text/html; charset=utf-8") if with_html else None
    return assess(extracted.text, title=extracted.title, html=html)


def fixture_text(name: str) -> str:
    return extract((FIXTURES / name).read_bytes(), "text/html").text


# About 60 words of a shop's page: no policy vocabulary, no wall phrase.
FILLER = (
    "Our workshop builds wooden chairs, tables and shelves by hand. Visit the showroom on Main "
    "Street from Tuesday to Saturday, or browse the catalogue online. Orders ship within two "
    "weeks. Every piece is finished with natural oil and wax, and we repair anything we made, "
    "whenever it was made, for the cost of the parts. Gift cards are available in any amount. "
)
SHORT_POLICY = (
    "# Privacy Policy\n\nWe collect your name and email address when you order. We use this "
    "personal information only to deliver your order. We never share it with third parties. "
    "Our site uses one cookie for your basket; no other cookies are set. You can ask us to "
    "delete your personal data at any time, and we will do so within thirty days of the "
    "request. Write to privacy@shop.example with any question about your privacy.\n"
)


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("soft_404.html", 'looks like an error page ("page not found")'),
        ("cloudflare_challenge.html", "bot check (Cloudflare challenge)"),
        ("access_denied.html", "access denied page"),
        ("aws_waf_captcha.html", "bot check (AWS WAF)"),
        ("login_wall.html", re.compile(r'login wall \("sign in( to continue)?"\)')),
        ("near_empty.html", re.compile(r"near-empty page \(\d+ words?\)")),
        ("home_page.html", "looks like a home page, not a policy"),
    ],
)
def test_reject_fixtures(name: str, reason: str | re.Pattern[str]) -> None:
    verdict = judge(FIXTURES / "rejects" / name)
    assert verdict is not None
    if isinstance(reason, str):
        assert verdict == reason
    else:
        assert reason.fullmatch(verdict), verdict


@pytest.mark.parametrize(
    "name", ["soft_404.html", "cloudflare_challenge.html", "access_denied.html", "login_wall.html"]
)
def test_rejects_without_markup(name: str) -> None:
    """Stored versions re-extracted without their HTML are still judged by title and text."""
    assert judge(FIXTURES / "rejects" / name, with_html=False) is not None


@pytest.mark.parametrize("name", ["short_policy.html", "long_policy.html"])
@pytest.mark.parametrize("with_html", [True, False])
def test_accept_fixtures(name: str, with_html: bool) -> None:
    assert judge(FIXTURES / "accepts" / name, with_html=with_html) is None


def test_long_policy_fixture_really_mentions_walls_and_carries_their_markup() -> None:
    """The accepted long policy is a fair test: phrases, password form, CAPTCHA, Cloudflare."""
    path = FIXTURES / "accepts" / "long_policy.html"
    text = fixture_text("accepts/long_policy.html").lower()
    html = decode_body(path.read_bytes(), "text/html")
    assert "404" in text
    assert "access denied" in text
    assert 'type="password"' in html
    assert "g-recaptcha" in html
    assert "challenge-platform" in html
    assert reading_words(text) >= 400


def test_five_thousand_word_policy_mentioning_walls_passes() -> None:
    base = fixture_text("accepts/long_policy.html")
    text = "\n\n".join([base] * 7) + "\n\nPage not found? Access denied? Error 404? Please log in."
    assert reading_words(text) > 5000
    assert assess(text, title="Privacy Policy") is None


def test_only_short_pages_are_judged_by_phrases() -> None:
    long_page = "# Page not found\n\nPlease log in.\n\n" + FILLER * 8
    assert reading_words(long_page) >= 400
    assert assess(long_page, title="404") is None
    longer_limit = QualityThresholds(short_page_words=1000)
    assert assess(long_page, title="404", thresholds=longer_limit) is not None


@pytest.mark.parametrize(
    ("title", "html"),
    [
        ("Just a moment...", None),
        ("Just a moment…", None),
        ("Attention Required! | Cloudflare", None),
        ("Privacy", '<div class="cf-browser-verification cf-im-under-attack">'),
        ("Privacy", "<script>window._cf_chl_opt={cvId: '3'}</script>"),
        ("Privacy", '<form id="challenge-form" action="/?__cf_chl_jschl_tk__=x">'),
    ],
)
def test_strong_cloudflare_signals_reject_even_a_policy(title: str, html: str | None) -> None:
    long_text = fixture_text("accepts/long_policy.html")
    assert assess(long_text, title=title, html=html) == "bot check (Cloudflare challenge)"
    assert assess(SHORT_POLICY, title=title, html=html) == "bot check (Cloudflare challenge)"


@pytest.mark.parametrize(
    "mention",
    [
        "If access is denied to a file, the access denied event is logged.",
        "Please log in to view your order history.",
        "You must be logged in to download your data.",
        "A broken link shows an error 404 page; the page you requested could not be found.",
        "Our form is protected by reCAPTCHA: verify you are human before sending.",
    ],
)
def test_short_policy_mentioning_a_wall_phrase_passes(mention: str) -> None:
    text = SHORT_POLICY + "\n" + mention + "\n"
    assert assess(text, title="Privacy Policy") is None
    # The same sentence on a page that is not a policy is a wall.
    assert assess(FILLER + "\n\n" + mention) is not None


@pytest.mark.parametrize(
    ("text", "title", "reason"),
    [
        (FILLER + "\nSorry, we can't find that page.", None, "we can't find that page"),
        (FILLER + "\nThe page you are looking for doesn’t exist.", None, "does"),
        (FILLER + "\nError 404", None, "error 404"),
        (FILLER + "\n404 Not Found", None, "404 not found"),
        (FILLER + "\nThe requested URL /privacy was not found on this server.", None, "requested"),
        (FILLER + "\nThis page doesn't exist anymore.", None, "this page doesn't exist"),
        (FILLER, "404 | Example", "404"),
        ("# Page not found\n\n" + SHORT_POLICY, None, "page not found"),
        (SHORT_POLICY, "Seite nicht gefunden – Beispiel GmbH", "seite nicht gefunden"),
    ],
)
def test_error_pages(text: str, title: str | None, reason: str) -> None:
    verdict = assess(text, title=title)
    assert verdict is not None
    assert verdict.startswith('looks like an error page ("')
    assert reason in verdict


@pytest.mark.parametrize(
    ("text", "title", "html", "reason"),
    [
        (FILLER, "Access Denied", None, "access denied page"),
        (FILLER, "403 Forbidden", None, "access denied page"),
        (FILLER + "\nYou don't have permission to access this page.", None, None, "access"),
        (FILLER + "\nOur systems have detected unusual traffic from your computer network.",
         None, None, 'bot check ("unusual traffic from your computer network")'),
        (FILLER + "\nRequest blocked. We can't connect to the server.", None, None, "blocked"),
        (FILLER, None, '<div class="h-captcha" data-sitekey="x"></div>', "bot check (CAPTCHA)"),
        (FILLER, None, '<script src="https://www.google.com/recaptcha/api.js">', "CAPTCHA"),
        (FILLER, None, '<div id="px-captcha"></div>', "bot check (PerimeterX)"),
        (FILLER, None, '<script src="/_Incapsula_Resource?SWJIYLWA=1">', "Imperva"),
        (FILLER, None, "<noscript>Checking your browser before accessing x.com</noscript>",
         "bot check (Cloudflare challenge)"),
        (FILLER, "Sign In | Example", None, 'login wall ("sign in")'),
        (FILLER + "\nPlease sign in to access your account.", None, None, "login wall"),
        (FILLER, None, '<form><input type="password" name="pw"></form>',
         "login wall (password form)"),
    ],
)  # fmt: skip
def test_walls(text: str, title: str | None, html: str | None, reason: str) -> None:
    verdict = assess(text, title=title, html=html)
    assert verdict is not None
    assert reason in verdict


@pytest.mark.parametrize(
    "html",
    [
        '<div class="h-captcha" data-sitekey="x"></div>',
        '<form><input type="password" name="pw"></form>',
        "<script>a.src='/cdn-cgi/challenge-platform/scripts/jsd/main.js'</script>",
        "<script>a.src='/cdn-cgi/challenge-platform/h/b/scripts/jsd/1a2b/main.js'</script>",
    ],
)
def test_widgets_on_a_short_policy_page_pass(html: str) -> None:
    assert assess(SHORT_POLICY, title="Privacy", html=html) is None


def test_cloudflare_detection_script_is_not_a_challenge() -> None:
    jsd = "<script>a.src='/cdn-cgi/challenge-platform/scripts/jsd/main.js'</script>"
    assert assess("Loading", html=jsd) == "near-empty page (1 word)"
    orchestrate = "<script>c.src='/cdn-cgi/challenge-platform/h/g/orchestrate/chl_page/v1'</script>"
    assert assess("Loading", html=orchestrate) == "bot check (Cloudflare challenge)"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "near-empty page (0 words)"),
        ("Privacy", "near-empty page (1 word)"),
        ("# Privacy Policy\n\nWe collect cookies. See our privacy page for personal data.",
         "near-empty page (12 words)"),
    ],
)  # fmt: skip
def test_near_empty(text: str, reason: str) -> None:
    assert assess(text) == reason


def test_thresholds_are_configurable() -> None:
    assert assess(SHORT_POLICY) is None
    assert assess(SHORT_POLICY, thresholds=QualityThresholds(min_words=200)) == (
        f"near-empty page ({reading_words(SHORT_POLICY)} words)"
    )
    walled = FILLER * 3 + "\nPlease log in."
    assert assess(walled) is not None
    assert assess(walled, thresholds=QualityThresholds(short_page_words=50)) is None


def test_home_page_needs_two_policy_words() -> None:
    assert assess(FILLER) == "looks like a home page, not a policy"
    assert assess(FILLER + " Read our privacy notice.") == "looks like a home page, not a policy"
    assert assess(FILLER + " Read our privacy notice about cookies.") is None


@pytest.mark.parametrize(
    "text",
    [
        "# Politique de confidentialité\n\nNous traitons vos données personnelles pour gérer "
        "vos commandes. Nous ne les vendons jamais et nous ne les partageons avec aucun tiers "
        "sans votre consentement. Vous pouvez demander à tout moment l'accès à vos données, "
        "leur rectification ou leur suppression en écrivant à notre délégué à la protection "
        "des données. Nous conservons vos données pendant trois ans après votre dernière "
        "commande.",
        "# Datenschutzerklärung\n\nWir verarbeiten Ihre personenbezogenen Daten nur, soweit "
        "dies zur Abwicklung Ihrer Bestellung erforderlich ist. Eine Weitergabe an Dritte "
        "erfolgt nur mit Ihrer Einwilligung oder wenn wir gesetzlich dazu verpflichtet sind. "
        "Sie haben das Recht auf Auskunft, Berichtigung und Löschung Ihrer Daten. Wenden Sie "
        "sich dazu bitte an unseren Datenschutzbeauftragten unter der unten genannten Adresse.",
        "# プライバシーポリシー\n\n当社は、お客様の個人情報を適切に取り扱うことが社会的責務であると"
        "考え、個人情報保護に関する法令を遵守し、以下の方針に基づいて個人情報を取り扱います。"
        "当社は、お客様から取得した個人情報を、商品の発送、お問い合わせへの回答、サービスの"
        "改善のためにのみ利用し、法令に基づく場合を除き、ご本人の同意なく第三者に提供しません。",
    ],
)
def test_policies_in_other_languages_pass(text: str) -> None:
    assert assess(text) is None


def test_japanese_is_counted_in_words_not_sentences() -> None:
    sentence = "当社はお客様の個人情報を適切に取り扱います。"
    assert reading_words(sentence) >= 8
    assert reading_words("We collect data.") == 3
