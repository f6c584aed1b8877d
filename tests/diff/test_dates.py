"""stated_date: the date a policy gives for itself."""

from __future__ import annotations

import random
import unicodedata
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.diff import dates
from tracker.diff.dates import first_date, stated_date

D = date(2021, 3, 4)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # English labels and formats
        ("# Privacy Policy\n\nLast updated: March 4, 2021\n\nWe collect data.", D),
        ("*Last updated: March 4, 2021*", D),
        ("**Last Modified:** 4 March 2021", D),
        ("_Effective date: Mar. 4, 2021_", D),
        ("_Last updated_: 4 March 2021", D),
        ("Effective as of March 4th, 2021.", D),
        ("This policy was revised on 2021-03-04.", D),
        ("Updated: 03/04/2021", D),
        ("Updated: 13/04/2021", date(2021, 4, 13)),  # day first when it cannot be a month
        ("Date of last revision: 4th of March, 2021", D),
        ("## Last updated March 2021", date(2021, 3, 1)),
        ("Effective: Sept. 1, 2021", date(2021, 9, 1)),
        ("LAST UPDATED\n\nThursday, March 4, 2021", D),
        ("Document | Last updated\nPrivacy notice | 2021/03/04", D),
        ("| Effective date | 4 March 2021 |", D),
        ("Last updated: 4.3.2021", D),
        ("Last updated: 2021-03-04T10:00:00Z", D),
        # French
        ("Dernière mise à jour : 4 mars 2021", D),
        ("Mis à jour le 4 mars 2021", D),
        ("En vigueur le 1er mars 2021", date(2021, 3, 1)),
        ("Derniere mise a jour le 4 févr. 2021", date(2021, 2, 4)),
        ("Dernière mise à jour : 4 aou\u0302t 2021", date(2021, 8, 4)),  # NFD "août"
        # German
        ("Stand: 4. März 2021", D),
        ("Zuletzt aktualisiert am 04.03.2021", D),
        ("Gültig ab 1. April 2021", date(2021, 4, 1)),
        ("Datenschutzerklärung (Stand: 03/2021)", date(2021, 3, 1)),
        ("Stand März 2021", date(2021, 3, 1)),
    ],
)
def test_labelled_dates(text: str, expected: date) -> None:
    assert stated_date(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "# Privacy Policy\n\nWe collect your name and email address.",
        "Acme was founded in March 2001 and has offices in 12 countries.",  # no label
        "Copyright © 2001–2021 Acme Inc. All rights reserved.",
        "Last updated: call us at 1-800-555-2021 for the current version.",  # a phone number
        "Last updated: v2.1.2019",  # a version number
        "Last updated: release 10.2021.4",
        "Last updated: February 30, 2021",  # impossible
        "Last updated: 31 June 2021",  # impossible, and not read as "June 2021"
        "Last updated: March 4, 1989",  # before the web had privacy policies
        "Effective date: 01/01/2150",
        "Last updated: 13/13/2021",
        # Too far from the label
        "Last updated: see the change log at the end of this page, which lists every revision "
        "we made, the first on March 4, 2021.",
        # A bare verb in prose, with a date in the same sentence but not right after it
        "We updated our systems and retrained our staff after the incident of March 4, 2021.",
        "We stand by our promise made on March 4, 2021.",  # English "stand" is not "Stand"
        "Our summary 2021 report is out.",  # "mar" inside "summary" is not a month
    ],
)
def test_no_stated_date(text: str) -> None:
    assert stated_date(text) is None


def test_last_updated_wins_over_effective() -> None:
    text = "Effective date: May 25, 2018\nLast updated: March 4, 2021\n\nWe collect data."
    assert stated_date(text) == D
    text = "This policy is effective as of April 1, 2021 and was last updated on March 4, 2021."
    assert stated_date(text) == D


def test_date_near_the_top_wins_over_a_change_log() -> None:
    body = "We collect your name and email address to deliver your orders. " * 100
    text = f"Effective date: March 4, 2021\n\n{body}\n\n## Changes\n\nLast updated: May 1, 2019"
    assert len(body) > 4000
    assert stated_date(text) == D


def test_labelled_date_further_down_is_used_when_the_top_has_none() -> None:
    body = "We collect your name and email address to deliver your orders. " * 100
    assert stated_date(f"# Privacy\n\n{body}\n\n*Last updated: March 4, 2021*") == D


