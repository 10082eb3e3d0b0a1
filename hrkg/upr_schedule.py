"""When each state was reviewed in the UPR: ``data/reference/upr-reviews.tsv``.

The table lists (session, state, date of the review in the Working Group) as the pinned data
says them: the date each Working Group report gives for its review, and the us-upr-cycle3
dataset's review (session 36, 9 November 2020). The document loader reads it to resolve
"the Universal Periodic Review ... on November 9, 2020" or "reviewed in 2011 and 2015".
Regenerate it with ``python -m hrkg.upr_schedule [DATA_DIR]``.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from hrkg.errors import LoaderError
from hrkg.reference import read_tsv
from hrkg.resources import resource_dir

__all__ = ["Review", "schedule", "reviews_of", "generate"]

HEADER = """\
# Each state's UPR reviews: Working Group session and the date of the review.
# Derived from the pinned UPR Working Group reports (the date each report gives for the review)
# and the us-upr-cycle3 dataset (A/HRC/46/15: session 36, 9 November 2020); the United States'
# second review (session 22, 11 May 2015; report A/HRC/30/12), which no pinned dataset holds,
# from OHCHR's UPR page for the United States.
# Regenerate with: python -m hrkg.upr_schedule [DATA_DIR]
"""
US_CYCLE3 = (36, "USA", date(2020, 11, 9))
# Reviews no pinned dataset holds, each with its public source (see HEADER).
SUPPLEMENT = [(22, "USA", date(2015, 5, 11))]


@dataclass(frozen=True)
class Review:
    session: int
    iso3: str
    date: date

    @property
    def adopted_year(self) -> int:
        """The year the Council adopts the outcome: the regular session after the Working
        Group's (March for an October–December review, else the same year)."""
        return self.date.year + (1 if self.date.month >= 10 else 0)


@cache
def schedule() -> tuple[Review, ...]:
    rows = read_tsv(resource_dir("data") / "reference" / "upr-reviews.tsv")
    return tuple(Review(int(r["session"]), r["iso3"], date.fromisoformat(r["date"])) for r in rows)


def reviews_of(iso3: str) -> list[Review]:
    return [r for r in schedule() if r.iso3 == iso3]


def generate(data: Path) -> str:
    from hrkg.loaders.upr_report import reconcile
    from hrkg.upr_corpus import report_files

    found: dict[tuple[int, str], date] = {(s, iso): d for s, iso, d in [US_CYCLE3, *SUPPLEMENT]}
    for path in report_files(data):
        try:   # placed as the loader places it: state under review and session, or an error
            rec = reconcile(path, None)
        except LoaderError:
            continue   # a report that cannot be placed adds no row (the build reports it)
        if rec.report.review_date:
            found.setdefault((rec.report.session, rec.iso3), rec.report.review_date)
    lines = [HEADER + "session\tiso3\tdate"]
    lines += [f"{s}\t{iso}\t{d.isoformat()}" for (s, iso), d in sorted(found.items())]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    from hrkg.data import data_dir

    sys.stdout.write(generate(data_dir(sys.argv[1] if len(sys.argv) > 1 else None)))
