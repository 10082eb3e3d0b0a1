"""The HTTP face of ``hrkg serve`` (aiohttp, whose C parser reads every request; nothing here
reads raw bytes):

- the SPARQL 1.1 Protocol at ``/query`` and ``/sparql`` (GET, POST form, POST
  ``application/sparql-query``; ``default-graph-uri``/``named-graph-uri``; every result format
  by ``Accept``; the service description at ``GET /query``), answered by the engine's workers
  (:mod:`hrkg.serve.pool`) after the query is checked and rewritten (:mod:`hrkg.serve.sparql`);
- the query UI at ``/`` and the example queries at ``/examples.json``;
- resource pages under ``/id/…``: HTML, Turtle, JSON-LD or N-Triples by content negotiation;
- a VoID description at ``/.well-known/void``; Graph Store reads at ``/store``;
- refusals: updates (403), Graph Store writes (405), other paths (404).

Every response carries a Content-Security-Policy without inline script, ``nosniff`` and
``frame-ancestors 'none'``. A request whose Host is not one of this server's names is refused
(421: DNS rebinding), and so is a cross-site request from a browser, unless ``--cors``
allows its origin (403). A GET or HEAD with a body is refused (400).
"""

from __future__ import annotations

import asyncio
import html
import json
import logging
import re
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from functools import lru_cache
from urllib.parse import parse_qsl, quote

from aiohttp import web
from aiohttp.abc import AbstractAccessLogger

from hrkg.resources import query_files, resource_dir
from hrkg.serve.media import GRAPH_FORMATS, negotiate
from hrkg.serve.pool import Answer, Pool, QueryFailed
from hrkg.serve.sparql import Limits, Refused, prepare
from hrkg.terms import HR, base

__all__ = ["Front", "Results", "make_app", "AccessLog", "SECURITY_HEADERS"]

log = logging.getLogger("hrkg.serve")

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; "
        "img-src 'self'; connect-src 'self'; base-uri 'none'; "
        "form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}
_LABELS = (
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://purl.org/dc/terms/title",
)
_INCOMING_SHOWN = 200
_FORM = "application/x-www-form-urlencoded"
_STATIC = {"ui.js": "application/javascript", "ui.css": "text/css", "page.css": "text/css"}
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class AccessLog(AbstractAccessLogger):
    """One line per request: ``127.0.0.1 "GET /query?…" 200 512 1.3ms``."""

    def log(self, request: web.BaseRequest, response: web.StreamResponse, time: float) -> None:
        self.logger.info(
            '%s "%s %s" %s %s %.1fms',
            request.remote,
            request.method,
            request.path_qs[:300],
            response.status,
            response.body_length,
            time * 1000,
        )


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> web.Response:
    return web.Response(status=status, text=message.rstrip("\n") + "\n", headers=headers)


