"""Pre-binding of SHACL-SPARQL queries: what the specification forbids, and when a query can
be evaluated for all focus nodes at once.

SHACL defines pre-binding as substitution: the query is evaluated once per focus node with
``$this`` (and ``$value``, ``$currentShape``, the parameters ...) replaced by its value. The fast
engine instead joins the focus nodes into the query's outermost group, one query for all of
them, whenever that gives the same solutions: when every place that mentions a pre-bound
variable sees it bound already (a triple pattern of the outermost group binds it, and filters,
``BIND``, ``OPTIONAL`` conditions and sub-queries only read it after that). Any other query is
evaluated per focus node with Oxigraph's substitutions, which follow the definition.

The checks follow SHACL 1.0 section 5.2.1: no ``MINUS``, no ``VALUES`` (inline data), no
``SERVICE``; no ``BIND ... AS`` a pre-bound variable; every sub-query returns ``$this``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rdflib.paths import Path
from rdflib.term import Variable

# rdflib's SPARQL parser (0.5 s to import) is imported by _full, where it is needed

__all__ = ["Analysis", "analyse", "PrebindingError"]


class PrebindingError(ValueError):
    """The query uses something SHACL forbids in pre-bound queries."""


@dataclass(frozen=True)
class Analysis:
    joinable: bool  # evaluating it joined with all focus nodes equals pre-binding
    mentions: frozenset[str]  # the pre-bound variables the query mentions


_STAR_SUBQUERY = re.compile(r"\{\s*SELECT\s+((DISTINCT|REDUCED)\s+)?\*", re.I)


# tokens outside strings, IRIs and comments (enough to find keywords, variables, groups)
TOKEN = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\s]*>|#[^\n]*'
    r"|[?$][A-Za-z_0-9\u00b7-\U000effff]+|[{}()]|[A-Za-z]+|\s+|.",
    re.S,
)
_FORBIDDEN = {"MINUS": "MINUS", "VALUES": "VALUES", "SERVICE": "SERVICE"}


def analyse(query: str, prebound: Iterable[str], driving: str = "this") -> Analysis:
    """Check ``query`` (with its PREFIX lines) against SHACL's rules for pre-binding, and say
    whether it can be joined with the bindings of ``driving`` instead of substituting them.
    Raises :class:`PrebindingError` for a forbidden construct. A query rdflib cannot parse is
    not joinable (Oxigraph, which runs it, will say what is wrong with it)."""
    return _analyse(query, frozenset(prebound), driving)


@lru_cache(maxsize=512)
def _analyse(query: str, names: frozenset[str], driving: str) -> Analysis:
    quick = _quick(query, names, driving)
    if quick is not None:
        return quick
    return _full(query, set(names), driving)


def _quick(query: str, names: frozenset[str], driving: str) -> Analysis | None:
    """The answer from the tokens alone, for the common queries (rdflib's parser takes a
    tenth of a second a query): forbidden keywords; a query that does not mention the
    driving variable; a flat WHERE group (no nested group) that binds it in a triple."""
    toks = [t for t in TOKEN.findall(query) if not t.isspace() and not t.startswith("#")]
    mentioned: set[str] = set()
    for i, tok in enumerate(toks):
        up = tok.upper()
        after_colon = i > 0 and toks[i - 1] == ":"
        if up in _FORBIDDEN and not after_colon and (i + 1 >= len(toks) or toks[i + 1] != ":"):
            raise PrebindingError(f"{_FORBIDDEN[up]} is not allowed in a pre-bound SHACL query")
        if tok[:1] in "?$" and tok[1:] in names:
            mentioned.add(tok[1:])
            if i > 0 and toks[i - 1].upper() == "AS":
                raise PrebindingError(f"BIND ... AS ?{tok[1:]} assigns a pre-bound variable")
    if driving not in names:  # a target: nothing is pre-bound that needs a check
        return Analysis(True, frozenset(mentioned))
    if driving not in mentioned:
        return (
            Analysis(True, frozenset(mentioned))
            if "SELECT" not in query.upper()[query.upper().find("{") :]
            else None
        )
    if sum(1 for t in toks if t == "{") != 1:
        return None
    depth, where = 0, False
    for tok in toks:
        if tok == "{":
            where = True
        elif tok == "(":
            depth += 1
        elif tok == ")":
            depth -= 1
        elif where and depth == 0 and tok[:1] in "?$" and tok[1:] == driving:
            return Analysis(True, frozenset(mentioned))
    return Analysis(False, frozenset(mentioned))


def _full(query: str, names: set[str], driving: str) -> Analysis:
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        algebra = translateQuery(parseQuery(query)).algebra
    except Exception:  # rdflib's parser is stricter in places than Oxigraph's
        return Analysis(False, frozenset(n for n in names if re.search(rf"[?$]{n}\b", query)))
    walker = _Walker(names, driving, bool(_STAR_SUBQUERY.search(query)))
    certain, ok = walker.pattern(algebra.p)
    mentioned = walker.mentioned
    joinable = ok and (driving not in mentioned or driving in certain)
    return Analysis(joinable, frozenset(mentioned))


def _is_comp(value: object) -> bool:
    from rdflib.plugins.sparql.parserutils import CompValue

    return isinstance(value, CompValue)


def _walk(expr: Any) -> Iterator[Any]:
    """The variables of an expression and its EXISTS / NOT EXISTS nodes (not entered)."""
    if isinstance(expr, Variable):
        yield expr
    elif _is_comp(expr):
        if expr.name in ("Builtin_EXISTS", "Builtin_NOTEXISTS"):
            yield expr
            return
        for value in expr.values():
            yield from _walk(value)
    elif isinstance(expr, list | tuple):
        for item in expr:
            yield from _walk(item)


def _variables(expr: Any) -> Iterator[str]:
    return (str(x) for x in _walk(expr) if isinstance(x, Variable))


def _exists(expr: Any) -> Iterator[Any]:
    return (x for x in _walk(expr) if not isinstance(x, Variable))


def _term_vars(term: object) -> set[str]:
    if isinstance(term, Variable):
        return {str(term)}
    return set()


class _Walker:
    def __init__(self, prebound: set[str], driving: str, star_subquery: bool) -> None:
        self.prebound = prebound
        self.driving = driving
        self.star_subquery = star_subquery
        self.mentioned: set[str] = set()

    def _mention(self, names: Iterable[str]) -> set[str]:
        found = set(names) & self.prebound
        self.mentioned |= found
        return found

    def expression(self, expr: Any, certain: set[str]) -> bool:
        """Whether ``expr`` reads the driving variable only where it is bound already. The
        pattern of an EXISTS sees the row it is evaluated on: it needs the driving variable
        bound there, and is checked like any pattern."""
        used = self._mention(_variables(expr))
        ok = self.driving not in used or self.driving in certain
        for ex in _exists(expr):
            from rdflib.plugins.sparql.algebra import translateGroupGraphPattern

            inner = translateGroupGraphPattern(ex.graph)
            _, inner_ok = self.pattern(inner)
            if self.driving in _variables_of_pattern(inner) and self.driving not in certain:
                ok = False
            ok = ok and inner_ok
        return ok

    def pattern(self, p: Any) -> tuple[set[str], bool]:
        """(variables certainly bound by ``p``, whether it is joinable)."""
        if not _is_comp(p):
            return set(), False
        name = p.name
        if name == "BGP":
            bound: set[str] = set()
            for s, pred, o in p.triples:
                bound |= _term_vars(s) | _term_vars(o)
                if not isinstance(pred, Path):
                    bound |= _term_vars(pred)
            self._mention(bound)
            return bound, True
        if name in ("Project", "Distinct", "Reduced", "Slice", "OrderBy"):
            inner, ok = self.pattern(p.p)
            if name == "OrderBy":
                ok = self.expression(p.expr, inner) and ok
            if name == "Project":
                return inner & {str(v) for v in p.PV}, ok
            return inner, ok
        if name == "ToMultiSet":
            if _is_comp(p.p) and p.p.name == "values":
                raise PrebindingError("VALUES is not allowed in a pre-bound SHACL query")
            return self._subquery(p.p)
        if name == "values":
            raise PrebindingError("VALUES is not allowed in a pre-bound SHACL query")
        if name == "Join":
            a, ok_a = self.pattern(p.p1)
            b, ok_b = self.pattern(p.p2)
            return a | b, ok_a and ok_b
        if name == "LeftJoin":
            a, ok_a = self.pattern(p.p1)
            b, ok_b = self.pattern(p.p2)
            ok = ok_a and ok_b and self.expression(p.expr, a | b)
            if self.driving in _variables_of_pattern(p.p2) and self.driving not in a:
                ok = False
            return a, ok
        if name == "Filter":
            inner, ok = self.pattern(p.p)
            return inner, self.expression(p.expr, inner) and ok
        if name == "Extend":
            inner, ok = self.pattern(p.p)
            var = str(p.var)
            internal = isinstance(p.expr, Variable) and str(p.expr).startswith("__agg_")
            if var in self.prebound and not internal:
                raise PrebindingError(f"BIND ... AS ?{var} assigns a pre-bound variable")
            if internal:
                return inner | ({var} if var in inner else set()), ok
            return inner, self.expression(p.expr, inner) and ok
        if name == "Union":
            a, ok_a = self.pattern(p.p1)
            b, ok_b = self.pattern(p.p2)
            return a & b, ok_a and ok_b
        if name == "Minus":
            raise PrebindingError("MINUS is not allowed in a pre-bound SHACL query")
        if name == "Graph":
            inner, ok = self.pattern(p.p)
            return inner | _term_vars(p.term), ok
        if name == "AggregateJoin":
            inner, ok = self.pattern(p.p)
            return inner, ok
        if name == "Group":
            inner, ok = self.pattern(p.p)
            keys = {str(v) for v in (p.expr or []) if isinstance(v, Variable)}
            return inner & keys, ok
        if name == "ServiceGraphPattern":
            raise PrebindingError("SERVICE is not allowed in a pre-bound SHACL query")
        return set(), False

    def _subquery(self, project: Any) -> tuple[set[str], bool]:
        if not _is_comp(project) or project.name != "Project":
            return self.pattern(project)
        inner, ok = self.pattern(project.p)
        returned = {str(v) for v in project.PV}
        in_scope = _variables_of_pattern(project.p, binding_only=True)
        if self.driving in self.prebound and (
            self.driving not in returned or (self.star_subquery and self.driving not in in_scope)
        ):
            raise PrebindingError(f"a sub-query must return ${self.driving}")
        if self.driving not in inner:
            ok = False
        return inner & returned, ok


def _variables_of_pattern(p: Any, binding_only: bool = False) -> set[str]:
    """Every variable a pattern mentions (or, with ``binding_only``, may bind)."""
    out: set[str] = set()
    if _is_comp(p):
        if p.name == "BGP":
            for s, pred, o in p.triples:
                out |= _term_vars(s) | _term_vars(o)
                if not isinstance(pred, Path):
                    out |= _term_vars(pred)
            return out
        if p.name == "Extend":
            out.add(str(p.var))
            if not binding_only:
                out |= set(_variables(p.expr))
            return out | _variables_of_pattern(p.p, binding_only)
        if p.name == "Project":
            return {str(v) for v in p.PV}
        for key, value in p.items():
            if key in ("expr", "A") and binding_only:
                continue
            if key == "expr" and not binding_only:
                out |= set(_variables(value))
            out |= _variables_of_pattern(value, binding_only)
        if p.name == "Graph":
            out |= _term_vars(p.term)
    elif isinstance(p, list | tuple):
        for item in p:
            out |= _variables_of_pattern(item, binding_only)
    return out
