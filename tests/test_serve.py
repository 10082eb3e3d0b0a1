"""hrkg serve, really started (the front, the engine and its workers) on a free loopback
port, asked as clients ask: SPARQLWrapper, rdflib's SPARQLStore, plain HTTP, and a headless
Chromium. The attacks are in tests/security/."""

from __future__ import annotations

import json
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner

from hrkg.cli import cli
from hrkg.graph.query import run_query
from hrkg.resources import query_files
from hrkg.serve import free_port
from tests.browser import Page
from tests.conftest import REPO
from tests.servers import COUNT_MEMBERS, HR, Server, get, live, q

ARTIFACTS = REPO / "test-artifacts"


@pytest.fixture(scope="module")
def server(built, tmp_path_factory):
    s = Server(built[0], tmp_path_factory.mktemp("serve"))
    yield s
    s.stop()


def _library_rows(store, path: Path) -> list[dict[str, str]]:
    mine = run_query(store, path.read_text())
    return [{v: t.value for v, t in zip(mine.variables, row, strict=True) if t is not None}
            for row in mine.rows]


def _without_comments(path: Path) -> str:
    # SPARQLWrapper guesses the query type from the text: give it without the comment head
    return "\n".join(ln for ln in path.read_text().splitlines() if not ln.startswith("#"))


# -- real clients ------------------------------------------------------------------------

def test_sparqlwrapper_runs_the_example_queries(server, store) -> None:
    from SPARQLWrapper import JSON, SPARQLWrapper

    for path in query_files():
        sw = SPARQLWrapper(server.url + "/query")
        sw.setQuery(_without_comments(path))
        sw.setReturnFormat(JSON)
        rows = sw.queryAndConvert()["results"]["bindings"]
        assert rows, path.name
        assert [{k: b["value"] for k, b in r.items()} for r in rows] == \
            _library_rows(store, path), path.name


def test_rdflib_sparqlstore_runs_the_example_queries(server, store) -> None:
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    graph = rdflib.Graph(SPARQLStore(server.url + "/query", returnFormat="json"))
    for path in query_files():
        result = graph.query(path.read_text())
        rows = [{str(v): str(row[v]) for v in result.vars if row[v] is not None}
                for row in result]
        assert rows == _library_rows(store, path), path.name
    graph.close()


# -- the protocol ------------------------------------------------------------------------

def test_get_post_form_and_post_body_agree(server) -> None:
    status, _, body = q(server.url, COUNT_MEMBERS)
    assert status == 200 and json.loads(body)["results"]["bindings"][0]["n"]["value"] == "193"
    form = urllib.parse.urlencode({"query": COUNT_MEMBERS}).encode()
    status, _, body2 = get(server.url + "/query", "application/sparql-results+json", form,
                           "application/x-www-form-urlencoded")
    assert status == 200 and json.loads(body2) == json.loads(body)
    status, _, body3 = get(server.url + "/sparql", "application/sparql-results+json",
                           COUNT_MEMBERS.encode(), "application/sparql-query")
    assert status == 200 and json.loads(body3) == json.loads(body)


def _json_count(body: bytes) -> str:
    return json.loads(body)["results"]["bindings"][0]["n"]["value"]


@pytest.mark.parametrize("accept, check", [
    ("application/sparql-results+json", lambda b: _json_count(b) == "193"),
    ("application/sparql-results+xml", lambda b: b"<literal datatype=" in b and b">193<" in b),
    ("text/csv", lambda b: b.splitlines() == [b"n", b"193"]),
    ("text/tab-separated-values", lambda b: b.splitlines() == [b"?n", b"193"]),
])
def test_result_formats_by_content_negotiation(server, accept, check) -> None:
    status, headers, body = q(server.url, COUNT_MEMBERS, accept)
    assert status == 200 and headers["Content-Type"].startswith(accept)
    assert check(body), body[:200]
    assert q(server.url, COUNT_MEMBERS, "image/png")[0] == 406


