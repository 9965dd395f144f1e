"""What serving needs of an index generation, prepared when it is written and mapped when it is opened.

Opening a generation must not read every stored document: a serving process maps files that a
build (and an add, after its commit) writes once beside Whoosh's files, named after Whoosh's
generation number N (`serving-N.<part>`), and reads a document or a unit only when a page
shows it. Arrays are `.npy` files mapped read-only (`numpy.load(mmap_mode="r")`), so every
serving process shares one copy through the page cache:

- per document, newest first: `catalog` (JSON: each document's metadata without its text and
  clauses, its lead unit's docnum and the folded title and 文号 it is found by), `docs` with
  `docs_at` (one JSON line per document, the whole document and its units, read by byte
  offset), `doc_units` with `doc_units_at` (the docnums of its units, in document order);
- per docnum: `unit_doc` (its document, -1 for a row that is no unit), `unit_place` (its place
  among its document's units), `unit_json` with `unit_json_at` (the unit as JSON, by byte
  offset), `ids` with `ids_at` and `by_id` (its id; the docnums sorted by id, for look-ups),
  `folded` with `folded_at` (its compacted text, `tokenizer.compact_text`, in UTF-16 code units:
  what literal matching compares), `lengths` (its length in characters), `headings` (its own and
  its ancestors' headings, folded, NUL-separated), `bare` (1 for a bare heading with units under
  it), `rank` (its date rank: newest document first, units in document order);
- `order` (the live docnums in date order);
- per facet value: `facets` (JSON: each facet's values, `index.facets`; the unit facet's are
  scoped by government when the units name more than one, `index.unit_facet`) and `facet_bits`
  (one row per value: the live units holding it, a packed bitset, lowest docnum first), and
  `keys` (JSON: per document, per unit, its unit facet values; an add copies them for the
  documents it leaves unchanged);
- `json`: the counts, written last: a generation's files are complete once it exists.

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

import hashlib
import json
import os
import re
import shutil
import tempfile
from bisect import bisect_left
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from whoosh import index as whoosh_index

from corpus.docnumber import doc_number_key
from corpus.model import Clause, Document
from corpus.units import unit_key
from index.citation import References
from index.facets import FACET, FACETS
from index.literal import Texts
from index.passages import LEAD, is_bare_heading, is_passage, units
from index.postings import term_postings
from tokenizer import compact_text

PREFIX = "serving-"
RANK_STRIDE = 1_000_000  # date rank = document rank * stride + the unit's place in its document
_ARRAYS = ("docs_at", "doc_units", "doc_units_at", "unit_doc", "unit_place", "unit_json_at", "ids_at", "by_id",
           "folded", "folded_at", "lengths", "bare", "rank", "order", "facet_bits")
_BLOBS = ("docs", "unit_json", "ids", "headings")
_JSON = ("catalog", "facets", "keys")
_PARSED_DOCUMENTS = 256
_PARSED_METADATA = 4096
_FACET_CHUNK_BYTES = 8 * 2**20  # the rows ANDed at once when counting
_SEPARATORS = re.compile(r"[\s,]*")


def newest_first(doc: Document) -> tuple:
    """Sort key: newest document first (undated last), then by id for a stable order."""
    return _newest(doc.date, doc.publish_date, doc.id)


def _newest(date: str | None, publish_date: str | None, doc_id: str) -> tuple:
    return (-int((date or publish_date or "").replace("-", "") or 0), doc_id)


def _light(data: dict) -> dict:
    """A document's metadata (`data`: as stored), without its text and clauses: what hits and references read."""
    return {**data, "text": "", "clauses": []}


@dataclass
class _Record:
    """What the serving files hold of one document: its catalog entry, its line, and each unit's id, JSON,
    folded text (UTF-16), length, headings, bare-heading flag and unit facet keys, in document order."""

    entry: dict
    line: bytes
    ids: list[str]
    unit_lines: list[bytes]
    folded: list[bytes]
    lengths: list[int]
    headings: list[str]
    bare: list[bool]
    keys: list[list[str]]

    @property
    def newest(self) -> tuple:
        doc = self.entry["doc"]
        return _newest(doc["date"], doc["publish_date"], doc["id"])


