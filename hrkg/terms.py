"""IRIs of the vocabulary and of resources. Resource IRIs are deterministic: same input, same IRI.

The resource base is ``https://w3id.org/hrkg/id/`` unless ``HRKG_BASE`` says otherwise.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata

from pyoxigraph import Literal, NamedNode

__all__ = [
    "DEFAULT_BASE",
    "HR",
    "RDF",
    "RDFS",
    "OWL",
    "XSD",
    "SKOS",
    "DCTERMS",
    "PROV",
    "SCHEMA",
    "FOAF",
    "ORG",
    "SH",
    "VOID",
    "base",
    "rid",
    "slug",
    "text_key",
    "lit",
    "en",
    "typed",
    "PREFIXES",
    "INFERRED_GRAPH",
]


class Namespace:
    """Makes NamedNodes: ``HR.State`` or ``HR["State"]``; ``str(HR)`` is the namespace IRI.
    (Not a ``str`` subclass: ``DCTERMS.title`` must not be ``str.title``.)"""

    def __init__(self, iri: str) -> None:
        self._iri = iri

    def __getattr__(self, name: str) -> NamedNode:
        if name.startswith("__"):
            raise AttributeError(name)
        return NamedNode(self._iri + name)

    def __getitem__(self, name: str) -> NamedNode:
        return NamedNode(self._iri + name)

    def __str__(self) -> str:
        return self._iri


HR = Namespace("https://w3id.org/hrkg/ontology#")
RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")
OWL = Namespace("http://www.w3.org/2002/07/owl#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
PROV = Namespace("http://www.w3.org/ns/prov#")
SCHEMA = Namespace("https://schema.org/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")

# the graph of what the build derives (hrkg.graph.derive), id/graph/inferred
INFERRED_GRAPH = "inferred"
ORG = Namespace("http://www.w3.org/ns/org#")
SH = Namespace("http://www.w3.org/ns/shacl#")
VOID = Namespace("http://rdfs.org/ns/void#")

DEFAULT_BASE = "https://w3id.org/hrkg/id/"


def base() -> str:
    value = os.environ.get("HRKG_BASE", DEFAULT_BASE)
    return value if value.endswith("/") else value + "/"


PREFIXES = {
    "hr": str(HR),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "prov": str(PROV),
    "schema": str(SCHEMA),
    "foaf": str(FOAF),
    "org": str(ORG),
    "sh": str(SH),
    "void": str(VOID),
}


def resource_prefixes() -> dict[str, str]:
    """Prefixes for resource IRIs, used by the Turtle writer to keep dumps readable."""
    b = base()
    names = [
        "state",
        "instrument",
        "treaty-action",
        "review",
        "recommendation",
        "pledge",
        "theme",
        "regional-group",
        "graph",
        "source",
        "person",
        "org",
        "document",
    ]
    out = {n.replace("-", ""): f"{b}{n}/" for n in names}
    out["id"] = b
    return out


def rid(*parts: object) -> NamedNode:
    """A resource IRI under the base: ``rid("state", "PRK")`` → ``…/id/state/PRK``."""
    return NamedNode(base() + "/".join(str(p) for p in parts))


def slug(text: str) -> str:
    """Lower-case ASCII words joined by hyphens: ``"Women's rights"`` → ``womens-rights``.

    >>> slug("Torture and other CID treatment")
    'torture-and-other-cid-treatment'
    >>> slug("Women's rights")
    'womens-rights'
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    ascii_text = re.sub(r"['’]", "", ascii_text.lower())
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


def normalise_text(text: str) -> str:
    """The text used to recognise the same recommendation: case, spacing and punctuation ignored.

    >>> normalise_text("  Ratify the  CEDAW; ") == normalise_text("ratify the CEDAW")
    True
    """
    ascii_text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(re.findall(r"\w+", ascii_text))


def text_key(text: str, length: int = 12) -> str:
    """A short stable key for a text (first hex digits of its SHA-256 after normalising)."""
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()[:length]


def lit(value: str) -> Literal:
    return Literal(value)


def en(value: str) -> Literal:
    return Literal(value, language="en")


def typed(value: object, datatype: NamedNode) -> Literal:
    return Literal(str(value), datatype=datatype)
