"""The fast SHACL engine: shapes compiled to SPARQL and evaluated on an Oxigraph store.

pySHACL is the reference (``hrkg validate --engine pyshacl``); the tests require both engines
to give the same results on hrkg's shapes, and ``tests/w3c`` runs the W3C SHACL test suite.
The engine implements SHACL Core (every target type, every constraint component, every kind
of property path) and SHACL-SPARQL (SPARQL-based constraints and targets, SPARQL-based
constraint components with ASK and SELECT validators, pre-binding as the specification
defines it: :mod:`hrkg.validation.prebinding`). Anything else that a shape asks for with a
``sh:`` term
is refused with :class:`~hrkg.errors.ShapeError`, never skipped.

How it evaluates (the figures that chose each form are in the commit messages):

* The focus nodes of a shape are a SPARQL group binding ``?this``; its size is counted once.
* Oxigraph joins a sub-select by hashing it, and a triple pattern by one index lookup per row.
  Lookups are the expensive part (several µs each in memory, more on disk), scans are cheap,
  and evaluating an expression decodes the term (costly for IRIs and long strings). So:
  value constraints of a property shape with a plain predicate path are checked on the
  *distinct* values of the predicate, and only the few failing values are joined back to the
  focus nodes; counts are grouped over the predicate and hash-joined with the focus nodes;
  unless the predicate is far larger than the focus (a small class sharing a predicate with a
  large one), where the focus nodes drive lookups instead.
* Logical constraints (``sh:and``/``or``/``not``/``xone``/``node``) and qualified value shapes
  compile the member shapes into a SPARQL condition when they can, else evaluate the members
  over the value nodes and combine the sets of nodes that fail them.
"""

from __future__ import annotations

import itertools
import os
import re
import threading
from collections import Counter
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import rdflib
from pyoxigraph import BlankNode, NamedNode, QueryResultsFormat, RdfFormat, Store, Variable
from pyoxigraph import Literal as OxLiteral
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH, XSD

from hrkg.errors import ShapeError
from hrkg.validation.prebinding import TOKEN, PrebindingError, analyse

__all__ = [
    "TooManyResults",
    "SUPPORTED",
    "SEVERITY_NAMES",
    "Finding",
    "Validator",
    "nt",
    "path_text",
    "component_name",
]

Node = rdflib.term.Node

# parameters that carry no constraint (or are read with the constraint they belong to)
_DESCRIPTIVE = {
    SH.name,
    SH.description,
    SH.message,
    SH.severity,
    SH.deactivated,
    SH.order,
    SH.group,
    SH.defaultValue,
    SH.targetClass,
    SH.targetNode,
    SH.targetSubjectsOf,
    SH.targetObjectsOf,
    SH.target,
    SH.property,
    SH.path,
    SH.prefixes,
    SH.declare,
    SH.flags,
    SH.ignoredProperties,
    SH.qualifiedMinCount,
    SH.qualifiedMaxCount,
    SH.qualifiedValueShapesDisjoint,
    SH.parameter,
    SH.labelTemplate,
    SH.nodeValidator,
    SH.propertyValidator,
    SH.validator,
    SH.select,
    SH.ask,
    SH.shapesGraph,
    SH.suggestedShapesGraph,
    SH.entailment,
    SH.optional,
}
_VALUE = {
    SH["class"],
    SH.datatype,
    SH.nodeKind,
    SH["in"],
    SH.pattern,
    SH.minLength,
    SH.maxLength,
    SH.minInclusive,
    SH.maxInclusive,
    SH.minExclusive,
    SH.maxExclusive,
    SH.languageIn,
}
_LOGICAL = {SH["or"], SH["and"], SH["not"], SH.xone, SH.node}
_PAIR = {SH.equals, SH.disjoint, SH.lessThan, SH.lessThanOrEquals}
_FOCUS = {SH.minCount, SH.maxCount, SH.uniqueLang, SH.hasValue, SH.qualifiedValueShape}
SUPPORTED = frozenset(_VALUE | _LOGICAL | _PAIR | _FOCUS | {SH.sparql, SH.closed})

_COMPONENT = {
    SH["class"]: "Class",
    SH.datatype: "Datatype",
    SH.nodeKind: "NodeKind",
    SH["in"]: "In",
    SH.pattern: "Pattern",
    SH.minLength: "MinLength",
    SH.maxLength: "MaxLength",
    SH.minInclusive: "MinInclusive",
    SH.maxInclusive: "MaxInclusive",
    SH.minExclusive: "MinExclusive",
    SH.maxExclusive: "MaxExclusive",
    SH.languageIn: "LanguageIn",
    SH["or"]: "Or",
    SH["and"]: "And",
    SH["not"]: "Not",
    SH.xone: "Xone",
    SH.node: "Node",
    SH.minCount: "MinCount",
    SH.maxCount: "MaxCount",
    SH.uniqueLang: "UniqueLang",
    SH.hasValue: "HasValue",
    SH.sparql: "SPARQL",
    SH.closed: "Closed",
    SH.equals: "Equals",
    SH.disjoint: "Disjoint",
    SH.lessThan: "LessThan",
    SH.lessThanOrEquals: "LessThanOrEquals",
}
_QMIN = SH.QualifiedMinCountConstraintComponent
_QMAX = SH.QualifiedMaxCountConstraintComponent


def component_name(parameter: rdflib.URIRef) -> rdflib.URIRef:
    return SH[_COMPONENT[parameter] + "ConstraintComponent"]


_XSD = str(XSD)
_INT = r"^[+-]?[0-9]+$"
# lexical forms that rdflib (and so pySHACL) accepts as well-typed; others only need to be
# literals of the datatype (Oxigraph keeps an ill-formed literal as it was written)
_LEXICAL = {
    XSD.integer: _INT,
    XSD.int: _INT,
    XSD.long: _INT,
    XSD.short: _INT,
    XSD.byte: _INT,
    XSD.nonNegativeInteger: r"^[+]?[0-9]+$|^-0+$",
    XSD.positiveInteger: r"^[+]?0*[1-9][0-9]*$",
    XSD.nonPositiveInteger: r"^-[0-9]+$|^[+]?0+$",
    XSD.negativeInteger: r"^-0*[1-9][0-9]*$",
    XSD.unsignedInt: r"^[+]?[0-9]+$",
    XSD.unsignedLong: r"^[+]?[0-9]+$",
    XSD.unsignedShort: r"^[+]?[0-9]+$",
    XSD.unsignedByte: r"^[+]?[0-9]+$",
    XSD.decimal: r"^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)$",
    XSD.double: r"^([+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?|[+-]?INF|NaN)$",
    XSD.float: r"^([+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?|[+-]?INF|NaN)$",
    XSD.boolean: r"^(true|false|1|0)$",
    XSD.date: r"^-?[0-9]{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])(Z|[+-][0-9]{2}:[0-9]{2})?$",
    XSD.gYear: r"^-?[0-9]{4,}(Z|[+-][0-9]{2}:[0-9]{2})?$",
    XSD.dateTime: r"^-?[0-9]{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T[0-9]{2}:[0-9]{2}"
    r":[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})?$",
    XSD.time: r"^[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})?$",
}
_RANGE = {
    XSD.int: (-(2**31), 2**31 - 1),
    XSD.long: (-(2**63), 2**63 - 1),
    XSD.short: (-(2**15), 2**15 - 1),
    XSD.byte: (-128, 127),
    XSD.unsignedInt: (0, 2**32 - 1),
    XSD.unsignedLong: (0, 2**64 - 1),
    XSD.unsignedShort: (0, 2**16 - 1),
    XSD.unsignedByte: (0, 255),
}
_NODE_KIND: dict[rdflib.term.Node, str] = {
    SH.IRI: "isIRI({v})",
    SH.BlankNode: "isBlank({v})",
    SH.Literal: "isLiteral({v})",
    SH.BlankNodeOrIRI: "(isBlank({v}) || isIRI({v}))",
    SH.BlankNodeOrLiteral: "(isBlank({v}) || isLiteral({v}))",
    SH.IRIOrLiteral: "(isIRI({v}) || isLiteral({v}))",
}
_TYPE = f"<{RDF.type}>"
# A literal that Oxigraph would store otherwise than written ("4.0"^^xsd:decimal as "4",
# "5"^^xsd:int as "5"^^xsd:integer) is loaded under this prefix of its datatype, so that
# values are compared and reported as written (hrkg.validation.validate decides which)
AS_WRITTEN = "urn:hrkg:as-written:"
RECAST = frozenset(
    str(XSD[t])
    for t in (
        "integer decimal double float boolean int long short byte nonNegativeInteger "
        "positiveInteger nonPositiveInteger negativeInteger unsignedInt unsignedLong "
        "unsignedShort unsignedByte dateTime dateTimeStamp date time gYear gYearMonth gMonth "
        "gDay gMonthDay duration yearMonthDuration dayTimeDuration"
    ).split()
)


def _decode(text: str) -> str:
    return text.replace("^^<" + AS_WRITTEN, "^^<")


def _int(term: object) -> int:
    """An integer parameter (sh:minCount 2) as a Python int."""
    return int(str(term))


def _true(term: object) -> bool:
    """The literal true only (not "1"^^xsd:boolean: the W3C suite tests that)."""
    return isinstance(term, rdflib.Literal) and str(term) == "true" and term.datatype == XSD.boolean


SEVERITY_NAMES = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}
_MAX_DEPTH = 24  # nesting of shapes through sh:node, sh:or ...: deeper is recursion
_SCAN_RATIO = 16  # scan a predicate rather than look up from the focus nodes up to this
# many times their number (a row scanned costs 0.7 us, a lookup
# 4 us in memory and 15 us on disk)
_MATERIALISE = 5000  # focus sets of SPARQL targets up to this size become VALUES


