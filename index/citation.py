"""References people paste or type: a document (by 文号 and/or title) and perhaps one of its clauses.

A reference is `[《标题》 | 标题] [（文号）| 文号] [outline path]`, in the forms a citation is written
(`《关于推进清廉泸溪建设的意见》（泸发〔2021〕24号）第五部分第18项`) or typed by hand
(`泸发[2021]24号 五（二）1`, `关于推进清廉泸溪建设的意见第5部分第18项`): 文号 in any brackets,
the title with or without 《》, numerals Chinese or Arabic, spaces anywhere. The outline path is
read by `corpus.outline.parse_path`; 文号 are compared by `corpus.docnumber.doc_number_key`.

`Resolver` reads a reference with at most a few batch look-ups and a walk over the one document's
clauses, never a loop over the documents: `References`, built once per index generation, answers
the look-ups from memory; a cluster answers them with queries (`index.sphinxql.lookup`).

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

from corpus.docnumber import doc_number_key, normalize_doc_number
from corpus.model import Clause, Document
from corpus.normalize import fold_for_parsing
from corpus.outline import Step, compact_reference, find_clause, parse_path

# A 文号 in a reference (folded, brackets as （）): an optional outer （…）, the issuer's abbreviation
# (contiguous: a space before it ends the words in front), the year in brackets, the number.
_NUMBER = re.compile(
    r"（?\s*(?P<number>(?P<prefix>[\u4e00-\u9fff]{1,12}?)\s*(?P<core>（\s*(?:19|20)\d\d\s*）\s*(?:第\s*)?\d{1,4}\s*号))\s*）?"
)
_FOLD_BRACKETS = str.maketrans("〔〕", "（）")
_KEY_BRACKETS = str.maketrans("（）", "〔〕")
BOOK_MARKS = "《》〈〉"
_BOOK_MARKS = str.maketrans("", "", BOOK_MARKS)


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


def _enclosed(text: str, opening: str, closing: str) -> tuple[str | None, str]:
    """(what the brackets `text` starts with enclose, the rest); None when it starts with none. Brackets nest.

    >>> _enclosed("《关于印发《方案》的通知》第一部分", "《", "》"), _enclosed("（（78）交公路字412号）第一条", "（", "）")
    (('关于印发《方案》的通知', '第一部分'), ('（78）交公路字412号', '第一条'))
    """
    if not text.startswith(opening):
        return None, text
    depth = 0
    for i, ch in enumerate(text):
        depth += (ch == opening) - (ch == closing)
        if depth == 0:
            return text[1:i], text[i + 1:]
    return None, text


def _compact(folded: str, dropped: str = "") -> tuple[list[int], str]:
    """`folded` without spaces (and the characters `dropped`), and where each kept character was."""
    kept = [i for i, ch in enumerate(folded) if not ch.isspace() and ch not in dropped]
    return kept, "".join(folded[i] for i in kept)


class Resolver:
    """Reads references against an index's documents, through three batch look-ups a subclass answers:
    `numbered` (文号 keys → the document), `titled` (title keys → documents, newest first) and
    `citing_documents` (文号 key → the documents citing it). `References` answers them from memory;
    a cluster answers them with queries (`index.sphinxql.lookup`).

    `number_starts`/`title_starts` (the first two characters of every 文号 and title key) and
    `longest_number`/`longest_title` bound what is looked up: a plain query is looked up as a title
    or 文号 only if it starts like one, no further than the longest.
    """

    number_starts: set[str]
    title_starts: set[str]
    longest_number: int
    longest_title: int

    def numbered(self, keys: list[str]) -> dict[str, Document]:
        raise NotImplementedError

    def titled(self, keys: list[str]) -> dict[str, list[Document]]:
        raise NotImplementedError

    def citing_documents(self, key: str) -> list[Document]:
        raise NotImplementedError

    def gates(self) -> dict:
        """The bounds above as JSON values (a cluster keeps them in its metadata row)."""
        return {"number_starts": sorted(self.number_starts), "title_starts": sorted(self.title_starts),
                "longest_number": self.longest_number, "longest_title": self.longest_title}

    def _numbered(self, keys: list[str]) -> dict[str, Document]:
        keys = [key for key in dict.fromkeys(keys) if key[:2] in self.number_starts]
        return self.numbered(keys) if keys else {}

    def _titled(self, keys: list[str]) -> dict[str, list[Document]]:
        keys = [key for key in dict.fromkeys(keys) if key[:2] in self.title_starts]
        return self.titled(keys) if keys else {}

    def document(self, doc_number: str) -> Document | None:
        """The indexed document with this 文号 (any brackets, spaces, leading zeros), else None."""
        key = doc_number_key(doc_number)
        return self._numbered([key]).get(key)

    def resolve(self, text: str) -> Found | None:
        """What `text` refers to, when the whole of it is a reference; None when it is not one."""
        folded = fold_for_parsing(text).translate(_FOLD_BRACKETS).strip()
        title, rest = _enclosed(folded, "《", "》")
        rest = rest.strip()
        number = _NUMBER.search(rest) if "号" in rest else None
        if number:
            found = self._by_number(number, title, rest)
            # a title may quote another 文号 (关于废止泸发〔2019〕3号文件的通知): then it is read as a title
            if found or title is not None:
                return found
        elif title is not None:
            return self._after_title(title, rest)
        return self._by_plain_number(folded) or self._by_plain_title(folded)

    def _after_title(self, title: str, rest: str) -> Found | None:
        """`《标题》（文号）…` with a 文号 of any family (`渝府令第121号`, `(78)交公路字412号`), or `《标题》…`."""
        inner, after = _enclosed(rest, "（", "）")
        doc = self.document(inner) if inner else None
        if doc is not None:
            return self._in_documents([doc], after)
        path = after if inner is not None and parse_path(rest) is None else rest
        return self._in_documents(self._titled([title_key(title)]).get(title_key(title), []), path)

    def _by_number(self, m: re.Match, title: str | None, rest: str) -> Found | None:
        """A reference with a 文号: its issuer's abbreviation is the longest tail of the words before the
        bracketed year that makes an indexed 文号; words left in front must be the document's title."""
        path, before, prefix = rest[m.end():], rest[:m.start()], m["prefix"]
        if path.strip() and parse_path(path) is None:
            return None
        keys = [doc_number_key(prefix[cut:] + m["core"]) for cut in range(len(prefix))]
        found = self._numbered(keys)
        for cut, key in enumerate(keys):
            doc = found.get(key)
            if doc is not None:
                head = compact_reference(before + prefix[:cut])
                if head and (title is not None or doc not in self._titled([title_key(head)]).get(title_key(head), [])):
                    return None
                return self._in_documents([doc], path)
        if before.strip():
            return None
        by_title = self._titled([title_key(title)]).get(title_key(title)) if title else None
        if by_title:
            return self._in_documents(by_title, path)
        key = doc_number_key(normalize_doc_number(m["number"]) or m["number"])
        return Found(path=" ".join(path.split()), missing=key, citing=self.citing_documents(key))

    def _by_plain_number(self, folded: str) -> Found | None:
        """`文号` or `文号第一条` for a 文号 of any family: the longest start of the text that is an indexed 文号."""
        kept, compact = _compact(folded)
        key = compact.translate(_KEY_BRACKETS)
        if key[:2] not in self.number_starts:
            return None
        ends = range(min(len(key), self.longest_number), 1, -1)
        found = self._numbered([key[:end] for end in ends])
        for end in ends:
            doc = found.get(key[:end])
            if doc is not None:
                return self._in_documents([doc], folded[kept[end]:] if end < len(kept) else "")
        return None

    def _by_plain_title(self, folded: str) -> Found | None:
        """`标题` or `标题第五部分`: the longest start of the text that is an indexed title, the rest a path."""
        if title_key(folded[:8])[:2] not in self.title_starts:
            return None
        kept, compact = _compact(folded, BOOK_MARKS)
        ends = range(min(len(compact), self.longest_title), 1, -1)
        found = self._titled([compact[:end] for end in ends])
        for end in ends:
            docs = found.get(compact[:end])
            path = folded[kept[end]:] if end < len(kept) else ""
            if docs and (not path or parse_path(path)):
                return self._in_documents(docs, path)
        return None

    def _in_documents(self, docs: list[Document], path: str) -> Found | None:
        """The first of `docs` (newest first) that has the clause `path` names; the first one if none has."""
        path = " ".join(path.split())
        steps: list[Step] | None = parse_path(path) if path else None
        if not docs or (path and steps is None):
            return None
        for doc in docs:
            clause = find_clause(doc.clauses, steps) if steps else None
            if clause is not None or not steps:
                return Found(doc=doc, clause=clause, path=path)
        return Found(doc=docs[0], path=path)