def _fresh(stored: str, digest: str) -> _Record:
    """The record of a document from its stored JSON (`index.schema.document_record`)."""
    data = json.loads(stored)
    doc = Document.from_dict(data)
    doc_units = units(doc)
    parents = {tuple(c.path[:-1]) for c in doc.clauses}
    titled = {tuple(c.path): c.heading for c in doc.clauses if c.heading}
    # Each unit as stored: a clause's dict from the document's JSON, a passage's four fields.
    entries = [_unit_entry(doc, unit) for unit in doc_units]
    folded = [compact_text(unit.text) for unit in doc_units]
    lead = next((i for i, u in enumerate(doc_units) if is_passage(u) and u.label == LEAD), -1)
    return _Record(
        entry={"doc": _light(data), "stored": digest, "units": len(doc_units), "lead": lead,
               "lead_title": compact_text(f"{doc.title} {doc.doc_number or ''}"),
               "governments": sorted({u.government for c in doc_units for u in c.units if u.government})},
        line=f'{{"doc": {stored}, "units": {json.dumps(entries, ensure_ascii=False)}}}\n'.encode(),
        ids=[u.id for u in doc_units],
        unit_lines=[json.dumps(data["clauses"][e] if isinstance(e, int) else e, ensure_ascii=False).encode()
                    for e in entries],
        folded=[t.encode("utf-16-le") for t in folded], lengths=list(map(len, folded)),
        # The unit's own heading and those of the parts it is in (第二节 销售者的…义务 › 第三十三条).
        headings=[compact_text(" ".join(titled.get(tuple(u.path[:k]), "") for k in range(1, len(u.path) + 1)))
                  for u in doc_units],
        bare=[tuple(u.path) in parents and is_bare_heading(u.text) for u in doc_units],
        keys=[list(dict.fromkeys(map(unit_key, u.units))) for u in doc_units])


class _Previous:
    """An older generation's files in the same folder: the records of the documents stored unchanged since."""

    def __init__(self, served: Served, entries: list[dict], keys: list[list[list[str]]]):
        self.served, self.entries, self.keys = served, entries, keys
        self.by_id = {e["doc"]["id"]: d for d, e in enumerate(entries)}
        headings = served.blobs["headings"]
        self.headings = headings.bytes(0, len(headings.data)).decode().split("\0")

    def record(self, doc_id: str, digest: str) -> _Record | None:
        d = self.by_id.get(doc_id)
        entry = self.entries[d] if d is not None else None
        if entry is None or entry.get("stored") != digest:
            return None
        served, arrays = self.served, self.served.arrays
        docnums = served.doc_docnums(d)
        if len(docnums) != entry["units"]:
            return None
        blob = served.blobs
        at, json_at, folded_at = arrays["docs_at"], arrays["unit_json_at"], arrays["folded_at"]
        headings = self.headings
        return _Record(
            entry=entry, line=blob["docs"].bytes(int(at[d]), int(at[d + 1])),
            ids=[served.unit_id(n) for n in docnums],
            unit_lines=[blob["unit_json"].bytes(int(json_at[n]), int(json_at[n + 1])) for n in docnums],
            folded=[arrays["folded"][int(folded_at[n]):int(folded_at[n + 1])].tobytes() for n in docnums],
            lengths=[int(arrays["lengths"][n]) for n in docnums], headings=[headings[n] for n in docnums],
            bare=[bool(arrays["bare"][n]) for n in docnums], keys=self.keys[d])


