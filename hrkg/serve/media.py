"""Content negotiation: which result format an ``Accept`` header asks for."""

from __future__ import annotations

from pyoxigraph import QueryResultsFormat, RdfFormat

__all__ = ["negotiate", "SOLUTION_FORMATS", "GRAPH_FORMATS"]

# the first of each list is the default (Accept: */* or none)
SOLUTION_FORMATS: dict[str, QueryResultsFormat] = {
    "application/sparql-results+json": QueryResultsFormat.JSON,
    "application/json": QueryResultsFormat.JSON,
    "application/sparql-results+xml": QueryResultsFormat.XML,
    "application/xml": QueryResultsFormat.XML,
    "text/csv": QueryResultsFormat.CSV,
    "text/tab-separated-values": QueryResultsFormat.TSV,
}
GRAPH_FORMATS: dict[str, RdfFormat] = {
    "text/turtle": RdfFormat.TURTLE,
    "application/n-triples": RdfFormat.N_TRIPLES,
    "text/plain": RdfFormat.N_TRIPLES,
    "application/rdf+xml": RdfFormat.RDF_XML,
    "application/ld+json": RdfFormat.JSON_LD,
    "application/n-quads": RdfFormat.N_QUADS,
    "application/trig": RdfFormat.TRIG,
}


def negotiate(accept: str, offers: list[str]) -> str | None:
    """The offer the Accept header prefers (q-values, then the order of ``offers``); None
    when it accepts none of them.

    >>> negotiate("text/html,*/*;q=0.8", ["text/turtle", "text/html"])
    'text/html'
    >>> negotiate("text/csv;q=0.5, application/sparql-results+json", ["text/csv",
    ...           "application/sparql-results+json"])
    'application/sparql-results+json'
    >>> negotiate("image/png", ["text/turtle"]) is None
    True
    """
    if not accept.strip():
        return offers[0]
    best, best_q, best_exact = None, 0.0, False
    for part in accept.split(","):
        fields = [f.strip() for f in part.split(";")]
        mime, q = fields[0].lower(), 1.0
        for f in fields[1:]:
            if f.startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        if q <= 0:
            continue
        for offer in offers:
            exact = mime == offer
            if not (
                exact or mime == "*/*" or (mime.endswith("/*") and offer.startswith(mime[:-1]))
            ):
                continue
            if q > best_q or (q == best_q and exact and not best_exact):
                best, best_q, best_exact = offer, q, exact
            break  # the first offer this range matches is its pick
    return best
