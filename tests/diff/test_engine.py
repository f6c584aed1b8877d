"""compare(): each kind of change on small hand-written policies."""

from __future__ import annotations

import hashlib
import json

import pytest

from tracker.diff import (
    ENGINE_VERSION,
    SCHEMA,
    Change,
    Comparison,
    compare,
    comparison_from_dict,
)
from tracker.diff.engine import rebuild_new, rebuild_old

POLICY = """# Privacy Policy

Last updated: March 4, 2021

## What we collect

We collect your name and email address when you register. We use cookies, e.g. for analytics.

- We keep your data for 30 days.
- We never sell your data.

## How we share information

We share data with service providers. They must protect it.

## Contact

Contact us at dpo@example.com.
"""


def changes(old: str, new: str) -> list[Change]:
    """The changes, after checking the comparison rebuilds both texts and its spans are exact."""
    comparison = compare(old, new)
    assert rebuild_old(comparison) == old
    assert rebuild_new(comparison) == new
    for change in comparison.changes:
        if change.new:
            new_side = "".join(t for op, t in change.inline if op != "delete")
            assert new[change.new.start : change.new.end] == new_side
        if change.old:
            old_side = "".join(t for op, t in change.inline if op != "insert")
            assert old[change.old.start : change.old.end] == old_side
    return list(comparison.changes)


def only(old: str, new: str) -> Change:
    """The one change between two texts."""
    found = changes(old, new)
    assert len(found) == 1, [(c.kind, c.inline) for c in found]
    return found[0]


def test_identical_texts_have_no_changes() -> None:
    comparison = compare(POLICY, POLICY)
    assert comparison.changes == ()
    assert comparison.summary.significance == "none"


def test_blank_lines_and_indentation_between_clauses_are_no_change() -> None:
    respaced = POLICY.replace("\n\n", "\n\n\n").replace("\n- ", "\n  - ") + "\n\n"
    assert changes(POLICY, respaced) == []


def test_added_sentence() -> None:
    new = POLICY.replace(
        "They must protect it.", "They must protect it. We also share it with advertisers."
    )
    change = only(POLICY, new)
    assert change.kind == "added"
    assert change.old is None and change.new is not None
    assert new[change.new.start : change.new.end] == "We also share it with advertisers."
    assert change.section == ("Privacy Policy", "How we share information")
    assert "third_party_sharing" in change.categories
    assert change.inline == (("insert", "We also share it with advertisers."),)


def test_removed_paragraph() -> None:
    paragraph = "We share data with service providers. They must protect it.\n\n"
    new = POLICY.replace(paragraph, "")
    found = changes(POLICY, new)
    assert [c.kind for c in found] == ["removed", "removed"]
    assert all(c.new is None for c in found)
    assert [POLICY[c.old.start : c.old.end] for c in found if c.old] == [
        "We share data with service providers.",
        "They must protect it.",
    ]
    assert found[0].section == ("Privacy Policy", "How we share information")


def test_removed_clauses_are_placed_where_they_were() -> None:
    old = "A first clause.\n\nB second clause.\n\nC third clause.\n"
    new = "A first clause.\n\nC third clause.\n\nD fourth clause.\n"
    assert [c.kind for c in changes(old, new)] == ["removed", "added"]


def test_reworded_clause_is_modified_with_word_level_inline() -> None:
    new = POLICY.replace("We keep your data for 30 days.", "We keep your data for 90 days.")
    change = only(POLICY, new)
    assert change.kind == "modified"
    assert change.inline == (
        ("equal", "- We keep your data for "),
        ("delete", "30"),
        ("insert", "90"),
        ("equal", " days."),
    )
    assert "quantity" in change.flags


def test_inline_highlights_cover_whole_words() -> None:
    old, new = "We share data with partners.\n", "We share data with our partnerships.\n"
    change = only(old, new)
    assert change.kind == "modified"
    assert ("delete", "partners") in change.inline
    for side, dropped in ((old, "insert"), (new, "delete")):
        position = 0
        for op, text in change.inline:
            if op == dropped:
                continue
            end = position + len(text)
            if op != "equal":  # an edit never starts or ends inside a word
                assert not (position and side[position - 1].isalnum() and side[position].isalnum())
                assert not (side[end - 1].isalnum() and side[end].isalnum())
            position = end


def test_moved_paragraph() -> None:
    old = "# P\n\nAlpha one. Alpha two.\n\nBravo one.\n\nCharlie one.\n\nDelta one.\n"
    new = "# P\n\nBravo one.\n\nCharlie one.\n\nDelta one.\n\nAlpha one. Alpha two.\n"
    found = changes(old, new)
    assert [c.kind for c in found] == ["moved", "moved"]
    assert [new[c.new.start : c.new.end] for c in found if c.new] == ["Alpha one.", "Alpha two."]
    assert all(c.inline == (("equal", new[c.new.start : c.new.end]),) for c in found if c.new)


