"""Endpoint benchmark: `hrkg serve` against the bare Oxigraph server (`oxigraph
serve-read-only`) on the same built store, in the same run, on loopback.

1. Start: seconds until `hrkg serve` answers, and memory of its processes (RSS of each;
   the proportional total, PSS, counts the store the workers share with the engine once).
2. Every query in queries/: the median of several runs, one client, on both servers, and
   the ratio. The research queries are marked against the goal of 2 s.
3. A light query (state-treaty-actions.rq) at 1 and 16 clients for a fixed time: p50 and
   p99 latency, requests per second, failures; the overhead of hrkg serve in ms.
4. Soak: mixed clients (light and research queries) for --soak-minutes, each pausing more
   than 60 s now and then: errors must be 0.

    python benchmarks/serve_bench.py [--runs 5] [--seconds 8] [--soak-minutes 10] [--store ROOT]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

import aiohttp

from hrkg.graph.store import current_store
from hrkg.resources import query_files
from hrkg.serve import free_port
from hrkg.serve.engine import SNAPSHOT

LIGHT = "state-treaty-actions.rq"
RESEARCH = {"recommendations-by-regional-group", "support-by-regional-group",
            "recommendations-received-per-cycle", "recommendations-made-per-cycle",
            "coverage-per-session", "themes-by-cycle", "action-categories-by-regional-group",
            "top-recommending-states", "instruments-recommended-by-cycle",
            "parties-by-regional-group", "noted-share-per-reviewed-state",
            "recommendations-per-session"}
GOAL_S = 2.0
BARE_TIMEOUT_S = 120


def wait(url: str, proc: subprocess.Popen, limit: float = 300) -> float:
    start = time.monotonic()
    while time.monotonic() - start < limit:
        if proc.poll() is not None:
            sys.exit(f"server stopped: {proc.args}")
        try:
            urllib.request.urlopen(url + "/query?query=ASK%7B%7D", timeout=2)
            return time.monotonic() - start
        except OSError:
            time.sleep(0.05)
    sys.exit(f"server did not start: {proc.args}")


def tree(pid: int) -> list[int]:
    out, todo = [pid], [pid]
    while todo:
        parent = todo.pop()
        for p in Path("/proc").iterdir():
            if p.name.isdigit():
                try:
                    if int((p / "stat").read_text().rsplit(")", 1)[1].split()[1]) == parent:
                        out.append(int(p.name))
                        todo.append(int(p.name))
                except OSError:
                    continue
    return out


def memory(pids: list[int]) -> tuple[list[int], int]:
    """(RSS of each process in MB, PSS of all of them in MB)."""
    rss, pss = [], 0
    for pid in pids:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
            rss.append(int(status.split("VmRSS:")[1].split()[0]) // 1024)
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
            pss += int(rollup.split("\nPss:")[1].split()[0]) // 1024
        except (OSError, IndexError):
            continue
    return rss, pss


async def one(session: aiohttp.ClientSession, url: str, query: str,
              accept: str = "application/sparql-results+json") -> tuple[int, float]:
    t = time.perf_counter()
    async with session.post(url + "/query", data={"query": query},
                            headers={"Accept": accept}) as resp:
        await resp.read()
        return resp.status, time.perf_counter() - t


async def medians(url: str, queries: dict[str, str], runs: int, cap: float | None
                  ) -> dict[str, tuple[float, int]]:
    """Median seconds per query evaluated (and its status), no answer kept from an earlier
    run; with ``cap``, a query slower than it is run once."""
    out = {}
    timeout = aiohttp.ClientTimeout(total=None)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        for name, query in queries.items():
            times, status = [], 0
            for k in range(runs):
                # each run unlike the others (a trailing VALUES of a variable the query
                # does not use joins one row: the answer is the same), so that hrkg serve
                # evaluates every run instead of answering from its kept answers
                status, took = await one(session, url, f"{query}\nVALUES ?bench_run {{ {k} }}")
                times.append(took)
                if status != 200 or (cap and took > cap):
                    break
            out[name] = (statistics.median(times), status)
            print(f"  {name}: {out[name][0]:.2f} s ({status})", file=sys.stderr)
    return out


def _distinct(query: str, n: int) -> str:
    """The light query made unlike any before it (a filter that keeps every row), so that no
    answer kept from an earlier request can serve it."""
    return query.replace("}\nORDER BY", f"  FILTER(?line != -{n})\n}}\nORDER BY")


async def load(url: str, query: str, clients: int, seconds: float, distinct: bool = False
               ) -> dict[str, float]:
    latencies: list[float] = []
    failures = 0
    stop = time.perf_counter() + seconds
    fixed = url + "/query?" + urllib.parse.urlencode({"query": query})
    counter = iter(range(10**9))

    async def client(session: aiohttp.ClientSession) -> None:
        nonlocal failures
        while time.perf_counter() < stop:
            target = (url + "/query?" + urllib.parse.urlencode(
                {"query": _distinct(query, next(counter))}) if distinct else fixed)
            t = time.perf_counter()
            try:
                async with session.get(target, headers={
                        "Accept": "application/sparql-results+json"}) as resp:
                    await resp.read()
                    if resp.status != 200:
                        failures += 1
                        continue
            except aiohttp.ClientError:
                failures += 1
                continue
            latencies.append(time.perf_counter() - t)

    connector = aiohttp.TCPConnector(limit=clients)
    async with aiohttp.ClientSession(connector=connector) as session:
        started = time.perf_counter()
        await asyncio.gather(*(client(session) for _ in range(clients)))
        elapsed = time.perf_counter() - started
    latencies.sort()
    n = len(latencies)
    return {"requests": n, "failed": failures, "rps": n / elapsed,
            "p50": statistics.median(latencies) * 1000 if n else float("nan"),
            "p99": latencies[min(n - 1, int(n * 0.99))] * 1000 if n else float("nan")}


async def soak(url: str, queries: dict[str, str], minutes: float, clients: int = 8
               ) -> dict[str, int]:
    """Mixed clients; each pauses 61–70 s now and then (idle connections included)."""
    counts = {"requests": 0, "errors": 0, "pauses": 0}
    stop = time.monotonic() + minutes * 60
    light = queries[LIGHT.removesuffix(".rq")]
    research = [q for name, q in queries.items() if name in RESEARCH]

    async def client(i: int) -> None:
        rnd = random.Random(i)
        async with aiohttp.ClientSession() as session:
            while time.monotonic() < stop:
                query = (rnd.choice(research) if rnd.random() < 0.1
                         else _distinct(light, counts["requests"]))
                try:
                    status, _ = await one(session, url, query)
                except aiohttp.ClientError:
                    status = 0
                counts["requests"] += 1
                counts["errors"] += status != 200
                if rnd.random() < 0.01 and stop - time.monotonic() > 75:
                    counts["pauses"] += 1
                    await asyncio.sleep(61 + rnd.random() * 9)

    await asyncio.gather(*(client(i) for i in range(clients)))
    return counts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--seconds", type=float, default=8.0)
    ap.add_argument("--soak-minutes", type=float, default=10.0)
    ap.add_argument("--store", help="store root (default: build the bundled data)")
    args = ap.parse_args()
    queries = {p.stem: p.read_text() for p in query_files()}
    with tempfile.TemporaryDirectory() as tmp:
        if args.store:
            root = Path(args.store)
        else:
            from bundled import build_bundled
            root = Path(tmp) / "store"
            build_bundled(root, validate=False)
        store = current_store(root)
        ours_port, bare_port = free_port(), free_port()
        ours = subprocess.Popen([sys.executable, "-m", "hrkg", "serve", "--store", str(root),
                                 "--port", str(ours_port)], stderr=subprocess.DEVNULL)
        urls = {"hrkg serve": f"http://127.0.0.1:{ours_port}",
                "bare oxigraph": f"http://127.0.0.1:{bare_port}"}
        started = wait(urls["hrkg serve"], ours)
        rss, pss = memory(tree(ours.pid))
        oxigraph = Path(sys.executable).parent / "oxigraph"
        bare = subprocess.Popen([str(oxigraph), "serve-read-only", "--location", str(store),
                                 "--bind", f"127.0.0.1:{bare_port}", "--timeout-s",
                                 str(BARE_TIMEOUT_S)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait(urls["bare oxigraph"], bare)
            print("queries, hrkg serve:", file=sys.stderr)
            ours_q = asyncio.run(medians(urls["hrkg serve"], queries, args.runs, None))
            print("queries, bare oxigraph:", file=sys.stderr)
            bare_q = asyncio.run(medians(urls["bare oxigraph"], queries, args.runs, 10.0))
            rows = []
            light = queries[LIGHT.removesuffix(".rq")]
            assert _distinct(light, 1) != light
            for distinct in (False, True):
                for clients in (1, 16):
                    for name in ("bare oxigraph", "hrkg serve"):
                        asyncio.run(load(urls[name], light, clients, 1.0, distinct))
                        rows.append((distinct, clients, name, asyncio.run(load(
                            urls[name], light, clients, args.seconds, distinct))))
            soaked = (asyncio.run(soak(urls["hrkg serve"], queries, args.soak_minutes))
                      if args.soak_minutes > 0 else None)
            rss_end, pss_end = memory(tree(ours.pid))
        finally:
            for p in (ours, bare):
                p.send_signal(signal.SIGTERM)
                p.wait(timeout=30)

    snapshot_mb = (store / SNAPSHOT).stat().st_size // 1_000_000 if (store / SNAPSHOT).exists() \
        else 0
    print(f"start: hrkg serve answered after {started:.1f} s (snapshot {snapshot_mb} MB); "
          f"RSS per process {rss} MB, PSS total {pss} MB")
    print(f"\n{'query':40} {'hrkg serve s':>12} {'bare s':>9} {'ratio':>7}  goal")
    for name in queries:
        (ot, os_), (bt, bs) = ours_q[name], bare_q[name]
        over = f">{BARE_TIMEOUT_S}" if bs else "fail"
        bare_text = f"{bt:9.2f}" if bs == 200 else f"{over:>9}"
        goal = ("" if name not in RESEARCH else
                "ok (≤ 2 s)" if ot <= GOAL_S and os_ == 200 else "OVER 2 s")
        ratio = f"{bt / ot:6.1f}x" if bs == 200 and ot else "      -"
        print(f"{name:40} {ot:12.2f} {bare_text} {ratio}  {goal}")
    print("\nlight query (state-treaty-actions.rq), keep-alive clients; 'repeated' asks the "
          "same query (hrkg serve answers it from its kept answers), 'distinct' makes each "
          "request unlike any before:")
    print(f"{'queries':9} {'clients':>7} {'endpoint':14} {'req/s':>8} {'p50 ms':>8} "
          f"{'p99 ms':>8} {'failed':>6}  vs bare")
    base = {}
    for distinct, clients, name, r in rows:
        vs = ""
        if name == "bare oxigraph":
            base[(distinct, clients)] = r
        else:
            b = base[(distinct, clients)]
            vs = (f"p50 {r['p50'] - b['p50']:+.2f} ms, req/s {r['rps'] / b['rps']:.2f}x")
        kind = "distinct" if distinct else "repeated"
        print(f"{kind:9} {clients:>7} {name:14} {r['rps']:8.0f} {r['p50']:8.2f} "
              f"{r['p99']:8.2f} {r['failed']:>6}  {vs}")
    if soaked:
        print(f"\nsoak: {args.soak_minutes:g} min, 8 clients, {soaked['requests']} requests, "
              f"{soaked['pauses']} pauses over 60 s, {soaked['errors']} errors")
    print(f"memory at the end: RSS per process {rss_end} MB, PSS total {pss_end} MB")
    print(f"\n{args.runs} runs per query (the bare server's queries over 10 s run once; its "
          f"timeout is {BARE_TIMEOUT_S} s); bare = oxigraph serve-read-only on the same "
          "RocksDB store (default graph: the same merged graph).")


if __name__ == "__main__":
    main()
