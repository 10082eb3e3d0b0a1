"""Facts about the Universal Periodic Review shared by the UPR loaders."""

from __future__ import annotations

from pyoxigraph import NamedNode

from hrkg.terms import HR, rid, slug

__all__ = ["cycle_of", "review_iri", "RESPONSES", "theme_iri"]

RESPONSES = {
    "accepted": HR.Supported, "supported": HR.Supported, "noted": HR.Noted,
    "voluntary pledge": HR.VoluntaryPledge, "supported_noted": HR.PartiallySupported,
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


def theme_iri(name: str) -> NamedNode:
    return rid("theme", slug(name))
