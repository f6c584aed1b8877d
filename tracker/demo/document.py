"""The demo policies as data: a document of sections, and the edits that make each version.

Each version of a demo policy is written as a list of edits to the one before (replace a
sentence, add a section, move one, restate the date), so that the story of the history reads
in one place and every change the diff engine knows is made on purpose. Edits check that what
they change is there exactly once: a typo in a version text fails the build, not the demo.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

# A block is a paragraph (str) or a bulleted list (tuple of items).
Block = str | tuple[str, ...]


@dataclass(frozen=True)
class Section:
    """A heading and the blocks under it."""

    heading: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Document:
    """One version of a policy: title, stated date, introduction and sections."""

    title: str
    updated: str  # the stated "Last updated" date, as the page prints it
    intro: tuple[str, ...]
    sections: tuple[Section, ...]

    def words(self) -> str:
        """All the text, for checks that a word does or does not occur."""
        parts = [self.title, self.updated, *self.intro]
        for section in self.sections:
            parts.append(section.heading)
            for block in section.blocks:
                parts.extend([block] if isinstance(block, str) else block)
        return "\n".join(parts)


@dataclass(frozen=True)
class Site:
    """The company around a policy: names and links its page templates print."""

    company: str  # "Northwind Outfitters"
    domain: str  # "northwind-outfitters.example"
    tagline: str
    nav: tuple[str, ...]  # main navigation labels
    color: str  # the brand colour, for templates that use one


def reword(doc: Document, old: str, new: str) -> Document:
    """Replace ``old`` by ``new`` in the one block (or list item, or intro) that holds it."""
    hits = doc.words().count(old)
    if hits != 1:
        raise ValueError(f"{old!r} occurs {hits} times in {doc.title!r}; expected once")
    intro = tuple(p.replace(old, new) for p in doc.intro)
    sections = tuple(
        Section(s.heading.replace(old, new), tuple(_replace_block(b, old, new) for b in s.blocks))
        for s in doc.sections
    )
    return replace(doc, intro=intro, sections=sections)


def _replace_block(block: Block, old: str, new: str) -> Block:
    if isinstance(block, str):
        return block.replace(old, new)
    return tuple(item.replace(old, new) for item in block)


def drop(doc: Document, text: str) -> Document:
    """Remove the paragraph or list item that is exactly ``text``."""
    if doc.words().count(text) != 1:
        raise ValueError(f"{text!r} is not in {doc.title!r} exactly once")
    sections = []
    for section in doc.sections:
        blocks: list[Block] = []
        for block in section.blocks:
            if isinstance(block, str):
                blocks += [] if block == text else [block]
            else:
                items = tuple(item for item in block if item != text)
                blocks += [items] if items else []
        sections.append(Section(section.heading, tuple(blocks)))
    return replace(doc, sections=tuple(sections))


def append(doc: Document, heading: str, block: Block) -> Document:
    """Add ``block`` at the end of the section called ``heading``."""
    index = _index(doc, heading)
    section = doc.sections[index]
    grown = Section(section.heading, (*section.blocks, block))
    return replace(doc, sections=(*doc.sections[:index], grown, *doc.sections[index + 1 :]))


def insert(doc: Document, section: Section, *, after: str) -> Document:
    """Add a whole section after the one called ``after``."""
    index = _index(doc, after) + 1
    return replace(doc, sections=(*doc.sections[:index], section, *doc.sections[index:]))


def move(doc: Document, heading: str, *, after: str) -> Document:
    """Move the section called ``heading`` to just after the one called ``after``."""
    moving = doc.sections[_index(doc, heading)]
    rest = replace(doc, sections=tuple(s for s in doc.sections if s is not moving))
    return insert(rest, moving, after=after)


def dated(doc: Document, updated: str) -> Document:
    """The same document restating its "Last updated" date."""
    return replace(doc, updated=updated)


def _index(doc: Document, heading: str) -> int:
    for index, section in enumerate(doc.sections):
        if section.heading == heading:
            return index
    raise ValueError(f"no section {heading!r} in {doc.title!r}")


# Typographic punctuation as word processors and WordPress print it: "smart" quotes, dashes.
_OPEN_DOUBLE = re.compile(r'(^|[\s(\[])"')
_APOSTROPHE = re.compile(r"(\w)'")
_OPEN_SINGLE = re.compile(r"(^|[\s(\[])'")


def texturize(text: str) -> str:
    """Curly quotes and en dashes for straight ones, as FrontPage and WordPress made them.

    Only the look of the punctuation changes, so a redesign that starts or stops doing this
    is a cosmetic change to the diff engine, which is exactly what the demo wants to show.
    """
    text = _OPEN_DOUBLE.sub("\\1\u201c", text).replace('"', "\u201d")
    text = _APOSTROPHE.sub("\\1\u2019", text)
    text = _OPEN_SINGLE.sub("\\1\u2018", text).replace("'", "\u2019")
    return text.replace(" -- ", " \u2013 ")
