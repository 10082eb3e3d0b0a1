"""The upr-report loader (issue 4): reviews, symbols, paragraphs, groups, states, the PDF path,
reconciliation with UPR Info, broken input, and the corpus report, on the real reports."""

from __future__ import annotations

import json
import shutil
from collections import defaultdict
from pathlib import Path

import pytest
from pyoxigraph import Store

from hrkg.graph.query import run_query
from hrkg.loaders.upr_report import UprReportLoader, reconcile, report_symbols
from hrkg.loaders.upr_report_text import read
from hrkg.loading import LoadReport, Source
from hrkg.reference.states import resolver
from hrkg.terms import HR, RDF, rid
from tests.conftest import run

LOADER = UprReportLoader()
R = resolver()


def load(path: Path, relpath: str) -> tuple[Store, LoadReport]:
    source = Source.from_path(path, relpath)
    report = LoadReport(relpath)
    store = Store()
    store.extend(LOADER.load(source, report))
    return store, report


def values(store: Store, s, p) -> set[str]:
    return {q.object.value for q in store.quads_for_pattern(s, p, None)}


def by_paragraph(store: Store) -> dict[str, list]:
    out = defaultdict(list)
    for q in store.quads_for_pattern(None, HR.paragraph, None):
        out[q.object.value].append(q.subject)
    return out


@pytest.fixture(scope="module")
def reports(data_dir: Path) -> Path:
    return data_dir / "upr-reports"


def test_united_states_2011(reports: Path) -> None:
    store, rep = load(reports / "txt" / "unitedstatesofamerica2011.txt",
                      "upr-reports/txt/unitedstatesofamerica2011.txt")
    review = rid("review", "upr", 9, "USA")
    assert values(store, review, HR.reportSymbol) == {"A/HRC/16/11"}  # from the symbols table
    assert values(store, review, HR.session) == {"9"}
    assert values(store, review, HR.date) == {"2010-11-05"}
    assert values(store, review, HR.stateUnderReview) == {rid("state", "USA").value}
    paragraphs = by_paragraph(store)
    assert set(paragraphs) == {f"92.{n}" for n in range(1, 229)}
    for p, nodes in paragraphs.items():
        for node in nodes:
            assert values(store, node, HR.recommendingState), p
            assert values(store, node, HR.reportGroup) == {HR.GroupMade.value}
    # 92.1: Venezuela, the text without "(Bolivarian Republic of Venezuela);"
    [first] = paragraphs["92.1"]
    assert values(store, first, HR.recommendingState) == {rid("state", "VEN").value}
    [text] = values(store, first, HR.reportText)
    assert text.startswith("Ratify without reservations") and text.endswith("Human Rights System")
    # 92.12 holds two recommendations, each its own node with its own states
    assert len(paragraphs["92.12"]) == 2
    assert rep.errors == 0


def test_dprk_reports(reports: Path) -> None:
    expect = {"democraticpeoplesrepublicofkorea2010": ("A/HRC/13/13", 6, "2009-12-07",
                                                       {"90": 117, "91": 50}),
              "democraticpeoplesrepublicofkorea2014": ("A/HRC/27/10", 19, "2014-05-01",
                                                       {"124": 185, "125": 83})}
    for stem, (symbol, session, day, groups) in expect.items():
        store, _ = load(reports / "txt" / f"{stem}.txt", f"upr-reports/txt/{stem}.txt")
        review = rid("review", "upr", session, "PRK")
        assert values(store, review, HR.reportSymbol) == {symbol}
        assert values(store, review, HR.date) == {day}
        tops = defaultdict(set)
        for p in by_paragraph(store):
            tops[p.split(".")[0]].add(int(p.split(".")[1]))
        assert {k: len(v) for k, v in tops.items()} == groups
        assert all(v == set(range(1, max(v) + 1)) for v in tops.values())
    # 2010: the prefixes "90." / "91." were lost in extraction and are restored
    rep = read(reports / "txt" / "democraticpeoplesrepublicofkorea2010.txt", R.resolve)
    assert all(i.restored for i in rep.items)
    assert {k: v[0] for k, v in rep.groups.items()} == {"90": "examined", "91": "noted"}


def _items(path: Path) -> list[tuple]:
    rep = read(path, R.resolve)
    return [(i.paragraph, i.part, i.text, tuple(i.states_written), i.group) for i in rep.items]


