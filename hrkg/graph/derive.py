"""What the build derives from the loaded graphs, into a named graph of its own.

Made when a store is committed (:func:`hrkg.graph.build._commit`), after validation and before the
default graph (the merge of the named graphs) is written, so that a plain query finds these
facts and ``GRAPH ?g`` still tells a source's statements from the build's:

- **superclass types**: every instance of an hr: class is also typed with the hr: classes
  above it (``?x a hr:ConsentToBeBound`` finds the ratifications a document states,
  ``?x a hr:Instrument`` every treaty, protocol and declaration);
- **review dates**: every UPR review has an ``hr:date``: the day a source states
  (``hr:dateBasis hr:DateStated``), else the first day of its Working Group session
  (``hr:DateSessionStart``, from ``data/reference/upr-sessions.tsv``), and ``hr:yearNumber``;
- **labels**: an ``rdfs:label`` for every recommendation ("United States, session 9, 92.1:
  Ratify CEDAW …"), pledge, review and treaty action that has none.

The graph describes itself: how it was derived (``dcterms:description``), from which graphs
(``prov:wasDerivedFrom``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from pyoxigraph import BlankNode, Literal, NamedNode, Quad, QuerySolutions, Store

from hrkg.reference.states import upr_sessions
from hrkg.terms import DCTERMS, HR, INFERRED_GRAPH, PROV, RDF, RDFS, XSD, en, rid, typed

__all__ = ["INFERRED_GRAPH", "derive", "LABEL_TEXT_LENGTH"]

LABEL_TEXT_LENGTH = 80  # characters of a recommendation's or pledge's words in its label
_HR = str(HR)
_ONTOLOGY = rid("graph", "ontology")


def _rows(store: Store, query: str) -> Iterator[dict[str, Any]]:
    result = store.query(query, use_default_graph_as_union=True)
    assert isinstance(result, QuerySolutions)
    names = [v.value for v in result.variables]
    for row in result:
        yield {n: row[n] for n in names}


def _superclass_types(store: Store, g: NamedNode) -> Iterator[Quad]:
    above: dict[str, set[str]] = defaultdict(set)
    for r in _rows(
        store,
        f"""SELECT ?c ?s WHERE {{ GRAPH <{_ONTOLOGY.value}> {{
            ?c <{RDFS.subClassOf.value}>+ ?s }} }}""",
    ):
        if r["s"].value.startswith(_HR):
            above[r["c"].value].add(r["s"].value)
    typed_as: dict[NamedNode | BlankNode, set[str]] = defaultdict(set)
    for q in store.quads_for_pattern(None, RDF.type, None, None):
        if (
            q.graph_name != _ONTOLOGY
            and isinstance(q.subject, NamedNode | BlankNode)
            and isinstance(q.object, NamedNode)
        ):
            typed_as[q.subject].add(q.object.value)
    for node, have in typed_as.items():
        for cls in sorted(set().union(*(above.get(c, set()) for c in have)) - have):
            yield Quad(node, RDF.type, NamedNode(cls), g)


def _review_dates(store: Store, g: NamedNode) -> Iterator[Quad]:
    sessions = upr_sessions()
    for r in _rows(
        store,
        f"""PREFIX hr: <{_HR}>
            SELECT ?review (MIN(?s) AS ?session) (MIN(?d) AS ?date) WHERE {{
              ?review a hr:UPRReview ; hr:session ?s .
              OPTIONAL {{ ?review hr:date ?d }}
            }} GROUP BY ?review ORDER BY ?review""",
    ):
        review = r["review"]
        assert isinstance(review, NamedNode)
        day = r["date"]
        if isinstance(day, Literal):
            yield Quad(review, HR.dateBasis, HR.DateStated, g)
            year = int(day.value[:4])
        else:
            session = sessions.get(int(r["session"].value))
            if session is None:
                continue  # a session the calendar does not hold: no date is made up
            yield Quad(review, HR.date, typed(session.start.isoformat(), XSD.date), g)
            yield Quad(review, HR.dateBasis, HR.DateSessionStart, g)
            year = session.start.year
        yield Quad(review, HR.yearNumber, typed(year, XSD.integer), g)


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= LABEL_TEXT_LENGTH else text[: LABEL_TEXT_LENGTH - 1].rstrip() + "…"


def _para_key(p: str) -> tuple[int, ...]:
    return tuple(int(x) for x in p.split(".") if x.isdigit())


def _labels(store: Store, g: NamedNode) -> Iterator[Quad]:
    labelled = {str(q.subject) for q in store.quads_for_pattern(None, RDFS.label, None, None)}
    # recommendations and pledges: state under review, session, paragraph, words
    paragraphs: dict[str, list[str]] = defaultdict(list)
    for q in store.quads_for_pattern(None, HR.paragraph, None, None):
        if isinstance(q.object, Literal):
            paragraphs[str(q.subject)].append(q.object.value)
    for r in _rows(
        store,
        f"""PREFIX hr: <{_HR}> PREFIX rdfs: <{RDFS}>
            SELECT ?x ?kind (SAMPLE(?name) AS ?state) (MIN(?s) AS ?session) (MIN(?t) AS ?text)
            WHERE {{
              VALUES ?kind {{ hr:Recommendation hr:Pledge }}
              ?x a ?kind ; hr:text ?t ; hr:review ?r .
              ?r hr:session ?s ; hr:stateUnderReview/rdfs:label ?name .
            }} GROUP BY ?x ?kind""",
    ):
        x = r["x"]
        assert isinstance(x, NamedNode)
        if str(x) in labelled:
            continue
        head = f"{r['state'].value}, session {r['session'].value}"
        paras = sorted(set(paragraphs.get(str(x), [])), key=_para_key)
        if paras:
            head += ", " + ", ".join(paras[:3]) + (" …" if len(paras) > 3 else "")
        if r["kind"] == HR.Pledge:
            head += ", pledge"
        yield Quad(x, RDFS.label, en(f"{head}: {_short(r['text'].value)}"), g)
    # reviews
    for r in _rows(
        store,
        f"""PREFIX hr: <{_HR}> PREFIX rdfs: <{RDFS}>
            SELECT ?x (SAMPLE(?name) AS ?state) (MIN(?s) AS ?session) (MIN(?d) AS ?date) WHERE {{
              ?x a hr:UPRReview ; hr:session ?s ; hr:stateUnderReview/rdfs:label ?name .
              OPTIONAL {{ ?x hr:date ?d }}
            }} GROUP BY ?x""",
    ):
        x = r["x"]
        assert isinstance(x, NamedNode)
        if str(x) in labelled:
            continue
        when = f", {r['date'].value}" if r["date"] is not None else ""
        yield Quad(
            x, RDFS.label, en(f"UPR of {r['state'].value}, session {r['session'].value}{when}"), g
        )
    # treaty actions: the most specific kind the sources give
    kinds = {
        HR.Ratification.value: "ratification of",
        HR.Accession.value: "accession to",
        HR.Succession.value: "succession to",
        HR.ConsentToBeBound.value: "consent to be bound by",
        HR.Signature.value: "signature of",
        HR.Denunciation.value: "denunciation of",
    }
    for r in _rows(
        store,
        f"""PREFIX hr: <{_HR}> PREFIX rdfs: <{RDFS}>
            SELECT ?x (GROUP_CONCAT(DISTINCT STR(?c); separator=" ") AS ?classes)
                   (SAMPLE(?name) AS ?state) (SAMPLE(?short) AS ?instrument)
                   (MIN(?y) AS ?year) (MIN(?d) AS ?date) WHERE {{
              ?x hr:state ?st ; hr:instrument/hr:shortName ?short ; a ?c .
              ?st rdfs:label ?name .
              OPTIONAL {{ ?x hr:yearNumber ?y }} OPTIONAL {{ ?x hr:date ?d }}
            }} GROUP BY ?x""",
    ):
        x = r["x"]
        assert isinstance(x, NamedNode)
        if str(x) in labelled:
            continue
        classes = r["classes"].value.split()
        kind = next((k for c, k in kinds.items() if c in classes), None)
        if kind is None:
            continue
        when = r["date"] or r["year"]
        tail = f" ({when.value})" if when is not None else ""
        yield Quad(
            x, RDFS.label, en(f"{r['state'].value}: {kind} {r['instrument'].value}{tail}"), g
        )


def derive(store: Store) -> int:
    """Replace the inferred graph of ``store`` with what its other graphs now imply; return
    the number of quads made. Reads the named graphs (the default graph is not made yet)."""
    g = rid("graph", INFERRED_GRAPH)
    if store.contains_named_graph(g):
        store.remove_graph(g)
    sources = sorted(
        {
            q.graph_name.value
            for q in store.quads_for_pattern(None, RDF.type, None, None)
            if isinstance(q.graph_name, NamedNode)
        }
    )
    quads: list[Quad] = [
        Quad(g, RDF.type, HR.InferredGraph, g),
        Quad(g, DCTERMS.title, en("hrkg: facts derived at build time"), g),
        Quad(
            g,
            DCTERMS.description,
            en(
                "Derived by hrkg.derive from the other named graphs when the store was written: "
                "(1) for every rdf:type an hr: class, the hr: classes above it in the ontology "
                "(rdfs:subClassOf+), where no source states them; (2) for every UPR review, "
                "hr:dateBasis hr:DateStated where a source states its day, else hr:date = the "
                "first day of its Working Group session (data/reference/upr-sessions.tsv) with "
                "hr:dateBasis hr:DateSessionStart, and hr:yearNumber; (3) rdfs:label for "
                "recommendations, pledges, reviews and treaty actions that have none. Nothing "
                "here is stated by a source."
            ),
            g,
        ),
    ]
    quads += [Quad(g, PROV.wasDerivedFrom, NamedNode(s), g) for s in sources if s != g.value]
    quads += _superclass_types(store, g)
    store.extend(quads)  # the types first: the labels read them
    made = list(_review_dates(store, g))
    store.extend(made)
    labels = list(_labels(store, g))
    store.extend(labels)
    return len(quads) + len(made) + len(labels)
