"""Shape tests as files: valid/ conforms, invalid/ fails with the shape named in its head."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from hrkg.resources import resource_dir
from tests.conftest import run

TESTS = resource_dir("shapes") / "tests"
VALID = sorted((TESTS / "valid").glob("*.ttl"))
INVALID = sorted((TESTS / "invalid").glob("*.ttl"))
WARNING = sorted((TESTS / "warning").glob("*.ttl"))


def expected_shape(path: Path) -> str:
    m = re.search(r"^# expect: (\S+)", path.read_text(), re.M)
    assert m, f"{path.name} has no '# expect: <shape>' line"
    return m.group(1)


def test_the_globs_found_files() -> None:
    assert len(VALID) >= 2 and len(INVALID) >= 8 and len(WARNING) >= 1


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_valid_conforms(path: Path) -> None:
    code, out = run("validate", str(path))
    assert code == 0, out
    assert out.startswith("Conforms: 0 violations")


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.name)
def test_invalid_fails_with_its_shape(path: Path) -> None:
    code, out = run("validate", str(path))
    assert code == 1, out
    shapes = set(re.findall(r"^Violation (\S+):", out, re.M))
    assert shapes == {expected_shape(path)}, out


@pytest.mark.parametrize("path", WARNING, ids=lambda p: p.name)
def test_warning_reports_but_conforms(path: Path) -> None:
    code, out = run("validate", str(path))
    assert code == 0, out
    assert set(re.findall(r"^Warning (\S+):", out, re.M)) == {expected_shape(path)}


def test_turtle_report_is_a_shacl_report(tmp_path: Path) -> None:
    import rdflib
    from rdflib.namespace import SH

    code, out = run("validate", "--format", "turtle", str(INVALID[0]))
    assert code == 1
    g = rdflib.Graph().parse(data=out, format="turtle")
    assert (None, SH.conforms, rdflib.Literal(False)) in g
    assert len(list(g.subjects(rdflib.RDF.type, SH.ValidationResult))) >= 1


def test_not_rdf_exits_2_with_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.ttl"
    path.write_text("@prefix hr: <https://w3id.org/hrkg/ontology#> .\n"
                    "hr:a hr:b hr:c .\nthis is not turtle\n")
    code, out = run("validate", str(path))
    assert code == 2
    assert f"{path}:3: not valid" in out
