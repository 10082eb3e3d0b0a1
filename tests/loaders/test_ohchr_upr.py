"""The UN documents of Slovenia's four UPR reviews (issue 14): Working Group reports read
from the originals, addenda with the positions, decisions, the documents of the review;
one node per recommendation whatever the source; broken input."""

from __future__ import annotations

import shutil
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from pyoxigraph import Quad

from hrkg.errors import LoaderError
from hrkg.loaders.ohchr_documents import (
    expand_slashes,
    read_addendum,
    read_decision,
    read_document,
    repair_layout,
)
from hrkg.loaders.ohchr_upr import OhchrUprLoader, read_review, un_documents
from hrkg.loaders.thematic_list import read as read_list
from hrkg.loaders.upr_report_text import Item, read
from hrkg.loading import LoadReport, Source
from hrkg.reference.states import resolver
from hrkg.terms import HR

R = resolver()
SLOVENIA = "ohchr-upr/slovenia"
REPORTS = {1: "cycle1/A_HRC_14_15.pdf", 2: "cycle2/A_HRC_28_15.pdf",
           3: "cycle3/A_HRC_43_15.pdf", 4: "cycle4/A_HRC_59_15.pdf"}
BASE = "https://w3id.org/hrkg/id/"


@pytest.fixture(scope="module")
def root(data_dir: Path) -> Path:
    return data_dir


def reading(root: Path, cycle: int):
    return read_review(root, root / SLOVENIA / REPORTS[cycle])


def addendum(root: Path, cycle: int):
    r = reading(root, cycle)
    doc = read_document(root / SLOVENIA / REPORTS[cycle].replace(".pdf", "_Add.1.pdf"))
    return read_addendum(doc, list(r.text.report.groups))


def list_of(root: Path, cycle: int):
    name = {3: "cycle3/thematic-list-UPR34.docx", 4: "cycle4/thematic-list-UPR48.docx"}[cycle]
    return read_list(root / SLOVENIA / name, R.resolve)


def states_by_paragraph(items) -> dict[str, list[str | None]]:
    out: dict[str, list[str | None]] = defaultdict(list)
    for item in items:
        out[item.paragraph] += [R.resolve(s) for s in item.states_written]
    return dict(out)


def test_documents_are_known_by_their_masthead(root: Path) -> None:
    docs = un_documents(root)
    assert sorted(docs) == sorted([
        "A/HRC/14/15", "A/HRC/14/15/Add.1", "A/HRC/DEC/14/105",
        "A/HRC/28/15", "A/HRC/28/15/Add.1", "A/HRC/DEC/28/111",
        "A/HRC/43/15", "A/HRC/43/15/Add.1", "A/HRC/DEC/43/112",
        "A/HRC/WG.6/34/SVN/1", "A/HRC/WG.6/34/SVN/2", "A/HRC/WG.6/34/SVN/3",
        "A/HRC/59/15", "A/HRC/59/15/Add.1", "A/HRC/DEC/59/112",
        "A/HRC/WG.6/48/SVN/1", "A/HRC/WG.6/48/SVN/2", "A/HRC/WG.6/48/SVN/3"])
    issued = {s: (read_document(p).kind, str(read_document(p).issued)) for s, p in docs.items()}
    assert issued["A/HRC/59/15"] == ("report", "2025-03-24")
    assert issued["A/HRC/59/15/Add.1"] == ("addendum", "2025-04-08")
    assert issued["A/HRC/DEC/59/112"] == ("decision", "2025-07-14")
    assert issued["A/HRC/WG.6/48/SVN/1"] == ("national report", "2024-10-30")
    assert issued["A/HRC/WG.6/34/SVN/2"] == ("compilation", "2019-08-30")
    assert issued["A/HRC/WG.6/34/SVN/3"] == ("stakeholders' summary", "2019-08-14")
    # a file name that is not the symbol does not matter: the masthead is read
    assert all(read_document(p).notes == [] for p in docs.values())


