"""A generation's serving files (`index.arrays`), mapped read-only: per docnum and per document what
searches and pages read, without parsing a document until a page shows it.

Every serving process maps the same files, so the page cache holds one copy for all of them:
arrays by `numpy.load(mmap_mode="r")`, each blob (`_Blob`) of its segments' files side by side in
one range of addresses.

`load` returns None when the files are missing or belong to another commit (the moment between
an add's commit and its `write`); `load_or_compute` then computes them from the index itself
into a temporary folder and maps those.

>>> import tempfile
>>> from corpus.model import Clause, Document
>>> from index.build import build_index
>>> doc = Document(id="d", title="关于试行的通知", doc_number="泸发〔2021〕1号", offices=[], doc_type="通知",
...                date="2021-01-02", text="", source="",
...                clauses=[Clause(id="d/1", label="一、", path=["一、"], text="一、总　则。")])
>>> folder = tempfile.mkdtemp()
>>> build_index([doc], f"{folder}/index", progress=False)
>>> served = load(Path(f"{folder}/index").resolve(), generation=1)
>>> [(served.unit(n).id, served.folded[n]) for n in served.date_order]
[('d/导语', '关于试行的通知泸发〔2021〕1号'), ('d/1', '一、总则。')]
>>> served.date_order.tolist(), served.docnums["d/1"], type(served.date_order).__name__
([1, 2], 2, 'memmap')
"""

from __future__ import annotations

import ctypes
import json
import mmap
import os
import re
import shutil
import tempfile
import weakref
from bisect import bisect_left
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from corpus.docnumber import doc_number_key
from corpus.model import Clause, Document
from index.arrays import _ARRAYS, _BLOBS, _PIECE_BLOBS, FORMAT, PIECE, _paths, _piece_paths, _starts, compute
from index.citation import References
from index.literal import Texts
from tokenizer import compact_text

_PARSED_DOCUMENTS = 256
_PARSED_METADATA = 4096
_FACET_CHUNK_BYTES = 8 * 2**20  # the rows ANDed at once when counting
_SEPARATORS = re.compile(r"[\s,]*")


class _Blob:
    """Files' bytes, mapped read-only side by side, each at a page boundary (`_starts`): one array of bytes.

    One file is mapped by numpy; several are mapped into one reserved range of addresses, each with
    `MAP_FIXED` (there is no other way to map files contiguously), and unmapped with the array.
    """

    def __init__(self, paths: list[Path]):
        sizes = [path.stat().st_size for path in paths]
        if not any(sizes):
            self.data = np.zeros(0, dtype=np.uint8)
        elif len(paths) == 1:
            self.data = np.memmap(paths[0], dtype=np.uint8, mode="r")
        else:
            self.data = _side_by_side(paths, _starts(sizes))

    def bytes(self, start: int, end: int) -> bytes:
        return self.data[start:end].tobytes()


_libc = ctypes.CDLL(None, use_errno=True)
_libc.mmap.restype = ctypes.c_void_p
_libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_long]
_libc.munmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t]
_MAP_FIXED = 0x10  # Linux's value; Python's mmap module does not name it


def _side_by_side(paths: list[Path], starts: list[int]) -> np.ndarray:
    """The files mapped read-only at `starts` of one range of addresses (the gaps read as zeros)."""
    total = starts[-1]
    base = _libc.mmap(None, total, mmap.PROT_READ, mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS, -1, 0)
    if base is None or base == ctypes.c_void_p(-1).value:
        raise OSError(ctypes.get_errno(), "mmap")
    buffer = (ctypes.c_char * total).from_address(base)
    weakref.finalize(buffer, _libc.munmap, base, total)
    for path, start, end in zip(paths, starts, starts[1:], strict=False):
        if end > start:
            fd = os.open(path, os.O_RDONLY)
            try:
                at = _libc.mmap(base + start, end - start, mmap.PROT_READ, mmap.MAP_SHARED | _MAP_FIXED, fd, 0)
            finally:
                os.close(fd)
            if at != base + start:
                raise OSError(ctypes.get_errno(), f"mmap {path}")
    data = np.frombuffer(buffer, dtype=np.uint8)
    data.flags.writeable = False
    return data


