"""The pages of ``hrkg serve``, an aiohttp application behind the gateway (:mod:`hrkg.gateway`,
which answers SPARQL queries itself and hands everything else here):

- the query UI at ``/`` and the example queries at ``/examples.json``;
- resource pages under ``/id/…``: HTML, Turtle, JSON-LD or N-Triples by content negotiation;
- a VoID description of the dataset at ``/.well-known/void``;
- refusals: ``/update`` (403) and Graph Store writes (405); Graph Store reads pass through;
- CORS preflight when ``--cors`` is given.

Its own questions to the engine (for the pages) obey the same timeout as queries: when one
overruns, the engine is retired for a fresh one (:class:`hrkg.serve.Engines`).
"""

from __future__ import annotations

import html
import json
from urllib.parse import quote

from aiohttp import web

from hrkg.gateway import ENGINE_ERRORS, TooLarge, request_head, timeout_message, too_large_message
from hrkg.resources import query_files, resource_dir
from hrkg.terms import HR, base

__all__ = ["make_app", "negotiate"]

_LABELS = ("http://www.w3.org/2000/01/rdf-schema#label",
           "http://www.w3.org/2004/02/skos/core#prefLabel", "http://purl.org/dc/terms/title")
_INCOMING_SHOWN = 200


def negotiate(accept: str, offers: list[str]) -> str | None:
    """The offer the Accept header prefers (q-values, then the order of ``offers``)."""
    if not accept.strip():
        return offers[0]
    best, best_q = None, 0.0
    for part in accept.split(","):
        fields = [f.strip() for f in part.split(";")]
        mime, q = fields[0].lower(), 1.0
        for f in fields[1:]:
            if f.startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        for offer in offers:
            matches = mime in (offer, "*/*") or (mime.endswith("/*")
                                                 and offer.startswith(mime[:-1]))
            if matches and q > best_q and q > 0:
                best, best_q = offer, q
                if mime == offer:
                    break
    return best