def test_cycle4_report_gives_the_lists_paragraphs_and_states(root: Path) -> None:
    r = reading(root, 4)
    rep = r.text.report
    assert (rep.symbol, rep.session, str(rep.review_date), r.iso3) == (
        "A/HRC/59/15", 48, "2025-01-28", "SVN")
    assert not r.held_by_upr_info
    assert {k: v[0] for k, v in rep.groups.items()} == {"140": "examined"}
    assert len(rep.items) == 254 and rep.problems == []
    got = states_by_paragraph(rep.items)
    assert got == {e.paragraph: [R.resolve(s) for s in e.states_written]
                   for e in list_of(root, 4).entries}
    assert got["140.1"] == ["DZA", "CPV", "PRY", "SSD", "LKA", "TGO", "URY", "VEN"]
    assert r.nodes["140.7"] == [r.nodes["140.7"][0]] and r.nodes["140.7"][0].value == (
        f"{BASE}recommendation/upr/48/SVN/para-140.7")
    # pypdf's layout spacing is undone in the words
    words = {i.paragraph: i.text for i in rep.items}
    assert "awareness-raising across authorities" in words["140.29"]
    assert r.text.page_of(rep.items[0].line) == 11


def test_cycle3_report_gives_the_lists_paragraphs_and_states(root: Path) -> None:
    r = reading(root, 3)
    rep = r.text.report
    assert (rep.symbol, rep.session, str(rep.review_date)) == ("A/HRC/43/15", 34, "2019-11-12")
    assert {k: v[0] for k, v in rep.groups.items()} == {"121": "supported", "122": "examined"}
    assert len(rep.items) == 219 and len(r.nodes) == 215
    assert states_by_paragraph(rep.items) == {
        e.paragraph: [R.resolve(s) for s in e.states_written] for e in list_of(root, 3).entries}


def test_cycle4_addendum(root: Path) -> None:
    pos = addendum(root, 4)
    assert pos.claimed == {"supported": 217, "noted": 37}
    assert pos.counts() == {"supported": 217, "noted": 37}
    assert Counter(p.category for p in pos.by_paragraph.values()) == {
        "accepted": 178, "implemented": 39, "noted": 37}
    # "140.35. 140.36" and "140.116. 140.117": a full stop for a comma, both read
    for p in ("140.35", "140.36", "140.116", "140.117", "140.254"):
        assert (pos.by_paragraph[p].response, pos.by_paragraph[p].paragraph) == (
            "supported", "3"), p
    assert pos.by_paragraph["140.11"].category == "implemented"
    assert pos.by_paragraph["140.253"].paragraph == "5"
    assert str(pos.review_date) == "2025-01-28" and pos.problems == []
    # the explanations after paragraph 4's list ("140.11-14 …") are not read as a list
    assert set(pos.by_paragraph) == {f"140.{n}" for n in range(1, 255)}


def test_cycle3_addendum(root: Path) -> None:
    pos = addendum(root, 3)
    # paragraph 2: 58 supported in the report, then 124 supported and 33 noted
    assert pos.claimed == {"supported": 182, "noted": 33}
    assert pos.counts() == {"supported": 124, "noted": 33}
    assert set(pos.by_paragraph) == {f"122.{n}" for n in range(1, 158)}
    # ranges: "122.17-18", "122.34- 35", "122.62-" at a line's end and "66" on the next
    for p in ("122.17", "122.18", "122.62", "122.63", "122.64", "122.65", "122.66"):
        assert pos.by_paragraph[p].category == "accepted", p
    for p in ("122.34", "122.35", "122.91", "122.104"):
        assert pos.by_paragraph[p].category == "implemented", p
    assert Counter(p.category for p in pos.by_paragraph.values()) == {
        "accepted": 80, "implemented": 44, "noted": 33}


def test_cycle2_addendum_with_bare_numbers(root: Path) -> None:
    pos = addendum(root, 2)
    assert pos.claimed == pos.counts() == {"supported": 142, "noted": 21}
    assert set(pos.by_paragraph) == {f"115.{n}" for n in range(1, 164)}
    assert [p for p, v in pos.by_paragraph.items() if v.response == "noted"] == [
        f"115.{n}" for n in (6, 7, 8, 9, 10, 11, 12, 13, 17, 19, 26, 27, 28, 41, 132, 144, 153,
                             154, 156, 157, 163)]


