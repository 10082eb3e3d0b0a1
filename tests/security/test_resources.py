"""Memory, depth, time and crashes: each attack meets a limit the kernel or a parser
enforces, costs only its own query, and leaves every process's memory bounded."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import threading
import time
import urllib.parse
from pathlib import Path

import pytest

from tests.servers import COUNT_MEMBERS, RUNAWAY, Server, private_mb, q, rss_mb

CARTESIAN = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f"


def _members_ok(url: str) -> None:
    status, _, body = q(url, COUNT_MEMBERS)
    assert status == 200 and json.loads(body)["results"]["bindings"][0]["n"]["value"] == "193"


def _bounded(server: Server, worker_mb: int) -> None:
    front, engine, *_ = server.pids()
    assert rss_mb(front) < 400, rss_mb(front)
    assert rss_mb(engine) < 1800, rss_mb(engine)  # the store in memory
    for worker in server.workers():
        assert private_mb(worker) < worker_mb, (worker, private_mb(worker))


def test_nesting_past_the_limit_is_refused_before_evaluation(guarded) -> None:
    deep = "SELECT * WHERE " + "{" * 10_000 + " ?s ?p ?o " + "}" * 10_000
    assert len(deep) < 21_000
    status, _, body = q(guarded.url, deep)
    assert status == 400 and b"deeper than this server's limit of 128" in body
    # a long flat chain within the limits is evaluated without harm (the worker's stack is
    # large enough for what the size limit lets through)
    chain = "SELECT * WHERE { ?s ?p ?o FILTER(" + " + ".join(["1"] * 20_000) + " > 0) } LIMIT 1"
    conn_status, _, _ = q(guarded.url, chain)
    assert conn_status in (200, 400)
    _members_ok(guarded.url)
    assert "CRASH" not in guarded.text()


def test_the_cartesian_order_by_meets_the_memory_limit(guarded) -> None:
    status, _, body = q(guarded.url, CARTESIAN)
    assert status == 422 and b"needs more memory than this server gives one query (512 MB)" \
        in body, body[:300]
    assert re.search(r"worker \d+ ran out of its memory limit \(512 MB\)", guarded.text())
    _members_ok(guarded.url)
    _bounded(guarded, worker_mb=700)


def test_a_result_over_the_cap_is_422_not_a_truncated_200(guarded) -> None:
    status, _, body = q(guarded.url, "SELECT * WHERE { ?s ?p ?o }", "text/csv")
    assert status == 422 and b"larger than this server's cap of 16 MB" in body
    _members_ok(guarded.url)


BIG = "SELECT ?s ?p WHERE { ?s ?p ?o } LIMIT 60000"  # about 8 MB as JSON


def test_thirty_slow_readers_do_not_grow_the_front(guarded) -> None:
    """Thirty clients ask for an 8 MB result and read 4 KB of it: results wait in spool
    files within a 48 MB budget (503 beyond it), not in the front's memory."""
    request = (f"GET /query?query={urllib.parse.quote(BIG)} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
               "Accept: application/sparql-results+json\r\n\r\n").encode()
    socks, statuses = [], []
    for _ in range(30):
        s = socket.create_connection(("127.0.0.1", guarded.port), timeout=120)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        s.sendall(request)
        statuses.append(s.recv(4096)[:12])
        socks.append(s)
    try:
        assert set(statuses) <= {b"HTTP/1.1 200", b"HTTP/1.1 503"}, statuses
        assert statuses.count(b"HTTP/1.1 200") >= 3 and b"HTTP/1.1 503" in statuses
        _members_ok(guarded.url)  # everyone else is answered meanwhile
        _bounded(guarded, worker_mb=700)
    finally:
        for s in socks:
            s.close()
    time.sleep(1)
    status, _, body = q(guarded.url, BIG)  # the budget came back with the closed clients
    assert status == 200 and len(json.loads(body)["results"]["bindings"]) == 60_000


def _cpu(pid: int) -> int:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])


def test_a_crash_costs_only_its_own_query(guarded) -> None:
    answers: dict[str, tuple[int, bytes]] = {}

    def runaway() -> None:
        status, _, body = q(guarded.url, RUNAWAY)
        answers["runaway"] = (status, body)

    thread = threading.Thread(target=runaway)
    thread.start()
    busy = None
    deadline = time.monotonic() + 60
    while busy is None and time.monotonic() < deadline:  # the worker burning CPU
        before = {w: _cpu(w) for w in guarded.workers()}
        time.sleep(0.5)
        busy = next((w for w in before if _cpu(w) - before[w] > 20), None)
    assert busy is not None
    os.kill(busy, signal.SIGSEGV)
    thread.join(timeout=60)
    status, body = answers["runaway"]
    assert status == 500 and b"crashed its worker" in body
    assert re.search(rf"CRASH: worker {busy} ended while evaluating a query \(signal 11",
                     guarded.text())
    _members_ok(guarded.url)
    _two_workers(guarded)
    assert busy not in guarded.workers()


@pytest.fixture(scope="module")
def quick(small_built, tmp_path_factory):
    """A short timeout: only the runaway query and trivial ones are sent here (a small
    store: its triples, taken three at a time, still never end)."""
    s = Server(small_built, tmp_path_factory.mktemp("quick"), "--timeout", "3")
    yield s
    s.stop()


def test_a_runaway_query_is_stopped_and_others_go_on(quick) -> None:
    start = time.monotonic()
    answers: dict[str, int] = {}

    def runaway() -> None:
        answers["runaway"] = q(quick.url, RUNAWAY)[0]

    thread = threading.Thread(target=runaway)
    thread.start()
    time.sleep(0.5)
    _trivial_ok(quick.url)  # the other worker answers meanwhile
    thread.join(timeout=120)
    assert answers["runaway"] == 504 and time.monotonic() - start >= 3
    assert "a query overran 3 s" in quick.text()
    for _ in range(5):  # no gap: the killed worker was replaced at once
        _trivial_ok(quick.url)
    _two_workers(quick)


def _trivial_ok(url: str) -> None:
    status, _, body = q(url, "ASK { ?s a <http://www.w3.org/2002/07/owl#Class> }")
    assert status == 200 and json.loads(body)["boolean"] is True


def _two_workers(server: Server) -> None:
    """Two workers again, once the kernel has finished tearing the killed one down."""
    deadline = time.monotonic() + 60
    while len(server.workers()) != 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert len(server.workers()) == 2