def nt(term: rdflib.term.Node | None) -> str:
    """A term in N-Triples form, the same whichever library produced it."""
    if term is None:
        return ""
    if isinstance(term, rdflib.URIRef):
        return f"<{term}>"
    if isinstance(term, rdflib.BNode):
        return f"_:{term}"
    if isinstance(term, rdflib.Literal):
        body = (
            str(term)
            .replace("\\", "\\\\")
            .replace('"', '\\"')
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
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
        members = list(Collection(g, node))
        if len(members) < 2:
            raise ShapeError(f"a sequence path needs two or more members ({node})")
        return "(" + "/".join(path_text(g, m) for m in members) + ")"
    for key, fmt in (
        (SH.inversePath, "^{}"),
        (SH.zeroOrMorePath, "{}*"),
        (SH.oneOrMorePath, "{}+"),
        (SH.zeroOrOnePath, "{}?"),
    ):
        inner = g.value(node, key)
        if inner is not None:
            return "(" + fmt.format(path_text(g, inner)) + ")"
    alt = g.value(node, SH.alternativePath)
    if alt is not None:
        members = list(Collection(g, alt))
        if len(members) < 2:
            raise ShapeError(f"an alternative path needs two or more members ({node})")
        return "(" + "|".join(path_text(g, m) for m in members) + ")"
    raise ShapeError(f"unsupported property path {node}")


def _simple(path: str | None) -> str | None:
    """The predicate of a path that is an IRI or the inverse of one, else None."""
    if not path:
        return None
    m = re.fullmatch(r"\(?(\^?)(<[^<>]*>)\)?", path)
    return (m.group(1) + m.group(2)) if m else None


def _triple(subject: str, path: str, obj: str) -> str:
    """``subject path obj .`` with an inverse predicate written the plain way round."""
    if path.startswith("^<"):
        return f"{obj} {path[1:]} {subject} ."
    return f"{subject} {path} {obj} ."


@dataclass(frozen=True)
class Finding:
    """One validation result. Focus node and value are in N-Triples form; the rest are
    terms of the shapes graph."""

    severity: rdflib.URIRef
    top: Node  # the shape whose targets gave the focus node
    shape: Node  # the shape that holds the constraint (sh:sourceShape)
    focus: str
    path: Node | None  # sh:resultPath (a path node of the shapes graph)
    component: rdflib.URIRef
    value: str = ""
    messages: tuple[rdflib.Literal, ...] = ()
    constraint: Node | None = None  # sh:sourceConstraint (SPARQL-based constraints)
    path_iri: str = ""  # sh:resultPath given by the result itself (sh:closed, ?path)

    @property
    def severity_name(self) -> str:
        return SEVERITY_NAMES.get(self.severity, f"<{self.severity}>")


@dataclass(eq=False)
class _Shape:
    node: Node
    path: Node | None
    sparql_path: str | None
    severity: rdflib.URIRef
    messages: tuple[rdflib.Literal, ...]
    deactivated: bool
    properties: list[Node] = field(default_factory=list)


@dataclass(frozen=True)
class _Focus:
    """The focus nodes: a group pattern binding ?this, and how many (None: not counted)."""

    pattern: str
    size: int | None = None


@dataclass(frozen=True)
class _Component:
    """A SPARQL-based constraint component declared in the shapes graph."""

    node: Node
    parameters: tuple[tuple[rdflib.URIRef, str, bool], ...]  # (path, variable name, optional)
    validator: Node | None
    node_validator: Node | None
    property_validator: Node | None


@dataclass
class _Hit:
    """A solution of a SPARQL-based constraint: focus node, value, path, all bindings."""

    this: object
    value: object = None
    path_iri: str = ""
    row: object = None


class TooManyResults(Exception):
    """The results past ``Validator.max_results``: evaluation stops there."""


class Validator:
    """Shapes read from an rdflib graph, ready to run against any Oxigraph store."""

    def __init__(
        self, shapes: rdflib.Graph, check: bool = True, shapes_graph: str | None = None
    ) -> None:
        """``shapes_graph``: the IRI of the named graph that holds the shapes graph in the
        store SPARQL-based constraints run on, when it has been loaded there (the value of
        ``$shapesGraph``; it is then left out of the data graph)."""
        self.g = shapes
        self.shapes_graph = shapes_graph
        self.max_results: int | None = None  # keep no more (None: all); see _count_result
        self.truncated = False
        self.severities_seen: set[rdflib.URIRef] = set()
        self._made = 0
        self._kept: list[Finding] = []
        self._made_lock = threading.Lock()
        self._names = itertools.count()
        self._prologue: dict[str, str] = {}  # PREFIX lines the SPARQL targets need
        self._shapes: dict[Node, _Shape] = {}
        self._components = self._read_components()
        self._parents: dict[Node, list[Node]] = {}
        for parent, prop in shapes.subject_objects(SH.property):
            self._parents.setdefault(prop, []).append(parent)
        if check:
            self._check_supported()

    # -- reading the shapes ------------------------------------------------------------
    def _instances(self, cls: rdflib.URIRef) -> set[Node]:
        """SHACL instances of ``cls`` in the shapes graph (rdf:type, through subclasses)."""
        classes = {cls} | set(self.g.transitive_subjects(RDFS.subClassOf, cls))
        return {s for c in classes for s in self.g.subjects(RDF.type, c)}

    def _is_a(self, node: Node, cls: rdflib.URIRef) -> bool:
        return any(
            t == cls
            or (t, RDFS.subClassOf, cls) in self.g
            or cls in set(self.g.transitive_objects(t, RDFS.subClassOf))
            for t in self.g.objects(node, RDF.type)
        )

    def _read_components(self) -> list[_Component]:
        out = []
        for comp in sorted(self._instances(SH.ConstraintComponent), key=str):
            if str(comp).startswith(str(SH)):
                continue
            params = []
            for p in self.g.objects(comp, SH.parameter):
                path = self.g.value(p, SH.path)
                if not isinstance(path, rdflib.URIRef):
                    raise ShapeError(
                        f"parameter {self._q(p)} of {self._q(comp)} needs an IRI as sh:path"
                    )
                name = re.split(r"[#/:]", str(path))[-1]
                optional = _true(self.g.value(p, SH.optional))
                params.append((path, name, optional))
            out.append(
                _Component(
                    comp,
                    tuple(sorted(params)),
                    self.g.value(comp, SH.validator),
                    self.g.value(comp, SH.nodeValidator),
                    self.g.value(comp, SH.propertyValidator),
                )
            )
        return out

    def _check_supported(self) -> None:
        """Read every shape once, refusing any ``sh:`` parameter this engine does not
        evaluate and any malformed path, SPARQL query or list."""
        for shape in sorted(self._all_shapes(), key=str):
            compiled = self._shape(shape)
            for p in set(self.g.predicates(shape)):
                if str(p).startswith(str(SH)) and p not in SUPPORTED | _DESCRIPTIVE:
                    raise ShapeError(
                        f"the fast validator does not support {self._q(p)} (on shape "
                        f"{self._q(shape)}); use --engine pyshacl"
                    )
            for t in self.g.objects(shape, SH.target):
                if self.g.value(t, SH.select) is None:
                    raise ShapeError(
                        f"the fast validator supports sh:target only as a "
                        f"sh:SPARQLTarget with sh:select ({self._q(shape)})"
                    )
                self._target_query(t, shape)
            for c in self.g.objects(shape, SH.sparql):
                self._sparql_query(c, compiled)
            for comp, bindings in self._component_uses(shape):
                validator = self._validator(comp, compiled)
                if validator is not None:
                    self._validator_query(validator, comp, compiled, bindings)
            for lst in itertools.chain(
                *(
                    self.g.objects(shape, k)
                    for k in (
                        SH["in"],
                        SH.languageIn,
                        SH["or"],
                        SH["and"],
                        SH.xone,
                        SH.ignoredProperties,
                    )
                )
            ):
                self._list(lst, shape)
            for k in self.g.objects(shape, SH.nodeKind):
                if k not in _NODE_KIND:
                    raise ShapeError(f"unknown sh:nodeKind {k} on {self._q(shape)}")

    def _list(self, node: Node, shape: Node) -> list[Node]:
        if node == RDF.nil:
            return []
        if (node, RDF.first, None) not in self.g:
            raise ShapeError(f"{self._q(shape)}: expected an RDF list, got {self._q(node)}")
        return list(Collection(self.g, node))

    def _all_shapes(self) -> set[Node]:
        g = self.g
        found = self._instances(SH.NodeShape) | self._instances(SH.PropertyShape)
        for p in (
            SH.targetClass,
            SH.targetNode,
            SH.targetSubjectsOf,
            SH.targetObjectsOf,
            SH.target,
        ):
            found |= set(g.subjects(p, None))
        found |= set(g.objects(None, SH.property)) | set(g.objects(None, SH.node))
        found |= set(g.objects(None, SH["not"])) | set(g.objects(None, SH.qualifiedValueShape))
        for p in (SH["or"], SH["and"], SH.xone):
            for lst in g.objects(None, p):
                if (lst, RDF.first, None) in g:
                    found |= set(Collection(g, lst))
        # shapes of the SHACL vocabulary itself (a graph that holds both) are not checked
        return {s for s in found if not str(s).startswith(str(SH))}

    def _q(self, node: rdflib.term.Node) -> str:
        if isinstance(node, rdflib.URIRef):
            try:
                return self.g.namespace_manager.normalizeUri(node)
            except Exception:  # pragma: no cover - rdflib refuses some IRIs
                return f"<{node}>"
        return str(node)

    def _shape(self, node: Node) -> _Shape:
        if node in self._shapes:
            return self._shapes[node]
        g = self.g
        p = g.value(node, SH.path)
        severity = g.value(node, SH.severity)
        shape = _Shape(
            node,
            p,
            path_text(g, p) if p is not None else None,
            severity if isinstance(severity, rdflib.URIRef) else SH.Violation,
            tuple(m for m in g.objects(node, SH.message) if isinstance(m, rdflib.Literal)),
            _true(g.value(node, SH.deactivated)),
            sorted(g.objects(node, SH.property), key=str),
        )
        self._shapes[node] = shape
        return shape

    def top_shapes(self) -> list[rdflib.term.Node]:
        """The shapes with targets (explicit, or implicit: a shape that is also a class)."""
        g = self.g
        classes = self._instances(RDFS.Class)
        tops = {
            s
            for s in self._all_shapes()
            if any(
                g.value(s, p) is not None
                for p in (
                    SH.targetClass,
                    SH.targetNode,
                    SH.targetSubjectsOf,
                    SH.targetObjectsOf,
                    SH.target,
                )
            )
            or (s in classes and (self._is_a(s, SH.NodeShape) or self._is_a(s, SH.PropertyShape)))
        }
        return sorted(tops, key=str)

    def _prefixes(self, node: Node) -> str:
        """PREFIX lines for the sh:prefixes of a SPARQL constraint, target or validator."""
        declared: dict[str, str] = {}
        seen: set[Node] = set()
        todo = list(self.g.objects(node, SH.prefixes))
        while todo:
            onto = todo.pop()
            if onto in seen:
                continue
            seen.add(onto)
            todo.extend(self.g.objects(onto, OWL.imports))
            for decl in self.g.objects(onto, SH.declare):
                prefix = str(self.g.value(decl, SH.prefix))
                namespace = str(self.g.value(decl, SH.namespace))
                if declared.setdefault(prefix, namespace) != namespace:
                    raise ShapeError(
                        f"prefix {prefix!r} is declared twice with different "
                        f"namespaces ({self._q(onto)})"
                    )
        return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(declared.items()))

    # -- targets -------------------------------------------------------------------------
    def _subclasses(self, cls: rdflib.term.Node) -> list[rdflib.term.Node]:
        """``cls`` and its subclasses, through rdfs:subClassOf in the data graph and in the
        shapes graph (SHACL's targetClass follows both)."""
        found, todo = {cls}, [cls]
        while todo:
            c = todo.pop()
            for sub in itertools.chain(
                self._data_subclasses.get(c, ()), self.g.subjects(RDFS.subClassOf, c)
            ):
                if sub not in found:
                    found.add(sub)
                    todo.append(sub)
        return sorted(found, key=str)

    def _class_members(self, var: str, cls: rdflib.term.Node, with_shapes: bool) -> str:
        """A group binding ``var`` to the instances of ``cls`` (each once)."""
        classes = self._subclasses(cls) if with_shapes else self._data_closure(cls)
        named = [c for c in classes if not isinstance(c, rdflib.BNode)]
        if len(named) == 1:
            return f"{{ SELECT {var} WHERE {{ {var} {_TYPE} {_sparql_term(named[0])} }} }}"
        union = " UNION ".join(f"{{ {var} {_TYPE} {_sparql_term(c)} }}" for c in named)
        return f"{{ SELECT DISTINCT {var} WHERE {{ {union} }} }}"

    def _data_closure(self, cls: rdflib.term.Node) -> list[rdflib.term.Node]:
        found, todo = {cls}, [cls]
        while todo:
            for sub in self._data_subclasses.get(todo.pop(), ()):
                if sub not in found:
                    found.add(sub)
                    todo.append(sub)
        return sorted(found, key=str)

    def _target_query(self, target: Node, shape: Node) -> str:
        """The SELECT of a SPARQL target, its PREFIX lines kept for the whole run."""
        prologue = self._prefixes(target)
        text = prologue + str(self.g.value(target, SH.select))
        try:
            analyse(text, {"currentShape", "shapesGraph"}, driving="none")
        except PrebindingError as exc:
            raise ShapeError(f"SPARQL target of {self._q(shape)}: {exc}") from None
        constants = self._shapes_graph_constants(text, shape, f"SPARQL target of {self._q(shape)}")
        for prefix, namespace in re.findall(r"PREFIX ([^:]*): <([^>]*)>", prologue):
            if self._prologue.setdefault(prefix, namespace) != namespace:
                raise ShapeError(
                    f"prefix {prefix!r} of the SPARQL target of {self._q(shape)} "
                    "is declared elsewhere with another namespace"
                )
        body = _substitute(
            str(self.g.value(target, SH.select)), {"currentShape": shape, **constants}
        )
        return _hash_joined(prologue, body)

    def _shapes_graph_constants(self, text: str, shape: Node, where: str) -> dict[str, Node]:
        """$shapesGraph, where the query uses it: given when the shapes graph is in the
        store, refused otherwise (as is $currentShape of a blank-node shape with it)."""
        if not re.search(r"[$?]shapesGraph\b", text):
            return {}
        if self.shapes_graph is None:
            raise ShapeError(
                f"the fast validator provides $shapesGraph only for files given to "
                f"hrkg validate ({where}); use --engine pyshacl"
            )
        if isinstance(shape, rdflib.BNode) and re.search(r"[$?]currentShape\b", text):
            raise ShapeError(
                f"$currentShape of a blank-node shape cannot be written into the "
                f"query ({where}); give the shape an IRI"
            )
        return {"shapesGraph": rdflib.URIRef(self.shapes_graph)}

    def _targets(self, shape: Node) -> str | None:
        g, parts = self.g, []
        classes = list(g.objects(shape, SH.targetClass))
        if shape in self._instances(RDFS.Class):
            classes.append(shape)
        for c in classes:
            if not isinstance(c, rdflib.BNode):
                parts.append(self._class_members("?this", c, with_shapes=True))
        nodes = [n for n in g.objects(shape, SH.targetNode) if not isinstance(n, rdflib.BNode)]
        if nodes:
            parts.append("{ VALUES ?this { " + " ".join(self.const(n) for n in nodes) + " } }")
        for p in g.objects(shape, SH.targetSubjectsOf):
            parts.append(f"{{ SELECT DISTINCT ?this WHERE {{ ?this {_sparql_term(p)} ?_t }} }}")
        for p in g.objects(shape, SH.targetObjectsOf):
            parts.append(f"{{ SELECT DISTINCT ?this WHERE {{ ?_t {_sparql_term(p)} ?this }} }}")
        for t in g.objects(shape, SH.target):
            query = self._target_query(t, shape)
            parts.append(f"{{ SELECT DISTINCT ?this WHERE {{ {{ {query} }} }} }}")
        if not parts:
            return None
        if len(parts) == 1:
            return parts[0]
        return "{ SELECT DISTINCT ?this WHERE { " + " UNION ".join(parts) + " } }"

    # -- running -----------------------------------------------------------------------
    def _count_result(self, finding: Finding) -> None:
        """Count a result as it is made; past ``max_results``, stop the evaluation: a
        million ill-typed literals made four million results, 5 GB and ten minutes. The
        severities seen are kept, so the exit code stays right."""
        if self.max_results is None:
            return
        with self._made_lock:
            self._made += 1
            self.severities_seen.add(finding.severity)
            over = self._made > self.max_results
            if not over:
                self._kept.append(finding)
        if over:
            self.truncated = True
            raise TooManyResults

    def run(
        self,
        store: Store,
        restrict: str | None = None,
        graphs: list[NamedNode] | None = None,
        sparql_store: Store | None = None,
        unique: bool = False,
        size: int | None = None,
        threads: int | None = None,
    ) -> list[Finding]:
        """All results of all shapes with targets, over the union of the store's graphs (or
        over ``graphs``). ``restrict`` is a group pattern that binds ``?this`` to the only
        focus nodes to check (see ``--changed``). ``sparql_store``: the same data as Oxigraph
        stores it, where ``store`` holds literals as written (see AS_WRITTEN); SPARQL-based
        constraints and targets, written for plain literals, run there. ``unique``: no
        triple is in two graphs, so values of a predicate can be counted without DISTINCT.
        ``size``: the number of quads, when known (it spares counting predicates).
        ``threads``: how many shapes to evaluate at once (default: one per core, at most
        two; Oxigraph releases the GIL while it evaluates a query)."""
        self.store = store
        self.size = size
        self.unique = unique
        self._focus_sets: dict[str, set[str]] = {}
        self.as_written = sparql_store is not None
        self._sparql_store = sparql_store if sparql_store is not None else store
        if graphs is None and self.shapes_graph is not None:  # the data without the shapes
            graphs = [
                g
                for g in store.named_graphs()
                if isinstance(g, NamedNode) and g.value != self.shapes_graph
            ]
        self._qargs: dict[str, Any] = (
            {"default_graph": graphs}
            if graphs is not None
            else {"use_default_graph_as_union": True}
        )
        self._sizes: dict[str, tuple[int, int]] = {}
        self._data_subclasses: dict[Node, set[Node]] = {}
        for row in self._select(
            f"SELECT DISTINCT ?sub ?sup WHERE {{ ?sub <{RDFS.subClassOf}> "
            "?sup FILTER (!sameTerm(?sub, ?sup)) }"
        ):
            sup, sub = _to_rdflib(row["sup"]), _to_rdflib(row["sub"])
            self._data_subclasses.setdefault(sup, set()).add(sub)
        # the work: each shape with targets on its focus nodes, as its node-level constraints
        # and each of its property shapes apart, the largest sets of focus nodes first
        items: list[tuple[int, int, Node, _Focus, Node, bool]] = []
        # A restriction (``--changed``, ``hrkg load`` of documents) joined into each shape's
        # target scanned the whole target before it met the few touched nodes: a load of one
        # document validated as slowly as the whole store. The touched nodes are listed once
        # instead, and each shape's focus is its targets among them, the list first: index
        # look-ups in proportion to the change. Above _MATERIALISE nodes, or with blank nodes
        # (VALUES cannot name them), the restriction is joined as before.
        touched = self._listed(restrict, sparql=False, stop=True)[1] if restrict else None
        for top in self.top_shapes():
            pattern = self._targets(top)
            if pattern is None:
                continue
            if touched is not None:
                pattern = f"{{ {touched} {pattern} }}"
            elif restrict:
                pattern = f"{{ SELECT DISTINCT ?this WHERE {{ {pattern} {restrict} }} }}"
            materialise = touched is not None or self.g.value(top, SH.target) is not None
            focus = self._focus(pattern, materialise=materialise)
            if focus.size == 0:
                continue
            shape = self._shape(top)
            order = len(items)
            items.append((-(focus.size or 0), order, top, focus, top, shape.sparql_path is None))
            if shape.sparql_path is None and not shape.deactivated:
                items += [
                    (-(focus.size or 0), order, prop, focus, top, False)
                    for prop in shape.properties
                ]

        def work(item: tuple[int, int, Node, _Focus, Node, bool]) -> list[Finding]:
            _, _, node, focus, top, node_only = item
            try:
                if node_only:
                    return self._evaluate(node, focus, top, 0, properties=False)
                return self._evaluate(node, focus, top, 0 if node == top else 1)
            except TooManyResults:
                return []

        items.sort(key=lambda it: it[:2])
        workers = threads if threads is not None else min(2, os.cpu_count() or 1)
        if workers > 1 and len(items) > 1:
            with ThreadPoolExecutor(workers) as pool:
                done = list(pool.map(work, items))
        else:
            done = [work(it) for it in items]
        ordered = sorted(zip(items, done, strict=True), key=lambda pair: pair[0][1])
        # stopped: the first results made, as many as allowed, in the order they were made
        return list(self._kept) if self.truncated else [f for _, found in ordered for f in found]

    def _select(self, query: str, substitutions: dict | None = None, sparql: bool = False) -> Any:
        if self._prologue:
            query = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in self._prologue.items()) + query
        store = self._sparql_store if sparql else self.store
        try:
            return store.query(query, substitutions=substitutions, **self._qargs)
        except SyntaxError as exc:
            raise ShapeError(
                f"the fast validator wrote a query Oxigraph refused ({exc}):\n{query}"
            ) from None

    def _count(self, pattern: str, limit: int | None = None) -> int:
        inner = f"SELECT * WHERE {{ {pattern} }}" + (f" LIMIT {limit}" if limit else "")
        rows = list(self._select(f"SELECT (COUNT(*) AS ?n) WHERE {{ {inner} }}"))
        return int(rows[0]["n"].value)

    def _focus(self, pattern: str, materialise: bool = False) -> _Focus:
        """The focus nodes, counted. Those of a SPARQL target (or among a change's nodes) are
        computed once and written as VALUES (the target query is then not run again by every
        constraint)."""
        if materialise:
            size, values = self._listed(pattern)
            return _Focus(values or pattern, size)
        return _Focus(pattern, self._count(pattern))

    def _listed(
        self, pattern: str, sparql: bool = True, stop: bool = False
    ) -> tuple[int, str | None]:
        """How many nodes ``pattern`` binds to ?this, and a group pattern listing them
        (VALUES), or None for more than _MATERIALISE of them or a blank node, which VALUES
        cannot name. ``stop``: read no more than _MATERIALISE + 1 nodes (the count too)."""
        limit = f" LIMIT {_MATERIALISE + 1}" if stop else ""
        nodes = [
            r["this"]
            for r in self._select(
                f"SELECT DISTINCT ?this WHERE {{ {pattern} }}{limit}", sparql=sparql
            )
        ]
        if len(nodes) > _MATERIALISE or any(isinstance(n, BlankNode) for n in nodes):
            return len(nodes), None
        return len(nodes), "{ VALUES ?this { " + " ".join(str(n) for n in nodes) + " } }"

    def focus_members(self, focus: _Focus) -> set[str]:
        """The focus nodes as a set (N-Triples), read once per set of focus nodes: faster
        than joining each constraint's few failing rows with them in SPARQL."""
        key = focus.pattern
        if key not in self._focus_sets:
            query = f"SELECT ?this WHERE {{ {key} }}"
            # one column of IRIs and blank nodes: the TSV text is their N-Triples form, and
            # reading it is three times faster than a term object per row
            text = self._select(query).serialize(format=QueryResultsFormat.TSV).decode()
            members = set(text.split("\n")[1:])
            members.discard("")
            if all(m[:1] == "<" or m[:2] == "_:" for m in members):
                self._focus_sets[key] = members
            else:  # literals: TSV writes some of them otherwise
                self._focus_sets[key] = {str(r["this"]) for r in self._select(query)}
        return self._focus_sets[key]

    def _count_values(self, var: str = "?_v") -> str:
        return f"COUNT({var})" if self.unique else f"COUNT(DISTINCT {var})"

    def has_predicate(self, node: Node) -> str | None:
        """The predicate of a property shape that only asks for a value (sh:minCount 1 on
        a plain predicate, nothing else), else None."""
        shape = self._shape(node)
        pred = _simple(shape.sparql_path)
        if pred is None or shape.deactivated or shape.properties:
            return None
        params = {p for p in self.g.predicates(node) if str(p).startswith(str(SH))}
        allowed = {
            SH.path,
            SH.minCount,
            SH.name,
            SH.description,
            SH.message,
            SH.severity,
            SH.order,
            SH.group,
        }
        if not params <= allowed or SH.minCount not in params:
            return None
        lo = self.g.value(node, SH.minCount)
        return pred if lo is not None and str(lo) == "1" else None

    def _predicate_size(self, predicate: str, limit: int) -> int:
        """Triples with this predicate, counted up to ``limit`` (cached: a count below the
        limit it was made with is exact, one equal to it means at least that many)."""
        iri = predicate.lstrip("^")
        known = self._sizes.get(iri)
        if known is not None and (known[0] < known[1] or limit <= known[1]):
            return known[0]
        n = self._count(f"?_s {iri} ?_o", limit)
        self._sizes[iri] = (n, limit)
        return n

    def _scan_first(self, shape: _Shape, focus: _Focus) -> str | None:
        """The predicate to scan when it is not much larger than the focus, else None."""
        pred = _simple(shape.sparql_path)
        if pred is None or focus.size is None:
            return None
        limit = _SCAN_RATIO * max(focus.size, 1000)
        if self.size is not None and self.size < limit:
            return pred  # no predicate can be that much larger than the focus
        return pred if self._predicate_size(pred, limit) < limit else None

    # -- evaluation ----------------------------------------------------------------------
    def _evaluate(
        self,
        node: Node,
        focus: _Focus,
        top: Node,
        depth: int,
        only_focus: bool = False,
        properties: bool = True,
    ) -> list[Finding]:
        """The results of shape ``node`` on the focus nodes (``only_focus``: only which
        focus nodes fail, for nested shapes)."""
        if depth > _MAX_DEPTH:
            raise ShapeError(
                f"shape {self._q(node)} refers to itself (recursive shapes are "
                "not defined by SHACL)"
            )
        shape = self._shape(node)
        if shape.deactivated:
            return []
        ctx = _Context(self, shape, focus, top, depth, only_focus)
        out: list[Finding] = []
        for method in (
            ctx.value_tests,
            ctx.counts,
            ctx.unique_lang,
            ctx.has_value,
            ctx.pairs,
            ctx.closed,
            ctx.logical,
            ctx.qualified,
            ctx.sparql,
            ctx.components,
        ):
            out += method()
        if shape.properties and properties:
            inner = focus if shape.sparql_path is None else ctx.value_focus()
            nested = [
                f
                for prop in shape.properties
                for f in self._evaluate(prop, inner, top, depth + 1, only_focus)
            ]
            if shape.sparql_path is not None and nested and not only_focus:
                # a value reached from several focus nodes is validated for each of them
                times = ctx.reached_from()
                nested = [f for f in nested for _ in range(times.get(f.focus, 1))]
            out += nested
        return out

    def failing(self, node: Node, focus: _Focus, depth: int) -> set[str]:
        """The focus nodes that do not conform to shape ``node``."""
        return {f.focus for f in self._evaluate(node, focus, node, depth, only_focus=True)}

    # -- conformance as a SPARQL condition ---------------------------------------------
    def condition(self, node: Node, var: str, depth: int) -> str | None:
        """A SPARQL expression true exactly when the node bound to ``var`` conforms to shape
        ``node``, or None when some constraint of the shape cannot be written as one."""
        if depth > _MAX_DEPTH:
            return None
        shape = self._shape(node)
        if shape.deactivated:
            return "true"
        g = self.g
        params = set(g.predicates(node))
        if params & {
            SH.qualifiedValueShape,
            SH.sparql,
            SH.equals,
            SH.disjoint,
            SH.lessThan,
            SH.lessThanOrEquals,
        }:
            return None
        if any(True for _ in self._component_uses(node)):
            return None
        if _true(g.value(node, SH.closed)):
            return None
        conds: list[str] = []
        if shape.sparql_path is None:
            v = var
            fails = [expr for _, expr in self.value_tests(node, v)]
            conds += [f"!COALESCE({e}, true)" for e in fails]
            for p, obj in self._logical_params(node):
                c = self._logical_condition(p, obj, v, depth)
                if c is None:
                    return None
                conds.append(c)
            for hv in g.objects(node, SH.hasValue):
                conds.append(
                    f"sameTerm({v}, {self.const(hv)})"
                    if not isinstance(hv, rdflib.BNode)
                    else "false"
                )
        else:
            path = shape.sparql_path
            v = f"?_c{next(self._names)}"
            per_value = [f"COALESCE({e}, true)" for _, e in self.value_tests(node, v)]
            for p, obj in self._logical_params(node):
                c = self._logical_condition(p, obj, v, depth)
                if c is None:
                    return None
                per_value.append(f"!({c})")
            if per_value:
                conds.append(
                    f"NOT EXISTS {{ {_triple(var, path, v)} FILTER ({' || '.join(per_value)}) }}"
                )
            lo, hi = g.value(node, SH.minCount), g.value(node, SH.maxCount)
            if lo is not None and _int(lo) > 0:
                if _int(lo) > 1:
                    return None
                conds.append(f"EXISTS {{ {_triple(var, path, v + 'm')} }}")
            if hi is not None:
                if _int(hi) == 0:
                    conds.append(f"NOT EXISTS {{ {_triple(var, path, v + 'x')} }}")
                elif _int(hi) == 1:
                    conds.append(
                        f"NOT EXISTS {{ {_triple(var, path, v + 'a')} "
                        f"{_triple(var, path, v + 'b')} "
                        f"FILTER (!sameTerm({v}a, {v}b)) }}"
                    )
                else:
                    return None
            if _true(g.value(node, SH.uniqueLang)):
                conds.append(
                    f"NOT EXISTS {{ {_triple(var, path, v + 'a')} "
                    f"{_triple(var, path, v + 'b')} FILTER (!sameTerm({v}a, {v}b) "
                    f'&& LANG({v}a) != "" && LANG({v}a) = LANG({v}b)) }}'
                )
            for hv in g.objects(node, SH.hasValue):
                if isinstance(hv, rdflib.BNode):
                    return None
                conds.append(f"EXISTS {{ {_triple(var, path, self.const(hv))} }}")
        for prop in self._shape(node).properties:
            c = self.condition(prop, var, depth + 1)
            if c is None:
                return None
            conds.append(c)
        return "(" + " && ".join(conds) + ")" if conds else "true"

    def _logical_params(self, node: Node) -> list[tuple[rdflib.URIRef, Node]]:
        return [
            (p, o)
            for p in (SH["and"], SH["or"], SH.xone, SH["not"], SH.node)
            for o in sorted(self.g.objects(node, p), key=str)
        ]

    def _members(self, p: rdflib.URIRef, obj: Node, shape: Node) -> list[Node]:
        return self._list(obj, shape) if p in (SH["and"], SH["or"], SH.xone) else [obj]

    def _logical_condition(self, p: rdflib.URIRef, obj: Node, var: str, depth: int) -> str | None:
        members = self._members(p, obj, obj)
        conds = [self.condition(m, var, depth + 1) for m in members]
        if any(c is None for c in conds):
            return None
        cs = [c for c in conds if c is not None]
        if p == SH["and"] or p == SH.node:
            return "(" + " && ".join(cs) + ")" if cs else "true"
        if p == SH["or"]:
            return "(" + " || ".join(cs) + ")" if cs else "false"
        if p == SH["not"]:
            return f"!{cs[0]}"
        return ("((" + " + ".join(f"IF({c}, 1, 0)" for c in cs) + ") = 1)") if cs else "false"

    # -- value tests as SPARQL expressions ---------------------------------------------
    def const(self, term: rdflib.term.Node) -> str:
        """A term of the shapes graph as the store holds it (see AS_WRITTEN)."""
        text = _sparql_term(term)
        if (
            getattr(self, "as_written", False)
            and isinstance(term, rdflib.Literal)
            and str(term.datatype) in RECAST
        ):
            probe = Store()
            probe.load(input=f"<urn:s> <urn:p> {text} .".encode(), format=RdfFormat.N_TRIPLES)
            (stored,) = [q.object for q in probe]
            if str(stored) != text:
                return f"{text.rsplit('^^', 1)[0]}^^<{AS_WRITTEN}{term.datatype}>"
        return text

    def _restored(self, v: str) -> str:
        """A value as Oxigraph compares it (a literal loaded as written, cast back)."""
        if not getattr(self, "as_written", False):
            return v
        return (
            f'IF(STRSTARTS(STR(DATATYPE({v})), "{AS_WRITTEN}"), STRDT(STR({v}), '
            f"IRI(SUBSTR(STR(DATATYPE({v})), {len(AS_WRITTEN) + 1}))), {v})"
        )

    def value_tests(self, node: Node, v: str) -> list[tuple[rdflib.URIRef, str]]:
        """(parameter, SPARQL expression true when the value in ``v`` fails it) for every
        value constraint of the shape; an expression in error counts as failing."""
        g, tests = self.g, []
        for c in sorted(g.objects(node, SH["class"]), key=str):
            classes = [x for x in self._data_closure(c) if not isinstance(x, rdflib.BNode)]
            t = f"?_t{next(self._names)}"
            inlist = ", ".join(_sparql_term(x) for x in classes)
            tests.append(
                (
                    SH["class"],
                    f"NOT EXISTS {{ {v} {_TYPE} {t} FILTER ({t} IN ({inlist})) }}"
                    if classes
                    else "true",
                )
            )
        # (written with as few function calls as can be: each decodes the term again, which
        # costs a read of the string table for an IRI or a long literal; an error, as for an
        # IRI or a blank node, counts as failing)
        for d in g.objects(node, SH.datatype):
            d = rdflib.URIRef(str(d))
            if d == RDF.langString:
                ok = f'LANG({v}) != ""'
            else:
                ok = f"DATATYPE({v}) = <{d}>"
                if getattr(self, "as_written", False):
                    ok = f"({ok} || DATATYPE({v}) = <{AS_WRITTEN}{d}>)"
                if d in _LEXICAL:
                    ok += f' && REGEX(STR({v}), "{_LEXICAL[d]}")'
                if d in _RANGE:
                    lo, hi = _RANGE[d]
                    ok += (
                        f" && <{XSD.integer}>(STR({v})) >= {lo} "
                        f"&& <{XSD.integer}>(STR({v})) <= {hi}"
                    )
            tests.append((SH.datatype, f"!({ok})"))
        for k in g.objects(node, SH.nodeKind):
            if k not in _NODE_KIND:
                raise ShapeError(f"unknown sh:nodeKind {k} on {self._q(node)}")
            tests.append((SH.nodeKind, "!" + _NODE_KIND[k].format(v=v)))
        for lst in g.objects(node, SH["in"]):
            members = [m for m in self._list(lst, node) if not isinstance(m, rdflib.BNode)]
            ok = " || ".join(f"sameTerm({v}, {self.const(m)})" for m in members) or "false"
            tests.append((SH["in"], f"!({ok})"))
        for pat in g.objects(node, SH.pattern):
            flags = g.value(node, SH.flags)
            quoted = str(pat).replace("\\", "\\\\").replace('"', '\\"')
            fl = f', "{flags}"' if flags else ""
            tests.append((SH.pattern, f'!REGEX(STR({v}), "{quoted}"{fl})'))
        for key, op in ((SH.minLength, "<"), (SH.maxLength, ">")):
            for n in g.objects(node, key):
                tests.append((key, f"STRLEN(STR({v})) {op} {_int(n)}"))
        for key, op in (
            (SH.minInclusive, ">="),
            (SH.maxInclusive, "<="),
            (SH.minExclusive, ">"),
            (SH.maxExclusive, "<"),
        ):
            for n in g.objects(node, key):
                tests.append((key, f"!({self._restored(v)} {op} {_sparql_term(n)})"))
        for lst in g.objects(node, SH.languageIn):
            langs = (
                " || ".join(f'LANGMATCHES(LANG({v}), "{str(m)}")' for m in self._list(lst, node))
                or "false"
            )
            tests.append((SH.languageIn, f'!(LANG({v}) != "" && ({langs}))'))
        return tests

    # -- SPARQL-based constraints and components ----------------------------------------
    def _sparql_query(self, constraint: Node, shape: _Shape) -> tuple[str, bool]:
        """The SELECT query of a SPARQL constraint, ready to run, and whether it can be
        joined with all focus nodes at once."""
        select = self.g.value(constraint, SH.select)
        if select is None:
            raise ShapeError(f"SPARQL constraint of {self._q(shape.node)} has no sh:select")
        text = self._prefixes(constraint) + str(select)
        if shape.sparql_path is not None:
            text = text.replace("$PATH", shape.sparql_path)
        return self._prepare(text, shape, {}, f"SPARQL constraint of {self._q(shape.node)}")

    def _prepare(
        self,
        text: str,
        shape: _Shape,
        bindings: dict[str, Node],
        where: str,
        driving: tuple[str, ...] = ("this",),
    ) -> tuple[str, bool]:
        shapes_graph = self._shapes_graph_constants(text, shape.node, where)
        prebound = {"this", "currentShape", "shapesGraph", "value", *bindings}
        try:
            joinable = all(analyse(text, prebound, d).joinable for d in driving)
        except PrebindingError as exc:
            raise ShapeError(f"{where}: {exc}") from None
        constants = {"currentShape": shape.node, **bindings, **shapes_graph}
        return _substitute(text, constants), joinable

    def _component_uses(self, node: Node) -> Iterator[tuple[_Component, dict[str, Node]]]:
        """The SPARQL-based components a shape uses, with their parameter values (one
        use per combination of values)."""
        for comp in self._components:
            required = [p for p in comp.parameters if not p[2]]
            if not required or any(self.g.value(node, p) is None for p, _, _ in required):
                continue
            names = [(p, name) for p, name, _ in comp.parameters]
            values: list[list[Node | None]] = [
                list(sorted(self.g.objects(node, p), key=str)) or [None] for p, _ in names
            ]
            for combo in itertools.product(*values):
                yield (
                    comp,
                    {name: v for (_, name), v in zip(names, combo, strict=True) if v is not None},
                )

    def _validator(self, comp: _Component, shape: _Shape) -> Node | None:
        specific = comp.property_validator if shape.sparql_path else comp.node_validator
        return specific if specific is not None else comp.validator

    def _validator_query(
        self, validator: Node, comp: _Component, shape: _Shape, bindings: dict[str, Node]
    ) -> tuple[str, bool, bool]:
        """(query, joinable, is_ask) of a validator of a SPARQL-based component."""
        ask = self.g.value(validator, SH.ask)
        select = self.g.value(validator, SH.select)
        if (ask is None) == (select is None):
            raise ShapeError(f"validator of {self._q(comp.node)} needs one of sh:ask, sh:select")
        text = self._prefixes(validator) + str(ask if ask is not None else select)
        if shape.sparql_path is not None:
            text = text.replace("$PATH", shape.sparql_path)
        where = f"validator of {self._q(comp.node)}"
        if ask is not None:
            query, joinable = self._prepare(text, shape, bindings, where, ("this", "value"))
            return query, joinable, True
        query, joinable = self._prepare(text, shape, bindings, where)
        return query, joinable, False


