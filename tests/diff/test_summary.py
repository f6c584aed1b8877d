"""significance_of rules, summarize counts, silent change and the headline."""

from __future__ import annotations

import pytest

from tracker.diff.classify import significance_of, summarize
from tracker.diff.headline import LIMIT
from tracker.diff.model import Change, InlineOp, Span, TextInfo

SHARING = ("third_party_sharing",)
RETENTION = ("data_retention",)


@pytest.mark.parametrize(
    ("kind", "categories", "flags", "expected"),
    [
        # 1. cosmetic is none, whatever else it carries
        ("cosmetic", SHARING, ("negation",), "none"),
        # 2. only the stated date
        ("modified", ("policy_change",), ("last_updated",), "none"),
        # 3. strong flag in a core category
        ("modified", SHARING, ("negation",), "high"),
        ("modified", ("first_party_collection",), ("modality",), "high"),
        ("added", ("first_party_collection",), ("new_data",), "high"),
        ("modified", ("specific_audiences",), ("new_party",), "high"),
        ("moved", ("user_rights",), ("negation",), "high"),
        ("modified", ("user_choice", "cookies_tracking"), ("negation",), "high"),
        # 4. new kinds elsewhere; negation/modality in other topical categories
        ("modified", ("cookies_tracking",), ("new_party",), "medium"),
        ("modified", ("other",), ("new_data",), "medium"),
        ("modified", ("data_security",), ("negation",), "medium"),
        ("modified", ("other",), ("negation",), "low"),
        # 5. added or removed clause in a core category
        ("added", SHARING, (), "medium"),
        ("removed", RETENTION, (), "medium"),
        ("added", ("contact",), (), "low"),
        # 6. quantity / removed kinds in a core category
        ("modified", RETENTION, ("quantity",), "medium"),
        ("modified", ("specific_audiences",), ("quantity",), "medium"),
        ("modified", SHARING, ("removed_party",), "medium"),
        ("modified", ("cookies_tracking",), ("quantity",), "low"),
        # 7. everything else
        ("modified", SHARING, (), "low"),
        ("moved", SHARING, (), "low"),
        ("modified", ("other",), (), "low"),
    ],
)
def test_significance_rules(
    kind: str, categories: tuple[str, ...], flags: tuple[str, ...], expected: str
) -> None:
    assert significance_of(kind, categories, flags) == expected


def change(
    kind: str = "modified",
    categories: tuple[str, ...] = ("other",),
    flags: tuple[str, ...] = (),
    significance: str = "low",
    section: tuple[str, ...] = (),
    inline: tuple[InlineOp, ...] = (),
    evidence: dict[str, tuple[str, ...]] | None = None,
) -> Change:
    return Change(
        kind=kind,
        old=None if kind == "added" else Span(0, 10),
        new=None if kind == "removed" else Span(0, 10),
        section=section,
        categories=categories,
        evidence=evidence or {},
        flags=flags,
        significance=significance,
        inline=inline,
    )


def info(date: str | None) -> TextInfo:
    return TextInfo(chars=100, sha256="0" * 64, last_updated=date)


SAME = (info("2021-03-04"), info("2021-03-04"))


def test_counts_categories_and_top_significance() -> None:
    changes = [
        change("added", SHARING, significance="medium"),
        change("modified", ("third_party_sharing", "cookies_tracking"), significance="low"),
        change("cosmetic", ("cookies_tracking",), significance="none"),
        change("moved"),
    ]
    summary = summarize(changes, *SAME)
    assert (summary.added, summary.removed, summary.modified, summary.moved) == (1, 0, 1, 1)
    assert summary.cosmetic == 1
    # Cosmetic changes do not count towards categories.
    assert summary.categories == {"third_party_sharing": 2, "cookies_tracking": 1, "other": 1}
    assert summary.significance == "medium"


@pytest.mark.parametrize(
    ("old", "new", "kinds", "silent"),
    [
        ("2021-03-04", "2021-03-04", ("modified",), True),  # same stated date: silent
        ("2021-03-04", "2022-01-10", ("modified",), False),  # the date moved on
        (None, None, ("modified",), False),  # unknown: neither states a date
        ("2021-03-04", None, ("modified",), False),  # the date went away: visible
        ("2021-03-04", "2021-03-04", ("cosmetic",), False),  # nothing substantive
        ("2021-03-04", "2021-03-04", (), False),
    ],
)
def test_silent_change(
    old: str | None, new: str | None, kinds: tuple[str, ...], silent: bool
) -> None:
    summary = summarize([change(kind) for kind in kinds], info(old), info(new))
    assert summary.silent_change is silent


