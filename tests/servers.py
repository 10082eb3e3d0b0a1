"""Real `hrkg serve` processes for the tests, and what the tests look at from outside: HTTP
as clients speak it, raw sockets as attackers write them, the process tree in /proc, and a
listener that records every connection made to it."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from hrkg.serve import free_port

HR = "https://w3id.org/hrkg/ontology#"
COUNT_MEMBERS = (f"PREFIX hr: <{HR}> SELECT (COUNT(?s) AS ?n) WHERE {{ ?s hr:unMember true }}")
# A query made to run forever: every pair of triples, counted.
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


class Server:
    """`hrkg serve` on a free loopback port, started as a user starts it."""

    def __init__(self, root: Path, tmp: Path, *args: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = tmp / f"serve-{self.port}.log"
        with self.log.open("w") as err:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "hrkg", "serve", "--store", str(root), "--port",
                 str(self.port), *args],
                stdout=subprocess.DEVNULL, stderr=err)
        deadline = time.monotonic() + 180  # loading the store, on a busy machine
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, self.log.read_text()
            try:
                urllib.request.urlopen(self.url + "/examples.json", timeout=5)
                self.started = time.monotonic()
                return
            except OSError:
                time.sleep(0.2)
        self.proc.kill()
        raise AssertionError("hrkg serve did not start in 180 s:\n" + self.log.read_text())

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout=30)

    def text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def pids(self) -> list[int]:
        """The front, the engine and its workers."""
        return [self.proc.pid, *descendants(self.proc.pid)]

    def workers(self) -> list[int]:
        return [p for p in live(descendants(self.proc.pid))
                if p not in live(children(self.proc.pid))]


def get(url: str, accept: str = "*/*", data: bytes | None = None, ctype: str | None = None,
        method: str | None = None, headers: dict[str, str] | None = None,
        timeout: float = 120) -> tuple[int, dict[str, str], bytes]:
    hdrs = {"Accept": accept, **(headers or {})}
    if ctype:
        hdrs["Content-Type"] = ctype
    req = urllib.request.Request(url, data=data, headers=hdrs, method=method)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def q(url: str, query: str, accept: str = "application/sparql-results+json",
      timeout: float = 120) -> tuple[int, dict[str, str], bytes]:
    return get(url + "/query?" + urllib.parse.urlencode({"query": query}), accept,
               timeout=timeout)


def raw(port: int, data: bytes, timeout: float = 60) -> bytes:
    """Send ``data`` as it is and read until the server closes (or ``timeout``)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(data)
        out = b""
        try:
            while chunk := s.recv(65536):
                out += chunk
        except (TimeoutError, ConnectionResetError):
            pass
    return out


def children(pid: int) -> list[int]:
    out = []
    for p in Path("/proc").iterdir():
        if p.name.isdigit():
            try:
                stat = (p / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(p.name))
    return out


def descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        for child in children(todo.pop()):
            found.append(child)
            todo.append(child)
    return found


def state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "gone"


def live(pids: list[int]) -> list[int]:
    return [p for p in pids if state(p) not in ("Z", "gone")]


def rss_mb(pid: int) -> int:
    """Resident memory of ``pid`` in MB, 0 when it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) // 1024
    except OSError:
        pass
    return 0


def private_mb(pid: int) -> int:
    """Memory ``pid`` does not share with another process (a worker shares the store with
    the engine it was forked from), in MB."""
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0
    return sum(int(line.split()[1]) for line in text.splitlines()
               if line.startswith(("Private_Clean:", "Private_Dirty:"))) // 1024


class Listener:
    """A local TCP listener that records every connection made to it: the outside world
    that a SERVICE clause would reach."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(50)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.running = True
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while self.running:
            try:
                conn, _ = self.sock.accept()
                self.connections += 1
                conn.close()
            except OSError:
                continue

    def close(self) -> None:
        self.running = False
        self.thread.join()
        self.sock.close()
