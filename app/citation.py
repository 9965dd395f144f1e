"""How people cite a clause: 《title》（文号）and the clause's outline path in citation wording.

The wording comes from the one outline grammar (`corpus.outline`): 一、 is a 部分, （二） a 项,
18. a 项 (a 点 under a （二）), （1） a 目, 第X条 and 附件N as printed. The path is complete, so the
citation names one clause of its document, and searching for it finds that clause first.
A document without 文号 is cited by its title.

>>> from corpus.model import Clause, Document
>>> doc = Document(id="泸发-2021-24", title="关于推进清廉泸溪建设的意见", doc_number="泸发〔2021〕24号",
...                offices=[], doc_type="意见", date=None, text="", source="",
...                clauses=[Clause(id="a", label="五、", path=["五、"], text=""),
...                         Clause(id="b", label="18.", path=["五、", "18."], text="")])
>>> cite(doc, doc.clauses[1])
'《关于推进清廉泸溪建设的意见》（泸发〔2021〕24号）第五部分第18项'
>>> cite(doc, doc.clauses[0])
'《关于推进清廉泸溪建设的意见》（泸发〔2021〕24号）第五部分'
"""

from __future__ import annotations

from corpus.model import Clause, Document
from corpus.outline import citation_path


def book_title(title: str) -> str:
    """A title in 《》, book marks inside it becoming 〈〉 as Chinese typesetting nests them.

    >>> book_title("关于印发《健康泸溪行动实施方案》的通知")
    '《关于印发〈健康泸溪行动实施方案〉的通知》'
    """
    return "《" + title.replace("《", "〈").replace("》", "〉") + "》"


def cite(doc: Document, clause: Clause | None = None) -> str:
    """The citation text the 复制引用 button copies."""
    text = book_title(doc.title) + (f"（{doc.doc_number}）" if doc.doc_number else "")
    return text + citation_path(doc.clauses, clause) if clause is not None else text
