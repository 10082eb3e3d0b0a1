"""Score an instrument tagger against the hand-annotated gold sample of UPR recommendations.

    python -m tests.gold.score_instruments                 # the built-in acronym baseline
    python -m tests.gold.score_instruments mod:func        # any tagger(text, session) -> codes
    python -m tests.gold.score_instruments mod:func --errors   # and list every miss / false hit

The gold (tests/gold/instruments.tsv, guidelines in tests/gold/INSTRUMENTS.md) holds no text:
each row names a record of a UPR Info CSV under HRKG_DATA and the first 12 hex digits of the
sha256 of its stripped text. The texts are read from HRKG_DATA and checked against those
digests; a text that differs stops the scoring with the row that differs, because a score
over changed data would look valid and mean nothing.

`score(tagger)` is the API for tests: it returns per-code counts and the micro totals.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import importlib
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["CODES", "GoldError", "GoldRow", "Tally", "data_dir", "load_gold", "read_records",
           "score", "text_sha", "texts", "acronym_tagger", "main"]

GOLD_TSV = Path(__file__).resolve().parent / "instruments.tsv"
COLUMNS = ("file", "record", "text_sha", "session", "stratum", "gold", "other", "note")
_HEADER = "\t".join(COLUMNS)

# The codes a tagger is scored on (issue 13): hrkg's existing instruments, then the new ones.
CODES = (
    "ICERD", "ICCPR", "ICCPR-OP1", "ICCPR-OP2", "ICESCR", "ICESCR-OP", "CEDAW", "OP-CEDAW",
    "CAT", "OPCAT", "CRC", "OP-CRC-AC", "OP-CRC-SC", "OP-CRC-IC", "ICMW", "CRPD", "OP-CRPD",
    "CPED", "UDHR", "UNCHARTER", "DHRD",
    "ROME-STATUTE", "APIC", "GENOCIDE", "CSR1951", "CSR1967", "CSSP1954", "CRS1961", "CADE",
    "UNTOC", "UNTOC-TIP", "UNTOC-SOM", "UNCAC", "ILO-C029", "ILO-P029", "ILO-C087",
    "ILO-C098", "ILO-C100", "ILO-C105", "ILO-C111", "ILO-C138", "ILO-C169", "ILO-C182",
    "ILO-C189", "UNDRIP", "ISTANBUL", "ATT",
)

Tagger = Callable[[str, int], Iterable[str]]


class GoldError(Exception):
    """The gold file or the data it points to is not what the gold was annotated on."""


@dataclass(frozen=True)
class GoldRow:
    line: int          # line of the gold TSV, for messages
    file: str          # relative to HRKG_DATA, e.g. upr-info/sessions-10-13.csv
    record: int        # 1-based data record after the header, as csv.reader counts them
    text_sha: str
    session: int
    stratum: str
    gold: frozenset[str]
    other: str
    note: str


@dataclass
class Tally:
    gold: int = 0
    tagged: int = 0
    tp: int = 0

    @property
    def precision(self) -> float:
        return self.tp / self.tagged if self.tagged else 1.0

    @property
    def recall(self) -> float:
        return self.tp / self.gold if self.gold else 1.0


@dataclass
class Result:
    per_code: dict[str, Tally] = field(default_factory=dict)
    micro: Tally = field(default_factory=Tally)
    misses: list[tuple[GoldRow, str, str]] = field(default_factory=list)   # row, code, text
    false: list[tuple[GoldRow, str, str]] = field(default_factory=list)


def text_sha(text: str) -> str:
    """The gold's checksum of a recommendation: sha256 of the stripped text, 12 hex digits."""
    return hashlib.sha256(text.strip().encode("utf-8")).hexdigest()[:12]


def data_dir() -> Path:
    env = os.environ.get("HRKG_DATA")
    if not env:
        raise GoldError("HRKG_DATA is not set: point it at the datasets "
                        "(e.g. export HRKG_DATA=/work/shared/data)")
    path = Path(env)
    if not (path / "upr-info").is_dir():
        raise GoldError(f"HRKG_DATA={path} has no upr-info/ folder")
    return path


def read_records(path: Path) -> Iterator[tuple[int, list[str]]]:
    """The data records of a UPR Info CSV (Mac Roman, bare CR line ends), numbered from 1."""
    with open(path, encoding="mac_roman", newline="") as f:
        reader = csv.reader(f)
        next(reader, None)
        yield from enumerate(reader, 1)


def load_gold(path: Path = GOLD_TSV) -> list[GoldRow]:
    rows: list[GoldRow] = []
    header_seen = False
    with open(path, encoding="utf-8", newline="") as f:
        for line_no, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            cells = line.split("\t")
            if not header_seen:
                if tuple(cells) != COLUMNS:
                    raise GoldError(f"{path}:{line_no}: expected the header "
                                    f"{_HEADER!r}, found {line!r}")
                header_seen = True
                continue
            if len(cells) != len(COLUMNS):
                raise GoldError(f"{path}:{line_no}: expected {len(COLUMNS)} tab-separated "
                                f"cells, found {len(cells)}")
            file, record, sha, session, stratum, gold, other, note = cells
            codes = frozenset(gold.split())
            unknown = sorted(codes - set(CODES))
            if unknown:
                raise GoldError(f"{path}:{line_no}: unknown code(s) {unknown}; "
                                f"known: {', '.join(CODES)}")
            if not (record.isdigit() and session.isdigit()
                    and re.fullmatch(r"[0-9a-f]{12}", sha)):
                raise GoldError(f"{path}:{line_no}: record and session must be numbers and "
                                f"text_sha 12 hex digits, found {record!r}, {session!r}, {sha!r}")
            rows.append(GoldRow(line_no, file, int(record), sha, int(session), stratum, codes,
                                other, note))
    if not rows:
        raise GoldError(f"{path}: no gold rows")
    return rows


