"""The corpus report of the UPR Working Group reports (``hrkg report upr``).

Per report: symbol, state, session, date, recommendations found, how many matched a UPR Info
recommendation, how many are fragments of a paragraph UPR Info holds whole (folded into its
recommendation), how many only the report holds, the recommending states that did not resolve
(as written), the paragraphs missing from the numbering, and what could not be read. Totals
over the corpus, then every recommendation only a report holds, with the reason. Then the
reviews whose UN documents are under ``ohchr-upr/`` (:mod:`hrkg.loaders.ohchr_corpus`): per review
its report, addendum, decision, documents and thematic lists, and where they disagree. The
unmatched recommendations of both sides are listed one per line (``--unmatched FILE``).
Read from the data directory, not from a store: the figures are the loaders' own.
"""

from __future__ import annotations

import csv
import io
import json
import sys
import time
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from hrkg.errors import LoaderError
from hrkg.loaders.ohchr_corpus import ReviewRow, ohchr_reviews
from hrkg.loaders.upr_report import reconcile, text_twin, upr_info_index
from hrkg.reference.upr_schedule import HEADER, SUPPLEMENT, US_CYCLE3

__all__ = ["ReportRow", "Corpus", "corpus", "report_files", "review_schedule"]


@dataclass
class ReportRow:
    file: str
    symbol: str | None = None
    state: str | None = None
    session: int | None = None
    review_date: str | None = None
    recommendations: int = 0
    matched: int = 0
    folded: int = 0
    not_recommendations: int = 0
    only_in_report: int = 0
    upr_info_not_in_report: int = 0
    unresolved_states: list[str] = field(default_factory=list)
    missing_paragraphs: list[str] = field(default_factory=list)
    # the report's groups: number of the introductory paragraph → (group, its words)
    groups: dict[str, tuple[str, str]] = field(default_factory=dict)
    # the items data/reference/upr-report-items.tsv places by hand: <session>/<ISO3>/<key>
    hand_placed: list[str] = field(default_factory=list)
    error: str | None = None


