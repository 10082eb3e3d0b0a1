"""The calendar of the UPR Working Group sessions (data/reference/upr-sessions.tsv, issue 13):
sessions 1-50, transcribed from OHCHR's published calendar, checked against every review date
the pinned Working Group reports state and the United States' review of 9 November 2020."""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path

from hrkg.reference.states import read_tsv, upr_sessions
from hrkg.resources import resource_dir

TABLE = resource_dir("data") / "reference" / "upr-sessions.tsv"


def test_the_table_is_complete_and_says_its_source() -> None:
    head = TABLE.read_text(encoding="utf-8")
    assert "ohchr.org" in head and "transcribed on 2026-11-30" in head
    cal = upr_sessions()
    assert sorted(cal) == list(range(1, 51))
    for n, s in cal.items():
        assert s.cycle == (1 if n <= 12 else 2 if n <= 26 else 3 if n <= 40 else 4)
        assert timedelta(days=9) <= s.end - s.start <= timedelta(days=14), n
        if n > 1:
            assert s.start > cal[n - 1].end, n
        assert s.start.weekday() == 0, n      # sessions open on a Monday
    # where a row is less sure, the table says so
    unsure = [n for n, s in cal.items() if "uncertain" in s.note]
    assert unsure == [46, 47, 48, 49, 50]


def test_every_review_date_of_the_reports_is_within_its_session(upr_corpus) -> None:
    cal = upr_sessions()
    dated = [r for r in upr_corpus.rows if r.review_date]
    assert len(dated) >= 250
    sessions = set()
    for r in dated:
        day = date.fromisoformat(r.review_date)
        s = cal[r.session]
        assert s.start <= day <= s.end, (r.file, r.session, r.review_date)
        sessions.add(r.session)
    # the reports date reviews of sessions 1-14, 16, 18-20
    assert sessions == set(range(1, 15)) | {16, 18, 19, 20}


def test_the_united_states_2020_review(data_dir: Path) -> None:
    rows = list(csv.DictReader((data_dir / "us-upr-cycle3" /
                                "us_upr_cycle3_recommendations.csv").read_text(
                                    encoding="utf-8").splitlines()))
    assert len(rows) == 347
    s = upr_sessions()[36]
    assert s.start <= date(2020, 11, 9) <= s.end


def test_the_reviews_table_agrees() -> None:
    """data/reference/upr-reviews.tsv (review days from the reports, and the United States'
    of 2015) falls within the calendar too."""
    cal = upr_sessions()
    rows = read_tsv(resource_dir("data") / "reference" / "upr-reviews.tsv")
    assert len(rows) == 260
    for r in rows:
        s = cal[int(r["session"])]
        assert s.start <= date.fromisoformat(r["date"]) <= s.end, r
