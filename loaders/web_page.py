"""``web-page``: documents — the project's own (``data/documents/``) and the user's (the data
directory's ``documents/``, or a folder given with ``--documents``): HTML, Markdown, plain
text or PDF.

Each file becomes an ``hr:Document`` (``id/document/{path under documents/, without suffix}``)
holding its text (``hr:content``) and metadata: from the page itself where it has them (HTML
``<title>``, ``og:``/``article:`` metadata, ``<link rel="canonical">``, ``<html lang>``; a
Markdown file's front matter or first heading; a PDF's document information), else from the
sidecar ``NAME.meta.json`` beside it, which is optional. Every value read from the document
rather than a sidecar is a guess and says so (``hr:metadataGuessed "title: the first Markdown
heading"``). A news list (lines "Jan 10, 2017 | Secretary of State John
Kerry" under a title) becomes one ``hr:Document`` per item, ``dcterms:isPartOf`` the page, with
its own title, date, byline and creator.

What the text names (``hrkg.text.docentities``) is linked to the graph's IRIs: states, instruments,
domestic laws, UPR reviews, people with their positions, organisations; each mention is an
``hr:Mention`` with character offsets into its document's ``hr:content``; each treaty action
the text states with a date is an ``hr:Signature`` / ``hr:Ratification`` / ``hr:Accession`` of
the same IRI the ratification tables use, asserted in this document's graph, with the sentence
it comes from as a mention. A file that cannot be read (empty, binary, not UTF-8 and not
declaring its encoding) loads nothing but its source description, and says why.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from pyoxigraph import NamedNode, Quad

from hrkg.errors import LoaderError
from hrkg.loading import Loader, LoadReport, Source
from hrkg.reference.states import family_iri, instrument_iri, session_iri, state_iri
from hrkg.reference.upr import cycle_of, review_iri
from hrkg.terms import DCTERMS, HR, PROV, RDF, RDFS, SKOS, XSD, en, lit, rid, slug, typed
from hrkg.text.docentities import Extraction, dates_in, extract, known_org_key, organizations
from hrkg.text.doctext import Page, line_of, read_page

__all__ = ["WebPageLoader", "Item", "listing_items", "document_iri"]

SIDECAR = ".meta.json"
DOC_TYPES = {
    "press release",
    "fact sheet",
    "remarks",
    "media note",
    "statement",
    "speech",
    "testimony",
    "report",
    "readout",
    "interview",
    "op-ed",
    "notice",
    "joint statement",
    "article",
    "briefing",
    "transcript",
    "news",
    "video",
    "podcast",
}
_BYLINE = re.compile(
    r"^(?P<date>(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.? "
    r"\d{1,2}, \d{4})\s*\|\s*(?P<by>\S.*?)\s*$",
    re.M,
)
_READ_MORE = re.compile(r"\.\.\.\s*Read More\s*$", re.M)


def _web_url(value: str) -> NamedNode | None:
    """``value`` as an IRI if it is a well-formed http(s) URL (a source is linked from the
    resource pages: no javascript:, no data:)."""
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    try:
        return NamedNode(value)
    except ValueError:
        return None


def document_iri(stem: str, *item: str) -> NamedNode:
    return rid("document", stem, *item)


def document_key(relpath: str) -> str:
    """The key of a document's IRI: its path under ``documents/`` without the suffix, each
    part made a slug ("documents/Reports/My Report.pdf" → "reports/my-report"), so that two
    folders' files stay apart and any file name makes a valid IRI."""
    inner = relpath.split("/", 1)[1] if relpath.startswith("documents/") else relpath
    parts = [*Path(inner).parent.parts, Path(inner).stem]
    return "/".join(slug(p) or "doc-" + hashlib.sha256(p.encode()).hexdigest()[:8] for p in parts)


@dataclass
class Item:
    """One item of a news list: where it is in the page and what its header says."""

    begin: int
    end: int
    title: str
    date: str | None
    byline: str
    kind: str | None


