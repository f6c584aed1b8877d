"""Word-level inline highlights inside a changed clause, with diff-match-patch.

Each text is cut into tokens (a word, a run of whitespace, or one other character); each distinct
token becomes one private character (diff-match-patch's lines-to-chars trick, applied to words).
The two character strings are diffed, cleaned up as diff-match-patch's ``diff_cleanupSemantic``
does (:mod:`tracker.diff.cleanup`: the same result, its quadratic pass done in one sweep), and
the characters are mapped back. So highlights always cover whole words, and joining the
``equal`` and ``delete`` texts gives the old clause exactly, ``equal`` and ``insert`` the new
one.

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
from collections.abc import Callable, Hashable, Iterable, Sequence

from diff_match_patch import diff_match_patch
from rapidfuzz.distance import Indel

from tracker.diff.cleanup import cleanup_semantic
from tracker.diff.model import InlineOp

BUDGET = 0.2
MAX_TOKENS = 20_000  # both texts together: the LCS table is at most 10,000² bits
MAX_CLEANUP = 2_000  # diffs of more runs (equal or edited) are left uncleaned: a bound on work
MAX_BACKOFF = 1_000

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
        """Inline operations turning ``old`` into ``new`` (module docstring).

        The common beginning and end (cut on token boundaries) are equal as they stand; only the
        middle is tokenized, diffed and cleaned up — the same result, as semantic cleanup never
        merges a leading or trailing equality into an edit.
        """
        if old == new:
            return (("equal", old),) if old else ()
        head, tail = _edges(old, new)
        old_middle, new_middle = old[head : len(old) - tail], new[head : len(new) - tail]
        if not old_middle or not new_middle or time.perf_counter() > self._deadline:
            middle: Iterable[InlineOp] = [("delete", old_middle), ("insert", new_middle)]
        else:
            middle = self._middle(old_middle, new_middle)
        return _merge([("equal", old[:head]), *middle, ("equal", old[len(old) - tail :])])

    def _middle(self, old: str, new: str) -> Iterable[InlineOp]:
        """The word diff of two texts that differ at both ends."""
        if len(old) + len(new) > MAX_TOKENS * 8:
            return [("delete", old), ("insert", new)]
        old_tokens, new_tokens = _TOKEN.findall(old), _TOKEN.findall(new)
        if len(old_tokens) + len(new_tokens) > MAX_TOKENS:
            return [("delete", old), ("insert", new)]
        if len(old_tokens) == 1 == len(new_tokens):
            # One token each, and they differ (the middles differ at both ends): what the diff
            # and its cleanup would say. Common in re-indented lists ("-  We" → "-   We").
            return [("delete", old), ("insert", new)]
        codes = {
            token: chr(_FIRST_CHAR + k)
            for k, token in enumerate(dict.fromkeys(old_tokens + new_tokens))
        }
        diffs = _diff(
            "".join(map(codes.__getitem__, old_tokens)), "".join(map(codes.__getitem__, new_tokens))
        )
        if len(diffs) <= MAX_CLEANUP:
            diffs = cleanup_semantic(diffs, self._dmp)
        tokens = {char: token for token, char in codes.items()}
        return [(_OPS[op], "".join(map(tokens.__getitem__, chars))) for op, chars in diffs]


def _diff(old: str, new: str) -> list[tuple[int, str]]:
    """A shortest edit script in diff-match-patch's form: (-1 | 0 | 1, text), each run of
    edits as one deletion then one insertion."""
    diffs: list[tuple[int, str]] = []
    i = 0  # where the last run of edits ended in old
    for i1, i2, j1, j2 in edit_runs(old, new):
        if i1 > i:
            diffs.append((0, old[i:i1]))
        if i2 > i1:
            diffs.append((-1, old[i1:i2]))
        if j2 > j1:
            diffs.append((1, new[j1:j2]))
        i = i2
    if len(old) > i:
        diffs.append((0, old[i:]))
    return diffs


def edit_runs(a: Sequence[Hashable], b: Sequence[Hashable]) -> list[tuple[int, int, int, int]]:
    """A shortest diff of two sequences (rapidfuzz's ``Indel``, in C++) as its runs of edits
    between equal stretches: (start, end) in ``a``, then in ``b``."""
    runs: list[tuple[int, int, int, int]] = []
    i = j = 0  # where the last equal stretch ended, in a and in b
    for tag, i1, i2, j1, j2 in Indel.opcodes(a, b).as_list():
        if tag == "equal":
            if i1 > i or j1 > j:
                runs.append((i, i1, j, j1))
            i, j = i2, j2
    if len(a) > i or len(b) > j:
        runs.append((i, len(a), j, len(b)))
    return runs


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
    """A linear-time diff: common prefix and suffix on token boundaries, the middle replaced."""
    head, tail = _edges(old, new)
    return _merge(
        [
            ("equal", old[:head]),
            ("delete", old[head : len(old) - tail]),
            ("insert", new[head : len(new) - tail]),
            ("equal", old[len(old) - tail :]),
        ]
    )


def _edges(old: str, new: str) -> tuple[int, int]:
    """Lengths of the common prefix and suffix of two different texts, cut back to token
    boundaries in both (given up on past ``MAX_BACKOFF`` characters: one huge token)."""
    head = common_prefix(old, new)
    head = _back_off(head, lambda k: _joins(old, k) or _joins(new, k))
    limit = min(len(old), len(new)) - head
    tail = common_prefix(old[len(old) - limit :][::-1], new[len(new) - limit :][::-1])
    tail = _back_off(tail, lambda k: _joins(old, len(old) - k) or _joins(new, len(new) - k))
    return head, tail


def _back_off(length: int, inside: Callable[[int], bool]) -> int:
    """``length`` reduced until it falls between tokens, or 0 after ``MAX_BACKOFF`` steps."""
    for step in range(MAX_BACKOFF):
        if length - step <= 0 or not inside(length - step):
            return max(0, length - step)
    return 0


def _joins(text: str, position: int) -> bool:
    """Whether one token spans ``position`` (the characters before and after it), as _TOKEN
    reads tokens: runs of word characters and runs of whitespace."""
    if position <= 0 or position >= len(text):
        return False
    before, after = text[position - 1], text[position]
    word = (before.isalnum() or before == "_") and (after.isalnum() or after == "_")
    return word or (before.isspace() and after.isspace())


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
