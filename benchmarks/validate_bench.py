"""Validation benchmark: the fast engine against pySHACL, in the same run, on the bundled
graph (the built store) and on generated graphs shaped like ours (hrkg.synthetic) of 100k, 1M
and 3M triples. Each measurement runs in its own process, so its peak memory is its own.

    python benchmarks/validate_bench.py [--sizes 100000,1000000,3000000] [--pyshacl-up-to N]

Figures: load (file → Oxigraph in-memory store, or → rdflib graph for pySHACL; for the
bundled store, pySHACL's load is the copy of the union graph into rdflib), validate (the
engine alone), peak memory (RSS), results; ratios pySHACL / fast for validate alone and for
load + validate.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def one(engine: str, target: str) -> dict[str, float | int]:
    """Measure one engine on one graph (a file, or ``store:PATH``) in this process."""
    import rdflib
    from pyoxigraph import Store

    from hrkg.resources import ontology_files
    from hrkg.validate import (
        files_store,
        pyshacl_results,
        shapes_graph,
        union_graph,
        validate_store,
    )

    t = time.perf_counter()
    if target.startswith("store:"):
        store = Store.read_only(target[6:])
        data = union_graph(store) if engine == "pyshacl" else None
    elif engine == "fast":
        store = files_store([Path(target)])
    else:
        data = rdflib.Graph().parse(target, format="nt")
        for f in ontology_files():
            data.parse(f, format="turtle")
    load = time.perf_counter() - t
    t = time.perf_counter()
    if engine == "fast":
        n = len(validate_store(store, "fast").results)
    else:
        n = len(pyshacl_results(data, shapes_graph()))
    validate = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"load": load, "validate": validate, "peak_mb": peak, "results": n}


def measure(engine: str, target: str) -> dict[str, float | int]:
    out = subprocess.run([sys.executable, __file__, "--one", engine, target],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def bundled_store(tmp: Path) -> Path:
    from bundled import build_bundled

    from hrkg.store import current_store

    build_bundled(tmp / "store", validate=False)
    return current_store(tmp / "store")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="100000,1000000,3000000")
    ap.add_argument("--pyshacl-up-to", type=int, default=3_000_000,
                    help="skip pySHACL on generated graphs larger than this")
    ap.add_argument("--one", nargs=2, metavar=("ENGINE", "TARGET"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(one(*args.one)))
        return
    from hrkg.synthetic import write

    rows = []
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        targets = [("bundled (store)", f"store:{bundled_store(tmp)}", 0, 0)]
        for n in (int(s) for s in args.sizes.split(",")):
            path = tmp / f"g{n}.nt"
            lines = write(path, n)
            targets.append((f"generated {n // 1000}k", str(path), lines, n))
        for name, target, lines, n in targets:
            fast = measure("fast", target)
            slow = measure("pyshacl", target) if n <= args.pyshacl_up_to else None
            rows.append((name, lines, fast, slow))
            print(f"  measured {name}", file=sys.stderr, flush=True)
    head = (f"{'graph':18} {'triples':>9} {'engine':8} {'load s':>8} {'validate s':>10} "
            f"{'peak MB':>8} {'results':>7} {'x validate':>10} {'x total':>8}")
    print(head)
    print("-" * len(head))
    for name, lines, fast, slow in rows:
        for engine, m in (("fast", fast), ("pyshacl", slow)):
            if m is None:
                print(f"{name:18} {lines or '':>9} {engine:8} {'(skipped)':>8}")
                continue
            ratio_v = ratio_t = ""
            if engine == "pyshacl":
                ratio_v = f"{m['validate'] / fast['validate']:.1f}x"
                ratio_t = f"{(m['load'] + m['validate']) / (fast['load'] + fast['validate']):.1f}x"
            print(f"{name:18} {lines or '':>9} {engine:8} {m['load']:8.2f} {m['validate']:10.2f} "
                  f"{m['peak_mb']:8.0f} {m['results']:7} {ratio_v:>10} {ratio_t:>8}")
        if slow and slow["results"] != fast["results"]:
            print(f"  !! {name}: the engines disagree ({fast['results']} vs {slow['results']})")
    print("x = pySHACL time / fast engine time, same run (validate alone; load + validate)")


if __name__ == "__main__":
    main()
