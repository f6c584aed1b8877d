"""Skipping pieces keeps the section paths: a Segmenter that skips any pieces (and reads their
headings only when needed, from the last one back) gives the other pieces' clauses exactly as
segmenting the whole text does."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.diff.chunks import chunks
from tracker.diff.segment import Clause, Segmenter, segment

BLOCKS = [
    "# Privacy Policy",
    "## How we share",
    "### Partners ###",
    "#### Deep",
    "####### Not a heading",
    "    # Indented code, not a heading",
    "Title\n=====",
    "**Privacy Policy**\n==================",
    "**Your rights**\n---",
    "Two lines\nof a title\n---",
    "**YOUR CHOICES**",
    "__Cookies:__",
    "**Bold lead.** Then a sentence.",
    "***",
    "---",
    "- one item\n- **two**\n---",
    "1. First. Second sentence.\n2) Next",
    "We collect data. We share it.",
    "| a | b |\n|---|---|\n| c | d |",
    "> quoted # not a heading\n> more",
    "Text\n# Heading right after a line",
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.sampled_from(BLOCKS), min_size=1, max_size=14),
    st.lists(st.booleans(), min_size=14, max_size=14),
    st.sampled_from(["\n\n", "\n\n\n", "\n \n"]),
)
def test_skipping_any_pieces_keeps_every_other_clause_and_its_section(
    blocks: list[str], skipped: list[bool], separator: str
) -> None:
    text = separator.join(blocks)
    whole = segment(text)
    pieces = chunks(text)
    segmenter = Segmenter(text)
    found: list[Clause] = []
    run: list[tuple[int, int]] = []
    for k, span in enumerate(pieces):
        if skipped[k % len(skipped)]:
            run.append(span)
            continue
        if run:
            segmenter.skip(run)
            run = []
        found.extend(segmenter.clauses(*span))
    kept = [p for k, p in enumerate(pieces) if not skipped[k % len(skipped)]]
    assert found == [c for c in whole if any(a <= c.start < b for a, b in kept)]


def test_a_bold_title_underlined_as_a_heading_stays_above_what_follows() -> None:
    text = "Intro.\n\n**Privacy Policy**\n====\n\n## Data\n\nWe collect data.\n\nWe share it."
    pieces = chunks(text)
    segmenter = Segmenter(text)
    segmenter.skip(pieces[:4])
    (clause,) = segmenter.clauses(*pieces[4])
    assert clause.section == ("Privacy Policy", "Data")