def test_cycle1_addendum_answers_in_prose(root: Path) -> None:
    pos = addendum(root, 1)
    assert pos.counts() == {"supported": 89, "noted": 4} and pos.claimed == {}
    assert sorted(p for p, v in pos.by_paragraph.items() if v.response == "noted") == [
        "111.1", "111.84", "111.88", "111.93"]
    # accepted in part and declined in part, or "agrees with the importance": not classified
    assert [p for p, _ in pos.unclassified] == ["111.3", "111.15", "111.32", "111.58"]
    # "77., 78., 79., 82.," at the end of a line, "83., 85., 86., 87." at the start of the next
    for n in (77, 78, 79, 82, 83, 85, 86, 87):
        assert pos.by_paragraph[f"111.{n}"].response == "supported", n


def test_positions_agree_with_the_lists(root: Path) -> None:
    for cycle in (3, 4):
        pos, r = addendum(root, cycle), reading(root, cycle)
        for e in list_of(root, cycle).entries:
            if e.paragraph in pos.by_paragraph:
                said = pos.by_paragraph[e.paragraph].response
            else:  # supported in the report itself (cycle 3, paragraph 121)
                said = r.group_of(e.paragraph)[0]
            assert said == e.position.lower(), (cycle, e.paragraph)


def test_decisions(root: Path) -> None:
    got = {}
    for symbol, path in un_documents(root).items():
        if symbol.startswith("A/HRC/DEC/"):
            d = read_decision(read_document(path))
            got[symbol] = (str(d.adopted), str(d.review_date), d.report_symbol)
    assert got == {
        "A/HRC/DEC/14/105": ("2010-06-09", "2010-02-16", "A/HRC/14/15"),
        "A/HRC/DEC/28/111": ("2015-03-19", "2014-11-04", "A/HRC/28/15"),
        "A/HRC/DEC/43/112": ("2020-03-12", "2019-11-12", "A/HRC/43/15"),
        "A/HRC/DEC/59/112": ("2025-07-02", "2025-01-28", "A/HRC/59/15")}


UNMATCHED_SESSION_7 = [  # the UPR Info rows of session 7 no report item matches: each is
    # the second half of a recommendation the report prints as one (111.3, 111.32, 111.58),
    # which UPR Info splits because Slovenia accepted one half and noted the other
    ("ARG", "Ratify the ILO Prevention of Major Industrial Accidents Convention, 1993 No. 174"),
    ("CHL", "Establish specialized tribunals with a view to accelerating trials related to "
            "family cases, in which the best interests of children should prevail"),
    ("ESP", "Undertake an awareness-raising campaign regarding domestic violence")]


def test_cycles_1_and_2_reconcile_with_upr_info(root: Path) -> None:
    c1, c2 = reading(root, 1), reading(root, 2)
    assert c1.held_by_upr_info and c2.held_by_upr_info
    assert (len(c1.text.report.items), len(c1.rec.matches), len(c1.rec.unmatched_items),
            len(c1.rec.unmatched_upr_info)) == (103, 103, 0, 3)
    assert sorted((min(c.states), c.text) for c in c1.rec.unmatched_upr_info) == \
        UNMATCHED_SESSION_7
    assert (len(c2.text.report.items), len(c2.rec.matches), len(c2.rec.unmatched_items),
            len(c2.rec.unmatched_upr_info)) == (169, 169, 0, 0)
    assert all("/para-" not in iri.value for iri in c1.rec.iris + c2.rec.iris)


def test_the_original_pdfs_give_the_texts_recommendations(root: Path) -> None:
    """Read from the UN's PDFs, the first two reports give what their 2008–2014 text
    extractions give: the same paragraphs, parts and states (cycle 1's "To ratify
    (Spain)/consider ratifying (Argentina) …" read as one recommendation per state)."""
    for cycle, text in ((1, "slovenia2010.txt"), (2, "slovenia2014.txt")):
        pdf = reading(root, cycle).text.report.items
        txt = read(root / "upr-reports" / "txt" / text, R.resolve).items
        assert [(i.paragraph, i.part, [R.resolve(s) for s in i.states_written]) for i in pdf] \
            == [(i.paragraph, i.part, [R.resolve(s) for s in i.states_written]) for i in txt]
    first = [i for i in reading(root, 1).text.report.items if i.paragraph == "111.2"]
    assert [(i.text, i.states_written) for i in first] == [
        ("To ratify the International Convention for the Protection of All Persons from "
         "Enforced Disappearance", ["Spain"]),
        ("consider the possibility of ratifying the International Convention for the "
         "Protection of All Persons from Enforced Disappearance and of accepting the "
         "jurisdiction of the competent committee", ["Argentina"])]