class _Context:
    """One shape evaluated on one set of focus nodes."""

    def __init__(
        self, v: Validator, shape: _Shape, focus: _Focus, top: Node, depth: int, only_focus: bool
    ) -> None:
        self.v, self.g, self.shape, self.focus = v, v.g, shape, focus
        self.top, self.depth, self.only_focus = top, depth, only_focus
        self.node = shape.node
        self.path = shape.sparql_path

    # -- helpers ---------------------------------------------------------------------------
    def finding(
        self,
        component: rdflib.URIRef,
        this: object,
        value: object = None,
        path_iri: str = "",
        messages: tuple[rdflib.Literal, ...] | None = None,
        constraint: Node | None = None,
    ) -> Finding:
        if self.only_focus:
            return Finding(SH.Violation, self.top, self.node, _decode(str(this)), None, component)
        if messages is None:
            messages = self.shape.messages
            if any("{" in m for m in messages):
                params = {
                    str(p).removeprefix(str(SH)): o
                    for p, o in self.g.predicate_objects(self.node)
                    if str(p).startswith(str(SH))
                }
                messages = _fill(messages, _Hit(this, value), params)
        found = Finding(
            self.shape.severity,
            self.top,
            self.node,
            _decode(str(this)),
            self.shape.path,
            component,
            _decode(str(value)) if value is not None else "",
            messages,
            constraint,
            path_iri,
        )
        self.v._count_result(found)
        return found

    def values_bind(self, this: str = "?this", value: str = "?_v") -> str:
        if self.path is None:
            return f"BIND ({this} AS {value}) ."
        return _triple(this, self.path, value)

    def value_focus(self) -> _Focus:
        """The value nodes of this property shape as focus nodes of their own."""
        n = next(self.v._names)
        inner = _triple(f"?_o{n}", self.path or "", "?this")
        return _Focus(
            f"{{ SELECT DISTINCT ?this WHERE {{ {{ SELECT (?this AS ?_o{n}) "
            f"WHERE {{ {self.focus.pattern} }} }} {inner} }} }}"
        )

    def reached_from(self) -> dict[str, int]:
        """Value nodes of this property shape reached from more than one focus node."""
        rows = self.select(
            f"SELECT ?_v (COUNT(DISTINCT ?this) AS ?n) WHERE {{ {self.focus.pattern} "
            f"{self.values_bind()} }} GROUP BY ?_v HAVING (COUNT(DISTINCT ?this) > 1)"
        )
        return {_decode(str(r["_v"])): int(r["n"].value) for r in rows}

    def select(self, query: str, substitutions: dict | None = None) -> Iterable:
        return self.v._select(query, substitutions)

    def sparql_select(self, query: str, substitutions: dict | None = None) -> Iterable:
        """For the SPARQL-based constraints: on the data as Oxigraph stores it."""
        return self.v._select(query, substitutions, sparql=True)

    # -- value constraints -------------------------------------------------------------------
    def value_tests(self) -> list[Finding]:
        tests = self.v.value_tests(self.node, "?_v")
        if not tests:
            return []
        binds = " ".join(
            f"BIND (COALESCE({expr}, true) AS ?_f{i})" for i, (_, expr) in enumerate(tests)
        )
        any_fail = " || ".join(f"?_f{i}" for i in range(len(tests)))
        cols = " ".join(f"?_f{i}" for i in range(len(tests)))
        pred = self.v._scan_first(self.shape, self.focus)
        rows: list | None = None
        if pred is not None:
            # the distinct values of the predicate, tested once each; the failing ones
            # joined back to their subjects, then to the focus nodes
            bad = list(
                self.select(
                    f"SELECT ?_v {cols} WHERE {{ {{ SELECT DISTINCT ?_v WHERE "
                    f"{{ {_triple('?_s', pred, '?_v')} }} }} {binds} FILTER ({any_fail}) }}"
                )
            )
            if not bad:
                return []
            if not any(isinstance(r["_v"], BlankNode) for r in bad):
                flags = {str(r["_v"]): r for r in bad}
                values = " ".join(str(r["_v"]) for r in bad)
                members = self.v.focus_members(self.focus)
                seen: set[tuple[str, str]] = set()
                rows = []
                for r in self.select(
                    f"SELECT ?this ?_v WHERE {{ VALUES ?_v {{ {values} }} "
                    f"{_triple('?this', pred, '?_v')} }}"
                ):
                    key = (str(r["this"]), str(r["_v"]))
                    if key[0] in members and key not in seen:
                        seen.add(key)
                        rows.append((r["this"], r["_v"], flags[key[1]]))
        if rows is None:  # general paths, large predicates, blank values
            rows = [
                (r["this"], r["_v"], r)
                for r in self.select(
                    f"SELECT DISTINCT ?this ?_v {cols} WHERE {{ {self.focus.pattern} "
                    f"{self.values_bind()} {binds} FILTER ({any_fail}) }}"
                )
            ]
        out = []
        for this, value, flags in rows:
            for i, (param, _) in enumerate(tests):
                if flags[f"_f{i}"].value == "true":
                    out.append(self.finding(component_name(param), this, value))
        return out

    # -- cardinality ---------------------------------------------------------------------------
    def counts(self) -> list[Finding]:
        if self.path is None:
            return []
        lo = self.g.value(self.node, SH.minCount)
        hi = self.g.value(self.node, SH.maxCount)
        out: list[Finding] = []
        path, focus = self.path, self.focus.pattern
        pred = self.v._scan_first(self.shape, self.focus)
        if lo is not None and _int(lo) > 0:
            k = _int(lo)
            if pred is not None:
                having = (
                    "" if k == 1 else (f" GROUP BY ?this HAVING ({self.v._count_values()} >= {k})")
                )
                q = (
                    f"SELECT DISTINCT ?this WHERE {{ {focus} MINUS {{ SELECT ?this WHERE "
                    f"{{ {_triple('?this', pred, '?_v')} }}{having} }} }}"
                )
            elif k == 1:
                q = (
                    f"SELECT DISTINCT ?this WHERE {{ {focus} OPTIONAL {{ "
                    f"{_triple('?this', path, '?_v')} }} FILTER (!BOUND(?_v)) }}"
                )
            else:
                q = (
                    f"SELECT ?this WHERE {{ {focus} OPTIONAL {{ "
                    f"{_triple('?this', path, '?_v')} }} }} "
                    f"GROUP BY ?this HAVING (COUNT(DISTINCT ?_v) < {k})"
                )
            out += [self.finding(SH.MinCountConstraintComponent, r["this"]) for r in self.select(q)]
        if hi is not None:
            k = _int(hi)
            if pred is not None:
                members = self.v.focus_members(self.focus)
                rows = self.select(
                    f"SELECT ?this WHERE {{ {_triple('?this', pred, '?_v')} }} "
                    f"GROUP BY ?this HAVING ({self.v._count_values()} > {k})"
                )
                return out + [
                    self.finding(SH.MaxCountConstraintComponent, r["this"])
                    for r in rows
                    if str(r["this"]) in members
                ]
            else:
                q = (
                    f"SELECT ?this WHERE {{ {focus} {_triple('?this', path, '?_v')} }} "
                    f"GROUP BY ?this HAVING (COUNT(DISTINCT ?_v) > {k})"
                )
            out += [self.finding(SH.MaxCountConstraintComponent, r["this"]) for r in self.select(q)]
        return out

    def unique_lang(self) -> list[Finding]:
        if self.path is None or not _true(self.g.value(self.node, SH.uniqueLang)):
            return []
        rows = self.select(
            f"SELECT ?this ?_l WHERE {{ {self.focus.pattern} {self.values_bind()} "
            f'BIND (LANG(?_v) AS ?_l) FILTER (?_l != "") }} GROUP BY ?this ?_l '
            f"HAVING (COUNT(DISTINCT ?_v) > 1)"
        )
        return [self.finding(SH.UniqueLangConstraintComponent, r["this"]) for r in rows]

    def has_value(self) -> list[Finding]:
        out = []
        for hv in self.g.objects(self.node, SH.hasValue):
            if isinstance(hv, rdflib.BNode):
                q = f"SELECT DISTINCT ?this WHERE {{ {self.focus.pattern} }}"
            elif self.path is None:
                q = (
                    f"SELECT DISTINCT ?this WHERE {{ {self.focus.pattern} "
                    f"FILTER (!sameTerm(?this, {self.v.const(hv)})) }}"
                )
            else:
                q = (
                    f"SELECT DISTINCT ?this WHERE {{ {self.focus.pattern} MINUS "
                    f"{{ {_triple('?this', self.path, self.v.const(hv))} }} }}"
                )
            out += [self.finding(SH.HasValueConstraintComponent, r["this"]) for r in self.select(q)]
        return out

    # -- property pairs ------------------------------------------------------------------------
    def pairs(self) -> list[Finding]:
        out: list[Finding] = []
        focus, vb = self.focus.pattern, self.values_bind()
        for p2 in self.g.objects(self.node, SH.equals):
            other = _sparql_term(p2)
            if self.path is None:
                q1 = (
                    f"SELECT DISTINCT ?this ?_v WHERE {{ {focus} BIND (?this AS ?_v) "
                    f"FILTER NOT EXISTS {{ ?this {other} ?_v }} }}"
                )
                q2 = (
                    f"SELECT DISTINCT ?this ?_v WHERE {{ {focus} ?this {other} ?_v "
                    f"FILTER (!sameTerm(?this, ?_v)) }}"
                )
            else:
                q1 = (
                    f"SELECT DISTINCT ?this ?_v WHERE {{ {focus} {vb} "
                    f"FILTER NOT EXISTS {{ ?this {other} ?_v }} }}"
                )
                q2 = (
                    f"SELECT DISTINCT ?this ?_v WHERE {{ {focus} ?this {other} ?_v "
                    f"FILTER NOT EXISTS {{ {_triple('?this', self.path, '?_v')} }} }}"
                )
            for q in (q1, q2):
                out += [
                    self.finding(SH.EqualsConstraintComponent, r["this"], r["_v"])
                    for r in self.select(q)
                ]
        for p2 in self.g.objects(self.node, SH.disjoint):
            q = f"SELECT DISTINCT ?this ?_v WHERE {{ {focus} {vb} ?this {_sparql_term(p2)} ?_v }}"
            out += [
                self.finding(SH.DisjointConstraintComponent, r["this"], r["_v"])
                for r in self.select(q)
            ]
        for key, op, comp in (
            (SH.lessThan, "<", SH.LessThanConstraintComponent),
            (SH.lessThanOrEquals, "<=", SH.LessThanOrEqualsConstraintComponent),
        ):
            for p2 in self.g.objects(self.node, key):
                q = (
                    f"SELECT DISTINCT ?this ?_v ?_o WHERE {{ {focus} {vb} "
                    f"?this {_sparql_term(p2)} ?_o FILTER (!COALESCE("
                    f"{self.v._restored('?_v')} {op} {self.v._restored('?_o')}, false)) }}"
                )
                out += [self.finding(comp, r["this"], r["_v"]) for r in self.select(q)]
        return out

    def closed(self) -> list[Finding]:
        if not _true(self.g.value(self.node, SH.closed)):
            return []
        allowed = {
            p
            for prop in self.shape.properties
            for p in [self.g.value(prop, SH.path)]
            if isinstance(p, rdflib.URIRef)
        }
        for lst in self.g.objects(self.node, SH.ignoredProperties):
            allowed |= {p for p in self.v._list(lst, self.node) if isinstance(p, rdflib.URIRef)}
        keep = (
            f"FILTER (?_p NOT IN ({', '.join(_sparql_term(p) for p in sorted(allowed))}))"
            if allowed
            else ""
        )
        rows = self.select(
            f"SELECT DISTINCT ?this ?_v ?_p ?_o WHERE {{ {self.focus.pattern} "
            f"{self.values_bind()} ?_v ?_p ?_o {keep} }}"
        )
        return [
            self.finding(SH.ClosedConstraintComponent, r["this"], r["_o"], path_iri=r["_p"].value)
            for r in rows
        ]

    # -- logical constraints and shape-based ones --------------------------------------------
    def logical(self) -> list[Finding]:
        logical = self.v._logical_params(self.node)
        if not logical:
            return []
        out: list[Finding] = []
        fallback = []
        for key, obj in logical:
            if self.path is None and key == SH["or"]:
                preds = [self.v.has_predicate(m) for m in self.v._members(key, obj, self.node)]
                if preds and all(preds):
                    # a focus node fails when it has none of the predicates: anti-joins,
                    # hashed, instead of a lookup per focus node and predicate
                    minus = " ".join(
                        f"MINUS {{ SELECT ?this WHERE {{ {_triple('?this', p, '?_x')} }} }}"
                        for p in preds
                        if p
                    )
                    rows = self.select(
                        f"SELECT DISTINCT ?this WHERE {{ {self.focus.pattern} {minus} }}"
                    )
                    out += [self.finding(component_name(key), r["this"], r["this"]) for r in rows]
                    continue
            cond = self.v._logical_condition(key, obj, "?_v", self.depth)
            if cond is None:
                fallback.append((key, obj))
                continue
            rows = self.select(
                f"SELECT DISTINCT ?this ?_v WHERE {{ {self.focus.pattern} "
                f"{self.values_bind()} FILTER (!COALESCE({cond}, false)) }}"
            )
            out += [self.finding(component_name(key), r["this"], r["_v"]) for r in rows]
        if fallback:
            out += self._logical_by_sets(fallback)
        return out

    def _pairs(self) -> list[tuple[object, object]]:
        return [
            (r["this"], r["_v"])
            for r in self.select(
                f"SELECT DISTINCT ?this ?_v WHERE {{ {self.focus.pattern} {self.values_bind()} }}"
            )
        ]

    def _member_focus(self) -> _Focus:
        return self.focus if self.path is None else self.value_focus()

    def _logical_by_sets(self, logical: list[tuple[rdflib.URIRef, Node]]) -> list[Finding]:
        pairs = self._pairs()
        if not pairs:
            return []
        values = self._member_focus()
        out = []
        for key, obj in logical:
            members = self.v._members(key, obj, self.node)
            failing = [self.v.failing(m, values, self.depth + 1) for m in members]
            for this, v in pairs:
                passed = sum(_decode(str(v)) not in f for f in failing)
                bad = {
                    SH["or"]: passed == 0,
                    SH["and"]: passed < len(members),
                    SH.xone: passed != 1,
                    SH["not"]: passed == 1,
                    SH.node: passed == 0,
                }[key]
                if bad:
                    out.append(self.finding(component_name(key), this, v))
        return out

    def qualified(self) -> list[Finding]:
        if self.path is None:
            return []
        out: list[Finding] = []
        for q in sorted(self.g.objects(self.node, SH.qualifiedValueShape), key=str):
            lo = self.g.value(self.node, SH.qualifiedMinCount)
            hi = self.g.value(self.node, SH.qualifiedMaxCount)
            if lo is None and hi is None:
                continue
            siblings: list[Node] = []
            if _true(self.g.value(self.node, SH.qualifiedValueShapesDisjoint)):
                for parent in self.v._parents.get(self.node, []):
                    for sib in self.g.objects(parent, SH.property):
                        if sib != self.node:
                            siblings += list(self.g.objects(sib, SH.qualifiedValueShape))
            counts = self._qualified_counts(q, sorted(set(siblings), key=str))
            for this, n in counts:
                if lo is not None and n < _int(lo):
                    out.append(self.finding(_QMIN, this))
                if hi is not None and n > _int(hi):
                    out.append(self.finding(_QMAX, this))
        return out

    def _qualified_counts(self, q: Node, siblings: list[Node]) -> list[tuple[object, int]]:
        conds = [self.v.condition(q, "?_v", self.depth + 1)]
        conds += [self.v.condition(s, "?_v", self.depth + 1) for s in siblings]
        if all(c is not None for c in conds):
            test = str(conds[0]) + "".join(f" && !{c}" for c in conds[1:])
            rows = self.select(
                f"SELECT ?this (COUNT(DISTINCT ?_v) AS ?n) WHERE {{ {self.focus.pattern} "
                f"OPTIONAL {{ {self.values_bind()} FILTER (COALESCE({test}, false)) }} }} "
                f"GROUP BY ?this"
            )
            return [(r["this"], int(r["n"].value)) for r in rows]
        pairs = self._pairs()
        focus_nodes = [
            r["this"]
            for r in self.select(f"SELECT DISTINCT ?this WHERE {{ {self.focus.pattern} }}")
        ]
        values = self._member_focus()
        bad_q = self.v.failing(q, values, self.depth + 1)
        bad_sibs = [self.v.failing(s, values, self.depth + 1) for s in siblings]
        counts: Counter[str] = Counter()
        for this, v in pairs:
            sv = _decode(str(v))
            if sv not in bad_q and all(sv in b for b in bad_sibs):
                counts[str(this)] += 1
        return [(t, counts[str(t)]) for t in focus_nodes]

    # -- SPARQL ----------------------------------------------------------------------------------
    def sparql(self) -> list[Finding]:
        out: list[Finding] = []
        for c in sorted(self.g.objects(self.node, SH.sparql), key=str):
            if _true(self.g.value(c, SH.deactivated)):
                continue
            query, joinable = self.v._sparql_query(c, self.shape)
            messages = (
                tuple(m for m in self.g.objects(c, SH.message) if isinstance(m, rdflib.Literal))
                or self.shape.messages
            )
            for hit in self._solutions(query, joinable):
                value = (
                    hit.value
                    if hit.value is not None
                    else (hit.this if self.path is None else None)
                )
                out.append(
                    self.finding(
                        SH.SPARQLConstraintComponent,
                        hit.this,
                        value,
                        hit.path_iri,
                        _fill(messages, hit, {}),
                        c,
                    )
                )
        return out

    def components(self) -> list[Finding]:
        out: list[Finding] = []
        for comp, bindings in self.v._component_uses(self.node):
            validator = self.v._validator(comp, self.shape)
            if validator is None:
                continue
            query, joinable, ask = self.v._validator_query(validator, comp, self.shape, bindings)
            messages = self.shape.messages or tuple(
                m
                for m in itertools.chain(
                    self.g.objects(validator, SH.message), self.g.objects(comp.node, SH.message)
                )
                if isinstance(m, rdflib.Literal)
            )
            hits = self._ask(query, joinable) if ask else self._solutions(query, joinable)
            for hit in hits:
                value = (
                    hit.value
                    if hit.value is not None
                    else (hit.this if self.path is None else None)
                )
                out.append(
                    self.finding(
                        rdflib.URIRef(str(comp.node)),
                        hit.this,
                        value,
                        hit.path_iri,
                        _fill(messages, hit, bindings),
                    )
                )
        return out

    def _focus_nodes(self) -> list:
        return [
            r["this"]
            for r in self.sparql_select(f"SELECT DISTINCT ?this WHERE {{ {self.focus.pattern} }}")
        ]

    def _solutions(self, query: str, joinable: bool) -> Iterator[_Hit]:
        """The solutions of a pre-bound SELECT query for every focus node. Over several
        graphs, a solution repeated only because a triple is in two graphs is kept once:
        the data graph is the merge of the graphs, a set of triples."""
        seen: set[tuple[str, ...]] | None = None if self.v.unique else set()

        def fresh(row: object, this: object) -> bool:
            if seen is None:
                return True
            key = (str(this),) + tuple(str(t) for t in row)  # type: ignore[attr-defined]
            if key in seen:
                return False
            seen.add(key)
            return True

        if joinable:
            rows: Iterable = self.sparql_select(_inject(query, self.focus.pattern))
            yield from (_hit(r) for r in rows if r["this"] is not None and fresh(r, r["this"]))
            return
        for node in self._focus_nodes():
            for r in self._prebound(query, {"this": node}):
                if fresh(r, node):
                    hit = _hit(r)
                    hit.this = node
                    yield hit

    def _prebound(self, query: str, values: dict[str, object]) -> Iterable:
        """``query`` evaluated with ``values`` pre-bound: written into the text (SHACL's
        substitution), blank nodes through Oxigraph's substitutions."""
        blank = {k: v for k, v in values.items() if isinstance(v, BlankNode)}
        text = _substitute(query, {k: _to_rdflib(v) for k, v in values.items() if k not in blank})
        try:
            return self.sparql_select(text, {Variable(k): v for k, v in blank.items()} or None)
        except RuntimeError as exc:
            raise ShapeError(f"shape {self.v._q(self.node)}: {exc}") from None

    def _ask(self, query: str, joinable: bool) -> Iterator[_Hit]:
        """The value nodes for which a pre-bound ASK query answers false."""
        select = _ask_to_select(query)
        if joinable:
            inner = _inject(select, f"{self.focus.pattern} {self.values_bind('?this', '?value')}")
            rows = self.sparql_select(
                f"SELECT DISTINCT ?this ?value WHERE {{ {self.focus.pattern} "
                f"{self.values_bind('?this', '?value')} MINUS {{ {inner} }} }}"
            )
            yield from (_Hit(r["this"], r["value"]) for r in rows)
            return
        pairs = [
            (r["this"], r["_v"])
            for r in self.sparql_select(
                f"SELECT DISTINCT ?this ?_v WHERE {{ {self.focus.pattern} {self.values_bind()} }}"
            )
        ]
        for this, value in pairs:
            if not bool(self._prebound(query, {"this": this, "value": value})):
                yield _Hit(this, value)