def test_construct_as_turtle_and_service_description(server) -> None:
    status, headers, body = q(server.url, f"CONSTRUCT {{ ?s <{HR}iso3> ?o }} WHERE "
                              f"{{ ?s <{HR}iso3> ?o }}", "text/turtle")
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    g = rdflib.Graph().parse(data=body, format="turtle")
    assert len(g) == 249
    status, _, body = get(server.url + "/query", "text/turtle")
    sd = rdflib.Graph().parse(data=body, format="turtle")
    SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    assert (None, SD.supportedLanguage, SD.SPARQL11Query) in sd


def test_the_default_graph_holds_each_fact_once(server, store) -> None:
    """A recommendation both UPR Info and a Working Group report state: its recommending
    state is said in two graphs and counted once without DISTINCT."""
    row = next(iter(store.query(
        f"SELECT ?r ?st WHERE {{ GRAPH ?g1 {{ ?r <{HR}recommendingState> ?st }} "
        f"GRAPH ?g2 {{ ?r <{HR}recommendingState> ?st }} FILTER(?g1 != ?g2) }} LIMIT 1")))
    r, st = row["r"].value, row["st"].value
    in_graphs = (f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ <{r}> "
                 f"<{HR}recommendingState> <{st}> }} }}")
    plain = f"SELECT (COUNT(*) AS ?n) WHERE {{ <{r}> <{HR}recommendingState> <{st}> }}"
    assert _json_count(q(server.url, in_graphs)[2]) == "2"
    assert _json_count(q(server.url, plain)[2]) == "1"


def test_answers_are_kept_for_queries_asked_again(server) -> None:
    query = (f"SELECT (COUNT(?s) AS ?n) WHERE {{ ?s <{HR}iso3> ?o "
             f"FILTER(?o != \"cache-{time.time_ns()}\") }}")
    first = q(server.url, query)
    second = q(server.url, query.replace("SELECT", "select"))  # the same query, spelt anew
    assert first[0] == second[0] == 200 and first[2] == second[2]
    assert "X-Hrkg-Cache" not in first[1] and second[1]["X-Hrkg-Cache"] == "hit"
    assert q(server.url, query, "text/csv")[1].get("X-Hrkg-Cache") is None  # another format
    clock = "SELECT (NOW() AS ?t) WHERE {}"
    q(server.url, clock)
    assert "X-Hrkg-Cache" not in q(server.url, clock)[1]  # the time is never kept


def test_dataset_parameters(server) -> None:
    graph = "https://w3id.org/hrkg/id/graph/reference"
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s <{HR}iso3> ?o }}"
    url = server.url + "/query?" + urllib.parse.urlencode({"query": query,
                                                           "default-graph-uri": graph})
    assert _json_count(get(url, "application/sparql-results+json")[2]) == "249"
    url = server.url + "/query?" + urllib.parse.urlencode({"query": query,
                                                           "default-graph-uri": "urn:none"})
    assert _json_count(get(url, "application/sparql-results+json")[2]) == "0"


def test_graph_store_reads_and_refuses_writes(server) -> None:
    for method in ("PUT", "POST", "DELETE"):
        status, _, body = get(server.url + "/store?default", method=method,
                              data=b"<urn:a> <urn:b> <urn:c> .", ctype="text/turtle")
        assert status == 405 and b"read-only" in body, method
    graph = "https://w3id.org/hrkg/id/graph/ratification/hr_status_cat.csv"
    status, headers, body = get(server.url + "/store?" + urllib.parse.urlencode(
        {"graph": graph}), "application/n-triples")
    assert status == 200 and headers["Content-Type"].startswith("application/n-triples")
    assert b"/treaty-action/PRK/" not in body and b"hr_status_cat.csv" in body
    status, _, body = q(server.url, "ASK { <urn:a> <urn:b> <urn:c> }")
    assert json.loads(body)["boolean"] is False


# -- for people ----------------------------------------------------------------------------

