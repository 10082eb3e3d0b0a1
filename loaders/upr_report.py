"""``upr-report``: Reports of the UPR Working Group (A/HRC/…), as extracted text or PDF.

For each report: the review (state under review, session, date of the review, the report's
symbol) and every recommendation with its paragraph number, the words of the report, the
recommending states as written and resolved, and the group the report puts it in (enjoys
support / will be examined / did not enjoy support / made, whatever the report's wording).

Reconciliation: a recommendation the UPR Info export also holds (same review, a shared
recommending state, the same text after normalising; :mod:`hrkg.text.reconcile`) is the same
``hr:Recommendation`` node — the UPR Info IRI — with the report's facts in the report's
graph (``hr:reportText``, ``hr:paragraph``, ``hr:reportGroup``, ...). A recommendation
only the report holds gets an IRI of its own from its paragraph
(``…/recommendation/upr/9/USA/para-92.12-2``) and the report's words as ``hr:text`` too.

Where the text and the PDF of the same report are both pinned, the text is loaded and the
PDF is not (they give the same recommendations, tested on the United States 2011 report;
the PDF costs ~1 s a report to read). A report that cannot be read is an error of its file;
the other reports load.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from pyoxigraph import NamedNode, Quad

from hrkg.errors import DataError, LoaderError
from hrkg.loaders.upr_report_text import Item, Report, read
from hrkg.loading import (
    CorpusReport,
    IndexedRecommendation,
    Loader,
    LoadReport,
    Source,
    recommendation_index,
)
from hrkg.reference.states import instrument_iri, read_tsv, resolver, session_iri, state_iri
from hrkg.reference.upr import cycle_of, review_iri
from hrkg.resources import resource_dir
from hrkg.terms import HR, PROV, RDF, XSD, lit, rid, typed
from hrkg.text.mentions import instruments_mentioned
from hrkg.text.reconcile import Candidate, Fold, Match, fold, match

__all__ = [
    "UprReportLoader",
    "Reconciled",
    "reconcile",
    "reconcile_report",
    "upr_info_index",
    "report_symbols",
    "report_items",
    "text_twin",
    "GROUPS",
    "NO_PARTNER",
]

# The report's grouping → concept of the scheme hr:ReportGroups (ontology/schemes.ttl)
GROUPS = {
    "supported": HR.GroupSupported,
    "examined": HR.GroupExamined,
    "noted": HR.GroupNoted,
    "made": HR.GroupMade,
}


@cache
def report_symbols() -> dict[str, tuple[str, str]]:
    """File stem → (symbol, where it was read) for the reports whose text lacks it
    (data/reference/upr-report-symbols.tsv)."""
    rows = read_tsv(resource_dir("data") / "reference" / "upr-report-symbols.tsv")
    return {r["file"]: (r["symbol"], r["source"]) for r in rows}


@cache
def report_items() -> dict[str, tuple[str, str, str]]:
    """Report items placed by hand: "<session>/<ISO3>/<key>" → (decision, UPR Info key,
    reason) (data/reference/upr-report-items.tsv)."""
    rows = read_tsv(resource_dir("data") / "reference" / "upr-report-items.tsv")
    out: dict[str, tuple[str, str, str]] = {}
    for line, r in enumerate(rows, 1):
        if (
            r["decision"] not in ("same-as", "only-in-report", "not-a-recommendation")
            or ((r["decision"] == "same-as") != bool(r["upr_info"]))
            or not r["reason"]
        ):
            raise LoaderError(
                Path("data/reference/upr-report-items.tsv"),
                f"row {line} ({r['item']}): expected a decision same-as (with the "
                "UPR Info key), only-in-report or not-a-recommendation, and a "
                "reason",
            )
        out[r["item"]] = (r["decision"], r["upr_info"], r["reason"])
    return out


# The reason of a report-only item no rule and no row of upr-report-items.tsv places.
NO_PARTNER = (
    "no UPR Info recommendation of the review shares a state and these words "
    "(hrkg/reconcile.py), and data/reference/upr-report-items.tsv does not place it"
)


def _data_root(source: Source) -> Path:
    return source.path.parents[len(Path(source.relpath).parts) - 1]


def upr_info_index(root: Path) -> dict[tuple[int, str], list[Candidate[NamedNode]]]:
    """The UPR Info recommendations under ``root`` by review: (session, ISO3) → candidates
    whose key is the recommendation's IRI (the one the upr-info-csv loader gives it): what
    the registered loaders hold (:func:`hrkg.loading.recommendation_index`)."""
    recs = recommendation_index(root)  # the same tuple while the files are unchanged
    hit = _BY_REVIEW.get(id(recs))
    if hit is None or hit[0] is not recs:
        out: dict[tuple[int, str], list[Candidate[NamedNode]]] = defaultdict(list)
        for r in recs:
            out[(r.session, r.state)].append(Candidate(r.iri, r.text, r.from_states))
        hit = _BY_REVIEW[id(recs)] = (recs, dict(out))
    return hit[1]


# id of a recommendation index → (the index, its candidates by review); keyed by identity
# because hashing 40 000 recommendations per report would cost more than the lookup saves
_BY_REVIEW: dict[
    int, tuple[tuple[IndexedRecommendation, ...], dict[tuple[int, str], list[Candidate[NamedNode]]]]
] = {}


@dataclass
class Reconciled:
    """A report read and matched: its review, its items with their states and IRIs."""

    report: Report
    iso3: str
    states: list[frozenset[str]]  # per item: resolved recommending states
    iris: list[NamedNode]  # per item
    matches: list[Match]
    unmatched_items: list[int]  # the recommendations only the report holds
    unmatched_upr_info: list[Candidate[NamedNode]]  # UPR Info recommendations of this review alone
    symbol: str | None  # the text's, else the symbols table's
    # per item: the names kept as written, each with why ("is not a known state", …)
    as_written: list[list[tuple[str, str]]]
    # fragments of what UPR Info holds whole: the same node as the UPR Info recommendation
    folds: list[Fold] = field(default_factory=list)
    only_reasons: dict[int, str] = field(default_factory=dict)  # item → why report-only
    not_recommendations: dict[int, str] = field(default_factory=dict)  # item → what it is
    hand_placed: list[str] = field(default_factory=list)  # rows of upr-report-items.tsv used

    @property
    def session(self) -> int:
        """The review's session (:func:`reconcile_report` places every report it returns)."""
        assert self.report.session is not None
        return self.report.session

    @property
    def placed(self) -> set[int]:
        """The items that are a UPR Info recommendation: matched or folded."""
        return {m.item for m in self.matches} | {f.item for f in self.folds}

    @property
    def unresolved(self) -> list[str]:
        """The recommending states, as written, that name no known state."""
        return sorted(
            {name for names in self.as_written for name, why in names if why == NOT_KNOWN}
        )


