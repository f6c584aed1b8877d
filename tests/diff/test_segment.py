"""Segmentation: Markdown blocks, sentences, section paths and exact spans."""

from __future__ import annotations

import time

import pytest

from tracker.diff.chunks import chunks
from tracker.diff.segment import Clause, Segmenter, segment


def texts(text: str) -> list[str]:
    """The clause texts of ``text``, checking every span on the way."""
    clauses = segment(text)
    for clause in clauses:
        assert text[clause.start : clause.end] == clause.text
    return [c.text for c in clauses]


@pytest.mark.parametrize(
    "sentence",
    [
        "We share data with partners, e.g. advertisers, and with processors.",
        "This applies to users in the U.S. and the U.K. only when they agree.",
        "Acme Inc. is based in Dublin.",
        "Acme Ltd. and Acme Co. are our affiliates.",
        "We keep logs, i.e. records of requests, for a while.",
        "See No. 5 of our terms.",
        "Call Dr. Smith or Mr. Jones at St. Mary's office.",
        "Our plans vs. theirs.",
        "We collect names, addresses, etc. when you register.",
        "The fee is 1.5 percent of 2.75 dollars.",
        "Visit https://example.com/privacy.html?lang=en.x for details.",
        "Write to dpo@corp.example.co.uk for help.",
        "John F. Kennedy did not write this policy.",
    ],
)
def test_abbreviations_decimals_urls_and_emails_do_not_split(sentence: str) -> None:
    assert texts(sentence) == [sentence]


def test_sentences_split_after_final_punctuation() -> None:
    text = "We collect data. Do we sell it? No! We use cookies, etc. We also log visits."
    assert texts(text) == [
        "We collect data.",
        "Do we sell it?",
        "No!",
        "We use cookies, etc.",
        "We also log visits.",
    ]


def test_a_sentence_may_end_after_a_url_closing_quotes_or_emphasis() -> None:
    text = 'See https://example.com. "We mean it." **Bold sentence.** Next one.'
    assert texts(text) == [
        "See https://example.com.",
        '"We mean it."',
        "**Bold sentence.**",
        "Next one.",
    ]


def test_short_enumerations_stay_in_one_clause() -> None:
    text = "We use it to (a) run the service, (b) keep it safe and (c) improve it."
    assert texts(text) == [text]


def test_long_enumerations_split_before_each_item() -> None:
    items = [
        "(a) collect your name, email address and phone number when you sign up;",
        "(b) collect your location from your device whenever you allow us to;",
        "(c) collect the photos and other content you choose to upload for others.",
    ]
    text = "We may, depending on your settings: " + " ".join(items)
    assert texts(text) == ["We may, depending on your settings:", *items]


def test_blocks_headings_lists_tables_and_quotes() -> None:
    text = (
        "# Privacy Policy\n\n"
        "Intro paragraph without a full stop\n\n"
        "Who we are\n----------\n\n"
        "- First item. Second sentence.\n"
        "* star item\n  continued here.\n"
        "1. numbered\n"
        "2) other style\n\n"
        "| Data | Purpose |\n|---|:---:|\n| Email | Login |\n\n"
        "> Quoted one. Quoted two.\n> Still quoted.\n\n"
        "***\n\n"
        "### Closing ###"
    )
    assert texts(text) == [
        "# Privacy Policy",
        "Intro paragraph without a full stop",
        "Who we are\n----------",
        "- First item.",
        "Second sentence.",
        "* star item\n  continued here.",
        "1. numbered",
        "2) other style",
        "| Data | Purpose |",
        "| Email | Login |",
        "> Quoted one.",
        "Quoted two.",
        "Still quoted.",
        "### Closing ###",
    ]


def test_section_paths_follow_heading_levels() -> None:
    text = (
        "Policy\n======\n\n"
        "Top text.\n\n"
        "## Sharing\n\n"
        "We share.\n\n"
        "### With *partners*\n\n"
        "Partners get data.\n\n"
        "## Rights\n\n"
        "**YOUR CHOICES**\n\n"
        "You may opt out.\n"
    )
    sections = {c.text: c.section for c in segment(text)}
    assert sections["Top text."] == ("Policy",)
    assert sections["We share."] == ("Policy", "Sharing")
    assert sections["Partners get data."] == ("Policy", "Sharing", "With partners")
    assert sections["## Rights"] == ("Policy",)
    assert sections["You may opt out."] == ("Policy", "Rights", "YOUR CHOICES")


def test_headings_are_flagged_and_a_bold_paragraph_with_text_is_not_a_heading() -> None:
    clauses = segment("## Title\n\n**Bold** and more words.\n\n**Bold only**\n")
    assert [(c.text, c.heading) for c in clauses] == [
        ("## Title", True),
        ("**Bold** and more words.", False),
        ("**Bold only**", True),
    ]


def test_spans_are_code_point_offsets_in_non_ascii_text() -> None:
    text = "## Données\n\nNous collectons vos données. Émoji 😀 ici.\n"
    clauses = segment(text)
    assert [text[c.start : c.end] for c in clauses] == [
        "## Données",
        "Nous collectons vos données.",
        "Émoji 😀 ici.",
    ]


def test_crlf_line_ends_stay_outside_clauses() -> None:
    text = "# Title\r\n\r\nOne sentence.\r\nSame paragraph.\r\n"
    assert texts(text) == ["# Title", "One sentence.", "Same paragraph."]


def test_empty_and_blank_texts_have_no_clauses() -> None:
    assert segment("") == []
    assert segment("\n \n\t\n") == []


def test_piecewise_segmentation_equals_whole_segmentation() -> None:
    text = (
        "Title\n=====\n\nA. B c.\n\n## Part\n\n- one\n- two\n\n**Bold head**\n\n"
        "Text here. More text.\n\n| a | b |\n\n> quote\n"
    )
    whole = segment(text)
    pieces = chunks(text)
    for skipped in range(len(pieces)):
        segmenter = Segmenter(text)
        found: list[Clause] = []
        for k, span in enumerate(pieces):
            if k == skipped:
                segmenter.skip([span])
            else:
                found.extend(segmenter.clauses(*span))
        assert found == [c for c in whole if not pieces[skipped][0] <= c.start < pieces[skipped][1]]


def test_segmenting_is_linear_time() -> None:
    unit = "We collect data, e.g. names. We share it with partners (a) and (b).\n\n"
    small, large = unit * 2_000, unit * 20_000
    started = time.perf_counter()
    segment(small)
    small_time = time.perf_counter() - started
    started = time.perf_counter()
    assert len(segment(large)) == 40_000
    large_time = time.perf_counter() - started
    assert large_time < 20 * small_time + 0.5  # 10× the text, not 100× the time


def test_a_huge_single_line_is_one_fast_clause() -> None:
    line = "word " * 1_000_000
    started = time.perf_counter()
    assert len(segment(line)) == 1
    assert time.perf_counter() - started < 2.0


@pytest.mark.parametrize("mark", [".", "?"])
def test_long_runs_of_marks_take_linear_time(mark: str) -> None:
    # A boundary candidate tried at every mark of a run cost time quadratic in its length.
    def timed(size: int) -> float:
        text = "We share data.\n\nContents" + mark * size + " page 3\n"
        started = time.perf_counter()
        assert segment(text)[0].text == "We share data."
        return time.perf_counter() - started

    small, large = timed(2_000), timed(20_000)
    assert large < 20 * small + 0.5  # 10× the run, not 100× the time