@dataclass
class Corpus:
    rows: list[ReportRow]
    unmatched: list[dict[str, str]]
    seconds: float
    reviews: list[ReviewRow] = field(default_factory=list)  # ohchr-upr/

    def totals(self) -> dict[str, Any]:
        ok = [r for r in self.rows if not r.error]
        unresolved = sorted({s for r in ok for s in r.unresolved_states})
        return {
            "reports": len(self.rows),
            "reports read": len(ok),
            "reports not read": len(self.rows) - len(ok),
            "reports without a symbol": sum(1 for r in ok if not r.symbol),
            "recommendations": sum(r.recommendations for r in ok),
            "matched a UPR Info recommendation": sum(r.matched for r in ok),
            "fragments folded into a UPR Info recommendation": sum(r.folded for r in ok),
            "not recommendations (report text read as one; not loaded)": sum(
                r.not_recommendations for r in ok
            ),
            "only in the report": sum(r.only_in_report for r in ok),
            "UPR Info recommendations of these reviews not in the report": sum(
                r.upr_info_not_in_report for r in ok
            ),
            "paragraphs missing from the numbering": sum(len(r.missing_paragraphs) for r in ok),
            "unresolved state names": unresolved,
        }

    def as_json(self) -> str:
        reviews = [{k: v for k, v in asdict(r).items() if k != "unmatched"} for r in self.reviews]
        return json.dumps(
            {
                "totals": self.totals(),
                "reports": [asdict(r) for r in self.rows],
                "unmatched": self.unmatched,
                "ohchr_reviews": reviews,
                "seconds": round(self.seconds, 2),
            },
            ensure_ascii=False,
            indent=1,
        )

    def as_text(self) -> str:
        head = (
            f"{'report':44} {'symbol':13} {'state':5} {'ses':>3} {'date':10} {'recs':>5} "
            f"{'match':>5} {'fold':>4} {'only':>4} {'uprI':>4} {'gaps':>4}  unresolved states"
        )
        out = [head, "-" * len(head)]
        for r in self.rows:
            if r.error:
                out.append(f"{r.file:44} NOT READ: {r.error}")
                continue
            out.append(
                f"{r.file:44} {r.symbol or '-':13} {r.state:5} {r.session:>3} "
                f"{r.review_date or '-':10} {r.recommendations:>5} {r.matched:>5} "
                f"{r.folded:>4} {r.only_in_report:>4} {r.upr_info_not_in_report:>4} "
                f"{len(r.missing_paragraphs):>4}  {'; '.join(r.unresolved_states)}"
            )
        out.append("")
        t = self.totals()
        for key, value in t.items():
            if key == "unresolved state names":
                out.append(f"{key} ({len(value)}): " + "; ".join(repr(v) for v in value))
            else:
                out.append(f"{key}: {value}")
        recs = t["recommendations"]
        if recs:
            out.append(f"matched share: {t['matched a UPR Info recommendation'] / recs:.1%}")
        out.append(
            "columns: match = one node with a UPR Info recommendation; fold = a fragment "
            "of a paragraph UPR Info holds whole, the same node; only = in the report "
            "alone; uprI = UPR Info recommendations of the review the report lacks; "
            "gaps = paragraph numbers missing"
        )
        alone = [u for u in self.unmatched if u["side"] == "report"]
        out.append("")
        out.append(f"recommendations only a report holds ({len(alone)}), with the reason:")
        for u in alone:
            out.append(
                f"  {u['review']} {u['paragraph']} ({u['states'] or '-'}): "
                f"{u['text'][:90]}\n      reason: {u['reason']}"
            )
        dropped = [u for u in self.unmatched if u["side"] == "not a recommendation"]
        out.append(f"report text read as a recommendation, not loaded ({len(dropped)}):")
        for u in dropped:
            out.append(f"  {u['review']} {u['paragraph']}: {u['reason']}")
        if self.reviews:
            out += ["", _reviews_text(self.reviews)]
        return "\n".join(out) + "\n"

    def unmatched_tsv(self) -> str:
        buf = io.StringIO()
        cols = ["side", "file", "review", "paragraph", "iri", "states", "text", "reason"]
        w = csv.DictWriter(buf, cols, delimiter="\t", lineterminator="\n")
        w.writeheader()
        w.writerows(self.unmatched)
        w.writerows(u for r in self.reviews for u in r.unmatched)
        return buf.getvalue()


def _reviews_text(reviews: list[ReviewRow]) -> str:
    """The reviews of ohchr-upr/: one block each."""
    out = ["UPR reviews from the UN's documents (ohchr-upr/) and OHCHR's thematic lists"]
    for r in reviews:
        if r.error:
            out.append(f"  {r.report}: NOT READ: {r.error}")
            continue
        head = f"  {r.state} session {r.session} (cycle {r.cycle})"
        if r.symbol:
            head += (
                f": {r.symbol} {r.report}, reviewed {r.review_date or '?'}, adopted "
                f"{r.adoption_date or '?'}; {r.recommendations} recommendations in "
                f"{r.paragraphs} paragraphs"
            )
        out.append(head)
        if r.upr_info:
            out.append(
                f"    UPR Info holds the review: {r.matched} matched, {r.only_in_report} "
                f"only in the report, {r.upr_info_not_in_report} UPR Info "
                "recommendations not in the report"
            )
        if r.positions:
            said = ", ".join(f"{k} {v}" for k, v in sorted(r.claimed.items()))
            check = {
                True: "as paragraph 2 says",
                False: "NOT as paragraph 2 says",
                None: "paragraph 2 gives no figures",
            }[r.claims_confirmed]
            out.append(
                "    addendum: "
                + ", ".join(f"{k} {v}" for k, v in sorted(r.positions.items()))
                + f" ({check}{': ' + said if said else ''})"
            )
        if r.unclassified:
            out.append(f"    answers not classified: {', '.join(r.unclassified)}")
        if r.documents:
            out.append(f"    documents: {', '.join(sorted(r.documents))}")
        for lst in r.lists:
            if lst.error:
                out.append(f"    list {lst.file}: NOT READ: {lst.error}")
                continue
            out.append(
                f"    list {lst.file}: {lst.entries} entries, {lst.supported} supported, "
                f"{lst.noted} noted"
            )
            for label, values in (
                ("paragraphs the report lacks", lst.paragraphs_not_in_report),
                ("report paragraphs the list lacks", lst.report_paragraphs_not_in_list),
                ("recommending states differ", lst.states_differ),
                ("words differ", lst.words_differ),
                ("positions differ", lst.positions_differ),
                ("position cited from another paragraph", lst.citations_differ),
            ):
                if values:
                    out.append(f"      {label} ({len(values)}): " + "; ".join(values))
    return "\n".join(out)


