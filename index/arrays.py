"""What serving needs of an index generation, prepared when it is written and mapped when it is opened.

Opening a generation must not read every stored document: a serving process maps files that a
build (and an add, after its commit) writes beside Whoosh's files, and reads a document or a unit
only when a page shows it. Arrays are `.npy` files mapped read-only (`numpy.load(mmap_mode="r")`),
so every serving process shares one copy through the page cache.

What is per row is written once per Whoosh segment (`serving-seg-<segment id>.<part>`, by
`write_piece`), since a segment's rows never change (Whoosh only marks them deleted): by the
build's worker that wrote the segment, or by the first `write` that finds it missing (an add's
new segment, a merged one). A generation maps its segments' blobs side by side, one range of
addresses per blob (`_Blob`): an add writes the rows it adds, and every generation maps the same
files for the rest. Per segment, by its own docnums:

- `docs` with `docs_at` (one JSON line per document, the whole document and its units, read by
  byte offset), `unit_json` with `unit_json_at` (the unit as JSON), `ids` with `ids_at` (its id),
  `folded` with `folded_at` (its compacted text, `tokenizer.compact_text`, in UTF-16 code units:
  what literal matching compares), and what `_assemble` combines: the unit's document and place,
  its length, bare-heading flag and heading, the ids sorted, the facet values' rows, and a JSON
  of its documents' metadata.

What is global is written per generation, for Whoosh's generation number N (`serving-N.<part>`),
from the segments' arrays with numpy (`_assemble`: no stored document is read again):

- per document, newest first: `catalog` (JSON: each document's metadata without its text and
  clauses, its lead unit's docnum and the folded title and 文号 it is found by), `docs_at` (where
  its line is: start and end), `doc_units` with `doc_units_at` (the docnums of its units, in
  document order);
- per docnum: `unit_doc` (its document, -1 for a row that is no unit or deleted), `unit_place`
  (its place among its document's units), `unit_json_at`, `ids_at`, `folded_at` (where its data
  is in the mapped blobs), `by_id` (the live docnums sorted by id, for look-ups), `lengths` (its
  length in characters), `headings` (its own and its ancestors' headings, folded, NUL-separated),
  `bare` (1 for a bare heading with units under it), `rank` (its date rank: newest document
  first, units in document order);
- `order` (the live docnums in date order);
- per facet value: `facets` (JSON: each facet's values, `index.facets`; the unit facet's are
  scoped by government when the units name more than one, `index.unit_facet`) and `facet_bits`
  (one row per value: the live units holding it, a packed bitset, lowest docnum first);
- `json`: the counts and the segments, written last: a generation's files are complete once it exists.

Measured on the bench's synthetic corpus (`bench/bench_search.py`), 200,000 clauses, on a loaded
machine (CPU time): computed per generation, the serving files took 17 s in the build's main
process after the commit (1.9 GB resident); per segment they take 6 s in each of the two
workers, side by side (the blobs written as they are read: +175 MB per worker, not +550 MB),
and combining them 0.7 s. Adding 20 documents (500 clauses) to that index took 9.8 s when every
add rewrote every serving file, and 2.0 s now, of which Whoosh's writer and loading jieba are
most. At 1,000,000 clauses (4 segments and the adds' own) an add of 20 documents takes 1.8–2.4 s,
of which combining the serving files about 1 s.

Reading them back, mapped, is `index.served`.
"""

from __future__ import annotations

import json
import mmap
import os
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from itertools import accumulate, chain
from operator import mul
from pathlib import Path

import numpy as np
from whoosh import index as whoosh_index

from corpus.model import Clause, Document
from corpus.units import unit_key
from index.facets import FACET, FACETS
from index.passages import LEAD, is_bare_heading, is_passage, units
from index.postings import term_postings
from tokenizer import compact_text

