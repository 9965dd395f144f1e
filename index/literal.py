"""Literal matching: the search units whose compacted text contains a string, whatever jieba's word boundaries.

A term that is one character pair is exactly the postings of that pair in the `grams` field. A
longer term's candidates are the postings of its rarest pair, checked against the unit's
compacted text (folded, line wraps removed: `tokenizer.compact_text`); a one-character term, or
one whose rarest pair is in more than `SCAN_FRACTION` of the units, is looked for in every unit
instead. The compacted texts are one mapped array of UTF-16 code units with each unit's start
(`index.arrays`), shared by every serving process: a unit's text is a slice of it. Looking in
every unit is a few numpy comparisons over the whole array (a match of code units is a match
of characters: UTF-16 never starts a character inside another); checking candidates copies
their slices end to end and looks in that the same way. The result is a set of docnums as a
Python integer bitset (`index.bits`). Measured at 100,000 units (16.5 million code units, a
loaded machine): looking in every unit costs 18 ms (0.17 µs a unit), checking candidates 0.8 µs
a candidate, decoding their postings included (`乡村振兴`: 14,700 candidates, 12 ms).

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
>>> bits.to_ids(snapshot.literals.bits("。二")), bits.to_ids(snapshot.literals.bits("总则"))
([], [])
"""

from __future__ import annotations

import gc
from contextlib import contextmanager

import numpy as np

from index import bits
from index.cache import LRUCache
from index.postings import postings
from tokenizer import compact_text, ngram_analyzer

SCAN_FRACTION = 0.125  # where checking candidates starts to cost more than looking in every unit (measured at 1M)
CACHE_SIZE = 512
_SCAN_CHUNK = 1 << 20
CACHE_BYTES = 32 * 2**20  # the bitsets kept: 268 of 1,000,000 units


class Literals:
    """Literal matching over one generation: `codes[at[n]:at[n + 1]]` is docnum n's compacted text in UTF-16."""

    def __init__(self, reader, codes, at, all_bits: int, live: int):
        self.reader = reader
        self.codes, self.at = codes, at
        self.data = memoryview(codes).cast("B")
        self.all_bits = all_bits
        self.live = live
        self.size = len(at) - 1
        self._grams = ngram_analyzer()
        self._cache = LRUCache(CACHE_SIZE, budget=CACHE_BYTES)

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
            self._cache.put(key, cached, cost=bits.size(cached))
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
        candidates = postings(self.reader, "grams", rarest).ids
        if grams != [key]:
            candidates = self._containing(key, candidates)
        return bits.from_ids(candidates, self.size)

    def _containing(self, key: str, units: np.ndarray) -> np.ndarray:
        """Those of `units` (docnums ascending) whose compacted text contains `key`: their texts are copied
        end to end (one C join of mapped slices) and searched by numpy as one array."""
        starts, ends = self.at[units], self.at[units + 1]
        with _no_collection():  # a slice object per unit: collections would walk every object, again and again
            joined = b"".join(map(self.data.__getitem__, map(slice, (2 * starts).tolist(), (2 * ends).tolist())))
        return units[_holding(np.frombuffer(joined, dtype="<u2"), np.cumsum(ends - starts), key)]

    def _scan(self, key: str) -> int:
        """Units whose compacted text contains `key`, looked for in every unit (numpy over the whole array)."""
        return bits.from_ids(_holding(self.codes, self.at[1:], key), self.size)