def listing_items(text: str) -> list[Item]:
    """The items of a news list: each is a title line, a "date | speaker" line under it (and
    a document type line such as "Press Release" above it), then its text down to "...Read
    More" or the next item. A page with fewer than two such items is no list."""
    bylines = list(_BYLINE.finditer(text))
    if len(bylines) < 2:
        return []
    lines = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
    ends = [e for _, e in lines]
    starts: list[tuple[int, str, str | None, re.Match]] = []
    for m in bylines:
        n = bisect.bisect_right(ends, m.start())  # the lines that end before the byline
        if not n:
            continue
        tb, te = lines[n - 1]
        title = text[tb:te].strip()
        kind = None
        begin = tb
        if n >= 2:
            kb, ke = lines[n - 2]
            if text[kb:ke].strip().lower() in DOC_TYPES:
                kind, begin = text[kb:ke].strip(), kb
        starts.append((begin, title, kind, m))
    items = []
    for n, (begin, title, kind, m) in enumerate(starts):
        limit = starts[n + 1][0] if n + 1 < len(starts) else len(text)
        more = _READ_MORE.search(text, m.end(), limit)
        if more:
            end = more.end()
        else:
            gap = re.compile(r"\n\s*\n\s*\n").search(text, m.end(), limit)
            end = gap.start() if gap else limit
        end = len(text[:end].rstrip())
        when = dates_in(m.group("date"))
        items.append(
            Item(
                begin,
                end,
                title,
                when[0].iso if when and when[0].day else None,
                m.group("by"),
                kind,
            )
        )
    return items


