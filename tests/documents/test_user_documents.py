"""Issue 17: the user's documents are part of the build (HTML, plain text, Markdown, PDF,
with or without a sidecar), ``hrkg load`` of a document checks only what it touches, and the
same pipeline reads every format (offsets into hr:content)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from hrkg.cli import cli
from hrkg.graph.build import build, discover, load_files
from hrkg.graph.store import open_read_only
from tests.documents.pdfmaker import make_pdf

HR = "https://w3id.org/hrkg/ontology#"
ID = "https://w3id.org/hrkg/id/"
PREFIXES = (f"PREFIX hr: <{HR}> PREFIX dcterms: <http://purl.org/dc/terms/> "
            "PREFIX prov: <http://www.w3.org/ns/prov#> ")


def rows(store, query: str) -> set[tuple]:
    return {tuple(t.value if t is not None else None for t in r)
            for r in store.query(PREFIXES + query)}


def _documents(folder: Path) -> None:
    folder.mkdir(parents=True)
    (folder / "liberia.html").write_text(
        "<!doctype html><html lang='en'><head><title>Liberia and the Covenant</title></head>"
        "<body><p>On 22 September 2004, Liberia ratified the International Covenant on Civil "
        "and Political Rights.</p></body></html>", encoding="utf-8")
    (folder / "notes.txt").write_text("Ghana and Togo\n\nGhana signed the CRPD.\n",
                                      encoding="utf-8")
    (folder / "jamaica.md").write_text(
        "---\ntitle: Jamaica notes\n  continued\ndate: 2024-05-01\nlang: en\n---\n"
        "# Heading that is not the title\n\nThe **Independent Commission of Investigations** "
        "(INDECOM) in [Jamaica](https://example.org/jm).\n", encoding="utf-8")
    (folder / "untitled.md").write_text("## Cuba — a report\n\nCuba and *Haiti*.\n",
                                        encoding="utf-8")
    sub = folder / "reports"
    sub.mkdir()
    (sub / "Slovenia Report.pdf").write_bytes(make_pdf([
        ["Slovenia national report", "In 2021, Slovenia ratified the International Convention",
         "for the Protection of All Persons from Enforced Disappearance."]]))


@pytest.fixture(scope="module")
def user_build(tmp_path_factory: pytest.TempPathFactory):
    """A build of a data directory that holds only the user's documents."""
    data = tmp_path_factory.mktemp("data")
    _documents(data / "documents")
    root = data.parent / (data.name + "-store")
    result = build(data, root)
    assert result.ok, result.failed
    return data, root, result


def test_documents_without_sidecars_are_built_titled_from_their_content(user_build) -> None:
    data, root, result = user_build
    store = open_read_only(root)
    got = rows(store, """SELECT ?path ?title WHERE { GRAPH ?g {
        ?src hr:path ?path ; hr:loader "web-page" .
        ?doc prov:wasDerivedFrom ?src ; dcterms:title ?title }
        FILTER(!STRSTARTS(?path, "documents/humanrights")
        && !STRSTARTS(?path, "documents/state-gov") && !STRSTARTS(?path, "documents/us-embassy")
        && !STRSTARTS(?path, "documents/ushrn") && !STRSTARTS(?path, "documents/voa")) }""")
    assert got == {
        ("documents/liberia.html", "Liberia and the Covenant"),
        ("documents/notes.txt", "Ghana and Togo"),
        ("documents/jamaica.md", "Jamaica notes continued"),
        ("documents/untitled.md", "Cuba — a report"),
        ("documents/reports/Slovenia Report.pdf", "Slovenia national report"),
    }
    guessed = rows(store, """SELECT ?doc ?how WHERE { ?doc hr:metadataGuessed ?how }""")
    assert (f"{ID}document/jamaica", "title: the front matter's title") in guessed
    assert (f"{ID}document/jamaica", "date: the front matter's date") in guessed
    assert (f"{ID}document/untitled", "title: the first Markdown heading") in guessed
    assert (f"{ID}document/liberia", "title: the HTML <title>") in guessed
    assert (f"{ID}document/notes", "title: the first line of the text") in guessed
    assert (f"{ID}document/reports/slovenia-report",
            "title: the first line of the PDF's text that reads as a title") in guessed
    langs = rows(store, "SELECT ?doc ?l WHERE { ?doc dcterms:language ?l }")
    assert {(f"{ID}document/liberia", "en"), (f"{ID}document/jamaica", "en"),
            (f"{ID}document/reports/slovenia-report", "en-GB")} <= langs


