"""OHCHR's vocabularies of UPR recommendations as SKOS: the Universal Human Rights Index's
themes (scheme ``hr:OHCHRThemes``), the 17 Sustainable Development Goals (``hr:SDGs``) and the
groups of persons a recommendation concerns (``hr:AffectedPersons``).

The source is two reviewed tables in ``data/reference/``: ``ohchr-concepts.tsv`` (every theme
and group of persons met in the thematic lists, the other spellings met, and the hand-made
link of each to UPR Info's themes: ``skos:exactMatch``, ``closeMatch`` or ``broadMatch``) and
``sdgs.tsv``. ``python -m hrkg.reference.ohchr_schemes > ontology/ohchr-schemes.ttl`` writes the
Turtle that ships with the ontology; a test keeps the two in step. Nothing is matched by
similarity at build time: a label not in the table is reported by the loader that meets it.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from functools import cache

from pyoxigraph import NamedNode

from hrkg.reference.schemes import concepts_in
from hrkg.reference.states import read_tsv
from hrkg.resources import resource_dir
from hrkg.terms import DEFAULT_BASE, slug

__all__ = [
    "Concept",
    "concepts",
    "concept_for",
    "sdg_iri",
    "theme_iri",
    "persons_iri",
    "sdg_labels",
    "generate",
    "label_key",
    "RELATIONS",
    "SCHEMES",
]

RELATIONS = ("exactMatch", "closeMatch", "broadMatch")
SCHEMES = {"theme": "OHCHRThemes", "persons": "AffectedPersons", "sdg": "SDGs"}


def theme_iri(label: str) -> NamedNode:
    # vocabulary IRIs are fixed (like UPR Info's themes), not under a configurable base;
    # the same IRI as the us-upr-cycle3 loader's for the default base
    return NamedNode(f"{DEFAULT_BASE}theme/ohchr/{slug(label)}")


def persons_iri(label: str) -> NamedNode:
    return NamedNode(f"{DEFAULT_BASE}affected-persons/{slug(label)}")


def sdg_iri(code: str) -> NamedNode:
    """``sdg_iri("16")`` → …/sdg/16; a target, ``"16.3"`` → …/sdg/16.3."""
    return NamedNode(f"{DEFAULT_BASE}sdg/{code}")


def label_key(label: str) -> str:
    """The key a label is recognised by: case, spacing and "and" / "&" ignored.

    >>> label_key("Budget &resources") == label_key("budget and  resources")
    True
    """
    s = re.sub(r"\s*&\s*|\s+and\s+", " and ", label.casefold())
    return " ".join(s.split())


@dataclass(frozen=True)
class Concept:
    scheme: str  # theme | persons
    label: str
    also: tuple[str, ...]
    relation: str | None  # exactMatch | closeMatch | broadMatch
    upr_info: str | None  # UPR Info theme label
    note: str

    @property
    def iri(self) -> NamedNode:
        return theme_iri(self.label) if self.scheme == "theme" else persons_iri(self.label)


@cache
def concepts() -> tuple[Concept, ...]:
    rows = read_tsv(resource_dir("data") / "reference" / "ohchr-concepts.tsv")
    out = []
    for r in rows:
        out.append(
            Concept(
                r["scheme"],
                r["label"],
                tuple(a for a in (r["also_written"] or "").split("|") if a),
                r["relation"] or None,
                r["upr_info_theme"] or None,
                r["note"] or "",
            )
        )
    return tuple(out)


@cache
def _index() -> dict[tuple[str, str], Concept]:
    out: dict[tuple[str, str], Concept] = {}
    for c in concepts():
        for name in (c.label, *c.also):
            out[(c.scheme, label_key(name))] = c
    return out


def concept_for(scheme: str, label: str) -> Concept | None:
    """The concept of ``scheme`` ("theme" or "persons") a list's label names, or None."""
    return _index().get((scheme, label_key(label)))


@cache
def sdg_labels() -> dict[int, str]:
    rows = read_tsv(resource_dir("data") / "reference" / "sdgs.tsv")
    return {int(r["goal"]): r["label"] for r in rows}


def _ttl(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"@en'


def generate() -> str:
    """The Turtle of the three schemes, from the reviewed tables."""
    upr = concepts_in("themes.ttl")
    lines = [
        "# OHCHR's vocabularies of UPR recommendations as SKOS: UHRI themes, the SDGs, the",
        "# groups of persons concerned. GENERATED from data/reference/ohchr-concepts.tsv and",
        "# sdgs.tsv by `python -m hrkg.reference.ohchr_schemes`: edit the tables, not this file.",
        "@prefix hr: <https://w3id.org/hrkg/ontology#> .",
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .",
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .",
        "@prefix dcterms: <http://purl.org/dc/terms/> .",
        "",
        "hr:SDGs a skos:ConceptScheme ;",
        '    rdfs:label "Sustainable Development Goals"@en ;',
        '    rdfs:comment "The 17 goals of the 2030 Agenda (A/RES/70/1); a target a thematic '
        'list gives (\\"16.3\\") is a narrower concept of its goal."@en ;',
        "    dcterms:source <https://sdgs.un.org/goals> .",
        "",
        "hr:AffectedPersons a skos:ConceptScheme ;",
        '    rdfs:label "Groups of persons concerned by UPR recommendations"@en ;',
        "    rdfs:comment \"The groups of persons OHCHR's thematic lists say a recommendation "
        'concerns (\\"Affected persons\\", \\"Groups of Persons\\")."@en ;',
        "    dcterms:source <https://uhri.ohchr.org/en/> .",
        "",
    ]
    for goal, label in sorted(sdg_labels().items()):
        lines += [
            f"<{sdg_iri(str(goal)).value}> a skos:Concept ; skos:inScheme hr:SDGs ;",
            f'    skos:notation "{goal}" ; skos:prefLabel {_ttl(f"{goal} - {label}")} ;',
            f"    skos:altLabel {_ttl(label)} .",
            "",
        ]
    for c in sorted(concepts(), key=lambda c: (c.scheme, c.iri.value)):
        scheme = "hr:OHCHRThemes" if c.scheme == "theme" else "hr:AffectedPersons"
        body = [
            f"<{c.iri.value}> a skos:Concept ; skos:inScheme {scheme} ;",
            f"    skos:prefLabel {_ttl(c.label)}",
        ]
        for alt in c.also:
            body.append(f"    skos:altLabel {_ttl(alt)}")
        if c.relation:
            if c.relation not in RELATIONS or c.upr_info not in upr:
                raise ValueError(
                    f"ohchr-concepts.tsv: {c.label!r}: {c.relation} "
                    f"{c.upr_info!r} is not a relation to a UPR Info theme"
                )
            body.append(f"    skos:{c.relation} <{upr[c.upr_info].value}>")
        if c.note:
            body.append(f"    skos:editorialNote {_ttl(c.note)}")
        lines.append(" ;\n".join(body) + " .")
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.stdout.write(generate())
