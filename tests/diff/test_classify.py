"""categorize: the categories of a clause, with evidence, from its words and its headings."""

from __future__ import annotations

import pytest

from tracker.diff.classify import categorize
from tracker.diff.kinds import data_kinds, party_kinds
from tracker.diff.model import CATEGORIES


@pytest.mark.parametrize(
    ("text", "category", "word"),
    [
        ("We collect the information you provide when you register.", "first_party_collection",
         "collect"),
        ("Information is collected automatically when you use the app.",
         "first_party_collection", "collected"),
        ("We may share your profile with advertisers.", "third_party_sharing", "share"),
        ("We disclose data to third parties.", "third_party_sharing", "third parties"),
        ("We do not sell your personal information.", "third_party_sharing", "sell"),
        ("We use cookies and web beacons to remember you.", "cookies_tracking", "web beacons"),
        ("You can opt-out of marketing emails.", "user_choice", "opt-out"),
        ("You may withdraw your consent at any time.", "user_choice", "consent"),
        ("You have the right to request a copy of your data.", "user_rights", "right to"),
        ("You can ask for erasure of your data.", "user_rights", "erasure"),
        ("We retain logs for a short while.", "data_retention", "retain"),
        ("We delete your messages 30 days after you close your account.", "data_retention",
         "delete"),
        ("We use encryption to safeguard your data.", "data_security", "encryption"),
        ("We may update this privacy policy from time to time.", "policy_change",
         "update this privacy policy"),
        ("We do not respond to Do Not Track signals.", "do_not_track", "do not track"),
        ("Our services are not directed to children under 13.", "specific_audiences",
         "children"),
        ("California residents have additional rights.", "specific_audiences", "california"),
        ("Data may be transferred to countries outside the EEA.", "specific_audiences",
         "transferred"),
        ("Questions? Contact us at privacy@example.com.", "contact",
         "contact us"),
        ("Nous collectons votre adresse e-mail.", "first_party_collection", "collectons"),
        ("Wir geben Ihre Daten nicht an Dritte weiter; die Weitergabe erfolgt nie.",
         "third_party_sharing", "weitergabe"),
    ],
)  # fmt: skip
def test_each_category_on_a_clause(text: str, category: str, word: str) -> None:
    found = categorize(text, [])
    assert category in found
    assert word in found[category]


@pytest.mark.parametrize(
    ("section", "category"),
    [
        (["Privacy Policy", "How we share information"], "third_party_sharing"),
        (["Information We Collect"], "first_party_collection"),
        (["Your Choices"], "user_choice"),
        (["Your rights"], "user_rights"),
        (["How long we keep your data"], "data_retention"),
        (["Security"], "data_security"),
        (["Changes to this Privacy Policy"], "policy_change"),
        (["Children"], "specific_audiences"),
        (["Contact us"], "contact"),
        (["Cookies and similar technologies"], "cookies_tracking"),
    ],
)
def test_section_heading_gives_the_category(section: list[str], category: str) -> None:
    found = categorize("They help us with this.", section)
    assert category in found
    assert found[category]  # the heading words are the evidence


def test_innermost_heading_with_a_cue_wins_and_titles_are_ignored() -> None:
    found = categorize("They help us run the app.", ["Privacy and Cookie Policy", "Facebook"])
    assert found == {"other": ()}
    found = categorize("They help us run the app.", ["Your Choices", "Facebook"])
    assert list(found) == ["user_choice"]
    found = categorize("They help us.", ["Last updated: May 1, 2022"])
    assert found == {"other": ()}


def test_text_and_heading_cues_are_merged_in_the_canonical_order() -> None:
    found = categorize("You can disable them in your browser settings.", ["Cookies"])
    assert list(found) == ["cookies_tracking", "user_choice"]
    assert list(found) == [c for c in CATEGORIES if c in found]


def test_no_category_is_other() -> None:
    assert categorize("The sky is blue today.", []) == {"other": ()}
    assert categorize("", []) == {"other": ()}


@pytest.mark.parametrize(
    "text",
    [
        "Our market share grew last year.",  # "share" in another sense
        "You can delete your photos whenever you like.",  # delete alone is not retention
        "Please enter your social security number.",  # not data security
        "We made minor changes to the layout.",  # "minor" is not a child
        "Shareholders met in March.",
    ],
)
def test_silly_hits_are_avoided(text: str) -> None:
    found = categorize(text, [])
    assert not {"third_party_sharing", "data_retention", "data_security"} & set(found)
    assert "specific_audiences" not in found


def test_evidence_is_lower_cased_and_inflections_match() -> None:
    found = categorize("We COLLECT, collected and are collecting; COLLECTION happens.", [])
    assert found["first_party_collection"] == ("collect", "collected", "collecting", "collection")


def test_markdown_emphasis_does_not_hide_words() -> None:
    assert "cookies_tracking" in categorize("We use _cookies_ and **pixels**.", [])


def test_retention_evidence_names_the_duration() -> None:
    found = categorize("We keep your data for two years.", [])
    assert found["data_retention"] == ("keep", "two years")


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("We collect your email address and phone number.", {"email address", "phone number"}),
        ("Name;", {"name"}),
        ("Name, email, date of birth and location", {"name", "email address",
                                                     "date of birth", "location"}),
        ("We use your precise location.", {"precise location"}),
        ("We read your IP address and advertising ID.", {"IP address", "device identifiers"}),
        ("The name of the service is Example.", set()),
        ("We may email you about new features.", set()),
    ],
)  # fmt: skip
def test_data_kinds(text: str, kinds: set[str]) -> None:
    assert set(data_kinds(text)) == kinds


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("We share it with advertising partners and data brokers.",
         {"advertisers", "data brokers"}),
        ("…with our affiliates and service providers.", {"affiliates", "service providers"}),
        ("…to law enforcement agencies.", {"law enforcement"}),
        ("…in connection with a merger or acquisition.", {"acquirers"}),
        ("We look for a partner for you.", set()),
    ],
)  # fmt: skip
def test_party_kinds(text: str, kinds: set[str]) -> None:
    assert set(party_kinds(text)) == kinds
