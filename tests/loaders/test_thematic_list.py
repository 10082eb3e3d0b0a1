"""OHCHR's thematic lists (issue 14): Slovenia's cycles 3 and 4 as DOCX, cycle 3 as Markdown;
counts, a sample checked by hand against the documents, and broken or hostile input."""

from __future__ import annotations

import shutil
import time
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from pyoxigraph import Quad

from hrkg.errors import LoaderError
from hrkg.loaders.ohchr_thematic_list import OhchrThematicListLoader
from hrkg.loaders.thematic_list import MAX_UNPACKED, ThematicList, read
from hrkg.loading import LoadReport, Source
from hrkg.reference.states import resolver
from hrkg.terms import HR, RDF, SKOS

R = resolver()
LIST3 = "ohchr-upr/slovenia/cycle3/thematic-list-UPR34.docx"
LIST4 = "ohchr-upr/slovenia/cycle4/thematic-list-UPR48.docx"
MD3 = "ohchr-thematic-list/slovenia-cycle3.md"
BASE = "https://w3id.org/hrkg/id/"


@pytest.fixture(scope="module")
def lists(data_dir: Path) -> dict[object, ThematicList]:
    return {3: read(data_dir / LIST3, R.resolve), 4: read(data_dir / LIST4, R.resolve),
            "md": read(data_dir / MD3, R.resolve)}


def by_paragraph(lst: ThematicList) -> dict:
    return {e.paragraph: e for e in lst.entries}


def test_cycle4_from_its_list(lists) -> None:
    lst = lists[4]
    assert (lst.state_written, lst.cycle, lst.session) == ("Slovenia", 4, 48)
    assert lst.columns == ["Recommendation and recommending State",
                           "Position of the State under review",
                           "Human rights themes and groups of persons", "Relevant SDGs"]
    assert [e.paragraph for e in lst.entries] != sorted(e.paragraph for e in lst.entries)
    assert {e.paragraph for e in lst.entries} == {f"140.{n}" for n in range(1, 255)}
    assert len(lst.entries) == 254
    assert Counter(e.position for e in lst.entries) == {"Supported": 217, "Noted": 37}
    # every entry names its states, its themes, its SDGs; all states resolve
    assert all(e.states_written and e.themes and e.sdgs for e in lst.entries)
    assert not [s for e in lst.entries for s in e.states_written if not R.resolve(s)]
    assert [str(p.message) for p in lst.problems] == ["140.113: 'Para.3vv' read as paragraph 3"]


def test_cycle3_from_its_list(lists) -> None:
    lst = lists[3]
    assert (lst.state_written, lst.cycle, lst.session) == ("Slovenia", 3, 34)
    assert lst.columns == ["Recommendation", "Position", "Full list of themes",
                           "Assessment/comments on level of implementation"]
    expected = {f"121.{n}" for n in range(1, 59)} | {f"122.{n}" for n in range(1, 158)}
    assert {e.paragraph for e in lst.entries} == expected and len(lst.entries) == 215
    assert Counter(e.position for e in lst.entries) == {"Supported": 182, "Noted": 33}
    # four entries cite the addendum without a paragraph
    assert sorted(e.paragraph for e in lst.entries if not e.source_paragraph) == [
        "121.23", "121.24", "122.143", "122.144"]
    # three paragraphs hold several recommendations, each with its state
    assert {e.paragraph: len(e.parts) for e in lst.entries if len(e.parts) > 1} == {
        "121.2": 2, "122.11": 2, "122.3": 3}
    assert lst.problems == []


def test_markdown_rendering_gives_the_same_list(lists) -> None:
    docx, md = by_paragraph(lists[3]), by_paragraph(lists["md"])
    assert set(docx) == set(md)
    for p, a in docx.items():
        b = md[p]
        assert (a.words, a.parts, a.position, a.source_symbol, a.source_paragraph, a.themes,
                a.sdgs, a.persons, a.section) == (
            b.words, b.parts, b.position, b.source_symbol, b.source_paragraph, b.themes,
            b.sdgs, b.persons, b.section), p
    assert lists["md"].session == 34 and lists["md"].cycle is None


