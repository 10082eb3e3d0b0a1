"""The fast SHACL engine: shapes compiled to SPARQL and evaluated on an Oxigraph store.

pySHACL is the reference (``hrkg validate --engine pyshacl``) and the tests require both
engines to give the same results. This engine covers the SHACL Core constraint components
listed in ``SUPPORTED`` and SHACL-SPARQL constraints and targets; a shape that uses anything
else is refused with :class:`~hrkg.errors.ShapeError`, never skipped.

How it evaluates: the focus nodes of a shape are a SPARQL sub-select binding ``?this``; each
property shape is checked with at most three queries (cardinality, uniqueLang, and one pass
over its values that evaluates every value constraint at once and returns only failing
values); logical constraints (``sh:or`` ...) and ``sh:node`` evaluate their member shapes
over the same focus nodes and combine the sets of nodes that fail them.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass

import rdflib
from pyoxigraph import Store
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, XSD

from hrkg.errors import ShapeError

__all__ = ["SUPPORTED", "SEVERITY_NAMES", "Finding", "Validator", "nt", "path_text"]

# parameters that carry no constraint
_DESCRIPTIVE = {SH.name, SH.description, SH.message, SH.severity, SH.deactivated, SH.order,
                SH.group, SH.defaultValue, SH.targetClass, SH.targetNode, SH.targetSubjectsOf,
                SH.targetObjectsOf, SH.target, SH.property, SH.path, SH.prefixes, SH.declare,
                SH.flags}
_VALUE = {SH["class"], SH.datatype, SH.nodeKind, SH["in"], SH.pattern, SH.minLength,
          SH.maxLength, SH.minInclusive, SH.maxInclusive, SH.minExclusive, SH.maxExclusive,
          SH.languageIn}
_LOGICAL = {SH["or"], SH["and"], SH["not"], SH.xone, SH.node}
_PROPERTY_ONLY = {SH.minCount, SH.maxCount, SH.uniqueLang}
SUPPORTED = frozenset(_VALUE | _LOGICAL | _PROPERTY_ONLY | {SH.hasValue, SH.sparql})

_COMPONENT = {
    SH["class"]: "ClassConstraintComponent", SH.datatype: "DatatypeConstraintComponent",
    SH.nodeKind: "NodeKindConstraintComponent", SH["in"]: "InConstraintComponent",
    SH.pattern: "PatternConstraintComponent", SH.minLength: "MinLengthConstraintComponent",
    SH.maxLength: "MaxLengthConstraintComponent",
    SH.minInclusive: "MinInclusiveConstraintComponent",
    SH.maxInclusive: "MaxInclusiveConstraintComponent",
    SH.minExclusive: "MinExclusiveConstraintComponent",
    SH.maxExclusive: "MaxExclusiveConstraintComponent",
    SH.languageIn: "LanguageInConstraintComponent", SH["or"]: "OrConstraintComponent",
    SH["and"]: "AndConstraintComponent", SH["not"]: "NotConstraintComponent",
    SH.xone: "XoneConstraintComponent", SH.node: "NodeConstraintComponent",
    SH.minCount: "MinCountConstraintComponent", SH.maxCount: "MaxCountConstraintComponent",
    SH.uniqueLang: "UniqueLangConstraintComponent", SH.hasValue: "HasValueConstraintComponent",
    SH.sparql: "SPARQLConstraintComponent",
}

# lexical forms that rdflib (and so pySHACL) accepts as well-typed
_LEXICAL = {
    XSD.integer: r"^[+-]?[0-9]+$",
    XSD.decimal: r"^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)$",
    XSD.boolean: r"^(true|false|1|0)$",
    XSD.date: r"^-?[0-9]{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])(Z|[+-][0-9]{2}:[0-9]{2})?$",
    XSD.gYear: r"^-?[0-9]{4,}(Z|[+-][0-9]{2}:[0-9]{2})?$",
    XSD.dateTime: r"^-?[0-9]{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T[0-9]{2}:[0-9]{2}"
                  r":[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})?$",
}
_TYPE_PATH = (f"<{RDF.type}>/<{RDFS.subClassOf}>*")
_NODE_KIND = {
    SH.IRI: "isIRI(?_v)", SH.BlankNode: "isBlank(?_v)", SH.Literal: "isLiteral(?_v)",
    SH.BlankNodeOrIRI: "(isBlank(?_v) || isIRI(?_v))",
    SH.BlankNodeOrLiteral: "(isBlank(?_v) || isLiteral(?_v))",
    SH.IRIOrLiteral: "(isIRI(?_v) || isLiteral(?_v))",
}
_SELF = "BIND (?this AS ?_v)"   # the value node of a node shape is the focus node
SEVERITY_NAMES = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}


def nt(term: rdflib.term.Node | None) -> str:
    """A term in N-Triples form, the same whichever library produced it."""
    if term is None:
        return ""
    if isinstance(term, rdflib.URIRef):
        return f"<{term}>"
    if isinstance(term, rdflib.BNode):
        return f"_:{term}"
    if isinstance(term, rdflib.Literal):
        body = (str(term).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
                .replace("\r", "\\r"))
        if term.language:
            return f'"{body}"@{term.language}'
        if term.datatype and term.datatype != XSD.string:
            return f'"{body}"^^<{term.datatype}>'
        return f'"{body}"'
    raise TypeError(term)


def _sparql_term(term: rdflib.term.Node) -> str:
    if isinstance(term, rdflib.BNode):
        raise ShapeError(f"a blank node ({term}) cannot be named in a query")
    return nt(term)


def path_text(g: rdflib.Graph, node: rdflib.term.Node) -> str:
    """A SHACL property path as a SPARQL property path."""
    if isinstance(node, rdflib.URIRef):
        return f"<{node}>"
    if (node, RDF.first, None) in g:
        return "(" + "/".join(path_text(g, m) for m in Collection(g, node)) + ")"
    for key, fmt in ((SH.inversePath, "^{}"), (SH.zeroOrMorePath, "{}*"),
                     (SH.oneOrMorePath, "{}+"), (SH.zeroOrOnePath, "{}?")):
        inner = g.value(node, key)
        if inner is not None:
            return "(" + fmt.format(path_text(g, inner)) + ")"
    alt = g.value(node, SH.alternativePath)
    if alt is not None:
        return "(" + "|".join(path_text(g, m) for m in Collection(g, alt)) + ")"
    raise ShapeError(f"unsupported property path {node}")


@dataclass(frozen=True)
class Finding:
    """One validation result, terms in N-Triples form."""
    severity: str
    shape: rdflib.term.Node  # the top-level shape (property shapes named by their node shape)
    focus: str
    path: str
    component: str
    value: str
    message: str


@dataclass
class _Shape:
    node: rdflib.term.Node
    path: str | None                 # SPARQL path for a property shape
    severity: str
    message: str | None
    deactivated: bool


class Validator:
    """Shapes read from an rdflib graph, ready to run against any Oxigraph store."""

    def __init__(self, shapes: rdflib.Graph, check: bool = True) -> None:
        self.g = shapes
        self._names = itertools.count()
        if check:
            self._check_supported()

    # -- reading the shapes ------------------------------------------------------------
    def _check_supported(self) -> None:
        """Refuse any shape parameter this engine does not evaluate."""
        shapes = self._all_shapes()
        for shape in shapes:
            for p in set(self.g.predicates(shape)):
                if str(p).startswith(str(SH)) and p not in SUPPORTED | _DESCRIPTIVE:
                    raise ShapeError(
                        f"the fast validator does not support {self._q(p)} (on shape "
                        f"{self._q(shape)}); use --engine pyshacl")
                if p == SH.hasValue and self.g.value(shape, SH.path) is None:
                    raise ShapeError(f"the fast validator supports sh:hasValue on property "
                                     f"shapes only ({self._q(shape)}); use --engine pyshacl")
            for t in self.g.objects(shape, SH.target):
                if (t, RDF.type, SH.SPARQLTarget) not in self.g:
                    raise ShapeError(f"the fast validator supports sh:target only as "
                                     f"sh:SPARQLTarget ({self._q(shape)})")
            for c in self.g.objects(shape, SH.sparql):
                if self.g.value(c, SH.select) is None:
                    raise ShapeError(f"SPARQL constraint of {self._q(shape)} has no sh:select")
                text = str(self.g.value(c, SH.select))
                if re.search(r"[$?](shapesGraph|currentShape)\b", text):
                    raise ShapeError(f"the fast validator does not pre-bind $shapesGraph or "
                                     f"$currentShape ({self._q(shape)})")

    def _all_shapes(self) -> set[rdflib.term.Node]:
        g = self.g
        found = (set(g.subjects(RDF.type, SH.NodeShape))
                 | set(g.subjects(RDF.type, SH.PropertyShape)))
        for p in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf,
                  SH.target, SH.path):
            found |= set(g.subjects(p, None))
        found |= set(g.objects(None, SH.property)) | set(g.objects(None, SH.node))
        found |= set(g.objects(None, SH["not"]))
        for p in (SH["or"], SH["and"], SH.xone):
            for lst in g.objects(None, p):
                found |= set(Collection(g, lst))
        return found

    def _q(self, node: rdflib.term.Node) -> str:
        if isinstance(node, rdflib.URIRef):
            try:
                return self.g.namespace_manager.normalizeUri(node)
            except Exception:  # pragma: no cover - rdflib refuses some IRIs
                return f"<{node}>"
        return str(node)

    def _shape(self, node: rdflib.term.Node) -> _Shape:
        g = self.g
        p = g.value(node, SH.path)
        message = g.value(node, SH.message)
        return _Shape(node, path_text(g, p) if p is not None else None,
                      SEVERITY_NAMES.get(g.value(node, SH.severity), "Violation"),
                      str(message) if message is not None else None,
                      g.value(node, SH.deactivated) == rdflib.Literal(True))

    def top_shapes(self) -> list[rdflib.term.Node]:
        g = self.g
        tops = {s for s in self._all_shapes()
                if any(g.value(s, p) is not None for p in (
                    SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf,
                    SH.target))
                or ((s, RDF.type, RDFS.Class) in g and (s, RDF.type, SH.NodeShape) in g)}
        return sorted(tops, key=str)

    def _prefixes(self) -> str:
        lines = []
        for decl in self.g.objects(None, SH.declare):
            lines.append(f"PREFIX {self.g.value(decl, SH.prefix)}: "
                         f"<{self.g.value(decl, SH.namespace)}>")
        return "\n".join(sorted(set(lines))) + "\n"

    def _targets(self, shape: rdflib.term.Node) -> str:
        g, parts = self.g, []
        classes = list(g.objects(shape, SH.targetClass))
        if (shape, RDF.type, RDFS.Class) in g:
            classes.append(shape)
        for c in classes:
            parts.append(f"{{ ?this {_TYPE_PATH} {_sparql_term(c)} }}")
        nodes = list(g.objects(shape, SH.targetNode))
        if nodes:
            parts.append("{ VALUES ?this { " + " ".join(_sparql_term(n) for n in nodes) + " } }")
        for p in g.objects(shape, SH.targetSubjectsOf):
            parts.append(f"{{ ?this {_sparql_term(p)} ?_t }}")
        for p in g.objects(shape, SH.targetObjectsOf):
            parts.append(f"{{ ?_t {_sparql_term(p)} ?this }}")
        for t in g.objects(shape, SH.target):
            parts.append(f"{{ {g.value(t, SH.select)} }}")
        if len(parts) == 1 and len(classes) == 1:
            # may repeat a node (instance of a class and of its subclass); every query
            # below is DISTINCT or grouped, and results are a set
            return parts[0]
        return "{ SELECT DISTINCT ?this WHERE { " + " UNION ".join(parts) + " } }"

    # -- running -----------------------------------------------------------------------
    def run(self, store: Store, restrict: str | None = None) -> list[Finding]:
        """All results of all shapes with targets. ``restrict`` is a group pattern that
        binds ``?this`` to the only focus nodes to check (see ``--changed``)."""
        self.store = store
        self.prefixes = self._prefixes()
        out: list[Finding] = []
        for top in self.top_shapes():
            focus = self._targets(top)
            if restrict:
                focus = f"{{ SELECT DISTINCT ?this WHERE {{ {focus} {restrict} }} }}"
            out.extend(self._evaluate(top, focus, top))
        return sorted(set(out), key=lambda f: (str(f.shape), f.focus, f.path, f.component,
                                               f.value))

    def _select(self, query: str) -> Iterable:
        try:
            return self.store.query(self.prefixes + query, use_default_graph_as_union=True)
        except SyntaxError as exc:
            raise ShapeError(f"the fast validator wrote a query Oxigraph refused ({exc}):\n"
                             f"{query}") from None

    def _evaluate(self, node: rdflib.term.Node, focus: str, top: rdflib.term.Node) -> list[Finding]:
        shape = self._shape(node)
        if shape.deactivated:
            return []
        out: list[Finding] = []
        if shape.path is None:
            out += self._values(shape, focus, top, _SELF)
        else:
            out += self._counts(shape, focus, top)
            out += self._unique_lang(shape, focus, top)
            out += self._has_value(shape, focus, top)
            out += self._values(shape, focus, top, f"?this {shape.path} ?_v")
        for c in self.g.objects(node, SH.sparql):
            out += self._sparql(shape, c, focus, top)
        for prop in self.g.objects(node, SH.property):
            out += self._evaluate(prop, focus, top)
        return out

    def _finding(self, shape: _Shape, top, focus, component, value="", message=None,
                 path=None) -> Finding:
        return Finding(shape.severity, top, str(focus),
                       path if path is not None else (shape.path or ""),
                       "sh:" + _COMPONENT[component], str(value) if value else "",
                       message or shape.message or _default_message(component, shape))

    def _counts(self, shape: _Shape, focus: str, top) -> list[Finding]:
        """sh:minCount by anti-join, sh:maxCount 1 by self-join (both several times faster
        on Oxigraph than counting groups); other counts by counting groups."""
        lo = self.g.value(shape.node, SH.minCount)
        hi = self.g.value(shape.node, SH.maxCount)
        out = []
        path = shape.path
        if lo is not None and int(lo) > 0:
            if int(lo) == 1:
                q = f"SELECT DISTINCT ?this WHERE {{ {focus} MINUS {{ ?this {path} ?_v }} }}"
            else:
                q = (f"SELECT ?this WHERE {{ {focus} OPTIONAL {{ ?this {path} ?_v }} }} "
                     f"GROUP BY ?this HAVING (COUNT(DISTINCT ?_v) < {int(lo)})")
            out += [self._finding(shape, top, r["this"], SH.minCount) for r in self._select(q)]
        if hi is not None:
            if int(hi) == 0:
                q = f"SELECT DISTINCT ?this WHERE {{ {focus} ?this {path} ?_v }}"
            elif int(hi) == 1:
                q = (f"SELECT DISTINCT ?this WHERE {{ {focus} ?this {path} ?_a . "
                     f"?this {path} ?_b FILTER (!sameTerm(?_a, ?_b)) }}")
            else:
                q = (f"SELECT ?this WHERE {{ {focus} ?this {path} ?_v }} "
                     f"GROUP BY ?this HAVING (COUNT(DISTINCT ?_v) > {int(hi)})")
            if _simple(path):  # the few nodes with too many values first, then the focus
                q = (f"SELECT DISTINCT ?this WHERE {{ {{ SELECT ?this WHERE {{ ?this {path} ?_v }} "
                     f"GROUP BY ?this HAVING (COUNT(DISTINCT ?_v) > {int(hi)}) }} {focus} }}")
            out += [self._finding(shape, top, r["this"], SH.maxCount) for r in self._select(q)]
        return out

    def _unique_lang(self, shape: _Shape, focus: str, top) -> list[Finding]:
        if self.g.value(shape.node, SH.uniqueLang) != rdflib.Literal(True):
            return []
        rows = self._select(f"SELECT DISTINCT ?this WHERE {{ {{ SELECT ?this ?_l WHERE {{ "
                            f"{focus} ?this {shape.path} ?_v BIND (LANG(?_v) AS ?_l) "
                            f"FILTER (?_l != \"\") }} GROUP BY ?this ?_l "
                            f"HAVING (COUNT(DISTINCT ?_v) > 1) }} }}")
        return [self._finding(shape, top, r["this"], SH.uniqueLang) for r in rows]

    def _has_value(self, shape: _Shape, focus: str, top) -> list[Finding]:
        out = []
        for v in self.g.objects(shape.node, SH.hasValue):
            rows = self._select(f"SELECT DISTINCT ?this WHERE {{ {focus} MINUS "
                                f"{{ ?this {shape.path} {_sparql_term(v)} }} }}")
            out += [self._finding(shape, top, r["this"], SH.hasValue) for r in rows]
        return out

    def _value_tests(self, node: rdflib.term.Node) -> list[tuple[rdflib.URIRef, str, str]]:
        """(component, SPARQL expression true when ?_v fails it, pattern the expression
        needs) for every value constraint."""
        g, tests = self.g, []
        for c in g.objects(node, SH["class"]):
            # the instances of the class once, hash-joined: far faster than NOT EXISTS per value
            k = f"?_k{next(self._names)}"
            tests.append((SH["class"], f"!BOUND({k})",
                          f"OPTIONAL {{ SELECT DISTINCT ?_v ({k}_ AS {k}) WHERE {{ "
                          f"?_v {_TYPE_PATH} {_sparql_term(c)} BIND (true AS {k}_) }} }}"))
        for d in g.objects(node, SH.datatype):
            if d == RDF.langString:
                ok = "isLiteral(?_v) && LANG(?_v) != \"\""
            else:
                ok = f"isLiteral(?_v) && LANG(?_v) = \"\" && DATATYPE(?_v) = <{d}>"
                if d in _LEXICAL:
                    ok += f" && REGEX(STR(?_v), \"{_LEXICAL[d]}\")"
            tests.append((SH.datatype, f"!({ok})", ""))
        for k in g.objects(node, SH.nodeKind):
            if k not in _NODE_KIND:
                raise ShapeError(f"unknown sh:nodeKind {k} on {self._q(node)}")
            tests.append((SH.nodeKind, f"!{_NODE_KIND[k]}", ""))
        for lst in g.objects(node, SH["in"]):
            members = list(Collection(g, lst))
            ok = " || ".join(f"sameTerm(?_v, {_sparql_term(m)})" for m in members) or "false"
            tests.append((SH["in"], f"!({ok})", ""))
        for pat in g.objects(node, SH.pattern):
            flags = g.value(node, SH.flags)
            quoted = str(pat).replace("\\", "\\\\").replace('"', '\\"')
            fl = f', "{flags}"' if flags else ""
            tests.append((SH.pattern, f"(isBlank(?_v) || !REGEX(STR(?_v), \"{quoted}\"{fl}))", ""))
        for key, op in ((SH.minLength, "<"), (SH.maxLength, ">")):
            for n in g.objects(node, key):
                tests.append((key, f"(isBlank(?_v) || STRLEN(STR(?_v)) {op} {int(n)})", ""))
        for key, op in ((SH.minInclusive, ">="), (SH.maxInclusive, "<="),
                        (SH.minExclusive, ">"), (SH.maxExclusive, "<")):
            for n in g.objects(node, key):
                tests.append((key, f"!(?_v {op} {_sparql_term(n)})", ""))
        for lst in g.objects(node, SH.languageIn):
            langs = " || ".join(f"LANGMATCHES(LANG(?_v), \"{str(m)}\")"
                                for m in Collection(g, lst)) or "false"
            tests.append((SH.languageIn, f"!(LANG(?_v) != \"\" && ({langs}))", ""))
        return tests

    def _values(self, shape: _Shape, focus: str, top, bind: str) -> list[Finding]:
        """One pass over the values: every value constraint at once, failing values only;
        then the logical and shape-based constraints on the same values."""
        tests = self._value_tests(shape.node)
        out: list[Finding] = []
        if tests:
            joins = " ".join(extra for _, _, extra in tests if extra)
            binds = " ".join(f"BIND (COALESCE({expr}, true) AS ?_c{i})"
                             for i, (_, expr, _) in enumerate(tests))
            any_fail = " || ".join(f"?_c{i}" for i in range(len(tests)))
            cols = " ".join(f"?_c{i}" for i in range(len(tests)))
            rows = self._select(f"SELECT DISTINCT ?this ?_v {cols} WHERE {{ {focus} {bind} "
                                f"{joins} {binds} FILTER ({any_fail}) }}")
            for r in rows:
                for i, (component, _, _) in enumerate(tests):
                    if r[f"_c{i}"].value == "true":
                        out.append(self._finding(shape, top, r["this"], component, r["_v"]))
        logical = [(p, o) for p in (SH["or"], SH["and"], SH.xone, SH["not"], SH.node)
                   for o in self.g.objects(shape.node, p)]
        if logical:
            out += self._logical(shape, focus, top, bind, logical)
        return out

    def _value_focus(self, focus: str, bind: str) -> str:
        """The value nodes of ``bind`` over ``focus`` as a focus pattern of their own."""
        n = next(self._names)
        inner = bind.replace("?_v", f"?_w{n}").replace("?this", f"?_o{n}")
        return (f"{{ SELECT DISTINCT (?_w{n} AS ?this) WHERE {{ "
                f"{{ SELECT (?this AS ?_o{n}) WHERE {{ {focus} }} }} {inner} }} }}")

    def _failing(self, member: rdflib.term.Node, focus: str) -> set[str]:
        return {f.focus for f in self._evaluate(member, focus, member)}

    def _logical(self, shape: _Shape, focus: str, top, bind: str,
                 logical: list[tuple[rdflib.URIRef, rdflib.term.Node]]) -> list[Finding]:
        pairs = [(str(r["this"]), str(r["_v"])) for r in self._select(
            f"SELECT DISTINCT ?this ?_v WHERE {{ {focus} {bind} }}")]
        if not pairs:
            return []
        values = focus if bind == _SELF else self._value_focus(focus, bind)
        out = []
        for key, obj in logical:
            lists = (SH["or"], SH["and"], SH.xone)
            members = list(Collection(self.g, obj)) if key in lists else [obj]
            failing = [self._failing(m, values) for m in members]
            for this, v in pairs:
                passed = sum(v not in f for f in failing)
                bad = {SH["or"]: passed == 0, SH["and"]: passed < len(members),
                       SH.xone: passed != 1, SH["not"]: passed == 1,
                       SH.node: passed == 0}[key]
                if bad:
                    out.append(self._finding(shape, top, this, key, v))
        return out

    def _sparql(self, shape: _Shape, constraint, focus: str, top) -> list[Finding]:
        g = self.g
        if g.value(constraint, SH.deactivated) == rdflib.Literal(True):
            return []
        select = str(g.value(constraint, SH.select))
        if shape.path is not None:
            select = select.replace("$PATH", shape.path)
        head = select[:select.upper().find("WHERE")]
        if not re.search(r"[$?]this\b", head) and "*" not in head:
            raise ShapeError(f"the SPARQL constraint of {self._q(shape.node)} must select $this "
                             "for the fast validator")
        message = g.value(constraint, SH.message)
        template = str(message) if message is not None else None
        out = []
        for r in self._select(f"SELECT * WHERE {{ {focus} {{ {select} }} }}"):
            value = _get(r, "value")
            path = _get(r, "path")
            text = template
            if text:
                text = re.sub(r"\{[?$](\w+)\}", lambda m, row=r: _plain(_get(row, m.group(1))),
                              text)
            out.append(self._finding(
                shape, top, r["this"], SH.sparql,
                value if value is not None else (r["this"] if shape.path is None else ""),
                text, f"<{path.value}>" if path is not None else None))
        return out


def _simple(path: str | None) -> bool:
    """An IRI or the inverse of one: its triples can be scanned before the focus is known."""
    return bool(path) and re.fullmatch(r"\(?\^?<[^<>]*>\)?", path) is not None


def _get(row, name: str):
    try:
        return row[name]
    except (KeyError, IndexError):
        return None


def _plain(term) -> str:
    if term is None:
        return ""
    return term.value


def _default_message(component: rdflib.URIRef, shape: _Shape) -> str:
    where = f" on {shape.path}" if shape.path else ""
    return {
        SH.minCount: f"too few values{where}",
        SH.maxCount: f"too many values{where}",
        SH["class"]: f"value is not an instance of the expected class{where}",
        SH.datatype: f"value is not a literal of the expected datatype{where}",
        SH.pattern: f"value does not match the pattern{where}",
        SH["in"]: f"value is not one of the allowed values{where}",
        SH.uniqueLang: f"more than one value with the same language{where}",
    }.get(component, f"{_COMPONENT[component]} not satisfied{where}")