@contextmanager
def _no_collection():
    """No cyclic garbage collection inside (it is left as it was after).

    Making a short-lived object per unit (acyclic) triggers collections that each walk every
    object of the process: measured at 1,000,000 units, 147,000 slices took 124 ms with them, 39 ms without.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _holding(codes: np.ndarray, ends: np.ndarray, key: str) -> np.ndarray:
    """Which of the texts laid end to end in `codes` (text i ends at `ends[i]`) contain `key`: their places, ascending.

    >>> _holding(np.frombuffer("甲乙乙丙丙甲".encode("utf-16-le"), dtype="<u2"), np.array([2, 4, 6]), "乙丙").tolist()
    [1]
    """
    pattern = np.frombuffer(key.encode("utf-16-le"), dtype="<u2")
    found = occurrences(codes, pattern)
    places = np.searchsorted(ends, found, side="right")
    # Not across the end of a text into the next one.
    return _distinct(places[found + len(pattern) <= ends[np.minimum(places, len(ends) - 1)]])


class Texts:
    """Short texts (one per document: its folded title…), laid end to end in one UTF-16 array and searched for
    a string at once by numpy (`_holding`): half the memory of a Python string each, no loop over them.

    >>> texts = Texts(["关于乡村振兴的通知", "", "振兴"])
    >>> texts.holding("振兴").tolist(), texts.holding("").tolist(), len(texts)
    ([0, 2], [0, 1, 2], 3)
    """

    def __init__(self, texts: list[str]):
        encoded = [text.encode("utf-16-le") for text in texts]
        self.codes = np.frombuffer(b"".join(encoded), dtype="<u2")
        self.ends = np.cumsum([len(e) // 2 for e in encoded], dtype=np.int64)

    def __len__(self) -> int:
        return len(self.ends)

    def holding(self, key: str) -> np.ndarray:
        """The places of the texts containing `key`, ascending."""
        return _holding(self.codes, self.ends, key) if key else np.arange(len(self))


class Headings:
    """The units whose headings (`index.arrays`: each unit's own and its ancestors', folded, one NUL-separated
    UTF-8 blob, mapped) contain a word, found by numpy over the blob: a UTF-8 match of a whole word is a
    match of its characters, and no word spans a NUL. Costs one pass over the blob per word (1 MB and
    about a millisecond at 1,000,000 units without headings), instead of a string per unit in every process.

    >>> headings = Headings(np.frombuffer("总则\\0\\0第二章 总则".encode(), dtype=np.uint8))
    >>> headings.holding("总则").tolist(), headings.holding("二章").tolist(), headings.holding("分则").tolist()
    ([0, 2], [2], [])
    """

    def __init__(self, blob: np.ndarray):
        self.blob = blob
        ends = np.flatnonzero(blob == 0)
        self.ends = ends.astype(np.int32) if len(blob) < 2**31 else ends

    def holding(self, word: str) -> np.ndarray:
        """The docnums whose headings contain `word`, ascending."""
        if not word:
            return np.arange(len(self.ends))
        if "\0" in word:
            return np.zeros(0, dtype=np.int64)
        starts = occurrences(self.blob, np.frombuffer(word.encode(), dtype=np.uint8))
        return _distinct(np.searchsorted(self.ends, starts))


def _distinct(ascending: np.ndarray) -> np.ndarray:
    """The distinct values of an ascending array (`numpy.unique` without its sort or hash).

    >>> _distinct(np.array([1, 1, 4, 7, 7])).tolist()
    [1, 4, 7]
    """
    return ascending[np.concatenate(([True], ascending[1:] != ascending[:-1]))] if len(ascending) else ascending


def occurrences(codes: np.ndarray, pattern: np.ndarray) -> np.ndarray:
    """Where the non-empty `pattern` starts in `codes` (arrays of one dtype), ascending.

    Looked for a chunk of `_SCAN_CHUNK` items at a time, so each comparison's flags stay in the
    processor's cache: at 1,000,000 units (166 million code units) 206 ms in one pass, 126 ms in chunks.

    >>> occurrences(np.array([1, 2, 1, 2, 3]), np.array([1, 2])).tolist()
    [0, 2]
    """
    k, total = len(pattern), len(codes)
    found = [np.zeros(0, dtype=np.int64)]
    for start in range(0, total - k + 1, _SCAN_CHUNK):
        at = np.flatnonzero(codes[start:min(total - k + 1, start + _SCAN_CHUNK)] == pattern[0]) + start
        for i in range(1, k):
            at = at[codes[at + i] == pattern[i]]
        found.append(at)
    return np.concatenate(found)
