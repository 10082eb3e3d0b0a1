"""Shared fixtures: the real datasets (HRKG_DATA) and one real build of them.

Tiers (markers, set here):

- ``data``, the integration tier: every test that needs the datasets (it uses the
  ``data_dir`` fixture, directly or through ``built``, ``store``, ``upr_corpus``...), builds
  a store (``small_built``, or the modules of ``INTEGRATION``), or checks the fast engine
  against pySHACL (``engines`` in its name: seconds each);
- ``e2e``, a subset of it: the tests that start a server or a browser.

``pytest -m "not data"`` is the unit tier: no dataset, no build, under a minute. Without the
datasets the tests that need them are skipped, with one reason."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from hrkg.cli import cli

REPO = Path(__file__).resolve().parent.parent


E2E = ("test_serve.py", "security")   # modules and folders whose tests start a server
# modules and folders whose tests build stores or load documents (seconds each)
INTEGRATION = ("test_build_safety.py", "test_loader_interface.py", "test_cli_logging.py",
               "test_restricted_validation.py", "documents", "test_api.py", "test_cli.py")


def _data_dir() -> Path:
    env = os.environ.get("HRKG_DATA")
    return Path(env) if env else REPO.parent / "shared" / "data"


@pytest.fixture(scope="session")
def data_dir() -> Path:
    path = _data_dir()
    if not (path / "upr-info").is_dir():
        pytest.skip(f"needs the datasets, which are not under {path} (set HRKG_DATA)")
    return path


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        fixtures = getattr(item, "fixturenames", ())
        parts = item.path.relative_to(REPO / "tests").parts
        e2e = parts[0] in E2E or "browser" in fixtures
        if (e2e or "data_dir" in fixtures or "small_built" in fixtures
                or parts[0] in INTEGRATION or "engines" in item.name
                or item.get_closest_marker("slow") is not None):
            item.add_marker(pytest.mark.data)
        if e2e:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> tuple[Path, str]:
    """A full build (with SHACL validation) of the bundled data: (store root, summary)."""
    root = tmp_path_factory.mktemp("store")
    result = CliRunner().invoke(cli, ["build", "--data", str(data_dir), "--store", str(root),
                                      "--quiet"])
    assert result.exit_code == 0, result.output
    return root, result.output


@pytest.fixture(scope="session")
def small_built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store built without datasets: the ontology, the reference data and the project's
    documents, in seconds. For tests of the server's machinery rather than its answers."""
    root, empty = tmp_path_factory.mktemp("small"), tmp_path_factory.mktemp("nodata")
    result = CliRunner().invoke(cli, ["build", "--data", str(empty), "--store", str(root),
                                      "--quiet"])
    assert result.exit_code == 0, result.output
    return root


@pytest.fixture(scope="session")
def store(built):
    from hrkg.graph.store import open_read_only
    return open_read_only(built[0])


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


@pytest.fixture(scope="session")
def upr_corpus(data_dir: Path):
    """The UPR reports read and matched against UPR Info (hrkg.loaders.upr_corpus), once."""
    from hrkg.loaders.upr_corpus import corpus
    return corpus(data_dir)


def report_only_iris(upr_corpus) -> set[str]:
    """The recommendations only the Working Group reports hold (their own IRIs)."""
    return {u["iri"] for u in upr_corpus.unmatched if u["side"] == "report"}
