"""The bundled data built into a store for the benchmarks: all of it, or no figures."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from hrkg.build import BuildResult, build
from hrkg.data import data_dir


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