def _hit(row) -> _Hit:
    failure = _get(row, "failure")
    if failure is not None and failure.value == "true":
        raise ShapeError("a SPARQL constraint reported a failure (?failure true)")
    path = _get(row, "path")
    return _Hit(
        _get(row, "this"),
        _get(row, "value"),
        path.value if isinstance(path, NamedNode) else "",
        row,
    )


def _fill(
    messages: tuple[rdflib.Literal, ...], hit: _Hit, bindings: dict[str, Node]
) -> tuple[rdflib.Literal, ...]:
    """Messages with ``{?var}`` / ``{$var}`` replaced by the solution's values or the
    parameters' values."""
    row = hit.row

    def value(name: str) -> str | None:
        if row is not None:
            term = _get(row, name)
            if term is not None:
                return term.value
        if name in bindings:
            return str(bindings[name])
        if name == "this" and hit.this is not None:
            return getattr(hit.this, "value", str(hit.this))
        if name == "value" and hit.value is not None:
            return getattr(hit.value, "value", str(hit.value))
        return None

    out = []
    for m in messages:
        text = re.sub(r"\{[?$](\w+)\}", lambda mt: value(mt.group(1)) or mt.group(0), str(m))
        out.append(
            rdflib.Literal(text, lang=m.language)
            if m.language
            else rdflib.Literal(text, datatype=m.datatype)
        )
    return tuple(out)


