"""The web-page loader: the five seeds in the built store, the gold annotation, two unseen
documents, and bad input (a script, a page that is not UTF-8, an empty file, a binary one)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from pyoxigraph import Store

from hrkg.graph.store import open_read_only
from hrkg.loaders.web_page import WebPageLoader
from hrkg.loading import LoadReport, Source
from hrkg.text.docentities import extract, person_key
from tests.gold.score import GOLD, load_documents, score, unseen_documents

REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "data" / "documents"
SEEDS = sorted(p for p in DOCS.glob("*.txt"))
HR = "https://w3id.org/hrkg/ontology#"
ID = "https://w3id.org/hrkg/id/"
PREFIXES = f"PREFIX hr: <{HR}> PREFIX dcterms: <http://purl.org/dc/terms/> " \
           "PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "


def select(store, query: str) -> list[tuple]:
    return [tuple(t.value if t is not None else None for t in row)
            for row in store.query(PREFIXES + query)]


def load(path: Path, name: str | None = None) -> tuple[list, LoadReport]:
    src = Source.from_path(path, f"documents/{name or path.name}")
    rep = LoadReport(src.relpath)
    return list(WebPageLoader().load(src, rep)), rep


# --- the seeds in the built store --------------------------------------------------------


def test_five_seeds_copied_byte_for_byte(data_dir: Path) -> None:
    seeds = data_dir.parent / "seeds"   # ../shared/seeds beside ../shared/data
    if not seeds.is_dir():
        pytest.skip(f"the seeds are not beside the datasets ({seeds})")
    assert sorted(p.read_bytes() for p in seeds.glob("0*.txt")) == sorted(p.read_bytes() for p in SEEDS)
    for p in SEEDS:   # each has a sidecar with a title
        assert yaml.safe_load(p.with_name(p.stem + ".meta.json").read_text())["title"]


def test_each_seed_is_a_document_holding_its_text(store) -> None:
    got = dict(select(store, """SELECT ?path ?content WHERE { GRAPH ?g {
        ?src hr:loader "web-page" ; hr:path ?path . ?doc prov:wasDerivedFrom ?src ; hr:content ?content
        FILTER NOT EXISTS { ?doc dcterms:isPartOf ?page } } }"""))
    assert got == {f"documents/{p.name}": p.read_text(encoding="utf-8") for p in SEEDS}


def test_news_list_items_are_documents_with_title_date_and_byline(store) -> None:
    text = (DOCS / "humanrights-gov-human-rights-news.txt").read_text(encoding="utf-8")
    lines = text.splitlines()
    expected = set()
    for i, line in enumerate(lines):
        m = re.fullmatch(r"(\w{3}) (\d{1,2}), (\d{4}) \| (.+)", line.strip())
        if m:
            title = next(t for t in reversed(lines[:i]) if t.strip()).strip()
            month = "JanFebMarAprMayJunJulAugSepOctNovDec".index(m.group(1)) // 3 + 1
            expected.add((title, f"{m.group(3)}-{month:02d}-{int(m.group(2)):02d}", m.group(4).strip()))
    got = set(select(store, f"""SELECT ?title ?date ?byline WHERE {{
        ?item dcterms:isPartOf <{ID}document/humanrights-gov-human-rights-news> ;
              dcterms:title ?title ; hr:date ?date ; hr:byline ?byline }}"""))
    assert len(expected) == 10
    assert got == expected
    creators = dict(select(store, """SELECT ?title ?who WHERE { ?item dcterms:isPartOf ?page ;
        dcterms:title ?title ; dcterms:creator ?who }"""))
    assert creators["United States and Cuba to Hold Meeting to Fight Trafficking in Persons"] \
        == f"{ID}org/office-of-the-spokesperson"
    assert creators["Explanation of Vote on a Draft UN Security Council Resolution on South Sudan"] \
        == f"{ID}person/samantha-power"


def test_every_mention_is_the_text_between_its_offsets(store) -> None:
    mentions = select(store, """SELECT ?content ?anchor ?b ?e WHERE {
        ?m a hr:Mention ; hr:document ?d ; hr:anchorText ?anchor ; hr:beginIndex ?b ; hr:endIndex ?e .
        ?d hr:content ?content }""")
    assert len(mentions) > 250
    bad = [(a, b, e) for c, a, b, e in mentions if c[int(b):int(e)] != a]
    assert bad == []
    # the same in SPARQL (SUBSTR counts characters, as Python does)
    n_bad = select(store, """SELECT (COUNT(*) AS ?n) WHERE { ?m hr:document ?d ; hr:anchorText ?a ;
        hr:beginIndex ?b ; hr:endIndex ?e . ?d hr:content ?c FILTER (SUBSTR(?c, ?b + 1, ?e - ?b) != ?a) }""")
    assert n_bad == [("0",)]


def test_entities_are_the_graphs_existing_resources(store) -> None:
    # every state and treaty a mention names is the reference graph's resource, not a new one
    orphans = select(store, f"""SELECT DISTINCT ?e WHERE {{ ?m a hr:Mention ; hr:entity ?e .
        FILTER (STRSTARTS(STR(?e), "{ID}state/") || STRSTARTS(STR(?e), "{ID}instrument/"))
        FILTER NOT EXISTS {{ GRAPH <{ID}graph/reference> {{ ?e rdfs:label ?l }} }}
        FILTER NOT EXISTS {{ ?e a hr:DomesticLaw }} }}""")
    assert orphans == []
    laws = set(select(store, "SELECT ?l WHERE { ?law a hr:DomesticLaw ; rdfs:label ?l }"))
    assert laws == {("North Korea Human Rights Act of 2004",), ("International Religious Freedom Act of 1998",)}
    # one person, one IRI across documents
    king = select(store, f"""SELECT DISTINCT ?path WHERE {{ GRAPH ?g {{ ?m hr:entity <{ID}person/robert-king> .
        ?src hr:path ?path }} }}""")
    assert sorted(p for (p,) in king) == ["documents/state-gov-north-korea-human-rights.txt",
                                          "documents/voa-us-policy-north-korea-human-rights.txt"]
    heumann = {a for (a,) in select(store, f"""SELECT DISTINCT ?a WHERE {{
        ?m hr:entity <{ID}person/judith-heumann> ; hr:anchorText ?a }}""")}
    assert {"Judith Heumann", "Judy Heumann", "JUDY HEUMANN"} <= heumann


def test_spellings_of_north_korea_all_link_to_prk(store) -> None:
    anchors = {a for (a,) in select(store, f"""SELECT DISTINCT ?a WHERE {{
        ?m hr:entity <{ID}state/PRK> ; hr:anchorText ?a }}""")}
    assert {"North Korea", "DPRK", "D.P.R.K.", "N. Korea", "Democratic People's Republic of Korea"} <= anchors
    us = {a for (a,) in select(store, f"""SELECT DISTINCT ?a WHERE {{
        ?m hr:entity <{ID}state/USA> ; hr:anchorText ?a }}""")}
    assert {"United States", "U.S.", "US"} <= us


def test_treaty_actions_stated_in_a_page_sit_beside_the_tables(store) -> None:
    got = set(select(store, f"""SELECT ?path ?kind ?when WHERE {{ GRAPH ?g {{
        ?a hr:state <{ID}state/LBR> ; hr:instrument <{ID}instrument/ICCPR> ; a ?kind .
        OPTIONAL {{ ?a hr:date ?d }} OPTIONAL {{ ?a hr:year ?y }} BIND(COALESCE(STR(?d), STR(?y)) AS ?when)
        ?src a hr:SourceFile ; hr:path ?path }} }}"""))
    assert got == {
        ("documents/us-embassy-monrovia-human-rights-defenders.txt", f"{HR}Signature", "1967-04-18"),
        ("documents/us-embassy-monrovia-human-rights-defenders.txt", f"{HR}Ratification", "2004-09-22"),
        ("ratification/hr_status_iccpr.csv", f"{HR}ConsentToBeBound", "2004"),
    }


# --- the gold annotation -----------------------------------------------------------------


def test_gold_scores_on_the_seeds(built) -> None:
    gold = yaml.safe_load((GOLD / "seeds.yaml").read_text(encoding="utf-8"))
    scores = score(gold, open_read_only(built[0]))
    for kind in ("states", "instruments", "people", "reviews", "relations"):
        assert scores[kind].precision >= 0.9, (kind, scores[kind].fp)
        assert scores[kind].recall >= 0.9, (kind, scores[kind].fn)
    assert len(scores["people"].tp) == 22 and len(scores["states"].tp) == 23


def test_gold_scores_on_two_unseen_documents(data_dir: Path, tmp_path: Path) -> None:
    gold = yaml.safe_load((GOLD / "unseen.yaml").read_text(encoding="utf-8"))
    store = Store(str(tmp_path / "store"))
    load_documents(unseen_documents(data_dir, tmp_path), store)
    scores = score(gold, store)
    assert scores["states"].precision == 1.0 and scores["states"].recall == 1.0
    assert scores["reviews"].precision == 1.0 and scores["reviews"].recall == 1.0
    assert scores["instruments"].precision == 1.0 and scores["instruments"].recall >= 0.5
    assert scores["relations"].precision == 1.0 and scores["relations"].recall >= 0.8
    assert scores["people"].recall == 1.0


# --- rules -------------------------------------------------------------------------------


def test_ambiguous_state_names_are_reported_not_linked() -> None:
    x = extract("Korea and Georgia met in Tbilisi. South Korea and the D.P.R.K. did not.")
    assert sorted(x.keys("state")) == ["KOR", "PRK"]
    assert [m for _, m in x.problems if "Korea" in m and "DPRK" in m]
    assert [m for _, m in x.problems if "Georgia" in m]


def test_the_international_covenants_are_both_and_a_later_both_is_theirs() -> None:
    text = ("On 3 May 1970, Ruritania, sorry, Chile signed the International Covenants. "
            "Chile ratified both on February 10, 1972.")
    x = extract(text)
    got = sorted((a.kind, a.state, a.instrument, a.when) for a in x.actions)
    assert got == [("Ratification", "CHL", "ICCPR", "1972-02-10"), ("Ratification", "CHL", "ICESCR", "1972-02-10"),
                   ("Signature", "CHL", "ICCPR", "1970-05-03"), ("Signature", "CHL", "ICESCR", "1970-05-03")]
    # what is urged or not yet done is no treaty action
    assert extract("We urge Chile to ratify the CRPD by March 1, 2030. Peru has not signed the CAT in 2001.").actions == []


def test_person_keys() -> None:
    assert person_key("Mark C. Toner") == "mark-toner"
    assert person_key("JUDY HEUMANN") == person_key("Judith Heumann") == "judith-heumann"
    assert person_key("Ambassador Samantha Power") == "samantha-power"


# --- bad input ---------------------------------------------------------------------------


def _only_source_description(quads: list) -> bool:
    return {q.subject.value.split("/id/")[1].split("/")[0] for q in quads} <= {"source", "graph"}


def test_html_with_a_script_loads_the_text_without_the_code(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text("""<!doctype html><html><head><title>Liberia and the Covenants</title>
        <meta property="article:published_time" content="2024-03-01T10:00:00Z">
        <link rel="canonical" href="https://example.org/liberia">
        <script>var country = "France"; document.write("Cuba");</script>
        <style>p { color: red }</style></head>
        <body><nav>Home | Cuba | France</nav><h1>Liberia</h1>
        <p>On April 18, 1967, <b>Liberia</b> signed the <a href="#">International Covenant on Civil
        and Political Rights</a>.</p><script>alert("Chile")</script></body></html>""", encoding="utf-8")
    (tmp_path / "page.meta.json").write_text('{"title": "ignored: the page has one", "publisher": "Example Org"}')
    quads, rep = load(page)
    content = next(q.object.value for q in quads if q.predicate.value == f"{HR}content")
    assert "France" not in content and "Cuba" not in content and "alert" not in content
    assert content.startswith("Liberia\n\nOn April 18, 1967, Liberia signed the International Covenant")
    states = {q.object.value for q in quads if q.predicate.value == f"{HR}entity" and "/state/" in q.object.value}
    assert states == {f"{ID}state/LBR"}
    by_pred = {re.split("[/#]", q.predicate.value)[-1]: q.object.value for q in quads if q.subject.value.endswith("document/page")}
    assert by_pred["title"] == "Liberia and the Covenants"
    assert by_pred["date"] == "2024-03-01"
    assert by_pred["source"] == "https://example.org/liberia"
    assert by_pred["publisher"] == f"{ID}org/example-org"
    notes = [str(f) for f in rep.findings]
    assert any("documents/page.html" in n and "2 <script> element(s) skipped" in n for n in notes)
    assert rep.errors == 0
    actions = [q for q in quads if q.predicate.value == f"{HR}date" and "treaty-action/LBR/ICCPR/signature" in q.subject.value]
    assert [q.object.value for q in actions] == ["1967-04-18"]


@pytest.mark.parametrize("name, data, expected", [
    ("latin1.html", "<html><body><p>La C\u00f4te d'Ivoire a sign\u00e9.</p></body></html>".encode("latin-1"),
     "not UTF-8 (byte 0xF4 at column 20) and declares no encoding"),
    ("empty.txt", b"", "the file is empty"),
    ("blank.html", b"  \n\n \t ", "the file is empty"),
    ("image.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "the file is a PNG image, not text"),
    ("data.bin", b"abc\x00\x01\x02" * 100, "the file is binary (it holds NUL bytes)"),
    ("report.html", b"%PDF-1.4\n%\xe2\xe3\n1 0 obj", "the file is a PDF, not text"),
])
def test_unreadable_files_load_nothing_and_say_why(tmp_path: Path, name: str, data: bytes, expected: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    quads, rep = load(path)
    assert _only_source_description(quads)
    assert rep.errors == 1
    message = str(rep.findings[0])
    assert message.startswith(f"error: documents/{name}")
    assert "::" not in message and ": 1:" not in message
    assert expected in message and "nothing loaded" in message.lower()


def test_a_page_that_declares_its_encoding_is_read_in_it(tmp_path: Path) -> None:
    path = tmp_path / "latin1.html"
    path.write_bytes('<html><head><meta charset="iso-8859-1"><title>C\u00f4te</title></head><body>'
                     '<p>C\u00f4te d\u2019Ivoire and Liberia.</p></body></html>'.replace("\u2019", "'").encode("latin-1"))
    quads, rep = load(path)
    content = next(q.object.value for q in quads if q.predicate.value == f"{HR}content")
    assert content == "C\u00f4te d'Ivoire and Liberia."
    states = {q.object.value.rsplit("/", 1)[1] for q in quads if q.predicate.value == f"{HR}entity"}
    assert states == {"CIV", "LBR"}
    assert any("read as iso8859-1, the encoding the page declares" in str(f) for f in rep.findings)


def test_a_broken_sidecar_is_reported_and_the_page_still_loads(tmp_path: Path) -> None:
    path = tmp_path / "note.txt"
    path.write_text("Cuba and Liberia.\n", encoding="utf-8")
    (tmp_path / "note.meta.json").write_text("{title: no quotes}")
    quads, rep = load(path)
    assert any("note.meta.json: not a JSON object" in str(f) for f in rep.findings)
    titles = [q.object.value for q in quads if q.predicate.value.endswith("/title")]
    assert titles == ["Cuba and Liberia."]
    assert any("took its first line" in str(f) for f in rep.findings)


def test_one_act_stated_by_two_sources_is_one_node(store) -> None:
    """Issue 13: Liberia's ratifications of the ICCPR and the ICESCR that a page states are the
    tables' consents to the same treaties: one node each, a provenance from each source."""
    page = "documents/us-embassy-monrovia-human-rights-defenders.txt"
    for code in ("ICCPR", "ICESCR"):
        act = f"{ID}treaty-action/LBR/{code}/consent"
        got = dict(select(store, f"""SELECT ?path ?kind WHERE {{ GRAPH ?g {{
            <{act}> a ?kind ; <http://www.w3.org/ns/prov#wasDerivedFrom> ?src }}
            ?src <http://www.w3.org/ns/prov#wasDerivedFrom>*/hr:path ?path }}"""))
        # the table's row derives from its file, the page's act from the page's document
        assert got == {f"ratification/hr_status_{code.lower()}.csv": f"{HR}ConsentToBeBound",
                       page: f"{HR}Ratification"}
        assert not select(store, f"""SELECT ?a WHERE {{ ?a hr:state <{ID}state/LBR> ;
            hr:instrument <{ID}instrument/{code}> ; a hr:Ratification FILTER (?a != <{act}>) }}""")