@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
def test_resource_pages_by_content_negotiation(server) -> None:
    iri = "https://w3id.org/hrkg/id/state/PRK"
    status, headers, page = get(server.url + "/id/state/PRK", "text/html,*/*;q=0.8")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    text = page.decode()
    assert "<h1>North Korea</h1>" in text and "DPRK" in text
    assert 'href="/id/instrument/' in text or 'href="/id/treaty-action/' in text
    assert "graph/reference" in text  # the source it comes from: the reference graph
    status, headers, body = get(server.url + "/id/state/PRK", "text/turtle")
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    g = rdflib.Graph().parse(data=body, format="turtle")
    assert (rdflib.URIRef(iri), rdflib.URIRef(HR + "iso3"), rdflib.Literal("PRK")) in g
    status, headers, body = get(server.url + "/id/state/PRK", "application/ld+json")
    assert status == 200
    j = rdflib.Graph().parse(data=body, format="json-ld")
    assert (rdflib.URIRef(iri), rdflib.URIRef(HR + "iso2"), rdflib.Literal("KP")) in j
    assert get(server.url + "/id/state/NOWHERE", "text/html")[0] == 404
    assert get(server.url + "/id/state/NOWHERE", "text/turtle")[0] == 404


def test_resource_page_escapes_values(server, store) -> None:
    # a resource whose label holds a character HTML must escape
    row = next(iter(store.query(
        "SELECT ?s ?t WHERE { ?s <http://www.w3.org/2004/02/skos/core#prefLabel> ?t "
        "FILTER(CONTAINS(?t, \" & \") && STRSTARTS(STR(?s), \"https://w3id.org/hrkg/id/\")) } "
        "ORDER BY ?s LIMIT 1")))
    path = row["s"].value.removeprefix("https://w3id.org/hrkg/id/")
    status, _, page = get(f"{server.url}/id/{path}", "text/html")
    assert status == 200
    text = page.decode()
    value = row["t"].value
    assert value.replace("&", "&amp;") in text
    assert value not in text


def test_resource_page_names_its_source_file_and_line(server) -> None:
    status, _, page = get(server.url + "/id/treaty-action/PRK/ICCPR/consent", "text/html")
    assert status == 200
    assert re.search(r"graph/ratification/hr_status_iccpr\.csv</a> line \d+", page.decode())


def test_void_description(server, store) -> None:
    status, headers, body = get(server.url + "/.well-known/void", "text/turtle")
    assert status == 200
    g = rdflib.Graph().parse(data=body, format="turtle")
    VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
    ds = rdflib.URIRef(server.url + "/.well-known/void#dataset")
    assert (ds, VOID.sparqlEndpoint, rdflib.URIRef(server.url + "/query")) in g
    facts = len(list(store.quads_for_pattern(None, None, None, rdflib_default())))
    assert int(g.value(ds, VOID.triples)) == facts
    subsets = list(g.objects(ds, VOID.subset))
    assert sum(int(g.value(s, VOID.triples)) for s in subsets) == len(store) - facts


def rdflib_default():
    from pyoxigraph import DefaultGraph
    return DefaultGraph()


def test_cors_only_when_asked(server, small_built, tmp_path) -> None:
    _, headers, _ = q(server.url, COUNT_MEMBERS)
    assert "Access-Control-Allow-Origin" not in headers
    other = Server(small_built, tmp_path, "--cors", "https://example.org")
    try:
        _, headers, _ = get(other.url + "/query?" + urllib.parse.urlencode(
            {"query": COUNT_MEMBERS}), headers={"Origin": "https://example.org"})
        assert headers["Access-Control-Allow-Origin"] == "https://example.org"
        status, headers, _ = get(other.url + "/query", method="OPTIONS",
                                 headers={"Origin": "https://example.org"})
        assert status == 204 and "POST" in headers["Access-Control-Allow-Methods"]
        # an allowed origin may POST; another may not
        form = urllib.parse.urlencode({"query": COUNT_MEMBERS}).encode()
        assert get(other.url + "/query", data=form, ctype="application/x-www-form-urlencoded",
                   headers={"Origin": "https://example.org"})[0] == 200
        assert get(other.url + "/query", data=form, ctype="application/x-www-form-urlencoded",
                   headers={"Origin": "https://evil.example"})[0] == 403
    finally:
        other.stop()