def _get(row, name: str):
    try:
        return row[name]
    except (KeyError, IndexError, TypeError):
        return None


def _to_rdflib(term) -> rdflib.term.Node:
    if isinstance(term, NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, BlankNode):
        return rdflib.BNode(term.value)
    if isinstance(term, OxLiteral):
        if term.language:
            return rdflib.Literal(term.value, lang=term.language)
        if term.datatype.value == str(XSD.string):  # rdflib's plain literal
            return rdflib.Literal(term.value)
        return rdflib.Literal(
            term.value, datatype=rdflib.URIRef(term.datatype.value), normalize=False
        )  # as written: "1"^^xsd:boolean is not "true"
    raise TypeError(term)


# -- query text surgery (outside strings, IRIs and comments) -------------------------------------
def _tokens(text: str) -> list[str]:
    return TOKEN.findall(text)


def _inject(query: str, pattern: str) -> str:
    """``query`` with ``pattern`` joined at the start of its outermost WHERE group."""
    out, depth, done = [], 0, False
    for tok in _tokens(query):
        out.append(tok)
        if done:
            continue
        if tok == "(":
            depth += 1
        elif tok == ")":
            depth -= 1
        elif tok == "{" and depth == 0:
            out.append(f" {pattern} ")
            done = True
    if not done:
        raise ShapeError(f"no WHERE group in the SPARQL query:\n{query}")
    return "".join(out)


