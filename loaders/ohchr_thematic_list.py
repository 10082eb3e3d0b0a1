"""``ohchr-thematic-list``: OHCHR's "Thematic list of recommendations" of a UPR review (the
Word table OHCHR publishes, or its text rendering in Markdown), read by
:mod:`hrkg.loaders.thematic_list`.

Each recommendation is the node of its paragraph, ``…/recommendation/upr/<session>/<ISO3>/
para-<paragraph>``: the IRI the Working Group report and its addendum give it (where the UPR
Info export holds the review, the list's words are matched to UPR Info's recommendations
instead, as the report's are). In the list's graph: the paragraph, the recommending states,
the position with the document and paragraph that give it, the themes (scheme
``hr:OHCHRThemes``), the SDGs (``hr:SDGs``), the groups of persons (``hr:AffectedPersons``),
the row of the table. The words are the report's where the report is in the data directory
(one node, one ``hr:text``); the list's words are checked against them and any difference
reported. Its positions are checked against the addendum's and the report's, which come
first; a disagreement is reported where it is, never silently resolved.

A theme, SDG or group the schemes (``ontology/ohchr-schemes.ttl``) do not hold is made a
concept in the list's graph and reported.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from pyoxigraph import NamedNode, Quad

from hrkg.errors import LoaderError
from hrkg.loaders.ohchr_upr import (
    ReviewReading,
    document_iri,
    paragraph_iri,
    positions_above,
    read_review,
    un_documents,
)
from hrkg.loaders.thematic_list import Entry, ThematicList, read
from hrkg.loaders.upr_report import upr_info_index
from hrkg.loading import Loader, LoadReport, Source
from hrkg.reference.ohchr_schemes import concept_for, persons_iri, sdg_iri, sdg_labels, theme_iri
from hrkg.reference.states import instrument_iri, resolver, state_iri
from hrkg.reference.upr import RESPONSES, cycle_of, review_iri, review_quads
from hrkg.terms import DCTERMS, HR, PROV, RDF, SKOS, XSD, en, lit, normalise_text, rid, typed
from hrkg.text.mentions import instruments_mentioned
from hrkg.text.reconcile import Candidate, match

__all__ = ["OhchrThematicListLoader", "list_document_iri", "report_symbol_of"]

LIST_TYPE = "thematic list of recommendations"


def list_document_iri(session: int, iso3: str) -> NamedNode:
    return rid("document", "ohchr", "thematic-list", session, iso3)


def report_symbol_of(lst: ThematicList) -> str | None:
    """The Working Group report the list's "Source of Position" lines refer to."""
    symbols = sorted({e.source_symbol.split("/Add.")[0] for e in lst.entries if e.source_symbol})
    return symbols[0] if len(symbols) == 1 else None


def _tidy(words: str) -> str:
    """OHCHR's spaced apostrophes and hyphens: "Slovenia ’ s", "custom ‑ designed"."""
    return (
        words.replace(" \u2011 ", "\u2011")
        .replace(" \u2019 ", "\u2019")
        .replace("\u2019 s ", "\u2019s ")
    )