def compute(reader, target: Path, previous: _Previous | None = None) -> int:
    """Write the serving files of the index `reader` reads into the folder `target`; returns its generation.

    A document stored unchanged since the `previous` generation's files is copied from them, not parsed again.
    """
    size = reader.doc_count_all()
    rows = []
    records: dict[str, _Record] = {}
    for docnum, fields in reader.iter_docs():
        if fields["kind"] == "doc":
            digest = hashlib.blake2b(fields["data"].encode(), digest_size=16).hexdigest()
            found = previous.record(fields["id"], digest) if previous else None
            records[fields["id"]] = found or _fresh(fields["data"], digest)
        else:
            rows.append((docnum, fields["id"], fields["doc_id"]))
    records = dict(sorted(records.items(), key=lambda item: item[1].newest))
    place = {unit_id: (doc_id, i) for doc_id, r in records.items() for i, unit_id in enumerate(r.ids)}
    live: dict[str, int] = {}
    for docnum, clause_id, doc_id in rows:
        found = place.get(clause_id)
        # A row its document no longer has (left by an older writer) is not searchable;
        # of a clause stored twice, the later row serves.
        if found is not None and found[0] == doc_id:
            live[clause_id] = docnum
    generation = reader.generation()
    alive = set(live.values())
    facets = {f.name: {value: list(filter(alive.__contains__, term_postings(reader, f.name, value)[0]))
                       for value in reader.field_terms(f.name)} if f.name in reader.indexed_field_names() else {}
              for f in FACETS}
    _write_files(target, generation, size, list(records.values()), live, facets)
    return generation


def _offsets(lengths) -> np.ndarray:
    """Where each item starts, and the end, given the items' lengths."""
    return np.concatenate(([0], np.cumsum(np.fromiter(lengths, dtype=np.int64)))).astype(np.int64)


