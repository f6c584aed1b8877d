"""Shortcuts in inline diffs and the modality flag give what the plain computations give."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.diff import flags, inline, kinds
from tracker.diff.cleanup import cleanup_semantic
from tracker.diff.flags import modality_changed
from tracker.diff.inline import InlineDiffer
from tracker.diff.reading import Reader

SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
diffs_st = st.lists(
    st.tuples(st.sampled_from([-1, 0, 1]), st.text(alphabet="abcde", min_size=0, max_size=6)),
    max_size=12,
)
WORDS = ["we", "may", "will", "share", "your", "data", " ", "  ", ",", ".", "\n", "-", "is"]
clauses = st.lists(st.sampled_from(WORDS), max_size=14).map("".join)


@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(diffs_st)
def test_semantic_cleanup_equals_the_librarys(diffs: list[tuple[int, str]]) -> None:
    cleaned = list(diffs)
    inline._Cleaner().diff_cleanupSemantic(cleaned)
    assert cleanup_semantic(diffs, inline._Cleaner()) == cleaned


def _plain_ops(old: str, new: str) -> tuple[tuple[str, str], ...]:
    """InlineDiffer.ops without shortcuts: every middle tokenized, diffed and cleaned up."""
    if old == new:
        return (("equal", old),) if old else ()
    head, tail = inline._edges(old, new)
    old_middle, new_middle = old[head : len(old) - tail], new[head : len(new) - tail]
    if not old_middle or not new_middle:
        middle = [("delete", old_middle), ("insert", new_middle)]
    else:
        tokens = inline._TOKEN.findall(old_middle), inline._TOKEN.findall(new_middle)
        codes = {t: chr(0xE000 + k) for k, t in enumerate(dict.fromkeys(tokens[0] + tokens[1]))}
        diffs = inline._diff(*("".join(map(codes.get, side)) for side in tokens))
        inline._Cleaner().diff_cleanupSemantic(diffs)
        back = {char: token for token, char in codes.items()}
        middle = [(inline._OPS[op], "".join(map(back.get, chars))) for op, chars in diffs]
    return inline._merge([("equal", old[:head]), *middle, ("equal", old[len(old) - tail :])])


@SETTINGS
@given(clauses, clauses)
def test_inline_ops_equal_the_plain_diff(old: str, new: str) -> None:
    assert InlineDiffer(budget=1e9).ops(old, new) == _plain_ops(old, new)


def test_reindented_item_is_one_deletion_and_one_insertion() -> None:
    ops = InlineDiffer().ops("-  We share data.", "-    We share data.")
    assert ops == (
        ("equal", "-"),
        ("delete", "  "),
        ("insert", "    "),
        ("equal", "We share data."),
    )


def test_modality_keeps_the_words_before_the_diffed_middle() -> None:
    # "required" is a modal only after a form of "be", which stands in the common beginning.
    assert modality_changed("You are required to give a name.", "You are asked to give a name.")
    assert not modality_changed("Data required to register.", "Data needed to register.")


MODAL_PIECES = [
    "may", "MAY", "May 1, 2021", "ſhall", "shall", "_may_", "may's", "o'may", "2may", "können",
    "KANN", "\u212aann", "required", "is", "we", " ", "-", "'", "1", "\n",
]  # fmt: skip


@SETTINGS
@given(st.lists(st.sampled_from(MODAL_PIECES), max_size=12).map("".join))
def test_no_modal_in_the_word_index_means_no_modal_token(text: str) -> None:
    reading = Reader().read(text)
    if not reading.may_match(flags._MODAL_TERMS):
        assert flags._MODAL_WORDS.isdisjoint(reading.once("tokens", flags._tokens))


LIST_PIECES = ["name", "NAME", "İncluding", "including ", "and", "band", "or", " ", ",", ";", "(",
               "\n", "\t", "\x85", "\u2028", "your", "yours", "as", "has", "e", "x"]  # fmt: skip


@SETTINGS
@given(st.lists(st.sampled_from(LIST_PIECES), max_size=14).map("".join))
def test_list_item_test_reads_only_the_end_before_the_word(text: str) -> None:
    for match in re.finditer("name", text, re.IGNORECASE):
        before = text[: match.start()].rstrip()
        plain = bool(
            kinds._ITEM_BEFORE.search(before)
            or kinds._ITEM_AFTER.match(text[match.end() :].lstrip())
        )
        assert kinds._in_list(text, match) == plain
