"""Lantern Bay Coffee, a fictional café chain with a rewards app: a short policy, 2015–2023.

The second demo policy, smaller than Northwind's: four versions, each a few edits from the
one before. All of the text is invented.
"""

from __future__ import annotations

from tracker.demo.document import Document, Section, Site, append, dated, insert, reword

SITE = Site(
    company="Lantern Bay Coffee",
    domain="www.lanternbay-coffee.example",
    tagline="Roasted by the harbour",
    nav=("Menu", "Cafes", "Rewards", "Shop"),
    color="#8a4b2a",
)
URL = "https://www.lanternbay-coffee.example/legal/privacy"

V1 = Document(
    title="Lantern Bay Coffee Privacy Notice",
    updated="May 4, 2015",
    intro=(
        "This notice explains how Lantern Bay Coffee collects and uses personal information "
        "when you visit our cafes, use our website or join Lantern Bay Rewards.",
    ),
    sections=(
        Section(
            "What We Collect",
            (
                "When you join Lantern Bay Rewards we collect your name, e-mail address and "
                "birthday, and we record the purchases you make with your rewards card.",
                "Our website uses cookies to keep you signed in and to count visitors.",
            ),
        ),
        Section(
            "How We Use It",
            (
                "We use your purchase history to give you points and rewards, and your birthday "
                "to send you a free drink once a year.",
                "We do not share your personal information with third parties for their own "
                "marketing.",
            ),
        ),
        Section(
            "How Long We Keep It",
            ("We keep your purchase history for 12 months after your last visit, then delete it.",),
        ),
        Section(
            "Contact",
            ("Questions? E-mail privacy@lanternbay-coffee.example and a real person will answer.",),
        ),
    ),
)

_CHOICES = Section(
    "Your Choices and Rights",
    (
        "You can close your rewards account at any time in the app, and we will delete your "
        "personal information within 30 days.",
        "If you live in the European Union you may also ask for a copy of your data, have it "
        "corrected, or object to how we use it.",
    ),
)


def _v2(doc: Document) -> Document:
    """2018: a rights section (added) and the app named in the introduction (modified)."""
    doc = reword(doc, "use our website or join", "use our website or app, or join")
    doc = insert(doc, _CHOICES, after="How Long We Keep It")
    return dated(doc, "May 20, 2018")


def _v3(doc: Document) -> Document:
    """2021: the app asks for your location (added collection, new kind of data)."""
    doc = append(
        doc,
        "What We Collect",
        "With your permission, the app collects your precise location to show the nearest "
        "cafe and to offer deals nearby.",
    )
    return dated(doc, "March 9, 2021")


def _v4(doc: Document) -> Document:
    """2023: purchase history is kept 24 months instead of 12 (quantity)."""
    doc = reword(doc, "for 12 months after", "for 24 months after")
    return dated(doc, "September 1, 2023")


VERSIONS = {"v1": V1, "v2": _v2(V1)}
VERSIONS["v3"] = _v3(VERSIONS["v2"])
VERSIONS["v4"] = _v4(VERSIONS["v3"])
