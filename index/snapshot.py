"""One generation of the index, opened for searching: its Whoosh searcher, what serving needs per docnum, caches.

Opening a generation maps the serving files prepared at build time (`index.arrays`) and derives
from them what searches read per docnum (the unit and its document, its compacted text, its
date rank and headings) and per document (its units, their docnums); the facets' bitsets are
read from the facet fields' postings once. `index.search.Snapshot` answers queries on it.

>>> import tempfile
>>> from corpus.model import Clause, Document
>>> from index.build import build_index
>>> doc = Document(id="d", title="关于试行的通知", doc_number="泸发〔2021〕1号", offices=[], doc_type="通知",
...                date="2021-01-02", text="", source="",
...                clauses=[Clause(id="d/1", label="一、", path=["一、"], text="一、总　则。", heading="总则")])
>>> folder = tempfile.mkdtemp()
>>> build_index([doc], f"{folder}/index", progress=False)
>>> generation = Generation(Path(f"{folder}/index").resolve())
>>> [(generation.clause_at[n].id, generation.headings[n]) for n in generation.date_order]
[('d/导语', ''), ('d/1', '总则')]
>>> generation.literals.bits("总则") == 1 << generation.docnums["d/1"]
True
"""

from __future__ import annotations

import threading
from pathlib import Path

from whoosh import index as whoosh_index

from corpus.model import Clause, Document
from index import arrays, unit_facet
from index import bits as bitset
from index.cache import LRUCache
from index.citation import References
from index.facets import FACETS
from index.literal import Literals
from index.passages import LEAD, is_bare_heading, is_passage
from index.postings import term_postings
from index.storage import BUILT_AT_FILE
from tokenizer import compact_text, ngram_analyzer

CACHE_SIZE = 512
# A very common word's scores take a few MB (lists of 35,000 ints and floats at 100k clauses).
WORD_CACHE_SIZE = 128
PAGE_CACHE_SIZE = 64


class Generation:
    """One generation of the index, opened once: a Whoosh searcher plus per-docnum arrays and caches."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.ix = whoosh_index.open_dir(str(folder))
        self.searcher = self.ix.searcher()
        self.lock = threading.Lock()
        self.closed = False
        self._grams = ngram_analyzer()
        self._words = self.ix.schema["body"].analyzer
        self._literals = LRUCache(CACHE_SIZE)
        self._words_cache = LRUCache(WORD_CACHE_SIZE)
        self._pages = LRUCache(PAGE_CACHE_SIZE)
        built = folder / BUILT_AT_FILE
        self.built_at = built.read_text().strip() if built.exists() else None
        self.reader = self.searcher.reader()
        self._load(self.reader)
        self.query_words("")  # loads jieba and the index's dictionary now, not on the first search

    def clear_caches(self) -> None:
        self.literals.clear()
        self._literals.clear()
        self._words_cache.clear()
        self._pages.clear()

    def close(self) -> None:
        self.closed = True
        self.searcher.close()

    def _load(self, reader) -> None:
        self.size = size = reader.doc_count_all()
        # Prepared at build time (`index.arrays`); computed from the stored rows if the files are missing or stale.
        prepared = arrays.load(self.folder, reader.generation()) or arrays.compute(reader)
        # Search units: numbered clauses and passages (the text outside them), in document order.
        self.documents, self.units = prepared.documents, prepared.units
        self.clauses: dict[str, tuple[Document, Clause]] = {
            clause.id: (doc, clause) for doc in self.documents.values() for clause in self.units[doc.id]
        }
        self.doc_at: list[Document | None] = [doc for doc, _ in prepared.unit_at]
        self.clause_at: list[Clause | None] = [clause for _, clause in prepared.unit_at]
        self.folded: list[str] = prepared.folded
        # Read in place from the mapped files: one copy for every serving process.
        self.date_rank, self.date_order = prepared.date_rank, prepared.date_order
        self.docnums: dict[str, int] = {clause.id: n for n, clause in enumerate(self.clause_at) if clause is not None}
        doc_members: dict[str, list[int]] = {}
        for docnum, doc in enumerate(self.doc_at):
            if doc is not None:
                doc_members.setdefault(doc.id, []).append(docnum)
        self.all_bits = bitset.from_ids(self.docnums.values(), size)
        self.nbytes = (size + 7) // 8
        self.literals = Literals(reader, self.folded, self.all_bits, len(self.docnums))
        self.doc_bits = {doc_id: bitset.from_ids(ids, size) for doc_id, ids in doc_members.items()}
        self.references = References(self.documents.values())
        self.dated = sorted((d.date or d.publish_date, n) for n, d in enumerate(self.doc_at)
                            if d is not None and (d.date or d.publish_date))
        self.facet_bits = {f.name: self._field_bits(reader, f.name) for f in FACETS}
        for f in FACETS:
            if f.scoped:
                self.facet_bits[f.name] = unit_facet.unit_bits(self.facet_bits[f.name], self.clause_at, size)
        self._load_units()

    def _load_units(self) -> None:
        """Per docnum: the folded headings (its own and its ancestors') and whether it is a bare heading
        with units under it; per document: its lead and the folded title and 文号 it is found by."""
        self.headings = [""] * self.size
        self.bare_heading = [False] * self.size
        self.leads, self.lead_titles = [], []
        for doc in self.documents.values():
            parents = {tuple(c.path[:-1]) for c in doc.clauses}
            headings = {tuple(c.path): c.heading for c in doc.clauses if c.heading}
            for unit in self.units[doc.id]:
                docnum = self.docnums.get(unit.id)
                if docnum is None:
                    continue
                # The unit's own heading and those of the parts it is in (第二节 销售者的…义务 › 第三十三条).
                own = [headings.get(tuple(unit.path[:depth]), "") for depth in range(1, len(unit.path) + 1)]
                self.headings[docnum] = compact_text(" ".join(own))
                self.bare_heading[docnum] = tuple(unit.path) in parents and is_bare_heading(unit.text)
                if is_passage(unit) and unit.label == LEAD:
                    self.leads.append(docnum)
                    self.lead_titles.append(compact_text(f"{doc.title} {doc.doc_number or ''}"))

    def _field_bits(self, reader, field: str) -> dict[str, int]:
        if field not in reader.indexed_field_names():
            return {}
        return {value: bitset.from_ids(term_postings(reader, field, value)[0], self.size) & self.all_bits
                for value in reader.field_terms(field)}

    def query_grams(self, word: str) -> list[str]:
        """The character pairs of a word (the `grams` field's terms)."""
        return list(dict.fromkeys(t.text for t in self._grams(word, mode="query")))

    def query_words(self, text: str) -> list[str]:
        """The words of `text` as the index cut them (the index's jieba dictionary, no stop words)."""
        return [t.text for t in self._words(text, mode="query")]
