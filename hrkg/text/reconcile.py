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

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

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


K = TypeVar("K")


@dataclass(frozen=True)
class Candidate(Generic[K]):
    """One side of a pair: its key, its text, the ISO codes of its recommending states."""

    key: K
    text: str
    states: frozenset[str]


@dataclass(frozen=True)
class Match:
    item: int  # index into the items
    candidate: int  # index into the candidates
    score: float


def _state_overlap(items: Sequence[Candidate], candidates: Sequence[Candidate]) -> np.ndarray:
    """True where the item names no resolved state or shares one with the candidate."""
    codes = {
        c: n for n, c in enumerate(sorted({s for x in (*items, *candidates) for s in x.states}))
    }
    left = np.zeros((len(items), len(codes) or 1), dtype=np.float32)
    right = np.zeros((len(candidates), len(codes) or 1), dtype=np.float32)
    for row, x in enumerate(items):
        left[row, [codes[s] for s in x.states]] = 1
    for row, x in enumerate(candidates):
        right[row, [codes[s] for s in x.states]] = 1
    overlap = (left @ right.T) > 0
    overlap[[not x.states for x in items], :] = True
    return overlap


def match(
    items: Sequence[Candidate], candidates: Sequence[Candidate], threshold: float = THRESHOLD
) -> tuple[list[Match], list[int], list[int]]:
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
    for value, item, cand in pairs:
        if item in taken:
            continue
        states = items[item].states & candidates[cand].states
        if cand in claimed and (not states or states & claimed[cand]):
            continue
        claimed.setdefault(cand, set()).update(states)
        taken.add(item)
        out.append(Match(item, cand, round(value, 1)))
    out.sort(key=lambda m: m.item)
    return (
        out,
        [i for i in range(len(items)) if i not in taken],
        [j for j in range(len(candidates)) if j not in claimed],
    )


# Recommendations of two reviews of the same state (not the same recommendation from two
# sources, as above): a later review's recommendation "repeats" an earlier one when a
# recommending state made both and nearly all the words of one are among the other's
# (RapidFuzz token-set ratio of the normalised texts). Measured on Slovenia's four reviews:
# the pairs found score 86-100 (a convention to ratify asked again, "ratify" becoming
# "accede to"); the next best pairs of different recommendations score below 60.
SIMILAR = 85.0
_SIMILAR_MIN_WORDS = 5  # "Ratify CAT" is among the words of too many recommendations


def similar(
    later: Sequence[Candidate], earlier: Sequence[Candidate], threshold: float = SIMILAR
) -> list[Match]:
    """Every pair (later item, earlier candidate) with a recommending state in common and
    texts that say nearly the same; all pairs, not one partner each."""
    if not later or not earlier:
        return []
    a = [normalise_text(x.text) for x in later]
    b = [normalise_text(x.text) for x in earlier]
    score = process.cdist(a, b, scorer=fuzz.token_set_ratio, dtype=np.float32)
    out = []
    for i, j in zip(*np.nonzero(score >= threshold), strict=True):
        if (
            later[i].states & earlier[j].states
            and len(a[i].split()) >= _SIMILAR_MIN_WORDS
            and len(b[j].split()) >= _SIMILAR_MIN_WORDS
        ):
            out.append(Match(int(i), int(j), round(float(score[i, j]), 1)))
    return sorted(out, key=lambda m: (m.item, m.candidate))


# --- fragments: the report splits what UPR Info holds whole ---------------------------------
# A Working Group report often splits a paragraph into several recommendations ("Ratify
# CAT (Brazil); ratify CRPD (Brazil); …", or one paragraph clustering the like
# recommendations of several states), where UPR Info holds the paragraph whole: one text,
# with all its states, and the response. Such a fragment is the same recommendation as the
# whole. Scores as in `match`, but the part of the shorter text in the longer one is what
# counts (partial ratio, or token set ratio for the reworded clusters); measured on the
# corpus: genuine fragments score 60-100, the rest of the report-only items below 55.
FRAGMENT_THRESHOLD = 60.0
_FRAGMENT_SURE = 80.0  # a lone fragment of a paragraph, or one that names no state
_FRAGMENT_MIN_LENGTH = 15
_SAME_WORDS = 95.0  # the same words, up to punctuation and a slip
_SPLIT = 90.0  # UPR Info's words all in the item (it split the item by state)
_BRACKETS = re.compile(r"\((?:[^()]|\([^()]*\))*\)")


@dataclass(frozen=True)
class Fold:
    item: int  # index into the items
    candidate: int  # index into the candidates
    score: float
    rule: str  # "part of a matched paragraph" | "paragraph held whole"


def _words(item: str) -> str:
    """An item's words without what it has in brackets: the report writes the states of a
    part of the paragraph there ("Sign (Uganda) and ratify (Costa Rica, …) OP-CAT")."""
    return normalise_text(_BRACKETS.sub(" ", item))


def _fragment_score(item: str, whole: str) -> float:
    a, b = _words(item), normalise_text(whole)
    if not a or not b:
        return 0.0
    part = fuzz.partial_ratio(a, b) if len(a) >= _FRAGMENT_MIN_LENGTH else 0.0
    return max(part, fuzz.token_set_ratio(a, b))