def _write_files(target: Path, generation: int, size: int, records: list[_Record], live: dict[str, int],
                 facets: dict[str, dict[str, list[int]]]) -> None:
    unit_doc = np.full(size, -1, dtype=np.int32)
    unit_place = np.zeros(size, dtype=np.int32)
    rank = np.zeros(size, dtype=np.int64)
    bare = np.zeros(size, dtype=np.uint8)
    lengths = np.zeros(size, dtype=np.int32)
    unit_lines, ids, folded = [b""] * size, [b""] * size, [b""] * size
    headings = [""] * size
    catalog, members = [], []
    scoped: dict[str, list[int]] = {}
    for d, record in enumerate(records):
        own = []
        for i, unit_id in enumerate(record.ids):
            n = live.get(unit_id)
            if n is None:
                continue
            own.append(n)
            unit_doc[n], unit_place[n], rank[n] = d, i, d * RANK_STRIDE + i
            unit_lines[n], ids[n], folded[n] = record.unit_lines[i], unit_id.encode(), record.folded[i]
            lengths[n], headings[n], bare[n] = record.lengths[i], record.headings[i], record.bare[i]
            for key in record.keys[i]:
                scoped.setdefault(key, []).append(n)
        members.append(own)
        lead = record.entry["lead"]
        catalog.append({**record.entry, "docnum": live.get(record.ids[lead], -1) if lead >= 0 else -1})
    order = sorted(live.values(), key=rank.__getitem__)
    # The unit facet's values are scoped by government when the units name more than one (`index.unit_facet`).
    if len({g for entry in catalog for g in entry["governments"]}) > 1:
        facets = {name: scoped if FACET[name].scoped else values for name, values in facets.items()}
    facet_rows = np.zeros((sum(map(len, facets.values())), (size + 7) // 8), dtype=np.uint8)
    for row, holding in enumerate(h for values in facets.values() for h in values.values()):
        flags = np.zeros(size, dtype=np.uint8)
        flags[holding] = 1
        facet_rows[row] = np.packbits(flags, bitorder="little")
    by_id = sorted(live.values(), key=ids.__getitem__)
    arrays = {
        "docs_at": _offsets(len(r.line) for r in records),
        "doc_units": np.fromiter((n for own in members for n in own), dtype=np.int32),
        "doc_units_at": _offsets(map(len, members)),
        "unit_doc": unit_doc, "unit_place": unit_place,
        "unit_json_at": _offsets(map(len, unit_lines)),
        "ids_at": _offsets(map(len, ids)),
        "by_id": np.array(by_id, dtype=np.int32),
        "folded": np.frombuffer(b"".join(folded), dtype="<u2"),
        "folded_at": _offsets(len(c) // 2 for c in folded),
        "lengths": lengths, "bare": bare, "rank": rank,
        "order": np.array(order, dtype=np.int32),
        "facet_bits": facet_rows,
    }
    paths = _paths(target, generation)
    for name, values in arrays.items():
        _write_file(paths[name], lambda f, v=values: np.save(f, v, allow_pickle=False))
    blobs = {"docs": b"".join(r.line for r in records), "unit_json": b"".join(unit_lines), "ids": b"".join(ids),
             "headings": "\0".join(headings).encode()}
    for name, data in blobs.items():
        _write_file(paths[name], lambda f, d=data: f.write(d))
    values = {name: list(holding) for name, holding in facets.items()}
    for name, data in {"catalog": catalog, "facets": values, "keys": [r.keys for r in records]}.items():
        _write_file(paths[name], lambda f, d=data: f.write(json.dumps(d, ensure_ascii=False).encode()))
    counts = {"generation": generation, "size": size, "documents": len(records), "units": len(live)}
    _write_file(paths["json"], lambda f: f.write(json.dumps(counts).encode()))


def _paths(folder: Path, generation: int) -> dict[str, Path]:
    return {part: folder / f"{PREFIX}{generation}.{part}" for part in (*_ARRAYS, *_BLOBS, *_JSON, "json")}


def _unit_entry(doc: Document, unit: Clause):
    for i, clause in enumerate(doc.clauses):
        if clause is unit:
            return i
    return {"id": unit.id, "label": unit.label, "path": unit.path, "text": unit.text}


def _write_file(path: Path, fill) -> None:
    tmp = path.with_name(path.name + f".tmp-{os.getpid()}")
    with open(tmp, "wb") as f:
        fill(f)
    tmp.replace(path)


def write(folder: Path) -> None:
    """Compute what serving needs from the index in `folder` and store it for its current commit."""
    ix = whoosh_index.open_dir(str(folder))
    try:
        with ix.reader() as reader:
            generation = compute(reader, folder, _previous(folder, reader.generation()))
    finally:
        ix.close()
    for old in folder.glob(f"{PREFIX}*"):
        # Older commits' files only: a concurrent add may have written a newer one's.
        number = old.name[len(PREFIX):].split(".", 1)[0]
        if number.isdigit() and int(number) < generation:
            old.unlink(missing_ok=True)


def _previous(folder: Path, generation: int) -> _Previous | None:
    """The newest older generation's files in `folder` (an add's predecessor), if they are complete."""
    older = [int(number) for p in folder.glob(f"{PREFIX}*.json")
             if (number := p.name[len(PREFIX):-len(".json")]).isdigit() and int(number) < generation]
    served = load(folder, max(older)) if older else None
    if served is None:
        return None
    paths = _paths(folder, max(older))
    try:
        return _Previous(served, json.loads(paths["catalog"].read_text("utf-8")),
                         json.loads(paths["keys"].read_text("utf-8")))
    except FileNotFoundError:
        return None


class _Blob:
    """A file's bytes, mapped read-only (an empty file has none)."""

    def __init__(self, path: Path):
        self.data = np.memmap(path, dtype=np.uint8, mode="r") if path.stat().st_size else np.zeros(0, dtype=np.uint8)

    def bytes(self, start: int, end: int) -> bytes:
        return self.data[start:end].tobytes()


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
        self.catalog = _Catalog(_Blob(self.catalog_path), np.array(spans, dtype=np.int64).reshape(-1, 2))

    def _parse(self, d: int) -> tuple[Document, list[Clause]]:
        at = self.arrays["docs_at"]
        entry = json.loads(self.blobs["docs"].bytes(int(at[d]), int(at[d + 1])))
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
        arrays = {name: np.load(paths[name], mmap_mode="r", allow_pickle=False) for name in _ARRAYS}
        blobs = {name: _Blob(paths[name]) for name in _BLOBS}
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
    """The generation's serving files, computed from the index into a temporary folder if it has none."""
    served = load(folder, reader.generation())
    if served is not None:
        return served
    target = Path(tempfile.mkdtemp(prefix="gongwen-serving-"))
    try:
        return load(target, compute(reader, target))
    finally:
        shutil.rmtree(target, ignore_errors=True)  # the mapped files stay readable until they are unmapped
