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


# -- inside corpus/: readers apart from extraction -------------------------------------------

CORPUS_GROUPS = {
    # shared vocabulary and types: what every reader and every extractor may use
    "base": {"corpus", "corpus.errors", "corpus.model", "corpus.outline", "corpus.docnumber", "corpus.lexicon",
             "corpus.normalize", "corpus.numerals", "corpus.script", "corpus.layout", "corpus.labels"},
    # one module per file format (corpus/readers/): bytes → a Reading (text and the fields a page shows)
    "readers": {"corpus.readers"},
    # a Reading → documents: metadata, the outline and clauses, units, deadlines
    "extraction": {"corpus.extract", "corpus.text", "corpus.page", "corpus.paragraphs", "corpus.gazette",
                   "corpus.metadata", "corpus.clauses", "corpus.units", "corpus.deadlines"},
    # files and folders → readers → extraction, and the command line
    "loading": {"corpus.ingest", "corpus.console", "corpus.cli", "corpus.__main__"},
}
MAY_IMPORT = {
    "base": {"base"},
    "readers": {"base", "readers"},
    "extraction": {"base", "extraction"},
    "loading": {"base", "readers", "extraction", "loading"},
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def group_of(module: str) -> str | None:
    for group, members in CORPUS_GROUPS.items():
        if module in members or any(module.startswith(m + ".") for m in members if m != "corpus"):
            return group
    return None


def imported_corpus_modules(path: Path) -> set[str]:
    """The corpus modules a file imports (`from corpus import lexicon` imports corpus.lexicon)."""
    tree = ast.parse(path.read_text("utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names if alias.name.startswith("corpus"))
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "corpus":
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                as_module = ROOT.joinpath(*sub.split(".")).with_suffix(".py")
                names.add(sub if as_module.exists() or as_module.with_suffix("").is_dir() else node.module)
    return names


CORPUS_FILES = sorted((ROOT / "corpus").rglob("*.py"))


def test_every_corpus_module_has_a_place():
    assert {module_name(f): group_of(module_name(f)) for f in CORPUS_FILES if group_of(module_name(f)) is None} == {}


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: module_name(p))
def test_corpus_module_imports_only_what_its_group_may(path):
    group = group_of(module_name(path))
    wrong = {m: group_of(m) for m in imported_corpus_modules(path) if group_of(m) not in MAY_IMPORT[group]}
    assert wrong == {}, f"{module_name(path)} ({group}) imports {wrong}"


def test_detects_a_reader_importing_extraction(tmp_path):
    module = ROOT / "corpus" / "readers" / "html.py"
    source = tmp_path / "html.py"
    source.write_text("from corpus import text as tx\nfrom corpus.ingest import load_paths\n")
    assert {group_of(m) for m in imported_corpus_modules(source)} == {"extraction", "loading"}
    assert group_of(module_name(module)) == "readers"
