"""-v and --debug: the steps and the errors' tracebacks on standard error, through logging;
without them the output is what it was."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def hrkg(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "hrkg", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=600, check=False)


def test_verbose_logs_each_source_and_the_validation(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    done = hrkg("-v", "build", "--data", "empty", "--store", "store", "--quiet", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    logged = [x for x in done.stderr.splitlines() if x.startswith("INFO hrkg.graph.build: ")]
    # the project's five documents, the validation and the switch
    assert sum(" quads by web-page in " in x for x in logged) == 5
    assert any("validation (fast): 0 violations" in x for x in logged)
    assert any(" is current: " in x for x in logged)
    assert "INFO" not in done.stdout   # the summary is unchanged on standard output
    assert done.stdout.startswith("loader ")


def test_debug_shows_the_traceback_of_an_error(tmp_path: Path) -> None:
    plain = hrkg("query", "--store", "nothing", "ASK {}", cwd=tmp_path)
    assert plain.returncode == 2
    assert plain.stderr.startswith("Error: no built store in nothing")
    assert "Traceback" not in plain.stderr
    debug = hrkg("--debug", "query", "--store", "nothing", "ASK {}", cwd=tmp_path)
    assert debug.returncode == 2
    assert "DEBUG hrkg: the error's traceback:" in debug.stderr
    assert "Traceback (most recent call last)" in debug.stderr
    assert "StoreError" in debug.stderr
    assert debug.stderr.rstrip().endswith(plain.stderr.rstrip())