def test_expand_slashes_leaves_other_sentences_alone() -> None:
    item = Item("92.1", "Ratify the CAT (Chile)/and the CRC", ["Chile"], "made", 1)
    assert expand_slashes(item, R.resolve) == [item]  # one head, no states after it
    plain = Item("92.2", "Ratify the CAT and/or the CRC", ["Chile"], "made", 1)
    assert expand_slashes(plain, R.resolve) == [plain]
    assert repair_layout("a list - of things") == "a list - of things"


# --- the loader ----------------------------------------------------------------------------


def _load(path: Path, relpath: str) -> tuple[list[Quad], LoadReport]:
    source = Source.from_path(path, relpath)
    report = LoadReport(relpath)
    return list(OhchrUprLoader().load(source, report)), report


def test_review_documents_with_mentions(root: Path) -> None:
    rel = f"{SLOVENIA}/cycle4/A_HRC_WG.6_48_SVN_1.pdf"
    quads, report = _load(root / rel, rel)
    doc = f"{BASE}document/un/A/HRC/WG.6/48/SVN/1"
    about = {(q.predicate.value, q.object.value) for q in quads if q.subject.value == doc}
    assert (HR.symbol.value, "A/HRC/WG.6/48/SVN/1") in about
    assert (HR.documentType.value, "national report") in about
    assert (HR.review.value, f"{BASE}review/upr/48/SVN") in about
    [content] = [q.object.value for q in quads if q.predicate == HR.content]
    mentions = defaultdict(dict)
    for q in quads:
        if q.subject.value.startswith(f"{BASE}mention/"):
            mentions[q.subject.value][q.predicate.value] = q.object.value
    assert len(mentions) == report.made["hr:Mention"] > 50
    for m in mentions.values():
        b, e = int(m[HR.beginIndex.value]), int(m[HR.endIndex.value])
        assert content[b:e] == m[HR.anchorText.value]
        assert m[HR.document.value] == doc
    entities = Counter(m[HR.entity.value].rsplit("/", 1)[1] for m in mentions.values())
    assert entities["SVN"] > 40
    assert {"CPED", "ICESCR-OP", "UDHR"} <= set(entities)
    assert report.errors == 0


def test_report_and_addendum_quads(root: Path) -> None:
    quads, report = _load(root / SLOVENIA / REPORTS[4], f"{SLOVENIA}/{REPORTS[4]}")
    review = f"{BASE}review/upr/48/SVN"
    about = {(q.predicate.value, q.object.value) for q in quads if q.subject.value == review}
    assert {(HR.reportSymbol.value, "A/HRC/59/15"), (HR.date.value, "2025-01-28"),
            (HR.session.value, "48"), (HR.cycle.value, "4"),
            (HR.reviewDocument.value, f"{BASE}document/un/A/HRC/59/15")} <= about
    nodes = {q.subject for q in quads if q.object == HR.Recommendation}
    assert len(nodes) == 254 == report.made["hr:Recommendation"]
    texts = Counter(q.subject for q in quads if q.predicate == HR.text)
    assert set(texts) == nodes and set(texts.values()) == {1}
    assert not [q for q in quads if q.predicate == HR.response]  # all 'to be examined'
    # the four links to the third review, one of them noted in 2019 and supported in 2025
    repeats = {(q.subject.value.rsplit("/", 1)[1], q.object.value.rsplit("/", 1)[1])
               for q in quads if q.predicate == HR.repeats}
    assert repeats == {("para-140.2", "para-122.2"), ("para-140.11", "para-122.7"),
                       ("para-140.70", "para-122.77"), ("para-140.230", "para-122.127")}
    rel = f"{SLOVENIA}/{REPORTS[4].replace('.pdf', '_Add.1.pdf')}"
    quads, report = _load(root / rel, rel)
    responses = Counter(q.object for q in quads if q.predicate == HR.response)
    assert responses == {HR.Supported: 217, HR.Noted: 37}
    assert report.made["addendum's count of supported recommendations confirmed"] == 1
    assert report.warnings == report.errors == 0


