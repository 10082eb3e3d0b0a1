"""Endpoint benchmark: `hrkg serve` (our front + the Oxigraph engine) against the bare Oxigraph
server on the same store, in the same run, on loopback. 4 and 16 concurrent clients (keep-alive
connections) for a bounded time, with a light and a heavy example query; requests per second,
p50 and p99 latency, failed requests; memory and threads of the servers at the start and the
end of the run.

    python benchmarks/serve_bench.py [--seconds 8] [--clients 4,16]
"""

from __future__ import annotations

import argparse
import asyncio
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

from hrkg.resources import resource_dir
from hrkg.serve import free_port, server_command

QUERIES = {"light": "state-treaty-actions.rq", "heavy": "parties-per-instrument.rq"}



def wait(url: str, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"server stopped: {proc.args}")
        try:
            urllib.request.urlopen(url + "/query?query=ASK%7B%7D", timeout=1)
            return
        except OSError:
            time.sleep(0.1)
    sys.exit(f"server did not start: {proc.args}")


def proc_stats(pids: list[int]) -> tuple[int, int]:
    """(RSS in MB, threads) summed over the processes."""
    rss = threads = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    rss += int(line.split()[1]) // 1024
                elif line.startswith("Threads:"):
                    threads += int(line.split()[1])
        except OSError:
            pass
    return rss, threads


def children(pid: int) -> list[int]:
    out = []
    for p in Path("/proc").iterdir():
        if p.name.isdigit():
            try:
                if int((p / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    out.append(int(p.name))
            except OSError:
                continue
    return out


async def load(url: str, query: str, clients: int, seconds: float) -> dict[str, float]:
    target = url + "/query?" + urllib.parse.urlencode({"query": query})
    headers = {"Accept": "application/sparql-results+json"}
    latencies: list[float] = []
    failures = 0
    stop = time.perf_counter() + seconds

    async def client(session: aiohttp.ClientSession) -> None:
        nonlocal failures
        while time.perf_counter() < stop:
            t = time.perf_counter()
            try:
                async with session.get(target, headers=headers) as resp:
                    await resp.read()
                    if resp.status != 200:
                        failures += 1
                        continue
            except aiohttp.ClientError:
                failures += 1
                continue
            latencies.append(time.perf_counter() - t)

    connector = aiohttp.TCPConnector(limit=clients, force_close=False)
    async with aiohttp.ClientSession(connector=connector) as session:
        started = time.perf_counter()
        await asyncio.gather(*(client(session) for _ in range(clients)))
        elapsed = time.perf_counter() - started
    latencies.sort()
    n = len(latencies)
    return {"requests": n, "failed": failures, "rps": n / elapsed,
            "p50": statistics.median(latencies) * 1000 if n else float("nan"),
            "p99": latencies[min(n - 1, int(n * 0.99))] * 1000 if n else float("nan")}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=8.0)
    ap.add_argument("--clients", default="4,16")
    ap.add_argument("--bare-timeout", type=int, default=0,
                    help="give the bare server --timeout-s (default: none; with it the bare "
                         "server keeps a thread per query for that many seconds)")
    ap.add_argument("--store", help="store root (default: build the bundled data into a "
                                    "temporary one)")
    args = ap.parse_args()
    queries = {k: (resource_dir("queries") / v).read_text() for k, v in QUERIES.items()}
    with tempfile.TemporaryDirectory() as tmp:
        if args.store:
            root = Path(args.store)
        else:
            from bundled import build_bundled
            root = Path(tmp) / "store"
            build_bundled(root, validate=False)
        ours_port, bare_port = free_port(), free_port()
        ours = subprocess.Popen([sys.executable, "-m", "hrkg", "serve", "--store", str(root),
                                 "--port", str(ours_port)], stderr=subprocess.DEVNULL)
        bare = subprocess.Popen(server_command(root, "127.0.0.1", bare_port,
                                               args.bare_timeout or None),
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        urls = {"hrkg serve": f"http://127.0.0.1:{ours_port}",
                "bare oxigraph": f"http://127.0.0.1:{bare_port}"}
        try:
            wait(urls["hrkg serve"], ours)
            wait(urls["bare oxigraph"], bare)
            pids = {"hrkg serve": [ours.pid, *children(ours.pid)], "bare oxigraph": [bare.pid]}
            before = {k: proc_stats(v) for k, v in pids.items()}
            rows = []
            for kind, query in queries.items():
                for n in (int(c) for c in args.clients.split(",")):
                    for name in ("bare oxigraph", "hrkg serve"):
                        asyncio.run(load(urls[name], query, n, 1.0))  # warm up
                        r = asyncio.run(load(urls[name], query, n, args.seconds))
                        rows.append((kind, n, name, r))
                        print(f"  {kind} x{n} {name}: {r['rps']:.0f} req/s", file=sys.stderr)
            after = {k: proc_stats(v) for k, v in pids.items()}
        finally:
            for p in (ours, bare):
                p.send_signal(signal.SIGTERM)
                p.wait(timeout=20)
    head = (f"{'query':6} {'clients':>7} {'endpoint':14} {'req/s':>8} {'p50 ms':>8} "
            f"{'p99 ms':>8} {'failed':>6}  vs bare")
    print(head)
    print("-" * len(head))
    base = {}
    for kind, n, name, r in rows:
        if name == "bare oxigraph":
            base[(kind, n)] = r
            vs = ""
        else:
            b = base[(kind, n)]
            vs = (f"p50 {r['p50'] / b['p50']:.2f}x ({r['p50'] - b['p50']:+.2f} ms), "
                  f"req/s {r['rps'] / b['rps']:.2f}x")
        print(f"{kind:6} {n:>7} {name:14} {r['rps']:8.0f} {r['p50']:8.2f} {r['p99']:8.2f} "
              f"{r['failed']:>6}  {vs}")
    print("\nmemory and threads, start → end of the run:")
    for name in pids:
        (m0, t0), (m1, t1) = before[name], after[name]
        print(f"  {name:14} RSS {m0} → {m1} MB, threads {t0} → {t1}")
    print(f"\nlight = {QUERIES['light']}, heavy = {QUERIES['heavy']}; {args.seconds:g} s per "
          "run after a 1 s warm-up; one client process (asyncio, keep-alive); bare = "
          "oxigraph serve-read-only --union-default-graph"
          + (f" --timeout-s {args.bare_timeout}" if args.bare_timeout else ""))


if __name__ == "__main__":
    main()