def test_first_label_wins_among_equals() -> None:
    text = "Last updated: March 4, 2021. Earlier: last updated January 2, 2020."
    assert stated_date(text) == D


def test_impossible_date_is_skipped_for_the_next_one() -> None:
    assert stated_date("Last updated: February 30, 2021 (corrected March 4, 2021)") == D


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("on 4 March 2021", D),  # the longest reading, not "March 2021"
        ("03-04-2021", D),
        ("2021.03.04", D),
        ("04. 03. 2021", D),
        ("no date here", None),
    ],
)
def test_first_date(text: str, expected: date | None) -> None:
    assert first_date(text) == expected


def test_first_date_within() -> None:
    assert first_date("...... March 4, 2021", within=7) == D
    assert first_date("....... March 4, 2021", within=7) is None


# The fast path (labels tried only where a start word occurs) against the reference that tries
# every label at every character.
_PIECES = (
    "Last updated: ", "LAST MODIFIED ", "laſt revised ", "Date of the last update: ", "update date",
    "Dernière mise à jour : ", "mis a jour le ", "Version du ", "Zuletzt geändert am ",
    "Letzte Änderung: ", "Stand: ", "stand ", "Updated ", "Revised on ", "modifiée le ",
    "aktualisiert ", "Effective date: ", "effective ", "Entrée en vigueur le ", "en vigueur ",
    "applicable à compter du ", "Gültig ab ", "gultig seit ", "In Kraft seit ", "inkrafttreten ",
    "İstanbul ", "DATE ", "_Updated_ ", "March 4, 2021", "4 mars 2021", "4. März 2021",
    "2021-03-04", "03/04/2021", "4.3.2021", "03/2021", "February 30, 2021", "v1.2 ", "x",
    "We collect data. ", "\n\n", " ", ": ", "-", "ı",
    # Digits other than 0-9 (``\\d`` reads them), a text that is not NFC, labels that overlap.
    "٤ مارس ٢٠٢١", "2021-٠٣-04", "Mise a\u0300 jour : ", "entrée en vigueur en vigueur le ",
    "Last updated last updated ", "2100-01-01", "1990", "20", "199",
)  # fmt: skip


def _reference(text: str) -> date | None:
    return dates._stated_date_everywhere(unicodedata.normalize("NFC", text))


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40), st.integers(0, 5000))
def test_fast_path_matches_the_reference(pieces: list[str], padding: int) -> None:
    text = (
        "".join(pieces[: len(pieces) // 2]) + "z " * padding + "".join(pieces[len(pieces) // 2 :])
    )
    assert stated_date(text) == _reference(text)


def test_fast_path_matches_the_reference_on_generated_policies() -> None:
    rng = random.Random(7)
    for _ in range(200):
        text = "".join(
            rng.choice(_PIECES) + rng.choice(("", "Some prose. " * 40)) for _ in range(30)
        )
        assert stated_date(text) == _reference(text)


def test_every_label_is_at_most_the_width_the_search_assumes() -> None:
    import re._parser as parser  # the widths re itself computes

    for pattern, *_ in dates._LABELS:
        assert parser.parse(pattern.pattern, pattern.flags).getwidth()[1] <= dates._LABEL_WIDTH


@pytest.mark.parametrize("gap", [0, 1, 60, 100, 119, 120, 121, 150, 155, 156, 157, 200, 4000])
@pytest.mark.parametrize("label", ["Last updated: ", "Entrée en vigueur ", "effective "])
def test_labels_are_found_however_far_before_the_year(label: str, gap: int) -> None:
    for date_text in ("March 4, 2021", "2021-03-04", "4 mars 2021"):
        for lead in ("", "x" * 3990, "Updated " * 600):
            text = lead + label + "." * gap + date_text + " and 2020 later"
            assert stated_date(text) == _reference(text)


def test_a_text_without_a_year_has_no_date_and_is_not_read_further() -> None:
    assert dates._year_starts("Last updated: March the fourth, twenty twenty-one.") == []
    # A few too many ("20" inside "2200"), never too few.
    assert dates._year_starts("in 1999, 2001 and 2100; not 2200, 1899 or 21") == [3, 9, 18, 29]
    assert stated_date("Last updated: March the fourth, twenty twenty-one.") is None