def test_addendum_disagreeing_with_upr_info_keeps_upr_infos(root: Path, tmp_path: Path) -> None:
    """UPR Info holds session 20: the addendum asserts its position where they agree (all
    169 here); a position that disagreed would be a quality issue, never a second response."""
    rel = f"{SLOVENIA}/{REPORTS[2].replace('.pdf', '_Add.1.pdf')}"
    quads, report = _load(root / rel, rel)
    assert Counter(q.object for q in quads if q.predicate == HR.response) == {
        HR.Supported: 148, HR.Noted: 21}  # 142 + 21 paragraphs, 169 UPR Info nodes
    assert report.made.get("positions that disagree with a source above", 0) == 0
    assert not [q for q in quads if q.predicate == HR.qualityIssue]


def test_broken_pdfs_are_errors_of_their_file(root: Path, tmp_path: Path) -> None:
    from pypdf import PdfWriter

    folder = tmp_path / "ohchr-upr" / "x" / "cycle4"
    folder.mkdir(parents=True)
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    with (folder / "scan.pdf").open("wb") as f:
        writer.write(f)
    real = (root / SLOVENIA / REPORTS[4]).read_bytes()
    (folder / "cut.pdf").write_bytes(real[:4000])
    (folder / "page.pdf").write_bytes(b"<html>not a pdf</html>")
    cases = {"scan.pdf": "the PDF holds no text (a scanned image?)",
             "cut.pdf": "the PDF cannot be read",
             "page.pdf": "not a PDF (no %PDF- header)"}
    for name, message in cases.items():
        quads, report = _load(folder / name, f"ohchr-upr/x/cycle4/{name}")
        assert [f.severity for f in report.findings] == ["error"], name
        assert message in report.findings[0].message, report.findings[0]
        assert str(report.findings[0]).startswith(f"error: ohchr-upr/x/cycle4/{name}: ")
        assert [q for q in quads if q.object == HR.SourceFile]
        assert not [q for q in quads if q.object == HR.Recommendation]
    # an addendum whose report is not there cannot be placed: an error of the addendum
    shutil.copy(root / SLOVENIA / "cycle4" / "A_HRC_59_15_Add.1.pdf", folder)
    quads, report = _load(folder / "A_HRC_59_15_Add.1.pdf",
                          "ohchr-upr/x/cycle4/A_HRC_59_15_Add.1.pdf")
    assert [f.severity for f in report.findings] == ["error"]
    assert "its report A/HRC/59/15 is not under ohchr-upr/" in report.findings[0].message
    with pytest.raises(LoaderError, match="holds no text"):
        read_document(folder / "scan.pdf")