def test_examples_are_offered(server) -> None:
    status, _, body = get(server.url + "/examples.json")
    names = {e["name"] for e in json.loads(body)}
    assert names == {p.stem for p in query_files()}


# -- operation -------------------------------------------------------------------------------

def test_request_log_has_one_line_per_request_with_duration(server) -> None:
    marker = "log-marker-" + str(time.time_ns())
    q(server.url, f"ASK {{ ?s ?p \"{marker}\" }}")
    time.sleep(0.2)
    lines = [ln for ln in server.text().splitlines() if marker in ln]
    assert len(lines) == 1
    assert re.fullmatch(r'127\.0\.0\.1 "GET /query\?query=\S+" 200 \d+ \d+\.\dms', lines[0])


def test_start_is_logged_with_the_walls_checked(server) -> None:
    assert re.search(r"hrkg: serving \S+: \d+ quads in memory, loaded in [\d.]+ s; 2 workers, "
                     r"no network \(seccomp, checked\)", server.text())


def test_store_missing_is_a_clear_error(tmp_path) -> None:
    out = subprocess.run([sys.executable, "-m", "hrkg", "serve", "--store", str(tmp_path / "x"),
                          "--port", str(free_port())], capture_output=True, text=True, timeout=60)
    assert out.returncode == 2 and "no built store" in out.stderr


