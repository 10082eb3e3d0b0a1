"""Score the web-page loader against a gold annotation: precision and recall per kind.

    python tests/gold/score.py                 # the five seeds (data/documents/)
    python tests/gold/score.py --unseen        # the two unseen report excerpts (HRKG_DATA)
    python tests/gold/score.py --documents     # the six unseen documents of issue 17
    python tests/gold/score.py --store DIR     # the seeds as a built store holds them

What is compared, per document (a news item is a document of its own): the entities its
mentions link to, by kind (states, instruments, reviews, people, organizations); per source
file: the positions people hold ("person: title") and the dated treaty actions.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pyoxigraph import Store

REPO = Path(__file__).resolve().parents[2]
GOLD = Path(__file__).resolve().parent
KINDS = ("states", "instruments", "laws", "reviews", "people", "organizations", "positions",
         "relations")
_PREFIX = {"state/": "states", "instrument/": "instruments", "review/upr/": "reviews",
           "person/": "people", "org/": "organizations"}
HEADING_END = "Interactive dialogue and responses"


@dataclass
class Score:
    tp: set = field(default_factory=set)
    fp: set = field(default_factory=set)
    fn: set = field(default_factory=set)

    @property
    def precision(self) -> float:
        return len(self.tp) / (len(self.tp) + len(self.fp)) if self.tp or self.fp else 1.0

    @property
    def recall(self) -> float:
        return len(self.tp) / (len(self.tp) + len(self.fn)) if self.tp or self.fn else 1.0


def _laws_apart(pairs: dict[str, set]) -> dict[str, set]:
    """Instrument keys the reference table does not hold are domestic laws: their own kind,
    so that a gold set that does not annotate laws is not scored on them."""
    from hrkg.reference.states import instruments

    known = instruments()
    laws = {p for p in pairs.get("instruments", set()) if p[1] not in known}
    pairs["instruments"] = pairs.get("instruments", set()) - laws
    pairs["laws"] = pairs.get("laws", set()) | laws
    return pairs


def gold_pairs(gold: dict) -> dict[str, set]:
    out: dict[str, set] = defaultdict(set)
    for name, doc in gold.items():
        units = [(name, doc)] + [(f"{name} | {it['title']}", it) for it in doc.get("items", [])]
        for unit, ann in units:
            for kind in ("states", "instruments", "reviews", "people", "organizations"):
                out[kind] |= {(unit, str(k)) for k in ann.get(kind, []) or []}
            out["positions"] |= {(name, p) for p in ann.get("positions", []) or []}
            out["relations"] |= {(name, r) for r in ann.get("relations", []) or []}
    return _laws_apart(out)


def graph_pairs(store: Store, base: str = "https://w3id.org/hrkg/id/") -> dict[str, set]:
    hr = "https://w3id.org/hrkg/ontology#"
    out: dict[str, set] = defaultdict(set)
    q = f"""PREFIX hr: <{hr}> PREFIX dcterms: <http://purl.org/dc/terms/>
    SELECT DISTINCT ?path ?item ?entity WHERE {{
      GRAPH ?g {{ ?m hr:document ?d ; hr:entity ?entity .
                 OPTIONAL {{ ?d dcterms:isPartOf ?page ; dcterms:title ?item }} }}
      GRAPH ?g {{ ?src hr:path ?path ; hr:loader "web-page" }} }}"""
    for row in store.query(q):
        name = row["path"].value.split("/", 1)[1]
        unit = f"{name} | {row['item'].value}" if row["item"] is not None else name
        local = row["entity"].value.removeprefix(base)
        for prefix, kind in _PREFIX.items():
            if local.startswith(prefix):
                key = local.removeprefix(prefix)
                out[kind].add((unit, key))
    q = f"""PREFIX hr: <{hr}>
    SELECT DISTINCT ?path ?person ?title WHERE {{ GRAPH ?g {{
      ?src hr:path ?path ; hr:loader "web-page" .
      ?person hr:holdsPosition/hr:positionTitle ?title }} }}"""
    for row in store.query(q):
        name = row["path"].value.split("/", 1)[1]
        person = row["person"].value.removeprefix(base + "person/")
        out["positions"].add((name, f"{person}: {row['title'].value}"))
    q = f"""PREFIX hr: <{hr}> PREFIX prov: <http://www.w3.org/ns/prov#>
    SELECT DISTINCT ?path ?kind ?state ?ins ?when WHERE {{ GRAPH ?g {{
      ?src hr:path ?path ; hr:loader "web-page" .
      ?a prov:wasDerivedFrom ?doc ; a ?kind ; hr:state ?state ; hr:instrument ?ins .
      ?doc a hr:Document . OPTIONAL {{ ?a hr:date ?d }} OPTIONAL {{ ?a hr:year ?y }}
      BIND(COALESCE(STR(?d), STR(?y)) AS ?when) }} }}"""
    for row in store.query(q):
        name = row["path"].value.split("/", 1)[1]
        kind = row["kind"].value.rsplit("#", 1)[1]
        ins = row["ins"].value.removeprefix(base + "instrument/")
        state = row["state"].value.removeprefix(base + "state/")
        out["relations"].add((name, f"{kind} {state} {ins} {row['when'].value}"))
    return _laws_apart(out)


def score(gold: dict, store: Store) -> dict[str, Score]:
    g, s = gold_pairs(gold), graph_pairs(store)
    units = {u for pairs in g.values() for u, _ in pairs} | set(gold)
    out = {}
    annotated = {k for doc in gold.values() for unit in [doc, *doc.get("items", [])] for k in unit}
    if any(kind in g for kind in ("laws",)) and g["laws"]:
        annotated.add("laws")
    for kind in (k for k in KINDS if k in annotated):
        found = {p for p in s.get(kind, set()) if p[0] in units or p[0].split(" | ")[0] in gold}
        out[kind] = Score(found & g[kind], found - g[kind], g[kind] - found)
    return out


def load_documents(paths: list[tuple[Path, str]], store: Store) -> list[str]:
    """Load files with the web-page loader (as ``documents/NAME``); the findings, as text."""
    from hrkg.loaders.web_page import WebPageLoader
    from hrkg.loading import LoadReport, Source

    loader, findings = WebPageLoader(), []
    for path, name in paths:
        src = Source.from_path(path, f"documents/{name}")
        rep = LoadReport(src.relpath)
        store.extend(list(loader.load(src, rep)))
        findings += [str(f) for f in rep.findings]
    return findings


def unseen_documents(data: Path, into: Path) -> list[tuple[Path, str]]:
    """The excerpts the unseen gold annotates: each report from its start to the heading of
    the interactive dialogue, as UTF-8 (read with the report reader's decoder)."""
    from hrkg.loaders.upr_report_text import decode

    gold = yaml.safe_load((GOLD / "unseen.yaml").read_text(encoding="utf-8"))
    out = []
    for rel in gold:
        path = data / rel
        text = decode(path, path.read_bytes())
        first = text.find(HEADING_END)
        cut = text.find(HEADING_END, first + 1)
        cut = text.rfind("\n", 0, cut)
        target = into / Path(rel).name
        target.write_text(text[:cut] + "\n", encoding="utf-8")
        out.append((target, rel))
    return out


def unseen_document_files(data: Path, into: Path) -> list[tuple[Path, str]]:
    """The six documents ``unseen_documents.yaml`` annotates, as (file, name): the committed
    Markdown files as they are, and each PDF's annotated pages copied out of the pinned file
    into a PDF of their own (pypdf), so that the loader reads a PDF. A PDF missing from
    ``data`` is left out (the caller says so)."""
    from pypdf import PdfReader, PdfWriter

    gold = yaml.safe_load((GOLD / "unseen_documents.yaml").read_text(encoding="utf-8"))
    out = []
    for name, ann in gold.items():
        if not name.endswith(".pdf"):
            out.append((GOLD / "unseen" / name, name))
            continue
        path = data / name
        if not path.is_file():
            continue
        first, last = ann["pages"]
        writer = PdfWriter()
        for page in PdfReader(path).pages[first - 1:last]:
            writer.add_page(page)
        target = into / name
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("wb") as f:
            writer.write(f)
        out.append((target, name))
    return out


def table(scores: dict[str, Score]) -> str:
    lines = [f"{'kind':<14}{'gold':>6}{'found':>7}{'right':>7}{'precision':>11}{'recall':>8}"]
    for kind, sc in scores.items():
        lines.append(f"{kind:<14}{len(sc.tp) + len(sc.fn):>6}{len(sc.tp) + len(sc.fp):>7}"
                     f"{len(sc.tp):>7}{sc.precision:>11.2f}{sc.recall:>8.2f}")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--unseen", action="store_true", help="score the two unseen report excerpts")
    ap.add_argument("--documents", action="store_true",
                    help="score the six unseen documents of issue 17")
    ap.add_argument("--store", help="score the seeds as this built store holds them")
    ap.add_argument("--errors", action="store_true", help="list what was missed or wrongly found")
    args = ap.parse_args()
    sys.path.insert(0, str(REPO))
    if args.documents:
        gold = yaml.safe_load((GOLD / "unseen_documents.yaml").read_text(encoding="utf-8"))
        data = Path(os.environ.get("HRKG_DATA", REPO.parent / "shared" / "data"))
        with tempfile.TemporaryDirectory() as tmp:
            store = Store()
            load_documents(unseen_document_files(data, Path(tmp)), store)
            scores = score(gold, store)
    elif args.unseen:
        gold = yaml.safe_load((GOLD / "unseen.yaml").read_text(encoding="utf-8"))
        data = Path(os.environ.get("HRKG_DATA", REPO.parent / "shared" / "data"))
        with tempfile.TemporaryDirectory() as tmp:
            store = Store()
            docs = unseen_documents(data, Path(tmp))
            load_documents([(p, rel) for p, rel in docs], store)
            # the excerpts load as documents/<relpath>; the gold keys are their relpaths
            scores = score(gold, store)
    else:
        gold = yaml.safe_load((GOLD / "seeds.yaml").read_text(encoding="utf-8"))
        if args.store:
            from hrkg.graph.store import open_read_only
            store = open_read_only(Path(args.store))
        else:
            store = Store()
            docs = REPO / "data" / "documents"
            load_documents([(docs / name, name) for name in gold], store)
        scores = score(gold, store)
    print(table(scores))
    if args.errors:
        for kind, sc in scores.items():
            for label, pairs in (("missed", sc.fn), ("wrong", sc.fp)):
                for unit, key in sorted(pairs):
                    print(f"{kind:<14}{label:<8}{key:<40}{unit}")


if __name__ == "__main__":
    main()