def _host_name(host: str) -> str:
    """``example.org:7878`` → ``example.org``; ``[::1]:7878`` → ``::1``."""
    if host.startswith("["):
        return host[1 : host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


class Results:
    """Answers kept for the queries asked again: the store does not change between builds,
    so the same query (in its canonical form), the same Accept and the same dataset give the
    same bytes. Only small answers are kept, within ``limit`` bytes in all, least recently
    used first out; a new build empties it. Queries that ask for the time, a random number
    or a fresh identifier are never kept."""

    VOLATILE = re.compile(r"(?<![\w?$:])(NOW|RAND|UUID|STRUUID|BNODE)\(", re.I)
    LARGEST = 256 * 1024

    def __init__(self, limit: int) -> None:
        self.limit, self.used, self.generation = limit, 0, -1
        self.items: OrderedDict[tuple[object, ...], tuple[str, bytes]] = OrderedDict()
        self.hits = self.misses = 0

    def key(self, generation: int, query: str, *rest: object) -> tuple[object, ...] | None:
        if not self.limit or self.VOLATILE.search(query):
            return None
        if generation != self.generation:
            self.items.clear()
            self.used, self.generation = 0, generation
        return (query, *rest)

    def get(self, key: tuple[object, ...]) -> tuple[str, bytes] | None:
        found = self.items.get(key)
        if found is None:
            self.misses += 1
            return None
        self.items.move_to_end(key)
        self.hits += 1
        return found

    def put(self, key: tuple[object, ...], ctype: str, body: bytes) -> None:
        if len(body) > self.LARGEST or key in self.items:
            return
        self.items[key] = (ctype, body)
        self.used += len(body)
        while self.used > self.limit and self.items:
            _, (_, old) = self.items.popitem(last=False)
            self.used -= len(old)


class Front:
    def __init__(
        self,
        pool: Pool,
        *,
        cors: str | None,
        public: str,
        hosts: set[str],
        limits: Limits,
        body_timeout: float = 30,
        send_timeout: float = 30,
        cache_bytes: int = 64_000_000,
    ) -> None:
        self.pool, self.cors, self.public = pool, cors, public.rstrip("/")
        self.hosts = {h.lower() for h in hosts}
        self.limits = limits
        self.body_timeout, self.send_timeout = body_timeout, send_timeout
        self._void: tuple[int, bytes] | None = None
        self.prepare = lru_cache(maxsize=2048)(lambda text: prepare(text, limits))
        self.results = Results(cache_bytes)

    # -- what every request passes ---------------------------------------------------------
    @web.middleware
    async def guard(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        host = _host_name(request.headers.get("Host", "")).lower()
        if host not in self.hosts:
            response: web.StreamResponse = _error(
                421,
                f"this server does not answer for the host {host or '(none)'!r}; "
                "hrkg serve --allow-host NAME adds a name",
            )
        elif request.method in ("GET", "HEAD") and (
            request.content_length or "Transfer-Encoding" in request.headers
        ):
            response = _error(400, f"a {request.method} request carries no body")
            response.force_close()
        elif request.method == "OPTIONS":
            response = await self.preflight(request)
        elif self._cross_site(request):
            response = _error(
                403,
                "a request from another site is refused; hrkg serve "
                "--cors ORIGIN allows one origin",
            )
        else:
            try:
                response = await handler(request)
            except web.HTTPException as exc:
                response = exc
            except QueryFailed as failed:  # a page's own question to the engine
                response = _error(failed.status, failed.message)
        if response.prepared:  # a streamed result set its headers itself
            return response
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if self.cors and self._cors_allows(request.headers.get("Origin")):
            response.headers["Access-Control-Allow-Origin"] = self.cors
            response.headers["Vary"] = "Origin"
        return response

    def _cors_allows(self, origin: str | None) -> bool:
        return bool(self.cors) and (self.cors == "*" or origin == self.cors)

    def _cross_site(self, request: web.Request) -> bool:
        origin = request.headers.get("Origin")
        if self._cors_allows(origin):
            return False
        site = request.headers.get("Sec-Fetch-Site", "")
        navigation = (
            request.method in ("GET", "HEAD")
            and request.headers.get("Sec-Fetch-Mode") == "navigate"
        )
        if site == "cross-site" and not navigation:
            return True
        if origin and request.method not in ("GET", "HEAD", "OPTIONS"):
            return origin != f"{request.scheme}://{request.headers.get('Host', '')}"
        return False

    async def preflight(self, request: web.Request) -> web.Response:
        if not self._cors_allows(request.headers.get("Origin")) and self.cors != "*":
            return _error(405, "cross-origin requests are not enabled (hrkg serve --cors)")
        return web.Response(
            status=204,
            headers={
                "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
                "Access-Control-Allow-Headers": "Accept, Content-Type",
                "Access-Control-Max-Age": "600",
            },
        )

    async def _body(self, request: web.Request) -> bytes:
        try:
            async with asyncio.timeout(self.body_timeout):
                return await request.read()
        except TimeoutError:
            raise web.HTTPRequestTimeout(
                text=f"the request body did not arrive in {self.body_timeout:g} s\n"
            ) from None

    async def _send(
        self, request: web.Request, answer: Answer, headers: dict[str, str] | None = None
    ) -> web.StreamResponse:
        """Send a result: one write when it came in the worker's message, else streamed from
        its spool file; a client that stops reading for ``send_timeout`` is dropped."""
        if answer.fd is None:
            try:
                return web.Response(
                    body=answer.body, headers={"Content-Type": answer.ctype, **(headers or {})}
                )
            finally:
                answer.close()
        response = web.StreamResponse(headers={"Content-Type": answer.ctype, **(headers or {})})
        response.content_length = answer.size
        try:
            for name, value in SECURITY_HEADERS.items():
                response.headers[name] = value
            if self.cors and self._cors_allows(request.headers.get("Origin")):
                response.headers["Access-Control-Allow-Origin"] = self.cors
                response.headers["Vary"] = "Origin"
            await response.prepare(request)
            if request.method != "HEAD":
                for chunk in answer.chunks():
                    async with asyncio.timeout(self.send_timeout):
                        await response.write(chunk)
            await response.write_eof()
        except TimeoutError:
            log.warning(
                "hrkg: %s stopped reading its result for %g s: dropped",
                request.remote,
                self.send_timeout,
            )
            if request.transport is not None:
                request.transport.abort()
        except ConnectionError:  # the client went away mid-result: nothing to answer
            log.info("hrkg: %s closed the connection before its result was sent", request.remote)
        finally:
            answer.close()
        return response

    # -- SPARQL -----------------------------------------------------------------------------
    async def sparql(self, request: web.Request) -> web.StreamResponse:
        params = list(request.rel_url.query.items())
        if request.method == "POST":
            ctype = request.content_type
            if ctype == _FORM:
                try:
                    text = (await self._body(request)).decode("utf-8")
                except UnicodeDecodeError:
                    return _error(400, "the form is not UTF-8")
                params += parse_qsl(text, keep_blank_values=True)
            elif ctype == "application/sparql-query":
                try:
                    params.append(("query", (await self._body(request)).decode("utf-8")))
                except UnicodeDecodeError:
                    return _error(400, "the query is not UTF-8")
            elif ctype == "application/sparql-update":
                return _error(403, "an update is refused: this endpoint is read-only")
            else:
                return _error(
                    415,
                    f"a POST to {request.path} is {_FORM} or "
                    f"application/sparql-query, not {ctype or 'untyped'}",
                )
        names = [k for k, _ in params]
        if "update" in names:
            return _error(403, "an update is refused: this endpoint is read-only")
        texts = [v for k, v in params if k == "query"]
        if not texts:
            if request.method == "POST":
                return _error(400, "no query: send query=… or a query body")
            return self._service_description(request)
        if len(texts) > 1:
            return _error(400, "one query per request")
        graphs = {
            k: [v for kk, v in params if kk == k] for k in ("default-graph-uri", "named-graph-uri")
        }
        for iri in graphs["default-graph-uri"] + graphs["named-graph-uri"]:
            if not iri or any(c in iri for c in '<>"{}|^`\\') or any(ord(c) <= 32 for c in iri):
                return _error(400, f"not an IRI: {iri!r}")
        try:
            prepared = self.prepare(texts[0])
        except Refused as refused:
            return _error(refused.status, refused.message)
        accept = request.headers.get("Accept", "*/*")
        key = self.results.key(
            self.pool.generation,
            prepared,
            accept,
            tuple(graphs["default-graph-uri"]),
            tuple(graphs["named-graph-uri"]),
        )
        kept = self.results.get(key) if key is not None else None
        if kept is not None:
            return web.Response(
                body=kept[1], headers={"Content-Type": kept[0], "X-Hrkg-Cache": "hit"}
            )
        try:
            answer = await self.pool.query(
                prepared, accept, graphs["default-graph-uri"], graphs["named-graph-uri"]
            )
        except QueryFailed as failed:
            return _error(failed.status, failed.message)
        if key is not None and answer.fd is None:
            self.results.put(key, answer.ctype, answer.body)
        return await self._send(request, answer)

    def _service_description(self, request: web.Request) -> web.Response:
        endpoint = f"{self.public}{request.path}"
        formats = " , ".join(
            f"<http://www.w3.org/ns/formats/{f}>"
            for f in (
                "SPARQL_Results_JSON",
                "SPARQL_Results_XML",
                "SPARQL_Results_CSV",
                "SPARQL_Results_TSV",
                "Turtle",
                "N-Triples",
                "RDF_XML",
                "JSON-LD",
            )
        )
        text = (
            "@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .\n\n"
            f"<{endpoint}> a sd:Service ;\n"
            f"    sd:endpoint <{endpoint}> ;\n"
            "    sd:supportedLanguage sd:SPARQL11Query ;\n"
            f"    sd:resultFormat {formats} ;\n"
            "    sd:defaultDataset [ a sd:Dataset ;\n"
            "        sd:defaultGraph [ a sd:Graph ] ] .\n"
        )
        return web.Response(text=text, content_type="text/turtle", charset="utf-8")

    async def _select(self, sparql: str) -> list[dict[str, dict[str, str]]]:
        answer = await self.pool.query(sparql, "application/sparql-results+json")
        try:
            data = b"".join(answer.chunks())
        finally:
            answer.close()
        rows: list[dict[str, dict[str, str]]] = json.loads(data)["results"]["bindings"]
        return rows

    # -- refusals and the Graph Store ------------------------------------------------------
    async def update(self, request: web.Request) -> web.Response:
        return _error(403, "an update is refused: this endpoint is read-only")

    async def store(self, request: web.Request) -> web.StreamResponse:
        if request.method not in ("GET", "HEAD"):
            return _error(
                405,
                "this endpoint is read-only: Graph Store writes are refused",
                {"Allow": "GET, HEAD"},
            )
        q = request.rel_url.query
        if "graph" in q:
            iri = q["graph"]
            if not iri or any(c in iri for c in '<>"{}|^`\\') or any(ord(c) <= 32 for c in iri):
                return _error(400, f"not an IRI: {iri!r}")
            sparql = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}"
        elif "default" in q:
            sparql = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
        else:
            return _error(400, "name the graph: /store?graph=IRI or /store?default")
        accept = request.headers.get("Accept", "*/*")
        if negotiate(accept, list(GRAPH_FORMATS)) is None:
            return _error(406, "available as " + ", ".join(GRAPH_FORMATS))
        try:
            answer = await self.pool.query(sparql, accept)
        except QueryFailed as failed:
            return _error(failed.status, failed.message)
        return await self._send(request, answer)

    # -- people ------------------------------------------------------------------------------
    async def ui(self, request: web.Request) -> web.Response:
        page = (resource_dir("web") / "index.html").read_text(encoding="utf-8")
        return web.Response(text=page, content_type="text/html", charset="utf-8")

    async def static(self, request: web.Request) -> web.Response:
        name = request.match_info["name"]
        if name not in _STATIC:
            raise web.HTTPNotFound(text="not found\n")
        data = (resource_dir("web") / name).read_text(encoding="utf-8")
        return web.Response(text=data, content_type=_STATIC[name], charset="utf-8")

    async def examples(self, request: web.Request) -> web.Response:
        items = []
        for path in query_files():
            text = path.read_text(encoding="utf-8")
            question = (
                " ".join(ln[1:].strip() for ln in text.splitlines() if ln.startswith("#"))
                .removeprefix("Question:")
                .strip()
            )
            items.append({"name": path.stem, "question": question, "query": text})
        return web.json_response(items)

    async def resource(self, request: web.Request) -> web.StreamResponse:
        tail = request.match_info["tail"]
        iri = base() + tail
        offers = ["text/html", "text/turtle", "application/ld+json", "application/n-triples"]
        wanted = negotiate(request.headers.get("Accept", ""), offers)
        if wanted is None:
            return _error(406, f"available as {', '.join(offers)}")
        ref = _iri(iri)
        if wanted != "text/html":
            construct = (
                f"CONSTRUCT {{ {ref} ?p ?o . ?s ?q {ref} }} WHERE {{ {{ {ref} ?p ?o }} "
                f"UNION {{ SELECT ?s ?q WHERE {{ ?s ?q {ref} }} "
                f"LIMIT {_INCOMING_SHOWN * 5} }} }}"
            )
            try:
                answer = await self.pool.query(construct, wanted)
            except QueryFailed as failed:
                return _error(failed.status, failed.message)
            if answer.size < 64 and not b"".join(answer.chunks()).strip(b" \n[]{}"):
                answer.close()
                return _error(404, f"nothing is known about {iri}")
            return await self._send(
                request, answer, {"Vary": "Accept", "Link": f'<{iri}>; rel="canonical"'}
            )
        page = await self._page(iri)
        if page is None:
            return _error(404, f"nothing is known about {iri}")
        return web.Response(
            text=page, content_type="text/html", charset="utf-8", headers={"Vary": "Accept"}
        )

    async def _page(self, iri: str) -> str | None:
        ref = _iri(iri)
        out = await self._select(f"SELECT ?p ?o WHERE {{ {ref} ?p ?o }} ORDER BY ?p ?o")
        inc = await self._select(
            f"SELECT ?s ?p WHERE {{ ?s ?p {ref} }} ORDER BY ?p ?s LIMIT {_INCOMING_SHOWN + 1}"
        )
        if not out and not inc:
            return None
        graphs = await self._select(
            f"SELECT DISTINCT ?g ?line WHERE {{ GRAPH ?g {{ {ref} ?p ?o }} OPTIONAL {{ GRAPH ?g "
            f"{{ {ref} <{HR.sourceLine.value}> ?line }} }} }} ORDER BY ?g"
        )
        label = next(
            (b["o"]["value"] for key in _LABELS for b in out if b["p"]["value"] == key),
            iri.rsplit("/", 1)[-1],
        )
        types = [b["o"] for b in out if b["p"]["value"].endswith("#type")]
        e = html.escape
        rows = "".join(f"<tr><td>{_term(b['p'])}</td><td>{_term(b['o'])}</td></tr>" for b in out)
        inrows = "".join(
            f"<tr><td>{_term(b['s'])}</td><td>{_term(b['p'])}</td></tr>"
            for b in inc[:_INCOMING_SHOWN]
        )
        more = (
            f"<p>… more than {_INCOMING_SHOWN}; ask the endpoint for all.</p>"
            if len(inc) > _INCOMING_SHOWN
            else ""
        )
        sources = "".join(
            f"<li>{_term(b['g'])}{e(' line ' + b['line']['value']) if 'line' in b else ''}</li>"
            for b in graphs
        )
        return _PAGE.format(
            title=e(label),
            iri=e(iri),
            types=", ".join(_term(t) for t in types) or "—",
            rows=rows or "<tr><td colspan=2>none</td></tr>",
            inrows=inrows or "<tr><td colspan=2>none</td></tr>",
            more=more,
            sources=sources or "<li>none</li>",
            turtle=e(_local(iri) or iri, quote=True),
        )

    async def void(self, request: web.Request) -> web.Response:
        if self._void is None or self._void[0] != self.pool.generation:
            self._void = (self.pool.generation, await self._describe_dataset())
        fmt = negotiate(request.headers.get("Accept", ""), ["text/turtle", "application/n-triples"])
        if fmt is None:
            return _error(406, "available as text/turtle")
        return web.Response(body=self._void[1], headers={"Content-Type": "text/turtle"})

    async def _describe_dataset(self) -> bytes:
        total = await self._select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        graphs = await self._select(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
        )
        classes = await self._select(
            "SELECT ?c (COUNT(?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c ORDER BY ?c"
        )
        ds = f"<{self.public}/.well-known/void#dataset>"
        lines = [
            "@prefix void: <http://rdfs.org/ns/void#> .",
            "@prefix dcterms: <http://purl.org/dc/terms/> .",
            "",
            f"{ds} a void:Dataset ;",
            '    dcterms:title "hrkg: a human-rights knowledge graph" ;',
            f"    void:sparqlEndpoint <{self.public}/query> ;",
            f'    void:uriSpace "{base()}" ;',
            f"    void:uriLookupEndpoint <{self.public}/id/> ;",
            f"    void:vocabulary <{HR}> ;",
            f"    void:triples {total[0]['n']['value']} ;",
        ]
        for b in classes:
            lines.append(
                f"    void:classPartition [ void:class <{b['c']['value']}> ; "
                f"void:entities {b['n']['value']} ] ;"
            )
        for b in graphs:
            lines.append(
                f"    void:subset [ a void:Dataset ; dcterms:source <{b['g']['value']}> ; "
                f"void:triples {b['n']['value']} ] ;"
            )
        lines[-1] = lines[-1][:-1] + "."
        return ("\n".join(lines) + "\n").encode()


def _short(iri: str) -> str:
    for prefix, ns in (
        ("hr:", "https://w3id.org/hrkg/ontology#"),
        ("rdf:", _RDF),
        ("rdfs:", "http://www.w3.org/2000/01/rdf-schema#"),
        ("skos:", "http://www.w3.org/2004/02/skos/core#"),
        ("xsd:", "http://www.w3.org/2001/XMLSchema#"),
        ("dcterms:", "http://purl.org/dc/terms/"),
        ("prov:", "http://www.w3.org/ns/prov#"),
        ("", base()),
    ):
        if iri.startswith(ns):
            return prefix + iri[len(ns) :]
    return iri


_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"


def _local(iri: str) -> str | None:
    return "/id/" + quote(iri[len(base()) :], safe="/:#-._~") if iri.startswith(base()) else None


def _term(b: dict[str, str]) -> str:
    """A term as HTML: only our own IRIs and http(s) IRIs become links."""
    e = html.escape
    if b["type"] == "uri":
        value = b["value"]
        href = _local(value) or (
            value if value.lower().startswith(("http://", "https://")) else None
        )
        if href is None:
            return f"<code>{e(value)}</code>"
        return f'<a href="{e(href, quote=True)}">{e(_short(value))}</a>'
    if b["type"] == "bnode":
        return e("_:" + b["value"])
    extra = (
        f'<span class="lang">@{e(b["xml:lang"])}</span>'
        if "xml:lang" in b
        else f'<span class="dt">^^{e(_short(b["datatype"]))}</span>'
        if "datatype" in b and not b["datatype"].endswith("#string")
        else ""
    )
    return f"<q>{e(b['value'])}</q>{extra}"


def _iri(value: str) -> str:
    if any(c in value for c in '<>"{}|^`\\') or any(ord(c) <= 32 for c in value):
        raise web.HTTPBadRequest(text=f"not a resource name: {value!r}\n")
    return f"<{value}>"


_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title} — hrkg</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="alternate" type="text/turtle" href="{turtle}">
<link rel="stylesheet" href="/static/page.css"></head>
<body><p><a href="/">hrkg</a> · resource</p>
<h1>{title}</h1><p><code>{iri}</code></p><p>Type: {types}</p>
<h2>Statements</h2><table>{rows}</table>
<h2>Links to it</h2><table>{inrows}</table>{more}
<h2>Sources</h2><ul>{sources}</ul>
</body></html>
"""


def make_app(front: Front) -> web.Application:
    app = web.Application(
        middlewares=[front.guard], client_max_size=4 * front.limits.max_bytes + 64 * 1024
    )
    r = app.router
    for path in ("/query", "/sparql"):
        r.add_get(path, front.sparql)
        r.add_post(path, front.sparql)
    r.add_get("/", front.ui)
    r.add_get("/examples.json", front.examples)
    r.add_get("/static/{name}", front.static)
    r.add_route("*", "/update", front.update)
    r.add_route("*", "/store", front.store)
    r.add_get(r"/id/{tail:[\s\S]+}", front.resource)  # [\s\S]: a newline is refused, not 404
    r.add_get("/.well-known/void", front.void)
    return app