def test_port_taken_is_named(built, server) -> None:
    out = subprocess.run([sys.executable, "-m", "hrkg", "serve", "--store", str(built[0]),
                          "--port", str(server.port)], capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 2
    assert f"port {server.port} on 127.0.0.1 is already in use" in out.stderr


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_clean_stop_on_signals_and_an_immediate_restart(small_built, tmp_path, sig) -> None:
    s = Server(small_built, tmp_path)
    assert len(s.workers()) == 2
    tree = s.pids()
    s.proc.send_signal(sig)
    assert s.proc.wait(timeout=30) == 0
    deadline = time.monotonic() + 30
    while live(tree) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not live(tree)  # engine and workers gone too
    # the port is free again at once (the old server had clients; no 60 s TIME_WAIT wait)
    log = tmp_path / "again.log"
    with log.open("w") as err:
        again = subprocess.Popen([sys.executable, "-m", "hrkg", "serve", "--store",
                                  str(small_built), "--port", str(s.port)], stderr=err)
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            assert again.poll() is None, log.read_text()
            try:
                if get(f"http://127.0.0.1:{s.port}/examples.json", timeout=5)[0] == 200:
                    break
            except OSError:  # not listening yet: Python is still starting
                pass
            time.sleep(0.2)
        assert get(f"http://127.0.0.1:{s.port}/examples.json")[0] == 200
    finally:
        again.send_signal(signal.SIGTERM)
        again.wait(timeout=30)


def test_a_new_build_is_served_without_dropping_queries(tmp_path) -> None:
    """A small store (no datasets: the ontology, reference data and the project's
    documents), served; then a document is loaded into it: the server moves to the new
    store while a client keeps asking, and every query is answered."""
    root, empty = tmp_path / "store", tmp_path / "data"
    empty.mkdir()
    assert CliRunner().invoke(cli, ["build", "--data", str(empty), "--store", str(root),
                                    "--quiet"]).exit_code == 0
    s = Server(root, tmp_path)
    marker = "Zyxwv Report on Human Rights"
    ask = f'ASK {{ ?d <http://purl.org/dc/terms/title> "{marker}"@en }}'
    statuses: list[int] = []
    stop = threading.Event()

    def client() -> None:
        while not stop.is_set():
            statuses.append(q(s.url, COUNT_MEMBERS.replace("true", "false"))[0])

    try:
        assert json.loads(q(s.url, ask)[2])["boolean"] is False
        thread = threading.Thread(target=client)
        thread.start()
        doc = empty / "documents" / "zyxwv.html"
        doc.parent.mkdir()
        doc.write_text(f"<html><head><title>{marker}</title></head><body><p>Liberia ratified "
                       "the ICCPR.</p></body></html>", encoding="utf-8")
        result = CliRunner().invoke(cli, ["load", str(doc), "--data", str(empty), "--store",
                                          str(root)])
        assert result.exit_code == 0, result.output
        deadline = time.monotonic() + 180
        while not json.loads(q(s.url, ask)[2])["boolean"] and time.monotonic() < deadline:
            time.sleep(0.3)
        stop.set()
        thread.join()
        assert json.loads(q(s.url, ask)[2])["boolean"] is True
        assert statuses and set(statuses) == {200}
        assert re.search(r"hrkg: now serving \S+ \(\d+ quads, loaded in", s.text())
    finally:
        stop.set()
        s.stop()


# -- the browser --------------------------------------------------------------------------

def _posts(server: Server) -> int:
    return sum(1 for ln in server.text().splitlines() if '"POST /query"' in ln)


def test_browser_runs_a_query_only_on_click_and_opens_a_resource_page(server) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    before = _posts(server)
    with Page() as page:
        page.goto(f"{server.url}/?example=iccpr-parties-not-op2&run=1")
        page.wait("document.body.dataset.ready === 'yes'")
        time.sleep(1)
        # shown, not run: a link can make a visitor's browser show a query, never run it
        example = next(p for p in query_files() if p.stem == "iccpr-parties-not-op2")
        assert page.evaluate("document.getElementById('query').value") == example.read_text()
        assert page.evaluate("document.getElementById('result-table')") is None
        assert _posts(server) == before
        page.evaluate("document.getElementById('run').click()")
        page.wait("document.body.dataset.done === 'yes'")
        rows = page.evaluate("document.querySelectorAll('#result-table tr').length")
        assert rows == 85 + 1  # 85 parties to the ICCPR but not its OP2, and the head
        page.screenshot(ARTIFACTS / "ui-query.png")
        # an IRI with a script scheme is text, not a link
        page.evaluate("document.getElementById('query').value = "
                      "'SELECT ?x WHERE { BIND(IRI(\"javascript:alert(1)\") AS ?x) }'")
        page.evaluate("document.getElementById('run').click()")
        page.wait("document.querySelectorAll('#result-table tr').length === 2")
        assert page.evaluate("document.querySelectorAll('#result-table a').length") == 0
        assert page.evaluate("document.querySelector('#result-table td').textContent") == \
            "javascript:alert(1)"
        page.goto(f"{server.url}/id/state/PRK")
        assert page.evaluate("document.querySelector('h1').textContent") == "North Korea"
        page.screenshot(ARTIFACTS / "resource-prk.png")
    assert (ARTIFACTS / "ui-query.png").stat().st_size > 10_000
    assert _posts(server) == before + 2  # the two clicks


def test_head_and_expect_continue(server) -> None:
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    conn.request("HEAD", "/")
    resp = conn.getresponse()
    assert resp.status == 200 and int(resp.headers["Content-Length"]) > 500
    assert resp.read() == b""
    conn.close()
    body = urllib.parse.urlencode({"query": COUNT_MEMBERS}).encode()
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as s:
        s.sendall(b"POST /query HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/csv\r\n"
                  b"Content-Type: application/x-www-form-urlencoded\r\n"
                  b"Expect: 100-continue\r\nConnection: close\r\n"
                  + f"Content-Length: {len(body)}\r\n\r\n".encode())
        assert s.recv(100).startswith(b"HTTP/1.1 100 Continue")
        s.sendall(body)
        answer = b""
        while chunk := s.recv(4096):
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 200 OK") and answer.endswith(b"n\r\n193\r\n")
