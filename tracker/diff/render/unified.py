"""A classic line-based unified diff, for ``patch`` and every other tool that reads one.

The texts go out exactly as they are (no escaping, no newline translation), since a patch
that does not match byte for byte does not apply; print it to a terminal with care.
"""

from __future__ import annotations

import difflib

from ..model import Comparison
from .labels import sanitize

NO_NEWLINE = "\\ No newline at end of file\n"


def split_lines(text: str) -> list[str]:
    """Lines as ``patch`` sees them: broken at ``\\n`` only, each keeping its line break.

    ``str.splitlines`` would also break at ``\\r``, form feeds and U+2028, which ``patch`` does not.
    """
    parts = text.split("\n")
    lines = [part + "\n" for part in parts[:-1]]
    return [*lines, parts[-1]] if parts[-1] else lines


def render_unified(
    cmp: Comparison, *, context: int = 3, old_label: str = "old", new_label: str = "new"
) -> str:
    """A unified diff (``---``/``+++``/``@@`` hunks) of the comparison's old and new texts.

    ``context`` is the number of unchanged lines around each hunk. A last line without a line
    break is followed by GNU diff's ``\\ No newline at end of file``. Identical texts give "".
    """
    # Labels come from the caller (file names, NAME@REF): keep them on their own line.
    old_label, new_label = (sanitize(label).replace("\t", " ") for label in (old_label, new_label))
    out = []
    for line in difflib.unified_diff(
        split_lines(cmp.old_text),
        split_lines(cmp.new_text),
        fromfile=old_label,
        tofile=new_label,
        n=max(context, 0),
    ):
        out.append(line if line.endswith("\n") else line + "\n" + NO_NEWLINE)
    return "".join(out)