class OhchrThematicListLoader(Loader):
    name = "ohchr-thematic-list"
    version = "1"
    description = (
        "OHCHR thematic lists of UPR recommendations (DOCX, or its Markdown "
        "rendering): positions, themes, SDGs, groups of persons"
    )
    patterns = ("ohchr-upr/*.docx", "ohchr-thematic-list/*.docx", "ohchr-thematic-list/*.md")

    def load(self, source: Source, report: LoadReport) -> Iterator[Quad]:
        yield from self.describe_source(source)
        res = resolver()
        try:
            lst = read(source.path, res.resolve)
        except LoaderError as exc:
            report.error(str(exc).removeprefix(f"{source.path}: "), exc.line)
            report.not_mapped("file", source.relpath)
            return
        for problem in lst.problems:
            if problem.message.startswith(("table", "unknown column")):
                report.error(problem.message, problem.row)
            else:
                report.warn(problem.message, problem.row)
        iso3 = res.resolve(lst.state_written or "")
        if iso3 is None or lst.session is None:
            report.error(
                f"the state under review {lst.state_written!r} is not a known state "
                "(data/reference/state-aliases.tsv); nothing loaded"
            )
            return
        session = lst.session
        if lst.cycle is not None and lst.cycle != cycle_of(session):
            report.warn(
                f"the list says cycle {lst.cycle}; session {session} is of cycle "
                f"{cycle_of(session)}"
            )
        report.rows = len(lst.entries)
        g = source.graph
        yield from review_quads(session, iso3, g)
        doc = list_document_iri(session, iso3)
        review = review_iri(session, iso3)
        yield Quad(doc, RDF.type, HR.Document, g)
        yield Quad(
            doc,
            DCTERMS.title,
            en(f"Thematic list of recommendations: UPR of {lst.state_written}, session {session}"),
            g,
        )
        yield Quad(doc, HR.documentType, lit(LIST_TYPE), g)
        yield Quad(doc, HR.review, review, g)
        yield Quad(review, HR.reviewDocument, doc, g)
        yield Quad(doc, PROV.wasDerivedFrom, source.iri, g)
        reading = self._reading(source, lst, session, iso3, report)
        nodes = self._nodes(source.root, lst, session, iso3, reading, report)
        above = positions_above(source.root, reading, "list") if reading else {}
        words_of = self._report_words(reading)
        state = _Made()
        present = set(un_documents(source.root))
        for entry in lst.entries:
            node = nodes.get(entry.paragraph)
            if node is None:
                continue
            yield from self._entry(
                source, entry, node, review, words_of, above, present, state, report
            )
        report.made["thematic list entries"] += len(lst.entries)

    # --- placing the list --------------------------------------------------------------------

    def _reading(
        self, source: Source, lst: ThematicList, session: int, iso3: str, report: LoadReport
    ) -> ReviewReading | None:
        """The report of the review, where the data directory has it."""
        symbol = report_symbol_of(lst)
        path = un_documents(source.root).get(symbol) if symbol else None
        if path is None:
            report.warn(
                f"the report {symbol or '(not named)'} is not under ohchr-upr/: the "
                "list's words are the recommendations' hr:text"
            )
            return None
        try:
            reading = read_review(source.root, path)
        except LoaderError as exc:
            report.warn(
                f"the report {symbol} cannot be read ({exc}): the list's words are the "
                "recommendations' hr:text"
            )
            return None
        if (reading.session, reading.iso3) != (session, iso3):
            report.error(
                f"the list is of session {session}, {iso3}; its report {symbol} of "
                f"session {reading.session}, {reading.iso3}: the report is not used"
            )
            return None
        return reading

    def _nodes(
        self,
        root: Path,
        lst: ThematicList,
        session: int,
        iso3: str,
        reading: ReviewReading | None,
        report: LoadReport,
    ) -> dict[str, NamedNode]:
        """Paragraph → node: the paragraph's own IRI; where UPR Info holds the review, the
        UPR Info recommendation the entry's words match."""
        cands = upr_info_index(root).get((session, iso3), [])
        if not cands:
            return {e.paragraph: paragraph_iri(session, iso3, e.paragraph) for e in lst.entries}
        res = resolver()
        items: list[Candidate[str]] = [
            Candidate(
                e.paragraph,
                e.text,
                frozenset(filter(None, (res.resolve(s) for s in e.states_written))),
            )
            for e in lst.entries
        ]
        matches, lone, _ = match(items, cands)
        out = {lst.entries[m.item].paragraph: cands[m.candidate].key for m in matches}
        for i in lone:
            entry = lst.entries[i]
            report.warn(
                f"{entry.paragraph}: no UPR Info recommendation of the review has "
                "these words; the paragraph's own node is used",
                entry.row,
            )
            out[entry.paragraph] = paragraph_iri(session, iso3, entry.paragraph)
        return out

    @staticmethod
    def _report_words(reading: ReviewReading | None) -> dict[str, str]:
        if reading is None:
            return {}
        out: dict[str, list[str]] = {}
        for item in reading.text.report.items:
            out.setdefault(item.paragraph, []).append(item.text)
        return {p: "; ".join(w) for p, w in out.items()}

    # --- one entry ---------------------------------------------------------------------------

    def _entry(
        self,
        source: Source,
        entry: Entry,
        node: NamedNode,
        review: NamedNode,
        words_of: dict[str, str],
        above: dict[str, tuple[NamedNode, str]],
        present: set[str],
        made: _Made,
        report: LoadReport,
    ) -> Iterator[Quad]:
        g, res = source.graph, resolver()
        words = _tidy(entry.text)
        yield Quad(node, RDF.type, HR.Recommendation, g)
        yield Quad(node, HR.review, review, g)
        yield Quad(node, HR.paragraph, lit(entry.paragraph), g)
        reported = words_of.get(entry.paragraph)
        if not words_of:
            yield Quad(node, HR.text, lit(words), g)
            for code in instruments_mentioned(words):
                yield Quad(node, HR.mentionsInstrument, instrument_iri(code), g)
        elif reported is None:
            report.warn(f"{entry.paragraph} is not a paragraph of the report", entry.row)
            yield Quad(node, HR.text, lit(words), g)
        elif normalise_text(reported) != normalise_text(words):
            message = (
                f"{entry.paragraph}: the list's words differ from the report's: "
                f"list {words!r}; report {reported!r}"
            )
            report.warn(message, entry.row)
            yield Quad(node, HR.qualityIssue, lit(message), g)
        review_iso3 = review.value.rsplit("/", 1)[1]
        for written in entry.states_written:
            iso = res.resolve(written)
            if iso is None or iso == review_iso3:
                why = "is the state under review" if iso else "is not a known state"
                report.warn(
                    f"{entry.paragraph}: recommending state {written!r} {why}; kept as written",
                    entry.row,
                )
                report.not_mapped("recommending state", written)
                yield Quad(node, HR.recommenderAsWritten, lit(written), g)
            else:
                yield Quad(node, HR.recommendingState, state_iri(iso), g)
        if not entry.states_written:
            yield Quad(node, HR.recommenderAsWritten, lit("(not named in the list)"), g)
        yield from self._position(entry, node, above, present, made, g, report)
        yield from self._concepts(entry, node, g, made, report)
        yield Quad(node, PROV.wasDerivedFrom, source.iri, g)
        row = HR.sourceRow if source.path.suffix.lower() == ".docx" else HR.sourceLine
        yield Quad(node, row, typed(entry.row, XSD.integer), g)

    def _position(
        self,
        entry: Entry,
        node: NamedNode,
        above: dict[str, tuple[NamedNode, str]],
        present: set[str],
        made: _Made,
        g: NamedNode,
        report: LoadReport,
    ) -> Iterator[Quad]:
        if entry.position is None:
            return
        response = RESPONSES.get(entry.position.lower())
        if response is None:
            report.warn(
                f"{entry.paragraph}: position {entry.position!r} is not Supported or "
                "Noted; not read",
                entry.row,
            )
            report.not_mapped("position", entry.position)
            return
        where = (entry.source_symbol or "(no source)") + (
            f" paragraph {entry.source_paragraph}" if entry.source_paragraph else ""
        )
        higher = above.get(node.value)
        if higher and higher[0] != response:
            said = {HR.Supported: "supported", HR.Noted: "noted"}
            message = (
                f"{entry.paragraph}: the list says {entry.position.lower()} ({where}), "
                f"{higher[1]} says {said.get(higher[0], higher[0].value)}: the latter "
                "is kept"
            )
            report.warn(message, entry.row)
            report.made["list positions that disagree with the addendum or report"] += 1
            yield Quad(node, HR.qualityIssue, lit(message), g)
            return
        report.made[f"position {entry.position}"] += 1
        yield Quad(node, HR.response, response, g)
        if higher and higher[1] != where:
            # the same position, cited from another paragraph: the list's citation is the
            # doubtful fact (a position has one source), kept as a quality issue
            message = (
                f"{entry.paragraph}: the list gives its position as {where}; it is {higher[1]}"
            )
            report.warn(message, entry.row)
            report.made["list citations of a position that differ from the source"] += 1
            yield Quad(node, HR.qualityIssue, lit(message), g)
            return
        if entry.source_symbol not in present:
            # hr:positionSource names a document of the graph; this one is not in it
            if entry.source_symbol and made.once(f"absent {entry.source_symbol}"):
                report.warn(
                    f"the list cites {entry.source_symbol}, which is not under "
                    "ohchr-upr/ in the data directory: its positions are kept without "
                    "their source"
                )
            return
        yield Quad(node, HR.positionSource, document_iri(entry.source_symbol), g)
        if entry.source_paragraph:
            yield Quad(node, HR.positionParagraph, lit(entry.source_paragraph), g)

    def _concepts(
        self, entry: Entry, node: NamedNode, g: NamedNode, made: _Made, report: LoadReport
    ) -> Iterator[Quad]:
        for label in entry.themes:
            concept = concept_for("theme", label)
            iri = concept.iri if concept else theme_iri(label)
            if concept is None:
                yield from made.concept(iri, label, HR.OHCHRThemes, g, report, "theme")
            yield Quad(node, HR.theme, iri, g)
        for label in entry.persons:
            concept = concept_for("persons", label)
            iri = concept.iri if concept else persons_iri(label)
            if concept is None:
                yield from made.concept(
                    iri, label, HR.AffectedPersons, g, report, "group of persons"
                )
            yield Quad(node, HR.affectedPersons, iri, g)
        goals = sdg_labels()
        for sdg in entry.sdgs:
            iri = sdg_iri(sdg.code)
            if sdg.target:
                yield from made.concept(
                    iri,
                    f"{sdg.code} - {sdg.label}",
                    HR.SDGs,
                    g,
                    None,
                    "SDG target",
                    broader=sdg_iri(str(sdg.goal)),
                )
            elif sdg.label.casefold() != goals[sdg.goal].casefold() and made.once(sdg.code):
                report.warn(
                    f"SDG {sdg.goal} is written {sdg.label!r}; its name is {goals[sdg.goal]!r}"
                )
            yield Quad(node, HR.sdg, iri, g)


class _Made:
    """The concepts the list's graph has made (each once), and warnings given once."""

    def __init__(self) -> None:
        self.seen: set[str] = set()

    def once(self, key: str) -> bool:
        if key in self.seen:
            return False
        self.seen.add(key)
        return True

    def concept(
        self,
        iri: NamedNode,
        label: str,
        scheme: NamedNode,
        g: NamedNode,
        report: LoadReport | None,
        what: str,
        broader: NamedNode | None = None,
    ) -> Iterator[Quad]:
        if not self.once(iri.value):
            return
        if report is not None:
            report.warn(
                f"{what} {label!r} is not in ontology/ohchr-schemes.ttl "
                "(data/reference/ohchr-concepts.tsv): made a concept of this list"
            )
            report.not_mapped(what, label)
        yield Quad(iri, RDF.type, SKOS.Concept, g)
        yield Quad(iri, SKOS.prefLabel, en(label), g)
        yield Quad(iri, SKOS.inScheme, scheme, g)
        if broader is not None:
            yield Quad(iri, SKOS.broader, broader, g)