def report_files(root: Path) -> list[Path]:
    """What the loader reads: every text, and each PDF that has no text of its own."""
    texts = sorted((root / "upr-reports" / "txt").glob("*.txt"))
    pdfs = [
        p
        for p in sorted((root / "upr-reports" / "pdf").glob("*.pdf"))
        if text_twin(p, root) is None
    ]
    return texts + pdfs


def corpus(root: Path) -> Corpus:
    started = time.perf_counter()
    upr_info_index(root)
    rows, unmatched = [], []
    for path in report_files(root):
        name = f"{path.parent.name}/{path.name}"
        row = ReportRow(name)
        rows.append(row)
        try:
            rec = reconcile(path, root)
        except LoaderError as exc:
            row.error = str(exc).removeprefix(f"{path}: ")
            continue
        rep = rec.report
        row.symbol = rec.symbol
        row.state, row.session = rec.iso3, rep.session
        row.review_date = rep.review_date.isoformat() if rep.review_date else None
        row.recommendations = len(rep.items)
        row.matched = len(rec.matches)
        row.folded = len(rec.folds)
        row.not_recommendations = len(rec.not_recommendations)
        row.only_in_report = len(rec.unmatched_items)
        row.upr_info_not_in_report = len(rec.unmatched_upr_info)
        row.unresolved_states = rec.unresolved
        row.missing_paragraphs = rep.missing_paragraphs()
        row.hand_placed = rec.hand_placed
        row.groups = {
            top: (group, " ".join(intro.split())) for top, (group, intro) in rep.groups.items()
        }
        review = f"{rep.session}/{rec.iso3}"
        for i in rec.unmatched_items:
            item = rep.items[i]
            unmatched.append(
                {
                    "side": "report",
                    "file": name,
                    "review": review,
                    "paragraph": item.paragraph,
                    "iri": rec.iris[i].value,
                    "states": "; ".join(item.states_written),
                    "text": item.text,
                    "reason": rec.only_reasons[i],
                }
            )
        for i, why in sorted(rec.not_recommendations.items()):
            item = rep.items[i]
            unmatched.append(
                {
                    "side": "not a recommendation",
                    "file": name,
                    "review": review,
                    "paragraph": item.paragraph,
                    "iri": rec.iris[i].value,
                    "states": "; ".join(item.states_written),
                    "text": item.text,
                    "reason": why,
                }
            )
        for cand in rec.unmatched_upr_info:
            unmatched.append(
                {
                    "side": "upr-info",
                    "file": name,
                    "review": review,
                    "paragraph": "",
                    "iri": cand.key.value,
                    "states": "; ".join(sorted(cand.states)),
                    "text": cand.text,
                    "reason": "the report holds no paragraph of these words",
                }
            )
    reviews = ohchr_reviews(root)
    return Corpus(rows, unmatched, time.perf_counter() - started, reviews)


def review_schedule(data: Path) -> str:
    """``data/reference/upr-reviews.tsv`` made again from the reports under ``data``
    (:mod:`hrkg.reference.upr_schedule` reads it)."""
    found: dict[tuple[int, str], date] = {(s, iso): d for s, iso, d in [US_CYCLE3, *SUPPLEMENT]}
    for path in report_files(data):
        try:  # placed as the loader places it: state under review and session, or an error
            rec = reconcile(path, None)
        except LoaderError:
            continue  # a report that cannot be placed adds no row (the build reports it)
        if rec.report.review_date:
            found.setdefault((rec.session, rec.iso3), rec.report.review_date)
    lines = [HEADER + "session\tiso3\tdate"]
    lines += [f"{s}\t{iso}\t{d.isoformat()}" for (s, iso), d in sorted(found.items())]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    from hrkg.datasets import data_dir

    sys.stdout.write(review_schedule(data_dir(sys.argv[1] if len(sys.argv) > 1 else None)))