# Checked by hand against thematic-list-UPR48.docx, A/HRC/59/15 and A/HRC/59/15/Add.1, and
# thematic-list-UPR34.docx, A/HRC/43/15 and its addendum: states, position and its source,
# themes, SDGs, groups of persons.
SAMPLE = {
    (4, "140.1"): (["DZA", "CPV", "PRY", "SSD", "LKA", "TGO", "URY", "VEN"], "Noted",
                   "A/HRC/59/15/Add.1", "5",
                   ["Ratification of & accession to international instruments", "Migrants"],
                   [8, 10], ["Public officials", "Migrants"]),
    (4, "140.7"): (["MDV", "PRT"], "Supported", "A/HRC/59/15/Add.1", "3",
                   ["Ratification of & accession to international instruments",
                    "Economic, social & cultural rights - general measures of implementation"],
                   [1, 2, 3, 4, 5, 6, 7, 8], ["Public officials"]),
    (4, "140.11"): (["MKD"], "Supported", "A/HRC/59/15/Add.1", "4",
                    ["Ratification of & accession to international instruments",
                     "Refugees & asylum seekers"],
                    [10], ["Refugees & asylum seekers", "Public officials", "Stateless persons"]),
    (4, "140.36"): (["PSE"], "Supported", "A/HRC/59/15/Add.1", "3",
                    ["Equality & non-discrimination", "Racial discrimination"], [10],
                    ["Civil society", "Public officials",
                     "Minorities/ racial, ethnic, linguistic, religious or descent-based groups"]),
    (4, "140.113"): (["LBN"], "Supported", "A/HRC/59/15/Add.1", "3",
                     ["Participation of women in political & public life",
                      "Advancement of women", "Labour rights and right to work"], [5],
                     ["Public officials", "Women & girls"]),
    (4, "140.254"): (["IRQ"], "Supported", "A/HRC/59/15/Add.1", "3",
                     ["Refugees & asylum seekers",
                      "Rights related to name, identity & nationality"], [10, 16],
                     ["Public officials", "Stateless persons"]),
    (3, "121.2"): (["UKR", "SVK"], "Supported", "A/HRC/43/15", "121",
                   ["Acceptance of international norms", "Enforced disappearances"], [16],
                   ["Disappeared persons"]),
    (3, "122.3"): (["IDN", "NER", "PHL"], "Noted", "A/HRC/43/15/Add.1", "5",
                   ["Acceptance of international norms"], [10],
                   ["Migrants & domestic workers"]),
    (3, "122.35"): (["PHL"], "Supported", "A/HRC/43/15/Add.1", "4",
                    ["Racial discrimination", "Equality & non-discrimination"], [10, 16],
                    ["refugees & asylum seekers", "Migrants & domestic workers",
                     "stateless persons",
                     "minorities/ racial, ethnic, linguistic, religious or descent-based groups",
                     "non-citizens"]),
    (3, "122.64"): (["TUR"], "Supported", "A/HRC/43/15/Add.1", "3",
                    ["Inter-State cooperation & development or humanitarian assistance",
                     "Right to development"], [17], []),
    (3, "122.155"): (["ARG"], "Noted", "A/HRC/43/15/Add.1", "5",
                     ["Rights related to name, identity & nationality"], [16],
                     ["stateless persons", "non-citizens"]),
}