class Front:
    def __init__(self, engines, max_bytes: int, cors: str | None, public: str) -> None:
        self.engines = engines  # hrkg.serve.Engines: .ask(), .timeout
        self.max_bytes = max_bytes
        self.cors = cors
        self.public = public.rstrip("/")
        self._void: bytes | None = None

    # -- plumbing (the gateway logs every request) ----------------------------------------
    @web.middleware
    async def middleware(self, request: web.Request, handler) -> web.StreamResponse:
        try:
            response = await handler(request)
        except web.HTTPException as exc:
            response = exc
        except ENGINE_ERRORS as exc:
            response = _error(502, f"the SPARQL engine did not answer: {exc or type(exc).__name__}")
        if self.cors:
            response.headers["Access-Control-Allow-Origin"] = self.cors
            response.headers["Vary"] = "Origin"
        return response

    async def preflight(self, request: web.Request) -> web.Response:
        if not self.cors:
            return _error(405, "cross-origin requests are not enabled (hrkg serve --cors)")
        return web.Response(status=204, headers={
            "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
            "Access-Control-Allow-Headers": "Accept, Content-Type",
            "Access-Control-Max-Age": "600"})

    async def _backend(self, method: str, path: str, *, query_string: str = "",
                       data: bytes = b"", headers: dict[str, str]) -> tuple[int, str, bytes]:
        """Ask the engine: (status, content type, body), within the size cap and the
        timeout."""
        target = path + ("?" + query_string if query_string else "")
        head = request_head(method, target, headers.get("Accept", "*/*"),
                            headers.get("Content-Type"), len(data) if method == "POST" else None)
        try:
            status, out, payload = await self.engines.ask(head, data, self.max_bytes)
        except TimeoutError:
            raise web.HTTPGatewayTimeout(text=timeout_message(self.engines.timeout)) from None
        except TooLarge:
            raise web.HTTPUnprocessableEntity(text=too_large_message(self.max_bytes)) from None
        ctype = next((v for k, v in out if k.lower() == b"content-type"), b"")
        return status, ctype.decode("latin-1"), payload

    # -- refusals and the Graph Store ----------------------------------------------------
    async def update(self, request: web.Request) -> web.Response:
        raise _update_refused("an update")

    async def store(self, request: web.Request) -> web.Response:
        if request.method not in ("GET", "HEAD"):
            return _error(405, "this endpoint is read-only: Graph Store writes are refused",
                          {"Allow": "GET, HEAD"})
        status, content_type, payload = await self._backend(
            "GET", "/store", query_string=request.rel_url.raw_query_string,
            headers={"Accept": request.headers.get("Accept", "*/*")})
        return web.Response(status=status, body=payload, headers={"Content-Type": content_type})

    async def _select(self, sparql: str) -> list[dict[str, dict[str, str]]]:
        status, _, payload = await self._backend(
            "POST", "/query", data=sparql.encode(),
            headers={"Content-Type": "application/sparql-query",
                     "Accept": "application/sparql-results+json"})
        if status != 200:
            raise web.HTTPBadGateway(text=payload.decode("utf-8", "replace"))
        return json.loads(payload)["results"]["bindings"]

    # -- people ---------------------------------------------------------------------------
    async def ui(self, request: web.Request) -> web.Response:
        page = (resource_dir("web") / "index.html").read_text(encoding="utf-8")
        return web.Response(text=page, content_type="text/html", charset="utf-8")

    async def examples(self, request: web.Request) -> web.Response:
        items = []
        for path in query_files():
            text = path.read_text(encoding="utf-8")
            question = " ".join(ln[1:].strip() for ln in text.splitlines()
                                if ln.startswith("#")).removeprefix("Question:").strip()
            items.append({"name": path.stem, "question": question, "query": text})
        return web.json_response(items)

    async def resource(self, request: web.Request) -> web.Response:
        tail = request.match_info["tail"]
        iri = base() + tail
        offers = ["text/html", "text/turtle", "application/ld+json", "application/n-triples"]
        wanted = negotiate(request.headers.get("Accept", ""), offers)
        if wanted is None:
            return _error(406, f"available as {', '.join(offers)}")
        ref = _iri(iri)
        if wanted != "text/html":
            construct = (f"CONSTRUCT {{ {ref} ?p ?o . ?s ?q {ref} }} WHERE {{ {{ {ref} ?p ?o }} "
                         f"UNION {{ SELECT DISTINCT ?s ?q WHERE {{ ?s ?q {ref} }} "
                         f"LIMIT {_INCOMING_SHOWN * 5} }} }}")
            status, ctype, payload = await self._backend(
                "POST", "/query", data=construct.encode(),
                headers={"Content-Type": "application/sparql-query", "Accept": wanted})
            if status == 200 and not payload.strip(b" \n[]{}"):
                return _error(404, f"nothing is known about {iri}")
            return web.Response(status=status, body=payload, headers={
                "Content-Type": ctype, "Vary": "Accept", "Link": f'<{iri}>; rel="canonical"'})
        page = await self._page(iri)
        if page is None:
            return _error(404, f"nothing is known about {iri}")
        return web.Response(text=page, content_type="text/html", charset="utf-8",
                            headers={"Vary": "Accept"})

    async def _page(self, iri: str) -> str | None:
        ref = _iri(iri)
        out = await self._select(f"SELECT DISTINCT ?p ?o WHERE {{ {ref} ?p ?o }} ORDER BY ?p ?o")
        inc = await self._select(f"SELECT DISTINCT ?s ?p WHERE {{ ?s ?p {ref} }} ORDER BY ?p ?s "
                                 f"LIMIT {_INCOMING_SHOWN + 1}")
        if not out and not inc:
            return None
        graphs = await self._select(
            f"SELECT DISTINCT ?g ?line WHERE {{ GRAPH ?g {{ {ref} ?p ?o }} OPTIONAL {{ GRAPH ?g "
            f"{{ {ref} <{HR.sourceLine.value}> ?line }} }} }} ORDER BY ?g")
        label = next((b["o"]["value"] for key in _LABELS for b in out
                      if b["p"]["value"] == key), iri.rsplit("/", 1)[-1])
        types = [b["o"] for b in out if b["p"]["value"].endswith("#type")]
        e = html.escape
        rows = "".join(f"<tr><td>{self._term(b['p'])}</td><td>{self._term(b['o'])}</td></tr>"
                       for b in out)
        inrows = "".join(f"<tr><td>{self._term(b['s'])}</td><td>{self._term(b['p'])}</td></tr>"
                         for b in inc[:_INCOMING_SHOWN])
        more = (f"<p>… more than {_INCOMING_SHOWN}; ask the endpoint for all.</p>"
                if len(inc) > _INCOMING_SHOWN else "")
        sources = "".join(
            f"<li>{self._term(b['g'])}{e(' line ' + b['line']['value']) if 'line' in b else ''}"
            "</li>" for b in graphs)
        return _PAGE.format(
            title=e(label), iri=e(iri), types=", ".join(self._term(t) for t in types) or "—",
            rows=rows or "<tr><td colspan=2>none</td></tr>",
            inrows=inrows or "<tr><td colspan=2>none</td></tr>", more=more,
            sources=sources or "<li>none</li>",
            turtle=e(self._local(iri) or iri, quote=True))

    def _local(self, iri: str) -> str | None:
        return "/id/" + quote(iri[len(base()):], safe="/:#-._~") if iri.startswith(base()) else None

    def _term(self, b: dict[str, str]) -> str:
        e = html.escape
        if b["type"] == "uri":
            href = self._local(b["value"]) or b["value"]
            return f'<a href="{e(href, quote=True)}">{e(_short(b["value"]))}</a>'
        if b["type"] == "bnode":
            return e("_:" + b["value"])
        extra = (f'<span class="lang">@{e(b["xml:lang"])}</span>' if "xml:lang" in b else
                 f'<span class="dt">^^{e(_short(b["datatype"]))}</span>'
                 if "datatype" in b and not b["datatype"].endswith("#string") else "")
        return f"<q>{e(b['value'])}</q>{extra}"

    async def void(self, request: web.Request) -> web.Response:
        if self._void is None:
            self._void = await self._describe_dataset()
        fmt = negotiate(request.headers.get("Accept", ""), ["text/turtle", "application/n-triples"])
        if fmt is None:
            return _error(406, "available as text/turtle")
        return web.Response(body=self._void, headers={"Content-Type": "text/turtle"})

    async def _describe_dataset(self) -> bytes:
        total = await self._select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        graphs = await self._select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } "
                                    "GROUP BY ?g ORDER BY ?g")
        classes = await self._select("SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } "
                                     "GROUP BY ?c ORDER BY ?c")
        ds = f"<{self.public}/.well-known/void#dataset>"
        lines = [
            "@prefix void: <http://rdfs.org/ns/void#> .",
            "@prefix dcterms: <http://purl.org/dc/terms/> .",
            "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .",
            "",
            f"{ds} a void:Dataset ;",
            '    dcterms:title "hrkg: a human-rights knowledge graph" ;',
            f"    void:sparqlEndpoint <{self.public}/query> ;",
            f'    void:uriSpace "{base()}" ;',
            f'    void:uriLookupEndpoint <{self.public}/id/> ;',
            f"    void:vocabulary <{HR}> ;",
            f"    void:triples {total[0]['n']['value']} ;",
        ]
        for b in classes:
            lines.append(f"    void:classPartition [ void:class <{b['c']['value']}> ; "
                         f"void:entities {b['n']['value']} ] ;")
        for b in graphs:
            lines.append(f"    void:subset [ a void:Dataset ; dcterms:source <{b['g']['value']}> ; "
                         f"void:triples {b['n']['value']} ] ;")
        lines[-1] = lines[-1][:-1] + "."
        return ("\n".join(lines) + "\n").encode()


