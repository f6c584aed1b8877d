"""Northwind Outfitters, a fictional outdoor-gear retailer: its privacy policy from 2001 to 2025.

All of the text is invented for the demo. Version 1 is written out; every later version is
the one before with the edits that tell the story, each named for what the diff engine will
make of it (see ``VERSIONS`` at the end).
"""

from __future__ import annotations

from tracker.demo.document import (
    Document,
    Section,
    Site,
    append,
    dated,
    drop,
    insert,
    move,
    reword,
)

SITE = Site(
    company="Northwind Outfitters",
    domain="www.northwind-outfitters.example",
    tagline="Gear for the long way round",
    nav=("Tents", "Packs", "Clothing", "Footwear", "Stores", "Catalog"),
    color="#2f5d3a",
)
URL = "http://www.northwind-outfitters.example/privacy"

_CATALOG = "When you ask for a catalog we collect your name and mailing address."
_SELL = "We do not sell your personal information to other companies."
_SHARE = (
    "We share your name and mailing address only with the carriers who deliver your orders "
    "and with the bank that processes your payments."
)
_SSL = (
    "Our order pages use Secure Sockets Layer (SSL) encryption to protect your credit card "
    "number while it travels over the Internet."
)

V1 = Document(
    title="Northwind Outfitters Privacy Policy",
    updated="March 1, 2001",
    intro=(
        "Northwind Outfitters sells tents, packs and clothing for the outdoors through our "
        "catalog, our stores and this Web site. We respect your privacy. This policy explains "
        "what personal information we collect when you shop with us, how we use it, and the "
        "choices you have.",
    ),
    sections=(
        Section(
            "Information We Collect",
            (
                "When you place an order we collect your name, mailing address, e-mail "
                "address, telephone number and credit card number.",
                _CATALOG,
                "Our Web server records the IP address of each visitor and the pages they "
                "view. We use these records only to count visitors and to fix problems with "
                "the site.",
            ),
        ),
        Section(
            "How We Use Your Information",
            (
                "We use your information to process and ship your orders, to send you the "
                "catalogs you ask for, and to answer your questions.",
                "If you agree, we will send you occasional e-mail about sales and new "
                "products. You can ask us to stop at any time.",
            ),
        ),
        Section(
            "Sharing Your Information",
            (
                _SELL,
                _SHARE,
                "We may disclose information when the law requires it, for example to answer "
                "a subpoena.",
            ),
        ),
        Section("Security", (_SSL,)),
        Section(
            "Children",
            (
                "Our site is meant for adults -- we do not knowingly collect personal "
                "information from children under 13.",
            ),
        ),
        Section(
            "Contact Us",
            (
                "If you have questions about this policy, write to "
                "privacy@northwind-outfitters.example or to Northwind Outfitters, 400 Alder "
                "Street, Millbrook, OR 97000. We'll answer every letter.",
            ),
        ),
    ),
)

_COOKIES = Section(
    "Cookies",
    (
        'Our Web site uses small files called "cookies" to remember what is in your '
        "shopping cart and to keep you signed in to your account.",
        "You can turn cookies off in your browser, but then you won't be able to use the cart.",
    ),
)


def _v2(doc: Document) -> Document:
    """2006: a cookies section (added), reworded collection and security clauses."""
    doc = insert(doc, _COOKIES, after="How We Use Your Information")
    doc = reword(doc, "When you place an order we", "When you place an order or open an account we")
    doc = reword(doc, "credit card number.", "payment card number.")
    doc = reword(doc, _SSL, _SSL.replace("Our order pages use", "Our checkout pages use"))
    return dated(doc, "April 3, 2006")


_RETENTION = Section(
    "Keeping Your Information",
    (
        "We keep the records of your orders for as long as your account is open, so that you "
        "can see them and we can handle returns and warranty claims.",
        "We delete Web server logs after 30 days.",
    ),
)


def _v4(doc: Document) -> Document:
    """2012: the print catalog is gone (removed), a retention section (added), a new
    newsletter clause (modified)."""
    doc = drop(doc, _CATALOG)
    doc = reword(doc, ", to send you the catalogs you ask for,", "")
    doc = reword(
        doc,
        "If you agree, we will send you occasional e-mail about sales and new products. "
        "You can ask us to stop at any time.",
        "If you sign up, we will send you our newsletter about sales, new products and trip "
        "ideas. Every newsletter has a link to unsubscribe.",
    )
    doc = insert(doc, _RETENTION, after="Sharing Your Information")
    return dated(doc, "June 1, 2012")


