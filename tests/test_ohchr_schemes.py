"""OHCHR's themes, the SDGs and the groups of persons as SKOS (issue 14): the Turtle is what
the reviewed tables generate, every label the lists use is in them, and the hand-made links
to UPR Info's themes point at themes that exist."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from pyoxigraph import RdfFormat, parse

from hrkg.loaders.thematic_list import read
from hrkg.reference.ohchr_schemes import concept_for, concepts, generate, label_key, sdg_labels
from hrkg.reference.schemes import concepts_in
from hrkg.reference.states import resolver
from hrkg.resources import resource_dir
from hrkg.terms import SKOS

LISTS = ["ohchr-upr/slovenia/cycle3/thematic-list-UPR34.docx",
         "ohchr-upr/slovenia/cycle4/thematic-list-UPR48.docx"]


def test_the_turtle_is_generated_from_the_tables() -> None:
    committed = (resource_dir("ontology") / "ohchr-schemes.ttl").read_text(encoding="utf-8")
    assert committed == generate(), (
        "run: python -m hrkg.reference.ohchr_schemes > ontology/ohchr-schemes.ttl")
    triples = list(parse(committed.encode(), format=RdfFormat.TURTLE))
    schemes = Counter(t.object.value.rsplit("#", 1)[1] for t in triples
                      if t.predicate == SKOS.inScheme)
    assert schemes == {"OHCHRThemes": 98, "AffectedPersons": 32, "SDGs": 17}
    assert len(sdg_labels()) == 17 and sdg_labels()[16] == "Peace, justice and strong institutions"


def test_every_label_of_the_lists_is_in_the_tables(data_dir: Path) -> None:
    missing = set()
    for rel in LISTS:
        for e in read(data_dir / rel, resolver().resolve).entries:
            missing |= {("theme", t) for t in e.themes if concept_for("theme", t) is None}
            missing |= {("persons", p) for p in e.persons if concept_for("persons", p) is None}
    assert missing == set()
    # the US cycle-3 file's themes too (its loader makes them in the same scheme)
    import csv
    path = data_dir / "us-upr-cycle3" / "us_upr_cycle3_recommendations.csv"
    themes = {r["primary_theme"] for r in csv.DictReader(path.read_text("utf-8").splitlines())}
    assert {t for t in themes if concept_for("theme", t) is None} == set()


def test_links_to_upr_info_are_to_its_themes() -> None:
    upr = concepts_in("themes.ttl")
    linked = [c for c in concepts() if c.relation]
    assert all(c.upr_info in upr for c in linked)
    assert Counter(c.relation for c in linked) == {"exactMatch": 45, "broadMatch": 31,
                                                   "closeMatch": 20}
    # spellings of one theme are one concept; case, "&" and "and" do not matter
    assert concept_for("theme", "Children: family environment and alternative care") == \
        concept_for("theme", "Children: family environment & alternative care")
    assert concept_for("persons", "girls").label == "Girls"
    assert label_key("Budget &resources") == label_key("budget and resources")
    death = concept_for("theme", "Death penalty")
    assert (death.relation, death.upr_info) == ("exactMatch", "Death penalty")
