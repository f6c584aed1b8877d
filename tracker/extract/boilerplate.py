"""What is not the policy: page furniture dropped before the Markdown is written.

A redesign, a rotating ad or a new cookie banner must not look like a policy change, so
everything a reader does not read as the document goes: scripts and other non-text elements,
navigation, page-level headers, footers and sidebars, small forms and controls, hidden
elements, cookie banners, ads, share buttons, skip links and the Wayback Machine's toolbar.

Two guards keep the policy itself safe from a too-eager rule. ``body``, ``main``, ``article``
and the elements a ``--select`` rule chose (with their ancestors) are never dropped. And a
heuristic match (a class name, a role, a hidden attribute) is kept when it holds most of the
page's text outside links: that is a wrapper with an unlucky name, not a sidebar.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from functools import lru_cache

from lxml import etree

_WAYBACK_TOOLBAR = re.compile(
    r"<!--\s*BEGIN WAYBACK TOOLBAR INSERT\s*-->.*?<!--\s*END WAYBACK TOOLBAR INSERT\s*-->",
    re.DOTALL | re.IGNORECASE,
)
# Never text a reader reads (or, for frames and iframes, someone else's document).
_ALWAYS = (
    "script", "style", "noscript", "template", "svg", "head", "title", "meta", "link", "iframe",
    "frame", "frameset", "noframes", "object", "embed", "applet", "canvas", "video", "audio",
    "map", "input", "select", "textarea", "datalist",
)  # fmt: skip
_NEVER = frozenset({"html", "body", "main", "article"})
_SCOPES = frozenset({"article", "main"})  # a header/footer inside these belongs to the text
_PAGE_TAGS = frozenset({"header", "footer", "aside"})
_PAGE_ROLES = frozenset({"banner", "contentinfo", "complementary"})
_ROLES = frozenset({"navigation", "search", "menu", "menubar", "toolbar", "dialog", "alertdialog"})
_CONTAINERS = frozenset({"div", "section", "aside", "dialog", "form"})
_TEXT_BLOCKS = ("p", "h1", "h2", "h3", "h4", "h5", "h6")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_HIDDEN_CLASSES = frozenset(
    {"hidden", "invisible", "sr-only", "visually-hidden", "visuallyhidden", "screen-reader-text"}
)
_COOKIE_LABEL = re.compile(r"cookie|consent", re.IGNORECASE)
_MAX_TOKEN = 48
_SKIP_TEXT = re.compile(r"^\s*(?:skip|jump)\s+to\b", re.IGNORECASE)

# Whole class/id tokens, never substrings: "content-sidebar-wrap" wraps the policy, "sidebar"
# is the sidebar. A token is [prefix-]core[-suffix], e.g. "main-nav", "leftnav", "sidebar-2".
# ("content" is deliberately no prefix or suffix.) Every part matches one way only and digits
# come once at the end: no nested quantifier can make a long hostile class name backtrack.
_PREFIX = (
    r"(?:(?:main|site|top|primary|secondary|global|left|right|sub|mobile|desktop|header|"
    r"footer|page|side|utility|util|quick|bottom|sticky|off-?canvas|user|account|lang|"
    r"language|section|local|mega|dropdown|hamburger|burger|nav|menu|region|layout|col|"
    r"column)[-_]?)*"
)
_SUFFIX = (
    r"(?:[-_]?(?:container|wrapper|wrap|area|bar|links?|list|items?|box|block|widget|region|"
    r"holder|inner|outer|toggle|trigger|panel|nav|menu|to-content|to-main|left|right|top|"
    r"bottom|first|second|primary|secondary))*(?:[-_]?\d+)?"
)
_CORE = (
    r"nav|navbar|nav-bar|navigation|navi|menu|menus|menubar|breadcrumbs?|crumbs?|sidebars?|"
    r"side-bar|toolbar|skip|skip-?links?|skipnav|share-?(?:buttons?|bar|links?|tools|icons?)|"
    r"social-?(?:share|sharing|links|icons|buttons|follow)|sharethis|addthis|shariff|"
    r"chat|livechat|chatbot|chat-?(?:widget|bubble|launcher|button)"
)
_FURNITURE_TOKEN = re.compile(rf"{_PREFIX}(?:{_CORE}){_SUFFIX}", re.IGNORECASE)
_AD_CLASS = re.compile(
    rf"{_PREFIX}(?:ad|ads|advert|adverts|advertisement|advertisements|adsbygoogle|"
    rf"adslot|adunit|ad-slot|ad-unit|banner-ad|sponsored){_SUFFIX}",
    re.IGNORECASE,
)
# Like the <header>/<footer> tags: furniture only outside the article or main content. Not
# "page-header": Bootstrap's name for the title block above a page's text.
_PAGE_TOKEN = re.compile(
    r"(?:(?:site|global|main|top|bottom)[-_]?)?(?:header|footer|masthead)"
    r"(?:[-_]?(?:container|wrapper|wrap|inner|outer|area|region|links|top|bottom))*"
    r"(?:[-_]?\d+)?",
    re.IGNORECASE,
)
# Cookie and consent banners by name; "gdpr-notice" may well be a section of the policy.
_COOKIE_TOKEN = re.compile(
    r"(?:^|[-_])(?:(?:cookies?|consent|cc)[-_]?(?:banner|bar|notice|notification|consent|"
    r"popup|pop-?up|law|message|alert|disclaimer|warning|overlay|modal|dialog|wall|window|"
    r"prompt|layer)|gdpr[-_]?(?:banner|bar|consent|popup|overlay|modal|wall|prompt))"
    r"(?:$|[-_])|cookie-?banner",
    re.IGNORECASE,
)
# Consent managers and the Wayback toolbar, known by name: dropped whatever their size.
_VENDOR_ID = re.compile(
    r"^(?:onetrust-|cybotcookiebot|truste-consent|didomi-|usercentrics|cmpbox|qc-cmp|"
    r"sp_message_container|cookie-law-info|cookielawinfo|cmplz-cookiebanner|iubenda-cs|"
    r"hs-eu-cookie|cookieconsent|osano-cm|wm-ipp|wm-capinfo|donato$)",
    re.IGNORECASE,
)
_VENDOR_CLASS = re.compile(
    r"^(?:cc-window|cc-banner|cc-revoke|optanon-alert|osano-cm-window|osano-cm-dialog|"
    r"cky-consent|cky-modal|cmplz-cookiebanner|qc-cmp2|truste_|didomi-popup|fc-consent|"
    r"evidon-banner|termly-styles)",
    re.IGNORECASE,
)
_TEXT_LENGTH = etree.XPath("string-length(normalize-space(.))")
_LINK_TEXT = etree.XPath(".//a//text()", smart_strings=False)
_CONTROLLED = etree.XPath("//@aria-controls", smart_strings=False)
# Tags and attributes worth a closer look; an element with none of them is kept at once.
_LOOK_TAGS = frozenset({"a", "button", "nav", "form"}) | _PAGE_TAGS
_HIDING_ATTRS = frozenset({"hidden", "aria-hidden", "style"})
_LOOK_ATTRS = frozenset({"class", "id", "role", "hidden", "aria-hidden", "style", "aria-label"})

Element = etree._Element
KEEP, LIKELY, SURE = 0, 1, 2
# What an element's class and id say, as bits (cached per class and id value).
_VENDOR, _NAMED, _PAGE, _HIDDEN_CLASS = 1, 2, 4, 8


def strip_wayback(html: str) -> str:
    """Remove the toolbar the Wayback Machine inserts into pages replayed with it."""
    return _WAYBACK_TOOLBAR.sub("", html)


def drop_tree(el: Element) -> None:
    """Remove an element and its content, keeping the text that follows it."""
    parent = el.getparent()
    if parent is None:
        return
    _text_before(el, el.tail)
    el.tail = None
    parent.remove(el)


def unwrap(el: Element) -> None:
    """Replace an element by its content (text, children and tail stay in place)."""
    parent = el.getparent()
    if parent is None:
        return
    children = list(el)
    _text_before(el, el.text)
    if children:
        children[-1].tail = (children[-1].tail or "") + (el.tail or "")
    else:
        _text_before(el, el.tail)
    el.tail = None
    index = parent.index(el)
    parent[index : index + 1] = children


def _text_before(el: Element, text: str | None) -> None:
    """Append text to whatever precedes the element: its previous sibling's tail or the
    parent's text."""
    if not text:
        return
    previous = el.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + text
    else:
        parent = el.getparent()
        parent.text = (parent.text or "") + text


