"""Issue 13: the Working Group reports merged with UPR Info. A fragment of a paragraph UPR Info
holds whole is the same recommendation; what only a report holds is listed with its reason;
every grouping wording the reports use is read as a person reads it."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from hrkg.loaders.upr_report import NO_PARTNER, reconcile, report_items
from hrkg.loaders.upr_report_text import group_of
from hrkg.reference.states import read_tsv
from hrkg.text.reconcile import Candidate, Match, fold

GROUPS = Path(__file__).parent / "input" / "upr-report-groups.tsv"


def test_every_grouping_wording_met_is_read_as_reviewed() -> None:
    rows = read_tsv(GROUPS)
    assert len(rows) == 631
    assert Counter(r["group"] for r in rows) == {
        "supported": 243, "examined": 213, "noted": 136, "made": 39}
    for r in rows:
        if r["words"]:
            assert group_of(r["words"]) == r["group"], (r["file"], r["paragraph"], r["words"])


def test_the_reports_hold_exactly_these_groupings(upr_corpus) -> None:
    got = {(row.file, top): group for row in upr_corpus.rows
           for top, (group, _) in row.groups.items()}
    assert got == {(r["file"], r["paragraph"]): r["group"] for r in read_tsv(GROUPS)}


@pytest.mark.parametrize("words, group", [
    ("The following recommendations do not enjoy the support of Jamaica:", "noted"),
    ("The following recommendation does not enjoy the support of Jamaica, as Jamaica "
     "considers it is based on false or erroneous premises:", "noted"),
    ("The recommendations below do not enjoy the support of Myanmar:", "noted"),
    ("The following recommendations did not enjoy the support of Uzbekistan:", "noted"),
    ("The recommendations listed below enjoy the support of Uruguay:", "supported"),
    ("Viet Nam noted the following recommendations and indicated that they pertain to "
     "measures which have been implemented or are currently being implemented:", "noted"),
    ("Brunei Darussalam notes the following recommendations and will provide appropriate "
     "responses in due time.", "examined"),
    ("The response of Cyprus to the following recommendations will be included in the "
     "outcome report adopted by the Human Rights Council at its twenty-sixth session:",
     "examined"),
    ("In the course of the discussion, the following recommendations were made to Canada:",
     "made"),
])
def test_grouping_wordings(words: str, group: str) -> None:
    assert group_of(words) == group


def test_jamaica_and_myanmar_noted_groups(data_dir: Path) -> None:
    """The issue's 98 recommendations read as supported: UPR Info says noted."""
    txt = data_dir / "upr-reports" / "txt"
    jamaica = reconcile(txt / "jamaica2011.txt", None).report
    myanmar = reconcile(txt / "myanmar2011.txt", None).report
    noted = [i for rep, tops in ((jamaica, ("101", "102")), (myanmar, ("107",)))
             for i in rep.items if i.paragraph.split(".")[0] in tops]
    assert len(noted) == 99 and {i.group for i in noted} == {"noted"}


def test_fragments_of_a_paragraph_fold_into_the_recommendation(data_dir: Path) -> None:
    txt = data_dir / "upr-reports" / "txt"
    grenada = reconcile(txt / "grenada2010.txt", data_dir)
    parts = [n for n, i in enumerate(grenada.report.items) if i.paragraph == "71.2"]
    assert len(parts) == 10
    assert len({grenada.iris[n] for n in parts}) == 1
    assert not grenada.iris[parts[0]].value.rsplit("/", 1)[1].startswith("para-")
    rules = Counter(f.rule for f in grenada.folds if f.item in parts)
    assert rules == {"part of a matched paragraph": 9}
    # a cluster: UPR Info holds the four states' paragraph 99.34 under words of its own
    argentina = reconcile(txt / "argentina2012.txt", data_dir)
    cluster = [n for n, i in enumerate(argentina.report.items) if i.paragraph == "99.34"]
    assert len(cluster) == 4 and len({argentina.iris[n] for n in cluster}) == 1
    assert {f.rule for f in argentina.folds if f.item in cluster} == {"paragraph held whole"}


def test_fold_keeps_different_recommendations_apart() -> None:
    """Two different recommendations of a state in one paragraph, where UPR Info has only one
    of them: the other is not folded into it."""
    items = [Candidate(0, "Ratify the Convention against Torture", frozenset({"BRA"})),
             Candidate(1, "Establish a national human rights institution in line with the "
                          "Paris Principles", frozenset({"BRA"}))]
    cands = [Candidate("u", "Ratify the Convention against Torture", frozenset({"BRA"}))]
    folds = fold(items, cands, [Match(0, 0, 100.0)], ["71.2", "71.2"])
    assert folds == []


def test_every_hand_placed_item_is_needed_and_used(upr_corpus) -> None:
    """Each row of data/reference/upr-report-items.tsv places an item that no rule places
    (a row a rule has made needless would be a stale reading), and nothing is left for the
    automatic "no partner" reason."""
    table = report_items()
    assert Counter(d for d, _, _ in table.values()) == {
        "same-as": 22, "only-in-report": 8, "not-a-recommendation": 5}
    used = [key for row in upr_corpus.rows for key in row.hand_placed]
    assert sorted(used) == sorted(table)
    alone = [u for u in upr_corpus.unmatched if u["side"] == "report"]
    assert all(u["reason"] != NO_PARTNER for u in alone)
    dropped = {f"{u['review']}/{u['iri'].rsplit('/', 1)[1]}" for u in upr_corpus.unmatched
               if u["side"] == "not a recommendation"}
    assert dropped == {k for k, (d, _, _) in table.items() if d == "not-a-recommendation"}
    totals = upr_corpus.totals()
    assert totals["fragments folded into a UPR Info recommendation"] == 261
    assert totals["only in the report"] == len(alone) == 8
