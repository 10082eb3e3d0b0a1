"""The fast SHACL engine against pySHACL (the reference), report formats, exit codes and the
CI helpers (--changed, the pre-commit hook, the GitHub Actions workflow)."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path
from xml.etree import ElementTree as ET

import jsonschema
import pytest
import rdflib
import yaml
from rdflib.namespace import SH

from hrkg.errors import ShapeError
from hrkg.resources import resource_dir
from hrkg.shacl import Validator
from hrkg.synthetic import FAULTS
from hrkg.synthetic import write as write_graph
from hrkg.validate import shapes_graph, validate_files, validate_store
from tests.conftest import REPO, run

SHAPE_TESTS = sorted((resource_dir("shapes") / "tests").glob("*/*.ttl"))
BIN = Path(sys.executable).parent


def keys(report) -> Counter:
    return Counter(r.key for r in report.results)


def assert_same(fast, reference) -> None:
    a, b = keys(fast), keys(reference)
    assert a == b, (f"fast only: {sorted((a - b).elements())[:5]}\n"
                    f"pySHACL only: {sorted((b - a).elements())[:5]}")


# -- the fast engine gives pySHACL's results -------------------------------------------

@pytest.mark.parametrize("path", SHAPE_TESTS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_engines_agree_on_shape_test_files(path: Path) -> None:
    fast = validate_files([path], "fast")
    assert_same(fast, validate_files([path], "pyshacl"))
    assert (fast.violations == 0) == (path.parent.name != "invalid")


@pytest.mark.parametrize("kind", sorted(FAULTS))
def test_each_fault_kind_is_found_by_both_engines(kind: str, tmp_path: Path) -> None:
    path = tmp_path / f"{kind}.nt"
    write_graph(path, 800, every=10, faults=frozenset({kind}))
    fast = validate_files([path], "fast")
    assert_same(fast, validate_files([path], "pyshacl"))
    assert {r.source_shape for r in fast.results} == {FAULTS[kind]}
    assert len(fast.results) >= 2


def test_engines_agree_on_a_graph_with_every_fault(tmp_path: Path) -> None:
    path = tmp_path / "all.nt"
    write_graph(path, 5000, every=40)
    fast = validate_files([path], "fast")
    assert_same(fast, validate_files([path], "pyshacl"))
    assert {r.source_shape for r in fast.results} == set(FAULTS.values())
    assert fast.violations > 100 and fast.warnings >= 2


def test_clean_generated_graph_conforms(tmp_path: Path) -> None:
    path = tmp_path / "clean.nt"
    assert write_graph(path, 5000, every=0) > 4000
    report = validate_files([path], "fast")
    assert report.results == []


def test_engines_agree_on_the_bundled_graph(store) -> None:
    fast = validate_store(store, "fast")
    reference = validate_store(store, "pyshacl")
    assert_same(fast, reference)
    assert fast.violations == 0
    assert fast.warnings == 44  # hr:qualityIssue on 44 resources of the real data
    assert all(r.source for r in fast.results)


def _shapes_with(extra: str) -> rdflib.Graph:
    g = rdflib.Graph().parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <urn:ex:> .
        ex:S a sh:NodeShape ; sh:targetClass ex:C ; """ + extra + " .", format="turtle")
    return g


@pytest.mark.parametrize("extra, feature", [
    ("sh:closed true", "sh:closed"),
    ("sh:property [ sh:path ex:p ; sh:equals ex:q ]", "sh:equals"),
    ("sh:property [ sh:path ex:p ; sh:qualifiedValueShape [ sh:class ex:D ] ; "
     "sh:qualifiedMinCount 1 ]", "sh:qualified"),
    ("sh:property [ sh:path ex:p ; sh:lessThan ex:q ]", "sh:lessThan"),
    ("sh:target [ a ex:SomeTargetType ]", "sh:target only as sh:SPARQLTarget"),
])
def test_unsupported_features_are_refused(extra: str, feature: str) -> None:
    with pytest.raises(ShapeError, match=re.escape(feature)):
        Validator(_shapes_with(extra))


def test_our_shapes_are_all_supported() -> None:
    v = Validator(shapes_graph())
    assert len(v.top_shapes()) == 22


# -- formats ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def broken(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("broken") / "broken.nt"
    write_graph(path, 3000, every=30)
    return path


