"""The HTTP edge: requests written to desynchronise, to hang, to exhaust descriptors; each
answered with the right status, and the server keeps answering everyone else."""

from __future__ import annotations

import asyncio
import http.client
import json
import re
import socket
import time
import urllib.parse

from tests.servers import COUNT_MEMBERS, live, q, raw


def _members(url: str) -> None:
    status, _, body = q(url, COUNT_MEMBERS)
    assert status == 200 and json.loads(body)["results"]["bindings"][0]["n"]["value"] == "193"


def _marker_query(i: int) -> str:
    return f'SELECT ?x WHERE {{ VALUES ?x {{ "answer-{i}" }} }}'


def test_get_with_a_body_is_refused_and_smuggles_nothing(guarded, listener) -> None:
    service = (f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{listener.port}/x> "
               "{ ?s ?p ?o } }")
    smuggled = (f"GET /query?query={urllib.parse.quote(service)} HTTP/1.1\r\n"
                "Host: 127.0.0.1\r\n\r\n").encode()
    body = b"x" * 16384 + smuggled
    head = (f"GET /query?query={urllib.parse.quote(COUNT_MEMBERS)} HTTP/1.1\r\n"
            f"Host: 127.0.0.1\r\nContent-Length: {len(body)}\r\n\r\n").encode()
    out = raw(guarded.port, head + body)
    assert out.startswith(b"HTTP/1.1 400 ") and b"carries no body" in out
    assert out.count(b"HTTP/1.1 ") == 1  # one answer, and the connection closed
    # four different queries, on one kept-alive connection: each gets its own answer
    conn = http.client.HTTPConnection("127.0.0.1", guarded.port, timeout=60)
    for i in range(4):
        conn.request("GET", "/query?" + urllib.parse.urlencode({"query": _marker_query(i)}),
                     headers={"Accept": "text/csv"})
        resp = conn.getresponse()
        assert resp.status == 200 and resp.read().splitlines() == [b"x", f"answer-{i}".encode()]
    conn.close()
    time.sleep(0.3)
    assert listener.connections == 0


def test_pipelined_requests_are_answered_in_order(guarded) -> None:
    reqs = b"".join(
        (f"GET /query?query={urllib.parse.quote(_marker_query(i))} HTTP/1.1\r\n"
         f"Host: 127.0.0.1\r\nAccept: text/csv\r\n"
         + ("Connection: close\r\n" if i == 3 else "") + "\r\n").encode() for i in range(4))
    out = raw(guarded.port, reqs)
    answers = [part.split(b"\r\n\r\n", 1)[1].split(b"\r\n")[1]
               for part in out.split(b"HTTP/1.1 200 OK")[1:]]
    assert answers == [f"answer-{i}".encode() for i in range(4)]


def test_malformed_heads_get_400_and_no_traceback(guarded) -> None:
    query = urllib.parse.quote(COUNT_MEMBERS)
    for head in (
            # a bare LF that would have put a Content-Length into the engine's request
            f"GET /query?query={query} HTTP/1.1\r\nHost: x\r\nAccept: text/csv\nContent-Length: "
            "100000\r\n\r\n",
            "GET / HTTP/1.1\nHost: x\n\n",
            "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello",
            "POST /query HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 5"
            "\r\n\r\n0\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: x\r\n Folded: y\r\n\r\n",
            " HTTP/1.1\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: x\r\nX: a\x00b\r\n\r\n"):
        out = raw(guarded.port, head.encode("latin-1"))
        assert re.match(rb"HTTP/1\.[01] 400 ", out), (head, out[:200])
    assert raw(guarded.port, b"\r\n\r\n", timeout=30) == b""  # nothing asked, nothing said
    assert "Traceback" not in guarded.text()
    _members(guarded.url)


def test_a_get_over_16_kb_is_answered_and_so_is_the_next_client(guarded) -> None:
    """The old front's engine stopped reading at 16 KB and poisoned its pooled connection."""
    values = " ".join(f'"v{i:05d}"' for i in range(2500))
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ VALUES ?x {{ {values} }} }}"
    assert 20_000 < len(urllib.parse.quote(query)) < 60_000
    status, _, body = q(guarded.url, query)
    assert status == 200 and json.loads(body)["results"]["bindings"][0]["n"]["value"] == "2500"
    _members(guarded.url)


