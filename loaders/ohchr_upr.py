"""``ohchr-upr``: the UN documents of UPR reviews as the UN issues them (PDF), one review to a
folder (``ohchr-upr/<state>/<cycle>/``; any file name: each document is known by the symbol
on its first page).

- **Working Group report** (A/HRC/<n>/<n>): the review (state, session, cycle, date,
  symbol) and every recommendation by paragraph, with its words, recommending states, the
  report's group, the page it is on. Where the UPR Info export holds the review (sessions
  1–20) the report's items are matched to UPR Info's recommendations as the ``upr-report``
  loader matches them (:func:`hrkg.text.reconcile.match`) and the report's facts go on UPR Info's
  nodes; otherwise each paragraph is one node, ``…/recommendation/upr/<session>/<ISO3>/
  para-<paragraph>``, the IRI the addendum and the thematic list give it too. A
  recommendation a state made in the previous review of the same state in nearly the same
  words (:func:`hrkg.text.reconcile.similar`) is linked to it: ``hr:repeats``.
- **Addendum** (…/Add.1): each recommendation's position (``hr:response``), the addendum's
  category (accepted; already implemented or in the process of implementation; noted), the
  paragraph that says it (``hr:positionSource``, ``hr:positionParagraph``). Its counts are
  checked against what its paragraph 2 claims.
- **Decision** (A/HRC/DEC/…): the day the Council adopted the outcome (``hr:adoptionDate``).
- **National report, UN compilation, stakeholders' summary** (A/HRC/WG.6/…/1–3): an
  ``hr:Document`` each, with its text and the states and instruments it names as
  ``hr:Mention`` s with character offsets (:func:`hrkg.text.docentities.extract`).

Every document is an ``hr:Document`` (``id/document/un/<symbol>``) with its symbol, type,
date of issue and review, and the review links it (``hr:reviewDocument``).

One node, several sources: a position is asserted by the most direct source that gives it,
UPR Info (where it holds the review) before the addendum, the addendum before the report's
grouping, all of them before the thematic list; a source that disagrees with one above it
does not assert its position (a node has one ``hr:response``) but says where, as a finding
and an ``hr:qualityIssue``. A file that cannot be read is an error of that file only.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from pyoxigraph import NamedNode, Quad

from hrkg.errors import LoaderError
from hrkg.loaders.ohchr_documents import (
    Positions,
    ReportText,
    UNDocument,
    content_of,
    read_addendum,
    read_decision,
    read_document,
    read_report,
)
from hrkg.loaders.upr_report import GROUPS, Reconciled, reconcile_report, upr_info_index
from hrkg.loading import Loader, LoadReport, Source, recommendation_index
from hrkg.reference.states import instrument_iri, resolver, state_iri
from hrkg.reference.upr import review_iri, review_quads
from hrkg.terms import DCTERMS, HR, PROV, RDF, XSD, en, lit, rid, slug, typed
from hrkg.text.docentities import extract
from hrkg.text.mentions import instruments_mentioned
from hrkg.text.reconcile import Candidate, similar

__all__ = [
    "OhchrUprLoader",
    "ReviewReading",
    "read_review",
    "un_documents",
    "document_iri",
    "paragraph_iri",
    "positions_above",
    "upr_info_responses",
    "addendum_of",
    "previous_review",
    "RESPONSE",
    "CATEGORY",
]

RESPONSE = {"supported": HR.Supported, "noted": HR.Noted}
CATEGORY = {
    "accepted": HR.CategoryAccepted,
    "implemented": HR.CategoryImplemented,
    "noted": HR.CategoryNoted,
}


def document_iri(symbol: str) -> NamedNode:
    """``A/HRC/59/15/Add.1`` → ``…/id/document/un/A/HRC/59/15/Add.1``."""
    return rid("document", "un", *symbol.split("/"))


def paragraph_iri(session: int, iso3: str, paragraph: str) -> NamedNode:
    return rid("recommendation", "upr", session, iso3, f"para-{paragraph}")


# --- where a review's documents are --------------------------------------------------------


def _masthead(path: Path) -> str | None:
    return _masthead_of(str(path), path.stat().st_size, path.stat().st_mtime_ns)


@cache
def _masthead_of(path_s: str, size: int, mtime: int) -> str | None:
    try:
        return read_document(Path(path_s)).symbol
    except LoaderError:
        return None


def un_documents(root: Path) -> dict[str, Path]:
    """Symbol → PDF, for every readable UN document under ``root/ohchr-upr``."""
    out: dict[str, Path] = {}
    for p in sorted((root / "ohchr-upr").rglob("*.pdf")):
        symbol = _masthead(p)
        if symbol:
            out.setdefault(symbol, p)
    return out


def addendum_of(report_symbol: str) -> str:
    return f"{report_symbol}/Add.1"


# --- one review as its report (and UPR Info) give it ---------------------------------------


@dataclass
class ReviewReading:
    """A review read from its Working Group report: where it is, its recommendations and
    their nodes."""

    path: Path
    text: ReportText
    rec: Reconciled
    held_by_upr_info: bool
    nodes: dict[str, list[NamedNode]] = field(default_factory=dict)  # paragraph → nodes

    @property
    def session(self) -> int:
        assert self.text.report.session is not None
        return self.text.report.session

    @property
    def iso3(self) -> str:
        return self.rec.iso3

    @property
    def review(self) -> NamedNode:
        return review_iri(self.session, self.iso3)

    def group_of(self, paragraph: str) -> tuple[str, str]:
        """(group, the report's paragraph that announces it) of a recommendation."""
        top = paragraph.split(".")[0]
        return self.text.report.groups.get(top, ("made", ""))[0], top


def read_review(root: Path, report: Path) -> ReviewReading:
    """The report of a review, read and placed (cached: the addendum, the decision and the
    thematic list of the review read it too). Raises LoaderError naming the report."""
    st = report.stat()
    return _read_review(str(root), str(report), st.st_size, st.st_mtime_ns)


@cache
def _read_review(root_s: str, path_s: str, size: int, mtime: int) -> ReviewReading:
    root, path = Path(root_s), Path(path_s)
    res = resolver()
    text = read_report(path, res.resolve)
    alone = reconcile_report(text.report, path, None)
    held = bool(upr_info_index(root).get((alone.session, alone.iso3)))
    rec = reconcile_report(text.report, path, root) if held else alone
    reading = ReviewReading(path, text, rec, held)
    for item, iri in zip(text.report.items, rec.iris, strict=True):
        node = iri if held else paragraph_iri(reading.session, rec.iso3, item.paragraph)
        nodes = reading.nodes.setdefault(item.paragraph, [])
        if node not in nodes:
            nodes.append(node)
    return reading


def _addendum_positions(root: Path, reading: ReviewReading) -> tuple[UNDocument, Positions] | None:
    symbol = reading.rec.symbol
    path = un_documents(root).get(addendum_of(symbol)) if symbol else None
    if path is None:
        return None
    try:
        doc = read_document(path)
    except LoaderError:
        return None
    return doc, read_addendum(doc, list(reading.text.report.groups))


def upr_info_responses(root: Path) -> dict[str, NamedNode]:
    """UPR Info recommendation IRI → its response, for the export under ``root``."""
    return {r.iri.value: r.response for r in recommendation_index(root) if r.response is not None}


def positions_above(
    root: Path, reading: ReviewReading, level: str
) -> dict[str, tuple[NamedNode, str]]:
    """Node IRI → (response, who says it) from the sources above ``level`` ("addendum",
    "report" or "list"): UPR Info (where it holds the review), then the addendum, then the
    report's grouping."""
    out: dict[str, tuple[NamedNode, str]] = {}
    if reading.held_by_upr_info:
        responses = upr_info_responses(root)
        for nodes in reading.nodes.values():
            for node in nodes:
                if node.value in responses:
                    out[node.value] = (responses[node.value], "UPR Info")
    if level in ("report", "list"):
        found = _addendum_positions(root, reading)
        if found:
            doc, positions = found
            for paragraph, pos in positions.by_paragraph.items():
                for node in reading.nodes.get(paragraph, []):
                    out.setdefault(
                        node.value,
                        (RESPONSE[pos.response], f"{doc.symbol} paragraph {pos.paragraph}"),
                    )
    if level == "list" and not reading.held_by_upr_info:
        for paragraph, nodes in reading.nodes.items():
            group, top = reading.group_of(paragraph)
            if group in RESPONSE:
                for node in nodes:
                    out.setdefault(
                        node.value, (RESPONSE[group], f"{reading.rec.symbol} paragraph {top}")
                    )
    return out


def previous_review(root: Path, reading: ReviewReading) -> ReviewReading | None:
    """The latest earlier review of the same state whose report is under ohchr-upr/."""
    best = None
    for symbol, path in sorted(un_documents(root).items()):
        if symbol == reading.rec.symbol or not re.fullmatch(r"A/HRC/\d+/\d+", symbol):
            continue
        try:
            other = read_review(root, path)
        except LoaderError:
            continue
        if (
            other.iso3 == reading.iso3
            and other.session < reading.session
            and (best is None or other.session > best.session)
        ):
            best = other
    return best


def _candidates(reading: ReviewReading) -> list[Candidate]:
    return [
        Candidate(n, item.text, reading.rec.states[n])
        for n, item in enumerate(reading.text.report.items)
    ]


def _node_of(reading: ReviewReading, n: int) -> NamedNode:
    if reading.held_by_upr_info:
        return reading.rec.iris[n]
    return reading.nodes[reading.text.report.items[n].paragraph][0]


def _local(message: str, source: Source) -> str:
    return re.sub(rf"^{re.escape(str(source.path))}(?::\d+)?:\s*", "", message)


class OhchrUprLoader(Loader):
    name = "ohchr-upr"
    version = "1"
    description = (
        "UN documents of UPR reviews (PDF): Working Group reports, addenda with "
        "positions, Council decisions, national reports, compilations, summaries"
    )
    patterns = ("ohchr-upr/*.pdf",)

    def load(self, source: Source, report: LoadReport) -> Iterator[Quad]:
        yield from self.describe_source(source)
        try:
            doc = read_document(source.path)
        except LoaderError as exc:
            report.error(_local(str(exc), source))
            report.not_mapped("file", source.relpath)
            return
        for note in doc.notes:
            report.warn(note)
        first = un_documents(source.root).get(doc.symbol)
        if first is not None and first != source.path:
            report.warn(
                f"{first.relative_to(source.root)} is {doc.symbol} too: the same "
                "document twice, both read"
            )
        report.rows += 1
        try:
            if doc.kind == "report":
                yield from self._report(source, doc, report)
            elif doc.kind == "addendum":
                yield from self._addendum(source, doc, report)
            elif doc.kind == "decision":
                yield from self._decision(source, doc, report)
            else:
                yield from self._review_document(source, doc, report)
        except LoaderError as exc:
            report.error(_local(str(exc), source))

    # --- every document --------------------------------------------------------------------

    def _document(
        self, source: Source, doc: UNDocument, session: int, iso3: str, report: LoadReport
    ) -> Iterator[Quad]:
        g, d = source.graph, document_iri(doc.symbol)
        yield from review_quads(session, iso3, g)
        yield Quad(d, RDF.type, HR.Document, g)
        yield Quad(d, HR.symbol, lit(doc.symbol), g)
        yield Quad(d, DCTERMS.title, en(f"{doc.title} ({doc.symbol})"), g)
        yield Quad(d, HR.documentType, lit(doc.document_type), g)
        if doc.issued:
            yield Quad(d, HR.date, typed(doc.issued.isoformat(), XSD.date), g)
        yield Quad(d, HR.review, review_iri(session, iso3), g)
        yield Quad(review_iri(session, iso3), HR.reviewDocument, d, g)
        yield Quad(d, DCTERMS.source, NamedNode(f"https://undocs.org/{doc.symbol}"), g)
        yield Quad(d, PROV.wasDerivedFrom, source.iri, g)
        report.made[f"hr:Document ({doc.document_type})"] += 1

    def _reading(self, source: Source, report_symbol: str, what: str) -> ReviewReading:
        path = un_documents(source.root).get(report_symbol)
        if path is None:
            raise LoaderError(
                source.path,
                f"its report {report_symbol} is not under ohchr-upr/ "
                f"in the data directory: {what} cannot be placed",
            )
        try:
            return read_review(source.root, path)
        except LoaderError as exc:
            raise LoaderError(
                source.path,
                f"its report {report_symbol} cannot be read ({exc}): {what} cannot be placed",
            ) from None

    # --- the Working Group report ------------------------------------------------------------

    def _report(self, source: Source, doc: UNDocument, report: LoadReport) -> Iterator[Quad]:
        reading = read_review(source.root, source.path)
        rep, rec, g = reading.text.report, reading.rec, source.graph
        if rec.symbol and rec.symbol != doc.symbol:
            report.warn(f"the report's text names {rec.symbol}; its masthead {doc.symbol}")
        for problem in rep.problems:
            report.warn(problem.message)
        yield from self._document(source, doc, reading.session, reading.iso3, report)
        review = reading.review
        yield Quad(review, HR.reportSymbol, lit(doc.symbol), g)
        if rep.review_date:
            yield Quad(review, HR.date, typed(rep.review_date.isoformat(), XSD.date), g)
        report.rows = len(rep.items)
        if reading.held_by_upr_info:
            yield from self._matched_items(source, reading, report)
        else:
            yield from self._paragraphs(source, reading, doc, report)
        yield from self._repeats(source, reading, report)

    def _repeats(
        self, source: Source, reading: ReviewReading, report: LoadReport
    ) -> Iterator[Quad]:
        """``hr:repeats``: this review's recommendations that a state made in the previous
        review of the same state too, in nearly the same words
        (:func:`hrkg.text.reconcile.similar`)."""
        earlier = previous_review(source.root, reading)
        if earlier is None:
            return
        pairs = {
            (_node_of(reading, m.item).value, _node_of(earlier, m.candidate).value)
            for m in similar(_candidates(reading), _candidates(earlier))
        }
        for later, before in sorted(pairs):
            yield Quad(NamedNode(later), HR.repeats, NamedNode(before), source.graph)
        report.made[f"hr:repeats (a recommendation of session {earlier.session} again)"] += len(
            pairs
        )

    def _states(
        self, source: Source, reading: ReviewReading, n: int, node: NamedNode, report: LoadReport
    ) -> Iterator[Quad]:
        item = reading.text.report.items[n]
        for iso in sorted(reading.rec.states[n]):
            yield Quad(node, HR.recommendingState, state_iri(iso), source.graph)
        for written, why in reading.rec.as_written[n]:
            report.warn(f"{item.paragraph}: recommending state {written!r} {why}; kept as written")
            report.not_mapped("recommending state", written)
            yield Quad(node, HR.recommenderAsWritten, lit(written), source.graph)

    def _matched_items(
        self, source: Source, reading: ReviewReading, report: LoadReport
    ) -> Iterator[Quad]:
        """A review UPR Info holds: the report's facts on UPR Info's nodes, as ``upr-report``
        puts them; the items UPR Info lacks on nodes of their own."""
        g, rep, rec = source.graph, reading.text.report, reading.rec
        matched = {m.item for m in rec.matches}
        twin = _text_twin(source.root, reading)
        for n, (item, node) in enumerate(zip(rep.items, rec.iris, strict=True)):
            yield Quad(node, RDF.type, HR.Recommendation, g)
            yield Quad(node, HR.review, reading.review, g)
            yield Quad(node, HR.reportText, lit(item.text), g)
            yield Quad(node, HR.paragraph, lit(item.paragraph), g)
            yield Quad(node, HR.reportGroup, GROUPS[item.group], g)
            yield from self._states(source, reading, n, node, report)
            if n not in matched:
                if twin:
                    report.warn(
                        f"{item.paragraph}: only in the report; its hr:text comes from "
                        f"the text of the same report (upr-reports/txt/{twin.name})"
                    )
                else:
                    yield Quad(node, HR.text, lit(item.text), g)
                    for code in instruments_mentioned(item.text):
                        yield Quad(node, HR.mentionsInstrument, instrument_iri(code), g)
                if not item.states_written:
                    yield Quad(node, HR.recommenderAsWritten, lit("(not named in the report)"), g)
            yield Quad(node, PROV.wasDerivedFrom, source.iri, g)
            yield Quad(node, HR.sourcePage, typed(reading.text.page_of(item.line), XSD.integer), g)
        report.made["report items (recommendations by paragraph)"] += len(rep.items)
        report.made["report items matched a UPR Info recommendation"] += len(rec.matches)
        report.made["hr:Recommendation"] += len(rec.unmatched_items)
        report.made["UPR Info recommendations of this review not in the report"] += len(
            rec.unmatched_upr_info
        )

    def _paragraphs(
        self, source: Source, reading: ReviewReading, doc: UNDocument, report: LoadReport
    ) -> Iterator[Quad]:
        """A review UPR Info does not hold: one node per paragraph."""
        g, rep = source.graph, reading.text.report
        by_paragraph: dict[str, list[int]] = defaultdict(list)
        for n, item in enumerate(rep.items):
            by_paragraph[item.paragraph].append(n)
        above = positions_above(source.root, reading, "report")
        for paragraph, ns in by_paragraph.items():
            [node] = reading.nodes[paragraph]
            items = [rep.items[n] for n in ns]
            words = "; ".join(i.text for i in items)
            group, top = reading.group_of(paragraph)
            yield Quad(node, RDF.type, HR.Recommendation, g)
            yield Quad(node, HR.review, reading.review, g)
            yield Quad(node, HR.text, lit(words), g)
            yield Quad(node, HR.reportText, lit(words), g)
            yield Quad(node, HR.paragraph, lit(paragraph), g)
            yield Quad(node, HR.reportGroup, GROUPS[group], g)
            for n in ns:
                yield from self._states(source, reading, n, node, report)
            if not any(i.states_written for i in items):
                yield Quad(node, HR.recommenderAsWritten, lit("(not named in the report)"), g)
            for code in instruments_mentioned(words):
                yield Quad(node, HR.mentionsInstrument, instrument_iri(code), g)
            if group in RESPONSE:
                yield from _position(
                    node,
                    RESPONSE[group],
                    f"{doc.symbol} paragraph {top}",
                    above,
                    document_iri(doc.symbol),
                    top,
                    g,
                    report,
                    paragraph,
                )
            yield Quad(node, PROV.wasDerivedFrom, source.iri, g)
            yield Quad(
                node, HR.sourcePage, typed(reading.text.page_of(items[0].line), XSD.integer), g
            )
        report.made["hr:Recommendation"] += len(by_paragraph)
        report.made["report items (recommendations by paragraph)"] += len(rep.items)

    # --- the addendum ------------------------------------------------------------------------

    def _addendum(self, source: Source, doc: UNDocument, report: LoadReport) -> Iterator[Quad]:
        m = doc.match()
        reading = self._reading(source, f"A/HRC/{m.group('hrc')}/{m.group('n')}", "the addendum")
        g = source.graph
        yield from self._document(source, doc, reading.session, reading.iso3, report)
        positions = read_addendum(doc, list(reading.text.report.groups))
        for problem in positions.problems:
            report.warn(problem)
        for paragraph, words in positions.unclassified:
            report.warn(
                f"{paragraph}: the answer neither plainly accepts nor plainly declines "
                f'("{words[:100]}…"): no position read'
            )
            report.not_mapped("answer", paragraph)
        if (
            positions.review_date
            and reading.text.report.review_date
            and positions.review_date != reading.text.report.review_date
        ):
            report.warn(
                f"the addendum dates the review {positions.review_date}; the report "
                f"{reading.text.report.review_date}"
            )
        above = positions_above(source.root, reading, "addendum")
        d = document_iri(doc.symbol)
        for paragraph, pos in sorted(
            positions.by_paragraph.items(), key=lambda kv: tuple(map(int, kv[0].split(".")))
        ):
            nodes = reading.nodes.get(paragraph)
            if not nodes:
                report.warn(
                    f"{paragraph} (paragraph {pos.paragraph}) is not a recommendation "
                    f"of the report {reading.rec.symbol}: not read"
                )
                report.not_mapped("paragraph", paragraph)
                continue
            for node in nodes:
                yield Quad(node, RDF.type, HR.Recommendation, g)
                yield Quad(node, HR.review, reading.review, g)
                yield from _position(
                    node,
                    RESPONSE[pos.response],
                    f"{doc.symbol} paragraph {pos.paragraph}",
                    above,
                    d,
                    pos.paragraph,
                    g,
                    report,
                    paragraph,
                )
                yield Quad(node, HR.positionCategory, CATEGORY[pos.category], g)
                yield Quad(node, PROV.wasDerivedFrom, source.iri, g)
                yield Quad(node, HR.sourcePage, typed(pos.page, XSD.integer), g)
            report.made[f"positions: {pos.category}"] += 1
        self._check_counts(reading, positions, report)
        missing = [
            p
            for p in reading.nodes
            if p not in positions.by_paragraph and reading.group_of(p)[0] not in RESPONSE
        ]
        if missing and not positions.unclassified:
            report.warn(
                f"{len(missing)} recommendations of {reading.rec.symbol} the report "
                f"leaves to the addendum have no position in it: {', '.join(missing[:10])}"
            )

    @staticmethod
    def _check_counts(reading: ReviewReading, positions: Positions, report: LoadReport) -> None:
        """Paragraph 2's figures against the lists (they include the recommendations the
        report already records as supported or noted)."""
        found = dict(positions.counts())
        for paragraph in reading.nodes:
            group = reading.group_of(paragraph)[0]
            if group in RESPONSE and paragraph not in positions.by_paragraph:
                found[group] = found.get(group, 0) + 1
        for key, claimed in sorted(positions.claimed.items()):
            if found.get(key, 0) != claimed:
                report.warn(
                    f"the addendum says {claimed} {key}; its lists and the report give "
                    f"{found.get(key, 0)}"
                )
            else:
                report.made[f"addendum's count of {key} recommendations confirmed"] += 1

    # --- the decision ------------------------------------------------------------------------

    def _decision(self, source: Source, doc: UNDocument, report: LoadReport) -> Iterator[Quad]:
        decision = read_decision(doc)
        if decision.report_symbol is None:
            raise LoaderError(
                source.path,
                "the decision names no report (A/HRC/n/n): the review it adopts cannot be placed",
            )
        reading = self._reading(source, decision.report_symbol, "the decision")
        yield from self._document(source, doc, reading.session, reading.iso3, report)
        if decision.adopted:
            yield Quad(
                reading.review,
                HR.adoptionDate,
                typed(decision.adopted.isoformat(), XSD.date),
                source.graph,
            )
            report.made["reviews with the date of adoption"] += 1
        else:
            report.warn("no date of adoption ('<n>th meeting <date>') in the decision")
        day = reading.text.report.review_date
        if decision.review_date and day and decision.review_date != day:
            report.warn(f"the decision dates the review {decision.review_date}; the report {day}")

    # --- the documents of the review ---------------------------------------------------------

    def _review_document(
        self, source: Source, doc: UNDocument, report: LoadReport
    ) -> Iterator[Quad]:
        m = doc.match()
        session, iso3 = int(m.group("session")), m.group("iso3")
        if iso3 not in resolver().labels:
            raise LoaderError(source.path, f"{doc.symbol}: {iso3} is not an ISO 3166 code")
        if doc.state_written and resolver().resolve(doc.state_written) not in (iso3, None):
            report.warn(f"the title names {doc.state_written}; the symbol {iso3}")
        g, d = source.graph, document_iri(doc.symbol)
        yield from self._document(source, doc, session, iso3, report)
        text = content_of(doc)
        yield Quad(d, HR.content, lit(text), g)
        x = extract(text.replace("\n", " "))
        for span in x.spans:
            if span.kind not in ("state", "instrument"):
                continue
            entity = state_iri(span.key) if span.kind == "state" else instrument_iri(span.key)
            mention = rid(
                "mention",
                "un",
                *doc.symbol.split("/"),
                f"{span.begin}-{span.end}",
                span.kind,
                slug(span.key),
            )
            yield Quad(mention, RDF.type, HR.Mention, g)
            yield Quad(mention, HR.document, d, g)
            yield Quad(mention, HR.entity, entity, g)
            yield Quad(mention, HR.anchorText, lit(text[span.begin : span.end]), g)
            yield Quad(mention, HR.beginIndex, typed(span.begin, XSD.integer), g)
            yield Quad(mention, HR.endIndex, typed(span.end, XSD.integer), g)
            report.made["hr:Mention"] += 1


def _position(
    node: NamedNode,
    response: NamedNode,
    who: str,
    above: dict[str, tuple[NamedNode, str]],
    document: NamedNode,
    paragraph: str,
    g: NamedNode,
    report: LoadReport,
    recommendation: str,
) -> Iterator[Quad]:
    """A source's position on a recommendation, unless a source above it says otherwise."""
    higher = above.get(node.value)
    if higher and higher[0] != response:
        said = {HR.Supported: "supported", HR.Noted: "noted"}
        message = (
            f"{recommendation}: {who} says {said.get(response, response.value)}, "
            f"{higher[1]} says {said.get(higher[0], higher[0].value)}: the latter is kept"
        )
        report.warn(message)
        report.made["positions that disagree with a source above"] += 1
        yield Quad(node, HR.qualityIssue, lit(message), g)
        return
    yield Quad(node, HR.response, response, g)
    yield Quad(node, HR.positionSource, document, g)
    yield Quad(node, HR.positionParagraph, lit(paragraph), g)


def _text_twin(root: Path, reading: ReviewReading) -> Path | None:
    """The text of the same report in upr-reports/txt/, where one is pinned: it gives the
    words of the items only the report holds (one node, one hr:text)."""
    folder = root / "upr-reports" / "txt"
    issued = reading.text.report.review_date
    if not folder.is_dir() or issued is None:
        return None
    names = {slug(n).replace("-", "") for n in resolver().labels.get(reading.iso3, ())}
    for name in sorted(names):
        for year in (issued.year, issued.year + 1):
            p = folder / f"{name}{year}.txt"
            if p.is_file():
                return p
    return None