def test_json_report_matches_its_schema(broken: Path) -> None:
    code, out = run("validate", "--format", "json", str(broken))
    assert code == 1
    doc = json.loads(out)
    schema = json.loads((REPO / "hrkg" / "validation-report.schema.json").read_text())
    jsonschema.validate(doc, schema)
    report = validate_files([broken])
    assert doc["counts"] == {"violation": report.violations, "warning": report.warnings,
                             "info": 0}
    assert len(doc["results"]) == len(report.results)
    for r in doc["results"]:
        assert r["source"]["file"].endswith("broken.nt")
        assert (r["source"]["line"] is not None) == ("/recommendation/" in r["focusNode"])


def test_junit_report_has_a_test_case_per_shape(broken: Path) -> None:
    code, out = run("validate", "--format", "junit", str(broken))
    assert code == 1
    root = ET.fromstring(out.encode())
    cases = root.findall("./testsuite/testcase")
    assert len(cases) == 16
    failed = {c.get("name") for c in cases if c.find("failure") is not None}
    report = validate_files([broken])
    assert failed == {r.source_shape for r in report.results if r.severity == "Violation"}
    assert root.get("failures") == str(len(failed))
    # warnings are not failures unless asked
    code, out = run("validate", "--format", "junit", "--fail-on", "warning", str(broken))
    failed_w = {c.get("name") for c in ET.fromstring(out.encode()).iter("testcase")
                if c.find("failure") is not None}
    assert failed_w == {r.source_shape for r in report.results}


def test_turtle_report_parses_as_a_shacl_report(broken: Path) -> None:
    code, out = run("validate", "--format", "turtle", str(broken))
    assert code == 1
    g = rdflib.Graph().parse(data=out, format="turtle")
    report = validate_files([broken])
    results = list(g.subjects(rdflib.RDF.type, SH.ValidationResult))
    assert len(results) == len(report.results)
    assert (None, SH.conforms, rdflib.Literal(False)) in g
    components = Counter(str(g.value(r, SH.sourceConstraintComponent)) for r in results)
    assert components[str(SH.SPARQLConstraintComponent)] == sum(
        r.component == "sh:SPARQLConstraintComponent" for r in report.results)


def test_github_annotations(broken: Path) -> None:
    code, out = run("validate", "--format", "github", "--fail-on", "warning", str(broken))
    assert code == 1
    lines = out.splitlines()
    report = validate_files([broken])
    errors = [ln for ln in lines if ln.startswith("::error ")]
    warnings = [ln for ln in lines if ln.startswith("::warning ")]
    assert len(errors) == report.violations and len(warnings) == report.warnings
    pattern = r"::error file=[^,]*broken\.nt(,line=\d+)?,title=hrsh%3A\w+ sh%3A\w+::<"
    assert all(re.match(pattern, ln) for ln in errors)
    # recommendations carry hr:sourceLine (as the loaders write it): their line is named
    assert any(",line=" in ln and "/recommendation/" in ln for ln in errors)


def test_text_report_groups_by_shape(broken: Path) -> None:
    code, out = run("validate", str(broken))
    assert code == 1
    report = validate_files([broken])
    for (severity, shape), n in report.by_shape().items():
        assert f"\n{severity} {shape}: {n}\n" in out + "\n"


# -- exit codes ----------------------------------------------------------------------

def test_fail_on_levels() -> None:
    warning = resource_dir("shapes") / "tests" / "warning" / "consent-before-adoption.ttl"
    assert run("validate", str(warning))[0] == 0
    assert run("validate", "--fail-on", "warning", str(warning))[0] == 1
    assert run("validate", "--fail-on", "info", str(warning))[0] == 1
    valid = resource_dir("shapes") / "tests" / "valid" / "recommendation.ttl"
    assert run("validate", "--fail-on", "info", str(valid))[0] == 0


def test_pyshacl_engine_from_the_command_line() -> None:
    invalid = resource_dir("shapes") / "tests" / "invalid" / "state-bad-iso3.ttl"
    code, out = run("validate", "--engine", "pyshacl", str(invalid))
    assert code == 1 and "pyshacl engine" in out and "Violation hrsh:StateShape: 1" in out


# -- --changed -------------------------------------------------------------------------

def _mirror(data: Path, target: Path) -> None:
    """A data directory of symbolic links to the real files."""
    for f in data.rglob("*"):
        if f.is_file():
            link = target / f.relative_to(data)
            link.parent.mkdir(parents=True, exist_ok=True)
            link.symlink_to(f)


