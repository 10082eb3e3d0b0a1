"""``ratification-csv``: the ratification status tables of the 18 core instruments.

One file per instrument (``hr_status_<code>.csv``), one row per UN member state, years only,
as of the snapshot the tables were made from (``TABLES_AS_OF``), recorded on each table's
graph with where it comes from (``dcterms:source``, ``dcterms:modified``, PROV). Years are
``hr:year`` (xsd:gYear) and ``hr:yearNumber`` (xsd:integer, for comparisons).
A state party becomes an ``hr:ConsentToBeBound`` (the tables do not say whether by
ratification, accession or succession), a signatory an ``hr:Signature`` (no year given), a
denunciation in the note an ``hr:Denunciation``. The tables' known defects are detected
and reported — as findings in the build summary and as ``hr:qualityIssue`` on the action,
which the shapes report as warnings — never silently loaded as truth.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pycountry
from pyoxigraph import NamedNode, Quad

from hrkg.datasets import manifest
from hrkg.errors import LoaderError
from hrkg.loaders._csv import read_csv
from hrkg.loading import Loader, LoadReport, ReferenceContribution, Source
from hrkg.reference.states import Instrument, instrument_for_table, resolver, state_iri
from hrkg.terms import DCTERMS, HR, PROV, RDF, RDFS, XSD, en, lit, rid, typed

# The tables' snapshot: the date of the pinned commit of their repository (data/MANIFEST.tsv),
# which its authors derived from the UN Treaty Collection.
TABLES_AS_OF = "2022-08-25"
UNTC_CHAPTER_IV = "https://treaties.un.org/Pages/Treaties.aspx?id=4&subid=A&lang=en"
COLUMNS = [
    "iso2",
    "member",
    "state party",
    "year ratification or accession",
    "signatory",
    "no action",
    "status",
]
STATUSES = ("state party", "signatory state", "no action")
# ISO 3166 codes the tables use that ISO has withdrawn or never had.
OLD_CODES = {"TP": "TL"}


def instrument_of(path: Path) -> Instrument:
    m = re.fullmatch(r"hr_status_(\w+)\.csv", path.name)
    ins = instrument_for_table(m.group(1)) if m else None
    if ins is None:
        raise LoaderError(
            path,
            "not a ratification table of a known instrument; expected "
            "hr_status_<code>.csv with a code of data/reference/instruments.tsv",
        )
    return ins


def iso3_of(code: str, name: str) -> tuple[str | None, str | None]:
    """ISO alpha-3 for the table's alpha-2 code, and a problem to report, if any."""
    problem = None
    if code in OLD_CODES:
        problem = f"iso2 {code!r} is not an ISO 3166 code ({name} is {OLD_CODES[code]!r})"
        code = OLD_CODES[code]
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        by_name = resolver().resolve(name)
        return by_name, f"iso2 {code!r} is not an ISO 3166 code; resolved {name!r} by name"
    return country.alpha_3, problem


def un_members(path: Path) -> set[str]:
    """ISO alpha-3 of the states listed in a table (the tables list exactly the UN members)."""
    out = set()
    for _, fields in read_csv(path, COLUMNS, "utf-8"):
        if len(fields) >= 2:
            iso3, _ = iso3_of(fields[0].strip(), fields[1].strip())
            if iso3:
                out.add(iso3)
    return out


