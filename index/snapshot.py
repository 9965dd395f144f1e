"""One generation of the index, opened for searching: its Whoosh searcher, what serving needs per docnum, caches.

Opening a generation maps the serving files prepared at build time (`index.arrays`): what
searches read per docnum (the unit and its document, its compacted text, length, date rank and
headings) and per facet value (its packed row of units) is read from the mapped arrays where it
lies, shared by every serving process; per document a serving process holds only what look-ups
over every document need (`index.served.Served`). Measured with the bench's synthetic corpus at
1,000,000 clauses (a loaded machine), a second serving process's own memory after the benchmark
queries: 398 MiB before this layout, 196 MiB with it, of which about 140 MiB are the imports and
jieba's dictionaries at any size. `index.search.Snapshot` answers queries on it.

>>> import tempfile
>>> from corpus.model import Clause, Document
>>> from index.build import build_index
>>> doc = Document(id="d", title="关于试行的通知", doc_number="泸发〔2021〕1号", offices=[], doc_type="通知",
...                date="2021-01-02", text="", source="",
...                clauses=[Clause(id="d/1", label="一、", path=["一、"], text="一、总　则。", heading="总则")])
>>> folder = tempfile.mkdtemp()
>>> build_index([doc], f"{folder}/index", progress=False)
>>> generation = Generation(Path(f"{folder}/index").resolve())
>>> [(generation.clause_at[n].id, n in generation.heading_units.holding("总则")) for n in generation.date_order]
[('d/导语', False), ('d/1', True)]
>>> generation.literals.bits("总则") == 1 << generation.docnums["d/1"]
True
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

import numpy as np
from whoosh import index as whoosh_index

from corpus.model import Clause, Document
from index import bits as bitset
from index import served as served_files
from index import whoosh_files
from index.cache import LRUCache
from index.literal import Headings, Literals
from index.storage import BUILT_AT_FILE
from tokenizer import ngram_analyzer

# Segment files are read where they are mapped: every serving process shares their pages.
whoosh_files.install()

DATE_CACHE_SIZE = 512  # date ranges (from, to) → their units
DATE_CACHE_BYTES = 16 * 2**20
# A very common word's scores take a few MB (350,000 docnums and scores at 1,000,000 clauses: 4 MB).
WORD_CACHE_SIZE = 128
WORD_CACHE_BYTES = 64 * 2**20
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
        self._dates = LRUCache(DATE_CACHE_SIZE, budget=DATE_CACHE_BYTES)
        self._words_cache = LRUCache(WORD_CACHE_SIZE, budget=WORD_CACHE_BYTES)
        self._pages = LRUCache(PAGE_CACHE_SIZE)
        built = folder / BUILT_AT_FILE
        self.built_at = built.read_text().strip() if built.exists() else None
        self.reader = self.searcher.reader()
        self._load(self.reader)
        self.query_words("")  # loads jieba and the index's dictionary now, not on the first search

    def clear_caches(self) -> None:
        self.literals.clear()
        self._dates.clear()
        self._words_cache.clear()
        self._pages.clear()

    def close(self) -> None:
        self.closed = True
        self.searcher.close()

    def _load(self, reader) -> None:
        self.size = size = reader.doc_count_all()
        # Prepared at build time (`index.arrays`) and mapped (`index.served`); computed from the stored rows if missing or stale.
        served = served_files.load_or_compute(self.folder, reader)
        self.served = served
        # Search units: numbered clauses and passages (the text outside them), in document order.
        # Documents and units are parsed when a page shows them; `catalog` is every document's metadata.
        self.documents, self.units, self.catalog = served.documents, served.units, served.catalog
        self.clauses = _Clauses(served)
        self.doc_at = _DocAt(served)
        self.clause_at = _ClauseAt(served)
        # Read in place from the mapped files: one copy for every serving process.
        self.date_rank, self.date_order = served.date_rank, served.date_order
        self.lengths = served.arrays["lengths"]
        self.docnums = served.docnums
        self.all_bits = bitset.from_ids(self.date_order, size)
        self.literals = Literals(reader, served.arrays["folded"], served.arrays["folded_at"], self.all_bits,
                                 served.live)
        self.doc_bits = _DocBits(served)
        self.references = served.references
        # The dated documents in date order (成文, else 发布), and their dates.
        order = np.argsort(served.dates, kind="stable")
        self.dated = order[served.dates[order] != ""]
        self.dated_on = served.dates[self.dated]
        self.facet_bits = served.facet_bits()
        self.heading_units = Headings(served.blobs["headings"].data)
        self.bare_heading = served.arrays["bare"]
        self.leads, self.lead_titles = served.leads, served.lead_titles

    def dated_bits(self, date_from: str | None, date_to: str | None) -> int:
        """The units of the documents dated (成文, else 发布) from `date_from` to `date_to` (ISO prefixes, inclusive)."""
        start = np.searchsorted(self.dated_on, date_from or "", side="left")
        end = np.searchsorted(self.dated_on, (date_to or "9999") + "\uffff", side="right")
        return self.documents_bits(self.dated[start:end])

    def documents_bits(self, chosen: Sequence[int] | np.ndarray) -> int:
        """The live units of the documents numbered `chosen` (their places in the catalog)."""
        flags = np.zeros(len(self.catalog) + 1, dtype=bool)  # the last one: rows that are no unit (-1)
        flags[np.asarray(chosen, dtype=np.int64)] = True
        return bitset.from_flags(flags[self.served.arrays["unit_doc"]])

    def query_grams(self, word: str) -> list[str]:
        """The character pairs of a word (the `grams` field's terms)."""
        return list(dict.fromkeys(t.text for t in self._grams(word, mode="query")))

    def query_words(self, text: str) -> list[str]:
        """The words of `text` as the index cut them (the index's jieba dictionary, no stop words)."""
        return [t.text for t in self._words(text, mode="query")]


class _DocAt(Sequence):
    """Docnum → its document's metadata (no text, no clauses), or None for a row that is no unit."""

    def __init__(self, served: served_files.Served):
        self.unit_doc, self.catalog = served.arrays["unit_doc"], served.catalog

    def __getitem__(self, n: int) -> Document | None:
        d = int(self.unit_doc[n])
        return self.catalog[d] if d >= 0 else None

    def __len__(self) -> int:
        return len(self.unit_doc)


class _ClauseAt(_DocAt):
    """Docnum → its unit (clause or passage), read from its own stored line, or None."""

    def __init__(self, served: served_files.Served):
        super().__init__(served)
        self.served = served

    def __getitem__(self, n: int) -> Clause | None:
        return self.served.unit(n)


class _Clauses(Mapping):
    """Unit id → (its whole document, the unit), parsed from the document's line."""

    def __init__(self, served: served_files.Served):
        self.served = served

    def __getitem__(self, unit_id: str) -> tuple[Document, Clause]:
        n = self.served.docnums[unit_id]
        d = int(self.served.arrays["unit_doc"][n])
        doc, units = self.served.parsed(d)
        return doc, units[int(self.served.arrays["unit_place"][n])]

    def __iter__(self) -> Iterator[str]:
        return iter(self.served.docnums)

    def __len__(self) -> int:
        return len(self.served.docnums)


class _DocBits(Mapping):
    """Document id → the bitset of its units (made when asked for: a document's bitset is as long as the index)."""

    def __init__(self, served: served_files.Served):
        self.served = served

    def __getitem__(self, doc_id: str) -> int:
        return bitset.from_ids(self.served.doc_docnums(self.served.doc_index[doc_id]), self.served.size)

    def __iter__(self) -> Iterator[str]:
        return iter(self.served.doc_index)

    def __len__(self) -> int:
        return len(self.served.catalog)