@lru_cache(maxsize=256)
def _hash_joined(prologue: str, query: str) -> str:
    """A target query whose WHERE is one basic graph pattern (with filters) rewritten to
    join its triple patterns as sub-selects: the same solutions, but Oxigraph then joins
    them by hashing instead of an index lookup per row (the pattern of hrkg's
    RecommenderNotReviewedShape: 14 s on the bundled store as written, 0.4 s rewritten). The
    query is kept as written for pySHACL, whose engine joins sub-selects pair by pair."""
    try:
        from rdflib.plugins.sparql.algebra import translateQuery
        from rdflib.plugins.sparql.parser import parseQuery

        algebra = translateQuery(parseQuery(prologue + query)).algebra
    except Exception:
        return query
    node = algebra.p
    while getattr(node, "name", "") in ("Project", "Distinct", "Filter"):
        node = node.p
    if getattr(node, "name", "") != "BGP" or len(node.triples) < 2:
        return query
    if any(isinstance(t, rdflib.BNode) for triple in node.triples for t in triple):
        return query
    toks = _tokens(query)
    depth, filters, i, head = 0, [], 0, []
    while i < len(toks):
        tok = toks[i]
        if tok == "{":
            depth += 1
            if depth > 1:
                return query
        elif tok == "}":
            depth -= 1
        elif depth == 0:
            head.append(tok)
        elif depth == 1 and tok.upper() == "FILTER":
            j, level, started = i + 1, 0, False
            while j < len(toks):
                if toks[j] == "(":
                    level, started = level + 1, True
                elif toks[j] == ")":
                    level -= 1
                    if started and level == 0:
                        break
                j += 1
            filters.append("".join(toks[i : j + 1]))
            i = j
        i += 1
    select = "".join(head).strip()
    if select.upper().endswith("WHERE"):
        select = select[:-5].rstrip()
    patterns = " ".join(
        f"{{ SELECT * WHERE {{ {s.n3()} ({p.n3()}) {o.n3()} }} }}" for s, p, o in node.triples
    )
    return f"{select} WHERE {{ {patterns} {' '.join(filters)} }}"


