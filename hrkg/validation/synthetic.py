"""Graphs shaped like hrkg's (states, instruments, treaty actions, reviews, recommendations,
documents, mentions), of any size, with chosen faults: for the validator's tests and benchmarks.

Every fault kind breaks one constraint of ``shapes/`` and is applied to every ``every``-th
resource of its kind, so a graph of any size carries every kind. Deterministic: the same
arguments give the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

__all__ = ["FAULTS", "triples", "write"]

_B = "https://w3id.org/hrkg/id/"
_HR = "https://w3id.org/hrkg/ontology#"
_RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
_LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
_XSD = "http://www.w3.org/2001/XMLSchema#"

# fault kind → the shape it breaks (for tests that check every kind is found)
FAULTS = {
    "state-bad-iso3": "hrsh:StateShape",
    "state-two-english-labels": "hrsh:StateShape",
    "state-iso2-ill-typed": "hrsh:StateShape",
    "action-on-declaration": "hrsh:TreatyActionShape",
    "action-no-state": "hrsh:TreatyActionShape",
    "action-year-not-gyear": "hrsh:TreatyActionShape",
    "consent-before-adoption": "hrsh:ConsentYearShape",
    "review-session-zero": "hrsh:UPRReviewShape",
    "review-cycle-disagrees": "hrsh:ReviewCycleShape",
    "review-bad-symbol": "hrsh:UPRReviewShape",
    "rec-no-text": "hrsh:RecommendationShape",
    "rec-two-texts": "hrsh:RecommendationShape",
    "rec-empty-text": "hrsh:RecommendationShape",
    "rec-text-langstring": "hrsh:RecommendationShape",
    "rec-bad-response": "hrsh:RecommendationShape",
    "rec-category-6": "hrsh:RecommendationShape",
    "rec-category-ill-typed": "hrsh:RecommendationShape",
    "rec-no-recommender": "hrsh:RecommendationShape",
    "rec-by-reviewed-state": "hrsh:RecommenderNotReviewedShape",
    "rec-review-not-review": "hrsh:RecommendationShape",
    "rec-bad-paragraph": "hrsh:RecommendationShape",
    "rec-theme-not-concept": "hrsh:RecommendationShape",
    "rec-quality-issue": "hrsh:QualityIssueShape",
    "mention-ends-before-begin": "hrsh:MentionShape",
    "mention-negative-begin": "hrsh:MentionShape",
}


def _iri(path: str) -> str:
    return f"<{_B}{path}>"


def _hr(name: str) -> str:
    return f"<{_HR}{name}>"


def _lit(text: str, dt: str | None = None, lang: str | None = None) -> str:
    body = text.replace("\\", "\\\\").replace('"', '\\"')
    if lang:
        return f'"{body}"@{lang}'
    if dt:
        return f'"{body}"^^<{_XSD}{dt}>'
    return f'"{body}"'


def _iso(i: int, n: int) -> str:
    letters = []
    for _ in range(n):
        letters.append(chr(ord("A") + i % 26))
        i //= 26
    return "".join(reversed(letters))


def triples(n: int, every: int = 500, faults: frozenset[str] | None = None) -> Iterator[str]:
    """About ``n`` N-Triples lines. Faults in ``faults`` (all kinds when None) hit every
    ``every``-th resource of their kind (``every=0``: no faults)."""
    kinds = set(FAULTS) if faults is None else set(faults)
    unknown = kinds - set(FAULTS)
    if unknown:
        raise ValueError(f"unknown fault kinds: {', '.join(sorted(unknown))}")

    states = max(20, min(400, n // 2500))
    reviews = max(10, n // 1200)
    recs = max(20, n // 12)
    actions = max(20, n // 40)
    mentions = max(10, n // 60)
    size = {
        "state": states,
        "action": actions,
        "consent": actions,
        "review": reviews,
        "rec": recs,
        "mention": mentions,
    }
    order = sorted(FAULTS)

    def hit(kind: str, i: int) -> bool:
        """Every ``every``-th resource of the kind (at least twice per graph), each fault
        kind on different resources where there are enough."""
        if every <= 0 or kind not in kinds:
            return False
        step = max(2, min(every, size[kind.split("-")[0]] // 2))
        return (i + order.index(kind)) % step == 0

    for i in range(states):
        s = _iri(f"state/{_iso(i, 3)}")
        yield f"{s} {_RDF_TYPE} {_hr('State')} ."
        iso2_type = "integer" if hit("state-iso2-ill-typed", i) else None
        yield f"{s} {_hr('iso2')} {_lit(_iso(i, 2), iso2_type)} ."
        iso3 = _iso(i, 3).lower() if hit("state-bad-iso3", i) else _iso(i, 3)
        yield f"{s} {_hr('iso3')} {_lit(iso3)} ."
        yield f"{s} {_LABEL} {_lit(f'State {i}', lang='en')} ."
        if hit("state-two-english-labels", i):
            yield f"{s} {_LABEL} {_lit(f'The State {i}', lang='en')} ."
        yield f"{s} {_hr('unMember')} {_lit('true', 'boolean')} ."
    for code, cls, year in (
        ("CCPR", "Treaty", 1966),
        ("CESCR", "Treaty", 1966),
        ("CCPR-OP2", "OptionalProtocol", 1989),
        ("UDHR", "Declaration", 1948),
    ):
        ins = _iri(f"instrument/{code}")
        yield f"{ins} {_RDF_TYPE} {_hr(cls)} ."
        yield f"{ins} {_LABEL} {_lit(code, lang='en')} ."
        yield f"{ins} {_hr('adoptedYear')} {_lit(str(year), 'gYear')} ."
        family = "un-declaration" if cls == "Declaration" else "core-human-rights-treaty"
        yield f"{ins} {_hr('instrumentFamily')} <{_B}instrument-family/{family}> ."
        if cls == "OptionalProtocol":
            yield f"{ins} {_hr('protocolTo')} {_iri('instrument/CCPR')} ."
    for i in range(actions):
        a = _iri(f"treaty-action/{i}")
        state = _iri(f"state/{_iso(i % states, 3)}")
        yield f"{a} {_RDF_TYPE} {_hr('Ratification')} ."
        if not hit("action-no-state", i):
            yield f"{a} {_hr('state')} {state} ."
        ins = "UDHR" if hit("action-on-declaration", i) else ("CCPR", "CESCR", "CCPR-OP2")[i % 3]
        yield f"{a} {_hr('instrument')} {_iri('instrument/' + ins)} ."
        year_text = "1950" if hit("consent-before-adoption", i) else str(1990 + i % 30)
        year_type = "integer" if hit("action-year-not-gyear", i) else "gYear"
        yield f"{a} {_hr('year')} {_lit(year_text, year_type)} ."
    for n in range(1, 41):  # the Working Group sessions the reviews are in
        ses = _iri(f"upr-session/{n}")
        yield f"{ses} {_RDF_TYPE} {_hr('UPRSession')} ."
        yield f"{ses} {_LABEL} {_lit(f'Session {n}', lang='en')} ."
        yield f"{ses} {_hr('session')} {_lit(str(n), 'integer')} ."
        cycle_n = 1 if n <= 12 else 2 if n <= 26 else 3
        yield f"{ses} {_hr('cycle')} {_lit(str(cycle_n), 'integer')} ."
        year = 2007 + (n + 1) // 2
        yield f"{ses} {_hr('startDate')} {_lit(f'{year}-0{1 + 4 * (n % 2)}-01', 'date')} ."
        yield f"{ses} {_hr('endDate')} {_lit(f'{year}-0{1 + 4 * (n % 2)}-12', 'date')} ."
    for i in range(reviews):
        r = _iri(f"review/upr/{i}")
        session = 1 + i % 40
        yield f"{r} {_RDF_TYPE} {_hr('UPRReview')} ."
        yield f"{r} {_hr('stateUnderReview')} {_iri(f'state/{_iso(i % states, 3)}')} ."
        shown = "0" if hit("review-session-zero", i) else str(session)
        yield f"{r} {_hr('session')} {_lit(shown, 'integer')} ."
        yield f"{r} {_hr('inSession')} {_iri(f'upr-session/{shown}')} ."
        cycle = 1 if session <= 12 else 2 if session <= 26 else 3
        if hit("review-cycle-disagrees", i):
            cycle = cycle % 3 + 1
        yield f"{r} {_hr('cycle')} {_lit(str(cycle), 'integer')} ."
        symbol = f"A/HRC/{session}/{i}" if not hit("review-bad-symbol", i) else f"HRC {session}"
        yield f"{r} {_hr('reportSymbol')} {_lit(symbol)} ."
    themes = [_iri(f"theme/t{k}") for k in range(12)]
    for t in themes:
        yield f"{t} {_RDF_TYPE} <http://www.w3.org/2004/02/skos/core#Concept> ."
    for i in range(recs):
        rec = _iri(f"recommendation/{i}")
        review_i = i % reviews
        reviewed = review_i % states
        yield f"{rec} {_RDF_TYPE} {_hr('Recommendation')} ."
        if not hit("rec-no-text", i):
            text = "" if hit("rec-empty-text", i) else f"Ratify the covenant, recommendation {i}"
            lang = "en" if hit("rec-text-langstring", i) else None
            yield f"{rec} {_hr('text')} {_lit(text, lang=lang)} ."
        if hit("rec-two-texts", i):
            yield f"{rec} {_hr('text')} {_lit(f'Another text {i}')} ."
        review = (
            _iri(f"state/{_iso(0, 3)}")
            if hit("rec-review-not-review", i)
            else _iri(f"review/upr/{review_i}")
        )
        yield f"{rec} {_hr('review')} {review} ."
        if hit("rec-by-reviewed-state", i):
            yield f"{rec} {_hr('recommendingState')} {_iri(f'state/{_iso(reviewed, 3)}')} ."
        elif not hit("rec-no-recommender", i):
            for k in range(1 + i % 3):
                other = (reviewed + 1 + k + i) % states
                if other == reviewed:
                    other = (other + 1) % states
                yield f"{rec} {_hr('recommendingState')} {_iri(f'state/{_iso(other, 3)}')} ."
        response = "Accepted" if hit("rec-bad-response", i) else ("Supported", "Noted")[i % 2]
        yield f"{rec} {_hr('response')} {_hr(response)} ."
        category = (
            "x"
            if hit("rec-category-ill-typed", i)
            else "6"
            if hit("rec-category-6", i)
            else str(1 + i % 5)
        )
        yield f"{rec} {_hr('actionCategory')} {_lit(category, 'integer')} ."
        yield f"{rec} {_hr('theme')} {themes[i % len(themes)]} ."
        if hit("rec-theme-not-concept", i):
            yield f"{rec} {_hr('theme')} {_iri('state/' + _iso(1, 3))} ."
        para = f"{90 + i % 5}-{i}" if hit("rec-bad-paragraph", i) else f"{90 + i % 5}.{i}"
        yield f"{rec} {_hr('paragraph')} {_lit(para)} ."
        yield f"{rec} {_hr('sourceLine')} {_lit(str(i + 2), 'integer')} ."
        if hit("rec-quality-issue", i):
            yield f"{rec} {_hr('qualityIssue')} {_lit('two rows disagree')} ."
    docs = max(2, mentions // 20)
    for d in range(docs):
        doc = _iri(f"document/{d}")
        yield f"{doc} {_RDF_TYPE} {_hr('Document')} ."
        yield f"<{_B}document/{d}> <http://purl.org/dc/terms/title> {_lit(f'Document {d}')} ."
    for i in range(mentions):
        m = _iri(f"mention/{i}")
        begin = -1 if hit("mention-negative-begin", i) else 10 * i
        end = begin - 1 if hit("mention-ends-before-begin", i) else 10 * i + 7
        yield f"{m} {_RDF_TYPE} {_hr('Mention')} ."
        yield f"{m} {_hr('document')} {_iri(f'document/{i % docs}')} ."
        yield f"{m} {_hr('entity')} {_iri(f'state/{_iso(i % states, 3)}')} ."
        yield f"{m} {_hr('anchorText')} {_lit(f'State {i % states}')} ."
        yield f"{m} {_hr('beginIndex')} {_lit(str(begin), 'integer')} ."
        yield f"{m} {_hr('endIndex')} {_lit(str(end), 'integer')} ."


def write(path: Path, n: int, every: int = 500, faults: frozenset[str] | None = None) -> int:
    """Write the graph as N-Triples to ``path``; the number of lines written."""
    count = 0
    with path.open("w", encoding="utf-8") as out:
        for line in triples(n, every, faults):
            out.write(line + "\n")
            count += 1
    return count