def remove_boilerplate(root: Element, keep: Collection[Element] = ()) -> None:
    """Drop page furniture from the tree in place, never ``keep`` nor its ancestors."""
    protected = {a for el in keep for a in (el, *el.iterancestors())}
    _drop_always(root, protected)
    controlled = {ref for value in _CONTROLLED(root) for ref in value.split()}
    total: int | None = None
    doomed: list[Element] = []
    dead: set[Element] = set()
    for el in root.iter():
        if el.getparent() in dead:
            dead.add(el)
            continue
        verdict = furniture(el, controlled)
        if verdict == KEEP or el in protected or el.tag in _NEVER:
            continue
        if verdict == LIKELY:
            total = _weight(root) if total is None else total
            if 2 * _weight(el) > total:
                continue  # most of the page: an unlucky name on the policy's wrapper
        doomed.append(el)
        dead.add(el)
    for el in doomed:
        drop_tree(el)


def _drop_always(root: Element, protected: set[Element]) -> None:
    """Drop comments, processing instructions and non-text elements, keeping their tails."""
    for el in list(root.iter(etree.Comment, etree.ProcessingInstruction, *_ALWAYS)):
        if el.getparent() is not None and el not in protected:
            drop_tree(el)


def _weight(el: Element) -> int:
    """Characters outside links: what a sidebar or a menu has little of, the policy a lot."""
    links = sum(len(" ".join(text.split())) for text in _LINK_TEXT(el))
    return max(int(_TEXT_LENGTH(el)) - links, 0)