PREFIX = "serving-"
FORMAT = 2  # of the files below: files of another format are written again (a segment's) or computed (a generation's)
PIECE = f"{PREFIX}seg-"
RANK_STRIDE = 1_000_000  # date rank = document rank * stride + the unit's place in its document
_ARRAYS = ("docs_at", "doc_units", "doc_units_at", "unit_doc", "unit_place", "unit_json_at", "ids_at", "by_id",
           "folded_at", "lengths", "bare", "rank", "order", "facet_bits")
_BLOBS = ("headings",)
_JSON = ("catalog", "facets")
_PIECE_ARRAYS = ("unit_doc", "unit_place", "lead_row", "doc_row", "docs_at", "unit_json_at", "ids_at", "folded_at",
                 "lengths", "bare", "by_id", "id_keys", "facet_rows", "scoped_rows")
_PIECE_BLOBS = ("docs", "unit_json", "ids", "folded")
_PIECE_TEXTS = ("catalog", "headings")  # read whole when a generation is assembled
_NEWEST = ("date", "publish_date", "id")


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


def _fresh(stored: str) -> _Record:
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
        entry={"doc": _light(data), "units": len(doc_units), "lead": lead,
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


class _Piece:
    """One segment's serving rows as written by `write_piece`, mapped: its arrays by local docnum and its metadata."""

    def __init__(self, folder: Path, segid: str):
        paths = _piece_paths(folder, segid)
        self.meta = json.loads(paths["json"].read_text("utf-8"))
        self.arrays = {name: np.load(paths[name], mmap_mode="r", allow_pickle=False) for name in _PIECE_ARRAYS}
        self.sizes = {name: paths[name].stat().st_size for name in _PIECE_BLOBS}
        self.size = self.meta["size"]


def write_piece(leaf, folder: Path) -> None:
    """Write the serving rows of one segment (`leaf`, its reader: docnums are the segment's own) into `folder`.

    A segment's rows never change (Whoosh only marks them deleted), so each is written once,
    by the process that wrote the segment (a build's worker) or by the first `write` that finds it missing.
    The blobs are written as the rows are read, not joined in memory.
    """
    size = leaf.doc_count_all()
    paths = _piece_paths(folder, leaf.segment().segment_id())
    records: dict[str, tuple[int, _Record]] = {}
    rows = []
    with _writing({name: paths[name] for name in _PIECE_BLOBS}) as blobs:
        line_ends = []
        for docnum, fields in leaf.iter_docs():
            if fields["kind"] == "doc":
                record = _fresh(fields["data"])
                line_ends.append(blobs["docs"].tell() + blobs["docs"].write(record.line))
                record.line = b""
                records[fields["id"]] = (docnum, record)
            else:
                rows.append((docnum, fields["id"], fields["doc_id"]))
        place = {unit_id: (j, i) for j, (_, r) in enumerate(records.values()) for i, unit_id in enumerate(r.ids)}
        doc_ids = list(records)
        unit_doc = np.full(size, -1, dtype=np.int32)
        unit_place = np.zeros(size, dtype=np.int32)
        live: dict[str, int] = {}
        for docnum, clause_id, doc_id in rows:
            # A row its document no longer has (left by an older writer) is not searchable;
            # of a clause stored twice, the later row serves.
            found = place.get(clause_id)
            if found is not None and doc_ids[found[0]] == doc_id:
                live[clause_id] = docnum
        for clause_id, docnum in live.items():
            unit_doc[docnum], unit_place[docnum] = place[clause_id]
        docs = [r for _, r in records.values()]
        sizes = {name: np.zeros(size, dtype=np.int64) for name in ("unit_json", "ids", "folded")}
        lengths = np.zeros(size, dtype=np.int32)
        bare = np.zeros(size, dtype=np.uint8)
        headings = [""] * size
        ids: list[bytes] = [b""] * size
        lead_row = np.full(len(docs), -1, dtype=np.int32)
        scoped: dict[str, list[tuple[int, int]]] = {}
        for n in np.flatnonzero(unit_doc >= 0).tolist():
            record, i = docs[unit_doc[n]], int(unit_place[n])
            ids[n] = record.ids[i].encode()
            for name, data in (("unit_json", record.unit_lines[i]), ("ids", ids[n]), ("folded", record.folded[i])):
                sizes[name][n] = blobs[name].write(data)
            record.unit_lines[i] = record.folded[i] = b""
            lengths[n], headings[n], bare[n] = record.lengths[i], record.headings[i], record.bare[i]
            if i == record.entry["lead"]:
                lead_row[unit_doc[n]] = n
            for slot, key in enumerate(record.keys[i]):
                scoped.setdefault(key, []).append((n, slot))
    facets = {f.name: {value: [n for n in term_postings(leaf, f.name, value)[0] if unit_doc[n] >= 0]
                       for value in leaf.field_terms(f.name)}
              for f in FACETS if f.name in leaf.indexed_field_names()}
    holders = [h for values in facets.values() for h in values.values()]
    by_id = sorted(np.flatnonzero(unit_doc >= 0).tolist(), key=ids.__getitem__)
    arrays = {
        "unit_doc": unit_doc, "unit_place": unit_place, "lead_row": lead_row,
        "doc_row": np.array([docnum for docnum, _ in records.values()], dtype=np.int32),
        "docs_at": np.array([0, *line_ends], dtype=np.int64),
        "unit_json_at": _offsets(sizes["unit_json"]), "ids_at": _offsets(sizes["ids"]),
        "folded_at": _offsets(sizes["folded"] // 2), "lengths": lengths, "bare": bare,
        "by_id": np.array(by_id, dtype=np.int32), "id_keys": np.array([ids[n] for n in by_id], dtype=np.bytes_),
        "facet_rows": np.fromiter((n for h in holders for n in h), dtype=np.int32),
        "scoped_rows": np.array([p for pairs in scoped.values() for p in pairs], dtype=np.int32).reshape(-1, 2),
    }
    for name, values in arrays.items():
        _write_file(paths[name], lambda f, v=values: np.save(f, v, allow_pickle=False))
    _write_file(paths["catalog"], lambda f: f.write(b"\n".join(json.dumps(r.entry, ensure_ascii=False).encode()
                                                                for r in docs)))
    _write_file(paths["headings"], lambda f: f.write("\0".join(headings).encode()))
    meta = {"format": FORMAT, "size": size, "newest": [list(map(r.entry["doc"].get, _NEWEST)) for r in docs],
            "governments": [r.entry["governments"] for r in docs],
            "facets": {name: {value: len(h) for value, h in values.items()} for name, values in facets.items()},
            "scoped": {key: len(pairs) for key, pairs in scoped.items()}}
    _write_file(paths["json"], lambda f: f.write(json.dumps(meta, ensure_ascii=False).encode()))


def _offsets(lengths) -> np.ndarray:
    """Where each item starts, and the end, given the items' lengths."""
    return np.concatenate(([0], np.cumsum(np.fromiter(lengths, dtype=np.int64)))).astype(np.int64)


def _starts(sizes: list[int]) -> list[int]:
    """Where files of `sizes` bytes start when mapped side by side, each at a page boundary (`_Blob`), and the end.

    >>> page = mmap.ALLOCATIONGRANULARITY
    >>> _starts([10, 0, page + 1]) == [0, page, page, 3 * page]
    True
    """
    page = mmap.ALLOCATIONGRANULARITY
    return list(accumulate((-(-size // page) * page for size in sizes), initial=0))


def _assemble(target: Path, generation: int, segments: list[tuple[str, int, list[int]]]) -> None:
    """Write generation `generation`'s own files from the pieces of its `segments` (segment id, first docnum,
    deleted docnums), in order: what is global (document order, date ranks, ids sorted, facet bitsets) is
    computed here with numpy over the pieces' arrays; the pieces' blobs are mapped as they are, not copied."""
    pieces = [_Piece(target, segid) for segid, _, _ in segments]
    size = sum(p.size for p in pieces)
    # The documents whose rows are not deleted; of a document stored twice, the later one serves.
    found: dict[str, tuple[int, int]] = {}
    for k, ((_, _, deleted), piece) in enumerate(zip(segments, pieces, strict=True)):
        gone = set(deleted)
        for j, (newest, row) in enumerate(zip(piece.meta["newest"], piece.arrays["doc_row"].tolist(), strict=True)):
            if row not in gone:
                found[newest[2]] = (k, j)
    ordered = sorted(found.values(), key=lambda kj: _newest(*pieces[kj[0]].meta["newest"][kj[1]]))
    doc_map = [np.full(len(p.meta["newest"]), -1, dtype=np.int32) for p in pieces]
    for d, (k, j) in enumerate(ordered):
        doc_map[k][j] = d
    unit_doc = np.full(size, -1, dtype=np.int32)
    for (_, first, deleted), piece, mapped in zip(segments, pieces, doc_map, strict=True):
        local = piece.arrays["unit_doc"]
        own = unit_doc[first:first + piece.size]
        own[:] = np.append(mapped, -1)[local]  # -1 (no unit) stays -1
        own[deleted] = -1
    live = unit_doc >= 0
    unit_place = np.concatenate([p.arrays["unit_place"] for p in pieces]) * live if pieces else unit_doc * 0
    rank = np.where(live, unit_doc.astype(np.int64) * RANK_STRIDE + unit_place, 0)
    alive = np.flatnonzero(live)
    order = alive[np.argsort(rank[alive], kind="stable")].astype(np.int32)
    starts = {name: _starts([p.sizes[name] for p in pieces]) for name in _PIECE_BLOBS}
    firsts = [first for _, first, _ in segments]
    # Per document in date order: where its line is, and its lead unit's docnum (-1 if none is live).
    of_piece, place = np.array(ordered, dtype=np.int64).reshape(-1, 2).T
    docs_at = np.zeros((len(ordered), 2), dtype=np.int64)
    leads = np.full(len(ordered), -1, dtype=np.int64)
    for k, piece in enumerate(pieces):
        mine = of_piece == k
        at, rows = piece.arrays["docs_at"], piece.arrays["lead_row"][place[mine]] + firsts[k]
        docs_at[mine] = np.stack([at[place[mine]], at[place[mine] + 1]], axis=1) + starts["docs"][k]
        leads[mine] = np.where((rows >= firsts[k]) & live[np.maximum(rows, 0)], rows, -1)
    lines = [_piece_paths(target, segid)["catalog"].read_bytes().split(b"\n") for segid, _, _ in segments]
    catalog = b"[" + b",".join(b'{"docnum": %d, ' % docnum + lines[k][j][1:]
                               for docnum, (k, j) in zip(leads.tolist(), ordered, strict=True)) + b"]"
    by_id = np.concatenate([p.arrays["by_id"] + first for p, first in zip(pieces, firsts, strict=True)] or [np.zeros(0, np.int32)])
    keys = np.concatenate([p.arrays["id_keys"] for p in pieces] or [np.zeros(0, np.bytes_)])
    keep = live[by_id]
    by_id, keys = by_id[keep], keys[keep]
    arrays = {
        "docs_at": docs_at,
        "doc_units": order,
        "doc_units_at": _offsets(np.bincount(unit_doc[alive], minlength=len(ordered))),
        "unit_doc": unit_doc, "unit_place": unit_place.astype(np.int32),
        "unit_json_at": _joined_offsets(pieces, "unit_json_at", starts["unit_json"]),
        "ids_at": _joined_offsets(pieces, "ids_at", starts["ids"]),
        "by_id": by_id[np.argsort(keys, kind="stable")].astype(np.int32),
        "folded_at": _joined_offsets(pieces, "folded_at", [s // 2 for s in starts["folded"]]),
        "lengths": np.concatenate([p.arrays["lengths"] for p in pieces]) * live,
        "bare": (np.concatenate([p.arrays["bare"] for p in pieces]) * live).astype(np.uint8),
        "rank": rank, "order": order,
    }
    governments = {g for k, j in ordered for g in pieces[k].meta["governments"][j]}
    facets = _facets(pieces, firsts, live, rank, scoped=len(governments) > 1)
    arrays["facet_bits"] = np.zeros((sum(map(len, facets.values())), (size + 7) // 8), dtype=np.uint8)
    for row, holding in enumerate(h for values in facets.values() for h in values.values()):
        flags = np.zeros(size, dtype=np.uint8)
        flags[holding] = 1
        arrays["facet_bits"][row] = np.packbits(flags, bitorder="little")
    paths = _paths(target, generation)
    for name, values in arrays.items():
        _write_file(paths[name], lambda f, v=values: np.save(f, v, allow_pickle=False))
    # A row that is no live unit has no heading: searches for a heading word look in the whole blob.
    own = (_piece_paths(target, segid)["headings"].read_bytes().decode().split("\0") for segid, _, _ in segments)
    headings = "\0".join(map(mul, chain.from_iterable(own), live.tolist()))
    _write_file(paths["headings"], lambda f: f.write(headings.encode()))
    _write_file(paths["catalog"], lambda f: f.write(catalog))
    values = {name: list(holding) for name, holding in facets.items()}
    _write_file(paths["facets"], lambda f: f.write(json.dumps(values, ensure_ascii=False).encode()))
    counts = {"format": FORMAT, "generation": generation, "size": size, "documents": len(ordered), "units": len(alive),
              "segments": [segid for segid, _, _ in segments]}
    _write_file(paths["json"], lambda f: f.write(json.dumps(counts).encode()))


def _joined_offsets(pieces: list[_Piece], name: str, starts: list[int]) -> np.ndarray:
    """The pieces' offsets into their own blobs as offsets into the blobs mapped side by side (`_starts`).

    Between two pieces' data lies the padding to a page boundary: it is the first row's of the
    later piece, a document's row with no data of its own (a segment starts with a document's row).
    """
    parts, end = [], 0
    for piece, start in zip(pieces, starts, strict=False):
        at = piece.arrays[name] + start
        if parts and piece.size:
            if at[1] != at[0]:
                raise ValueError(f"段的第一行不是公文记录，无法拼接服务文件：{name}")
            at[0] = end
        parts.append(at[:-1])
        end = int(at[-1])
    return np.concatenate([*parts, [end]]).astype(np.int64)


def _facets(pieces: list[_Piece], firsts: list[int], live: np.ndarray, rank: np.ndarray,
            scoped: bool) -> dict[str, dict[str, np.ndarray]]:
    """Per facet, per value, the docnums of the live units holding it.

    A facet's values are sorted as Whoosh lists its terms; the unit facet's, scoped by government when
    the units name more than one (`index.unit_facet`), in the order the units first name them (date order).
    """
    held: dict[str, dict[str, list[np.ndarray]]] = {}
    for p, first in zip(pieces, firsts, strict=True):
        rows, at = p.arrays["facet_rows"], 0
        for name, counts in p.meta["facets"].items():
            values = held.setdefault(name, {})
            for value, count in counts.items():
                docnums = rows[at:at + count] + first
                values.setdefault(value, []).append(docnums[live[docnums]])
                at += count
    facets = {name: {value: np.concatenate(values[value]) for value in sorted(values)}
              for name, values in held.items()}
    if not scoped:
        return facets
    keys: dict[str, list[np.ndarray]] = {}
    first_seen: dict[str, tuple[int, int]] = {}
    for p, first in zip(pieces, firsts, strict=True):
        pairs, at = p.arrays["scoped_rows"], 0
        for key, count in p.meta["scoped"].items():
            docnums, slots = pairs[at:at + count, 0] + first, pairs[at:at + count, 1]
            at += count
            docnums, slots = docnums[live[docnums]], slots[live[docnums]]
            if len(docnums):
                keys.setdefault(key, []).append(docnums)
                earliest = np.argmin(rank[docnums])
                seen = (int(rank[docnums[earliest]]), int(slots[earliest]))
                first_seen[key] = min(first_seen.get(key, seen), seen)
    ordered = {key: np.concatenate(keys[key]) for key in sorted(keys, key=first_seen.__getitem__)}
    return {name: ordered if FACET[name].scoped else values for name, values in facets.items()}


def _paths(folder: Path, generation: int) -> dict[str, Path]:
    return {part: folder / f"{PREFIX}{generation}.{part}" for part in (*_ARRAYS, *_BLOBS, *_JSON, "json")}


def _piece_paths(folder: Path, segid: str) -> dict[str, Path]:
    return {part: folder / f"{PIECE}{segid}.{part}" for part in (*_PIECE_ARRAYS, *_PIECE_BLOBS, *_PIECE_TEXTS, "json")}


def _unit_entry(doc: Document, unit: Clause):
    for i, clause in enumerate(doc.clauses):
        if clause is unit:
            return i
    return {"id": unit.id, "label": unit.label, "path": unit.path, "text": unit.text}


def _write_file(path: Path, fill) -> None:
    with _writing({"file": path}) as files:
        fill(files["file"])


@contextmanager
def _writing(paths: dict[str, Path]) -> Iterator[dict]:
    """The files at `paths`, open for writing under temporary names and renamed into place once all are written."""
    temporary = {name: path.with_name(path.name + f".tmp-{os.getpid()}") for name, path in paths.items()}
    try:
        with ExitStack() as stack:
            yield {name: stack.enter_context(open(path, "wb")) for name, path in temporary.items()}
    except BaseException:
        for path in temporary.values():
            path.unlink(missing_ok=True)
        raise
    for name, path in temporary.items():
        path.replace(paths[name])


def _has_piece(folder: Path, segid: str) -> bool:
    """Whether the segment's rows are in `folder`, complete and in this module's format."""
    try:
        return json.loads(_piece_paths(folder, segid)["json"].read_text())["format"] == FORMAT
    except (FileNotFoundError, KeyError, ValueError):
        return False


def compute(reader, target: Path) -> int:
    """Write the serving files of the index `reader` reads into the folder `target`; returns its generation.

    The rows of a segment whose piece is in `target` already are not read again.
    """
    segments = []
    for leaf, first in reader.leaf_readers():
        segid = leaf.segment().segment_id()
        if not _has_piece(target, segid):
            write_piece(leaf, target)
        segments.append((segid, first, sorted(leaf.segment().deleted_docs())))
    generation = reader.generation()
    _assemble(target, generation, segments)
    return generation


def write(folder: Path) -> None:
    """Compute what serving needs from the index in `folder` and store it for its current commit.

    Only the segments new since the last commit are read (an add's); what every generation
    shares stays as it is. Then the files of older commits and of merged-away segments are removed.
    """
    ix = whoosh_index.open_dir(str(folder))
    try:
        with ix.reader() as reader:
            generation = compute(reader, folder)
    finally:
        ix.close()
    segments = set(json.loads(_paths(folder, generation)["json"].read_text())["segments"])
    for old in folder.glob(f"{PREFIX}*"):
        # Older commits' files only: a concurrent add may have written a newer one's.
        name = old.name[len(PREFIX):].split(".", 1)[0]
        stale = int(name) < generation if name.isdigit() else \
            old.name.startswith(PIECE) and old.name[len(PIECE):].split(".", 1)[0] not in segments
        if stale:
            old.unlink(missing_ok=True)
