"""A policy's whole history as JSON: the `log --json` document, each version with its
full comparison (the ``redline.diff/1`` document of DESIGN.md, or null for the first)."""

from __future__ import annotations

import json
import re
from typing import Any

from tracker.export.report import Report
from tracker.listing import policy_json, version_json

# json.dumps leaves DEL and C1 controls raw with ensure_ascii=False; a terminal acts on some.
_RAW_CONTROLS = re.compile("[\x7f-\x9f]")


def report_document(report: Report) -> dict[str, Any]:
    """The export as a JSON-ready dictionary."""
    versions = []
    for entry in report.entries:
        document = version_json(entry.version, entry.summary)
        document["comparison"] = entry.comparison.to_dict() if entry.comparison else None
        versions.append(document)
    return {"policy": policy_json(report.stats, report.archive), "versions": versions}


def render_report_json(report: Report) -> str:
    """The export as indented UTF-8 JSON text."""
    text = json.dumps(report_document(report), ensure_ascii=False, indent=2)
    return _RAW_CONTROLS.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"
