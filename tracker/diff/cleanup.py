"""diff-match-patch's semantic cleanup, its costly pass in one sweep.

``diff_match_patch.diff_cleanupSemantic`` first removes every equality no longer than the edits
on both sides of it (the edits since the equality before it and until the one after it): such an
equality becomes a deletion and an insertion of its text. After each removal it rewinds to the
equality two back and scans again, inserting into its list as it goes, so a clause rewritten
word by word costs it time quadratic in its edits; it took most of the inline diffs' time.

:func:`cleanup_semantic` gives the same diffs. Its first pass keeps the surviving equalities on
a stack, each with the edits before it; removing the top merges its text and those edits into
the edits after the one below, which is then judged again — exactly the equality the rescan
would judge next, on the same counts. The list is built once at the end. Then, as in the
library: ``diff_cleanupMerge`` when an equality went (the library's own), no lossless shifting
(every character here is a whole token), and a deletion and an insertion side by side that
overlap by half of either get the overlap as an equality between them.
"""

from __future__ import annotations

from diff_match_patch import diff_match_patch

Diffs = list[tuple[int, str]]
DELETE, EQUAL, INSERT = -1, 0, 1


def cleanup_semantic(diffs: Diffs, dmp: diff_match_patch) -> Diffs:
    """The diffs after ``dmp.diff_cleanupSemantic`` with a no-op lossless step (module
    docstring); ``diffs`` itself is left as it was."""
    kept = _without_small_equalities(diffs)
    if kept is None:
        kept = list(diffs)
    else:
        dmp.diff_cleanupMerge(kept)
    return _overlaps_split(kept, dmp)


def _without_small_equalities(diffs: Diffs) -> Diffs | None:
    """The diffs with every equality no longer than the edits on both sides of it made a
    deletion and an insertion, judged as the library does; None when none is."""
    stack: list[tuple[int, int, int, int]] = []  # equality: index, length, edits before it
    inserted = deleted = 0  # edits since the equality on top of the stack
    gone: set[int] = set()
    for index, (op, text) in enumerate(diffs):
        if op == EQUAL:
            stack.append((index, len(text), inserted, deleted))
            inserted = deleted = 0
            continue
        if op == INSERT:
            inserted += len(text)
        else:
            deleted += len(text)
        while stack:
            at, length, before_inserted, before_deleted = stack[-1]
            if not length or length > max(before_inserted, before_deleted):
                break
            if length > max(inserted, deleted):
                break
            stack.pop()
            gone.add(at)
            inserted += before_inserted + length
            deleted += before_deleted + length
    if not gone:
        return None
    out: Diffs = []
    for index, (op, text) in enumerate(diffs):
        if index in gone:
            out += [(DELETE, text), (INSERT, text)]
        else:
            out.append((op, text))
    return out


def _overlaps_split(diffs: Diffs, dmp: diff_match_patch) -> Diffs:
    """A deletion then an insertion where the end of one is the start of the other, by half of
    either or more: the overlap becomes an equality between what is left of them (the
    insertion first when it is the deletion's start that the insertion ends with)."""
    out: Diffs = []
    at = 0
    while at < len(diffs):
        op, deletion = diffs[at]
        if op != DELETE or at + 1 == len(diffs) or diffs[at + 1][0] != INSERT:
            out.append(diffs[at])
            at += 1
            continue
        insertion = diffs[at + 1][1]
        out += _split(deletion, insertion, dmp)
        at += 2
    return out


def _split(deletion: str, insertion: str, dmp: diff_match_patch) -> Diffs:
    """One deletion and the insertion after it, their overlap split out when it is large."""
    forward = backward = 0
    # An overlap needs the first character of one inside the other: mostly neither, and then
    # both overlaps are 0 (an empty text still takes the library's path: 0 is half of 0).
    if not deletion or not insertion or insertion[0] in deletion or deletion[0] in insertion:
        forward = dmp.diff_commonOverlap(deletion, insertion)
        backward = dmp.diff_commonOverlap(insertion, deletion)
    if forward >= backward:
        if forward >= len(deletion) / 2 or forward >= len(insertion) / 2:
            return [
                (DELETE, deletion[: len(deletion) - forward]),
                (EQUAL, insertion[:forward]),
                (INSERT, insertion[forward:]),
            ]
    elif backward >= len(deletion) / 2 or backward >= len(insertion) / 2:
        return [
            (INSERT, insertion[: len(insertion) - backward]),
            (EQUAL, deletion[:backward]),
            (DELETE, deletion[backward:]),
        ]
    return [(DELETE, deletion), (INSERT, insertion)]