def _short(iri: str) -> str:
    for prefix, ns in (("hr:", "https://w3id.org/hrkg/ontology#"), ("rdf:", _RDF),
                       ("rdfs:", "http://www.w3.org/2000/01/rdf-schema#"),
                       ("skos:", "http://www.w3.org/2004/02/skos/core#"),
                       ("xsd:", "http://www.w3.org/2001/XMLSchema#"),
                       ("dcterms:", "http://purl.org/dc/terms/"), ("prov:", "http://www.w3.org/ns/prov#"),
                       ("", base())):
        if iri.startswith(ns):
            return prefix + iri[len(ns):]
    return iri


_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"


def _iri(value: str) -> str:
    if any(c in value for c in '<>"{}|^`\\ '):
        raise web.HTTPBadRequest(text=f"not a resource name: {value!r}")
    return f"<{value}>"


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> web.Response:
    return web.Response(status=status, text=message + "\n", headers=headers)


def _update_refused(what: str) -> web.HTTPForbidden:
    return web.HTTPForbidden(text=f"{what} is refused: this endpoint is read-only\n")


_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title} — hrkg</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="alternate" type="text/turtle" href="{turtle}">
<style>body{{font:15px/1.45 system-ui,sans-serif;margin:2em auto;max-width:70em;padding:0 1em}}
table{{border-collapse:collapse;width:100%}}td{{border-top:1px solid #ddd;padding:.25em .5em;
vertical-align:top}}code,.dt,.lang{{color:#666}}q{{quotes:none}}</style></head>
<body><p><a href="/">hrkg</a> · resource</p>
<h1>{title}</h1><p><code>{iri}</code></p><p>Type: {types}</p>
<h2>Statements</h2><table>{rows}</table>
<h2>Links to it</h2><table>{inrows}</table>{more}
<h2>Sources</h2><ul>{sources}</ul>
</body></html>
"""


def make_app(front: Front) -> web.Application:
    app = web.Application(middlewares=[front.middleware], client_max_size=4 * 1024 * 1024)
    r = app.router
    r.add_get("/", front.ui)
    r.add_get("/examples.json", front.examples)
    r.add_route("*", "/update", front.update)
    r.add_route("*", "/store", front.store)
    r.add_get("/id/{tail:.+}", front.resource)
    r.add_get("/.well-known/void", front.void)
    r.add_route("OPTIONS", "/{tail:.*}", front.preflight)
    return app