def _v5(doc: Document) -> Document:
    """2014: analytics providers join the recipients; the stated date stays (silent change)."""
    doc = reword(
        doc,
        "We use these records only to count visitors and to fix problems with the site.",
        "We use these records to count visitors, to fix problems with the site and to learn "
        "how visitors find us.",
    )
    return append(
        doc,
        "Sharing Your Information",
        "We also share information about the pages you view with analytics providers who help "
        "us understand which parts of our site are useful.",
    )


_GDPR = Section(
    "Your Rights Under the GDPR",
    (
        "If you live in the European Economic Area, the General Data Protection Regulation "
        "(GDPR) gives you rights over your personal data:",
        (
            "to access the personal data we hold about you and receive a copy of it;",
            "to have it corrected or deleted;",
            "to object to its use for direct marketing;",
            "to withdraw your consent at any time, where we rely on consent.",
        ),
        "To use these rights, write to privacy@northwind-outfitters.example. We will answer "
        "within one month. You may also complain to your data protection authority.",
    ),
)


def _v7(doc: Document) -> Document:
    """2018: a GDPR rights section (added) and a reworded introduction."""
    doc = reword(
        doc,
        "how we use it, and the choices you have.",
        "how we use it, and the choices and rights you have under data protection law.",
    )
    doc = insert(doc, _GDPR, after="Keeping Your Information")
    return dated(doc, "May 25, 2018")


_CCPA = Section(
    "California Privacy Rights",
    (
        "If you are a California resident, the California Consumer Privacy Act (CCPA) gives you "
        "the right to know what personal information we collect about you, to ask us to delete "
        "it, and to opt out of its sale.",
        'To opt out, use the "Do Not Sell My Personal Information" link at the bottom of every '
        "page. We will not treat you differently for using your rights.",
    ),
)


def _v8(doc: Document) -> Document:
    """2020: CCPA section (added); "we do not sell" → "we may sell" (negation, modality);
    sharing widened to advertisers (new_party); advertising cookies (added)."""
    doc = reword(doc, _SELL, "We may sell your personal information to other companies.")
    doc = reword(
        doc,
        _SHARE,
        "We share your name, mailing address and the pages you view with the carriers who "
        "deliver your orders, with the bank that processes your payments, and with advertisers "
        "who show you our ads on other websites.",
    )
    doc = append(
        doc,
        "Cookies",
        "We also let advertising partners place cookies on our site to measure our campaigns "
        "and to show you our ads elsewhere.",
    )
    doc = insert(doc, _CCPA, after="Your Rights Under the GDPR")
    return dated(doc, "January 1, 2020")


def _v9(doc: Document) -> Document:
    """2021: the Cookies section moves after Sharing (moved); security reworded."""
    doc = move(doc, "Cookies", after="Sharing Your Information")
    doc = reword(
        doc,
        _SSL.replace("Our order pages use", "Our checkout pages use"),
        "We protect your information with encryption in transit, strict access controls and "
        "regular security reviews of our systems.",
    )
    return dated(doc, "June 14, 2021")


def _v10(doc: Document) -> Document:
    """2022: server logs are kept 90 days instead of 30 (quantity)."""
    doc = reword(doc, "after 30 days.", "after 90 days.")
    return dated(doc, "November 1, 2022")


def _v11(doc: Document) -> Document:
    """2024: the redesign; the contact clause names a data protection officer (modified)."""
    doc = reword(
        doc,
        "If you have questions about this policy, write to",
        "If you have questions about this policy, write to our data protection officer at",
    )
    return dated(doc, "March 5, 2024")


def _v12(doc: Document) -> Document:
    """2025: a chat assistant collects what you ask it (added), children are now those
    under 16 (quantity), and the stated date stays as it was (a silent change)."""
    doc = reword(doc, "children under 13.", "children under 16.")
    return append(
        doc,
        "Information We Collect",
        "When you use the chat assistant on our site we collect the questions you ask it and "
        "may use them to improve our answers.",
    )


def _versions() -> dict[str, Document]:
    """Every version's document, by a short key the capture timeline refers to."""
    v1 = V1
    v2 = _v2(v1)
    v3 = dated(v2, "January 12, 2009")  # a date-only update: nothing else changes
    v4 = _v4(v3)
    v5 = _v5(v4)
    v7 = _v7(v5)
    v8 = _v8(v7)
    v9 = _v9(v8)
    v10 = _v10(v9)
    v11 = _v11(v10)
    # v6 is v5 in the 2016 redesign (same words): the eras differ, not the document.
    return {
        "v1": v1,
        "v2": v2,
        "v3": v3,
        "v4": v4,
        "v5": v5,
        "v6": v5,
        "v7": v7,
        "v8": v8,
        "v9": v9,
        "v10": v10,
        "v11": v11,
        "v12": _v12(v11),
    }


VERSIONS = _versions()