NOT_KNOWN = "is not a known state"
SELF = "is the state under review"


def text_twin(path: Path, root: Path) -> Path | None:
    """The text of the same report as a PDF, where one is pinned (it is read instead)."""
    if path.suffix.lower() != ".pdf":
        return None
    twin = root / "upr-reports" / "txt" / f"{path.stem}.txt"
    return twin if twin.is_file() else None


def _item_key(item: Item) -> str:
    return f"para-{item.paragraph}" + (f"-{item.part}" if item.part else "")


def _item_iri(session: int, iso3: str, item: Item) -> NamedNode:
    return rid("recommendation", "upr", session, iso3, _item_key(item))


def reconcile(path: Path, root: Path | None) -> Reconciled:
    """Read one report and match it against the UPR Info export under ``root`` (none: no
    matching). Raises LoaderError when the report cannot be read or placed."""
    return reconcile_report(read(path, resolver().resolve), path, root)


def reconcile_report(rep: Report, path: Path, root: Path | None) -> Reconciled:
    """Match a report already read (see :func:`reconcile`)."""
    res = resolver()
    iso3 = res.resolve(rep.state_written or "") or res.resolve(rep.state_reviewed or "")
    if iso3 is None:
        raise LoaderError(
            path,
            f"the state under review ({rep.state_written!r} under the "
            f"title, {rep.state_reviewed!r} in 'The review of … was held') "
            "is not a known state (data/reference/state-aliases.tsv)",
        )
    if rep.session is None:
        raise LoaderError(path, "no Working Group session in the report's opening pages")
    states, as_written = [], []
    for item in rep.items:
        found, kept = set(), []
        for written in item.states_written:
            iso = res.resolve(written)
            if iso is None or iso == iso3:  # a state does not recommend to itself
                kept.append((written, SELF if iso else NOT_KNOWN))
            else:
                found.add(iso)
        states.append(frozenset(found))
        as_written.append(kept)
    items: list[Candidate[int]] = [
        Candidate(n, i.text, s) for n, (i, s) in enumerate(zip(rep.items, states, strict=True))
    ]
    cands = upr_info_index(root).get((rep.session, iso3), []) if root else []
    matches, lone, _ = match(items, cands)
    folds = {f.item: f for f in fold(items, cands, matches, [i.paragraph for i in rep.items])}
    only: dict[int, str] = {}
    dropped: dict[int, str] = {}
    by_key = {str(c.key.value).rsplit("/", 1)[1]: j for j, c in enumerate(cands)}
    decided = report_items()
    used: list[str] = []
    for n in lone:
        item_key = f"{rep.session}/{iso3}/{_item_key(rep.items[n])}"
        decision, key, why = decided.get(item_key, ("", "", ""))
        if decision:
            used.append(item_key)
        if decision == "same-as":
            if key not in by_key:
                raise LoaderError(
                    path,
                    f"data/reference/upr-report-items.tsv places {item_key} "
                    f"as UPR Info's {key}, which review {rep.session}/"
                    f"{iso3} does not have",
                )
            folds[n] = Fold(n, by_key[key], 100.0, f"by hand: {why}")
        elif decision:
            folds.pop(n, None)
            (only if decision == "only-in-report" else dropped)[n] = why
        elif n not in folds:
            only[n] = NO_PARTNER
    iris = [_item_iri(rep.session, iso3, i) for i in rep.items]
    for m in matches:
        iris[m.item] = cands[m.candidate].key
    for f in folds.values():
        iris[f.item] = cands[f.candidate].key
    taken = {m.candidate for m in matches} | {f.candidate for f in folds.values()}
    known = report_symbols().get(path.stem)
    symbol = rep.symbol or (known[0] if known else None)
    return Reconciled(
        rep,
        iso3,
        states,
        iris,
        matches,
        sorted(only),
        [c for j, c in enumerate(cands) if j not in taken],
        symbol,
        as_written,
        sorted(folds.values(), key=lambda f: f.item),
        only,
        dropped,
        used,
    )