def test_hand_checked_sample(lists) -> None:
    for (cycle, paragraph), (states, position, symbol, para, themes, sdgs, persons) in \
            SAMPLE.items():
        e = by_paragraph(lists[cycle])[paragraph]
        assert [R.resolve(s) for s in e.states_written] == states, paragraph
        assert (e.position, e.source_symbol, e.source_paragraph) == (position, symbol, para)
        assert e.themes == themes, paragraph
        assert [s.goal for s in e.sdgs] == sdgs and not any(s.target for s in e.sdgs)
        assert e.persons == persons, paragraph
    e = by_paragraph(lists[3])["121.2"]
    assert e.parts == [
        ("Complete the process of ratification of the International Convention for the "
         "Protection of All Persons from Enforced Disappearance", ["Ukraine"]),
        ("Increase efforts towards ratification of the International Convention for the "
         "Protection of All Persons from Enforced Disappearance", ["Slovakia"])]
    assert by_paragraph(lists[4])["140.7"].text == (
        "Ratify the Optional Protocol to the International Covenant on Economic, Social and "
        "Cultural Rights")
    assert by_paragraph(lists[4])["140.7"].sdgs[0].label == "NO POVERTY"


# --- broken and hostile input --------------------------------------------------------------


def _load(path: Path, relpath: str) -> tuple[list[Quad], LoadReport]:
    source = Source.from_path(path, relpath)
    report = LoadReport(relpath)
    return list(OhchrThematicListLoader().load(source, report)), report


def _rewrite(src: Path, dst: Path, member: str, change) -> None:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            zout.writestr(info, change(data) if info.filename == member else data)


