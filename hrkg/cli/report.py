"""The build summary people read: per loader, what became what, what was not mapped."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from hrkg.graph.build import BuildResult

__all__ = ["build_summary"]


def build_summary(result: BuildResult, data: Path, max_findings: int = 20) -> str:
    lines = []
    rows = result.per_loader()
    header = (
        f"{'loader':18} {'files':>5} {'rows':>7} {'triples':>8} {'warnings':>8} {'violations':>10}"
    )
    lines += [header, "-" * len(header)]
    for r in rows:
        lines.append(
            f"{r['loader']:18} {r['files']:>5} {r['rows']:>7} {r['triples']:>8} "
            f"{r['warnings']:>8} {r['violations']:>10}"
        )
    made: Counter[str] = Counter()
    unmapped: Counter[str] = Counter()
    for _, rep in result.reports:
        made.update(rep.made)
        unmapped.update(rep.unmapped)
    if made:
        lines.append("\nmade:")
        lines += [f"  {n:>7}  {what}" for what, n in sorted(made.items())]
    if unmapped:
        lines.append("\nvalues not mapped (column: value → rows):")
        lines += [f"  {n:>7}  {what}" for what, n in sorted(unmapped.items())]
    findings = [f for _, rep in result.reports for f in rep.findings]
    if findings:
        lines.append(f"\nfindings ({len(findings)}; first {min(len(findings), max_findings)}):")
        lines += [f"  {f}" for f in findings[:max_findings]]
    if result.unhandled:
        lines.append(
            f"\npinned files no loader reads yet: {len(result.unhandled)} "
            f"(e.g. {result.unhandled[0]})"
        )
    if result.conflicts:
        lines.append(f"\ndocuments left out (their name is taken): {len(result.conflicts)}")
        lines += [f"  {c}" for c in result.conflicts]
    if result.unpinned:
        lines.append(
            f"\nread from the data directory but not pinned in data/MANIFEST.tsv: "
            f"{len(result.unpinned)} (e.g. {result.unpinned[0]})"
        )
    if result.changed:
        lines.append("\nfiles that differ from the manifest (`hrkg data verify`):")
        lines += [f"  {c}" for c in result.changed]
    if result.dropped:
        lines.append(f"\ndropped by --keep-going (not in the store): {len(result.dropped)}")
        lines += [f"  {d}" for d in result.dropped]
    if result.removed:
        lines.append(
            f"\nleftover store folders of an interrupted build, removed: "
            f"{', '.join(result.removed)}"
        )
    if result.missing:
        lines.append(f"\nmissing datasets under {data} (built without them):")
        lines += [f"  {m}" for m in result.missing]
    t = result.timings
    lines.append("\ntimes: " + ", ".join(f"{k} {v:.1f} s" for k, v in t.items()))
    if result.validation:
        v = result.validation
        lines.append(
            f"validation ({v.engine}): {v.violations} violations, {v.warnings} warnings, "
            f"{v.seconds:.1f} s over {v.triples} triples"
        )
        if v.violations:
            from hrkg.validation.formats import as_text

            lines.append(as_text(v))
    if result.ok:
        lines.append(
            f"\nstore: {result.store} ({result.triples} quads in the named graphs, "
            f"{result.facts} distinct facts in the default graph)"
        )
    else:
        lines.append(f"\nBUILD FAILED: {result.failed}")
    return "\n".join(lines)
