"""Properties of compare() on generated policy-like Markdown and edits of it.

A document is a list of blocks (headings, paragraphs of sentences, bullet and numbered lists),
rendered to Markdown; an edit changes the blocks (add, remove, reword, move, restyle…) and the
result is rendered again. For every pair: the comparison rebuilds both texts from their
unchanged regions and the changes' inline operations, spans never overlap, the clauses outside
the changes are the same on both sides and in the same order, and compare(b, a) mirrors
compare(a, b).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from itertools import pairwise

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.diff import Comparison, compare
from tracker.diff.engine import rebuild_new, rebuild_old
from tracker.diff.model import Span
from tracker.diff.segment import segment

VOCABULARY = (
    "we collect share your data with partners cookies may will not retain information "
    "personal third parties delete account rights access email address location advertisers "
    "service providers for days years children under consent security transfer law analytics "
    "never sell store process request the a of to and or in"
)
WORDS = tuple(VOCABULARY.split(" "))
SETTINGS = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@dataclass(frozen=True)
class Block:
    """One Markdown block: a heading, a paragraph or a list (items are sentences)."""

    kind: str  # "heading" | "paragraph" | "bullets" | "numbers"
    sentences: tuple[str, ...]
    marker: str = "-"


@st.composite
def sentences(draw: st.DrawFn) -> str:
    """A sentence: capitalised words, maybe a number or an abbreviation, final punctuation."""
    words = draw(st.lists(st.sampled_from(WORDS), min_size=2, max_size=12))
    if draw(st.booleans()):
        words.insert(
            draw(st.integers(0, len(words))), draw(st.sampled_from(["30", "e.g.", "U.S."]))
        )
    return words[0].capitalize() + " " + " ".join(words[1:]) + draw(st.sampled_from(".?!."))


@st.composite
def blocks(draw: st.DrawFn) -> Block:
    """A heading, a paragraph of 1–4 sentences, or a list of 1–4 items."""
    kind = draw(st.sampled_from(["heading", "paragraph", "paragraph", "bullets", "numbers"]))
    if kind == "heading":
        title = " ".join(draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=4)))
        return Block(kind, (title.capitalize(),), draw(st.sampled_from(["#", "##", "###"])))
    size = draw(st.integers(1, 4))
    items = tuple(draw(st.lists(sentences(), min_size=size, max_size=size)))
    marker = {"bullets": "-", "numbers": "."}.get(kind, "")
    return Block(kind, items, marker)


def render(document: list[Block], newline: str = "\n") -> str:
    """The Markdown text of a document."""
    out = []
    for block in document:
        if block.kind == "heading":
            out.append(f"{block.marker} {block.sentences[0]}")
        elif block.kind == "paragraph":
            out.append(" ".join(block.sentences))
        elif block.kind == "bullets":
            out.append("\n".join(f"{block.marker} {s}" for s in block.sentences))
        else:
            out.append(
                "\n".join(f"{k}{block.marker} {s}" for k, s in enumerate(block.sentences, 1))
            )
    return (newline * 2).join(part.replace("\n", newline) for part in out) + newline


documents = st.lists(blocks(), min_size=0, max_size=10)


@st.composite
def edited(draw: st.DrawFn, document: list[Block]) -> list[Block]:
    """The document after 1–4 random edits."""
    document = list(document)
    for _ in range(draw(st.integers(1, 4))):
        document = draw(st.sampled_from(EDITS))(draw, document)
    return document


def _pick(draw: st.DrawFn, document: list[Block]) -> int:
    return draw(st.integers(0, len(document) - 1))


def add_block(draw: st.DrawFn, document: list[Block]) -> list[Block]:
    """Insert a new block anywhere."""
    document.insert(draw(st.integers(0, len(document))), draw(blocks()))
    return document


def remove_block(draw: st.DrawFn, document: list[Block]) -> list[Block]:
    """Remove a block."""
    if document:
        del document[_pick(draw, document)]
    return document


def move_block(draw: st.DrawFn, document: list[Block]) -> list[Block]:
    """Move a block elsewhere."""
    if document:
        block = document.pop(_pick(draw, document))
        document.insert(draw(st.integers(0, len(document))), block)
    return document


def reword(draw: st.DrawFn, document: list[Block]) -> list[Block]:
    """Change, add or drop a word in one sentence, or replace the sentence."""
    if not document:
        return document
    k = _pick(draw, document)
    items = list(document[k].sentences)
    s = draw(st.integers(0, len(items) - 1))
    words = items[s].split()
    how = draw(st.sampled_from(["swap", "insert", "drop", "new"]))
    if how == "swap":
        words[draw(st.integers(0, len(words) - 1))] = draw(st.sampled_from(WORDS))
    elif how == "insert":
        words.insert(draw(st.integers(1, len(words))), draw(st.sampled_from(WORDS)))
    elif how == "drop" and len(words) > 2:
        del words[draw(st.integers(1, len(words) - 2))]
    items[s] = draw(sentences()) if how == "new" else " ".join(words)
    document[k] = replace(document[k], sentences=tuple(items))
    return document


def add_or_remove_sentence(draw: st.DrawFn, document: list[Block]) -> list[Block]:
    """Insert a sentence into a block, or remove one."""
    if not document:
        return document
    k = _pick(draw, document)
    items = list(document[k].sentences)
    if document[k].kind != "heading" and draw(st.booleans()):
        items.insert(draw(st.integers(0, len(items))), draw(sentences()))
    elif len(items) > 1:
        del items[draw(st.integers(0, len(items) - 1))]
    document[k] = replace(document[k], sentences=tuple(items))
    return document


def restyle(draw: st.DrawFn, document: list[Block]) -> list[Block]:
    """Cosmetic: another bullet, numbering style or heading level, emphasis, curly quotes."""
    if not document:
        return document
    k = _pick(draw, document)
    block = document[k]
    if block.kind == "bullets":
        document[k] = replace(block, marker=draw(st.sampled_from("-*+")))
    elif block.kind == "numbers":
        document[k] = replace(block, marker=draw(st.sampled_from(".)")))
    elif block.kind == "heading":
        document[k] = replace(block, marker=draw(st.sampled_from(["#", "##", "###"])))
    else:
        items = list(block.sentences)
        s = draw(st.integers(0, len(items) - 1))
        first, *rest = items[s].split(" ", 1)
        style = draw(st.sampled_from(["**{}**", "*{}*", "“{}”", "{}  "]))
        items[s] = " ".join([style.format(first), *rest])
        document[k] = replace(block, sentences=tuple(items))
    return document


EDITS = (add_block, remove_block, move_block, reword, add_or_remove_sentence, restyle)


def check_spans(comparison: Comparison) -> None:
    """Spans in order and apart on the new side, apart on the old side; texts rebuilt."""
    new_spans = [c.new for c in comparison.changes if c.new]
    assert all(a.end <= b.start for a, b in pairwise(new_spans))
    old_spans = sorted((c.old for c in comparison.changes if c.old), key=lambda s: s.start)
    assert all(a.end <= b.start for a, b in pairwise(old_spans))
    assert rebuild_old(comparison) == comparison.old_text
    assert rebuild_new(comparison) == comparison.new_text
    for change in comparison.changes:
        assert (change.old is None) == (change.kind == "added")
        assert (change.new is None) == (change.kind == "removed")
        assert change.categories


def unchanged(text: str, spans: list[Span]) -> list[str]:
    """The clauses of a text outside every change span, in order."""
    return [
        c.text for c in segment(text) if not any(s.start < c.end and c.start < s.end for s in spans)
    ]


@SETTINGS
@given(documents)
def test_a_text_compared_with_itself_has_no_changes(document: list[Block]) -> None:
    text = render(document)
    assert compare(text, text).changes == ()
    # Also when the texts are not the same object or string: whitespace between blocks differs.
    assert compare(text, text.replace("\n\n", "\n\n\n") + "\n").changes == ()


@SETTINGS
@given(st.data(), documents)
def test_comparisons_rebuild_both_texts_and_keep_the_rest_equal(
    data: st.DataObject, document: list[Block]
) -> None:
    newline = data.draw(st.sampled_from(["\n", "\r\n"]))
    old, new = render(document, newline), render(data.draw(edited(document)), newline)
    comparison = compare(old, new)
    check_spans(comparison)
    assert unchanged(old, [c.old for c in comparison.changes if c.old]) == unchanged(
        new, [c.new for c in comparison.changes if c.new]
    )


@SETTINGS
@given(st.data(), documents)
def test_compare_backwards_mirrors_compare_forwards(
    data: st.DataObject, document: list[Block]
) -> None:
    old, new = render(document), render(data.draw(edited(document)))
    forward, backward = compare(old, new).summary, compare(new, old).summary
    assert (forward.added, forward.removed) == (backward.removed, backward.added)
    assert (forward.modified, forward.moved, forward.cosmetic) == (
        backward.modified,
        backward.moved,
        backward.cosmetic,
    )


@SETTINGS
@given(documents)
def test_comparing_with_nothing_adds_every_clause(document: list[Block]) -> None:
    text = render(document)
    comparison = compare("", text)
    check_spans(comparison)
    assert [c.kind for c in comparison.changes] == ["added"] * len(segment(text))