def _ask_to_select(query: str) -> str:
    """An ASK query as ``SELECT DISTINCT ?this ?value`` with the same WHERE group."""
    out, done = [], False
    for tok in _tokens(query):
        if not done and tok.upper() == "ASK":
            out.append("SELECT DISTINCT ?this ?value")
            done = True
        else:
            out.append(tok)
    return "".join(out)


def _substitute(query: str, constants: dict[str, Node]) -> str:
    """Pre-bind variables in the text, as SHACL defines pre-binding: each mention becomes
    the term; ``BOUND(?var)`` becomes true. A SELECT clause keeps the variable (it is
    unbound in the solutions; the caller knows its value)."""
    if not any(re.search(rf"[?$]{name}\b", query) for name in constants):
        return query
    toks = _tokens(query)
    out: list[str] = []
    in_projection, depth = False, 0
    i = 0
    while i < len(toks):
        tok = toks[i]
        up = tok.upper()
        if up == "SELECT":
            in_projection, depth = True, 0
        elif in_projection and tok == "(":
            depth += 1
        elif in_projection and tok == ")":
            depth -= 1
        elif in_projection and (tok == "{" or up == "WHERE"):
            in_projection = False
        if up == "BOUND":
            rest = [j for j in range(i + 1, min(i + 8, len(toks))) if not toks[j].isspace()]
            if (
                len(rest) >= 3
                and toks[rest[0]] == "("
                and toks[rest[2]] == ")"
                and toks[rest[1]][:1] in "?$"
                and toks[rest[1]][1:] in constants
            ):
                out.append("(true)")
                i = rest[2] + 1
                continue
        name = tok[1:] if tok[:1] in "?$" else None
        if name in constants and not (in_projection and depth == 0):
            term = constants[name]
            previous = next((t for t in reversed(out) if not t.isspace()), "")
            if previous.upper() == "AS":
                out.append(tok)
            else:
                out.append(
                    nt(term)
                    if not isinstance(term, rdflib.BNode)
                    else f"<urn:hrkg:blank-shape:{term}>"
                )
        else:
            out.append(tok)
        i += 1
    return "".join(out)


def default_message(component: rdflib.URIRef, path: str) -> str:
    where = f" on {path}" if path else ""
    local = str(component).rsplit("#", 1)[-1].removesuffix("ConstraintComponent")
    return {
        "MinCount": f"too few values{where}",
        "MaxCount": f"too many values{where}",
        "Class": f"value is not an instance of the expected class{where}",
        "Datatype": f"value is not a literal of the expected datatype{where}",
        "Pattern": f"value does not match the pattern{where}",
        "In": f"value is not one of the allowed values{where}",
        "UniqueLang": f"more than one value with the same language{where}",
        "Closed": "a property the closed shape does not allow",
    }.get(local, f"{local} not satisfied{where}")
