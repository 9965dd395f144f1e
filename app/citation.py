"""How people cite a clause: 《title》（文号）plus the shortest outline path that names the clause.

>>> from corpus.model import Clause, Document
>>> doc = Document(id="泸发-2021-24", title="关于推进清廉泸溪建设的意见", doc_number="泸发〔2021〕24号",
...                offices=[], doc_type="意见", date=None, text="", source="",
...                clauses=[Clause(id="a", label="五、", path=["五、"], text=""),
...                         Clause(id="b", label="18.", path=["五、", "18."], text="")])
>>> cite(doc, doc.clauses[1])
'《关于推进清廉泸溪建设的意见》（泸发〔2021〕24号）第十八项'
>>> cite(doc, doc.clauses[0])
'《关于推进清廉泸溪建设的意见》（泸发〔2021〕24号）第五部分'
"""

from __future__ import annotations

import re

from app.labels import CITATION_UNITS
from corpus.model import Clause, Document
from corpus.numerals import NUMERAL_CHARS, int_to_chinese

_PART = re.compile(rf"^([{NUMERAL_CHARS}]+)、$")
_SECTION = re.compile(rf"^（[{NUMERAL_CHARS}]+）$")
_ITEM = re.compile(r"^(\d+)[.．]$")
_SUBITEM = re.compile(r"^（\d+）$|^[①-⑳]$")


def label_citation(label: str, after_section: bool = False) -> str:
    """One outline label as cited: 一、 → 第一部分, （二） → 第（二）项, 18. → 第十八项, 第三条 stays.

    An item under a cited （二） is a 点, so 第（二）项第三点 does not repeat 项.

    >>> [label_citation(x) for x in ["三、", "（二）", "18.", "（1）", "第五条"]]
    ['第三部分', '第（二）项', '第十八项', '第（1）目', '第五条']
    >>> label_citation("3.", after_section=True)
    '第三点'
    """
    if m := _PART.match(label):
        return f"第{m[1]}{CITATION_UNITS['part']}"
    if _SECTION.match(label):
        return f"第{label}{CITATION_UNITS['section']}"
    if m := _ITEM.match(label):
        number = int(m[1])
        unit = CITATION_UNITS["point" if after_section else "item"]
        return f"第{int_to_chinese(number) if number < 1000 else number}{unit}"
    if _SUBITEM.match(label):
        return f"第{label}{CITATION_UNITS['subitem']}"
    return label


def cited_path(doc: Document, clause: Clause) -> list[str]:
    """The shortest tail of the clause's outline path that no other clause of the document shares."""
    others = [c.path for c in doc.clauses if c.id != clause.id]
    for start in range(len(clause.path) - 1, -1, -1):
        tail = clause.path[start:]
        if not any(path[-len(tail):] == tail for path in others if len(path) >= len(tail)):
            return tail
    return clause.path


def book_title(title: str) -> str:
    """A title in 《》, book marks inside it becoming 〈〉 as Chinese typesetting nests them.

    >>> book_title("关于印发《健康泸溪行动实施方案》的通知")
    '《关于印发〈健康泸溪行动实施方案〉的通知》'
    """
    return "《" + title.replace("《", "〈").replace("》", "〉") + "》"


def cite(doc: Document, clause: Clause | None = None) -> str:
    """The citation text the 复制引用 button copies."""
    text = book_title(doc.title) + (f"（{doc.doc_number}）" if doc.doc_number else "")
    if clause is None:
        return text
    parts, after_section = [], False
    for label in cited_path(doc, clause):
        parts.append(label_citation(label, after_section))
        after_section = after_section or bool(_SECTION.match(label))
    return text + "".join(parts)
