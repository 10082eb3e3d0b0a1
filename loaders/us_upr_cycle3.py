"""``us-upr-cycle3``: the 347 recommendations to the United States in its third UPR
(Working Group session 36, 9 November 2020; report A/HRC/46/15, paragraph 26), as compiled
from OHCHR's thematic list. UTF-8; one row per recommendation with its paragraph number.

Documented defects, handled and reported: a recommending-state cell that holds the end of
the text ("the Paris Principles; Philippines"), a state name cut in two ("Bolivarian
Republic of; Nicaragua"), a row whose state is only in the text ("... (Nicaragua)."), a
group of states ("ACT Group"), OHCHR's spaced apostrophes ("People ’ s").
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from pyoxigraph import NamedNode, Quad

from hrkg.loaders._csv import read_csv
from hrkg.loading import Loader, LoadReport, Source
from hrkg.reference.states import instrument_iri, normalise_name, resolver, session_iri, state_iri
from hrkg.reference.upr import RESPONSES, cycle_of, review_iri
from hrkg.terms import HR, PROV, RDF, SKOS, XSD, en, lit, rid, slug, typed
from hrkg.text.mentions import instruments_mentioned

COLUMNS = ["paragraph", "recommending_state", "position", "primary_theme", "text"]
SESSION, STATE, SYMBOL, DATE = 36, "USA", "A/HRC/46/15", "2020-11-09"
PARAGRAPH = re.compile(r"26\.\d{1,3}")
TRAILING_STATES = re.compile(r"\s*\(([^()]+)\)\.?\s*$")


def resolve_fragment(fragment: str) -> str | None:
    """A state whose every known spelling containing ``fragment`` at its start or end is the
    same state ("Bolivarian Republic of" → VEN); None where no or several states fit."""
    key = normalise_name(fragment)
    if len(key) < 8:
        return None
    res = resolver()
    hits = {
        iso
        for iso, names in res.labels.items()
        for n in names
        if (nn := normalise_name(n)) != key and (nn.startswith(key) or nn.endswith(key))
    }
    return hits.pop() if len(hits) == 1 else None


class UsUprCycle3Loader(Loader):
    name = "us-upr-cycle3"
    version = "1"
    description = "Recommendations to the United States, UPR session 36 (A/HRC/46/15)"
    patterns = ("us-upr-cycle3/*recommendations*.csv",)

    def load(self, source: Source, report: LoadReport) -> Iterator[Quad]:
        g = source.graph
        yield from self.describe_source(source)
        review = review_iri(SESSION, STATE)
        yield Quad(review, RDF.type, HR.UPRReview, g)
        yield Quad(review, HR.stateUnderReview, state_iri(STATE), g)
        yield Quad(review, HR.session, typed(SESSION, XSD.integer), g)
        yield Quad(review, HR.cycle, typed(cycle_of(SESSION), XSD.integer), g)
        yield Quad(review, HR.date, typed(DATE, XSD.date), g)
        yield Quad(review, HR.reportSymbol, lit(SYMBOL), g)
        yield Quad(review, HR.inSession, session_iri(SESSION), g)
        report.made["hr:UPRReview"] += 1
        themes: dict[str, NamedNode] = {}
        seen: set[str] = set()
        for line, fields in read_csv(source.path, COLUMNS, "utf-8"):
            report.rows += 1
            if len(fields) != len(COLUMNS):
                report.error(
                    f"expected {len(COLUMNS)} fields, found {len(fields)}; row skipped", line
                )
                continue
            para, states, position, theme, text = (f.strip() for f in fields)
            if not PARAGRAPH.fullmatch(para) or para in seen:
                report.error(f"paragraph {para!r} is not a new paragraph 26.n; row skipped", line)
                continue
            seen.add(para)
            response = RESPONSES.get(position.lower())
            if response is None:
                report.not_mapped("position", position)
                report.error(f"position {position!r} unknown; row skipped", line)
                continue
            s = rid("recommendation", "upr", SESSION, STATE, f"para-{para}")
            resolved, as_written, issues, text = self._states(states, text, line, report)
            yield Quad(s, RDF.type, HR.Recommendation, g)
            yield Quad(s, HR.review, review, g)
            yield Quad(s, HR.paragraph, lit(para), g)
            yield Quad(s, HR.text, lit(text), g)
            yield Quad(s, HR.response, response, g)
            for iso in resolved:
                yield Quad(s, HR.recommendingState, state_iri(iso), g)
            for name in as_written:
                yield Quad(s, HR.recommenderAsWritten, lit(name), g)
            for issue in issues:
                yield Quad(s, HR.qualityIssue, lit(issue), g)
            if theme:
                if theme not in themes:
                    themes[theme] = t = rid("theme", "ohchr", slug(theme))
                    yield Quad(t, RDF.type, SKOS.Concept, g)
                    yield Quad(t, SKOS.prefLabel, en(theme), g)
                    yield Quad(t, SKOS.inScheme, HR.OHCHRThemes, g)
                yield Quad(s, HR.theme, themes[theme], g)
            for code in instruments_mentioned(text, SESSION):
                yield Quad(s, HR.mentionsInstrument, instrument_iri(code), g)
            yield Quad(s, PROV.wasDerivedFrom, source.iri, g)
            yield Quad(s, HR.sourceLine, typed(line, XSD.integer), g)
            report.made["hr:Recommendation"] += 1
            report.made[f"response {position}"] += 1

    @staticmethod
    def _states(
        cell: str, text: str, line: int, report: LoadReport
    ) -> tuple[list[str], list[str], list[str], str]:
        res = resolver()
        resolved: list[str] = []
        as_written: list[str] = []
        issues: list[str] = []
        names = [n.strip() for n in cell.split(";") if n.strip()]
        if not names:
            m = TRAILING_STATES.search(text)
            found = [res.resolve(n) for n in re.split(r",\s*|\s+and\s+", m.group(1))] if m else []
            if m and found and all(found):
                msg = (
                    f"no recommending state in its column; {m.group(1)!r} taken from the end "
                    "of the text"
                )
                report.warn(msg, line)
                issues.append(msg)
                return [f for f in found if f], [], issues, text[: m.start()].rstrip()
            report.not_mapped("recommending_state", cell)
            report.error("no recommending state, in its column or at the end of the text", line)
            issues.append("no recommending state in the source")
            return [], ["(none given)"], issues, text
        for name in names:
            iso = res.resolve(name)
            if iso:
                resolved.append(iso)
                continue
            iso = resolve_fragment(name)
            if iso:
                msg = f"recommending state {name!r} is part of a name; read as {iso}"
                report.warn(msg, line)
                issues.append(msg)
                resolved.append(iso)
                continue
            report.not_mapped("recommending_state", name)
            msg = f"recommender {name!r} is not a known state; kept as written"
            report.warn(msg, line)
            issues.append(msg)
            as_written.append(name)
        return sorted(set(resolved)), as_written, issues, text
