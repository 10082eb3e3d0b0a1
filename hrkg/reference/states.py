"""Shared reference data: states, instruments and UPR sessions, in the graph
``id/graph/reference``.

States come from ISO 3166 (pycountry), with every spelling met in the sources as
``skos:altLabel`` (``data/reference/state-aliases.tsv``); UN membership is read from the
ratification tables and UN regional groups from the UPR Info export, when those datasets
are present; the UN's observer states carry ``hr:unObserverState`` and the concept "no
regional group". Instruments come from ``data/reference/instruments.tsv`` (with their family
and, for the 18 that have one, their ratification table), the sessions of the UPR Working Group
from ``data/reference/upr-sessions.tsv``.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import pycountry
from pyoxigraph import NamedNode, Quad

from hrkg.resources import resource_dir
from hrkg.terms import (
    DCTERMS,
    DEFAULT_BASE,
    HR,
    PROV,
    RDF,
    RDFS,
    SKOS,
    XSD,
    en,
    lit,
    rid,
    typed,
)

__all__ = [
    "REFERENCE_GRAPH",
    "Instrument",
    "instruments",
    "StateResolver",
    "resolver",
    "reference_quads",
    "state_iri",
    "instrument_iri",
    "regional_group_iri",
    "OBSERVERS",
    "read_tsv",
    "Session",
    "upr_sessions",
    "session_iri",
    "family_iri",
    "NO_GROUP",
    "SESSIONS_SOURCE",
]

REFERENCE_GRAPH = "reference"
OBSERVERS = {"VAT": "Holy See", "PSE": "State of Palestine"}
REGIONAL_GROUPS = ("Africa", "Asia", "EEG", "GRULAC", "WEOG")
NO_GROUP = "none"  # the concept of the observer states, which are in no regional group
SESSIONS_SOURCE = "https://www.ohchr.org/en/hr-bodies/upr/upr-main"


def state_iri(iso3: str) -> NamedNode:
    return rid("state", iso3)


def instrument_iri(code: str) -> NamedNode:
    return rid("instrument", code)


def regional_group_iri(code: str) -> NamedNode:
    # concept schemes ship in ontology/ with fixed IRIs (vocabulary, not minted resources)
    return NamedNode(f"{DEFAULT_BASE}regional-group/{code}")


def family_iri(code: str) -> NamedNode:
    return NamedNode(f"{DEFAULT_BASE}instrument-family/{code}")


def session_iri(session: int) -> NamedNode:
    return rid("upr-session", session)


def read_tsv(path: Path) -> list[dict[str, str]]:
    """The rows of a reference table (tab-separated, a header line, "#" comment lines)."""
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if not ln.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


# --- instruments ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Instrument:
    code: str
    short_name: str
    kind: str  # Treaty | Protocol | OptionalProtocol | Declaration (the class)
    protocol_to: str
    family: str  # concept of the scheme hr:InstrumentFamilies
    adopted: int
    opened: int | None
    in_force: int | None
    table: str
    label: str
    alt_labels: tuple[str, ...]
    source: str  # the page its facts were read from

    @property
    def iri(self) -> NamedNode:
        return instrument_iri(self.code)


@cache
def instruments() -> dict[str, Instrument]:
    """The instruments by code, in the order of the table."""
    out: dict[str, Instrument] = {}
    for r in read_tsv(resource_dir("data") / "reference" / "instruments.tsv"):
        out[r["code"]] = Instrument(
            code=r["code"],
            short_name=r["short_name"],
            kind=r["kind"],
            protocol_to=r["protocol_to"],
            family=r["family"],
            adopted=int(r["adopted"]),
            opened=int(r["opened"]) if r["opened"] else None,
            in_force=int(r["in_force"]) if r["in_force"] else None,
            table=r["table"],
            label=r["label"],
            alt_labels=tuple(a for a in r["alt_labels"].split("|") if a),
            source=r["source"],
        )
    return out


# --- UPR sessions ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Session:
    number: int
    start: date
    end: date
    cycle: int
    note: str

    @property
    def iri(self) -> NamedNode:
        return session_iri(self.number)


@cache
def upr_sessions() -> dict[int, Session]:
    """The UPR Working Group sessions by number (data/reference/upr-sessions.tsv)."""
    out: dict[int, Session] = {}
    path = resource_dir("data") / "reference" / "upr-sessions.tsv"
    for line, r in enumerate(read_tsv(path), 1):
        try:
            s = Session(
                int(r["session"]),
                date.fromisoformat(r["start"]),
                date.fromisoformat(r["end"]),
                int(r["cycle"]),
                r["note"] or "",
            )
        except (TypeError, ValueError) as exc:
            raise ValueError(
                f"{path}: row {line}: expected session, start and end (YYYY-MM-DD), cycle: {exc}"
            ) from exc
        if s.end < s.start or s.number in out:
            raise ValueError(
                f"{path}: row {line}: session {s.number} ends before it starts or is listed twice"
            )
        out[s.number] = s
    return out


def instrument_for_table(stem: str) -> Instrument | None:
    return next((i for i in instruments().values() if i.table and i.table == stem), None)


# --- states --------------------------------------------------------------------------------


def normalise_name(name: str) -> str:
    """The form used to match state names: case, accents, "&", "St.", apostrophes ignored.

    >>> normalise_name("St. Vincent And The Grenadines")
    'saint vincent and the grenadines'
    >>> normalise_name("Saint Vincent and the Grenadines")
    'saint vincent and the grenadines'
    >>> normalise_name("Democratic People's Republic of Korea")
    'democratic peoples republic of korea'

    A typographic apostrophe is dropped with the accents (NFKD to ASCII) before the
    apostrophes are joined, so the spaces around it stay (the aliases list such spellings):

    >>> normalise_name("Democratic People ’ s Republic of Korea")
    'democratic people s republic of korea'
    """
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()
    text = re.sub(r"\s*['’`]\s*", "", text)
    text = text.replace("&", " and ")
    text = re.sub(r"\bst\b\.?", "saint", text)
    text = re.sub(r"[^a-z0-9]+", " ", text).strip()
    return re.sub(r"^the ", "", text)


@dataclass(frozen=True)
class Alias:
    spelling: str
    iso3: str
    met_in: str


class StateResolver:
    """Resolves a state name as written in a source to an ISO 3166 alpha-3 code.

    >>> r = resolver()
    >>> r.resolve("DPR Korea"), r.resolve("Bolivarian Republic of Venezuela"), r.resolve("Korea")
    ('PRK', 'VEN', None)
    """

    AMBIGUOUS = {"korea": ("KOR", "PRK"), "congo republic": ("COG", "COD")}

    def __init__(self, aliases: Iterable[Alias]) -> None:
        self._index: dict[str, str] = {}
        self._seen: dict[str, str | None] = {}
        self.labels: dict[str, set[str]] = {}
        for c in pycountry.countries:
            for attr in ("name", "official_name", "common_name"):
                value = getattr(c, attr, None)
                if value:
                    self._add(value, c.alpha_3)
        self.aliases = list(aliases)
        for a in self.aliases:
            self._add(a.spelling, a.iso3)

    def _add(self, spelling: str, iso3: str) -> None:
        self._index.setdefault(normalise_name(spelling), iso3)
        self.labels.setdefault(iso3, set()).add(spelling)

    def resolve(self, name: str) -> str | None:
        try:
            return self._seen[name]
        except KeyError:
            pass
        key = normalise_name(name)
        found = None if not key or key in self.AMBIGUOUS else self._index.get(key)
        if len(self._seen) < 100_000:  # names met in the sources: a few thousand
            self._seen[name] = found
        return found

    def is_ambiguous(self, name: str) -> bool:
        return normalise_name(name) in self.AMBIGUOUS


@cache
def resolver() -> StateResolver:
    rows = read_tsv(resource_dir("data") / "reference" / "state-aliases.tsv")
    return StateResolver(Alias(r["spelling"], r["iso3"], r["met_in"]) for r in rows)


# --- the reference graph -------------------------------------------------------------------


@dataclass
class ReferenceFacts:
    """Facts about states gathered from the datasets while building (may be empty)."""

    un_members: set[str]
    regional_groups: dict[str, str]
    derived_from: list[NamedNode]


def reference_quads(facts: ReferenceFacts) -> Iterator[Quad]:
    g = rid("graph", REFERENCE_GRAPH)
    r = resolver()
    yield Quad(g, RDF.type, HR.ReferenceGraph, g)
    yield Quad(g, DCTERMS.title, en("hrkg reference data: states, instruments, UPR sessions"), g)
    yield Quad(g, PROV.wasDerivedFrom, NamedNode("https://pypi.org/project/pycountry/"), g)
    yield Quad(
        g,
        DCTERMS.source,
        lit(
            "ISO 3166-1 (pycountry); data/reference/*.tsv: instruments from the UN Treaty "
            "Collection, ILO NORMLEX, UNESCO and the Council of Europe (the page of each in its "
            "dcterms:source); "
            "the UPR Working Group sessions from OHCHR's calendar, transcribed on 2026-11-30 "
            "(data/reference/upr-sessions.tsv)"
        ),
        g,
    )
    yield Quad(g, PROV.wasDerivedFrom, NamedNode(SESSIONS_SOURCE), g)
    for src in facts.derived_from:
        yield Quad(g, PROV.wasDerivedFrom, src, g)
    for c in sorted(pycountry.countries, key=lambda c: c.alpha_3):
        s = state_iri(c.alpha_3)
        label = OBSERVERS.get(c.alpha_3) or getattr(c, "common_name", None) or c.name
        yield Quad(s, RDF.type, HR.State, g)
        yield Quad(s, RDFS.label, en(label), g)
        yield Quad(s, HR.iso2, lit(c.alpha_2), g)
        yield Quad(s, HR.iso3, lit(c.alpha_3), g)
        for alt in sorted(r.labels.get(c.alpha_3, set()) - {label}):
            yield Quad(s, SKOS.altLabel, en(alt), g)
        if facts.un_members:
            yield Quad(
                s,
                HR.unMember,
                typed("true" if c.alpha_3 in facts.un_members else "false", XSD.boolean),
                g,
            )
        group = facts.regional_groups.get(c.alpha_3)
        if c.alpha_3 in OBSERVERS:
            yield Quad(s, HR.unObserverState, typed("true", XSD.boolean), g)
            group = group or NO_GROUP  # counted as "(no regional group)", not dropped
        if group:
            yield Quad(s, HR.regionalGroup, regional_group_iri(group), g)
    tables = {str(src.value) for src in facts.derived_from}
    for ins in instruments().values():
        s = ins.iri
        yield Quad(s, RDF.type, HR[ins.kind], g)
        yield Quad(s, RDFS.label, en(ins.label), g)
        yield Quad(s, HR.shortName, lit(ins.short_name), g)
        yield Quad(s, HR.instrumentFamily, family_iri(ins.family), g)
        table = rid("source", f"ratification/hr_status_{ins.table}.csv") if ins.table else None
        if table is not None and table.value in tables:
            yield Quad(s, HR.statusTable, table, g)
        yield Quad(s, HR.adoptedYear, typed(ins.adopted, XSD.gYear), g)
        if ins.opened:
            yield Quad(s, HR.openedForSignatureYear, typed(ins.opened, XSD.gYear), g)
        if ins.in_force:
            yield Quad(s, HR.entryIntoForceYear, typed(ins.in_force, XSD.gYear), g)
        if ins.protocol_to:
            yield Quad(s, HR.protocolTo, instrument_iri(ins.protocol_to), g)
        for alt in ins.alt_labels:
            yield Quad(s, SKOS.altLabel, en(alt), g)
        yield Quad(s, DCTERMS.source, NamedNode(ins.source), g)
    for ses in upr_sessions().values():
        s = ses.iri
        yield Quad(s, RDF.type, HR.UPRSession, g)
        yield Quad(
            s,
            RDFS.label,
            en(
                f"UPR Working Group, session {ses.number} "
                f"({ses.start.isoformat()} to {ses.end.isoformat()})"
            ),
            g,
        )
        yield Quad(s, HR.session, typed(ses.number, XSD.integer), g)
        yield Quad(s, HR.cycle, typed(ses.cycle, XSD.integer), g)
        yield Quad(s, HR.startDate, typed(ses.start.isoformat(), XSD.date), g)
        yield Quad(s, HR.endDate, typed(ses.end.isoformat(), XSD.date), g)
        if ses.note:
            yield Quad(s, RDFS.comment, en(ses.note), g)
        yield Quad(s, DCTERMS.source, NamedNode(SESSIONS_SOURCE), g)
    yield Quad(g, DCTERMS.conformsTo, NamedNode(str(HR).rstrip("#")), g)
