"""The OHCHR part of ``hrkg report upr``: each review whose UN documents are under
``ohchr-upr/`` (and whose thematic list is there or under ``ohchr-thematic-list/``), what each
source gives and where the sources disagree.

Per review: the Working Group report (recommendations, paragraphs; where the UPR Info export
holds the review, how many matched it and which did not), the addendum (positions by
category, and whether they add up to what its paragraph 2 says), the decision (day of
adoption), the review's documents, and each thematic list (entries, positions; paragraphs,
recommending states, words and positions compared with the report and the addendum). Read
from the data directory with the loaders' readers: the figures are the loaders' own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from hrkg.errors import LoaderError
from hrkg.loaders.ohchr_documents import read_addendum, read_decision, read_document
from hrkg.loaders.ohchr_thematic_list import OhchrThematicListLoader
from hrkg.loaders.ohchr_upr import RESPONSE, addendum_of, read_review, un_documents
from hrkg.loaders.thematic_list import read as read_list
from hrkg.reference.states import resolver
from hrkg.reference.upr import cycle_of
from hrkg.terms import normalise_text

__all__ = ["ListRow", "ReviewRow", "ohchr_reviews"]


@dataclass
class ListRow:
    file: str
    entries: int = 0
    supported: int = 0
    noted: int = 0
    paragraphs_not_in_report: list[str] = field(default_factory=list)
    report_paragraphs_not_in_list: list[str] = field(default_factory=list)
    states_differ: list[str] = field(default_factory=list)
    words_differ: list[str] = field(default_factory=list)
    positions_differ: list[str] = field(default_factory=list)  # "140.1: list noted, …"
    citations_differ: list[str] = field(default_factory=list)  # "140.132: Para.4, addendum 3"
    error: str | None = None


@dataclass
class ReviewRow:
    state: str
    session: int
    cycle: int
    report: str | None = None  # file
    symbol: str | None = None
    review_date: str | None = None
    adoption_date: str | None = None
    recommendations: int = 0  # report items
    paragraphs: int = 0
    upr_info: bool = False  # the UPR Info export holds the review
    matched: int = 0
    only_in_report: int = 0
    upr_info_not_in_report: int = 0
    positions: dict[str, int] = field(default_factory=dict)  # addendum: category → count
    claimed: dict[str, int] = field(default_factory=dict)  # its paragraph 2
    claims_confirmed: bool | None = None
    unclassified: list[str] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)  # symbols present
    lists: list[ListRow] = field(default_factory=list)
    unmatched: list[dict[str, str]] = field(default_factory=list)
    error: str | None = None


def _list_files(root: Path) -> list[Path]:
    loader = OhchrThematicListLoader()
    return sorted(
        p for p in root.rglob("*") if p.is_file() and loader.accepts(p.relative_to(root).as_posix())
    )


def ohchr_reviews(root: Path) -> list[ReviewRow]:
    res = resolver()
    docs = un_documents(root)
    rows: dict[tuple[int, str], ReviewRow] = {}
    readings = {}
    for symbol, path in sorted(docs.items()):
        if not re.fullmatch(r"A/HRC/\d+/\d+", symbol):
            continue
        rel = path.relative_to(root).as_posix()
        try:
            r = read_review(root, path)
        except LoaderError as exc:
            rows[(0, symbol)] = ReviewRow(
                "?", 0, 0, rel, symbol, error=str(exc).removeprefix(f"{path}: ")
            )
            continue
        readings[(r.session, r.iso3)] = r
        rep = r.text.report
        row = rows[(r.session, r.iso3)] = ReviewRow(
            r.iso3,
            r.session,
            _cycle(r.session),
            rel,
            symbol,
            rep.review_date.isoformat() if rep.review_date else None,
            recommendations=len(rep.items),
            paragraphs=len(r.nodes),
            upr_info=r.held_by_upr_info,
        )
        if r.held_by_upr_info:
            row.matched, row.only_in_report = len(r.rec.matches), len(r.rec.unmatched_items)
            row.upr_info_not_in_report = len(r.rec.unmatched_upr_info)
            review = f"{r.session}/{r.iso3}"
            for i in r.rec.unmatched_items:
                item = rep.items[i]
                row.unmatched.append(
                    {
                        "side": "report (ohchr)",
                        "file": rel,
                        "review": review,
                        "paragraph": item.paragraph,
                        "iri": r.rec.iris[i].value,
                        "states": "; ".join(item.states_written),
                        "text": item.text,
                    }
                )
            for cand in r.rec.unmatched_upr_info:
                row.unmatched.append(
                    {
                        "side": "upr-info (ohchr)",
                        "file": rel,
                        "review": review,
                        "paragraph": "",
                        "iri": cand.key.value,
                        "states": "; ".join(sorted(cand.states)),
                        "text": cand.text,
                    }
                )
        _addendum(row, r, docs)
    for symbol, path in sorted(docs.items()):
        doc = read_document(path)
        if doc.kind == "decision":
            decision = read_decision(doc)
            for (session, iso3), r in readings.items():
                if r.rec.symbol == decision.report_symbol:
                    rows[(session, iso3)].documents.append(symbol)
                    if decision.adopted:
                        rows[(session, iso3)].adoption_date = decision.adopted.isoformat()
        elif doc.kind not in ("report", "addendum"):
            m = doc.match()
            key = (int(m.group("session")), m.group("iso3"))
            if key in rows:
                rows[key].documents.append(symbol)
    for path in _list_files(root):
        rel = path.relative_to(root).as_posix()
        try:
            lst = read_list(path, res.resolve)
        except LoaderError as exc:
            rows[(0, rel)] = ReviewRow(
                "?", 0, 0, lists=[ListRow(rel, error=str(exc).removeprefix(f"{path}: "))]
            )
            continue
        iso3 = res.resolve(lst.state_written or "") or "?"
        key = (lst.session or 0, iso3)
        row = rows.setdefault(key, ReviewRow(iso3, key[0], _cycle(key[0])))
        row.lists.append(_compare(rel, lst, readings.get(key), root, docs))
    return [rows[k] for k in sorted(rows, key=lambda k: (str(k[1]), k[0]))]


def _cycle(session: int) -> int:
    return cycle_of(session) if session else 0


def _addendum(row: ReviewRow, r, docs: dict[str, Path]) -> None:
    path = docs.get(addendum_of(r.rec.symbol)) if r.rec.symbol else None
    if path is None:
        return
    pos = read_addendum(read_document(path), list(r.text.report.groups))
    row.documents.append(addendum_of(r.rec.symbol))
    for p in pos.by_paragraph.values():
        row.positions[p.category] = row.positions.get(p.category, 0) + 1
    row.claimed = dict(pos.claimed)
    found = dict(pos.counts())
    for paragraph in r.nodes:
        group = r.group_of(paragraph)[0]
        if group in RESPONSE and paragraph not in pos.by_paragraph:
            found[group] = found.get(group, 0) + 1
    if pos.claimed:
        row.claims_confirmed = all(found.get(k, 0) == v for k, v in pos.claimed.items())
    row.unclassified = [p for p, _ in pos.unclassified]


def _compare(rel: str, lst, r, root: Path, docs: dict[str, Path]) -> ListRow:
    res = resolver()
    out = ListRow(rel, len(lst.entries))
    for e in lst.entries:
        if e.position and e.position.lower() == "supported":
            out.supported += 1
        elif e.position and e.position.lower() == "noted":
            out.noted += 1
    if r is None:
        return out
    items: dict[str, list] = {}
    for item in r.text.report.items:
        items.setdefault(item.paragraph, []).append(item)
    listed = {e.paragraph: e for e in lst.entries}
    out.paragraphs_not_in_report = sorted(set(listed) - set(items), key=_order)
    out.report_paragraphs_not_in_list = sorted(set(items) - set(listed), key=_order)
    path = docs.get(addendum_of(r.rec.symbol)) if r.rec.symbol else None
    pos = read_addendum(read_document(path), list(r.text.report.groups)) if path else None
    for p, e in sorted(listed.items(), key=lambda kv: _order(kv[0])):
        if p not in items:
            continue
        if [res.resolve(s) for s in e.states_written] != [
            res.resolve(s) for i in items[p] for s in i.states_written
        ]:
            out.states_differ.append(p)
        if normalise_text(e.text) != normalise_text("; ".join(i.text for i in items[p])):
            out.words_differ.append(p)
        said: str | None = None
        where: tuple[str | None, str | None] = (None, None)
        if pos is not None and p in pos.by_paragraph:
            said, where = (
                pos.by_paragraph[p].response,
                (addendum_of(r.rec.symbol), pos.by_paragraph[p].paragraph),
            )
        elif r.group_of(p)[0] in RESPONSE:
            said, where = r.group_of(p)[0], (r.rec.symbol, r.group_of(p)[1])
        if said and e.position and e.position.lower() != said:
            out.positions_differ.append(f"{p}: list {e.position.lower()}, {where[0]} {said}")
        if said and (e.source_symbol, e.source_paragraph) != where:
            out.citations_differ.append(
                f"{p}: list {e.source_symbol} {e.source_paragraph or '(no paragraph)'}, "
                f"given in {where[0]} paragraph {where[1]}"
            )
    return out


def _order(paragraph: str) -> tuple[int, ...]:
    return tuple(int(x) for x in paragraph.split("."))
