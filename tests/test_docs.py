"""The documentation stays true: generated CLI reference, README commands, config keys, images."""

from __future__ import annotations

import importlib.util
import re
from dataclasses import fields
from pathlib import Path
from types import ModuleType

from tracker.config import Settings

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
DEMO_COMMAND = "python3 -m venv .venv && .venv/bin/pip install -q -e . && .venv/bin/redline demo"


def _script(name: str) -> ModuleType:
    """A script of docs/ loaded as a module (docs/ is not a package)."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "docs" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _code_lines(text: str) -> list[str]:
    """Every line inside the fenced code blocks of a Markdown text."""
    blocks = re.findall(r"^```[a-z]*\n(.*?)^```", text, re.MULTILINE | re.DOTALL)
    return [line for block in blocks for line in block.splitlines()]


def test_cli_reference_is_up_to_date() -> None:
    reference = _script("make_cli_reference")
    committed = (ROOT / "docs" / "CLI.md").read_text(encoding="utf-8")
    assert reference.render() == committed, (
        "docs/CLI.md is out of date: run `python docs/make_cli_reference.py`"
    )


def test_cli_reference_covers_subgroups() -> None:
    committed = (ROOT / "docs" / "CLI.md").read_text(encoding="utf-8")
    for heading in ("## redline archive serve", "## redline demo", "## redline export"):
        assert f"\n{heading}\n" in committed


def test_readme_test_command_is_what_ci_runs() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()[-1]
    readme = [line for line in _code_lines(README) if "pytest" in line]
    assert readme == [ci], "the README's test command must be exactly the last line of .ci/run"


def test_readme_starts_with_the_two_commands() -> None:
    lines = _code_lines(README)
    assert lines[0] == DEMO_COMMAND
    assert "pytest" in lines[1]
    assert README.index(DEMO_COMMAND) < README.index("## ")  # above the first section


def test_readme_links_and_images_exist() -> None:
    targets = re.findall(r"\]\(((?:docs|tests|tracker)/[^)#]+)\)", README)
    assert "docs/CLI.md" in targets and "docs/EMAIL.md" in targets
    assert any(t.startswith("docs/img/") for t in targets)
    for target in targets:
        assert (ROOT / target).exists(), target


def test_readme_documents_every_config_key() -> None:
    config = README[README.index("## Configuration") :]
    assert "\ndatabase = " in config
    for section in ("archive", "quality", "email", "digest"):
        assert f"\n[{section}]\n" in config, section
        for spec in fields(getattr(Settings(), section)):
            assert f"\n{spec.name.rstrip('_')} = " in config, f"{section}.{spec.name}"


def test_reliability_table_names_only_tests_that_exist() -> None:
    """docs/RELIABILITY.md cites a test for each fault; every one it cites must exist."""
    text = (ROOT / "docs" / "RELIABILITY.md").read_text(encoding="utf-8")
    cited = set(re.findall(r"(tests/[\w/]+\.py)::(\w+)", text))
    assert len(cited) >= 40
    missing = [
        f"{path}::{name}"
        for path, name in sorted(cited)
        if f"def {name}(" not in (ROOT / path).read_text(encoding="utf-8")
    ]
    assert missing == []
