"""The whole-graph research queries, against counts made from the raw files.

Each query is asked twice: on the default graph (every source), and with the SPARQL
dataset restricted to the UPR Info export's graphs and the reference data. The restricted
answer must equal, cell for cell, what Python counts from the UPR Info CSVs themselves; the
full answer adds the other sources, whose share is checked where it is known from their raw
files (the US cycle-3 CSV, the report-only recommendations)."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from hrkg.reference.states import instruments, resolver
from hrkg.resources import resource_dir
from hrkg.terms import rid
from hrkg.text.mentions import instruments_mentioned
from tests.conftest import report_only_iris
from tests.test_queries import QUERIES, rec_key, table, upr_rows

RESEARCH = ["recommendations-by-regional-group", "support-by-regional-group",
            "recommendations-received-per-cycle", "recommendations-made-per-cycle",
            "coverage-per-session", "themes-by-cycle", "action-categories-by-regional-group",
            "top-recommending-states", "instruments-recommended-by-cycle",
            "parties-by-regional-group", "noted-share-per-reviewed-state"]
GROUPS = {"Africa": "African States", "Asia": "Asia-Pacific States",
          "EEG": "Eastern European States", "GRULAC": "Latin American and Caribbean States",
          "WEOG": "Western European and other States"}
NONE = "(no regional group)"
UPR_INFO_FILES = ["sessions-01-05.csv", "sessions-06-09.csv", "sessions-10-13.csv",
                  "sessions-14-17.csv", "sessions-18-20.csv"]


def _rows(result) -> list[dict[str, str]]:
    return [{v.value: (row[v].value if row[v] is not None else None)
             for v in result.variables} for row in result]


def ask(store, name: str, upr_info_only: bool = False) -> list[dict[str, str]]:
    text = QUERIES[name].read_text()
    if not upr_info_only:
        return _rows(store.query(text))
    graphs = [rid("graph", f"upr-info/{f}") for f in UPR_INFO_FILES]
    graphs += [rid("graph", "reference"), rid("graph", "ontology")]
    return _rows(store.query(text, default_graph=graphs))


def cycle(session: str | int) -> int:
    s = int(session)
    return 1 if s <= 12 else 2 if s <= 26 else 3 if s <= 40 else 4


def percent(part: int, whole: int) -> str:
    return str((Decimal(1000 * part) / Decimal(whole)).quantize(Decimal(1),
               rounding=ROUND_HALF_UP) / 10)


class Raw:
    """The UPR Info export as the loader's merge rule sees it: one recommendation per
    (session, state under review, text, response, category), with the states that made it."""

    def __init__(self, data: Path) -> None:
        res = resolver()
        self.recs: dict[tuple, dict] = {}
        self.unresolved = Counter()
        self.group: dict[str, str] = {}
        for r in upr_rows(data):
            if r["Response"] == "Voluntary Pledge":
                continue
            to, frm = res.resolve(r["To"]), res.resolve(r["From"])
            for iso, grp in ((to, r["To-Rgrp"]), (frm, r["From-Rgrp"])):
                if iso and grp in GROUPS:
                    self.group.setdefault(iso, GROUPS[grp])
            rec = self.recs.setdefault(rec_key(r), {
                "session": int(r["Session"]), "to": to, "response": r["Response"],
                "action": r["Action"], "text": r["Text"], "from": set(), "themes": set()})
            rec["themes"] |= {t.strip() for t in r["Issue"].split(",") if t.strip()}
            if frm:
                rec["from"].add(frm)
            else:
                self.unresolved[r["From"]] += 1

    def pairs(self):
        for rec in self.recs.values():
            for frm in rec["from"]:
                yield rec, frm

    def g(self, iso: str | None) -> str:
        return self.group.get(iso or "", NONE)


@pytest.fixture(scope="module")
def raw(data_dir: Path) -> Raw:
    return Raw(data_dir)


def test_the_research_queries_are_there_with_their_questions() -> None:
    for name in RESEARCH:
        text = QUERIES[name].read_text()
        assert text.startswith("# Question: ") and "?" in text.split("\n\n")[0], name


def test_the_only_unresolved_recommender_is_unknown(raw) -> None:
    assert dict(raw.unresolved) == {"&#40;Unknown&#41;": 9}  # rows that name no state


def test_recommendations_by_regional_group(store, raw, upr_corpus) -> None:
    want = Counter((raw.g(frm), raw.g(rec["to"])) for rec, frm in raw.pairs())
    got = {(r["recommendingGroup"], r["reviewedGroup"]): int(r["recommendations"])
           for r in ask(store, "recommendations-by-regional-group", upr_info_only=True)}
    assert got == dict(want)
    assert got[("(no regional group)", "African States")] > 0  # observers are counted
    full = {(r["recommendingGroup"], r["reviewedGroup"]): int(r["recommendations"])
            for r in ask(store, "recommendations-by-regional-group")}
    # the other sources only add: the US cycle-3 CSV's pairs, and the reports' (their own
    # recommendations' states, and states a report names that UPR Info's row lacks)
    report_only = sum(len(u["states"].split("; ")) for u in upr_corpus.unmatched
                      if u["side"] == "report")
    assert sum(full.values()) - sum(got.values()) - _us_cycle3_pairs(store) >= report_only
    assert all(full[k] >= v for k, v in got.items())


def _us_cycle3_pairs(store) -> int:
    g = rid("graph", "us-upr-cycle3/us_upr_cycle3_recommendations.csv").value
    rows = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{g}> {{ ?r "
                       "<https://w3id.org/hrkg/ontology#recommendingState> ?s } }")
    return int(next(iter(rows))["n"].value)


def test_support_by_regional_group(store, raw) -> None:
    answered, supported = Counter(), Counter()
    for rec, frm in raw.pairs():
        key = (raw.g(frm), raw.g(rec["to"]))
        answered[key] += 1
        supported[key] += rec["response"] == "Accepted"
    got = {(r["recommendingGroup"], r["reviewedGroup"]): r
           for r in ask(store, "support-by-regional-group", upr_info_only=True)}
    assert set(got) == set(answered)
    for key, row in got.items():
        assert int(row["answered"]) == answered[key]
        assert int(row["supported"]) == supported[key]
        assert row["supportedPercent"] == percent(supported[key], answered[key])


def test_recommendations_received_per_cycle(store, raw, upr_corpus) -> None:
    want = defaultdict(lambda: [0, 0])
    for rec in raw.recs.values():
        cell = want[(rec["to"], cycle(rec["session"]))]
        cell[0] += 1
        cell[1] += rec["response"] == "Accepted"
    got = {(r["iso3"], int(r["cycle"])): [int(r["received"]), int(r["supported"])]
           for r in ask(store, "recommendations-received-per-cycle", upr_info_only=True)}
    assert got == dict(want)
    full = {(r["iso3"], int(r["cycle"])): int(r["received"])
            for r in ask(store, "recommendations-received-per-cycle")}
    only = Counter((iri.split("/")[-2], cycle(iri.split("/")[-3]))
                   for iri in report_only_iris(upr_corpus))
    only[("USA", 3)] += 347
    # Slovenia's third and fourth reviews, which UPR Info's export does not hold: the
    # paragraphs of their reports and thematic lists (counted in the files by
    # tests/loaders/test_thematic_list.py and test_ohchr_upr.py)
    only[("SVN", 3)] += 215
    only[("SVN", 4)] += 254
    assert full == {k: got.get(k, [0])[0] + only.get(k, 0) for k in set(got) | set(only)}


def test_recommendations_made_per_cycle(store, raw) -> None:
    made, to = Counter(), defaultdict(set)
    for rec, frm in raw.pairs():
        key = (frm, cycle(rec["session"]))
        made[key] += 1
        to[key].add(rec["to"])
    got = {(r["iso3"], int(r["cycle"])): (int(r["made"]), int(r["statesAddressed"]))
           for r in ask(store, "recommendations-made-per-cycle", upr_info_only=True)}
    assert got == {k: (made[k], len(to[k])) for k in made}


def test_coverage_per_session(store, raw, upr_corpus) -> None:
    reviews, recs, answered = defaultdict(set), Counter(), Counter()
    for rec in raw.recs.values():
        reviews[rec["session"]].add(rec["to"])
        recs[rec["session"]] += 1
        answered[rec["session"]] += rec["response"] in ("Accepted", "Noted")
    got = {int(r["session"]): r for r in ask(store, "coverage-per-session",
                                               upr_info_only=True)}
    assert set(got) == set(recs)
    for s, row in got.items():
        assert (int(row["reviews"]), int(row["recommendations"]), int(row["withResponse"]),
                int(row["withReportParagraph"])) == (len(reviews[s]), recs[s], answered[s], 0)
    full = {int(r["session"]): r for r in ask(store, "coverage-per-session")}
    only = Counter(int(iri.split("/")[-3]) for iri in report_only_iris(upr_corpus))
    assert int(full[36]["recommendations"]) == 347 and int(full[36]["reviews"]) == 1
    for s in recs:
        assert int(full[s]["recommendations"]) == recs[s] + only[s]
        assert int(full[s]["withResponse"]) == answered[s]  # the reports give no response
        assert int(full[s]["withReportParagraph"]) <= int(full[s]["recommendations"])
    # 31,974 report items, of which 99 % are UPR Info's recommendations
    assert sum(int(r["withReportParagraph"]) for r in full.values()) > 30_000


def _theme_labels() -> set[str]:
    text = (resource_dir("ontology") / "themes.ttl").read_text(encoding="utf-8")
    return set(re.findall(r'skos:prefLabel "([^"]+)"@en', text))


def test_themes_by_cycle(store, raw) -> None:
    labels = _theme_labels()
    per, total = Counter(), Counter()
    for rec in raw.recs.values():
        c = cycle(rec["session"])
        total[c] += 1
        for t in rec["themes"] & labels:
            per[(t, c)] += 1
    got = {(r["theme"], int(r["cycle"])): r for r in ask(store, "themes-by-cycle",
                                                         upr_info_only=True)}
    assert set(got) == set(per)
    for (t, c), row in got.items():
        assert int(row["recommendations"]) == per[(t, c)]
        assert row["percent"] == percent(per[(t, c)], total[c])


def test_action_categories_by_regional_group(store, raw) -> None:
    per, total = Counter(), Counter()
    for rec, frm in raw.pairs():
        per[(raw.g(frm), rec["action"])] += 1
        total[raw.g(frm)] += 1
    got = {(r["recommendingGroup"], r["category"]): r
           for r in ask(store, "action-categories-by-regional-group", upr_info_only=True)}
    assert set(got) == set(per)
    for (grp, cat), row in got.items():
        assert int(row["recommendations"]) == per[(grp, cat)]
        assert row["percent"] == percent(per[(grp, cat)], total[grp])


def test_top_recommending_states(store, raw) -> None:
    made, to, yes = Counter(), defaultdict(set), Counter()
    for rec, frm in raw.pairs():
        made[frm] += 1
        to[frm].add(rec["to"])
        yes[frm] += rec["response"] == "Accepted"
    top = sorted(made, key=lambda s: (-made[s], s))[:25]
    got = ask(store, "top-recommending-states", upr_info_only=True)
    assert [r["iso3"] for r in got] == top
    for r in got:
        s = r["iso3"]
        assert (int(r["made"]), int(r["statesAddressed"]), int(r["supported"])) == \
            (made[s], len(to[s]), yes[s])
    assert got[0]["iso3"] == "FRA" and got[0]["name"] == "France"


def test_instruments_recommended_by_cycle(store, raw) -> None:
    """The tagger applied to the raw texts, counted in Python, against the query."""
    short = {code: inst.short_name for code, inst in instruments().items()}
    recs, states = Counter(), defaultdict(set)
    for rec in raw.recs.values():
        for code in instruments_mentioned(rec["text"], rec["session"]):
            key = (short[code], cycle(rec["session"]))
            recs[key] += 1
            states[key].add(rec["to"])
    got = {(r["instrument"], int(r["cycle"])): (int(r["recommendations"]), int(r["states"]))
           for r in ask(store, "instruments-recommended-by-cycle", upr_info_only=True)}
    assert got == {k: (recs[k], len(states[k])) for k in recs}


def test_parties_by_regional_group(store, raw, data_dir: Path) -> None:
    import pycountry
    want = Counter()
    for inst in instruments().values():
        if not inst.table:
            continue
        for r in table(data_dir, inst.table):
            country = pycountry.countries.get(alpha_2={"TP": "TL"}.get(r["iso2"], r["iso2"]))
            iso = country.alpha_3 if country else None
            if r["status"] == "state party" and "Denounced" not in (r.get("note") or "") \
                    and iso in raw.group:
                want[(inst.short_name, raw.group[iso])] += 1
    got = {(r["instrument"], r["group"]): int(r["parties"])
           for r in ask(store, "parties-by-regional-group")}
    assert got == dict(want)


def test_noted_share_per_reviewed_state(store, raw) -> None:
    answered, noted = Counter(), Counter()
    for rec in raw.recs.values():
        if rec["response"] in ("Accepted", "Noted"):
            answered[rec["to"]] += 1
            noted[rec["to"]] += rec["response"] == "Noted"
    want = sorted(((s, answered[s], noted[s]) for s in answered if answered[s] >= 100),
                  key=lambda t: (-Decimal(percent(t[2], t[1])), t[0]))
    got = ask(store, "noted-share-per-reviewed-state", upr_info_only=True)
    assert [(r["iso3"], int(r["answered"]), int(r["noted"])) for r in got] == want
    assert all(r["notedPercent"] == percent(int(r["noted"]), int(r["answered"])) for r in got)
