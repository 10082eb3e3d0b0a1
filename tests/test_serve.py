"""hrkg serve, really started (our front and the Oxigraph engine, two processes) on a free
loopback port, asked as clients ask: SPARQLWrapper, rdflib's SPARQLStore, plain HTTP, and a
headless Chromium."""

from __future__ import annotations

import json
import re
import shutil
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

import pytest
import rdflib

from hrkg.query import run_query
from hrkg.resources import query_files
from hrkg.serve import free_port
from tests.conftest import REPO

ARTIFACTS = REPO / "test-artifacts"
HR = "https://w3id.org/hrkg/ontology#"



class Server:
    def __init__(self, root: Path, tmp: Path, *args: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = tmp / f"serve-{self.port}.log"
        with self.log.open("w") as err:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "hrkg", "serve", "--store", str(root), "--port",
                 str(self.port), *args],
                stdout=subprocess.DEVNULL, stderr=err)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, self.log.read_text()
            try:
                urllib.request.urlopen(self.url + "/examples.json", timeout=1)
                self.started = time.monotonic()
                return
            except OSError:
                time.sleep(0.1)
        raise AssertionError("hrkg serve did not start in 30 s:\n" + self.log.read_text())

    def stop(self) -> int:
        self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout=20)


def get(url: str, accept: str = "*/*", data: bytes | None = None,
        ctype: str | None = None, method: str | None = None) -> tuple[int, dict, bytes]:
    headers = {"Accept": accept}
    if ctype:
        headers["Content-Type"] = ctype
    req = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def q(url: str, query: str, accept: str = "application/sparql-results+json"):
    return get(url + "/query?" + urllib.parse.urlencode({"query": query}), accept)


@pytest.fixture(scope="module")
def server(built, tmp_path_factory):
    # 10 s: the example queries (the slowest 1.4 s here) must not meet it on a busy machine
    s = Server(built[0], tmp_path_factory.mktemp("serve"), "--timeout", "10")
    yield s
    s.stop()


COUNT_MEMBERS = (f"PREFIX hr: <{HR}> SELECT (COUNT(DISTINCT ?s) AS ?n) "
                 "WHERE { ?s hr:unMember true }")


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


# -- refusals ----------------------------------------------------------------------------

