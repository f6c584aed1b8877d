"""The semantic diff engine (pure: no I/O, no database, no imports of other Redline packages).

``compare(old, new)`` segments two Markdown texts into clauses, aligns them and returns a
:class:`Comparison` whose ``to_dict()`` is the ``redline.diff/1`` JSON document of DESIGN.md.
"""

from tracker.diff.engine import compare
from tracker.diff.model import (
    ENGINE_VERSION,
    SCHEMA,
    Change,
    Comparison,
    Span,
    Summary,
    TextInfo,
    comparison_from_dict,
)

__all__ = [
    "ENGINE_VERSION",
    "SCHEMA",
    "Change",
    "Comparison",
    "Span",
    "Summary",
    "TextInfo",
    "compare",
    "comparison_from_dict",
]
