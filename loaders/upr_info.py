"""``upr-info-csv``: the UPR Info database export (sessions 1–20), as published.

One ``hr:UPRReview`` per state under review and session; one ``hr:Recommendation`` per
distinct recommendation text made to that state in that session (the export has one row
per recommending state, so rows with the same text become one recommendation with several
``hr:recommendingState``); one ``hr:Pledge`` per voluntary pledge. Mac Roman, CR line ends.
"""

from __future__ import annotations

import html
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from pyoxigraph import NamedNode, Quad

from hrkg.loaders._csv import read_csv
from hrkg.loading import (
    IndexedRecommendation,
    Loader,
    LoadReport,
    ReferenceContribution,
    Source,
)
from hrkg.reference.schemes import concepts_in
from hrkg.reference.states import instrument_iri, resolver, state_iri
from hrkg.reference.upr import RESPONSES, review_iri, review_quads
from hrkg.terms import HR, PROV, RDF, XSD, lit, rid, text_key, typed
from hrkg.text.mentions import instruments_mentioned

COLUMNS = [
    "To",
    "To-Rgrp",
    "To-Org",
    "Text",
    "From",
    "From-Rgrp",
    "From-Org",
    "Response",
    "Action",
    "Issue",
    "Session",
]
TO, TO_RGRP, TO_ORG, TEXT, FROM, FROM_RGRP, FROM_ORG, RESPONSE, ACTION, ISSUE, SESSION = range(11)
REGIONAL_GROUPS = ("Africa", "Asia", "EEG", "GRULAC", "WEOG")


def read_rows(source_path, report: LoadReport | None = None) -> Iterator[tuple[int, list[str]]]:
    """The export's rows with their line numbers; rows of the wrong width are reported."""
    for line, fields in read_csv(source_path, COLUMNS, "mac_roman"):
        if len(fields) != len(COLUMNS):
            if report is not None:
                report.rows += 1
                report.error(
                    f"expected {len(COLUMNS)} fields, found {len(fields)}; row skipped", line
                )
            continue
        yield line, [f.strip() for f in fields]


@dataclass
class _Group:
    kind: str  # "recommendation" | "pledge"
    session: int
    iso3: str
    text: str
    response: NamedNode
    actions: set[int] = field(default_factory=set)
    themes: set[NamedNode] = field(default_factory=set)
    from_states: set[str] = field(default_factory=set)
    from_unresolved: set[str] = field(default_factory=set)
    lines: list[int] = field(default_factory=list)