def furniture(el: Element, controlled: Collection[str] = ()) -> int:
    """KEEP, LIKELY (a heuristic match) or SURE (a known banner or toolbar, a control)."""
    tag = el.tag
    if not isinstance(tag, str):
        return KEEP
    keys = el.keys()
    if tag not in _LOOK_TAGS and _LOOK_ATTRS.isdisjoint(keys):
        return KEEP  # most elements of a page: the fast way out
    names = _names(el.get("class") or "", el.get("id") or "")
    role = (el.get("role") or "").strip().lower() if "role" in keys else ""
    if names & _VENDOR or (tag == "a" and _skip_link(el)):
        return SURE
    if tag == "button":
        return KEEP if _disclosure(el) else SURE
    hidden = names & _HIDDEN_CLASS or (not _HIDING_ATTRS.isdisjoint(keys) and _hidden(el))
    if hidden and el.get("id") not in controlled:
        return LIKELY  # folded accordion panels (aria-controls) are part of the text
    if tag == "a":
        return KEEP  # a link's class says how it looks, not whether it is furniture
    if tag == "nav" or role in _ROLES or names & _NAMED:
        return LIKELY
    if "aria-label" in keys and _cookie_labelled(el, role):
        return LIKELY
    page_like = tag in _PAGE_TAGS or role in _PAGE_ROLES or names & _PAGE
    if page_like and _page_level(el):
        return LIKELY
    if tag == "form" and next(el.iter(*_TEXT_BLOCKS), None) is None:
        return LIKELY  # search and login boxes; an ASP.NET page-wide form has paragraphs
    return KEEP


@lru_cache(maxsize=8192)
def _names(classes: str, ids: str) -> int:
    """What a class and id value mark, as bits (cached: div soup repeats its class lists)."""
    # Furniture names are short; long tokens (generated hashes, pasted junk) are skipped, which
    # also bounds the regular expressions' work.
    class_tokens = [t for t in classes.split() if len(t) <= _MAX_TOKEN]
    id_tokens = [t for t in ids.split() if len(t) <= _MAX_TOKEN]
    bits = 0
    if _VENDOR_ID.match(ids) or any(map(_VENDOR_CLASS.match, class_tokens)):
        bits |= _VENDOR
    # Section ids such as "ads" name a policy's advertising section: only classes mark ads.
    if any(_furniture_token(t) or _AD_CLASS.fullmatch(t) for t in class_tokens) or any(
        map(_furniture_token, id_tokens)
    ):
        bits |= _NAMED
    if any(_PAGE_TOKEN.fullmatch(t) for t in (*class_tokens, *id_tokens)):
        bits |= _PAGE
    # "hidden md:block" (Tailwind) is shown on wide screens: responsive variants count as shown.
    hidden = any(t in _HIDDEN_CLASSES for t in class_tokens)
    if hidden and not any(":" in t for t in class_tokens):
        bits |= _HIDDEN_CLASS
    return bits


def _furniture_token(token: str) -> bool:
    """Whether one class or id token names navigation, a sidebar, a banner…"""
    return bool(_FURNITURE_TOKEN.fullmatch(token) or _COOKIE_TOKEN.search(token))


def _cookie_labelled(el: Element, role: str) -> bool:
    """A container labelled for assistive technology as a cookie or consent banner."""
    label = el.get("aria-label")
    container = el.tag in _CONTAINERS or role == "region"
    return bool(label) and container and _COOKIE_LABEL.search(label) is not None


def _hidden(el: Element) -> bool:
    """Hidden from readers by an attribute or an inline style."""
    hidden = el.get("hidden")
    if hidden is not None and hidden.strip().lower() != "until-found":
        return True
    if (el.get("aria-hidden") or "").strip().lower() == "true":
        return True
    return _HIDDEN_STYLE.search(el.get("style") or "") is not None


def _disclosure(el: Element) -> bool:
    """A button that labels a folded section (an accordion header), not a control."""
    if el.get("aria-expanded") is not None or el.get("aria-controls") is not None:
        return True
    return any(a.tag in ("summary", "h1", "h2", "h3", "h4", "h5", "h6") for a in el.iterancestors())


def _skip_link(el: Element) -> bool:
    """A "skip to content" link for keyboard users."""
    href = (el.get("href") or "").strip()
    return href.startswith("#") and _SKIP_TEXT.match("".join(el.itertext())) is not None


def _page_level(el: Element) -> bool:
    """Outside the article or main content (where headers hold titles and dates)."""
    return not any(
        a.tag in _SCOPES or a.get("role") in ("main", "article") for a in el.iterancestors()
    )
