"""The UPR Info export: every row accounted for, real counts, bad input reported."""

from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path

import pytest

from hrkg.errors import LoaderError
from hrkg.loaders.upr_info import UprInfoCsvLoader
from hrkg.loading import LoadReport, Source
from hrkg.terms import HR, RDF, normalise_text

ROWS = {"sessions-01-05.csv": 6094, "sessions-06-09.csv": 8343, "sessions-10-13.csv": 9047,
        "sessions-14-17.csv": 9598, "sessions-18-20.csv": 7984, "voluntary-pledges.csv": 947}


def raw_rows(path: Path) -> list[dict[str, str]]:
    """Read the export independently of the loader: Mac Roman, CR line ends."""
    text = path.read_bytes().decode("mac_roman").replace("\r", "\n")
    return list(csv.DictReader(io.StringIO(text)))


def load(path: Path, relpath: str | None = None) -> tuple[list, LoadReport]:
    source = Source.from_path(path, relpath or f"upr-info/{path.name}")
    report = LoadReport(source.relpath)
    return list(UprInfoCsvLoader().load(source, report)), report


@pytest.mark.parametrize("name,rows", sorted(ROWS.items()))
def test_every_row_is_read(data_dir: Path, name: str, rows: int) -> None:
    quads, report = load(data_dir / "upr-info" / name)
    assert report.rows == rows == len(raw_rows(data_dir / "upr-info" / name))
    lines = {q.object.value for q in quads if q.predicate == HR.sourceLine}
    assert len(lines) == rows  # every row ends up on a recommendation or pledge
    assert report.errors == 0


def test_total_rows_and_pledges(data_dir: Path) -> None:
    total = sum(ROWS[n] for n in ROWS if n.startswith("sessions"))
    assert total == 41066
    quads, report = load(data_dir / "upr-info" / "voluntary-pledges.csv")
    pledges = {q.subject for q in quads if q.predicate == RDF.type and q.object == HR.Pledge}
    raw = raw_rows(data_dir / "upr-info" / "voluntary-pledges.csv")
    # one pledge per text, kept apart where the same text is classified two ways
    distinct = {(r["Session"], r["To"], normalise_text(r["Text"]), r["Action"]) for r in raw}
    assert len(pledges) == report.made["hr:Pledge"] == len(distinct)


def test_us_session_9(data_dir: Path) -> None:
    path = data_dir / "upr-info" / "sessions-06-09.csv"
    raw = [r for r in raw_rows(path) if r["To"] == "United States" and r["Session"] == "9"]
    assert len(raw) == 280
    quads, _ = load(path)
    review = "https://w3id.org/hrkg/id/review/upr/9/USA"
    recs = {q.subject for q in quads if q.predicate == HR.review and q.object.value == review}
    texts = {(normalise_text(r["Text"]), r["Response"], r["Action"]) for r in raw}
    assert len(recs) == len({t for t in texts}) == 269
    states = {q.object.value for q in quads
              if q.subject in recs and q.predicate == HR.recommendingState}
    assert len(states) == len({r["From"] for r in raw})


def test_dprk_sessions(data_dir: Path) -> None:
    found = Counter()
    for name in ("sessions-06-09.csv", "sessions-18-20.csv"):
        quads, _ = load(data_dir / "upr-info" / name)
        for q in quads:
            if q.predicate == HR.review and "/PRK" in q.object.value:
                found[q.object.value.split("/")[-2]] += 1
    raw = Counter()
    for name in ("sessions-06-09.csv", "sessions-18-20.csv"):
        for r in raw_rows(data_dir / "upr-info" / name):
            if r["To"] == "DPR Korea":
                raw[r["Session"]] += 1
    assert set(found) == {"6", "19"}
    assert raw == {"6": 167, "19": 269}
    assert found["6"] == 167 and found["19"] <= 269


def test_unknown_recommender_is_kept_and_reported(data_dir: Path) -> None:
    quads, report = load(data_dir / "upr-info" / "sessions-01-05.csv")
    assert report.unmapped["From: '&#40;Unknown&#41;'"] == 9
    kept = {q.subject for q in quads if q.predicate == HR.recommenderAsWritten}
    assert len(kept) == report.made["hr:Recommendation without a known recommending state"] == 9


HEADER = "To,To-Rgrp,To-Org,Text,From,From-Rgrp,From-Org,Response,Action,Issue,Session\r"


def test_bad_rows_are_reported_and_the_rest_loads(tmp_path: Path) -> None:
    body = (HEADER
            + 'Albania,EEG,,Ratify CEDAW,Sweden,WEOG,EU,Accepted,5,Women\'s rights,6\r'
            + 'Atlantis,EEG,,Ratify CAT,Sweden,WEOG,EU,Accepted,5,Justice,6\r'
            + 'Albania,EEG,,Too few fields\r'
            + 'Albania,EEG,,Ratify CRC,Sweden,WEOG,EU,Maybe,5,Nonsense theme,6\r')
    path = tmp_path / "bad.csv"
    path.write_bytes(body.encode("mac_roman"))
    quads, report = load(path)
    assert report.rows == 4
    assert report.made["hr:Recommendation"] == 1
    messages = [str(f) for f in report.findings]
    assert any(":3: state under review 'Atlantis' not known" in m for m in messages), messages
    assert any(":4: expected 11 fields, found 4" in m for m in messages), messages
    assert any(":5: Response 'Maybe'" in m for m in messages), messages


def test_truncated_file_is_an_error_naming_the_line(tmp_path: Path) -> None:
    path = tmp_path / "cut.csv"
    path.write_bytes((HEADER + 'Albania,EEG,,"Ratify the Conv').encode("mac_roman"))
    with pytest.raises(LoaderError, match=r"cut.csv:2: the file ends inside a quoted field"):
        load(path)


@pytest.mark.parametrize("content,message", [
    (b"", "the file is empty"),
    (b"\x00\x01\x02binary\x00", "the file is binary"),
    (b"a,b,c\r1,2,3\r", "unexpected header"),
])
def test_unreadable_files(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(content)
    with pytest.raises(LoaderError, match=message) as exc:
        load(path)
    assert "x.csv" in str(exc.value)


def test_utf8_resaved_export_still_reads(tmp_path: Path) -> None:
    text = HEADER + "Albania,EEG,,Protéger les droits,Côte d'Ivoire,Africa,,Noted,3,Justice,6\r"
    path = tmp_path / "utf8.csv"
    path.write_bytes(text.encode("utf-8"))
    quads, report = load(path)
    assert any(q.predicate == HR.text and q.object.value == "Protéger les droits" for q in quads)
    assert any(q.object.value.endswith("/state/CIV") for q in quads)