def test_fixed_headlines() -> None:
    assert summarize([], *SAME).headline == "No changes."
    cosmetic = [change("cosmetic", significance="none")] * 3
    assert summarize(cosmetic, *SAME).headline == "Only cosmetic changes."
    date = change(categories=("policy_change",), flags=("last_updated",), significance="none")
    assert summarize([date, *cosmetic], *SAME).headline == "Only the stated date changed."
    # The engine reports a date-only change as cosmetic, with the flag.
    date = change("cosmetic", ("policy_change",), ("last_updated",), significance="none")
    assert summarize([date, *cosmetic], *SAME).headline == "Only the stated date changed."
    assert not summarize([date], *SAME).silent_change


def test_headline_names_the_new_party_and_data_then_counts_per_section() -> None:
    sharing = change(
        categories=SHARING,
        flags=("new_data", "new_party"),
        significance="high",
        section=("How we share information",),
        inline=(("equal", "We share your name "), ("insert", "and email address with advertisers "),
                ("equal", "when you agree.")),
    )  # fmt: skip
    cookies = change(categories=("cookies_tracking",), section=("Cookies",))
    line = summarize([cookies, sharing, cookies], *SAME).headline
    assert line == (
        "Third-party sharing: now shares email address with advertisers (high); "
        "2 clauses reworded in Cookies"
    )


@pytest.mark.parametrize(
    ("flags", "categories", "inline", "expected"),
    [
        (("quantity",), RETENTION,
         (("equal", "We keep logs for "), ("delete", "30"), ("insert", "90"), ("equal", " days.")),
         "Retention: 30 days → 90 days (medium)"),
        (("modality",), SHARING,
         (("equal", "We "), ("delete", "may"), ("insert", "will"), ("equal", " share it.")),
         'Third-party sharing: "may" → "will" (high)'),
        (("negation",), SHARING,
         (("equal", "We "), ("insert", "do not "), ("equal", "sell it.")),
         "Third-party sharing: adds a negation (high)"),
        (("new_data",), ("first_party_collection",),
         (("equal", "We collect your name"), ("insert", " and precise location"), ("equal", ".")),
         "Collection: now collects precise location (high)"),
        (("removed_party",), SHARING,
         (("equal", "We share it with vendors"), ("delete", " and data brokers"),
          ("equal", ".")),
         "Third-party sharing: no longer names data brokers (medium)"),
    ],
)  # fmt: skip
def test_headline_names_the_flag_concretely(
    flags: tuple[str, ...],
    categories: tuple[str, ...],
    inline: tuple[InlineOp, ...],
    expected: str,
) -> None:
    significance = significance_of("modified", categories, flags)
    lead = change(categories=categories, flags=flags, significance=significance, inline=inline)
    assert summarize([lead], *SAME).headline == expected


def test_headline_without_flags_and_sections() -> None:
    added = change("added", SHARING, significance="medium", section=("SHARING YOUR DATA",))
    other = change("modified", significance="low")
    line = summarize([other, added], *SAME).headline
    assert line == (
        "Third-party sharing: clause added in Sharing your data (medium); "
        "1 clause reworded in the introduction"
    )


def test_headline_ignores_cosmetic_and_date_changes_when_there_is_more() -> None:
    date = change(categories=("policy_change",), flags=("last_updated",), significance="none")
    moved = change("moved", SHARING, section=("Sharing",))
    line = summarize([date, change("cosmetic", significance="none"), moved], *SAME).headline
    assert line == "Third-party sharing: clause moved in Sharing (low)"


def test_headline_stays_short_and_counts_what_did_not_fit() -> None:
    changes = [
        change("modified", section=(f"Heading number {i:02d} about things",)) for i in range(12)
    ]
    line = summarize(changes, *SAME).headline
    assert len(line) <= LIMIT
    assert line.endswith("more")
    shown = sum(int(part.split()[0]) for part in line.split("; ")[1:-1])
    assert shown + int(line.rsplit("+", 1)[1].split()[0]) == 11


def test_headline_names_a_second_flagged_change_in_another_category() -> None:
    first = change(
        categories=SHARING,
        flags=("negation",),
        significance="high",
        inline=(("equal", "We "), ("insert", "do not "), ("equal", "sell it.")),
    )
    second = change(categories=RETENTION, flags=("quantity",), significance="medium",
                    inline=(("equal", "Kept "), ("delete", "2"), ("insert", "5"),
                            ("equal", " years.")))  # fmt: skip
    line = summarize([second, first], *SAME).headline
    assert line == (
        "Third-party sharing: adds a negation (high); Retention: 2 years → 5 years (medium)"
    )
