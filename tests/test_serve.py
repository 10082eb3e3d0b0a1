"""The Oxigraph server, really started, on a free loopback port, asked as clients ask."""

from __future__ import annotations

import json
import socket
import subprocess
import time
import urllib.parse
import urllib.request

import pytest

from hrkg.errors import HrkgError
from hrkg.serve import check_port, server_command


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def endpoint(built):
    port = free_port()
    proc = subprocess.Popen(server_command(built[0], "127.0.0.1", port, 30),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(url + "/", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    yield url, port
    proc.terminate()
    proc.wait(timeout=10)


def test_sparql_over_http(endpoint) -> None:
    url, _ = endpoint
    q = ("PREFIX hr: <https://w3id.org/hrkg/ontology#> SELECT (COUNT(DISTINCT ?s) AS ?n) "
         "WHERE { ?s hr:unMember true }")
    req = urllib.request.Request(url + "/query?" + urllib.parse.urlencode({"query": q}),
                                 headers={"Accept": "application/sparql-results+json"})
    body = json.load(urllib.request.urlopen(req, timeout=10))
    assert body["results"]["bindings"][0]["n"]["value"] == "193"


def test_sparqlwrapper_runs_the_example_queries(endpoint, store) -> None:
    from SPARQLWrapper import JSON, SPARQLWrapper

    from hrkg.query import run_query
    from hrkg.resources import query_files
    url, _ = endpoint
    for path in query_files():
        sw = SPARQLWrapper(url + "/query")
        # SPARQLWrapper guesses the query type from the text: give it without the comment head
        sw.setQuery("\n".join(ln for ln in path.read_text().splitlines() if not ln.startswith("#")))
        sw.setReturnFormat(JSON)
        rows = sw.queryAndConvert()["results"]["bindings"]
        mine = run_query(store, path.read_text())
        expected = [{v: t.value for v, t in zip(mine.variables, row, strict=True) if t is not None}
                    for row in mine.rows]
        assert [{k: b["value"] for k, b in r.items()} for r in rows] == expected, path.name
        assert rows, path.name


def test_updates_are_refused(endpoint) -> None:
    url, _ = endpoint
    data = urllib.parse.urlencode({"update": "CLEAR ALL"}).encode()
    with pytest.raises(urllib.error.HTTPError):
        urllib.request.urlopen(url + "/update", data=data, timeout=10)


def test_port_taken_is_a_clear_error(endpoint) -> None:
    _, port = endpoint
    with pytest.raises(HrkgError, match=f"port {port} on 127.0.0.1 is already in use"):
        check_port("127.0.0.1", port)
