"""When each state was reviewed in the UPR: ``data/reference/upr-reviews.tsv``.

The table lists (session, state, date of the review in the Working Group) as the pinned data
says them: the date each Working Group report gives for its review, and the us-upr-cycle3
dataset's review (session 36, 9 November 2020). The document loader reads it to resolve
"the Universal Periodic Review ... on November 9, 2020" or "reviewed in 2011 and 2015".
Regenerate it with ``python -m hrkg.loaders.upr_corpus [DATA_DIR]`` (the UPR report
loader reads the dates; the reference layer imports no loader).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache

from hrkg.reference.states import read_tsv
from hrkg.resources import resource_dir

__all__ = ["Review", "schedule", "reviews_of", "HEADER", "US_CYCLE3", "SUPPLEMENT"]

HEADER = """\
# Each state's UPR reviews: Working Group session and the date of the review.
# Derived from the pinned UPR Working Group reports (the date each report gives for the review)
# and the us-upr-cycle3 dataset (A/HRC/46/15: session 36, 9 November 2020); the United States'
# second review (session 22, 11 May 2015; report A/HRC/30/12), which no pinned dataset holds,
# from OHCHR's UPR page for the United States.
# Regenerate with: python -m hrkg.loaders.upr_corpus [DATA_DIR]
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
