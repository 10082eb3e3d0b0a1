"""Build benchmark: hrkg's build of the bundled data, split into loading, indexing and
validation, against Oxigraph bulk-loading the same quads from an N-Quads file (the floor),
measured in the same run. Prints a table."""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

from bundled import build_bundled, print_table
from pyoxigraph import RdfFormat, Store

from hrkg.graph.store import current_store


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "store"
        t = time.perf_counter()
        result = build_bundled(root, validate=True)
        total = time.perf_counter() - t
        nq = Path(tmp) / "all.nq"
        Store.read_only(str(current_store(root))).dump(str(nq), format=RdfFormat.N_QUADS)
        floor_dir = Path(tmp) / "floor"
        t = time.perf_counter()
        floor = Store(str(floor_dir))
        floor.bulk_load(path=str(nq), format=RdfFormat.N_QUADS)
        floor.flush()
        floor_s = time.perf_counter() - t
        del floor
        shutil.rmtree(floor_dir)
    tm = result.timings
    rows = [("quads", f"{result.triples}", ""),
            ("build total (s)", f"{total:.2f}", f"{total / floor_s:.1f}x floor"),
            ("  loading (s)", f"{tm.get('loading', 0):.2f}",
             f"{tm.get('loading', 0) / floor_s:.1f}x floor"),
            ("  indexing (s)", f"{tm.get('indexing', 0):.2f}", ""),
            ("  validation, fast engine (s)", f"{tm.get('validation', 0):.2f}", ""),
            ("oxigraph bulk load of the same N-Quads (s)", f"{floor_s:.2f}", "1.0x (floor)")]
    print_table(rows)


if __name__ == "__main__":
    main()
