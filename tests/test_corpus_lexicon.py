"""Chinese words the parsers match or write live in corpus/data/lexicon.json (via corpus.lexicon), not in code."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
CHINESE_WORD = re.compile(r"[\u4e00-\u9fff]")
# modules whose code holds no Chinese words: only punctuation, in docstrings and doctest examples
CLEAN_MODULES = ["clauses.py", "gazette.py", "paragraphs.py", "text.py"]


def chinese_literals(source: str) -> list[tuple[int, str]]:
    """(line, value) of string constants with Chinese words, except docstrings and `*_EXAMPLE` doctest texts.

    >>> chinese_literals('def f():\\n    "说明"\\n    return "目录"\\nA_EXAMPLE = "公报"')
    [(3, '目录')]
    """
    tree = ast.parse(source)
    skipped = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
            skipped.add(id(body[0].value))
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id.endswith("_EXAMPLE") for t in node.targets):
            skipped.update(id(n) for n in ast.walk(node.value))
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skipped
            and CHINESE_WORD.search(node.value)]


@pytest.mark.parametrize("module", CLEAN_MODULES)
def test_module_code_holds_no_chinese_words(module):
    assert chinese_literals((CORPUS / module).read_text(encoding="utf-8")) == []
