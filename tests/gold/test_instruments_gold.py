"""The instrument gold sample (issue 13): it is the sample the sampler draws, its texts are the
data's, and the scorer counts what a tagger gets right, exactly."""

from __future__ import annotations

import csv
import shutil
from collections import Counter
from pathlib import Path

import pytest

from tests.gold import sample_instruments as sampler
from tests.gold.score_instruments import (
    CODES,
    GOLD_TSV,
    GoldError,
    acronym_tagger,
    load_gold,
    read_records,
    score,
    texts,
)


def test_gold_is_the_drawn_sample(data_dir: Path) -> None:
    drawn = sampler.sample(sampler.recommendations(data_dir))
    assert len(drawn) == 400
    assert sampler.check(GOLD_TSV, drawn) == []
    strata = Counter(s.split("/")[0] for s, _ in drawn)
    assert strata["uniform"] == 50 and strata["lists"] == 37 and strata["ratify-other"] == 20


def test_gold_counts() -> None:
    rows = load_gold()
    mentions = Counter(code for row in rows for code in row.gold)
    assert len(rows) == 400
    assert sum(mentions.values()) == 552
    assert sum(1 for row in rows if row.gold) == 261
    assert (mentions["OPCAT"], mentions["CPED"], mentions["CAT"], mentions["CEDAW"],
            mentions["ICERD"], mentions["ROME-STATUTE"]) == (51, 41, 33, 21, 21, 28)
    assert set(mentions) <= set(CODES)


def test_a_perfect_tagger_scores_one(data_dir: Path) -> None:
    rows = load_gold()
    gold_of = {text: row.gold for row, text in zip(rows, texts(rows, data_dir), strict=True)}
    result = score(lambda text, session: gold_of[text], base=data_dir)
    m = result["micro"]
    assert (m.gold, m.tagged, m.tp) == (552, 552, 552)
    assert result["misses"] == [] and result["false"] == []


def test_the_acronym_baseline_scores_exactly(data_dir: Path) -> None:
    result = score(acronym_tagger, base=data_dir)
    m = result["micro"]
    assert (m.gold, m.tagged, m.tp) == (552, 218, 146)
    assert len(result["misses"]) == 552 - 146 and len(result["false"]) == 218 - 146
    cat = result["per_code"]["CAT"]
    assert (cat.gold, cat.tagged, cat.tp) == (33, 37, 18)


def test_changed_data_stop_the_scoring_at_the_row(data_dir: Path, tmp_path: Path) -> None:
    row = next(r for r in load_gold() if r.file.endswith("10-13.csv") and r.gold)
    (tmp_path / "upr-info").mkdir()
    for file in sampler.FILES:
        shutil.copy(data_dir / file, tmp_path / file)
    path = tmp_path / row.file
    with open(path, encoding="mac_roman", newline="") as f:
        records = list(csv.reader(f))
    records[row.record][3] += " and the Rome Statute"
    with open(path, "w", encoding="mac_roman", newline="") as f:
        csv.writer(f, lineterminator="\r").writerows(records)
    assert sum(1 for _ in read_records(path)) == len(records) - 1
    with pytest.raises(GoldError, match=rf"instruments.tsv:{row.line}: .*record {row.record}"):
        score(acronym_tagger, base=tmp_path)


@pytest.mark.parametrize(("cells", "message"), [
    ("upr-info/x.csv\t1\t0123456789ab\t3\tuniform\tCEDAW ICC\t\t", r"unknown code\(s\) \['ICC'\]"),
    ("upr-info/x.csv\t1\t0123456789ab\t3\tuniform\tCEDAW", r"expected 8 tab-separated cells"),
    ("upr-info/x.csv\tone\t0123456789ab\t3\tuniform\t\t\t", r"record and session must be numbers"),
])
def test_a_bad_gold_line_is_named(tmp_path: Path, cells: str, message: str) -> None:
    gold = tmp_path / "gold.tsv"
    gold.write_text("# comment\n" + "\t".join(
        ("file", "record", "text_sha", "session", "stratum", "gold", "other", "note"))
        + "\n" + cells + "\n", encoding="utf-8")
    with pytest.raises(GoldError, match=rf"gold.tsv:3: {message}"):
        load_gold(gold)
