"""The query rewriting in front of the engine (hrkg.serve.sparql): what it refuses, and that
what it lets through means what the user wrote."""

from __future__ import annotations

import pytest
from pyoxigraph import Store

from hrkg.resources import query_files
from hrkg.serve.sparql import Limits, Refused, prepare

TRICKY = [
    'SELECT (CONCAT ("a", "b") AS ?x) {}',
    'SELECT ("1" ^^ <http://www.w3.org/2001/XMLSchema#int> AS ?x) {}',
    'SELECT (GROUP_CONCAT(?y; SEPARATOR=",") AS ?x) { VALUES ?y {1 2} }',
    "SELECT ?x { VALUES (?x ?y) { (1 2) (UNDEF 3) } }",
    "SELECT ?x { ?x <urn:p>* ?y . ?x ^<urn:q>/<urn:r>+ ?z . ?x !(<urn:a>|^<urn:b>) ?w . "
    "?x <urn:p>? ?v }",
    "SELECT * { ?s ?p -1 . ?s ?p +1.5e3 . ?s ?p .5 . ?s ?p 1. }",
    "ASK { FILTER(?a<?b && 1<=2 && 2>=1 && 1!=2) }",
    "BASE <http://ex/> PREFIX : <a/> SELECT ?x { ?x :b <c> }",
    'SELECT * { ?s ?p """a"b"""@en-US . ?s ?p \'\'\'c\'\'\' . ?s ?p \'d\\te\' }',
    "SELECT * { { SELECT ?x WHERE { ?x ?p ?o } GROUP BY ?x HAVING (COUNT(*) > 1) } "
    "MINUS { ?x a ?c } OPTIONAL { ?x ?q ?r } FILTER NOT EXISTS { ?x ?y ?z } }",
    "SELECT * FROM <urn:g> FROM NAMED <urn:h> { GRAPH ?g { ?s ?p ?o } }",
    "PREFIX ex: <http://ex/> SELECT * { ?s ex:a\\#b ?o . ?s ex:c%20d ?o . ?s ex:e.f ?o }",
    "SELECT $x { $x ?p _:b1 . _:b1 ?q [] }",
    "PREFIX é: <http://ex/é/> SELECT * { ?s é:ü ?o }",
]


@pytest.mark.parametrize("query", TRICKY)
def test_the_engine_reads_the_canonical_form(query: str) -> None:
    text = prepare(query)
    Store().query(text)  # no SyntaxError
    assert "\\u" not in text and "#" not in text.replace("<http://ex/a#b>", "").replace(
        "<http://www.w3.org/2001/XMLSchema#int>", "")
    assert prepare(text) == text  # the canonical form is its own canonical form


def test_escapes_and_prefixed_names_are_written_out() -> None:
    assert prepare('PREFIX ex: <http://ex/> SELECT ?x { ?x ex:a\\#b "q\\u0022\\n" }') == \
        'SELECT ?x { ?x <http://ex/a#b> "q\\"\\n" }'
    assert prepare("SELECT ?x { ?x <http://ex/\\u0061> 1 }") == "SELECT ?x { ?x <http://ex/a> 1 }"


def test_example_queries_answer_the_same_through_the_rewriting(store) -> None:
    for path in query_files():
        text = path.read_text()
        original = [tuple(map(str, row)) for row in store.query(text)]
        rewritten = [tuple(map(str, row)) for row in store.query(prepare(text))]
        assert original and rewritten == original, path.name


@pytest.mark.parametrize("query, status, message", [
    ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", 403, "INSERT (an update)"),
    ("PREFIX a: <urn:a> WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", 403, "WITH"),
    ("SELECT * { SERVICE <urn:x> { ?s ?p ?o } }", 400, "SERVICE is refused"),
    ("SELECT * { ?s ?p ?o", 400, "still open"),
    ("SELECT * { ?s ?p ?o ) }", 400, "closes nothing open"),
    ("SELECT * { ?s ex:p ?o }", 400, "the prefix ex: is not declared"),
    ("SELECT * { ?s ?p ?o } \\u0053", 400, "not SPARQL"),
    ("SELECT * { ?s ?p ?o } ~", 400, "not SPARQL"),
    ('SELECT * { ?s ?p "\\uD800" }', 400, "not a Unicode character"),
    ("BASE <a:> BASE <b:> SELECT * {}", 400, "one BASE"),
    ("PREFIX ex <urn:> SELECT * {}", 400, "PREFIX needs a name"),
    ("# nothing but a comment", 400, "no query"),
    ("LIMIT 1", 400, "a query starts with"),
])
def test_refusals(query: str, status: int, message: str) -> None:
    with pytest.raises(Refused) as caught:
        prepare(query)
    assert caught.value.status == status and message in caught.value.message


def test_limits() -> None:
    limits = Limits(max_bytes=1000, max_depth=8)
    with pytest.raises(Refused, match="longer than this server's limit of 0 KB"):
        prepare("SELECT * { ?s ?p " + '"' + "x" * 1000 + '" }', limits)
    with pytest.raises(Refused, match="deeper than this server's limit of 8"):
        prepare("SELECT * " + "{" * 9 + "}" * 9, limits)
    prepare("SELECT * " + "{" * 8 + "}" * 8, limits)
    # prefixes cannot blow a short query up past four times its limit
    long_prefix = "PREFIX p: <http://" + "x" * 500 + "/> SELECT * { "
    with pytest.raises(Refused, match="too long once its prefixes are expanded"):
        prepare(long_prefix + " ".join("p:a ?p ?o ." for _ in range(30)) + " }",
                Limits(max_bytes=1000))
