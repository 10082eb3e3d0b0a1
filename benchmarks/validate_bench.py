"""Validation benchmark: the fast engine against pySHACL, in the same run, on generated graphs
shaped like ours (hrkg.validation.synthetic) of 100k, 1M and 3M triples and on the bundled
graph (the built store), the latter also as the whole ``hrkg validate`` command. Each
measurement runs in its own process, so its peak memory is its own.

    python benchmarks/validate_bench.py [--sizes 100000,1000000,3000000] [--pyshacl-up-to N]

Figures: load (file → Oxigraph in-memory store as ``hrkg validate FILE`` reads it, or → rdflib
graph for pySHACL; for the bundled store, pySHACL's load is the copy of the union graph into
rdflib), validate (the engine alone: wall seconds, and CPU seconds, which a busy shared
machine disturbs less), peak memory (RSS), results; ratios pySHACL / fast for validate alone
and for load + validate. Then the targets of issue 16, met or not, with the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGETS = {"1M validate s": 3.5, "ratio": 50.0, "bundled command s": 2.0}


def one(engine: str, target: str) -> dict[str, float | int]:
    """Measure one engine on one graph (a file, ``store:PATH``, or ``command:PATH``: the
    whole ``hrkg validate --store PATH`` command) in this process."""
    if target.startswith("command:"):
        bin_dir = Path(sys.executable).parent
        cmd = [str(bin_dir / "hrkg"), "validate", "--store", target[8:], "--engine", engine]
        t, c = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
        out = subprocess.run(cmd, capture_output=True, text=True)
        wall = time.perf_counter() - t
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        if out.returncode not in (0, 1):
            raise SystemExit(f"{' '.join(cmd)} failed: {out.stderr}")
        head = out.stdout.splitlines()[0]
        n = sum(int(w) for w, nxt in zip(head.split(), head.split()[1:], strict=False)
                if w.isdigit() and nxt.rstrip(",") in ("violations", "warnings", "infos"))
        return {"load": 0.0, "validate": wall,
                "cpu": usage.ru_utime + usage.ru_stime - c.ru_utime - c.ru_stime,
                "peak_mb": usage.ru_maxrss / 1024, "results": n}

    import rdflib
    from pyoxigraph import Store

    from hrkg.resources import ontology_files
    from hrkg.validation.validate import (
        _load,
        pyshacl_results,
        shapes_graph,
        union_graph,
        validate_store,
    )

    t = time.perf_counter()
    quads = None
    if target.startswith("store:"):
        store = Store.read_only(target[6:])
        data = union_graph(store) if engine == "pyshacl" else None
    elif engine == "fast":  # as hrkg validate FILE reads it
        store, _, quads = _load([Path(target)])
    else:
        data = rdflib.Graph().parse(target, format="nt")
        for f in ontology_files():
            data.parse(f, format="turtle")
    load = time.perf_counter() - t
    t, c = time.perf_counter(), time.process_time()
    if engine == "fast":
        n = len(validate_store(store, "fast", triples=quads).results)
    else:
        n = len(pyshacl_results(data, shapes_graph()))
    validate, cpu = time.perf_counter() - t, time.process_time() - c
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"load": load, "validate": validate, "cpu": cpu, "peak_mb": peak, "results": n}


def measure(engine: str, target: str) -> dict[str, float | int]:
    out = subprocess.run([sys.executable, __file__, "--one", engine, target],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def bundled_store(tmp: Path) -> Path:
    """The root of a build of the bundled data (the folder ``--store`` names)."""
    from bundled import build_bundled

    build_bundled(tmp / "store", validate=False)
    return tmp / "store"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="100000,1000000,3000000")
    ap.add_argument("--pyshacl-up-to", type=int, default=3_000_000,
                    help="skip pySHACL on generated graphs larger than this")
    ap.add_argument("--store", help="the root of an existing build (what hrkg validate "
                                    "--store takes) for the bundled graph (default: build one)")
    ap.add_argument("--one", nargs=2, metavar=("ENGINE", "TARGET"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(one(*args.one)))
        return
    from hrkg.validation.synthetic import write

    rows = []
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        from hrkg.graph.store import current_store

        root = Path(args.store) if args.store else bundled_store(tmp)
        store = current_store(root)
        targets = [(f"generated {n // 1000}k", str(tmp / f"g{n}.nt"), n)
                   for n in (int(s) for s in args.sizes.split(","))]
        lines = {path: write(Path(path), n) for _, path, n in targets}
        targets += [("bundled (store)", f"store:{store}", 0),
                    ("bundled: command", f"command:{root}", 0)]
        for name, target, n in targets:
            fast = measure("fast", target)
            slow = measure("pyshacl", target) if n <= args.pyshacl_up_to else None
            rows.append((name, lines.get(target, 0), fast, slow))
            print(f"  measured {name}", file=sys.stderr, flush=True)
    head = (f"{'graph':18} {'triples':>9} {'engine':8} {'load s':>7} {'valid. s':>8} "
            f"{'cpu s':>7} {'peak MB':>8} {'results':>7} {'x valid.':>8} {'x cpu':>6} "
            f"{'x total':>7}")
    print(head)
    print("-" * len(head))
    for name, n, fast, slow in rows:
        for engine, m in (("fast", fast), ("pyshacl", slow)):
            if m is None:
                print(f"{name:18} {n or '':>9} {engine:8} {'(skipped)':>8}")
                continue
            ratio_v = ratio_c = ratio_t = ""
            if engine == "pyshacl":
                ratio_v = f"{m['validate'] / fast['validate']:.1f}x"
                ratio_c = f"{m['cpu'] / fast['cpu']:.1f}x"
                ratio_t = f"{(m['load'] + m['validate']) / (fast['load'] + fast['validate']):.1f}x"
            print(f"{name:18} {n or '':>9} {engine:8} {m['load']:7.2f} {m['validate']:8.2f} "
                  f"{m['cpu']:7.2f} {m['peak_mb']:8.0f} {m['results']:7} {ratio_v:>8} "
                  f"{ratio_c:>6} {ratio_t:>7}")
        if slow and slow["results"] != fast["results"]:
            print(f"  !! {name}: the engines disagree ({fast['results']} vs {slow['results']})")
    print("x = pySHACL / fast engine, same run (validate alone, wall and CPU; load + validate)")
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the end")
    by_name = {name: (fast, slow) for name, _, fast, slow in rows}
    checks = []
    if "generated 1000k" in by_name:
        fast, slow = by_name["generated 1000k"]
        checks.append(("fast validate at 1M", fast["validate"], "s", "<=",
                       TARGETS["1M validate s"]))
    for size in ("generated 1000k", "generated 3000k"):
        if size in by_name and by_name[size][1]:
            fast, slow = by_name[size]
            checks.append((f"pySHACL / fast at {size.split()[1]}",
                           slow["validate"] / fast["validate"], "x", ">=", TARGETS["ratio"]))
    if "bundled: command" in by_name:
        checks.append(("hrkg validate, bundled store, whole command",
                       by_name["bundled: command"][0]["validate"], "s", "<=",
                       TARGETS["bundled command s"]))
    print("\ntargets (issue 16):")
    for what, value, unit, op, goal in checks:
        met = value <= goal if op == "<=" else value >= goal
        print(f"  {what}: {value:.2f} {unit} (target {op} {goal:g} {unit}): "
              f"{'met' if met else 'NOT met'}")


if __name__ == "__main__":
    main()
