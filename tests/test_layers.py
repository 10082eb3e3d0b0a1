"""The layers of the package go one way (the docstring of hrkg/__init__.py lists them): every
import of every module of hrkg/ and loaders/, at module level or inside a function, reaches
only its own layer or the layers before it; and no module of hrkg/ imports a loader (the
registry reaches them through entry points). Read from the source, nothing imported."""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# (module prefix, layer): the longest matching prefix decides
LAYERS = {
    "hrkg": 0, "hrkg.errors": 0, "hrkg.resources": 0, "hrkg.terms": 0, "hrkg.datasets": 0,
    "hrkg.loading": 0,
    "hrkg.reference": 1,
    "hrkg.text": 2,
    "hrkg.loaders": 3,
    "hrkg.validation": 4,
    "hrkg.graph": 5,
    "hrkg.serve": 6,
    "hrkg.api": 7,
    "hrkg.cli": 8,
    "hrkg.__main__": 9,
}
# hrkg/__init__.py hands out the API's names on first use (module __getattr__)
LAZY = {("hrkg", "hrkg"), ("hrkg", "hrkg.api")}
NAMES = {0: "foundation", 1: "reference", 2: "text", 3: "loaders", 4: "validation",
         5: "graph", 6: "serve", 7: "api", 8: "cli", 9: "main"}


def layer(module: str) -> int:
    best = max((p for p in LAYERS if module == p or module.startswith(p + ".")), key=len)
    return LAYERS[best]


def modules() -> list[tuple[str, Path]]:
    out = []
    for top, package in (("hrkg", "hrkg"), ("loaders", "hrkg.loaders")):
        for path in sorted((REPO / top).rglob("*.py")):
            parts = list(path.relative_to(REPO / top).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            out.append((".".join([package, *parts]), path))
    return out


def imports(module: str, path: Path) -> list[tuple[int, str]]:
    """(line, imported module) for every import statement of the file; a relative import
    is resolved against ``module``."""
    out = []
    is_package = path.name == "__init__.py"
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")
                base = base[:len(base) - node.level + (1 if is_package else 0)]
                name = ".".join([*base, *([node.module] if node.module else [])])
            else:
                name = node.module or ""
            out.append((node.lineno, name))
    return [(line, name) for line, name in out if name == "hrkg" or name.startswith("hrkg.")]


def test_every_module_is_in_a_layer() -> None:
    found = modules()
    assert len(found) > 50
    names = {m for m, _ in found}
    for expected in ("hrkg.graph.build", "hrkg.validation.engine", "hrkg.text.docentities",
                     "hrkg.reference.states", "hrkg.serve.app", "hrkg.cli.main",
                     "hrkg.loaders.upr_report", "hrkg.loading"):
        assert expected in names


def test_imports_go_one_way() -> None:
    wrong = []
    for module, path in modules():
        own = layer(module)
        for line, name in imports(module, path):
            if layer(name) > own and (module, name) not in LAZY:
                wrong.append(f"{path.relative_to(REPO)}:{line}: {module} ({NAMES[own]}) "
                             f"imports {name} ({NAMES[layer(name)]})")
    assert wrong == []


def test_no_module_of_hrkg_imports_a_loader() -> None:
    wrong = [f"{path.relative_to(REPO)}:{line}: imports {name}"
             for module, path in modules() if not module.startswith("hrkg.loaders")
             for line, name in imports(module, path)
             if name == "hrkg.loaders" or name.startswith("hrkg.loaders.")]
    assert wrong == []


def test_the_check_sees_a_wrong_import(tmp_path: Path) -> None:
    """The walk finds imports inside functions and resolves relative ones."""
    bad = tmp_path / "__init__.py"
    bad.write_text("def f():\n    from ..graph import build\n    import hrkg.loaders.upr_info\n")
    found = imports("hrkg.text", bad)
    assert found == [(2, "hrkg.graph"), (3, "hrkg.loaders.upr_info")]
    assert layer("hrkg.graph") > layer("hrkg.text")
    assert layer("hrkg.loaders.upr_info") > layer("hrkg.text")