def test_a_review_put_in_the_data_directory_is_built(tmp_path: Path, root: Path) -> None:
    """"Put the files in the data directory, then hrkg build": unpinned files a loader reads
    are read; a broken one is an error of its file and the rest is built and valid."""
    from tests.conftest import run

    data = tmp_path / "data"
    folder = data / "ohchr-upr" / "a-review-not-pinned" / "2025"
    shutil.copytree(root / SLOVENIA / "cycle4", folder)
    (folder / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    from pypdf import PdfWriter
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    with (folder / "scan.pdf").open("wb") as f:
        writer.write(f)
    code, out = run("build", "--data", str(data), "--store", str(tmp_path / "s"), "--quiet")
    assert code == 0, out
    assert "read from the data directory but not pinned in data/MANIFEST.tsv: 9" in out
    assert "ohchr-upr/a-review-not-pinned/2025/broken.docx: not a readable DOCX" in out
    assert "ohchr-upr/a-review-not-pinned/2025/scan.pdf: the PDF holds no text" in out
    assert "validation (fast): 0 violations" in out
    code, out = run("query", "--store", str(tmp_path / "s"), "--format", "csv",
                    "PREFIX hr: <https://w3id.org/hrkg/ontology#> "
                    "SELECT ?r (COUNT(DISTINCT ?x) AS ?n) "
                    "WHERE { ?x hr:response ?r } GROUP BY ?r ORDER BY ?r")
    assert out.split() == ["r,n", "https://w3id.org/hrkg/ontology#Noted,37",
                           "https://w3id.org/hrkg/ontology#Supported,217"]


def test_built_store_one_node_many_sources(store) -> None:
    """In the built graph: each review with its dates and documents; a recommendation of
    cycle 4 is one node with the facts of the report, the addendum and the list, each in its
    own graph; the review documents with their mentions."""
    from hrkg.graph.query import run_query

    def rows(q: str) -> list[list[str]]:
        a = run_query(store, "PREFIX hr: <https://w3id.org/hrkg/ontology#> " + q)
        return [[t.value if t is not None else "" for t in r] for r in a.rows]

    got = rows("""SELECT ?session ?date ?adopted (COUNT(DISTINCT ?doc) AS ?docs) WHERE {
        ?r hr:stateUnderReview <https://w3id.org/hrkg/id/state/SVN> ; hr:session ?session ;
           hr:date ?date ; hr:adoptionDate ?adopted ; hr:reviewDocument ?doc .
        ?doc hr:documentType ?type } GROUP BY ?session ?date ?adopted ORDER BY ?session""")
    assert got == [["7", "2010-02-16", "2010-06-09", "3"], ["20", "2014-11-04", "2015-03-19", "3"],
                   ["34", "2019-11-12", "2020-03-12", "7"], ["48", "2025-01-28", "2025-07-02", "7"]]
    node = "<https://w3id.org/hrkg/id/recommendation/upr/48/SVN/para-140.36>"
    graphs = rows(f"""SELECT DISTINCT ?p ?o ?g WHERE {{ GRAPH ?g {{ {node} ?p ?o }}
        FILTER (?p IN (hr:response, hr:positionParagraph, hr:text, hr:theme)) }}""")
    by_graph = defaultdict(set)
    for p, o, g in graphs:
        short = o.rsplit("#", 1)[1] if "#" in o else o.rsplit("/", 1)[-1]
        by_graph[g.rsplit("/", 1)[1]].add((p.rsplit("#", 1)[1], short))
    assert by_graph["A_HRC_59_15.pdf"] == {
        ("text", "Continue its fight against discrimination and protect all individuals")}
    assert by_graph["A_HRC_59_15_Add.1.pdf"] == {("response", "Supported"),
                                                 ("positionParagraph", "3")}
    assert ("response", "Supported") in by_graph["thematic-list-UPR48.docx"]
    assert ("theme", "racial-discrimination") in by_graph["thematic-list-UPR48.docx"]
    docs = rows("""SELECT ?symbol (COUNT(?m) AS ?mentions) WHERE {
        ?d hr:symbol ?symbol ; hr:documentType ?type . ?m hr:document ?d }
        GROUP BY ?symbol ORDER BY ?symbol""")
    assert [d[0] for d in docs] == ["A/HRC/WG.6/34/SVN/1", "A/HRC/WG.6/34/SVN/2",
                                    "A/HRC/WG.6/34/SVN/3", "A/HRC/WG.6/48/SVN/1",
                                    "A/HRC/WG.6/48/SVN/2", "A/HRC/WG.6/48/SVN/3"]
    assert all(int(n) > 30 for _, n in docs)


def test_the_same_document_twice_is_said(root: Path, tmp_path: Path) -> None:
    folder = tmp_path / "ohchr-upr" / "x"
    folder.mkdir(parents=True)
    shutil.copy(root / SLOVENIA / "cycle4" / "A_HRC_DEC_59_112.pdf", folder / "a.pdf")
    shutil.copy(root / SLOVENIA / "cycle4" / "A_HRC_DEC_59_112.pdf", folder / "b.pdf")
    _, report = _load(folder / "b.pdf", "ohchr-upr/x/b.pdf")
    assert "ohchr-upr/x/a.pdf is A/HRC/DEC/59/112 too: the same document twice, both read" in [
        f.message for f in report.findings]
