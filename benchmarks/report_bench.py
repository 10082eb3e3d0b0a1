"""UPR report benchmark: parsing the 262 report texts, reading the PDFs, and reconciling the
reports with the UPR Info export, each against a baseline measured in the same run:

- parsing vs reading and decoding the same files (the I/O floor);
- reading a PDF through pypdf vs parsing its text twin;
- reconciling (RapidFuzz within each review, shared state) vs an exact lookup of the
  normalised text (what one would do without fuzzy matching: faster, finds fewer).

Prints a table.
"""

from __future__ import annotations

import os
import sys

from bundled import print_table, timed

from hrkg.datasets import data_dir
from hrkg.loaders.upr_report import reconcile_report, upr_info_index
from hrkg.loaders.upr_report_text import decode, read
from hrkg.reference.states import resolver
from hrkg.terms import normalise_text


def main() -> None:
    root = data_dir(os.environ.get("HRKG_DATA"))
    texts = sorted((root / "upr-reports" / "txt").glob("*.txt"))
    pdfs = sorted((root / "upr-reports" / "pdf").glob("*.pdf"))
    if len(texts) != 262 or not pdfs:
        sys.exit(f"the UPR reports are not all under {root}/upr-reports: set HRKG_DATA")
    res = resolver()
    res.resolve("Chile")
    megabytes = sum(p.stat().st_size for p in texts) / 1e6

    _, floor = timed(lambda: [decode(p, p.read_bytes()) for p in texts])
    reports, parse_s = timed(lambda: [read(p, res.resolve) for p in texts])
    items = sum(len(r.items) for r in reports)

    twins = [p for p in pdfs if (root / "upr-reports" / "txt" / f"{p.stem}.txt").is_file()]
    _, pdf_s = timed(lambda: [read(p, res.resolve) for p in twins])
    _, twin_s = timed(lambda: [read(root / "upr-reports" / "txt" / f"{p.stem}.txt",
                                    res.resolve) for p in twins])

    _, index_s = timed(lambda: upr_info_index(root))
    # the reconciliation proper (matching), timed apart from reading the reports
    matches = []

    def fuzzy() -> int:
        matches[:] = [reconcile_report(rep, path, root) for rep, path in zip(reports, texts,
                                                                             strict=True)]
        return sum(len(r.matches) for r in matches)

    def exact() -> int:
        index, found = upr_info_index(root), 0
        for rec in matches:
            keys = {normalise_text(c.text) for c in index.get((rec.report.session, rec.iso3), [])}
            found += sum(normalise_text(i.text) in keys for i in rec.report.items)
        return found

    fuzzy_n, fuzzy_s = timed(fuzzy)
    exact_n, exact_s = timed(exact)

    rows = [
        ("report texts / MB", f"{len(texts)} / {megabytes:.1f}", ""),
        ("recommendations found", f"{items}", ""),
        ("read + decode the texts (s)", f"{floor:.2f}", "1.0x (floor)"),
        ("parse the texts (s)", f"{parse_s:.2f}", f"{parse_s / floor:.1f}x floor"),
        ("  reports/s | MB/s", f"{len(texts) / parse_s:.0f} | {megabytes / parse_s:.1f}", ""),
        (f"parse {len(twins)} text twins of the PDFs (s)", f"{twin_s:.2f}", "1.0x"),
        (f"read the {len(twins)} PDFs (s)", f"{pdf_s:.2f}", f"{pdf_s / twin_s:.1f}x their texts"),
        ("index UPR Info by review (s)", f"{index_s:.2f}", ""),
        ("exact match of normalised text (s)", f"{exact_s:.2f}", f"1.0x, {exact_n} matched"),
        ("reconcile, RapidFuzz (s)", f"{fuzzy_s:.2f}",
         f"{fuzzy_s / exact_s:.0f}x exact, {fuzzy_n} matched (+{fuzzy_n - exact_n})"),
    ]
    print_table(rows)


if __name__ == "__main__":
    main()
