"""The CLI end to end on the real data: build summary, validate, query, export, load, data."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.conftest import report_only_iris, run


def test_build_summary(built, upr_corpus) -> None:
    _, out = built
    assert "upr-info-csv" in out and "ratification-csv" in out and "us-upr-cycle3" in out
    assert "upr-report" in out
    # UPR Info and cycle 3 (40,220), the recommendations only the reports hold, and
    # Slovenia's third and fourth reviews (215 + 254 paragraphs; its first two are UPR Info's)
    # (8: issue 13 made the reports' fragments of what UPR Info holds whole its nodes)
    only = report_only_iris(upr_corpus)
    assert len(only) == 8
    assert f"{40220 + len(only) + 215 + 254}  hr:Recommendation" in out
    assert "945  hr:Pledge" in out
    assert "193  UN member states" in out
    assert "From: '&#40;Unknown&#41;'" in out  # unmapped values are listed
    # 44, and 12 recommendations whose position OHCHR's lists cite from another paragraph
    assert "validation (fast): 0 violations, 56 warnings" in out
    assert "hr_status_op_crc_ic.csv lists MSR" in out  # Montserrat is not a UN member


def test_validate_store_conforms(built) -> None:
    code, out = run("validate", "--store", str(built[0]))
    assert code == 0, out
    assert out.startswith("Conforms: 0 violations")


def test_query_formats(built) -> None:
    q = ("PREFIX hr: <https://w3id.org/hrkg/ontology#> SELECT (COUNT(DISTINCT ?s) AS ?n) "
         "WHERE { ?s hr:unMember true }")
    code, out = run("query", "--store", str(built[0]), "--format", "json", q)
    assert code == 0, out
    assert json.loads(out)["results"]["bindings"][0]["n"]["value"] == "193"
    code, out = run("query", "--store", str(built[0]), "--format", "csv", q)
    assert [ln.strip() for ln in out.splitlines()] == ["n", "193"]
    code, out = run("query", "--store", str(built[0]),
                    "ASK { <https://w3id.org/hrkg/id/state/PRK> ?p ?o }")
    assert out.strip() == "true"
    code, out = run("query", "--store", str(built[0]), "SELECT nonsense")
    assert code == 2 and "not valid SPARQL" in out


def test_export_is_byte_identical_across_builds(tmp_path: Path, data_dir: Path) -> None:
    dumps = []
    for n in (1, 2):
        root = tmp_path / f"s{n}"
        code, out = run("build", "--data", str(data_dir), "--store", str(root), "--no-validate",
                        "--quiet")
        assert code == 0, out
        target = tmp_path / f"dump{n}.ttl"
        code, out = run("export", "--store", str(root), "-o", str(target))
        assert code == 0, out
        dumps.append(target.read_bytes())
    assert dumps[0] == dumps[1]
    assert len(dumps[0]) > 10_000_000
    assert b"state:PRK\n    a hr:State" in dumps[0]


def test_failed_build_keeps_the_previous_store(tmp_path: Path, data_dir: Path, built) -> None:
    root = tmp_path / "store"
    shutil.copytree(built[0], root, symlinks=True)
    before = (root / "current").resolve()
    broken = tmp_path / "data"
    shutil.copytree(data_dir, broken)
    target = broken / "upr-info" / "sessions-06-09.csv"
    target.chmod(0o644)
    target.write_bytes(target.read_bytes()[:5000] + b'\r"Albania,EEG,cut')
    code, out = run("build", "--data", str(broken), "--store", str(root), "--quiet")
    assert code == 1 and "truncated upr-info/sessions-06-09.csv" in out  # refused at once
    assert (root / "current").resolve() == before
    code, out = run("build", "--data", str(broken), "--store", str(root), "--quiet",
                    "--allow-damaged")
    assert code == 2
    assert "sessions-06-09.csv" in out and "ends inside a quoted field" in out
    assert (root / "current").resolve() == before
    assert sorted(p.name for p in (root / "stores").iterdir()) == [before.name]


def test_load_replaces_one_graph(tmp_path: Path, data_dir: Path, built, upr_corpus) -> None:
    root = tmp_path / "store"
    shutil.copytree(built[0], root, symlinks=True)
    small = tmp_path / "us-upr-cycle3" / "us_upr_cycle3_recommendations.csv"
    small.parent.mkdir()
    lines = (data_dir / "us-upr-cycle3" / small.name).read_text(encoding="utf-8").splitlines()
    small.write_text("\n".join(lines[:11]) + "\n", encoding="utf-8")
    code, out = run("load", "--data", str(tmp_path), "--store", str(root), "--no-validate",
                    str(small))
    assert code == 0, out
    q = ("PREFIX hr: <https://w3id.org/hrkg/ontology#> SELECT (COUNT(DISTINCT ?r) AS ?n) "
         "WHERE { ?r hr:review ?v . ?v hr:session ?s }")
    code, out = run("query", "--store", str(root), "--format", "csv", q)
    # UPR Info and the reports untouched, cycle 3 cut to 10; Slovenia's cycles 3-4 (215 +
    # 254 paragraphs) and the 20 documents of its reviews (18 UN documents, 2 thematic lists)
    assert out.splitlines()[1].strip() == str(
        39873 + 945 + len(report_only_iris(upr_corpus)) + 215 + 254 + 20 + 10)


def test_data_verify(tmp_path: Path, data_dir: Path) -> None:
    code, out = run("data", "verify", "--data", str(data_dir))
    assert code == 0, out
    # the datasets (298 files), Slovenia's OHCHR documents (21, ohchr-upr/ and
    # ohchr-thematic-list/) and the W3C SHACL test suite (150 files, tests/w3c)
    assert "469 of 469 files ok" in out
    assert "ok        w3c-shacl-tests/core/manifest.ttl" in out
    copy = tmp_path / "d"
    shutil.copytree(data_dir / "ratification", copy / "ratification")
    cut = copy / "ratification" / "hr_status_cat.csv"
    cut.chmod(0o644)
    cut.write_bytes(cut.read_bytes()[:100])
    code, out = run("data", "verify", "--data", str(copy))
    assert code == 1
    assert "truncated ratification/hr_status_cat.csv" in out
    assert "missing   upr-info/sessions-01-05.csv" in out


def test_build_without_datasets_says_what_is_missing(tmp_path: Path) -> None:
    code, out = run("build", "--data", str(tmp_path / "empty"), "--store", str(tmp_path / "s"),
                    "--no-validate", "--quiet")
    assert code == 0, out
    assert "missing datasets" in out
    assert "hrkg data fetch` downloads it from https://raw.githubusercontent.com" in out


def test_loaders_listed() -> None:
    code, out = run("loaders")
    assert code == 0
    assert [line.split()[0] for line in out.splitlines()] == [
        "ohchr-thematic-list", "ohchr-upr", "ratification-csv", "upr-info-csv", "upr-report",
        "us-upr-cycle3", "web-page"]
