"""Word-level inline highlights inside a changed clause, with diff-match-patch.

Each text is cut into tokens (a word, a run of whitespace, or one other character); each distinct
token becomes one private character (diff-match-patch's lines-to-chars trick, applied to words).
The two character strings are diffed, cleaned up with diff-match-patch's
``diff_cleanupSemantic``, and the characters are mapped back. So highlights always cover whole
words, and joining the ``equal`` and ``delete`` texts gives the old clause exactly, ``equal`` and
``insert`` the new one.

The diff itself is rapidfuzz's ``Indel.opcodes`` (a longest common subsequence in C++), not
diff-match-patch's ``diff_main``: both give a shortest edit script, but diff-match-patch's
bisection is pure Python and took 3–4 ms per pair of heavily rewritten clauses, so a rewritten
policy took seconds. Every path is bounded: one comparison spends at most ``BUDGET`` seconds on
inline diffs, and clauses over ``MAX_TOKENS`` tokens, or any once the budget is spent, get a
coarse diff: common prefix and suffix (on word boundaries), the middle deleted and inserted.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable

from diff_match_patch import diff_match_patch
from rapidfuzz.distance import Indel

from tracker.diff.model import InlineOp

BUDGET = 0.2
MAX_TOKENS = 20_000  # both texts together: the LCS table is at most 10,000² bits
MAX_CLEANUP = 2_000  # diff_cleanupSemantic is quadratic in the number of edits

_TOKEN = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)
_OPS = {0: "equal", 1: "insert", -1: "delete"}
_FIRST_CHAR = 0xE000  # above the surrogates; MAX_TOKENS keeps codes under 0x10FFFF


class _Cleaner(diff_match_patch):  # type: ignore[misc]
    """diff-match-patch without the character-class boundary shifting of semantic cleanup.

    ``diff_cleanupSemanticLossless`` slides edits to word and line boundaries judged by
    character classes; here every character is a whole token in the private use area, so it
    has nothing to judge and only costs time.
    """

    def diff_cleanupSemanticLossless(self, diffs: list[tuple[int, str]]) -> None:
        """Nothing to do: edits already lie on token boundaries."""


class InlineDiffer:
    """Inline diffs for one comparison, sharing one time budget."""

    def __init__(self, budget: float = BUDGET) -> None:
        self._deadline = time.perf_counter() + budget
        self._dmp = _Cleaner()

    def ops(self, old: str, new: str) -> tuple[InlineOp, ...]:
        """Inline operations turning ``old`` into ``new`` (module docstring)."""
        if old == new:
            return (("equal", old),) if old else ()
        if time.perf_counter() > self._deadline or len(old) + len(new) > MAX_TOKENS * 8:
            return coarse(old, new)
        old_tokens, new_tokens = _TOKEN.findall(old), _TOKEN.findall(new)
        if len(old_tokens) + len(new_tokens) > MAX_TOKENS:
            return coarse(old, new)
        codes = {
            token: chr(_FIRST_CHAR + k)
            for k, token in enumerate(dict.fromkeys(old_tokens + new_tokens))
        }
        old_chars = "".join(map(codes.__getitem__, old_tokens))
        new_chars = "".join(map(codes.__getitem__, new_tokens))
        diffs = _diff(old_chars, new_chars)
        if len(diffs) <= MAX_CLEANUP:
            self._dmp.diff_cleanupSemantic(diffs)
        tokens = {char: token for token, char in codes.items()}
        return _merge((_OPS[op], "".join(map(tokens.__getitem__, chars))) for op, chars in diffs)


def _diff(old: str, new: str) -> list[tuple[int, str]]:
    """A shortest edit script in diff-match-patch's form: (-1 | 0 | 1, text), each run of
    edits as one deletion then one insertion."""
    diffs: list[tuple[int, str]] = []
    deleted: list[str] = []
    inserted: list[str] = []
    for op in Indel.opcodes(old, new):
        if op.tag != "equal":
            deleted.append(old[op.src_start : op.src_end])
            inserted.append(new[op.dest_start : op.dest_end])
            continue
        _flush(diffs, deleted, inserted)
        diffs.append((0, old[op.src_start : op.src_end]))
    _flush(diffs, deleted, inserted)
    return diffs


def _flush(diffs: list[tuple[int, str]], deleted: list[str], inserted: list[str]) -> None:
    for op, parts in ((-1, deleted), (1, inserted)):
        if any(parts):
            diffs.append((op, "".join(parts)))
        parts.clear()


def _merge(ops: Iterable[InlineOp]) -> tuple[InlineOp, ...]:
    """Adjacent operations of one kind joined, empty ones dropped."""
    merged: list[InlineOp] = []
    for op, text in ops:
        if not text:
            continue
        if merged and merged[-1][0] == op:
            merged[-1] = (op, merged[-1][1] + text)
        else:
            merged.append((op, text))
    return tuple(merged)


def coarse(old: str, new: str) -> tuple[InlineOp, ...]:
    """A linear-time diff: common prefix and suffix on word boundaries, the middle replaced."""
    head = common_prefix(old, new)
    while (
        head > 0
        and old[head - 1].isalnum()
        and ((head < len(old) and old[head].isalnum()) or (head < len(new) and new[head].isalnum()))
    ):
        head -= 1  # do not cut a word
    tail = common_prefix(old[head:][::-1], new[head:][::-1])
    while (
        tail > 0
        and old[len(old) - tail].isalnum()
        and (
            (tail < len(old) - head and old[len(old) - tail - 1].isalnum())
            or (tail < len(new) - head and new[len(new) - tail - 1].isalnum())
        )
    ):
        tail -= 1
    ops = [
        ("equal", old[:head]),
        ("delete", old[head : len(old) - tail]),
        ("insert", new[head : len(new) - tail]),
        ("equal", old[len(old) - tail :]),
    ]
    return _merge(ops)


def common_prefix(a: str, b: str) -> int:
    """Length of the common prefix, by binary search over slice comparisons (C speed)."""
    low, high = 0, min(len(a), len(b))
    while low < high:
        middle = (low + high + 1) // 2
        if a[:middle] == b[:middle]:
            low = middle
        else:
            high = middle - 1
    return low