def test_every_format_gets_mentions_with_offsets_into_its_text(user_build) -> None:
    store = open_read_only(user_build[1])
    mentions = rows(store, """SELECT ?doc ?entity ?anchor ?b ?e ?content WHERE {
        ?m hr:document ?doc ; hr:entity ?entity ; hr:anchorText ?anchor ; hr:beginIndex ?b ;
           hr:endIndex ?e . ?doc hr:content ?content }""")
    assert [m for m in mentions if m[5][int(m[3]):int(m[4])] != m[2]] == []
    by_doc = {}
    for doc, entity, *_ in mentions:
        by_doc.setdefault(doc.removeprefix(ID + "document/"), set()).add(entity.removeprefix(ID))
    assert {"state/LBR", "instrument/ICCPR"} <= by_doc["liberia"]
    assert {"state/GHA", "state/TGO", "instrument/CRPD"} <= by_doc["notes"]
    assert {"state/JAM", "org/independent-commission-of-investigations"} <= by_doc["jamaica"]
    assert {"state/SVN", "instrument/CPED"} <= by_doc["reports/slovenia-report"]
    # Markdown's markup is not text: no "**", no link target
    content = rows(store, f"SELECT ?c WHERE {{ <{ID}document/jamaica> hr:content ?c }}").pop()[0]
    assert "**" not in content and "example.org" not in content and content.startswith("Heading")
    actions = rows(store, """SELECT ?a ?y WHERE { ?a a hr:Ratification ; hr:year ?y ;
        prov:wasDerivedFrom ?doc }""")
    assert (f"{ID}treaty-action/SVN/CPED/consent", "2021") in actions


def test_a_later_build_keeps_them_and_load_checks_only_what_they_touch(user_build) -> None:
    data, root, first = user_build
    extra = data / "documents" / "togo.txt"
    extra.write_text("Togo ratified the CAT on 18 November 1987.\n", encoding="utf-8")
    try:
        result = load_files([extra], data, root)
        assert result.ok, result.failed
        store = open_read_only(root)
        got = rows(store,
                   f"SELECT ?d WHERE {{ <{ID}treaty-action/TGO/CAT/consent> hr:date ?d }}")
        assert got == {("1987-11-18",)}
        # the check was restricted to the nodes of the loaded graph
        assert result.validation is not None
        assert result.validation.note == ("checked only the nodes the loaded graphs touch: "
                                          "documents/togo.txt")
        assert first.validation is not None and first.validation.note == ""
        again = build(data, root)
        assert again.ok
        paths = rows(open_read_only(root),
                     'SELECT ?p WHERE { ?s hr:loader "web-page" ; hr:path ?p }')
        assert ("documents/togo.txt",) in paths and ("documents/notes.txt",) in paths
    finally:
        extra.unlink()


def test_documents_option_and_config_file_add_folders(tmp_path: Path) -> None:
    data = tmp_path / "data"
    (data / "documents").mkdir(parents=True)
    (data / "documents" / "a.txt").write_text("Chile.\n", encoding="utf-8")
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "b.txt").write_text("Peru.\n", encoding="utf-8")
    theirs = tmp_path / "theirs"
    theirs.mkdir()
    (theirs / "c.md").write_text("# Cuba\n", encoding="utf-8")
    (data / "hrkg.toml").write_text('documents = ["../theirs"]\n', encoding="utf-8")
    planned, _, _ = discover(data, [mine])
    names = {p.source.relpath for p in planned if p.loader.name == "web-page"}
    assert {"documents/a.txt", "documents/mine/b.txt", "documents/theirs/c.md"} <= names
    (data / "hrkg.toml").write_text('documents = "not a list"\n', encoding="utf-8")
    with pytest.raises(Exception, match="hrkg.toml: 'documents' must be a list"):
        discover(data)


def test_two_documents_with_one_iri_the_second_is_left_out_and_said(tmp_path: Path) -> None:
    data = tmp_path / "data"
    (data / "documents").mkdir(parents=True)
    (data / "documents" / "Report.txt").write_text("Chile.\n", encoding="utf-8")
    (data / "documents" / "report.html").write_text("<p>Peru.</p>", encoding="utf-8")
    conflicts: list[str] = []
    planned, _, _ = discover(data, conflicts=conflicts)
    names = {p.source.relpath for p in planned if p.source.relpath.startswith("documents/r")
             or p.source.relpath.startswith("documents/R")}
    assert len(names) == 1
    assert len(conflicts) == 1 and "(document report) is taken" in conflicts[0]


def test_cli_build_with_documents_option(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "x.txt").write_text("Ghana ratified the CRPD in 2012.\n", encoding="utf-8")
    out = CliRunner().invoke(cli, ["build", "--data", str(data), "--store", str(tmp_path / "s"),
                                   "--documents", str(mine), "--quiet", "--no-validate"])
    assert out.exit_code == 0, out.output
    store = open_read_only(tmp_path / "s")
    got = rows(store, f"SELECT ?y WHERE {{ <{ID}treaty-action/GHA/CRPD/consent> hr:year ?y }}")
    assert got == {("2012",)}