class UprReportLoader(Loader):
    name = "upr-report"
    version = "1"
    description = (
        "UPR Working Group reports: review, symbol, date, recommendations with "
        "paragraph numbers and groups, reconciled with UPR Info"
    )
    patterns = ("upr-reports/txt/*.txt", "upr-reports/pdf/*.pdf")

    def corpus_report(self, data: Path) -> CorpusReport:
        """``hrkg report upr``: the reports read and matched (:mod:`hrkg.loaders.upr_corpus`)."""
        from hrkg.loaders.upr_corpus import corpus, report_files

        if not report_files(data):
            raise DataError(
                f"no UPR reports under {data / 'upr-reports'}; "
                "`hrkg data verify` lists what is missing"
            )
        return corpus(data)

    def load(self, source: Source, report: LoadReport) -> Iterator[Quad]:
        yield from self.describe_source(source)
        root = _data_root(source)
        twin = text_twin(source.path, root)
        if twin is not None:
            report.warn(
                f"not read: the text of the same report "
                f"(upr-reports/txt/{twin.name}) is loaded instead"
            )
            return
        try:
            rec = reconcile(source.path, root)
        except LoaderError as exc:
            report.error(str(exc).removeprefix(f"{source.path}: "))
            return
        report.rows = len(rec.report.items)
        yield from self._emit(source, rec, report)

    def _emit(self, source: Source, rec: Reconciled, report: LoadReport) -> Iterator[Quad]:
        g, rep, iso3 = source.graph, rec.report, rec.iso3
        for problem in rep.problems:
            report.warn(problem.message, problem.line)
        review = review_iri(rec.session, iso3)
        yield Quad(review, RDF.type, HR.UPRReview, g)
        yield Quad(review, HR.stateUnderReview, state_iri(iso3), g)
        yield Quad(review, HR.session, typed(rec.session, XSD.integer), g)
        yield Quad(review, HR.cycle, typed(cycle_of(rec.session), XSD.integer), g)
        yield Quad(review, HR.inSession, session_iri(rec.session), g)
        if rep.review_date:
            yield Quad(review, HR.date, typed(rep.review_date.isoformat(), XSD.date), g)
            named = re.search(r"(\d{4})$", source.path.stem)
            if named and int(named.group(1)) not in (
                rep.review_date.year,
                rep.review_date.year + 1,
            ):
                report.warn(
                    f"the file name says {named.group(1)}, but the report is of the "
                    f"review on {rep.review_date.isoformat()} (session {rep.session}): "
                    "this file holds another year's report"
                )
        known = report_symbols().get(source.path.stem)
        if known and rep.symbol and known[0] != rep.symbol:
            report.warn(
                f"the text names {rep.symbol}; upr-report-symbols.tsv says {known[0]}: "
                "the text's is kept"
            )
        if rec.symbol:
            yield Quad(review, HR.reportSymbol, lit(rec.symbol), g)
            report.made["reports with a symbol"] += 1
        else:
            report.warn(
                "no report symbol: not in the text, not in data/reference/upr-report-symbols.tsv"
            )
        matched = rec.placed
        in_pdf = source.path.suffix.lower() == ".pdf"  # its lines are not the file's
        for n, (item, states, s, kept) in enumerate(
            zip(rep.items, rec.states, rec.iris, rec.as_written, strict=True)
        ):
            if n in rec.not_recommendations:
                report.warn(
                    f"{item.paragraph}: not a recommendation, not loaded: "
                    f"{rec.not_recommendations[n]} (data/reference/"
                    "upr-report-items.tsv)",
                    None if in_pdf else item.line,
                )
                continue
            yield Quad(s, RDF.type, HR.Recommendation, g)
            yield Quad(s, HR.review, review, g)
            yield Quad(s, HR.reportText, lit(item.text), g)
            if n not in matched:
                yield Quad(s, HR.text, lit(item.text), g)
            yield Quad(s, HR.paragraph, lit(item.paragraph), g)
            yield Quad(s, HR.reportGroup, GROUPS[item.group], g)
            for iso in sorted(states):
                yield Quad(s, HR.recommendingState, state_iri(iso), g)
            for written, why in kept:
                report.warn(
                    f"{item.paragraph}: recommending state {written!r} {why}; kept as written",
                    item.line,
                )
                report.not_mapped("recommending state", written)
                yield Quad(s, HR.recommenderAsWritten, lit(written), g)
            if not item.states_written and n not in matched:
                # the extraction lost the closing parenthesis: the item is kept, marked
                yield Quad(s, HR.recommenderAsWritten, lit("(not named in the report)"), g)
                report.made["only in the report, no recommending state"] += 1
            if n not in matched:  # a matched node has its mentions from its hr:text
                for code in instruments_mentioned(item.text, rep.session):
                    yield Quad(s, HR.mentionsInstrument, instrument_iri(code), g)
            yield Quad(s, PROV.wasDerivedFrom, source.iri, g)
            if not in_pdf:
                yield Quad(s, HR.sourceLine, typed(item.line, XSD.integer), g)
        report.made["report items (recommendations by paragraph)"] += len(rep.items)
        report.made["report items matched a UPR Info recommendation"] += len(rec.matches)
        report.made["report items folded into a UPR Info recommendation (fragments)"] += len(
            rec.folds
        )
        report.made["report items that are not recommendations (not loaded)"] += len(
            rec.not_recommendations
        )
        # the nodes this loader adds: the items no other source holds
        report.made["hr:Recommendation"] += len(rec.unmatched_items)
        report.made["UPR Info recommendations of this review not in the report"] += len(
            rec.unmatched_upr_info
        )