@dataclass
class Served:
    """One generation's serving files, mapped; documents and units are parsed when asked for.

    `documents` (id → Document, newest first) and `units` (document id → its units) parse a
    document's line on demand, and so does `catalog` (document d's metadata); `unit(n)` is the unit
    of docnum n (None for a row that is no unit); `docnums` maps a unit id to its docnum.

    Opening reads the catalog one document at a time and keeps of each only what look-ups over
    every document need: its id, its date (成文, else 发布), its folded title and 文号 key, its lead
    unit and the folded title and 文号 that find it, and its keys in `references` (which keep its
    place, not its metadata). Measured on the bench's synthetic corpus at 1,000,000 clauses (40,000
    documents): holding every document's metadata cost a serving process about 120 MB of its own.
    """

    counts: dict
    arrays: dict
    blobs: dict
    catalog_path: Path
    facet_values: dict[str, list[str]]

    def __post_init__(self):
        self.size = self.counts["size"]
        self.live = self.counts["units"]
        self.date_rank, self.date_order = self.arrays["rank"], self.arrays["order"]
        self.documents = _Documents(self)
        self.units = _Units(self)
        self.docnums = _Docnums(self)
        self.folded = _Folded(self)
        self.parsed = lru_cache(maxsize=_PARSED_DOCUMENTS)(self._parse)
        self.references = _StoredReferences(self)
        self.doc_index: dict[str, int] = {}
        dates: list[str] = []
        titles: list[str] = []
        number_keys: list[str] = []
        leads: list[int] = []
        lead_titles: list[str] = []
        spans = []
        for d, (entry, start, end) in enumerate(_entries(self.catalog_path)):
            spans.append((start, end))
            doc = Document.from_dict(entry["doc"])
            self.doc_index[doc.id] = d
            dates.append(doc.date or doc.publish_date or "")
            titles.append(compact_text(doc.title))
            number_keys.append(doc_number_key(doc.doc_number or ""))
            if entry["docnum"] >= 0:
                leads.append(entry["docnum"])
                lead_titles.append(entry["lead_title"])
            self.references.add(doc, d)
        self.references.bound()
        # Per document its date ("" for none), as one array of fixed-width strings.
        self.dates = np.array(dates, dtype=str)
        # Per document its folded title and its 文号 key (what 标题: and 文号: terms match); per document with a
        # lead unit (导语) that unit's docnum and the folded title and 文号 that find it.
        self.titles, self.number_keys, self.lead_titles = Texts(titles), Texts(number_keys), Texts(lead_titles)
        self.leads = np.array(leads, dtype=np.int64)
        self.catalog = _Catalog(_Blob([self.catalog_path]), np.array(spans, dtype=np.int64).reshape(-1, 2))

    def _parse(self, d: int) -> tuple[Document, list[Clause]]:
        start, end = self.arrays["docs_at"][d].tolist()
        entry = json.loads(self.blobs["docs"].bytes(start, end))
        doc = Document.from_dict(entry["doc"])
        return doc, [doc.clauses[u] if isinstance(u, int) else _passage(u) for u in entry["units"]]

    def unit(self, n: int) -> Clause | None:
        """The unit of docnum `n`, parsed from its own JSON (None for a row that is no unit)."""
        if self.arrays["unit_doc"][n] < 0:
            return None
        at = self.arrays["unit_json_at"]
        return Clause.from_dict(json.loads(self.blobs["unit_json"].bytes(int(at[n]), int(at[n + 1]))))

    def unit_id(self, n: int) -> str:
        at = self.arrays["ids_at"]
        return self.blobs["ids"].bytes(int(at[n]), int(at[n + 1])).decode()

    def facet_bits(self) -> dict[str, FacetRows]:
        """Per facet, per value, the bitset of the live units holding it (read from its mapped row when asked for)."""
        found, start = {}, 0
        for name, values in self.facet_values.items():
            found[name] = FacetRows(self.arrays["facet_bits"][start:start + len(values)], values)
            start += len(values)
        return found

    def doc_docnums(self, d: int) -> list[int]:
        """The docnums of document `d`'s units, in document order."""
        at = self.arrays["doc_units_at"]
        return self.arrays["doc_units"][int(at[d]):int(at[d + 1])].tolist()