def test_moved_and_edited_clause_is_moved_with_its_edits() -> None:
    old = (
        "We collect your name and your email address when you register.\n\n"
        "Second paragraph stays here.\n\nThird paragraph stays as well.\n"
    )
    new = (
        "Second paragraph stays here.\n\nThird paragraph stays as well.\n\n"
        "We collect your name and your phone number when you register.\n"
    )
    change = only(old, new)
    assert change.kind == "moved"
    assert ("insert", "phone number") in change.inline
    assert ("delete", "email address") in change.inline


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("We collect  your data.\n", "We collect your data.\n"),  # extra spaces
        ("- We sell nothing.\n", "* We sell nothing.\n"),  # bullet character
        ("1. We sell nothing.\n", "1) We sell nothing.\n"),  # list numbering style
        ("It’s our “policy”.\n", 'It\'s our "policy".\n'),  # curly vs straight quotes
        ("We never sell data.\n", "We **never** sell data.\n"),  # added emphasis
        ("See [our terms](https://a.example/t).\n", "See [our terms](https://b.example/t).\n"),
        ("Wait… really — yes.\n", "Wait... really - yes.\n"),  # ellipsis and dash styles
        ("## Cookies\n", "Cookies\n-------\n"),  # heading style
        ("We collect your\ndata here.\n", "We collect your data here.\n"),  # re-wrapped line
    ],
)
def test_cosmetic_changes(old: str, new: str) -> None:
    change = only(old, new)
    assert change.kind == "cosmetic"
    assert change.significance == "none"
    assert change.old is not None and change.new is not None
    assert change.inline


def test_date_only_change_is_cosmetic_with_last_updated() -> None:
    new = POLICY.replace("Last updated: March 4, 2021", "Last updated: January 10, 2022")
    comparison = compare(POLICY, new)
    [change] = comparison.changes
    assert change.kind == "cosmetic"
    assert change.flags == ("last_updated",)
    assert change.significance == "none"
    assert comparison.old.last_updated == "2021-03-04"
    assert comparison.new.last_updated == "2022-01-10"


def test_abbreviations_do_not_split_a_changed_sentence() -> None:
    old = "We share data with partners, e.g. advertisers in the U.S. and Acme Inc. today.\n"
    new = "We share data with partners, e.g. advertisers in the U.K. and Acme Inc. today.\n"
    change = only(old, new)
    assert change.kind == "modified"
    assert change.new is not None and (change.new.start, change.new.end) == (0, len(new) - 1)


def test_section_paths_of_new_and_removed_clauses() -> None:
    old = "# Policy\n\n## Sharing\n\nWe share with partners.\n\n## Rights\n\nYou may object.\n"
    new = "# Policy\n\n## Sharing\n\n## Rights\n\nYou may object. You may also complain.\n"
    removed, added = changes(old, new)
    assert (removed.kind, removed.section) == ("removed", ("Policy", "Sharing"))
    assert (added.kind, added.section) == ("added", ("Policy", "Rights"))


def test_comparing_with_empty_text_classifies_every_clause() -> None:
    comparison = compare("", POLICY)
    assert {c.kind for c in comparison.changes} == {"added"}
    assert all(c.categories for c in comparison.changes)
    assert comparison.summary.added == len(comparison.changes) == 12
    sharing = [c for c in comparison.changes if "share data" in c.inline[0][1]]
    assert "third_party_sharing" in sharing[0].categories
    assert compare(POLICY, "").summary.removed == 12


def test_changes_come_in_new_text_order() -> None:
    new = (
        POLICY.replace("Last updated: March 4, 2021", "Last updated: June 1, 2021")
        .replace("30 days", "60 days")
        .replace("Contact us at dpo@example.com.", "Write to privacy@example.com.")
    )
    starts = [c.new.start for c in compare(POLICY, new).changes if c.new]
    assert starts == sorted(starts) and len(starts) == 3


def test_text_info_and_json_round_trip() -> None:
    new = POLICY.replace("30 days", "90 days")
    comparison = compare(POLICY, new)
    assert comparison.new.chars == len(new)
    assert comparison.new.sha256 == hashlib.sha256(new.encode("utf-8")).hexdigest()
    document = json.loads(json.dumps(comparison.to_dict()))
    assert document["schema"] == SCHEMA and document["engine"] == ENGINE_VERSION
    assert document["summary"]["modified"] == 1
    again = comparison_from_dict(document, POLICY, new)
    assert isinstance(again, Comparison)
    assert again.changes == comparison.changes


def test_mirror_swaps_added_and_removed() -> None:
    new = (
        POLICY.replace("They must protect it.", "They must protect it. Advertisers too.")
        .replace("30 days", "90 days")
        .replace("We never sell your data.\n", "")
    )
    forward, backward = compare(POLICY, new).summary, compare(new, POLICY).summary
    assert (forward.added, forward.removed) == (backward.removed, backward.added)
    assert (forward.modified, forward.moved, forward.cosmetic) == (
        backward.modified,
        backward.moved,
        backward.cosmetic,
    )


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("word " * 1_000_000, "word " * 500_000 + "other " + "word " * 499_999),  # 5 MB line
        (
            "We collect data. " * 50_000,
            "We collect data. " * 25_000 + "We sell data. " + "We collect data. " * 25_000,
        ),
        (
            " ".join(f"alpha{k % 997} beta{k % 13}." for k in range(30_000)),
            " ".join(f"gamma{k % 991} delta{k % 17}." for k in range(30_000)),
        ),
    ],
    ids=["5MB-single-line", "50k-identical-sentences", "totally-different-30k-words"],
)
def test_adversarial_inputs_compare_exactly(old: str, new: str) -> None:
    # Their timing is printed by bench/diff_speed.py: timed tests flake on shared machines.
    comparison = compare(old, new)
    assert rebuild_old(comparison) == old
    assert rebuild_new(comparison) == new
