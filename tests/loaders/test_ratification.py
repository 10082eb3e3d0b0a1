"""The ratification tables: parties counted from the raw files, defects flagged."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from hrkg.errors import LoaderError
from hrkg.loaders.ratification import RatificationCsvLoader
from hrkg.loading import LoadReport, Source
from hrkg.terms import HR, RDF


def load(path: Path) -> tuple[list, LoadReport]:
    source = Source.from_path(path, f"ratification/{path.name}")
    report = LoadReport(source.relpath)
    return list(RatificationCsvLoader().load(source, report)), report


def subjects_of(quads: list, cls) -> set:
    return {q.subject.value for q in quads if q.predicate == RDF.type and q.object == cls}


def test_iccpr_parties(data_dir: Path) -> None:
    path = data_dir / "ratification" / "hr_status_iccpr.csv"
    raw = list(csv.DictReader(path.read_text(encoding="utf-8").splitlines()))
    assert len(raw) == 193
    parties = [r for r in raw if r["status"] == "state party"]
    quads, report = load(path)
    consents = subjects_of(quads, HR.ConsentToBeBound)
    assert len(consents) == len(parties) == 174
    assert report.rows == 193
    assert "https://w3id.org/hrkg/id/treaty-action/PRK/ICCPR/consent" in consents
    # the tables do not say ratification or accession: never guessed
    assert not subjects_of(quads, HR.Ratification) and not subjects_of(quads, HR.Accession)


def test_known_defects_are_flagged(data_dir: Path) -> None:
    quads, report = load(data_dir / "ratification" / "hr_status_iccpr.csv")
    issues = {q.subject.value.split("/treaty-action/")[1]: q.object.value
              for q in quads if q.predicate == HR.qualityIssue}
    assert "TP" in issues["TLS/ICCPR/consent"]
    assert "tied to the UK" in issues["SLB/ICCPR/consent"]
    assert "tied to the UK" in issues["TUV/ICCPR/consent"]
    quads, report = load(data_dir / "ratification" / "hr_status_icerd.csv")
    flagged = {q.subject.value for q in quads if q.predicate == HR.qualityIssue}
    assert "https://w3id.org/hrkg/id/treaty-action/USA/ICERD/consent" in flagged
    assert any("may be the signature year" in str(f) and ":186:" in str(f)
               for f in report.findings)


def test_denunciations(data_dir: Path) -> None:
    quads, _ = load(data_dir / "ratification" / "hr_status_iccpr_op1.csv")
    denounced = subjects_of(quads, HR.Denunciation)
    assert denounced == {"https://w3id.org/hrkg/id/treaty-action/JAM/ICCPR-OP1/denunciation",
                         "https://w3id.org/hrkg/id/treaty-action/TTO/ICCPR-OP1/denunciation"}


def test_unknown_table_and_bad_rows(tmp_path: Path) -> None:
    (tmp_path / "hr_status_nonsense.csv").write_text("iso2\n", encoding="utf-8")
    with pytest.raises(LoaderError, match="hr_status_nonsense.csv: not a ratification table"):
        load(tmp_path / "hr_status_nonsense.csv")
    path = tmp_path / "hr_status_cat.csv"
    path.write_text("iso2,member,state party,year ratification or accession,signatory,"
                    "no action,status,note\n"
                    "AF,Afghanistan,1,1987,0,0,state party,\n"
                    "QQ,Atlantis,1,1987,0,0,state party,\n"
                    "AL,Albania,1,19x7,0,0,state party,\n", encoding="utf-8")
    quads, report = load(path)
    assert subjects_of(quads, HR.ConsentToBeBound) == {
        "https://w3id.org/hrkg/id/treaty-action/AFG/CAT/consent"}
    text = "\n".join(map(str, report.findings))
    assert "hr_status_cat.csv:3: state 'QQ' ('Atlantis') not known" in text
    assert "hr_status_cat.csv:4: year '19x7' is not a year" in text
