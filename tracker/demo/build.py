"""Write the demo archives: ``python -m tracker.demo.build`` rewrites ``tracker/demo/data``.

The WARC files are generated from the templates and version texts of this package and
shipped with it, so that ``redline demo`` needs neither network nor a build step. Building
is deterministic (same inputs, same bytes), so a rebuild shows up in ``git diff`` only when
a template or a text changed.
"""

from __future__ import annotations

import argparse
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import count
from pathlib import Path

from warcio.recordbuilder import RecordBuilder

from tracker.archive import write_warc
from tracker.demo.captures import POLICIES, DemoPolicy, captures

DATA = Path(__file__).parent / "data"
# Any fixed namespace will do: it only has to give the same record ids on every build.
_NAMESPACE = uuid.UUID("5f1c7e0a-3d7b-4c55-9a51-7d3c1e2b9a40")


def warc_path(policy: DemoPolicy, folder: Path = DATA) -> Path:
    """Where the policy's WARC file lives."""
    return folder / f"{policy.name}.warc.gz"


@contextmanager
def _stable_record_ids(name: str) -> Iterator[None]:
    """Make warcio number its records ``uuid5(name, n)`` instead of random UUIDs.

    WARC-Record-ID is the only field warcio fills with randomness (gzip's header time is
    zero and WARC-Date comes from the capture), so this is all determinism takes.
    """
    numbers = count(1)
    original = RecordBuilder.__dict__["_make_warc_id"]

    def make_id(cls: type) -> str:
        return f"<urn:uuid:{uuid.uuid5(_NAMESPACE, f'{name}/{next(numbers)}')}>"

    RecordBuilder._make_warc_id = classmethod(make_id)  # type: ignore[method-assign,assignment]
    try:
        yield
    finally:
        RecordBuilder._make_warc_id = original  # type: ignore[method-assign]


def build(folder: Path = DATA) -> list[Path]:
    """Write one WARC file per demo policy into ``folder``; the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for policy in POLICIES:
        path = warc_path(policy, folder)
        with _stable_record_ids(policy.name):
            write_warc(path, captures(policy))
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> None:
    """Command-line entry: build into ``--out`` (default: the package's data folder)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DATA, help="folder to write into")
    args = parser.parse_args(argv)
    for path in build(args.out):
        print(f"wrote {path} ({path.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
