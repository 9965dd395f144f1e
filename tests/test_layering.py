"""The data flows one way: corpus → tokenizer → index → app. A lower layer never imports a higher one."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ["corpus", "tokenizer", "index", "app"]


def imported_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("layer", LAYERS)
def test_layer_imports_only_lower_layers(layer):
    higher = set(LAYERS[LAYERS.index(layer) + 1:])
    files = list((ROOT / layer).rglob("*.py"))
    assert files, f"{layer}/ has no modules"
    offenders = {str(f.relative_to(ROOT)): sorted(imported_packages(f) & higher) for f in files}
    assert {f: bad for f, bad in offenders.items() if bad} == {}


def test_detects_an_upward_import(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("from index.search import search\nimport app.web as web\n")
    assert imported_packages(module) == {"index", "app"}