class FacetRows(Mapping):
    """One facet's values → the bitset of the units holding each, read from the value's packed row (mapped, shared
    by every serving process) when asked for; `counts` counts every value's units within a set by numpy.

    >>> rows = np.packbits(np.array([[1, 0, 1, 1], [0, 1, 0, 0]], dtype=bool), axis=1, bitorder="little")
    >>> facet = FacetRows(rows, ["甲", "乙"])
    >>> facet["甲"], facet.get("丙", 0), facet.counts(0b0110)
    (13, 0, {'甲': 1, '乙': 1})
    """

    def __init__(self, rows: np.ndarray, values: list[str]):
        self.rows = rows
        self.index = {value: i for i, value in enumerate(values)}

    def __getitem__(self, value: str) -> int:
        return int.from_bytes(self.rows[self.index[value]].tobytes(), "little")

    def __contains__(self, value) -> bool:
        return value in self.index

    def __iter__(self) -> Iterator[str]:
        return iter(self.index)

    def __len__(self) -> int:
        return len(self.index)

    def counts(self, within: int) -> dict[str, int]:
        """Per value, how many of its units are in the set `within` (one AND and popcount per row, in chunks)."""
        if not len(self.rows):
            return {}
        width = self.rows.shape[1]
        mask = np.frombuffer(within.to_bytes(max(width, (within.bit_length() + 7) // 8), "little")[:width], dtype=np.uint8)
        chunk = max(1, _FACET_CHUNK_BYTES // max(1, width))
        found = np.concatenate([np.bitwise_count(self.rows[i:i + chunk] & mask).sum(axis=1, dtype=np.int64)
                                for i in range(0, len(self.rows), chunk)])
        return dict(zip(self.index, found.tolist(), strict=True))


class _Documents(Mapping):
    """Document id → the whole document, parsed from its line when asked for; newest first."""

    def __init__(self, served: Served):
        self.served = served

    def __getitem__(self, doc_id: str) -> Document:
        return self.served.parsed(self.served.doc_index[doc_id])[0]

    def __iter__(self) -> Iterator[str]:
        return iter(self.served.doc_index)

    def __len__(self) -> int:
        return len(self.served.doc_index)


class DocumentList(Sequence):
    """Every document, newest first, each parsed when it is read (`documents()[:10]` parses ten)."""

    def __init__(self, served: Served):
        self.served = served

    def __getitem__(self, d):
        if isinstance(d, slice):
            return [self[i] for i in range(*d.indices(len(self)))]
        return self.served.parsed(range(len(self))[d])[0]

    def __len__(self) -> int:
        return len(self.served.doc_index)


class _Units(_Documents):
    """Document id → its search units (clauses and passages) in document order."""

    def __getitem__(self, doc_id: str) -> list[Clause]:
        return self.served.parsed(self.served.doc_index[doc_id])[1]


class _Docnums(Mapping):
    """Unit id → docnum, by bisection over the docnums sorted by id."""

    def __init__(self, served: Served):
        self.served = served
        self.by_id = served.arrays["by_id"]

    def _keys(self) -> _SortedIds:
        return _SortedIds(self.served, self.by_id)

    def __getitem__(self, unit_id: str) -> int:
        i = bisect_left(self._keys(), unit_id)
        if i < len(self.by_id) and self.served.unit_id(int(self.by_id[i])) == unit_id:
            return int(self.by_id[i])
        raise KeyError(unit_id)

    def __iter__(self) -> Iterator[str]:
        return (self.served.unit_id(int(n)) for n in self.by_id)

    def __len__(self) -> int:
        return len(self.by_id)

    def values(self):
        return self.by_id.tolist()


class _SortedIds(Sequence):
    def __init__(self, served: Served, by_id):
        self.served, self.by_id = served, by_id

    def __getitem__(self, i):
        return self.served.unit_id(int(self.by_id[i]))

    def __len__(self) -> int:
        return len(self.by_id)


class _Folded(Sequence):
    """Docnum → its compacted text (decoded from the mapped UTF-16 array when asked for)."""

    def __init__(self, served: Served):
        self.codes, self.at = served.arrays["folded"], served.arrays["folded_at"]

    def __getitem__(self, n):
        if isinstance(n, slice):
            return [self[i] for i in range(*n.indices(len(self)))]
        return self.codes[int(self.at[n]):int(self.at[n + 1])].tobytes().decode("utf-16-le")

    def __len__(self) -> int:
        return len(self.at) - 1


def _passage(data) -> Clause:
    return Clause(id=data["id"], label=data["label"], path=data["path"], text=data["text"])


def load(folder: Path, generation: int) -> Served | None:
    """The serving files of Whoosh's commit `generation` (`reader.generation()`), or None if there are none."""
    paths = _paths(folder, generation)
    try:
        counts = json.loads(paths["json"].read_text())
        if counts.get("format") != FORMAT:
            return None
        arrays = {name: np.load(paths[name], mmap_mode="r", allow_pickle=False) for name in _ARRAYS}
        pieces = [_piece_paths(folder, segid) for segid in counts["segments"]]
        blobs = {name: _Blob([piece[name] for piece in pieces]) for name in _PIECE_BLOBS}
        blobs.update((name, _Blob([paths[name]])) for name in _BLOBS)
        arrays["folded"] = blobs["folded"].data.view("<u2")
        facet_values = json.loads(paths["facets"].read_text("utf-8"))
        if len(arrays["unit_doc"]) != counts["size"]:
            return None
        served = Served(counts, arrays, blobs, paths["catalog"], facet_values)
    except FileNotFoundError:
        return None
    return served if len(served.catalog) == counts["documents"] else None


def _entries(path: Path) -> Iterator[tuple[dict, int, int]]:
    """The entries of a catalog (a JSON list), decoded one at a time (what an entry holds is freed before the
    next), each with where its JSON starts and ends in the file (bytes).

    >>> path = Path(tempfile.mkdtemp()) / "catalog"
    >>> _ = path.write_text(json.dumps([{"a": "甲"}, {"b": 2}], ensure_ascii=False), "utf-8")
    >>> [(entry, path.read_bytes()[start:end].decode()) for entry, start, end in _entries(path)]
    [({'a': '甲'}, '{"a": "甲"}'), ({'b': 2}, '{"b": 2}')]
    """
    text = path.read_text("utf-8")
    decoder, at = json.JSONDecoder(), text.index("[") + 1
    done = position = 0  # characters and bytes read
    while True:
        at = _SEPARATORS.match(text, at).end()
        if text[at] == "]":
            return
        entry, end = decoder.raw_decode(text, at)
        start = position + len(text[done:at].encode())
        position, done = start + len(text[at:end].encode()), end
        yield entry, start, position
        at = end


class _Catalog(Sequence):
    """Document d's metadata (no text, no clauses), parsed from its catalog entry when asked for."""

    def __init__(self, blob: _Blob, spans: np.ndarray):
        self.blob, self.spans = blob, spans
        self.parsed = lru_cache(maxsize=_PARSED_METADATA)(self._parse)

    def _parse(self, d: int) -> Document:
        start, end = self.spans[d].tolist()
        return Document.from_dict(json.loads(self.blob.bytes(start, end))["doc"])

    def __getitem__(self, d):
        if isinstance(d, slice):
            return [self[i] for i in range(*d.indices(len(self)))]
        return self.parsed(range(len(self))[d])

    def __len__(self) -> int:
        return len(self.spans)


class _StoredReferences(References):
    """References over the catalog, keeping each document's place: a document a reference names is parsed
    whole from its line when asked for (`Served.parsed`), one citing a 文号 is its metadata (`Served.catalog`)."""

    def __init__(self, served: Served):
        super().__init__()
        self.served = served

    def _document(self, d: int) -> Document:
        return self.served.parsed(d)[0]

    def numbered(self, keys: list[str]) -> dict[str, Document]:
        return {key: self._document(d) for key, d in super().numbered(keys).items()}

    def titled(self, keys: list[str]) -> dict[str, list[Document]]:
        return {key: list(map(self._document, ds)) for key, ds in super().titled(keys).items()}

    def citing_documents(self, key: str) -> list[Document]:
        return [self.served.catalog[d] for d in super().citing_documents(key)]


def load_or_compute(folder: Path, reader) -> Served:
    """The generation's serving files, computed from the index into a temporary folder if it has none.

    The segments' rows already written in `folder` are used as they are (linked): between an add's
    commit and its `write`, only the add's own segment is read.
    """
    served = load(folder, reader.generation())
    if served is not None:
        return served
    target = Path(tempfile.mkdtemp(prefix="gongwen-serving-"))
    try:
        for path in folder.glob(f"{PIECE}*"):
            if ".tmp-" not in path.name:
                (target / path.name).symlink_to(path)
        return load(target, compute(reader, target))
    finally:
        shutil.rmtree(target, ignore_errors=True)  # the mapped files stay readable until they are unmapped