def test_broken_docx_is_an_error_of_its_file(tmp_path: Path, data_dir: Path) -> None:
    real = (data_dir / LIST4).read_bytes()
    folder = tmp_path / "ohchr-upr" / "x"
    folder.mkdir(parents=True)
    cases = {
        "cut.docx": (real[: len(real) // 2], "not a readable DOCX"),
        "text.docx": (b"this is not a Word document", "not a readable DOCX"),
        "empty.docx": (b"", "not a readable DOCX"),
    }
    for name, (content, message) in cases.items():
        (folder / name).write_bytes(content)
        with pytest.raises(LoaderError) as exc:
            read(folder / name)
        assert str(folder / name) in str(exc.value) and message in str(exc.value), name
        quads, report = _load(folder / name, f"ohchr-upr/x/{name}")
        assert [f.severity for f in report.findings] == ["error"], name
        assert message in report.findings[0].message
        assert not [q for q in quads if q.object == HR.Recommendation]
        assert [q for q in quads if q.object == HR.SourceFile]  # the file is still described
    # a zip that is not a Word document
    with zipfile.ZipFile(folder / "other.docx", "w") as z:
        z.writestr("hello.txt", "hello")
    with pytest.raises(LoaderError, match="without word/document.xml"):
        read(folder / "other.docx")
    # a document without the page header that names the review
    _rewrite(data_dir / LIST4, folder / "noheader.docx", "word/header1.xml",
             lambda b: b.replace(b"UPR of Slovenia", b"Review of Slovenia"))
    with pytest.raises(LoaderError, match=r"no 'UPR of <State> \(<n>th Cycle"):
        read(folder / "noheader.docx")


def test_zip_bomb_is_refused_before_it_is_unpacked(tmp_path: Path, data_dir: Path) -> None:
    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(data_dir / LIST4) as zin, \
            zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info, zin.read(info.filename))
        zout.writestr("word/media/padding.bin", b"\0" * (MAX_UNPACKED + 1))
    assert bomb.stat().st_size < 1_000_000
    started = time.perf_counter()
    with pytest.raises(LoaderError, match="unpacks to|compressed"):
        read(bomb)
    assert time.perf_counter() - started < 30  # refused from the zip's directory, not unpacked


def test_xml_entities_are_not_expanded(tmp_path: Path, data_dir: Path) -> None:
    """A "billion laughs" in the document's XML: the parser does not resolve entities."""
    laughs = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<!DOCTYPE w:document ['
              b'<!ENTITY a "lollollollollollollollollollol">'
              + b"".join(f'<!ENTITY {c} "{("&" + p + ";") * 10}">'.encode()
                         for p, c in zip("abcdefgh", "bcdefghi", strict=True)) + b"]>")

    def poison(xml: bytes) -> bytes:
        body = xml.split(b"?>", 1)[1]
        return laughs + body.replace(b"Theme: Ratification", b"&i;Theme: Ratification", 1)

    path = tmp_path / "laughs.docx"
    _rewrite(data_dir / LIST4, path, "word/document.xml", poison)
    try:
        lst = read(path, R.resolve)
    except LoaderError as exc:  # refused is as good as not expanded
        assert str(path) in str(exc)
        return
    assert len(lst.entries) == 254
    assert all("lol" not in e.words for e in lst.entries)


def test_unknown_column_is_an_error_and_the_rest_loads(tmp_path: Path, data_dir: Path) -> None:
    path = tmp_path / "ohchr-upr" / "x" / "renamed.docx"
    path.parent.mkdir(parents=True)
    _rewrite(data_dir / LIST4, path, "word/document.xml",
             lambda b: b.replace(b"Relevant SDGs", b"Sustainability notes", 1))
    lst = read(path, R.resolve)
    assert [p.message for p in lst.problems if "unknown column" in p.message] == [
        "table 1: unknown column 'Sustainability notes': not read (known: 'recommendation', "
        "'recommendation and recommending state', 'position', 'position of the state under "
        "review', 'full list of themes', 'human rights themes and groups of persons', "
        "'themes', 'relevant sdgs', 'sdgs', 'assessment/comments on level of implementation')"]
    # nothing else lost: every entry with its position, themes and persons; no SDGs
    assert len(lst.entries) == 254
    assert Counter(e.position for e in lst.entries) == {"Supported": 217, "Noted": 37}
    assert all(e.themes and e.persons and not e.sdgs for e in lst.entries)
    quads, report = _load(path, "ohchr-upr/x/renamed.docx")
    errors = [f for f in report.findings if f.severity == "error"]
    assert len(errors) == 1 and "unknown column 'Sustainability notes'" in errors[0].message
    assert str(errors[0]).startswith("error: ohchr-upr/x/renamed.docx:1: table 1: unknown column")
    assert len({q.subject for q in quads if q.object == HR.Recommendation}) == 254
    assert not [q for q in quads if q.predicate == HR.sdg]
    # without a recommendation column nothing can be read: an error naming the file
    _rewrite(data_dir / LIST4, path, "word/document.xml",
             lambda b: b.replace(b"Recommendation and recommending State", b"Text", 1))
    with pytest.raises(LoaderError, match="no recommendation column"):
        read(path, R.resolve)


# --- the loader ----------------------------------------------------------------------------


def test_loader_on_the_cycle4_list(data_dir: Path) -> None:
    quads, report = _load(data_dir / LIST4, LIST4)
    node = f"{BASE}recommendation/upr/48/SVN/para-140.7"
    about = {(q.predicate.value, q.object.value) for q in quads if q.subject.value == node}
    assert (HR.response.value, HR.Supported.value) in about
    assert (HR.positionSource.value, f"{BASE}document/un/A/HRC/59/15/Add.1") in about
    assert (HR.positionParagraph.value, "3") in about
    assert (HR.sdg.value, f"{BASE}sdg/1") in about
    assert (HR.theme.value, f"{BASE}theme/ohchr/ratification-of-accession-to-international-"
                            "instruments") in about
    assert (HR.affectedPersons.value, f"{BASE}affected-persons/public-officials") in about
    assert {o for p, o in about if p == HR.recommendingState.value} == {
        f"{BASE}state/MDV", f"{BASE}state/PRT"}
    assert (HR.sourceRow.value, "3") in about
    # the report is in the data directory: its words are the node's text, not the list's
    assert not [q for q in quads if q.predicate == HR.text]
    assert len({q.subject for q in quads if q.object == HR.Recommendation}) == 254
    assert report.made["position Supported"] == 217 and report.made["position Noted"] == 37
    # every theme, SDG and group is in the schemes: the list makes no concept of its own
    assert not [q for q in quads if q.object == SKOS.Concept]
    # the list and the addendum agree on every position; for 8 the list cites another
    # paragraph: the addendum lists 140.132-137 and 140.210 in its paragraph 3 and explains
    # them under paragraph 4, where the list points; 140.241 the other way round
    assert report.made.get("list positions that disagree with the addendum or report", 0) == 0
    cited = sorted(f.message.split(":")[0] for f in report.findings
                   if "gives its position as" in f.message)
    assert cited == ["140.132", "140.133", "140.134", "140.135", "140.136", "140.137",
                     "140.210", "140.241"]


def test_list_alone_gives_the_words(tmp_path: Path, data_dir: Path) -> None:
    """Without its report in the data directory the list's words are the node's hr:text, and
    a theme the schemes lack becomes a concept of the list's graph, reported."""
    path = tmp_path / "ohchr-upr" / "slovenia" / "cycle4" / "thematic-list-UPR48.docx"
    path.parent.mkdir(parents=True)
    _rewrite(data_dir / LIST4, path, "word/document.xml",
             lambda b: b.replace(b"- Unilateral coercive measures", b"- A theme never seen"))
    quads, report = _load(path, "ohchr-upr/slovenia/cycle4/thematic-list-UPR48.docx")
    texts = {q.subject.value: q.object.value for q in quads if q.predicate == HR.text}
    assert len(texts) == 254
    assert texts[f"{BASE}recommendation/upr/48/SVN/para-140.36"] == (
        "Continue its fight against discrimination and protect all individuals")
    assert any("is not under ohchr-upr/" in f.message for f in report.findings)
    # the addendum it cites is not there either: the positions without their source
    assert len([q for q in quads if q.predicate == HR.response]) == 254
    assert not [q for q in quads if q.predicate == HR.positionSource]
    assert [f.message for f in report.findings if "the list cites" in f.message] == [
        "the list cites A/HRC/59/15/Add.1, which is not under ohchr-upr/ in the data "
        "directory: its positions are kept without their source"]
    made = [q for q in quads if q.object == SKOS.Concept]
    assert [q.subject.value for q in made] == [f"{BASE}theme/ohchr/a-theme-never-seen"]
    assert any("theme 'A theme never seen' is not in ontology/ohchr-schemes.ttl" in f.message
               for f in report.findings)
    assert report.unmapped["theme: 'A theme never seen'"] == 1
    assert [q for q in quads if q.predicate == RDF.type and q.object == HR.Document]
    # and what the list alone gives is valid: no reference to a document the graph lacks
    from pyoxigraph import Store

    from hrkg.reference.states import ReferenceFacts, reference_quads
    from hrkg.validation.validate import load_ontology, validate_store
    store = Store()
    load_ontology(store)
    store.extend(reference_quads(ReferenceFacts(set(), {}, [])))
    store.extend(quads)
    assert validate_store(store, "fast").violations == 0


def test_list_in_another_folder_finds_its_report(tmp_path: Path, data_dir: Path) -> None:
    """The Markdown rendering sits in ohchr-thematic-list/; its report is found by symbol."""
    root = tmp_path / "data"
    shutil.copytree(data_dir / "ohchr-upr" / "slovenia" / "cycle3",
                    root / "ohchr-upr" / "slovenia" / "cycle3")
    (root / "ohchr-thematic-list").mkdir()
    shutil.copy(data_dir / MD3, root / MD3)
    quads, report = _load(root / MD3, MD3)
    assert not [q for q in quads if q.predicate == HR.text]
    assert report.errors == 0
    assert {q.object.value for q in quads if q.predicate == HR.sourceLine and
            q.subject.value.endswith("para-121.1")} == {"19"}
