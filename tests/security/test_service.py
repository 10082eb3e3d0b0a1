"""SERVICE, every way it was spelt past the old lexical guard, and the kernel's wall behind
it: the engine cannot open a socket, even when asked directly."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import pytest

from hrkg.graph.store import current_store
from hrkg.serve import sandbox
from hrkg.serve.wire import receive, send
from tests.servers import get, q


def _spellings(port: int) -> list[str]:
    target = f"http://127.0.0.1:{port}/a"
    return [
        # the five that passed the lexical guard (issue 12), verbatim
        f"SELECT * WHERE {{ ?x ?y ?z .SERVICE <{target}> {{ ?s ?p ?o }} }} LIMIT 1",
        f"PREFIX : <http://127.0.0.1:{port}/> SELECT * WHERE {{ SERVICE:a {{ ?s ?p ?o }} }}",
        f"PREFIX ex: <http://ex/> SELECT * WHERE {{ BIND(ex:a\\# AS ?x) SERVICE <{target}> "
        "{ ?s ?p ?o } }",
        f"PREFIX ex: <http://ex/> SELECT * WHERE {{ BIND(ex:a\\' AS ?x) SERVICE <{target}> "
        "{ ?s ?p ?o } BIND(<http://x/'> AS ?y) }",
        f'SELECT * WHERE {{ BIND("\\u0022" AS ?x) SERVICE <{target}> {{ ?s ?p ?o }} '
        'BIND("""y""" AS ?y) }',
        # LATERAL and a SERVICE whose endpoint is data: the store's data would leave in URLs
        f"SELECT * WHERE {{ ?s ?p ?o LATERAL {{ BIND(IRI(CONCAT(\"{target}?\", STR(?o))) "
        "AS ?e) SERVICE ?e { ?a ?b ?c } } } LIMIT 5",
        # the older ones
        f"select * where {{ service silent <{target}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ ?a ?b ?c FILTER(?a<?b) SERVICE<{target}>{{ ?s ?p ?o }} }} LIMIT 1",
        f"SELECT * WHERE {{ \\u0053ERVICE <{target}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ {{ SELECT ?s WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }} }} }}",
        f"ASK {{ BIND(<{target}> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
        f"PREFIX SERVICE: <{target}> SELECT * WHERE {{ SERVICE:x {{ ?s ?p ?o }} }}",
    ]


def test_every_spelling_of_service_is_refused_and_nothing_goes_out(guarded, listener) -> None:
    for query in _spellings(listener.port):
        form = urllib.parse.urlencode({"query": query}).encode()
        for status, _, body in (
                q(guarded.url, query),
                get(guarded.url + "/query", data=form, ctype="application/x-www-form-urlencoded"),
                get(guarded.url + "/sparql", data=query.encode(),
                    ctype="application/sparql-query")):
            assert status == 400, (query, body)
            # refused as SERVICE, or as not SPARQL at all (by the lexer or the engine)
            assert re.search(rb"SERVICE is refused|is not declared|not SPARQL at|"
                             rb"not valid SPARQL", body), (query, body)
    time.sleep(0.5)
    assert listener.connections == 0
    assert "Traceback" not in guarded.text(), guarded.text()[-3000:]


def test_words_that_only_look_like_service_are_fine(guarded) -> None:
    status, _, body = q(guarded.url, 'SELECT ?service WHERE { BIND("SERVICE" AS ?service) } '
                                     "# SERVICE <http://x/>")
    assert status == 200 and json.loads(body)["results"]["bindings"] == [
        {"service": {"type": "literal", "value": "SERVICE"}}]
    status, _, body = q(guarded.url, "PREFIX ex: <http://ex/> ASK { BIND(ex:SERVICE AS ?x) }")
    assert status == 200 and json.loads(body)["boolean"] is True


def _run_in_child(fn) -> int:
    """Run ``fn`` in a forked child; its exit status."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        try:
            os._exit(fn())
        except BaseException:
            os._exit(99)
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])


def test_the_filter_forbids_every_socket_in_a_process(listener) -> None:
    def child() -> int:
        sandbox.forbid_network()
        try:
            socket.create_connection(("127.0.0.1", listener.port), timeout=2)
        except PermissionError:
            pass
        else:
            return 1
        sandbox.verify_no_socket()
        a, b = socket.socketpair()  # how the engine talks to the front: allowed
        a.sendall(b"x")
        return 0 if b.recv(1) == b"x" else 2

    assert _run_in_child(child) == 0
    time.sleep(0.3)
    assert listener.connections == 0


def test_the_engine_cannot_reach_out_even_when_asked_directly(built, tmp_path,
                                                              listener) -> None:
    """Start the engine as hrkg serve does, then hand a worker a SERVICE query without the
    front's check: the worker's evaluation fails on the socket, and nothing arrives."""
    ours, theirs = socket.socketpair()
    config = {"store": str(current_store(built[0])), "spool": str(tmp_path),
              "probe": listener.port, "memory": 512_000_000, "stack": 64 << 20,
              "max_bytes": 1_000_000, "fd": theirs.fileno()}
    proc = subprocess.Popen([sys.executable, "-m", "hrkg.serve.engine", json.dumps(config)],
                            pass_fds=(theirs.fileno(),), stderr=subprocess.DEVNULL)
    theirs.close()
    try:
        ready, _, _ = receive(ours)
        assert ready.get("ready"), ready
        assert listener.connections == 0  # the engine's own start-up probe did not get out
        send(ours, {"fork": 1})
        head, _, fds = receive(ours)
        worker = socket.socket(fileno=fds[0])
        query = (f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{listener.port}/x> "
                 "{ ?s ?p ?o } }")
        send(worker, {"accept": "text/csv", "max_bytes": 1000}, query.encode())
        reply, _, _ = receive(worker)
        assert reply["status"] == 500 and "Permission denied" in reply["message"], reply
        # and the worker's own Python cannot open one either: the filter is inherited
        status = Path(f"/proc/{head['worker']}/status").read_text()
        assert "Seccomp:\t2" in status and "NoNewPrivs:\t1" in status
        worker.close()
    finally:
        ours.close()
        proc.terminate()
        proc.wait(timeout=20)
    time.sleep(0.3)
    assert listener.connections == 0


@pytest.mark.parametrize("update", [
    "INSERT DATA { <urn:a> <urn:b> <urn:c> }", "DELETE WHERE { ?s ?p ?o }",
    "LOAD <http://127.0.0.1:9/x.ttl>", "CLEAR ALL",
    "PREFIX ex: <urn:ex:> DELETE DATA { ex:a ex:b ex:c }",
])
def test_updates_are_refused(guarded, update) -> None:
    form = urllib.parse.urlencode({"update": update}).encode()
    for status, _, body in (
            get(guarded.url + "/update", data=form, ctype="application/x-www-form-urlencoded"),
            get(guarded.url + "/update", data=update.encode(), ctype="application/sparql-update"),
            q(guarded.url, update),
            get(guarded.url + "/query", data=form, ctype="application/x-www-form-urlencoded")):
        assert status == 403 and b"read-only" in body
