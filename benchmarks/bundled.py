"""What the benchmarks share: the bundled data built into a store (all of it, or no
figures) and the table they print."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from hrkg.datasets import data_dir
from hrkg.graph.build import BuildResult, build


def build_bundled(root: Path, validate: bool) -> BuildResult:
    """Build every pinned dataset into ``root``; stop the benchmark when some are missing
    (figures on part of the data would mislead) or the build fails."""
    data = data_dir(os.environ.get("HRKG_DATA"))
    result = build(data, root, validate=validate)
    if result.missing:
        sys.exit(f"{len(result.missing)} pinned datasets are missing under {data}: set HRKG_DATA "
                 "(or run `hrkg data fetch`); no figures on part of the data")
    if not result.ok:
        sys.exit(f"build failed: {result.failed}")
    return result


def timed(fn):
    """(what ``fn()`` returns, the seconds it took)."""
    t = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t


def print_table(rows: list[tuple[str, str, str]]) -> None:
    """Rows of (figure, value, ratio) as an aligned table."""
    width = max(len(r[0]) for r in rows)
    value_width = max(10, *(len(r[1]) for r in rows))
    print(f"{'figure':{width}}  {'value':>{value_width}}  ratio")
    for name, value, ratio in rows:
        print(f"{name:{width}}  {value:>{value_width}}  {ratio}")
