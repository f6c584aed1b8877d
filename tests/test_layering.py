"""The dependency rule: tui → tracker → storage, and tracker/diff depends on nothing of ours."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
OURS = ("tracker", "storage", "tui")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def _our_imports(package: str) -> dict[str, set[str]]:
    result = {}
    for path in (ROOT / package).rglob("*.py"):
        mods = {m for m in _imports(path) if m.split(".")[0] in OURS}
        result[str(path.relative_to(ROOT))] = mods
    return result


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [("storage", ("tracker", "tui")), ("tracker", ("tui",))],
)
def test_lower_layers_do_not_import_higher_ones(package: str, forbidden: tuple[str, ...]) -> None:
    bad = {
        path: sorted(m for m in mods if m.split(".")[0] in forbidden)
        for path, mods in _our_imports(package).items()
    }
    assert {p: m for p, m in bad.items() if m} == {}


def test_diff_engine_imports_nothing_of_ours() -> None:
    bad = {
        path: sorted(m for m in mods if not m.startswith("tracker.diff"))
        for path, mods in _our_imports("tracker/diff").items()
    }
    assert {p: m for p, m in bad.items() if m} == {}


def test_the_checker_sees_imports() -> None:
    # Guard against a vacuous pass: the rule above must be looking at real imports.
    assert any("storage.db" in mods for mods in _our_imports("tracker").values())
