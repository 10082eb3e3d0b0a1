"""The build as a writer that others depend on: one at a time, nothing half-written, damaged
datasets refused, unreadable rows refused unless asked, and hostile input in `validate`."""

from __future__ import annotations

import json
import re
import resource
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from hrkg.cli import cli
from hrkg.datasets import manifest
from hrkg.graph.store import current_store, locked


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def _small_build(root: Path, data: Path) -> str:
    """The ontology, reference data and the project's documents: no dataset."""
    code, out = _run("build", "--data", str(data), "--store", str(root), "--quiet")
    assert code == 0, out
    return out


def test_a_second_writer_is_refused_with_the_pid_of_the_first(tmp_path: Path) -> None:
    root, data = tmp_path / "store", tmp_path / "data"
    data.mkdir()
    with locked(root):
        code, out = _run("build", "--data", str(data), "--store", str(root), "--quiet")
        assert code == 2
        assert re.search(rf"another hrkg build or load \(pid {__import__('os').getpid()}\) is "
                         rf"writing {re.escape(str(root))}", out)
    _small_build(root, data)
    doc = data / "documents" / "a.html"
    doc.parent.mkdir()
    doc.write_text("<title>A page</title><p>Text.</p>", encoding="utf-8")
    with locked(root):
        code, out = _run("load", str(doc), "--data", str(data), "--store", str(root))
        assert code == 2 and "another hrkg build or load" in out


