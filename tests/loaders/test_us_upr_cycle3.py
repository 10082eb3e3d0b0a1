"""The United States' third review: 347 paragraphs, documented defects handled."""

from __future__ import annotations

from pathlib import Path

from hrkg.loaders.us_upr_cycle3 import UsUprCycle3Loader
from hrkg.loading import LoadReport, Source
from hrkg.terms import HR

BASE = "https://w3id.org/hrkg/id/"


def test_recommendations_and_defects(data_dir: Path) -> None:
    path = data_dir / "us-upr-cycle3" / "us_upr_cycle3_recommendations.csv"
    source = Source.from_path(path, "us-upr-cycle3/us_upr_cycle3_recommendations.csv")
    report = LoadReport(source.relpath)
    quads = list(UsUprCycle3Loader().load(source, report))
    paragraphs = {q.object.value for q in quads if q.predicate == HR.paragraph}
    assert paragraphs == {f"26.{n}" for n in range(1, 348)}
    assert report.made["response supported"] == 263
    assert report.made["response noted"] == 67
    assert report.made["response supported_noted"] == 17

    def states(para: str) -> set[str]:
        s = f"{BASE}recommendation/upr/36/USA/para-{para}"
        return {q.object.value.rsplit("/", 1)[1] for q in quads
                if q.subject.value == s and q.predicate == HR.recommendingState}

    assert states("26.347") == {"NIC"}
    assert states("26.161") == {"VEN", "NIC"}
    assert states("26.91") == {"PHL"}
    text = "\n".join(map(str, report.findings))
    assert ":348: no recommending state in its column; 'Nicaragua'" in text
    assert "'Bolivarian Republic of' is part of a name; read as VEN" in text
    assert "'the Paris Principles' is not a known state" in text
    # spaced apostrophes: "Democratic People ’ s Republic of Korea" resolves
    assert any(q.object.value == f"{BASE}state/PRK" for q in quads
               if q.predicate == HR.recommendingState)