class References(Resolver):
    """The documents of one index generation in memory, by 文号 key and by title, and who cites which 文号.

    What the tables keep of a document is given with it (`add`): the document itself, or what a
    subclass turns back into it when asked (`index.arrays` keeps a document's place, not its metadata).
    """

    def __init__(self, documents: Iterable[Document] = ()):
        self.by_number: dict[str, Document] = {}
        self.by_title: dict[str, list[Document]] = {}
        self.citing: dict[str, list[Document]] = {}
        for doc in documents:
            self.add(doc, doc)
        self.bound()

    def add(self, doc: Document, kept) -> None:
        """Index `doc`, newest first (a 文号 held twice names the first document added); look-ups give `kept`."""
        if doc.doc_number:
            self.by_number.setdefault(doc_number_key(doc.doc_number), kept)
        for title in title_keys(doc):
            self.by_title.setdefault(title, []).append(kept)
        for key in cited_keys(doc):
            self.citing.setdefault(key, []).append(kept)

    def bound(self) -> None:
        """Set the look-up bounds (`Resolver`) from the keys added."""
        self.title_starts = {title[:2] for title in self.by_title}
        self.longest_title = max(map(len, self.by_title), default=0)
        self.number_starts = {key[:2] for key in self.by_number}
        self.longest_number = max(map(len, self.by_number), default=0)

    def numbered(self, keys: list[str]) -> dict[str, Document]:
        return {key: self.by_number[key] for key in keys if key in self.by_number}

    def titled(self, keys: list[str]) -> dict[str, list[Document]]:
        return {key: self.by_title[key] for key in keys if key in self.by_title}

    def citing_documents(self, key: str) -> list[Document]:
        return self.citing.get(key, [])


def title_keys(doc: Document) -> list[str]:
    """The keys a document is found by title with: its title's and its issued title's."""
    return list(dict.fromkeys(title_key(t) for t in (doc.title, doc.issued_title) if t))


def cited_keys(doc: Document) -> list[str]:
    """The 文号 keys the document cites, each once."""
    return list(dict.fromkeys(doc_number_key(c.doc_number) for c in doc.cites if c.doc_number))


def split_citation(text: str) -> tuple[str, str] | None:
    """(文号 in comparison form, the rest as typed) when `text` starts with a 文号, else None.

    >>> split_citation("泸发[2021]24号 第18项"), split_citation("泸发（2021）024号二、（一）")
    (('泸发〔2021〕24号', '第18项'), ('泸发〔2021〕24号', '二、（一）'))
    >>> split_citation("清廉学校") is None, split_citation("县财政局 泸发〔2021〕24号") is None
    (True, True)
    """
    # Folding keeps offsets, so the rest is cut from the text as typed.
    m = _NUMBER.match(fold_for_parsing(text).translate(_FOLD_BRACKETS))
    return (doc_number_key(m["number"]), text[m.end():].strip()) if m else None
