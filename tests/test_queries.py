"""Every example query, answered on the built store, against counts made from the raw files."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from hrkg.graph.query import run_query
from hrkg.resources import query_files
from tests.conftest import report_only_iris

QUERIES = {p.stem: p for p in query_files()}


def answer(store, name: str) -> list[dict[str, str]]:
    a = run_query(store, QUERIES[name].read_text())
    return [{v: (t.value if t is not None else None) for v, t in zip(a.variables, row, strict=True)}
            for row in a.rows]


def upr_rows(data: Path) -> list[dict[str, str]]:
    rows = []
    for f in sorted((data / "upr-info").glob("*.csv")):
        text = f.read_bytes().decode("mac_roman").replace("\r", "\n")
        rows += list(csv.DictReader(io.StringIO(text)))
    return rows


def norm(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


def rec_key(r: dict[str, str]) -> tuple:
    return (r["Session"], r["To"], norm(r["Text"]), r["Response"], r["Action"])


def table(data: Path, code: str) -> list[dict[str, str]]:
    path = data / "ratification" / f"hr_status_{code}.csv"
    return list(csv.DictReader(path.read_text(encoding="utf-8").splitlines()))


def test_at_least_ten_queries_each_with_a_question() -> None:
    assert len(QUERIES) >= 10
    for name, path in QUERIES.items():
        assert path.read_text().startswith("# Question:"), name


def test_iccpr_parties_not_op2(store, data_dir: Path) -> None:
    iccpr = {r["iso2"] for r in table(data_dir, "iccpr") if r["status"] == "state party"}
    op2 = {r["iso2"] for r in table(data_dir, "iccpr_op2") if r["status"] == "state party"}
    rows = answer(store, "iccpr-parties-not-op2")
    assert len(rows) == len(iccpr - op2) == 85
    assert any(r["state"].endswith("/PRK") for r in rows)
    assert any(r["state"].endswith("/USA") for r in rows)


def test_parties_per_instrument(store, data_dir: Path) -> None:
    from hrkg.reference.states import instruments
    got = {r["instrument"]: int(r["parties"]) for r in answer(store, "parties-per-instrument")}
    for ins in instruments().values():
        if not ins.table:
            continue
        rows = table(data_dir, ins.table)
        parties = sum(1 for r in rows if r["status"] == "state party"
                      and "Denounced" not in (r.get("note") or ""))
        assert got[ins.short_name] == parties, ins.code
    assert len(got) == 18


def test_dprk_reviews(store, data_dir: Path) -> None:
    raw = [r for r in upr_rows(data_dir)
           if r["To"] == "DPR Korea" and r["Response"] != "Voluntary Pledge"]
    got = {r["session"]: r for r in answer(store, "dprk-reviews")}
    assert set(got) == {"6", "19"}
    for session in ("6", "19"):
        mine = [r for r in raw if r["Session"] == session]
        assert int(got[session]["recommendations"]) == len({rec_key(r) for r in mine})
        assert int(got[session]["recommendingStates"]) == len({r["From"] for r in mine})
        assert int(got[session]["supportedRecommendations"]) == len(
            {rec_key(r) for r in mine if r["Response"] == "Accepted"})
    assert got["6"]["cycle"] == "1" and got["19"]["cycle"] == "2"


def test_us_cycle1_by_response_and_theme(store, data_dir: Path) -> None:
    themes = defaultdict(set)
    for r in upr_rows(data_dir):
        if r["To"] == "United States" and r["Session"] == "9":
            for t in r["Issue"].split(","):
                themes[rec_key(r)].add(
                    (t.strip(), "supported" if r["Response"] == "Accepted" else "noted"))
    expected = Counter(pair for pairs in themes.values() for pair in pairs)
    got = {(r["theme"], r["response"]): int(r["recommendations"])
           for r in answer(store, "us-cycle1-by-response-theme")}
    assert got == dict(expected)


def test_un_members_by_group(store, data_dir: Path) -> None:
    groups = defaultdict(set)
    for r in upr_rows(data_dir):
        groups[r["To-Rgrp"]].add(r["To"])
    got = {r["group"]: int(r["members"]) for r in answer(store, "un-members-by-group")}
    assert sum(got.values()) == 193
    assert got == {g: len(states) for g, states in groups.items()}


_CEDAW = (r"(?:CEDAW|Convention\s+on\s+the\s+Elimination\s+of\s+All\s+Forms\s+of\s+"
          r"Discrimination\s+against\s+Women)")
# a protocol's name holds the Convention's (and often its acronym after it): it names the
# protocol only ("the Optional Protocol to the Convention on the Elimination of All Forms of
# Discrimination against Women (CEDAW)", "the optional protocols to CEDAW and CAT")
_CEDAW_PROTOCOL = re.compile(
    r"(?i)(?:\boptional\s+|\b)protocols?(?:\s+thereto)?\s+(?:to|of)\s+(?:the\s+)?"
    rf"(?:International\s+)?{_CEDAW}(?:\s*\(CEDAW\))?|\bOP-?CEDAW\b|"
    # "the Optional Protocols to the ICCPR and the ICESCR and to the Convention on …"
    rf"\bprotocols\s+to\s+[^.;]{{0,200}}?\band\s+to\s+(?:the\s+)?{_CEDAW}")


def _cedaw_ratification(text: str) -> bool:
    """A recommendation to ratify or accede to CEDAW itself, read with regular expressions
    (independently of hrkg's tagger): the Convention named outside a protocol's name, and a
    word of ratification."""
    rest = _CEDAW_PROTOCOL.sub(" ", text)
    return (re.search(rf"(?i)(?<![\w-]){_CEDAW}(?![\w-])", rest) is not None
            and re.search("ratif|accede|accession", text, re.I) is not None)


def _report_cedaw_ratification(data_dir: Path) -> int:
    """(recommendation, state) pairs the reports add: the states of the recommendations only
    they hold, and the states a report names for a UPR Info recommendation that UPR Info
    does not (the report's claim, asserted in the report's graph)."""
    from hrkg.loaders.upr_corpus import report_files
    from hrkg.loaders.upr_report import reconcile, upr_info_index

    pairs = set()
    for path in report_files(data_dir):
        rec = reconcile(path, data_dir)
        cands = upr_info_index(data_dir)[(rec.report.session, rec.iso3)]
        # matched, or folded as a fragment (issue 13): the node is UPR Info's recommendation
        matched = {m.item: cands[m.candidate] for m in [*rec.matches, *rec.folds]}
        for n, item in enumerate(rec.report.items):
            if n in matched:
                if _cedaw_ratification(matched[n].text):
                    pairs |= {(rec.iris[n].value, s) for s in rec.states[n] - matched[n].states}
            elif n in rec.unmatched_items and _cedaw_ratification(item.text):
                pairs |= {(rec.iris[n].value, s) for s in rec.states[n]}
    return len(pairs)


def test_cedaw_ratification_recommenders(store, data_dir: Path) -> None:
    by_state = defaultdict(set)
    for r in upr_rows(data_dir):
        if r["Response"] != "Voluntary Pledge" and _cedaw_ratification(r["Text"]):
            by_state[r["From"]].add(rec_key(r))
    cycle3 = data_dir / "us-upr-cycle3" / "us_upr_cycle3_recommendations.csv"
    us3 = [r for r in csv.DictReader(cycle3.read_text(encoding="utf-8").splitlines())
           if _cedaw_ratification(r["text"])]
    rows = answer(store, "cedaw-ratification-recommenders")
    total = sum(int(r["recommendations"]) for r in rows)
    expected = sum(len(v) for k, v in by_state.items() if k != "&#40;Unknown&#41;")
    expected += sum(len([s for s in r["recommending_state"].split(";") if s.strip()]) for r in us3)
    added = _report_cedaw_ratification(data_dir)
    assert 0 < added < 20
    assert total == expected + added
    top = max(by_state, key=lambda k: len(by_state[k]))
    assert int(rows[0]["recommendations"]) >= len(by_state[top])


def test_us_cedaw_recommenders(store, data_dir: Path) -> None:
    us9 = [r for r in upr_rows(data_dir) if r["To"] == "United States" and r["Session"] == "9"
           and _cedaw_ratification(r["Text"])]
    rows = answer(store, "us-cedaw-recommenders")
    s9 = [r for r in rows if r["session"] == "9"]
    assert len(s9) == len({(r["From"], norm(r["Text"])) for r in us9}) > 0
    assert {r["response"] for r in s9} <= {"supported", "noted"}


def test_pledges_per_state(store, data_dir: Path) -> None:
    per_state = defaultdict(set)
    for r in upr_rows(data_dir):
        if r["Response"] == "Voluntary Pledge":
            per_state[r["To"]].add(rec_key(r))
    rows = answer(store, "pledges-per-state")
    assert len(rows) == len(per_state)
    assert sum(int(r["pledges"]) for r in rows) == sum(len(v) for v in per_state.values())


def test_doubtful_treaty_actions(store, data_dir: Path) -> None:
    rows = answer(store, "doubtful-treaty-actions")
    tp = [r for r in rows if "'TP'" in r["issue"]]
    # a row with no action makes no treaty action, so only parties and signatories carry it
    files_with_tp = [f for f in (data_dir / "ratification").glob("*.csv")
                     if any(line.startswith("TP,") and "no action" not in line
                            for line in f.read_text().splitlines())]
    assert len(tp) == len(files_with_tp) == 13
    assert any(r["state"] == "USA" and r["instrument"] == "ICERD" for r in rows)


def test_recommendation_provenance(store, data_dir: Path) -> None:
    import hashlib

    from hrkg.loaders.upr_report_text import read
    from hrkg.reference.states import resolver

    path = data_dir / "upr-info" / "sessions-06-09.csv"
    lines = path.read_bytes().decode("mac_roman").split("\r")
    expected = {(path, n) for n, line in enumerate(lines, start=1)
                if line.startswith("United States,") and ",Sweden," in line and line.endswith(",9")}
    # the same recommendations in the Working Group report, by the line of their paragraph
    report = data_dir / "upr-reports" / "txt" / "unitedstatesofamerica2011.txt"
    items = read(report, resolver().resolve).items
    expected |= {(report, i.line) for i in items if "Sweden" in i.states_written}
    rows = answer(store, "recommendation-provenance")
    assert {(data_dir / r["path"], int(r["line"])) for r in rows} == expected
    assert {r["loader"] for r in rows} == {"upr-info-csv", "upr-report"}
    assert {r["sha256"] for r in rows} == {hashlib.sha256(p.read_bytes()).hexdigest()
                                           for p in (path, report)}


def test_state_treaty_actions(store, data_dir: Path) -> None:
    expected = set()
    for f in sorted((data_dir / "ratification").glob("*.csv")):
        for r in csv.DictReader(f.read_text(encoding="utf-8").splitlines()):
            if r["iso2"] == "KP" and r["status"] in ("state party", "signatory state"):
                expected.add(f.name)
    rows = answer(store, "state-treaty-actions")
    assert {r["source"].split("/")[1] for r in rows} == expected
    assert len(rows) == len(expected) == 6


def test_us_cycle3_partially_supported(store, data_dir: Path) -> None:
    path = data_dir / "us-upr-cycle3" / "us_upr_cycle3_recommendations.csv"
    expected = [r["paragraph"]
                for r in csv.DictReader(path.read_text(encoding="utf-8").splitlines())
                if r["position"] == "supported_noted"]
    assert [r["paragraph"] for r in answer(store, "us-cycle3-partially-supported")] == expected


def test_report_paragraphs(store, data_dir: Path) -> None:
    from hrkg.loaders.upr_report_text import read
    from hrkg.reference.states import resolver

    res = resolver()
    items = read(data_dir / "upr-reports" / "txt" / "unitedstatesofamerica2011.txt",
                 res.resolve).items
    expected = {(i.paragraph, res.resolve(s)) for i in items for s in i.states_written}
    rows = answer(store, "report-paragraphs")
    labels = {r["state"] for r in rows}
    assert len(labels) > 50
    got = {(r["paragraph"], res.resolve(r["state"])) for r in rows}
    assert got == expected
    assert {r["group"] for r in rows} == {"made"}
    # UPR Info's answer is there for every one (all 255 items matched)
    assert {r["response"] for r in rows} == {"supported", "noted"}
    assert rows[0]["paragraph"] == "92.1" and rows[-1]["paragraph"] == "92.228"


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_every_query_is_tested_here(name: str) -> None:
    here = Path(__file__).parent
    assert any(f'"{name}"' in (here / f).read_text()
               for f in ("test_queries.py", "test_research_queries.py", "test_raw_counts.py"))


DOCUMENTS = Path(__file__).resolve().parent.parent / "data" / "documents"


def test_liberia_iccpr_dates_in_documents(store) -> None:
    rows = answer(store, "liberia-iccpr-dates-in-documents")
    assert [(r["kind"], r["date"]) for r in rows] == [("Signature", "1967-04-18"),
                                                      ("Ratification", "2004-09-22")]
    page = (DOCUMENTS / "us-embassy-monrovia-human-rights-defenders.txt").read_text(
        encoding="utf-8")
    for r, words in zip(rows, ("On April 18, 1967, Liberia became the twelfth State to sign",
                               "Liberia ratified both on September 22, 2004"), strict=True):
        assert r["sentence"].startswith(words)
        assert page[int(r["begin"]):int(r["end"])] == r["sentence"]
        assert r["document"] == "U.S. Support for Human Rights Defenders"


def test_people_mentioned_with_north_korea(store) -> None:
    rows = {r["person"].rsplit("/", 1)[1]: r
            for r in answer(store, "people-mentioned-with-north-korea")}
    # the six officials the release names, its speaker, the envoy, the rapporteur, the
    # special representative, and Secretary Kerry (the landing page names North Korea too)
    assert set(rows) == {"kim-won-hong", "kim-yo-jong", "choe-hwi", "kim-il-nam", "min-byong-chol",
                         "jo-yong-won", "mark-toner", "robert-king", "marzuki-darusman", "sung-kim",
                         "john-kerry"}
    assert rows["robert-king"]["positions"] == "Special Envoy for North Korean Human Rights Issues"
    assert set(rows["robert-king"]["documents"].split(" | ")) == {
        "Human Rights", "U.S. Policy On N. Korea Human Rights"}
    assert rows["marzuki-darusman"]["positions"] == (
        "Special Rapporteur on the situation of human rights in the DPRK (United Nations)")
    assert rows["sung-kim"]["positions"] == (
        "Special Representative for North Korea Policy (U.S. Department of State)")


def test_documents_mentioning_us_upr(store) -> None:
    rows = answer(store, "documents-mentioning-us-upr")
    assert {r["document"].rsplit("/", 1)[1] for r in rows} == {"ushrn-us-upr-global-scrutiny-2020"}
    assert [(r["session"], r["anchor"]) for r in rows] == [
        ("36", "2020"), ("36", "November 9, 2020"), ("9", "2011"), ("22", "2015"),
        ("36", "November 2020")]
    text = (DOCUMENTS / "ushrn-us-upr-global-scrutiny-2020.txt").read_text(encoding="utf-8")
    assert all(text[int(r["begin"]):int(r["begin"]) + len(r["anchor"])] == r["anchor"]
               for r in rows)


# --- Slovenia's four reviews (issue 14), checked against the raw files --------------------

SLOVENIA = {3: "ohchr-upr/slovenia/cycle3/thematic-list-UPR34.docx",
            4: "ohchr-upr/slovenia/cycle4/thematic-list-UPR48.docx"}


def list_rows(data: Path, cycle: int) -> list[dict[str, object]]:
    """A thematic list's rows straight from its Word table (python-docx, not the loader):
    paragraph, words without the states, states, position, themes."""
    import docx

    from hrkg.reference.states import resolver

    res = resolver()
    table = docx.Document(str(data / SLOVENIA[cycle])).tables[0]
    rows = []
    for row in table.rows[1:]:
        cells = [c.text for c in row.cells]
        m = re.match(r"(\d+\.\d+) (.*)", cells[0].split("\n")[0])
        if not m:
            continue
        groups = re.findall(r"\(([^()]+)\)", m.group(2))
        states = {res.resolve(g) for g in groups} - {None}
        words = re.sub(r"\s*\(([^()]+)\)", lambda g: "" if res.resolve(g.group(1)) else g.group(0),
                       m.group(2)).strip(" ;.")
        themes = []
        for line in cells[2].split("\n"):
            marker = line.strip().rstrip(":").lower()
            if marker in ("sdgs", "affected persons", "groups of persons"):
                break
            if line.startswith("- "):
                themes.append(line[2:].strip())
        rows.append({"paragraph": m.group(1), "words": words, "states": states,
                     "position": cells[1].strip().lower(), "themes": themes})
    return rows


def test_recommendations_per_session(store, data_dir: Path, upr_corpus) -> None:
    per_session = defaultdict(set)
    for r in upr_rows(data_dir):
        if r["Response"] != "Voluntary Pledge":
            per_session[r["Session"]].add(rec_key(r))
    for iri in report_only_iris(upr_corpus):  # …/recommendation/upr/<session>/<ISO3>/para-…
        per_session[iri.split("/")[-3]].add(iri)
    got = {r["session"]: int(r["recommendations"])
           for r in answer(store, "recommendations-per-session")}
    # Slovenia's third and fourth reviews: one recommendation per paragraph of the list
    assert got == {**{s: len(v) for s, v in per_session.items()}, "36": 347,
                   "34": len(list_rows(data_dir, 3)), "48": len(list_rows(data_dir, 4))}
    assert (got["34"], got["48"]) == (215, 254)


def test_slovenia_international_instruments_four_cycles(store, data_dir: Path) -> None:
    import csv as _csv

    # cycles 1-2: UPR Info's rows with the theme, as UPR Info counts them
    expected: Counter = Counter()
    for r in upr_rows(data_dir):
        if (r["To"] == "Slovenia" and r["Session"] in ("7", "20")
                and r["Response"] != "Voluntary Pledge"
                and "International instruments" in [t.strip() for t in r["Issue"].split(",")]):
            expected[(1 if r["Session"] == "7" else 2,
                      "supported" if r["Response"] == "Accepted" else "noted", rec_key(r))] += 1
    counts = Counter((cycle, position) for cycle, position, _ in expected)
    # cycles 3-4: the lists' rows with an OHCHR theme the reviewed table links to it
    table = (Path(__file__).resolve().parent.parent / "data" / "reference" /
             "ohchr-concepts.tsv").read_text(encoding="utf-8").splitlines()
    linked = {r["label"] for r in _csv.DictReader([ln for ln in table if not ln.startswith("#")],
                                                   delimiter="\t")
              if r["scheme"] == "theme" and r["upr_info_theme"] == "International instruments"}
    assert linked == {"Acceptance of international norms", "Scope of international obligations",
                      "Ratification of & accession to international instruments"}
    paragraphs = {}
    for cycle in (3, 4):
        mine = [r for r in list_rows(data_dir, cycle) if set(r["themes"]) & linked]
        counts.update((cycle, r["position"]) for r in mine)
        paragraphs[cycle] = sorted(str(r["paragraph"]) for r in mine)
    rows = answer(store, "slovenia-international-instruments-four-cycles")
    got = Counter((int(r["cycle"]), r["position"]) for r in rows)
    assert got == counts
    assert dict(got) == {(1, "supported"): 7, (1, "noted"): 5, (2, "supported"): 15,
                         (2, "noted"): 9, (3, "supported"): 6, (3, "noted"): 9,
                         (4, "supported"): 9, (4, "noted"): 6}
    for cycle in (3, 4):
        assert sorted(r["paragraph"] for r in rows if r["cycle"] == str(cycle)) == \
            paragraphs[cycle]
    assert {r["session"] for r in rows} == {"7", "20", "34", "48"}
    # the themes each row came through: UPR Info's, then OHCHR's
    assert {r["themes"] for r in rows if r["cycle"] in ("1", "2")} == {"International instruments"}
    assert {r["themes"] for r in rows if r["cycle"] == "4"} == {
        "Ratification of & accession to international instruments"}


def test_slovenia_noted_then_supported(store, data_dir: Path) -> None:
    from rapidfuzz import fuzz

    noted3 = [r for r in list_rows(data_dir, 3) if r["position"] == "noted"]
    supported4 = [r for r in list_rows(data_dir, 4) if r["position"] == "supported"]
    expected = set()
    for a in noted3:
        for b in supported4:
            wa, wb = norm(str(a["words"])), norm(str(b["words"]))
            if (a["states"] & b["states"] and min(len(wa.split()), len(wb.split())) >= 5
                    and fuzz.token_set_ratio(wa, wb) >= 85):
                expected |= {(a["paragraph"], b["paragraph"], s) for s in a["states"] & b["states"]}
    assert expected == {("122.7", "140.11", "MKD")}
    rows = answer(store, "slovenia-noted-then-supported")
    from hrkg.reference.states import resolver
    assert {(r["paragraph3"], r["paragraph4"], resolver().resolve(r["state"])) for r in rows} \
        == expected
    assert rows[0]["text3"] == "Ratify the 1961 Convention on the Reduction of Statelessness"