class Listener:
    """A local TCP listener that records every connection made to it."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(5)
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


def test_service_is_refused_and_nothing_goes_out(server) -> None:
    listener = Listener()
    target = f"http://127.0.0.1:{listener.port}/sparql"
    queries = [
        f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}",
        f"select * where {{ service silent <{target}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ ?a ?b ?c FILTER(?a<?b) SERVICE<{target}>{{ ?s ?p ?o }} }} LIMIT 1",
        f"SELECT * WHERE {{ \\u0053ERVICE <{target}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ {{ SELECT ?s WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }} }} }}",
        f"ASK {{ BIND(<{target}> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
    ]
    try:
        for query in queries:
            status, _, body = q(server.url, query)
            assert status == 400, (query, body)
            assert b"SERVICE is refused" in body
            form = urllib.parse.urlencode({"query": query}).encode()
            assert get(server.url + "/query", data=form,
                       ctype="application/x-www-form-urlencoded")[0] == 400
            assert get(server.url + "/query", data=query.encode(),
                       ctype="application/sparql-query")[0] == 400
        time.sleep(0.5)
        assert listener.connections == 0
    finally:
        listener.close()
    # a word that only looks like the keyword is fine
    status, _, body = q(server.url, 'SELECT ?service WHERE { BIND("SERVICE" AS ?service) } '
                                    "# SERVICE <http://x/>")
    assert status == 200 and b'"SERVICE"' in body


@pytest.mark.parametrize("update", [
    "INSERT DATA { <urn:a> <urn:b> <urn:c> }", "DELETE WHERE { ?s ?p ?o }",
    "LOAD <http://127.0.0.1:9/x.ttl>", "CLEAR ALL",
    "PREFIX ex: <urn:ex:> DELETE DATA { ex:a ex:b ex:c }",
])
def test_updates_are_refused(server, update) -> None:
    form = urllib.parse.urlencode({"update": update}).encode()
    status, _, body = get(server.url + "/update", data=form,
                          ctype="application/x-www-form-urlencoded")
    assert status == 403 and b"read-only" in body
    status, _, _ = get(server.url + "/update", data=update.encode(),
                       ctype="application/sparql-update")
    assert status == 403
    status, _, body = q(server.url, update)
    assert status == 403 and b"read-only" in body
    status, _, body = get(server.url + "/query", data=form,
                          ctype="application/x-www-form-urlencoded")
    assert status == 403


def test_graph_store_writes_are_refused(server) -> None:
    for method in ("PUT", "POST", "DELETE"):
        status, headers, body = get(server.url + "/store?default", method=method,
                                    data=b"<urn:a> <urn:b> <urn:c> .", ctype="text/turtle")
        assert status == 405 and b"read-only" in body, method
    status, _, body = q(server.url, "ASK { <urn:a> <urn:b> <urn:c> }")
    assert json.loads(body)["boolean"] is False


def test_a_slow_query_stops_at_the_timeout_and_the_server_keeps_serving(server) -> None:
    start = time.monotonic()
    status, _, body = q(server.url, "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }")
    took = time.monotonic() - start
    assert status == 504 and b"timeout of 10 s" in body
    assert 9.9 < took < 14
    status, _, body = q(server.url, COUNT_MEMBERS)
    assert status == 200 and b"193" in body
    # the runaway query does not run on: its engine is retired and stopped
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and len(_live(_children(server.proc.pid))) != 1:
        time.sleep(0.2)
    assert len(_live(_children(server.proc.pid))) == 1
    assert "engine" in server.log.read_text() and "retired" in server.log.read_text()


def test_engine_threads_do_not_grow_with_queries(server) -> None:
    (engine,) = _live(_children(server.proc.pid))
    for _ in range(300):
        q(server.url, COUNT_MEMBERS)
    threads = int(re.search(r"Threads:\s+(\d+)", Path(f"/proc/{engine}/status").read_text())[1])
    assert threads < 50  # no thread per query (what --timeout-s would cost)


def test_result_size_cap(built, tmp_path) -> None:
    small = Server(built[0], tmp_path, "--max-result-mb", "1")
    try:
        status, _, body = q(small.url, "SELECT * WHERE { ?s ?p ?o }", "text/csv")
        assert status == 422 and b"larger than this server's cap of 1 MB" in body
        status, _, body = q(small.url, COUNT_MEMBERS, "text/csv")
        assert status == 200
    finally:
        small.stop()


# -- for people ----------------------------------------------------------------------------

@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
def test_resource_pages_by_content_negotiation(server, store) -> None:
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
        "ORDER BY ?s LIMIT 1", use_default_graph_as_union=True)))
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
    assert int(g.value(ds, VOID.triples)) == len(store)
    subsets = list(g.objects(ds, VOID.subset))
    assert sum(int(g.value(s, VOID.triples)) for s in subsets) == len(store)


def test_cors_only_when_asked(server, built, tmp_path) -> None:
    _, headers, _ = q(server.url, COUNT_MEMBERS)
    assert "Access-Control-Allow-Origin" not in headers
    other = Server(built[0], tmp_path, "--cors", "https://example.org")
    try:
        _, headers, _ = q(other.url, COUNT_MEMBERS)
        assert headers["Access-Control-Allow-Origin"] == "https://example.org"
        status, headers, _ = get(other.url + "/query", method="OPTIONS")
        assert status == 204 and "POST" in headers["Access-Control-Allow-Methods"]
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
    lines = [ln for ln in server.log.read_text().splitlines() if marker in ln]
    assert len(lines) == 1
    assert re.fullmatch(r'127\.0\.0\.1 "GET /query\?query=\S+" 200 \d+ \d+\.\dms', lines[0])


def test_store_missing_is_a_clear_error(tmp_path) -> None:
    out = subprocess.run([sys.executable, "-m", "hrkg", "serve", "--store", str(tmp_path / "x"),
                          "--port", str(free_port())], capture_output=True, text=True, timeout=30)
    assert out.returncode == 2 and "no built store" in out.stderr


def test_port_taken_is_named(built, server) -> None:
    out = subprocess.run([sys.executable, "-m", "hrkg", "serve", "--store", str(built[0]),
                          "--port", str(server.port)], capture_output=True, text=True,
                         timeout=30)
    assert out.returncode == 2
    assert f"port {server.port} on 127.0.0.1 is already in use" in out.stderr


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_clean_stop_on_signals(built, tmp_path, sig) -> None:
    s = Server(built[0], tmp_path)
    engine = [p for p in _children(s.proc.pid)]
    assert engine, "the engine runs as a child process"
    s.proc.send_signal(sig)
    assert s.proc.wait(timeout=20) == 0
    time.sleep(0.3)
    assert not any(Path(f"/proc/{pid}").exists() and _state(pid) != "Z" for pid in engine)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", s.port))  # the port is free again


def test_starts_in_seconds(built, tmp_path) -> None:
    start = time.monotonic()
    s = Server(built[0], tmp_path)
    took = s.started - start
    s.stop()
    assert took < 15


def _children(pid: int) -> list[int]:
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


def _live(pids: list[int]) -> list[int]:
    return [p for p in pids if _state(p) not in ("Z", "gone")]


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "gone"


# -- the browser --------------------------------------------------------------------------

def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    pytest.fail("headless Chromium is needed (Debian: apt-get install chromium; `make test` "
                "installs it)")


def _browser(*args: str) -> subprocess.CompletedProcess:
    profile = ARTIFACTS / ".chromium-profile"
    return subprocess.run(
        [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
         "--no-first-run", f"--user-data-dir={profile}", "--virtual-time-budget=15000",
         *args], capture_output=True, text=True, timeout=120)


def test_browser_runs_a_query_in_the_ui_and_opens_a_resource_page(server) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    url = f"{server.url}/?example=iccpr-parties-not-op2&run=1"
    dom = _browser("--dump-dom", url)
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert 'data-done="yes"' in dom.stdout, dom.stdout[-2000:]
    rows = re.findall(r"<tr>", dom.stdout.split('id="result-table"', 1)[1])
    assert len(rows) == 85 + 1  # 85 parties to the ICCPR but not its OP2, and the head
    shot = ARTIFACTS / "ui-query.png"
    shot.unlink(missing_ok=True)
    done = _browser(f"--screenshot={shot}", "--window-size=1280,1600", url)
    assert done.returncode == 0 and shot.stat().st_size > 10_000
    page = _browser("--dump-dom", f"{server.url}/id/state/PRK")
    assert "<h1>North Korea</h1>" in page.stdout
    shot = ARTIFACTS / "resource-prk.png"
    _browser(f"--screenshot={shot}", "--window-size=1280,1400", f"{server.url}/id/state/PRK")
    assert shot.stat().st_size > 10_000


def test_head_and_expect_continue(server) -> None:
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    conn.request("HEAD", "/")
    resp = conn.getresponse()
    assert resp.status == 200 and int(resp.headers["Content-Length"]) > 1000
    assert resp.read() == b""
    conn.close()
    body = urllib.parse.urlencode({"query": COUNT_MEMBERS}).encode()
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as s:
        s.sendall(b"POST /query HTTP/1.1\r\nHost: x\r\nAccept: text/csv\r\n"
                  b"Content-Type: application/x-www-form-urlencoded\r\n"
                  b"Expect: 100-continue\r\nConnection: close\r\n"
                  + f"Content-Length: {len(body)}\r\n\r\n".encode())
        assert s.recv(100).startswith(b"HTTP/1.1 100 Continue")
        s.sendall(body)
        answer = b""
        while chunk := s.recv(4096):
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 200 OK") and answer.endswith(b"n\r\n193\r\n")