def test_a_damaged_dataset_fails_the_build_unless_allowed(tmp_path: Path, data_dir: Path) -> None:
    entry = next(e for e in manifest() if e.path == "upr-info/voluntary-pledges.csv")
    data, root = tmp_path / "data", tmp_path / "store"
    target = data / entry.path
    target.parent.mkdir(parents=True)
    target.write_bytes((data_dir / entry.path).read_bytes()[: entry.bytes // 2])
    code, out = _run("build", "--data", str(data), "--store", str(root), "--quiet")
    assert code == 1
    assert f"truncated {entry.path}" in out and f"{entry.bytes // 2} of {entry.bytes} bytes" in out
    assert "1 pinned dataset file(s) are truncated or changed" in out
    assert not (root / "current").exists()  # nothing switched, nothing half-written
    assert not list((root / "stores").glob("*")) if (root / "stores").exists() else True
    # changed, not truncated: the same size, other bytes
    body = bytearray((data_dir / entry.path).read_bytes())
    body[100] ^= 0x20
    target.write_bytes(bytes(body))
    code, out = _run("build", "--data", str(data), "--store", str(root), "--quiet")
    assert code == 1 and f"changed   {entry.path}" in out
    code, out = _run("build", "--data", str(data), "--store", str(root), "--quiet",
                     "--allow-damaged")
    assert code == 0, out
    assert (root / "current").exists()


def test_leftovers_of_an_interrupted_build_are_removed(tmp_path: Path) -> None:
    root, data = tmp_path / "store", tmp_path / "data"
    data.mkdir()
    _small_build(root, data)
    first = current_store(root)
    leftover = root / "stores" / "20200101T000000-1-00000"
    leftover.mkdir()
    (leftover / "000001.sst").write_bytes(b"half")
    (root / ".current-999").symlink_to("stores/20200101T000000-1-00000")
    out = _small_build(root, data)
    assert "leftover store folders of an interrupted build, removed: 20200101T000000-1-00000" \
        in out
    assert not leftover.exists() and not (root / ".current-999").is_symlink()
    assert (root / "previous").resolve() == first  # the one before stays, for its readers
    info = json.loads((current_store(root) / "hrkg.json").read_text())
    assert info["quads"] == info["named"] + info["default"] and info["default"] > 0


def test_load_with_unreadable_rows_changes_nothing_unless_keep_going(tmp_path: Path) -> None:
    root, data = tmp_path / "store", tmp_path / "data"
    data.mkdir()
    _small_build(root, data)
    before = current_store(root)
    docs = data / "documents"
    docs.mkdir()
    good, bad = docs / "good.html", docs / "bad.html"
    good.write_text("<title>A good page</title><p>Liberia signed the ICCPR.</p>",
                    encoding="utf-8")
    bad.write_bytes(b"<title>x</title>\x00\x01\x02 binary")
    code, out = _run("load", str(good), str(bad), "--data", str(data), "--store", str(root))
    assert code == 1 and "could not be read (listed above); nothing was changed" in out
    assert re.search(r"error: documents/bad\.html", out)
    assert current_store(root) == before
    code, out = _run("load", str(good), str(bad), "--data", str(data), "--store", str(root),
                     "--keep-going")
    assert code == 0, out
    assert "dropped by --keep-going (not in the store): 1" in out and "documents/bad.html" in out
    code, out = _run("query", "--store", str(root), "--format", "csv",
                     'ASK { ?d <http://purl.org/dc/terms/title> "A good page"@en }')
    assert out.strip() == "true"


def test_a_sidecar_with_a_bad_source_iri_is_a_clear_error(tmp_path: Path) -> None:
    root, data = tmp_path / "store", tmp_path / "data"
    data.mkdir()
    _small_build(root, data)
    docs = data / "documents"
    docs.mkdir()
    page = docs / "page.html"
    page.write_text("<title>A page</title><p>Text.</p>", encoding="utf-8")
    for source in ("javascript:alert(1)", "http://exa mple.org/<x>", "not a url"):
        (docs / "page.meta.json").write_text(json.dumps({"source": source}), encoding="utf-8")
        proc = subprocess.run([sys.executable, "-m", "hrkg", "load", str(page), "--data",
                               str(data), "--store", str(root)], capture_output=True, text=True,
                              timeout=600)
        assert proc.returncode == 2, proc.stderr
        assert "page.meta.json: 'source' must be an http(s) URL" in proc.stderr
        assert "Traceback" not in proc.stderr


def test_an_entity_expansion_bomb_is_refused_quickly(tmp_path: Path) -> None:
    levels = "\n".join(f' <!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    bomb = tmp_path / "lol.rdf"
    bomb.write_text('<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol0 "lol">\n'
                    f"{levels}\n]>\n"
                    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
                    'xmlns:ex="http://ex/"><rdf:Description rdf:about="http://ex/a">'
                    "<ex:p>&lol9;</ex:p></rdf:Description></rdf:RDF>\n", encoding="utf-8")
    assert bomb.stat().st_size < 1100
    # within 1.5 GB of address space: an expansion (gigabytes) would fail otherwise
    cap = 1536 << 20
    proc = subprocess.run([sys.executable, "-m", "hrkg", "validate", str(bomb)],
                          capture_output=True, text=True, timeout=600,
                          preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_AS, (cap, cap)))
    assert proc.returncode == 2, proc.stderr
    assert "lol.rdf:14: its entities expand far beyond its size" in proc.stderr
    # entities used as they are meant to be (namespace abbreviations) are fine
    ok = tmp_path / "ok.rdf"
    ok.write_text('<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [ <!ENTITY ex "http://ex/"> ]>\n'
                  '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
                  'xmlns:ex="http://ex/"><rdf:Description rdf:about="&ex;a">'
                  "<ex:p>x</ex:p></rdf:Description></rdf:RDF>\n", encoding="utf-8")
    code, out = _run("validate", str(ok))
    assert code == 0, out
    external = tmp_path / "ext.rdf"
    external.write_text('<?xml version="1.0"?>\n<!DOCTYPE r [ <!ENTITY x SYSTEM "/etc/passwd"> ]>\n'
                        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
                        'xmlns:ex="http://ex/"><rdf:Description rdf:about="http://ex/a">'
                        "<ex:p>&x;</ex:p></rdf:Description></rdf:RDF>\n", encoding="utf-8")
    code, out = _run("validate", str(external))
    assert code == 2 and "an external entity (/etc/passwd) is refused" in out

