"""Word-level inline highlights inside a changed clause, with diff-match-patch.

Each text is cut into tokens (a word, a run of whitespace, or one other character); each distinct
token becomes one private character (the lines-to-chars trick, applied to words), the two
character strings are diffed and cleaned up semantically, and the characters are mapped back. So
highlights always cover whole words, and joining the ``equal`` and ``delete`` texts gives the old
clause exactly, ``equal`` and ``insert`` the new one.

Every path is bounded: each diff has ``DIFF_TIMEOUT`` seconds, one comparison spends at most
``BUDGET`` seconds on diffs in all, and clauses over ``MAX_TOKENS`` tokens, or any once the
budget is spent, get a coarse diff instead: common prefix and suffix (on word boundaries), the
middle deleted and inserted.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable

from diff_match_patch import diff_match_patch

from tracker.diff.model import InlineOp

DIFF_TIMEOUT = 0.05
BUDGET = 0.5
MAX_TOKENS = 20_000
MAX_CLEANUP = 2_000  # diff_cleanupSemantic is quadratic in the number of edits

_TOKEN = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)
_OPS = {0: "equal", 1: "insert", -1: "delete"}
_FIRST_CHAR = 0xE000  # above the surrogates; MAX_TOKENS keeps codes under 0x10FFFF


class InlineDiffer:
    """Inline diffs for one comparison, sharing one time budget."""

    def __init__(self, budget: float = BUDGET) -> None:
        self._deadline = time.perf_counter() + budget
        self._dmp = diff_match_patch()
        self._dmp.Diff_Timeout = DIFF_TIMEOUT

    def ops(self, old: str, new: str) -> tuple[InlineOp, ...]:
        """Inline operations turning ``old`` into ``new`` (module docstring)."""
        if old == new:
            return (("equal", old),) if old else ()
        remaining = self._deadline - time.perf_counter()
        if remaining <= 0 or len(old) + len(new) > MAX_TOKENS * 8:
            return coarse(old, new)
        old_tokens, new_tokens = _TOKEN.findall(old), _TOKEN.findall(new)
        if len(old_tokens) + len(new_tokens) > MAX_TOKENS:
            return coarse(old, new)
        table: dict[str, str] = {}
        tokens: list[str] = []
        old_chars = _encode(old_tokens, table, tokens)
        new_chars = _encode(new_tokens, table, tokens)
        self._dmp.Diff_Timeout = min(DIFF_TIMEOUT, remaining)
        diffs = self._dmp.diff_main(old_chars, new_chars, False)
        if len(diffs) <= MAX_CLEANUP:
            self._dmp.diff_cleanupSemantic(diffs)
        return _merge((_OPS[op], "".join(tokens[ord(c) - _FIRST_CHAR] for c in chars))
                      for op, chars in diffs)


def _encode(words: list[str], table: dict[str, str], tokens: list[str]) -> str:
    """Each token as one character, the same character for the same token."""
    out = []
    for word in words:
        char = table.get(word)
        if char is None:
            char = chr(_FIRST_CHAR + len(tokens))
            table[word] = char
            tokens.append(word)
        out.append(char)
    return "".join(out)


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
    while head > 0 and old[head - 1].isalnum() and (
        (head < len(old) and old[head].isalnum()) or (head < len(new) and new[head].isalnum())
    ):
        head -= 1  # do not cut a word
    tail = common_prefix(old[head:][::-1], new[head:][::-1])
    while tail > 0 and old[len(old) - tail].isalnum() and (
        (tail < len(old) - head and old[len(old) - tail - 1].isalnum())
        or (tail < len(new) - head and new[len(new) - tail - 1].isalnum())
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
