"""References people paste or type: a document (by 文号 and/or title) and perhaps one of its clauses.

A reference is `[《标题》 | 标题] [（文号）| 文号] [outline path]`, in the forms a citation is written
(`《关于推进清廉泸溪建设的意见》（泸发〔2021〕24号）第五部分第18项`) or typed by hand
(`泸发[2021]24号 五（二）1`, `关于推进清廉泸溪建设的意见第5部分第18项`): 文号 in any brackets,
the title with or without 《》, numerals Chinese or Arabic, spaces anywhere. The outline path is
read by `corpus.outline.parse_path`; 文号 are compared by `corpus.docnumber.doc_number_key`.

`References` is built once per index generation: looking a reference up costs a few dictionary
look-ups and a walk over the one document's clauses, never a loop over the documents.

>>> from corpus.model import Clause, Document
>>> doc = Document(id="d", title="关于推进清廉泸溪建设的意见", doc_number="泸发〔2021〕24号", offices=[],
...                doc_type="意见", date=None, text="", source="",
...                clauses=[Clause(id="d/5", label="五、", path=["五、"], text=""),
...                         Clause(id="d/5.18", label="18.", path=["五、", "18."], text="")])
>>> refs = References([doc])
>>> refs.resolve("泸发[2021]24号 第5部分第十八项").clause.id
'd/5.18'
>>> found = refs.resolve("《关于推进清廉泸溪建设的意见》第五部分")
>>> found.doc.id, found.clause.id
('d', 'd/5')
>>> refs.resolve("湘发〔2021〕19号").missing
'湘发〔2021〕19号'
>>> refs.resolve("清廉学校") is None
True
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from corpus.docnumber import doc_number_key
from corpus.model import Clause, Document
from corpus.outline import Step, compact_reference, find_clause, parse_path

# A 文号 in a compacted reference (brackets folded to （）): an optional outer （…）, the prefix, （year）, number.
_NUMBER = r"(?P<number>(?P<prefix>[\u4e00-\u9fff]{1,12}?)（(?:19|20)\d\d）(?:第)?\d{1,4}号)"
_NUMBER_AT_START = re.compile(rf"（?{_NUMBER}）?")
_NUMBER_INSIDE = re.compile(
    r"（?(?P<number>(?P<prefix>[\u4e00-\u9fff]{1,12})（(?:19|20)\d\d）(?:第)?\d{1,4}号)）?"
)
_BOOK_MARKS = str.maketrans("", "", "《》〈〉")


def title_key(title: str) -> str:
    """The form titles are compared in: folded, without spaces or book marks.

    >>> title_key("《关于印发〈健康泸溪行动实施方案〉的 通知》")
    '关于印发健康泸溪行动实施方案的通知'
    """
    return compact_reference(title).translate(_BOOK_MARKS)


@dataclass
class Found:
    """What a reference names: an indexed document and perhaps one of its clauses, or a 文号 not indexed.

    `path` is the outline path as typed ("" when the reference names only a document); `clause` is
    None when it names none, or one the document does not have. For a 文号 not in the index,
    `missing` is its standard form and `citing` the indexed documents that cite it, newest first.
    """

    doc: Document | None = None
    clause: Clause | None = None
    path: str = ""
    missing: str | None = None
    citing: list[Document] = field(default_factory=list)


def _split_book_title(compact: str) -> tuple[str | None, str]:
    """(the 《title》 a reference starts with, the rest); book marks may nest."""
    if not compact.startswith("《"):
        return None, compact
    depth = 0
    for i, ch in enumerate(compact):
        depth += (ch == "《") - (ch == "》")
        if depth == 0:
            return compact[1:i], compact[i + 1:]
    return None, compact


class References:
    """The documents of one index generation, by 文号 key and by title, and who cites which 文号."""

    def __init__(self, documents: Iterable[Document]):
        self.by_number: dict[str, Document] = {}
        self.by_title: dict[str, list[Document]] = {}
        self.citing: dict[str, list[Document]] = {}
        for doc in documents:
            if doc.doc_number:
                self.by_number.setdefault(doc_number_key(doc.doc_number), doc)
            for title in dict.fromkeys(title_key(t) for t in (doc.title, doc.issued_title) if t):
                self.by_title.setdefault(title, []).append(doc)
            for key in dict.fromkeys(doc_number_key(c.doc_number) for c in doc.cites if c.doc_number):
                self.citing.setdefault(key, []).append(doc)

    def document(self, doc_number: str) -> Document | None:
        """The indexed document with this 文号 (any brackets, spaces, leading zeros), else None."""
        return self.by_number.get(doc_number_key(doc_number))

    def resolve(self, text: str) -> Found | None:
        """What `text` refers to, when the whole of it is a reference; None when it is not one."""
        compact = compact_reference(text)
        title, rest = _split_book_title(compact)
        if title is not None and not self.by_title.get(title_key(title)) and not _NUMBER_AT_START.match(rest):
            return None
        number = _NUMBER_AT_START.match(rest) if rest else None
        if number:
            return self._by_number(number["number"], title, rest[number.end():])
        if title is not None:
            return self._in_documents(self.by_title.get(title_key(title), []), rest)
        inside = _NUMBER_INSIDE.search(compact)
        if inside:
            found = self._number_after_title(compact, inside)
            if found:
                return found
        return self._by_plain_title(compact)

    def _by_number(self, number: str, title: str | None, path: str) -> Found | None:
        if path and parse_path(path) is None:
            return None
        doc = self.document(number)
        if doc is not None:
            return self._in_documents([doc], path)
        by_title = self.by_title.get(title_key(title)) if title else None
        if by_title:
            return self._in_documents(by_title, path)
        key = doc_number_key(number)
        return Found(path=path, missing=key, citing=self.citing.get(key, []))

    def _number_after_title(self, compact: str, m: re.Match) -> Found | None:
        """`标题泸发（2021）24号…`: the 文号's prefix is the longest tail of the words before it that is an indexed 文号."""
        prefix, path = m["prefix"], compact[m.end():]
        core = m["number"][len(prefix):]
        for cut in range(len(prefix)):
            doc = self.document(prefix[cut:] + core)
            if doc is not None:
                title = compact[:m.start()] + prefix[:cut]
                if title and doc not in self.by_title.get(title_key(title), []):
                    return None
                return self._in_documents([doc], path) if not path or parse_path(path) else None
        return None

    def _by_plain_title(self, compact: str) -> Found | None:
        """`标题` or `标题第五部分`: the longest start of the text that is an indexed title, the rest a path."""
        for end in range(len(compact), 0, -1):
            docs = self.by_title.get(title_key(compact[:end]))
            if docs and (end == len(compact) or parse_path(compact[end:])):
                return self._in_documents(docs, compact[end:])
        return None

    def _in_documents(self, docs: list[Document], path: str) -> Found | None:
        """The first of `docs` (newest first) that has the clause `path` names; the first one if none has."""
        if not docs:
            return None
        steps: list[Step] | None = parse_path(path) if path else None
        if path and steps is None:
            return None
        for doc in docs:
            clause = find_clause(doc.clauses, steps) if steps else None
            if clause is not None or not steps:
                return Found(doc=doc, clause=clause, path=path)
        return Found(doc=docs[0], path=path)


def split_citation(text: str) -> tuple[str, str] | None:
    """(文号 in comparison form, the rest as typed) when `text` starts with a 文号, else None.

    >>> split_citation("泸发[2021]24号 第18项"), split_citation("泸发（2021）024号二、（一）")
    (('泸发〔2021〕24号', '第18项'), ('泸发〔2021〕24号', '二、（一）'))
    >>> split_citation("清廉学校") is None
    True
    """
    stripped = text.strip()
    for end in range(1, len(stripped) + 1):
        if stripped[end - 1] == "号":
            m = _NUMBER_AT_START.fullmatch(compact_reference(stripped[:end]))
            if m:
                return doc_number_key(m["number"]), stripped[end:].strip()
    return None