class WebPageLoader(Loader):
    name = "web-page"
    version = "1"
    description = (
        "Documents (HTML, Markdown, text, PDF under documents/): entities, mentions, "
        "dated treaty actions"
    )
    patterns = ("documents/*",)
    documents = True

    def accepts(self, relpath: str) -> bool:
        name = relpath.rsplit("/", 1)[-1]
        return (
            super().accepts(relpath)
            and not name.endswith(SIDECAR)
            and not name.startswith(".")
            and name.lower() not in ("readme.md", "readme")
        )

    def key(self, relpath: str) -> str:
        return document_key(relpath)

    def load(self, source: Source, report: LoadReport) -> Iterator[Quad]:
        yield from self.describe_source(source)
        sidecar = self._sidecar(source.path, report)
        try:
            page = read_page(source.path, encoding=sidecar.get("encoding"))
        except LoaderError as exc:
            message = re.sub(rf"^{re.escape(str(source.path))}(?::\d+)?:\s*", "", str(exc))
            report.error(message, exc.line)
            report.not_mapped("file", source.relpath)
            return
        except LookupError as exc:
            report.error(f"the sidecar names an unknown encoding ({exc}); nothing loaded")
            return
        for note in page.notes:
            report.warn(note)
        yield from self._document(source, report, page, document_key(source.relpath), sidecar)

    # --- metadata --------------------------------------------------------------------------

    @staticmethod
    def _sidecar(path: Path, report: LoadReport) -> dict:
        side = path.with_name(path.stem + SIDECAR)
        if not side.exists():
            return {}
        try:
            value = json.loads(side.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError) as exc:
            report.error(
                f"{side.name}: not a JSON object of metadata ({exc}); using what the "
                "page itself says"
            )
            return {}
        if not isinstance(value, dict):
            report.error(
                f"{side.name}: expected a JSON object of metadata; using what the page itself says"
            )
            return {}
        return value

    def _document(
        self, source: Source, report: LoadReport, page: Page, stem: str, sidecar: dict
    ) -> Iterator[Quad]:
        g = source.graph
        doc = document_iri(stem)
        text = page.text
        meta = {k: v for k, v in sidecar.items() if isinstance(v, str) and v}
        guessed = {
            k: how
            for k, how in page.guessed.items()
            if k in page.meta and (page.kind == "html" or k not in meta)
        }
        for key in guessed:  # an HTML page's own metadata wins; elsewhere the sidecar does
            meta[key] = page.meta[key]
        title = meta.get("title")
        if not title:
            first = next((ln.strip() for ln in text.splitlines() if ln.strip()), stem)
            title = re.sub(r"^#{1,6}\s+", "", first)[:200]
            guessed["title"] = "the first line of the text"
            report.warn(f"no title in the page or a sidecar: took its first line, {title!r}")
        yield Quad(doc, RDF.type, HR.Document, g)
        yield Quad(doc, DCTERMS.title, en(title), g)
        yield Quad(doc, PROV.wasDerivedFrom, source.iri, g)
        yield Quad(doc, HR.content, lit(text), g)
        for key, how in sorted(guessed.items()):
            yield Quad(doc, HR.metadataGuessed, lit(f"{key}: {how}"), g)
        if meta.get("language"):
            yield Quad(doc, DCTERMS.language, lit(meta["language"]), g)
        if meta.get("date"):
            try:
                yield Quad(
                    doc, HR.date, typed(date.fromisoformat(meta["date"]).isoformat(), XSD.date), g
                )
            except ValueError:
                report.error(f"date {meta['date']!r} is not YYYY-MM-DD; the document is undated")
        if meta.get("type"):
            yield Quad(doc, HR.documentType, lit(meta["type"]), g)
        if meta.get("source"):
            url = _web_url(meta["source"])
            if url is not None:
                yield Quad(doc, DCTERMS.source, url, g)
            elif meta["source"] == sidecar.get("source"):
                raise LoaderError(
                    source.path.with_name(source.path.stem + SIDECAR),
                    f"'source' must be an http(s) URL, not {meta['source']!r}",
                )
            else:
                report.warn(
                    f"the page names its source {meta['source']!r}, which is not an "
                    "http(s) URL: not recorded"
                )
        if meta.get("publisher"):
            key = known_org_key(meta["publisher"])
            yield Quad(doc, DCTERMS.publisher, rid("org", key), g)
            yield from _org_node(key, meta["publisher"], g)
        report.made["hr:Document"] += 1
        report.rows += 1

        items = listing_items(text)
        rest = text
        for item in items:  # the page's own text is what its items do not hold
            rest = (
                rest[: item.begin]
                + re.sub(r"[^\n]", " ", rest[item.begin : item.end])
                + rest[item.end :]
            )
        state = _Emitted()
        yield from self._entities(source, report, doc, stem, (), text, extract(rest), state)
        for item in items:
            when = item.date or "undated"
            local = (f"{when}-{slug(item.title)[:60]}",)
            idoc = document_iri(stem, *local)
            body = text[item.begin : item.end]
            yield Quad(idoc, RDF.type, HR.Document, g)
            yield Quad(idoc, DCTERMS.title, en(item.title), g)
            yield Quad(idoc, DCTERMS.isPartOf, doc, g)
            yield Quad(idoc, HR.content, lit(body), g)
            yield Quad(idoc, HR.byline, lit(item.byline), g)
            yield Quad(idoc, PROV.wasDerivedFrom, source.iri, g)
            if item.date:
                yield Quad(idoc, HR.date, typed(item.date, XSD.date), g)
            if item.kind:
                yield Quad(idoc, HR.documentType, lit(item.kind.lower()), g)
            x = extract(body)
            by_b = body.find(item.byline, len(item.title))
            creators = [
                s
                for s in x.spans
                if s.kind in ("person", "org") and by_b <= s.begin < by_b + len(item.byline)
            ]
            people = [s for s in creators if s.kind == "person"]
            for s in (people or creators)[:1]:
                yield Quad(
                    idoc, DCTERMS.creator, rid("person" if s.kind == "person" else "org", s.key), g
                )
            report.made["news items (hr:Document)"] += 1
            report.rows += 1
            yield from self._entities(
                source, report, idoc, stem, local, body, x, state, offset=item.begin, page_text=text
            )

    # --- entities ----------------------------------------------------------------------------

    def _entities(
        self,
        source: Source,
        report: LoadReport,
        doc: NamedNode,
        stem: str,
        local: tuple[str, ...],
        text: str,
        x: Extraction,
        state: _Emitted,
        offset: int = 0,
        page_text: str = "",
    ) -> Iterator[Quad]:
        g = source.graph
        for where, message in x.problems:
            report.warn(message, line_of(text, where)[0] + page_text.count("\n", 0, offset))
        entity_of = {
            "state": lambda k: state_iri(k),
            "instrument": lambda k: instrument_iri(k),
            "law": lambda k: rid("instrument", k),
            "org": lambda k: rid("org", k),
            "person": lambda k: rid("person", k),
            "review": lambda k: review_iri(int(k.split("/")[0]), k.split("/")[1]),
            "action": lambda k: rid("treaty-action", *k.split("/")),
        }
        for key, (name, year) in sorted(x.laws.items()):
            if state.once(("law", key)):
                s = rid("instrument", key)
                yield Quad(s, RDF.type, HR.DomesticLaw, g)
                yield Quad(s, RDFS.label, en(name), g)
                yield Quad(s, HR.instrumentFamily, family_iri("domestic-law"), g)
                if year:
                    yield Quad(s, HR.adoptedYear, typed(year, XSD.gYear), g)
                report.made["hr:DomesticLaw"] += 1
        for key, written in sorted(x.orgs.items()):
            yield from _org_node(key, written, g, state)
        for key, person in sorted(x.people.items()):
            s = rid("person", key)
            names = sorted(person.names, key=lambda n: (n.isupper(), -len(n), n))
            if state.once(("person", key)):
                yield Quad(s, RDF.type, HR.Person, g)
                yield Quad(s, RDFS.label, en(names[0]), g)
                report.made["hr:Person"] += 1
            for alt in names[1:]:
                if state.once(("alt", key, alt)):
                    yield Quad(s, SKOS.altLabel, en(alt), g)
            for title, org in person.positions:
                p = rid("position", key, slug(title))
                if state.once(("position", key, title)):
                    yield Quad(s, HR.holdsPosition, p, g)
                    yield Quad(p, RDF.type, HR.Position, g)
                    yield Quad(p, HR.positionTitle, lit(title), g)
                    if org:
                        yield Quad(p, HR.organization, rid("org", org), g)
                        yield from _org_node(org, org, g, state)
                    report.made["hr:Position"] += 1
        for review in sorted(x.keys("review")):
            session, iso3 = review.split("/")
            if state.once(("review", review)):
                s = review_iri(int(session), iso3)
                yield Quad(s, RDF.type, HR.UPRReview, g)
                yield Quad(s, HR.stateUnderReview, state_iri(iso3), g)
                yield Quad(s, HR.session, typed(session, XSD.integer), g)
                yield Quad(s, HR.cycle, typed(cycle_of(int(session)), XSD.integer), g)
                yield Quad(s, HR.inSession, session_iri(int(session)), g)
        for action in x.actions:
            s = rid("treaty-action", *action.key.split("/"))
            if not state.once(("action", action.key, action.when)):
                continue
            yield Quad(s, RDF.type, HR[action.kind], g)
            yield Quad(s, HR.state, state_iri(action.state), g)
            yield Quad(s, HR.instrument, instrument_iri(action.instrument), g)
            if len(action.when) == 10:
                yield Quad(s, HR.date, typed(action.when, XSD.date), g)
            else:
                yield Quad(s, HR.year, typed(action.when, XSD.gYear), g)
            yield Quad(s, HR.yearNumber, typed(int(action.when[:4]), XSD.integer), g)
            yield Quad(s, PROV.wasDerivedFrom, doc, g)
            report.made[f"hr:{action.kind} (stated in a document)"] += 1
        for span in x.spans:
            entity = entity_of[span.kind](span.key)
            m = rid(
                "mention",
                stem,
                *local,
                f"{span.begin}-{span.end}",
                span.kind,
                span.key.replace("/", "-"),
            )
            yield Quad(m, RDF.type, HR.Mention, g)
            yield Quad(m, HR.document, doc, g)
            yield Quad(m, HR.entity, entity, g)
            yield Quad(m, HR.anchorText, lit(text[span.begin : span.end]), g)
            yield Quad(m, HR.beginIndex, typed(span.begin, XSD.integer), g)
            yield Quad(m, HR.endIndex, typed(span.end, XSD.integer), g)
            report.made["hr:Mention"] += 1


class _Emitted:
    """What a document's graph already holds (a person named in two items is typed once)."""

    def __init__(self) -> None:
        self.seen: set[tuple] = set()

    def once(self, key: tuple) -> bool:
        if key in self.seen:
            return False
        self.seen.add(key)
        return True


def _org_node(
    key: str, written: str, g: NamedNode, state: _Emitted | None = None
) -> Iterator[Quad]:
    if state is not None and not state.once(("org", key)):
        return
    s = rid("org", key)
    known = organizations().get(key)
    yield Quad(s, RDF.type, HR.Organization, g)
    yield Quad(s, RDFS.label, en(known.label if known else written), g)
    if known:
        for alt in known.names:
            yield Quad(s, SKOS.altLabel, en(alt), g)
