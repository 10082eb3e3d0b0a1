"""Draw the gold sample of UPR recommendations for instrument tagging (issue 13), reproducibly.

    python -m tests.gold.sample_instruments                  # the skeleton TSV on stdout
    python -m tests.gold.sample_instruments --texts          # plus the texts (never commit)
    python -m tests.gold.sample_instruments --check tests/gold/instruments.tsv

It reads the five UPR Info session files under HRKG_DATA (not voluntary-pledges.csv) and
writes the skeleton of tests/gold/instruments.tsv: which record, its text checksum, session
and stratum, with the gold columns empty. It never annotates. `--check` confirms that the
annotated file holds exactly the rows this sampler draws, in the same order.

How it draws (seed SEED):
- recommendations are deduplicated by (state under review, session, text with its white
  space collapsed); the first record of each group stands for it, so a text several states
  gave counts once;
- stratum "uniform" comes first: rows drawn uniformly from all deduplicated recommendations
  (the false-positive check), before any keyword can bias it;
- then one keyword stratum per instrument group, in STRATA order (rarest first, so the broad
  strata cannot use up their few candidates). Each keyword is deliberately broader than any
  tagger. A stratum draws from two parts: rows where the keyword stands beside a treaty word
  (TREATY_WORD: convention, protocol, ratify, ...) and rows with the keyword alone, which are
  the near misses a tagger must leave alone;
- then "lists": rows where the keywords of three or more instrument strata (all but
  "optional-protocol") meet beside a treaty word: the lists of treaties to ratify, where a
  tagger must tell a protocol from its parent, count ordinals and resolve "its Optional
  Protocol"; they also bring the frequent instruments to 20 or more gold mentions each;
- last, "ratify-other": rows that say ratify / accede / accession and match none of the
  keywords (the treaties the keywords did not foresee, and the generic "ratify the core
  treaties").
Every stratum shuffles its candidates with its own generator (seeded by SEED and its name)
and takes the first ones not drawn already, so changing one stratum's size does not reshuffle
another's order (it can only free or take rows the later strata would have drawn).
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from dataclasses import dataclass
from pathlib import Path

if not __package__:  # run as a script: python tests/gold/sample_instruments.py
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tests.gold.score_instruments import (
    COLUMNS,
    GoldError,
    data_dir,
    load_gold,
    read_records,
    text_sha,
)

SEED = 13
FILES = ("upr-info/sessions-01-05.csv", "upr-info/sessions-06-09.csv",
         "upr-info/sessions-10-13.csv", "upr-info/sessions-14-17.csv",
         "upr-info/sessions-18-20.csv")
UNIFORM = 50
LISTS = 37
RATIFY_OTHER = 20


def _keyword(pattern: str) -> re.Pattern[str]:
    """A keyword regex, matched case-insensitively against lowercased text.

    Lowercasing the text once and the pattern here is twice as fast as re.IGNORECASE over
    40,000 texts and 22 strata; it needs patterns whose only escape is \\b (lowercasing
    would turn \\B, \\S, \\W or \\D into their opposites).
    """
    if re.search(r"\\[A-Z]", pattern):
        raise ValueError(f"keyword {pattern!r}: an upper-case escape would change meaning")
    return re.compile(pattern.lower())


RATIFY = _keyword(r"ratif|accede|accession")
TREATY_WORD = _keyword(
    r"convention|covenant|protocol|statute|treat(?:y|ies)|charter|declaration|instrument|"
    r"ratif|accede|accession|\bsign|\bpart(?:y|ies)\b|\bCAT\b|CEDAW|\bCRC\b|CRPD|ICCPR|ICESCR|"
    r"ICERD|\bILO\b|UDHR")


@dataclass(frozen=True)
class Stratum:
    name: str
    codes: str          # the codes it is meant to find mentions of (documentation only)
    keyword: str        # regex, matched case-insensitively (see _keyword)
    with_treaty_word: int
    keyword_alone: int


STRATA = (
    Stratum("arms", "ATT", r"arms trade|\bATT\b|small arms|arms transfer", 1, 1),
    Stratum("genocide", "GENOCIDE", r"genocide", 6, 1),
    Stratum("education", "CADE", r"discrimination in education|UNESCO", 7, 2),
    Stratum("corruption", "UNCAC", r"corrupt|UNCAC", 5, 2),
    Stratum("istanbul", "ISTANBUL",
            r"istanbul|council of europe|violence against women and domestic", 6, 2),
    Stratum("stateless", "CSSP1954 CRS1961", r"stateless|1954|1961", 10, 2),
    Stratum("indigenous", "ILO-C169 UNDRIP", r"indigenous|UNDRIP|tribal", 8, 3),
    Stratum("trafficking", "UNTOC UNTOC-TIP UNTOC-SOM",
            r"traffick|palermo|smuggl|organi[sz]ed crime|UNTOC", 8, 3),
    Stratum("refugee", "CSR1951 CSR1967", r"refugee|asylum|1951|1967", 10, 3),
    Stratum("icc", "ROME-STATUTE APIC",
            r"rome statute|international criminal court|\bICC\b|privileges and immunities", 12, 2),
    Stratum("declarations", "UDHR UNCHARTER DHRD",
            r"universal declaration|UDHR|charter|defender", 8, 3),
    Stratum("ilo", "ILO-*",
            r"\bILO\b|labou?r organi[sz]ation|forced labou?r|child labou?r|domestic worker|tribal|"
            r"freedom of association|collective bargaining|equal remuneration|minimum age|"
            r"worst forms", 18, 3),
    Stratum("racial", "ICERD", r"racial|racism|CERD", 12, 3),
    Stratum("death-penalty", "ICCPR-OP2",
            r"second optional|death penalty|capital punishment|ICCPR-OP2|\bOP2\b", 7, 3),
    Stratum("disappearance", "CPED", r"disappear|\bCED\b|\bCPED\b|ICPPED", 7, 3),
    Stratum("migrant", "ICMW", r"migra|\bCMW\b|\bICRMW\b|\bMWC\b|\bICMW\b", 15, 3),
    Stratum("disability", "CRPD OP-CRPD", r"disabilit|\bCRPD\b|handicap", 13, 3),
    Stratum("women", "CEDAW OP-CEDAW", r"CEDAW|discrimination against women", 21, 3),
    Stratum("child", "CRC OP-CRC-AC OP-CRC-SC OP-CRC-IC",
            r"rights of the child|\bCRC\b|armed conflict|sale of children|child prostitution|"
            r"child pornography|child soldier|communications procedure", 19, 3),
    Stratum("torture", "CAT OPCAT", r"tortur|\bCAT\b|OP-?CAT|cruel, inhuman", 12, 2),
    Stratum("covenant", "ICCPR ICCPR-OP1 ICESCR ICESCR-OP",
            r"covenant|ICCPR|ICESCR|civil and political|economic, social", 20, 3),
    Stratum("optional-protocol", "any protocol", r"optional protocol|protocol", 15, 0),
)


@dataclass(frozen=True)
class Row:
    file: str
    record: int
    session: int
    text: str


def recommendations(base: Path | None = None) -> list[Row]:
    """One row per (state under review, session, text), in file order."""
    base = base or data_dir()
    seen: set[tuple[str, str, str]] = set()
    out: list[Row] = []
    for file in FILES:
        for n, cells in read_records(base / file):
            if len(cells) != 11:
                raise GoldError(f"{base / file} record {n}: expected 11 columns, "
                                f"found {len(cells)}")
            text = cells[3].strip()
            key = (cells[0].strip(), cells[10].strip(), " ".join(text.split()))
            if not text or key in seen:
                continue
            seen.add(key)
            out.append(Row(file, n, int(cells[10]), text))
    return out


def _draw(name: str, candidates: list[Row], n: int, taken: set[Row]) -> list[Row]:
    order = list(candidates)
    random.Random(f"{SEED}:{name}").shuffle(order)
    picked = [r for r in order if r not in taken][:n]
    taken.update(picked)
    return sorted(picked, key=lambda r: (r.file, r.record))


def sample(rows: list[Row]) -> list[tuple[str, Row]]:
    """(stratum, row) for every drawn row, strata in drawing order."""
    low = [r.text.lower() for r in rows]
    treaty = [bool(TREATY_WORD.search(t)) for t in low]
    taken: set[Row] = set()
    out = [("uniform", r) for r in _draw("uniform", rows, UNIFORM, taken)]
    hits: dict[str, set[int]] = {}
    for s in STRATA:
        rx = _keyword(s.keyword)
        hits[s.name] = {i for i, t in enumerate(low) if rx.search(t)}
        with_word = [r for i, r in enumerate(rows) if i in hits[s.name] and treaty[i]]
        alone = [r for i, r in enumerate(rows) if i in hits[s.name] and not treaty[i]]
        out += [(s.name, r) for r in _draw(s.name, with_word, s.with_treaty_word, taken)]
        out += [(f"{s.name}/alone", r)
                for r in _draw(f"{s.name}/alone", alone, s.keyword_alone, taken)]
    instrument_hits = [h for name, h in hits.items() if name != "optional-protocol"]
    lists = [r for i, r in enumerate(rows)
             if treaty[i] and sum(i in h for h in instrument_hits) >= 3]
    out += [("lists", r) for r in _draw("lists", lists, LISTS, taken)]
    other = [r for i, r in enumerate(rows)
             if RATIFY.search(low[i]) and not any(i in h for h in hits.values())]
    out += [("ratify-other", r) for r in _draw("ratify-other", other, RATIFY_OTHER, taken)]
    return out


def skeleton(drawn: list[tuple[str, Row]], with_texts: bool = False) -> str:
    head = list(COLUMNS) + (["text"] if with_texts else [])
    lines = ["\t".join(head)]
    for stratum, r in drawn:
        cells = [r.file, str(r.record), text_sha(r.text), str(r.session), stratum, "", "", ""]
        if with_texts:
            cells.append(" ".join(r.text.split()))
        lines.append("\t".join(cells))
    return "\n".join(lines) + "\n"


def check(path: Path, drawn: list[tuple[str, Row]]) -> list[str]:
    """Differences between an annotated gold file and the sample this script draws."""
    want = [(r.file, r.record, text_sha(r.text), r.session, s) for s, r in drawn]
    have = [(g.file, g.record, g.text_sha, g.session, g.stratum) for g in load_gold(path)]
    problems = [f"row {i}: gold has {h}, the sampler draws {w}"
                for i, (h, w) in enumerate(zip(have, want, strict=False), 1) if h != w]
    if len(have) != len(want):
        problems.append(f"gold has {len(have)} rows, the sampler draws {len(want)}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--texts", action="store_true",
                        help="add a text column (a private working copy: never commit it)")
    parser.add_argument("--check", type=Path, metavar="GOLD_TSV",
                        help="compare an annotated gold file with the sample")
    args = parser.parse_args(argv)
    try:
        drawn = sample(recommendations())
        if args.check:
            problems = check(args.check, drawn)
            for p in problems:
                print(f"sample_instruments: {args.check}: {p}", file=sys.stderr)
            if not problems:
                print(f"{args.check}: the {len(drawn)} rows are the sample (seed {SEED})")
            return 1 if problems else 0
    except GoldError as e:
        print(f"sample_instruments: {e}", file=sys.stderr)
        return 2
    sys.stdout.write(skeleton(drawn, args.texts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