def test_changed_validates_only_the_changed_source(tmp_path: Path, data_dir: Path,
                                                   built) -> None:
    root = tmp_path / "store"
    shutil.copytree(built[0], root, symlinks=True)
    before = (root / "current").resolve()
    data = tmp_path / "data"
    _mirror(data_dir, data)
    code, out = run("validate", "--changed", "--data", str(data), "--store", str(root))
    assert code == 0 and "no source changed since the last build" in out

    csv = data / "us-upr-cycle3" / "us_upr_cycle3_recommendations.csv"
    lines = csv.read_text(encoding="utf-8").splitlines()
    csv.unlink()
    assert lines[1].startswith("26.1,Somalia,")
    lines[1] = lines[1].replace("Somalia", "United States of America", 1)
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out = run("validate", "--changed", "--data", str(data), "--store", str(root),
                    "--format", "json")
    assert code == 1, out
    doc = json.loads(out)
    assert [(r["shape"], r["focusNode"], r["source"]) for r in doc["results"]
            if r["severity"] == "Violation"] == [(
                "hrsh:RecommenderNotReviewedShape",
                "<https://w3id.org/hrkg/id/recommendation/upr/36/USA/para-26.1>",
                {"file": "us-upr-cycle3/us_upr_cycle3_recommendations.csv", "line": 2})]
    # only the changed source's nodes were checked: the UPR Info warnings are not there
    assert all("upr-info" not in (r["sources"] or "") for r in doc["results"])
    assert (root / "current").resolve() == before
    assert sorted(p.name for p in (root / "stores").iterdir()) == [before.name]


# -- for users' repositories: pre-commit hook and GitHub Actions workflow ------------------

@pytest.fixture()
def user_repo(tmp_path: Path) -> Path:
    shapes = resource_dir("shapes") / "tests"
    repo = tmp_path / "repo"
    (repo / "rdf").mkdir(parents=True)
    shutil.copy(shapes / "valid" / "recommendation.ttl", repo / "rdf" / "good.ttl")
    (repo / "README.md").write_text("not RDF\n")
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    return repo


def _env() -> dict[str, str]:
    return {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}


def _break(repo: Path) -> None:
    bad = resource_dir("shapes") / "tests" / "invalid" / "state-bad-iso3.ttl"
    shutil.copy(bad, repo / "rdf" / "bad.ttl")


def test_pre_commit_hook_definition_runs(user_repo: Path) -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    (hook,) = [h for h in hooks if h["id"] == "hrkg-validate"]
    assert hook["language"] == "python" and hook["pass_filenames"]

    def run_hook() -> subprocess.CompletedProcess:
        # as pre-commit does: the files that match, passed to the entry
        files = sorted(str(p.relative_to(user_repo)) for p in user_repo.rglob("*")
                       if p.is_file() and ".git" not in p.parts
                       and re.search(hook["files"], p.name))
        return subprocess.run(shlex.split(hook["entry"]) + files, cwd=user_repo,
                              env=_env(), capture_output=True, text=True)

    ok = run_hook()
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "README.md" not in ok.stdout
    _break(user_repo)
    bad = run_hook()
    assert bad.returncode == 1
    assert "Violation hrsh:StateShape: 1" in bad.stdout and "[rdf/bad.ttl]" in bad.stdout


def test_github_workflow_validation_step_runs(user_repo: Path) -> None:
    workflow = yaml.safe_load((REPO / "docs" / "ci" / "hrkg-validate.yml").read_text())
    steps = workflow["jobs"]["validate"]["steps"]
    (install,) = [s for s in steps if s.get("name") == "Install hrkg"]
    assert "$HRKG_SPEC" in install["run"]
    (step,) = [s for s in steps if s.get("name") == "Validate RDF files"]
    env = {**_env(), **{k: str(v) for k, v in workflow["env"].items()}}

    def run_step() -> subprocess.CompletedProcess:
        subprocess.run(["git", "add", "-A"], cwd=user_repo, check=True)
        return subprocess.run(["bash", "-e", "-c", step["run"]], cwd=user_repo, env=env,
                              capture_output=True, text=True)

    ok = run_step()
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert ET.parse(user_repo / "hrkg-shacl.xml").getroot().get("failures") == "0"
    _break(user_repo)
    bad = run_step()
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert re.search(r"^::error file=rdf/bad\.ttl,title=hrsh%3AStateShape", bad.stdout, re.M)
    assert ET.parse(user_repo / "hrkg-shacl.xml").getroot().get("failures") == "1"