def texts(rows: list[GoldRow], base: Path | None = None, gold_name: str = GOLD_TSV.name
          ) -> list[str]:
    """The text of each gold row, read from HRKG_DATA and checked against its text_sha."""
    base = base or data_dir()
    wanted: dict[str, dict[int, GoldRow]] = {}
    for row in rows:
        wanted.setdefault(row.file, {})[row.record] = row
    found: dict[tuple[str, int], str] = {}
    for file, records in wanted.items():
        path = base / file
        if not path.is_file():
            raise GoldError(f"{path}: missing (named by the gold rows from line "
                            f"{min(r.line for r in records.values())})")
        for n, cells in read_records(path):
            hit = records.get(n)
            if hit is None:
                continue
            text = cells[3] if len(cells) > 3 else ""
            session = cells[10].strip() if len(cells) > 10 else ""
            if text_sha(text) != hit.text_sha or session != str(hit.session):
                raise GoldError(
                    f"{gold_name}:{hit.line}: {file} record {n} is not the text the gold "
                    f"was annotated on (sha {text_sha(text)}, session {session!r}; expected "
                    f"sha {hit.text_sha}, session {hit.session}): {text[:120]!r}")
            found[(file, n)] = text.strip()
    missing = [r for r in rows if (r.file, r.record) not in found]
    if missing:
        r = missing[0]
        raise GoldError(f"{gold_name}:{r.line}: {r.file} has no record {r.record}")
    return [found[(r.file, r.record)] for r in rows]


def score(tagger: Tagger, gold_path: Path = GOLD_TSV, base: Path | None = None) -> dict:
    """Per-code and micro precision/recall of `tagger(text, session) -> codes` on the gold.

    Returns {"per_code": {code: Tally}, "micro": Tally, "misses": [...], "false": [...],
    "rows": n}. Codes outside CODES that the tagger returns are ignored (the gold does not
    annotate them), so a tagger may return more than this list.
    """
    rows = load_gold(gold_path)
    result = Result(per_code={c: Tally() for c in CODES})
    for row, text in zip(rows, texts(rows, base, gold_path.name), strict=True):
        tagged = set(tagger(text, row.session)) & set(CODES)
        for code in CODES:
            t = result.per_code[code]
            g, p = code in row.gold, code in tagged
            t.gold += g
            t.tagged += p
            t.tp += g and p
            if g and not p:
                result.misses.append((row, code, text))
            elif p and not g:
                result.false.append((row, code, text))
    m = result.micro
    for t in result.per_code.values():
        m.gold, m.tagged, m.tp = m.gold + t.gold, m.tagged + t.tagged, m.tp + t.tp
    return {"per_code": result.per_code, "micro": m, "misses": result.misses,
            "false": result.false, "rows": len(rows)}


_ACRONYMS = {code: re.compile(rf"\b{re.escape(code)}\b") for code in CODES}


def acronym_tagger(text: str, session: int) -> set[str]:
    """A deliberately naive baseline: a code is tagged when the text spells it exactly."""
    return {code for code, rx in _ACRONYMS.items() if rx.search(text)}


def _load_tagger(spec: str) -> Tagger:
    module, _, name = spec.partition(":")
    if not name:
        raise GoldError(f"tagger {spec!r}: expected module:function")
    func = getattr(importlib.import_module(module), name, None)
    if not callable(func):
        raise GoldError(f"tagger {spec!r}: {module} has no function {name}")
    return func


def report(result: dict, errors: bool = False) -> str:
    lines = [f"{'code':<13}{'gold':>6}{'tagged':>8}{'tp':>6}{'precision':>11}{'recall':>8}"]
    for code, t in result["per_code"].items():
        if t.gold or t.tagged:
            lines.append(f"{code:<13}{t.gold:>6}{t.tagged:>8}{t.tp:>6}"
                         f"{t.precision:>11.3f}{t.recall:>8.3f}")
    silent = [c for c, t in result["per_code"].items() if not (t.gold or t.tagged)]
    if silent:
        lines.append(f"(no gold mention and no tag: {' '.join(silent)})")
    m = result["micro"]
    lines.append(f"{'micro':<13}{m.gold:>6}{m.tagged:>8}{m.tp:>6}"
                 f"{m.precision:>11.3f}{m.recall:>8.3f}   ({result['rows']} rows)")
    if errors:
        for title, items in (("misses", result["misses"]), ("false positives", result["false"])):
            lines.append(f"\n{title} ({len(items)}):")
            for row, code, text in sorted(items, key=lambda e: (e[1], e[0].line)):
                lines.append(f"  {code:<12} {row.file}#{row.record} (gold line {row.line}; "
                             f"gold {' '.join(sorted(row.gold)) or '-'}): {text}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("tagger", nargs="?", default=None,
                        help="module:function taking (text, session) and returning codes; "
                             "default: the naive acronym baseline of this script")
    parser.add_argument("--errors", action="store_true", help="list each miss and false hit")
    parser.add_argument("--gold", type=Path, default=GOLD_TSV)
    args = parser.parse_args(argv)
    try:
        tagger = _load_tagger(args.tagger) if args.tagger else acronym_tagger
        result = score(tagger, args.gold)
    except GoldError as e:
        print(f"score_instruments: {e}", file=sys.stderr)
        return 2
    print(report(result, args.errors))
    return 0


if __name__ == "__main__":
    sys.exit(main())