def test_a_long_get_is_refused_and_the_next_client_is_answered(guarded) -> None:
    long = "SELECT * WHERE { ?s ?p ?o FILTER(?o != \"" + "x" * 70_000 + "\") } LIMIT 1"
    out = raw(guarded.port, (f"GET /query?query={urllib.parse.quote(long)} HTTP/1.1\r\n"
                             "Host: 127.0.0.1\r\n\r\n").encode())
    assert re.match(rb"HTTP/1\.[01] 400 ", out) and b"Got more than 65536 bytes" in out
    _members(guarded.url)
    # the same query as a POST is within the limits and runs
    conn = http.client.HTTPConnection("127.0.0.1", guarded.port, timeout=60)
    conn.request("POST", "/query", long.encode(), {"Content-Type": "application/sparql-query",
                                                   "Accept": "text/csv"})
    resp = conn.getresponse()
    assert resp.status == 200 and set(resp.read().split(b"\r\n")[0].split(b",")) == {
        b"s", b"p", b"o"}
    conn.close()


def test_slowloris_heads_are_dropped_and_others_are_served(guarded) -> None:
    """Fifty connections that send a head one byte at a time: the server closes each at
    its header timeout (3 s here) while everyone else is served."""
    socks = []
    for _ in range(50):
        s = socket.create_connection(("127.0.0.1", guarded.port))
        s.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-A: ")
        s.settimeout(0.05)
        socks.append(s)
    closed: set[int] = set()
    deadline = time.monotonic() + 60
    while len(closed) < len(socks) and time.monotonic() < deadline:
        for i, s in enumerate(socks):
            if i in closed:
                continue
            try:
                s.sendall(b"a")
                if s.recv(1) == b"":
                    closed.add(i)
            except TimeoutError:
                continue
            except OSError:
                closed.add(i)
        _members(guarded.url)
        time.sleep(0.5)
    for s in socks:
        s.close()
    assert len(closed) == len(socks)


def test_connections_past_the_limit_get_503_and_the_server_recovers(guarded) -> None:
    socks = [socket.create_connection(("127.0.0.1", guarded.port)) for _ in range(720)]
    try:
        refused = 0
        for s in socks[-40:]:
            s.settimeout(10)
            try:
                if s.recv(100).startswith(b"HTTP/1.1 503 "):
                    refused += 1
            except TimeoutError:
                pass
        assert refused >= 20  # 700 at most are kept
    finally:
        for s in socks:
            s.close()
    time.sleep(0.5)
    _members(guarded.url)


def test_six_hundred_clients_at_once_all_get_their_answer(guarded) -> None:
    async def one(i: int) -> bytes:
        reader, writer = await asyncio.open_connection("127.0.0.1", guarded.port)
        query = urllib.parse.quote(_marker_query(i))
        writer.write(f"GET /query?query={query} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     "Accept: text/csv\r\nConnection: close\r\n\r\n".encode())
        data = await reader.read()
        writer.close()
        return data

    async def all_of_them() -> list[bytes]:
        return await asyncio.gather(*(one(i) for i in range(600)))

    answers = asyncio.run(all_of_them())
    for i, data in enumerate(answers):
        assert data.startswith(b"HTTP/1.1 200 ") and data.endswith(f"answer-{i}\r\n".encode())


def test_a_query_after_62_seconds_of_quiet(guarded) -> None:
    kept = http.client.HTTPConnection("127.0.0.1", guarded.port, timeout=60)
    kept.request("GET", "/examples.json")
    assert kept.getresponse().read()
    time.sleep(62)
    _members(guarded.url)
    # the idle kept-alive connection was closed by the server, cleanly; a client reconnects
    kept.request("GET", "/query?" + urllib.parse.urlencode({"query": COUNT_MEMBERS}),
                 headers={"Accept": "text/csv"})
    try:
        resp = kept.getresponse()
    except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
        kept.close()
        kept.request("GET", "/query?" + urllib.parse.urlencode({"query": COUNT_MEMBERS}),
                     headers={"Accept": "text/csv"})
        resp = kept.getresponse()
    assert resp.status == 200 and resp.read().splitlines() == [b"n", b"193"]
    kept.close()
    assert len(guarded.workers()) == 2 and len(live(guarded.pids())) == 4