def fold(
    items: Sequence[Candidate],
    candidates: Sequence[Candidate],
    matches: Sequence[Match],
    paragraphs: Sequence[str],
    threshold: float = FRAGMENT_THRESHOLD,
) -> list[Fold]:
    """The unmatched items that are fragments of a paragraph UPR Info holds whole.

    An unmatched item folds into a UPR Info recommendation that another item of its
    paragraph matched, when that item shares a state with it, the recommendation names
    every state of the item, and the item's words are a part of the recommendation's
    (rule "part of a matched paragraph"; where only the recommendation shares a state, or
    the item names none, it must score ``_FRAGMENT_SURE``). It folds into a recommendation
    no item matched when the paragraph's unmatched items name only states of that
    recommendation and their words are a part of it: UPR Info holds the paragraph under
    words of its own (rule "paragraph held whole"; a paragraph of one state must score
    ``_FRAGMENT_SURE``).
    """
    taken = {m.item for m in matches}
    by_para: dict[str, list[Match]] = {}
    for m in matches:
        by_para.setdefault(paragraphs[m.item], []).append(m)
    free = set(range(len(candidates))) - {m.candidate for m in matches}
    lone: dict[str, list[int]] = {}
    for i in range(len(items)):
        if i not in taken:
            lone.setdefault(paragraphs[i], []).append(i)
    out: list[Fold] = []
    for para, members in lone.items():
        states = frozenset().union(*(items[i].states for i in members))
        siblings = by_para.get(para, [])
        for i in members:
            item = items[i]
            best: tuple[float, int, str] | None = None
            options = [
                (
                    m.candidate,
                    "part of a matched paragraph",
                    threshold
                    if item.states
                    and item.states & items[m.item].states
                    and item.states <= candidates[m.candidate].states
                    else _FRAGMENT_SURE,
                )
                for m in siblings
                if not item.states or item.states & candidates[m.candidate].states
            ]
            if item.states:
                cluster = len(members) > 1 and len(states) > 1
                options += [
                    (
                        j,
                        "paragraph held whole",
                        threshold if cluster and states <= candidates[j].states else _FRAGMENT_SURE,
                    )
                    for j in sorted(free)
                    if item.states <= candidates[j].states
                ]
            for j, rule, need in options:
                score = _fragment_score(item.text, candidates[j].text)
                if score >= need and (best is None or score > best[0]):
                    best = (score, j, rule)
            if best is None:
                best = _same_words(item, candidates, matches, items, free)
            if best is None:
                best = _part_of(item, candidates)
            if best is None:
                best = _split(item, candidates, free)
            if best is not None:
                out.append(Fold(i, best[1], round(best[0], 1), best[2]))
    out.sort(key=lambda f: f.item)
    return out


def _same_words(
    item: Candidate,
    candidates: Sequence[Candidate],
    matches: Sequence[Match],
    items: Sequence[Candidate],
    free: set[int],
) -> tuple[float, int, str] | None:
    """A report item with the very words of a UPR Info recommendation of its review:
    "repeated in the report" where another item with a state of it matched that
    recommendation (the report gives it in two paragraphs); "same words, another state"
    where no item matched it and they name different states (one source misnames the
    state: Brunei for Brazil, Austria for Australia; both are kept, each in its graph).
    Only texts of ``_PARTIAL_MIN_LENGTH`` characters or more: "Ratify CAT" is said by many."""
    a = _words(item.text)
    if len(a) < _PARTIAL_MIN_LENGTH or not item.states:
        return None
    best: tuple[float, int, str] | None = None
    for m in matches:
        if item.states & items[m.item].states & candidates[m.candidate].states:
            score = fuzz.ratio(a, normalise_text(candidates[m.candidate].text))
            if score >= _SAME_WORDS and (best is None or score > best[0]):
                best = (score, m.candidate, "repeated in the report")
    if best is not None:
        return best
    for j in sorted(free):
        if not item.states & candidates[j].states:
            score = fuzz.ratio(a, normalise_text(candidates[j].text))
            if score >= _SAME_WORDS and (best is None or score > best[0]):
                best = (score, j, "same words, another state")
    return best


def _part_of(item: Candidate, candidates: Sequence[Candidate]) -> tuple[float, int, str] | None:
    """A report item whose words are all in a UPR Info recommendation of the same states
    (the report cut a paragraph in the middle: "… register and investigate promptly all
    cases of domestic violence" in "Circulate necessary legislation to combat domestic
    violence, register and investigate promptly all cases"). Long items only."""
    a = _words(item.text)
    if len(a) < _PARTIAL_MIN_LENGTH or not item.states:
        return None
    best: tuple[float, int, str] | None = None
    for j, cand in enumerate(candidates):
        if item.states <= cand.states:
            b = normalise_text(cand.text)
            score = max(fuzz.partial_ratio(a, b), fuzz.token_set_ratio(a, b))
            if score >= _SAME_WORDS and (best is None or score > best[0]):
                best = (score, j, "part of a recommendation")
    return best


def _split(
    item: Candidate, candidates: Sequence[Candidate], free: set[int]
) -> tuple[float, int, str] | None:
    """A report item of several states that UPR Info splits into recommendations of some of
    them ("Sign (Uganda) and ratify (Costa Rica, Netherlands, Sweden, Uganda) OP-CAT": UPR
    Info's "Ratify OP-CAT" of three states and "Sign and ratify OP-CAT" of Uganda). The item
    is the one that shares the most states with it, the others stay UPR Info's alone."""
    a = _words(item.text)
    best: tuple[float, int, str] | None = None
    key: tuple[int, float] = (0, 0.0)
    for j in sorted(free):
        cand = candidates[j]
        shared = len(item.states & cand.states)
        if item.states and not shared:
            continue
        score = fuzz.partial_ratio(normalise_text(cand.text), a)
        if score >= _SPLIT and (shared, score) > key:
            key, best = (shared, score), (score, j, "split by UPR Info")
    return best
