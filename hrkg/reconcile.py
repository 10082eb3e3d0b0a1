"""The same recommendation from two sources: the Working Group report and the UPR Info export.

Both are matched within one review (session and state under review). A report item and a
UPR Info recommendation are candidates when they share a recommending state (or the item
names none that resolves); the better their texts agree after normalising (case, spacing,
punctuation, see :func:`hrkg.terms.normalise_text`), the likelier the pair. Scores come from
RapidFuzz: the plain similarity ratio, or for a text that is one part of a longer paragraph
(UPR Info sometimes keeps the whole paragraph, the report splits it, and the other way
round) the partial ratio, discounted. Pairs are taken best first; an item gets one UPR Info
recommendation; a UPR Info recommendation may take several items as long as they name
different states (the report repeats one text per state where UPR Info groups the rows).
What finds no partner above the threshold is returned as unmatched: listed, never dropped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process

from hrkg.terms import normalise_text

__all__ = ["Candidate", "Match", "match", "similar", "THRESHOLD", "SIMILAR"]

# The score from which two texts are taken as the same recommendation, measured on the
# corpus (see benchmarks and the corpus report): genuine pairs score 90-100, different
# recommendations to the same state by the same recommender rarely above 75.
THRESHOLD = 85.0
_PARTIAL_DISCOUNT = 0.95  # a text matched only as a part of the other's text
_PARTIAL_MIN_LENGTH = 40  # short texts ("Ratify CAT") are too easily part of anything
_SURE = 98.0  # a plain score from which no partial score is worth computing


@dataclass(frozen=True)
class Candidate:
    """One side of a pair: its key, its text, the ISO codes of its recommending states."""

    key: object
    text: str
    states: frozenset[str]


@dataclass(frozen=True)
class Match:
    item: int          # index into the items
    candidate: int     # index into the candidates
    score: float


def _state_overlap(items: Sequence[Candidate], candidates: Sequence[Candidate]) -> np.ndarray:
    """True where the item names no resolved state or shares one with the candidate."""
    codes = {c: n for n, c in enumerate(sorted({s for x in (*items, *candidates)
                                                 for s in x.states}))}
    left = np.zeros((len(items), len(codes) or 1), dtype=np.float32)
    right = np.zeros((len(candidates), len(codes) or 1), dtype=np.float32)
    for row, x in enumerate(items):
        left[row, [codes[s] for s in x.states]] = 1
    for row, x in enumerate(candidates):
        right[row, [codes[s] for s in x.states]] = 1
    overlap = (left @ right.T) > 0
    overlap[[not x.states for x in items], :] = True
    return overlap


def match(items: Sequence[Candidate], candidates: Sequence[Candidate],
          threshold: float = THRESHOLD) -> tuple[list[Match], list[int], list[int]]:
    """Pairs (best first taken), the items left unmatched, the candidates left unmatched."""
    if not items or not candidates:
        return [], list(range(len(items))), list(range(len(candidates)))
    a = [normalise_text(i.text) for i in items]
    b = [normalise_text(c.text) for c in candidates]
    score = process.cdist(a, b, scorer=fuzz.ratio, dtype=np.float32)
    score[~_state_overlap(items, candidates)] = 0
    # the partial ratio (costly) only where the plain one leaves an item without a sure
    # partner, and only against the candidates that share a state with it
    for i in np.nonzero(score.max(axis=1) < _SURE)[0]:
        if len(a[i]) < _PARTIAL_MIN_LENGTH:
            continue
        for j in np.nonzero(score[i] > 0)[0]:
            if len(b[j]) >= _PARTIAL_MIN_LENGTH:
                part = fuzz.partial_ratio(a[i], b[j]) * _PARTIAL_DISCOUNT
                score[i, j] = max(score[i, j], part)
    rows, cols = np.nonzero(score >= threshold)
    pairs = [(float(score[i, j]), int(i), int(j)) for i, j in zip(rows, cols, strict=True)]
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    taken: set[int] = set()
    claimed: dict[int, set[str]] = {}  # candidate → the states its items have named
    out = []
    for value, i, j in pairs:
        if i in taken:
            continue
        states = items[i].states & candidates[j].states
        if j in claimed and (not states or states & claimed[j]):
            continue
        claimed.setdefault(j, set()).update(states)
        taken.add(i)
        out.append(Match(i, j, round(value, 1)))
    out.sort(key=lambda m: m.item)
    return (out, [i for i in range(len(items)) if i not in taken],
            [j for j in range(len(candidates)) if j not in claimed])


# Recommendations of two reviews of the same state (not the same recommendation from two
# sources, as above): a later review's recommendation "repeats" an earlier one when a
# recommending state made both and nearly all the words of one are among the other's
# (RapidFuzz token-set ratio of the normalised texts). Measured on Slovenia's four reviews:
# the pairs found score 86-100 (a convention to ratify asked again, "ratify" becoming
# "accede to"); the next best pairs of different recommendations score below 60.
SIMILAR = 85.0
_SIMILAR_MIN_WORDS = 5  # "Ratify CAT" is among the words of too many recommendations


def similar(later: Sequence[Candidate], earlier: Sequence[Candidate],
            threshold: float = SIMILAR) -> list[Match]:
    """Every pair (later item, earlier candidate) with a recommending state in common and
    texts that say nearly the same; all pairs, not one partner each."""
    if not later or not earlier:
        return []
    a = [normalise_text(x.text) for x in later]
    b = [normalise_text(x.text) for x in earlier]
    score = process.cdist(a, b, scorer=fuzz.token_set_ratio, dtype=np.float32)
    out = []
    for i, j in zip(*np.nonzero(score >= threshold), strict=True):
        if (later[i].states & earlier[j].states and len(a[i].split()) >= _SIMILAR_MIN_WORDS
                and len(b[j].split()) >= _SIMILAR_MIN_WORDS):
            out.append(Match(int(i), int(j), round(float(score[i, j]), 1)))
    return sorted(out, key=lambda m: (m.item, m.candidate))
