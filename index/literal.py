"""Literal matching: the search units whose compacted text contains a string, whatever jieba's word boundaries.

A term that is one character pair is exactly the postings of that pair in the `grams` field. A
longer term's candidates are the postings of its rarest pair, checked against the unit's
compacted text (folded, line wraps removed: `tokenizer.compact_text`); a one-character term, or
one whose rarest pair is in more than `SCAN_FRACTION` of the units, is looked for in every unit
instead. The result is a set of docnums as a Python integer bitset (`index.bits`); the loops
over postings or units are `map`/`compress` chains, so no Python bytecode runs per unit.

>>> import tempfile
>>> from pathlib import Path
>>> from corpus.model import Clause, Document
>>> from index.build import build_index
>>> from index.search import Snapshot
>>> doc = Document(id="d", title="关于试行的通知", doc_number=None, offices=[], doc_type="通知",
...                date="2021-01-02", text="", source="",
...                clauses=[Clause(id="d/1", label="一、", path=["一、"], text="一、建设清廉学校。"),
...                         Clause(id="d/2", label="二、", path=["二、"], text="二、清廉　医院。")])
>>> folder = tempfile.mkdtemp()
>>> build_index([doc], f"{folder}/index", progress=False)
>>> snapshot = Snapshot(Path(f"{folder}/index").resolve())
>>> [snapshot.clause_at[n].id for n in bits.to_ids(snapshot.literals.bits("廉学"))]
['d/1']
>>> [snapshot.clause_at[n].id for n in bits.to_ids(snapshot.literals.bits("廉"))]
['d/1', 'd/2']
"""

from __future__ import annotations

from itertools import compress, repeat
from operator import contains

from index import bits
from index.cache import LRUCache
from index.postings import term_postings
from tokenizer import compact_text, ngram_analyzer

SCAN_FRACTION = 0.125
CACHE_SIZE = 512


class Literals:
    """Literal matching over one generation: `folded` is each docnum's compacted text ("" for none)."""

    def __init__(self, reader, folded: list[str], all_bits: int, live: int):
        self.reader = reader
        self.folded = folded
        self.all_bits = all_bits
        self.live = live
        self.size = len(folded)
        self._grams = ngram_analyzer()
        self._cache = LRUCache(CACHE_SIZE)

    def clear(self) -> None:
        self._cache.clear()

    def bits(self, text: str) -> int:
        """Units whose compacted text (`tokenizer.compact_text`) contains the compacted `text`."""
        key = compact_text(text).strip()
        if not key:
            return self.all_bits
        cached = self._cache.get(key)
        if cached is None:
            cached = self._set(key) & self.all_bits
            self._cache.put(key, cached)
        return cached

    def _set(self, key: str) -> int:
        grams = list(dict.fromkeys(t.text for t in self._grams(key, mode="query")))
        if not grams:
            return self._scan(key)
        frequency = {g: self.reader.doc_frequency("grams", g) for g in grams}
        rarest = min(grams, key=frequency.__getitem__)
        if frequency[rarest] == 0:
            return 0
        if grams != [key] and frequency[rarest] > self.live * SCAN_FRACTION:
            # Decoding a long posting list and checking each candidate costs more than looking in every unit.
            return self._scan(key)
        candidates = term_postings(self.reader, "grams", rarest)[0]
        if grams != [key]:
            texts = map(self.folded.__getitem__, candidates)
            candidates = compress(candidates, map(contains, texts, repeat(key)))
        return bits.from_ids(candidates, self.size)

    def _scan(self, key: str) -> int:
        """Units whose compacted text contains `key`, looked for in every unit (the loop runs in C)."""
        return bits.from_flags(map(contains, self.folded, repeat(key)))