def test_text_and_pdf_give_the_same_recommendations(reports: Path, tmp_path: Path) -> None:
    txt = _items(reports / "txt" / "unitedstatesofamerica2011.txt")
    pdf = _items(reports / "pdf" / "unitedstatesofamerica2011.pdf")
    assert len(txt) == 255 and pdf == txt
    # and through the loader, with the PDF alone in a data directory (no text twin)
    root = tmp_path / "data" / "upr-reports" / "pdf"
    root.mkdir(parents=True)
    shutil.copy(reports / "pdf" / "unitedstatesofamerica2011.pdf", root)
    store, rep = load(root / "unitedstatesofamerica2011.pdf",
                      "upr-reports/pdf/unitedstatesofamerica2011.pdf")
    assert values(store, rid("review", "upr", 9, "USA"), HR.reportSymbol) == {"A/HRC/16/11"}
    assert set(by_paragraph(store)) == {f"92.{n}" for n in range(1, 229)}
    # the PDF's symbol is the one the symbols table gives for the text
    assert read(reports / "pdf" / "unitedstatesofamerica2011.pdf").symbol == \
        report_symbols()["unitedstatesofamerica2011"][0]


def test_symbols_table_agrees_with_the_pdfs(reports: Path) -> None:
    table = report_symbols()
    checked = 0
    for pdf in sorted((reports / "pdf").glob("*.pdf")):
        if pdf.stem in table:
            assert read(pdf).symbol == table[pdf.stem][0], pdf.name
            checked += 1
    assert checked == len(table) == 8


def test_pdf_with_a_text_twin_is_not_read_twice(reports: Path) -> None:
    store, rep = load(reports / "pdf" / "unitedstatesofamerica2011.pdf",
                      "upr-reports/pdf/unitedstatesofamerica2011.pdf")
    assert not list(store.quads_for_pattern(None, RDF.type, HR.Recommendation))
    assert any("upr-reports/txt/unitedstatesofamerica2011.txt" in f.message
               for f in rep.findings)


def test_reconciled_with_upr_info(reports: Path, data_dir: Path) -> None:
    rec = reconcile(reports / "txt" / "unitedstatesofamerica2011.txt", data_dir)
    # every item of the US report matches a UPR Info recommendation of session 9
    assert len(rec.matches) == 255 and rec.unmatched_items == []
    upr = {iri.value for iri in rec.iris}
    assert all("/recommendation/upr/9/USA/" in i and "/para-" not in i for i in upr)
    # each paragraph item is a UPR Info recommendation of its own here
    assert len(upr) == 255
    # without UPR Info, every item keeps a paragraph IRI of its own
    alone = reconcile(reports / "txt" / "unitedstatesofamerica2011.txt", None)
    assert alone.matches == [] and len(alone.unmatched_items) == 255
    assert rid("recommendation", "upr", 9, "USA", "para-92.12-2") in alone.iris


def test_recommending_state_that_is_the_state_under_review(tmp_path: Path,
                                                           reports: Path) -> None:
    text = (reports / "txt" / "unitedstatesofamerica2011.txt").read_bytes()
    text = text.replace(b"(Bolivarian Republic of Venezuela);", b"(United States of America);", 1)
    path = tmp_path / "upr-reports" / "txt" / "self2011.txt"
    path.parent.mkdir(parents=True)
    path.write_bytes(text)
    store, rep = load(path, "upr-reports/txt/self2011.txt")
    [first] = by_paragraph(store)["92.1"]
    assert values(store, first, HR.recommenderAsWritten) == {"United States of America"}
    assert not values(store, first, HR.recommendingState)
    assert any("92.1: recommending state 'United States of America' is the state under "
               "review" in f.message for f in rep.findings)


