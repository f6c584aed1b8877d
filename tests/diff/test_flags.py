"""change_flags and date_only_change: each flag, positive and negative."""

from __future__ import annotations

import pytest

from tracker.diff.classify import change_flags, date_only_change


def flags(old: str | None, new: str | None) -> set[str]:
    return set(change_flags(old, new))


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("We share your data.", "We do not share your data."),
        ("We will never sell it.", "We will sell it."),
        ("We don't sell it.", "We sell it."),
        ("We sell it.", "We no longer sell it."),
        ("We share it with partners.", "We share it without consent."),
        ("Nous partageons vos données.", "Nous ne partageons pas vos données."),
    ],
)
def test_negation_added_or_removed(old: str, new: str) -> None:
    assert "negation" in flags(old, new)
    assert "negation" in flags(new, old)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("We do not sell data. We share it.", "We share it. We do not sell data."),  # moved
        ("We do not sell data.", "We never sell data."),  # reworded
        ("We share data, including but not limited to logs.", "We share data, including logs."),
        ("We honour Do Not Track signals.", "We honour Do Not Track requests."),
        ("We share your data.", "We share your personal data."),
    ],
)
def test_negation_not_flagged(old: str, new: str) -> None:
    assert "negation" not in flags(old, new)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("We may share your data.", "We will share your data."),
        ("We can keep it.", "We must keep it."),
        ("You may give us your phone number.", "You are required to give us your phone number."),
        ("We share your data.", "We may share your data."),
        ("We may also share it.", "We also share it."),
        ("We shall notify you.", "We might notify you."),
        # "will" dropped amid a rewording: the shortest diff keeps it a run of its own
        (
            "Once the 3 years have passed, we will take reasonable business steps to delete it.",
            "After the retention period expires, we take reasonable steps to delete it.",
        ),
        # two modals dropped, one of them kept elsewhere: still a change
        (
            "Data that may be needed. Others may also report. Our tools can collect more.",
            "Data that is needed. Others can also report. Our tools collect more.",
        ),
    ],
)
def test_modality_changed(old: str, new: str) -> None:
    assert "modality" in flags(old, new)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("We may share your data.", "We might share your data."),  # same strength
        ("We will notify you.", "We shall notify you."),
        ("We may share your data with partners.", "We can share data with our partners."),
        # the modal only moved
        (
            "You may, at any time, withdraw your consent.",
            "At any time, you may withdraw your consent.",
        ),
        ("We share data.", "We share data, and you can opt out in settings."),  # ability
        ("Updated in March 2021.", "Updated in May 2021."),  # the month, not the modal
        ("The data required for sign-up.", "The data needed for sign-up."),  # not "is required"
    ],
)
def test_modality_not_flagged(old: str, new: str) -> None:
    assert "modality" not in flags(old, new)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("We keep logs for 30 days.", "We keep logs for 90 days."),
        ("Users must be 13 or older.", "Users must be 16 or older."),
        ("We keep it for two years.", "We keep it for five years."),
        ("We keep it for 30 days.", "We keep it for 30 months."),
        ("Refunds within 14 days.", "Refunds within fourteen weeks."),
    ],
)
def test_quantity_changed(old: str, new: str) -> None:
    assert "quantity" in flags(old, new)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("We keep logs for 30 days.", "We retain logs for 30 days."),
        ("3.1 Payment data is kept.", "3.2 Payment data is kept."),  # renumbered
        ("See section 4 for details.", "See section 5 for details."),
        ("One of our partners helps.", "Some of our partners help."),
        ("1\\. Information we collect", "2\\. Information we collect"),  # escaped numbering
        ("Call us at +1 (555) 123-4567.", "Call us at +1 (555) 123-9999."),  # a phone number
        ("Write to 2261 Market Street.", "Write to 2262 Market Street."),  # a street number
        ("Write to 1 Hatch Street, Dublin 2.", "Write to 10 Earlsfort Terrace, Dublin 2."),
        ("Under Article 6(1)(b) GDPR.", "Under Article 6(1)(f) GDPR."),
    ],
)
def test_quantity_not_flagged(old: str, new: str) -> None:
    assert "quantity" not in flags(old, new)


def test_new_and_removed_data() -> None:
    assert flags("We collect your name.", "We collect your name and precise location.") == {
        "new_data"
    }
    assert flags("We collect your name and email address.", "We collect your name.") == {
        "removed_data"
    }
    assert "new_data" not in flags("We collect your e-mail address.", "We collect email addresses.")
    assert "new_data" not in flags("We collect your name.", "We gather your name.")


def test_new_and_removed_party() -> None:
    old, new = "We share with vendors.", "We share with vendors and data brokers."
    assert flags(old, new) == {"new_party"}
    assert "removed_party" in flags("We share it with advertisers.", "We share it with vendors.")
    assert "new_party" in flags("We share it with advertisers.", "We share it with vendors.")
    assert "new_party" not in flags("We share with advertisers.", "We share with advertisers.")


def test_added_and_removed_clauses_get_kind_flags() -> None:
    assert flags(None, "We also collect biometric data.") == {"new_data"}
    assert flags("We sell data to data brokers.", None) == {"removed_party"}
    assert flags(None, "We care about you.") == set()
    # Negation, modality and quantity need two sides.
    assert flags(None, "We will never keep it for 30 days.") == set()


def test_date_only_change() -> None:
    old, new = "Last updated: March 4, 2021", "Last updated: May 1, 2022"
    assert date_only_change(old, new)
    assert date_only_change("_Effective date: 2021-07-23_", "_Effective date: 2022-01-10_")
    assert date_only_change("Last updated: March 4, 2021", "Last updated: 4 May 2022")
    assert flags(old, new) == {"last_updated"}


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("Last updated: March 4, 2021", "Last updated: March 4, 2021"),  # the same
        ("Last updated: March 4, 2021", "Last revised: May 1, 2022"),  # words changed too
        ("We keep it for 30 days.", "We keep it for 90 days."),  # not a date
        ("Last updated: March 4, 2021", "Last updated: 4 March 2021"),  # same date, restyled
    ],
)
def test_not_a_date_only_change(old: str, new: str) -> None:
    assert not date_only_change(old, new)


def test_an_unchanged_clause_has_no_flags() -> None:
    text = "We may share your email address with advertisers for 30 days, not longer."
    assert change_flags(text, text) == ()
