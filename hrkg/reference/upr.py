"""Facts about the Universal Periodic Review shared by the UPR loaders."""

from __future__ import annotations

from collections.abc import Iterator

from pyoxigraph import NamedNode, Quad

from hrkg.terms import HR, RDF, XSD, rid, slug, typed

__all__ = ["cycle_of", "review_iri", "review_quads", "RESPONSES", "theme_iri"]

RESPONSES = {
    "accepted": HR.Supported,
    "supported": HR.Supported,
    "noted": HR.Noted,
    "voluntary pledge": HR.VoluntaryPledge,
    "supported_noted": HR.PartiallySupported,
}


def cycle_of(session: int) -> int:
    """UPR cycle of a Working Group session.

    >>> [cycle_of(s) for s in (1, 12, 13, 26, 27, 40, 41)]
    [1, 1, 2, 2, 3, 3, 4]
    """
    if session <= 12:
        return 1
    if session <= 26:
        return 2
    if session <= 40:
        return 3
    return 4


def review_iri(session: int, iso3: str) -> NamedNode:
    return rid("review", "upr", session, iso3)


def review_quads(session: int, iso3: str, g: NamedNode) -> Iterator[Quad]:
    """What every source says of a UPR review it holds: its type, state, session, cycle and
    the Working Group session it was held in (its label is derived, with the state's name)."""
    r = review_iri(session, iso3)
    yield Quad(r, RDF.type, HR.UPRReview, g)
    yield Quad(r, HR.stateUnderReview, rid("state", iso3), g)
    yield Quad(r, HR.session, typed(session, XSD.integer), g)
    yield Quad(r, HR.cycle, typed(cycle_of(session), XSD.integer), g)
    yield Quad(r, HR.inSession, rid("upr-session", session), g)


def theme_iri(name: str) -> NamedNode:
    return rid("theme", slug(name))