class RatificationCsvLoader(Loader):
    name = "ratification-csv"
    version = "1"
    description = "Ratification status tables: signatures, consents to be bound, denunciations"
    patterns = ("ratification/hr_status_*.csv",)

    def reference_facts(self, source: Source) -> ReferenceContribution:
        """Each table lists the UN members: a membership table."""
        return ReferenceContribution(members=frozenset(un_members(source.path)))

    def load(self, source: Source, report: LoadReport) -> Iterator[Quad]:
        ins = instrument_of(source.path)
        yield from self.describe_source(source)
        yield from self._describe_table(source, ins)
        seen: set[str] = set()
        for line, fields in read_csv(source.path, COLUMNS, "utf-8"):
            report.rows += 1
            if len(fields) not in (7, 8):
                report.error(f"expected 7 or 8 fields, found {len(fields)}; row skipped", line)
                continue
            yield from self._row(
                ins, [f.strip() for f in fields] + [""], line, source, report, seen
            )

    def _row(
        self,
        ins: Instrument,
        f: list[str],
        line: int,
        source: Source,
        report: LoadReport,
        seen: set[str],
    ) -> Iterator[Quad]:
        code, name, party, year, signatory, no_action, status, note = f[:8]
        iso3, problem = iso3_of(code, name)
        issues: list[str] = []
        if iso3 is None:
            report.not_mapped("iso2", code)
            report.error(f"state {code!r} ({name!r}) not known; row skipped", line)
            return
        if problem:
            report.warn(problem, line)
            issues.append(problem)
        if iso3 in seen:
            report.error(f"{name} ({iso3}) listed twice; row skipped", line)
            return
        seen.add(iso3)
        if resolver().resolve(name) not in (iso3, None):
            report.warn(f"name {name!r} does not match code {code!r}", line)
        if status not in STATUSES:
            report.not_mapped("status", status)
            report.error(
                f"status {status!r} is not one of {', '.join(STATUSES)}; row skipped", line
            )
            return
        flags = (party, signatory, no_action)
        expected = tuple("1" if s == status else "0" for s in STATUSES)
        if flags != expected:
            msg = (
                f"flags (state party, signatory, no action) = {','.join(flags)} disagree "
                f"with status {status!r}; the status column is taken"
            )
            report.warn(msg, line)
            issues.append(msg)
        if year and not re.fullmatch(r"(19|20)\d\d", year):
            report.not_mapped("year", year)
            report.error(f"year {year!r} is not a year; row skipped", line)
            return
        if year and status != "state party":
            msg = f"year {year} given for a state whose status is {status!r}; year not used"
            report.warn(msg, line)
            issues.append(msg)
        if re.search(r"tied to (the )?UK", note, re.I):
            msg = (
                f"note says {note!r}: consent may be by succession or through another "
                "state's act; the table's year and kind are doubtful"
            )
            report.warn(msg, line)
            issues.append(msg)

        g = source.graph
        state = state_iri(iso3)
        denounced = re.search(r"Denounced[^0-9]*((?:19|20)\d\d)", note)
        if status == "state party" or denounced:
            s = rid("treaty-action", iso3, ins.code, "consent")
            yield from self._action(s, HR.ConsentToBeBound, state, ins, g, source, line)
            if year and status == "state party" or denounced and year:
                y = int(year)
                yield Quad(s, HR.year, typed(y, XSD.gYear), g)
                yield Quad(s, HR.yearNumber, typed(y, XSD.integer), g)
                if y < ins.adopted:
                    msg = f"consent year {y} is before {ins.short_name} was adopted ({ins.adopted})"
                    report.warn(msg, line)
                    issues.append(msg)
                elif ins.opened and ins.in_force and y == ins.opened and ins.in_force - y >= 3:
                    msg = (
                        f"consent year {y} is the year {ins.short_name} opened for signature, "
                        f"{ins.in_force - y} years before it entered into force: it may be the "
                        "signature year"
                    )
                    report.warn(msg, line)
                    issues.append(msg)
            elif status == "state party":
                msg = "state party without a year"
                report.warn(msg, line)
                issues.append(msg)
            report.made["hr:ConsentToBeBound"] += 1
            if note and not denounced:
                yield Quad(s, RDFS.comment, en(note), g)
            for issue in issues:
                yield Quad(s, HR.qualityIssue, lit(issue), g)
        if denounced:
            d = rid("treaty-action", iso3, ins.code, "denunciation")
            yield from self._action(d, HR.Denunciation, state, ins, g, source, line)
            yield Quad(d, HR.year, typed(denounced.group(1), XSD.gYear), g)
            yield Quad(d, HR.yearNumber, typed(int(denounced.group(1)), XSD.integer), g)
            yield Quad(d, RDFS.comment, en(note), g)
            report.made["hr:Denunciation"] += 1
        if status == "signatory state":
            s = rid("treaty-action", iso3, ins.code, "signature")
            yield from self._action(s, HR.Signature, state, ins, g, source, line)
            if note:
                yield Quad(s, RDFS.comment, en(note), g)
            for issue in issues:
                yield Quad(s, HR.qualityIssue, lit(issue), g)
            report.made["hr:Signature"] += 1
        if status == "no action" and not denounced:
            report.made["no action (no triples)"] += 1

    @staticmethod
    def _describe_table(source: Source, ins: Instrument) -> Iterator[Quad]:
        """Where the table comes from and as of when: on its graph."""
        g = source.graph
        origin = next((e for e in manifest() if e.path == source.relpath), None)
        if origin is not None:
            yield Quad(
                g,
                DCTERMS.source,
                NamedNode(
                    f"https://github.com/{origin.origin_repository}/blob/{origin.origin_commit}/"
                    f"{origin.origin_path}"
                ),
                g,
            )
        yield Quad(g, DCTERMS.modified, typed(TABLES_AS_OF, XSD.date), g)
        yield Quad(g, PROV.wasDerivedFrom, NamedNode(UNTC_CHAPTER_IV), g)
        yield Quad(
            g,
            DCTERMS.description,
            en(
                f"Status of every UN member state with respect to {ins.short_name} (party, "
                f"signatory, no action; the year of consent) as of {TABLES_AS_OF}, the snapshot "
                "its authors derived from the UN Treaty Collection"
            ),
            g,
        )

    @staticmethod
    def _action(
        s: NamedNode,
        cls: NamedNode,
        state: NamedNode,
        ins: Instrument,
        g: NamedNode,
        source: Source,
        line: int,
    ) -> Iterator[Quad]:
        yield Quad(s, RDF.type, cls, g)
        yield Quad(s, HR.state, state, g)
        yield Quad(s, HR.instrument, ins.iri, g)
        yield Quad(s, PROV.wasDerivedFrom, source.iri, g)
        yield Quad(s, HR.sourceLine, typed(line, XSD.integer), g)