def test_broken_reports_are_errors_of_their_file(tmp_path: Path, reports: Path) -> None:
    data = (reports / "txt" / "unitedstatesofamerica2011.txt").read_bytes()
    folder = tmp_path / "upr-reports" / "txt"
    folder.mkdir(parents=True)
    cases = {
        "quarter.txt": (data[: len(data) // 4],
                        "no 'Conclusions and/or recommendations' section"),
        "intro-only.txt": (data[: data.index(b"II. Conclusions and/or")],
                           "no 'Conclusions and/or recommendations' section"),
        "empty.txt": (b"", "the file is empty"),
        "image.txt": (b"\x89PNG\r\n\x1a\n\x00\x00", "the file is binary"),
    }
    for name, (content, message) in cases.items():
        (folder / name).write_bytes(content)
        store, rep = load(folder / name, f"upr-reports/txt/{name}")
        assert [f.severity for f in rep.findings] == ["error"], name
        assert message in rep.findings[0].message, rep.findings[0]
        assert not list(store.quads_for_pattern(None, RDF.type, HR.Recommendation))
        # the file is still described, so its graph says what was read and failed
        assert list(store.quads_for_pattern(None, RDF.type, HR.SourceFile))
    # a report cut inside its recommendations loads what is there, and says it is cut
    (folder / "cut.txt").write_bytes(data[: int(len(data) * 0.6)])
    store, rep = load(folder / "cut.txt", "upr-reports/txt/cut.txt")
    assert 0 < len(by_paragraph(store)) < 228
    assert any("cut short" in f.message for f in rep.findings)
    pdfs = tmp_path / "upr-reports" / "pdf"
    pdfs.mkdir()
    for name, content, message in [
        ("fake.pdf", b"<html>not a pdf</html>", "not a PDF (no %PDF- header)"),
        ("short.pdf", (reports / "pdf" / "liberia2011.pdf").read_bytes()[:3000],
         "the PDF cannot be read"),
    ]:
        (pdfs / name).write_bytes(content)
        store, rep = load(pdfs / name, f"upr-reports/pdf/{name}")
        assert [f.severity for f in rep.findings] == ["error"], (name, rep.findings)
        assert message in rep.findings[0].message, rep.findings[0]


def test_corpus_report(data_dir: Path, tmp_path: Path) -> None:
    unmatched = tmp_path / "unmatched.tsv"
    code, out = run("report", "upr", "--data", str(data_dir), "--format", "json",
                    "--unmatched", str(unmatched))
    assert code == 0, out
    doc = json.loads(out)
    t = doc["totals"]
    assert (t["reports"], t["reports read"], t["reports not read"]) == (263, 263, 0)
    rows = doc["reports"]
    assert t["recommendations"] == sum(r["recommendations"] for r in rows) == 31974
    assert t["matched a UPR Info recommendation"] == 31700
    # issue 13: 261 fragments fold into the UPR Info recommendation that holds them whole,
    # 5 items are report text (not loaded), 8 recommendations only a report holds
    assert (t["fragments folded into a UPR Info recommendation"],
            t["not recommendations (report text read as one; not loaded)"],
            t["only in the report"]) == (261, 5, 8)
    assert t["recommendations"] == (t["matched a UPR Info recommendation"]
                                    + t["fragments folded into a UPR Info recommendation"]
                                    + t["not recommendations (report text read as one; "
                                        "not loaded)"] + t["only in the report"])
    # every unresolved name is listed, and each is one a report writes
    assert t["unresolved state names"] == [
        "Bolivarian Republic of", "Islamic Republic of", "NA", "None"]
    us = next(r for r in rows if r["file"] == "txt/unitedstatesofamerica2011.txt")
    assert (us["symbol"], us["session"], us["recommendations"], us["missing_paragraphs"]) == (
        "A/HRC/16/11", 9, 255, [])
    lines = unmatched.read_text(encoding="utf-8").splitlines()
    assert lines[0].split("\t") == ["side", "file", "review", "paragraph", "iri", "states", "text",
                                    "reason"]
    sides = [ln.split("\t")[0] for ln in lines[1:]]
    assert sides.count("report") == t["only in the report"]
    assert sides.count("not a recommendation") == 5
    lacking = t["UPR Info recommendations of these reviews not in the report"]
    assert sides.count("upr-info") == lacking
    # the reviews of ohchr-upr/ (issue 14), after the 2008-2014 corpus, its totals untouched
    reviews = {(r["state"], r["session"]): r for r in doc["ohchr_reviews"]}
    assert sorted(reviews) == [("SVN", 7), ("SVN", 20), ("SVN", 34), ("SVN", 48)]
    c4 = reviews[("SVN", 48)]
    assert (c4["symbol"], c4["review_date"], c4["adoption_date"], c4["paragraphs"]) == (
        "A/HRC/59/15", "2025-01-28", "2025-07-02", 254)
    assert c4["positions"] == {"accepted": 178, "implemented": 39, "noted": 37}
    assert c4["claimed"] == {"supported": 217, "noted": 37} and c4["claims_confirmed"]
    [lst] = c4["lists"]
    assert (lst["entries"], lst["supported"], lst["noted"]) == (254, 217, 37)
    assert lst["states_differ"] == lst["positions_differ"] == lst["words_differ"] == []
    assert len(lst["citations_differ"]) == 8
    c1 = reviews[("SVN", 7)]
    assert (c1["matched"], c1["only_in_report"], c1["upr_info_not_in_report"]) == (103, 0, 3)
    assert sides.count("upr-info (ohchr)") == 3 and sides.count("report (ohchr)") == 0


def test_built_store_holds_both_sources(store) -> None:
    """One node, facts from each source in its own graph: the UPR Info response and the
    report's paragraph, as a researcher would ask for them."""
    q = """PREFIX hr: <https://w3id.org/hrkg/ontology#>
    SELECT DISTINCT ?p ?rg ?ug ?response WHERE {
      ?r hr:reportSymbol "A/HRC/16/11" .
      ?rec hr:review ?r .
      GRAPH ?rg { ?rec hr:paragraph ?p }
      GRAPH ?ug { ?rec hr:response ?response }
      FILTER (?p = "92.1")
    }"""
    a = run_query(store, q)
    [row] = [[t.value for t in r] for r in a.rows]
    assert row[1].endswith("/graph/upr-reports/txt/unitedstatesofamerica2011.txt")
    assert row[2].endswith("/graph/upr-info/sessions-06-09.csv")
    assert row[3] == HR.Noted.value