class UprInfoCsvLoader(Loader):
    name = "upr-info-csv"
    version = "1"
    description = "UPR Info export: reviews, recommendations, responses, themes, pledges"
    patterns = ("upr-info/*.csv",)

    def reference_facts(self, source: Source) -> ReferenceContribution:
        """The regional group of each state under review and each recommending state, as
        the export's To-Rgrp and From-Rgrp columns give it."""
        res = resolver()
        pairs: list[tuple[str, str]] = []
        for _, row in read_rows(source.path):
            for name_col, group_col in ((TO, TO_RGRP), (FROM, FROM_RGRP)):
                iso = res.resolve(row[name_col])
                if iso and row[group_col] in REGIONAL_GROUPS:
                    pairs.append((iso, row[group_col]))
        return ReferenceContribution(groups=tuple(pairs))

    def recommendations(
        self, source: Source, report: LoadReport | None = None
    ) -> Iterable[IndexedRecommendation]:
        """Every recommendation of the export with its IRI, text, recommending states and
        response, in key order: what the report loaders reconcile against."""
        groups = self._group(source, report or LoadReport(source.relpath))
        for (kind, session, iso3, key), grp in sorted(groups.items()):
            if kind == "recommendation":
                yield IndexedRecommendation(
                    rid("recommendation", "upr", session, iso3, key),
                    session,
                    iso3,
                    grp.text,
                    frozenset(grp.from_states),
                    grp.response,
                )

    def load(self, source: Source, report: LoadReport) -> Iterator[Quad]:
        yield from self.describe_source(source)
        groups = self._group(source, report)
        g = source.graph
        reviews: set[tuple[int, str]] = set()
        for key in sorted(groups):
            grp = groups[key]
            reviews.add((grp.session, grp.iso3))
            yield from self._emit(grp, key[-1], source, g, report)
        for session, iso3 in sorted(reviews):
            yield from review_quads(session, iso3, g)
            report.made["hr:UPRReview"] += 1

    def _group(self, source: Source, report: LoadReport) -> dict[tuple, _Group]:
        res = resolver()
        themes = concepts_in("themes.ttl")
        groups: dict[tuple, _Group] = {}
        by_text: dict[tuple, set[tuple]] = defaultdict(set)
        for line, row in read_rows(source.path, report):
            report.rows += 1
            to = res.resolve(row[TO])
            if to is None:
                report.not_mapped("To", row[TO])
                report.error(f"state under review {row[TO]!r} not known; row skipped", line)
                continue
            try:
                session = int(row[SESSION])
                if not 1 <= session <= 60:
                    raise ValueError
            except ValueError:
                report.not_mapped("Session", row[SESSION])
                report.error(f"Session {row[SESSION]!r} is not a session number; row skipped", line)
                continue
            if not row[TEXT]:
                report.error("empty Text; row skipped", line)
                continue
            response = RESPONSES.get(row[RESPONSE].lower())
            if response is None:
                report.not_mapped("Response", row[RESPONSE])
                report.error(
                    f"Response {row[RESPONSE]!r} not one of Accepted, Noted, "
                    "Voluntary Pledge; row skipped",
                    line,
                )
                continue
            kind = "pledge" if response == HR.VoluntaryPledge else "recommendation"
            text = row[TEXT]
            tkey = text_key(text)
            base_key = (kind, session, to, tkey)
            try:
                action = int(row[ACTION])
                if not 1 <= action <= 5:
                    raise ValueError
            except ValueError:
                action = 0
                report.not_mapped("Action", row[ACTION])
            # The same text classified differently is kept apart (a recommendation answered
            # in parts); the key records the classification only where it must.
            variant = (str(response), action)
            by_text[base_key].add(variant)
            key = base_key + (variant,)
            grp = groups.get(key)
            if grp is None:
                grp = groups[key] = _Group(kind, session, to, text, response)
            if action:
                grp.actions.add(action)
            for theme in filter(None, (t.strip() for t in row[ISSUE].split(","))):
                if theme in themes:
                    grp.themes.add(themes[theme])
                else:
                    report.not_mapped("Issue", theme)
            grp.lines.append(line)
            frm = html.unescape(row[FROM])
            iso = res.resolve(frm)
            if iso is None:
                report.not_mapped("From", row[FROM])
                report.warn(f"recommending state {row[FROM]!r} not known; kept as written", line)
                grp.from_unresolved.add(frm)
            else:
                grp.from_states.add(iso)
            for col in (TO_RGRP, FROM_RGRP):
                if row[col] not in ("Africa", "Asia", "EEG", "GRULAC", "WEOG", "Observer"):
                    report.not_mapped(COLUMNS[col], row[col])
        # final keys: the text key alone, or with a suffix where one text has several variants
        out: dict[tuple, _Group] = {}
        for key, grp in groups.items():
            base_key, variant = key[:-1], key[-1]
            variants = sorted(by_text[base_key])
            suffix = "" if len(variants) == 1 else f"-{variants.index(variant) + 1}"
            if suffix == "-1":
                report.warn(
                    f"the same text to {grp.iso3} in session {grp.session} is classified "
                    f"{len(variants)} ways (response/action); kept as {len(variants)} "
                    "recommendations",
                    grp.lines[0],
                )
            out[base_key[:3] + (base_key[3] + suffix,)] = grp
        return out

    def _emit(
        self, grp: _Group, key: str, source: Source, g: NamedNode, report: LoadReport
    ) -> Iterator[Quad]:
        if grp.kind == "pledge":
            s = rid("pledge", "upr", grp.session, grp.iso3, key)
            yield Quad(s, RDF.type, HR.Pledge, g)
            yield Quad(s, HR.state, state_iri(grp.iso3), g)
            for other in sorted(grp.from_states - {grp.iso3}):
                # a pledge is the state under review's: another state in From is a defect
                report.warn(
                    f"pledge of {grp.iso3} gives From {other}; the pledge is kept as {grp.iso3}'s",
                    grp.lines[0],
                )
                report.not_mapped("From (pledge)", other)
            report.made["hr:Pledge"] += 1
        else:
            s = rid("recommendation", "upr", grp.session, grp.iso3, key)
            yield Quad(s, RDF.type, HR.Recommendation, g)
            for iso in sorted(grp.from_states):
                yield Quad(s, HR.recommendingState, state_iri(iso), g)
            for name in sorted(grp.from_unresolved):
                yield Quad(s, HR.recommenderAsWritten, lit(name), g)
            report.made["hr:Recommendation"] += 1
            if grp.from_unresolved and not grp.from_states:
                report.made["hr:Recommendation without a known recommending state"] += 1
        yield Quad(s, HR.review, review_iri(grp.session, grp.iso3), g)
        yield Quad(s, HR.text, lit(grp.text), g)
        yield Quad(s, HR.response, grp.response, g)
        for action in sorted(grp.actions):
            yield Quad(s, HR.actionCategory, typed(action, XSD.integer), g)
        for theme in sorted(grp.themes, key=str):
            yield Quad(s, HR.theme, theme, g)
        for code in instruments_mentioned(grp.text, grp.session):
            yield Quad(s, HR.mentionsInstrument, instrument_iri(code), g)
        yield Quad(s, PROV.wasDerivedFrom, source.iri, g)
        for line in grp.lines:
            yield Quad(s, HR.sourceLine, typed(line, XSD.integer), g)
