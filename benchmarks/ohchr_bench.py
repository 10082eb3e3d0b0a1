"""OHCHR documents benchmark (issue 14): the cost of reading a review's UN PDFs and OHCHR's
thematic lists, each against a baseline measured in the same run:

- both loaders over every file of ohchr-upr/ and ohchr-thematic-list/ (cold caches) vs
  reading the same files' bytes (the I/O floor);
- the thematic lists parsed (python-docx, and the Markdown rendering) vs their bytes;
- the PDFs' text (pypdf plain mode, all 18) and the reports' text in layout mode (4) vs
  their bytes: pypdf is most of the cost.

Prints a table.
"""

from __future__ import annotations

import os
import sys

from bundled import print_table, timed

from hrkg.datasets import data_dir
from hrkg.graph.registry import loader_for
from hrkg.loaders.thematic_list import read as read_list
from hrkg.loaders.upr_report_text import pdf_pages
from hrkg.loading import LoadReport, Source
from hrkg.reference.states import resolver


def main() -> None:
    root = data_dir(os.environ.get("HRKG_DATA"))
    pdfs = sorted((root / "ohchr-upr").rglob("*.pdf"))
    lists = sorted((root / "ohchr-upr").rglob("*.docx")) + sorted(
        (root / "ohchr-thematic-list").glob("*.md"))
    if len(pdfs) != 18 or len(lists) != 3:
        sys.exit(f"the OHCHR documents are not all under {root}: set HRKG_DATA")
    res = resolver()
    res.resolve("Chile")
    files = pdfs + lists
    megabytes = sum(p.stat().st_size for p in files) / 1e6

    def load_all() -> int:
        quads = 0
        for p in files:
            rel = p.relative_to(root).as_posix()
            loader = loader_for(rel)
            assert loader is not None, rel
            quads += sum(1 for _ in loader.load(Source.from_path(p, rel), LoadReport(rel)))
        return quads

    quads, load_s = timed(load_all)  # first: the readers' caches are cold
    _, floor = timed(lambda: [p.read_bytes() for p in files])
    _, list_floor = timed(lambda: [p.read_bytes() for p in lists])
    entries, list_s = timed(lambda: sum(len(read_list(p, res.resolve).entries) for p in lists))
    _, pdf_floor = timed(lambda: [p.read_bytes() for p in pdfs])
    pages, plain_s = timed(lambda: sum(len(pdf_pages(p, "plain")) for p in pdfs))
    reports = [p for p in pdfs if p.stem.count("_") == 3]   # A_HRC_59_15.pdf
    _, layout_s = timed(lambda: [pdf_pages(p, "layout") for p in reports])
    rows = [
        ("files / MB", f"{len(files)} / {megabytes:.1f}", ""),
        ("read the files (s)", f"{floor:.3f}", "1.0x (floor)"),
        ("both loaders, every file (s)", f"{load_s:.1f}", f"{load_s / floor:.0f}x floor"),
        ("  quads | quads/s", f"{quads} | {quads / load_s:.0f}", ""),
        (f"read the {len(lists)} lists (s)", f"{list_floor:.4f}", "1.0x"),
        (f"parse the lists, {entries} entries (s)", f"{list_s:.2f}",
         f"{list_s / list_floor:.0f}x their bytes"),
        (f"read the {len(pdfs)} PDFs (s)", f"{pdf_floor:.4f}", "1.0x"),
        (f"their text, plain mode, {pages} pages (s)", f"{plain_s:.1f}",
         f"{plain_s / pdf_floor:.0f}x their bytes, {pages / plain_s:.1f} pages/s"),
        (f"the {len(reports)} reports' text, layout mode (s)", f"{layout_s:.1f}",
         f"{layout_s / max(plain_s, 1e-9):.2f}x all 18 in plain mode"),
    ]
    print_table(rows)


if __name__ == "__main__":
    main()
