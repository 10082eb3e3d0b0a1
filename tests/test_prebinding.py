"""Pre-binding of SHACL-SPARQL queries (hrkg/prebinding.py): what SHACL forbids, and which
queries can be joined with all focus nodes at once instead of one evaluation per node."""

from __future__ import annotations

import pytest

from hrkg.validation.prebinding import PrebindingError, analyse

PREFIX = "PREFIX ex: <http://example.org/>\n"
PREBOUND = {"this", "value", "currentShape", "shapesGraph"}


@pytest.mark.parametrize("query, joinable", [
    ("SELECT $this ?v WHERE { $this ex:p ?v FILTER (?v > 1) }", True),
    ("SELECT $this WHERE { $this ex:p ?v FILTER NOT EXISTS { $this ex:q ?v } }", True),
    ("SELECT $this ?v WHERE { $this ex:p ?v OPTIONAL { $this ex:q ?w } FILTER (!bound(?w)) }",
     True),
    ("SELECT $this ?n WHERE { $this a ex:C { SELECT $this (COUNT(?x) AS ?n) WHERE "
     "{ $this ex:p ?x } GROUP BY $this } FILTER (?n > 2) }", True),
    ("SELECT $this WHERE { $this ex:p/ex:q ?x }", True),
    # the focus node is only read, never bound by a triple: one evaluation per node
    ("SELECT $this WHERE { FILTER ($this = ex:a) }", False),
    ("SELECT $this WHERE { { FILTER (false) } UNION { FILTER ($this = ex:a) } }", False),
    ("SELECT $this WHERE { { { FILTER ($this = ex:a) } FILTER bound($this) } FILTER (true) }",
     False),
    ("SELECT $this WHERE { BIND ($this AS ?that) FILTER (?that = ex:a) }", False),
    ("SELECT $this WHERE { OPTIONAL { $this ex:q ?w } FILTER (!bound(?w)) }", False),
    ("SELECT $this WHERE { { SELECT $this WHERE { FILTER ($this = ex:a) } } }", False),
])
def test_which_queries_join(query: str, joinable: bool) -> None:
    assert analyse(PREFIX + query, PREBOUND).joinable is joinable


@pytest.mark.parametrize("query, reason", [
    ("SELECT $this WHERE { $this ?x ?any . MINUS { $this ?x 'Value' } }", "MINUS"),
    ("SELECT $this WHERE { VALUES ?any { true } }", "VALUES"),
    ("SELECT $this WHERE { $this ?x ?any . SERVICE <http://example.org/s> { ?a ?b ?c } }",
     "SERVICE"),
    ("SELECT $this WHERE { $this ?x ?any . { SELECT ?other WHERE { ?other ?b ?c } } }",
     "must return $this"),
    ("SELECT $this WHERE { { SELECT * WHERE { FILTER ($this = ex:a) } } }", "must return $this"),
    ("SELECT $this WHERE { BIND (true AS $this) }", "assigns a pre-bound variable"),
    ("ASK { BIND (true AS ?value) FILTER (isLiteral(?value)) }", "assigns a pre-bound variable"),
])
def test_what_shacl_forbids(query: str, reason: str) -> None:
    with pytest.raises(PrebindingError, match=reason.replace("$", r"\$")):
        analyse(PREFIX + query, PREBOUND)


def test_a_prefixed_name_is_not_a_keyword() -> None:
    assert analyse(PREFIX + "SELECT $this WHERE { $this ex:VALUES ex:MINUS }", PREBOUND).joinable


def test_an_ask_validator_pre_binds_the_value_too() -> None:
    query = PREFIX + "ASK { FILTER (?value = CONCAT($a, $b)) }"
    result = analyse(query, PREBOUND | {"a", "b"}, "value")
    assert not result.joinable and result.mentions == {"value", "a", "b"}
