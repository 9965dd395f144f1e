"""What serving needs of an index generation, prepared when it is written and mapped when it is opened.

Opening a generation needs, per Whoosh docnum, the search unit (clause or passage) and its
document, the unit's compacted text (`tokenizer.compact_text`, what literal matching compares)
and its place in date order. Computing them means reading every stored row from Whoosh,
parsing every document's JSON, laying out its passages (`index.passages`) and folding every
text: seconds at 100,000 clauses. A build (and an add, after its commit) computes them once
(`write`) and stores them beside Whoosh's files, named after Whoosh's generation number N:

- `serving-N.docs`: one JSON line per document, newest first: the document and its search
  units in order (a numbered clause as its place in `Document.clauses`, a passage as its fields);
- `serving-N.units`: per docnum (int32), the unit's place among all units of the docs file, -1 for none;
- `serving-N.folded`: per docnum, the unit's compacted text, joined by NUL (UTF-8);
- `serving-N.rank`, `serving-N.order`: per docnum (int64) its date rank (newest document first,
  units in document order), and the live docnums in that order (int32);
- `serving-N.json`: the counts, written last: a generation's files are complete once it exists.

`load` maps the files read-only (the rank and order arrays stay mapped and are read in place,
so every serving process shares one copy through the page cache) and returns None when they
are missing or belong to another commit, for example in the moment between an add's commit
and its `write`; `compute` then reads the index itself, as `write` does.

>>> import tempfile
>>> from corpus.model import Clause, Document
>>> from index.build import build_index
>>> doc = Document(id="d", title="关于试行的通知", doc_number="泸发〔2021〕1号", offices=[], doc_type="通知",
...                date="2021-01-02", text="", source="",
...                clauses=[Clause(id="d/1", label="一、", path=["一、"], text="一、总　则。")])
>>> folder = tempfile.mkdtemp()
>>> build_index([doc], f"{folder}/index", progress=False)
>>> prepared = load(Path(f"{folder}/index").resolve(), generation=1)
>>> [(clause.id, prepared.folded[n]) for n, (d, clause) in enumerate(prepared.unit_at) if d]
[('d/导语', '关于试行的通知泸发〔2021〕1号'), ('d/1', '一、总则。')]
>>> list(prepared.date_order), type(prepared.date_order).__name__
([1, 2], 'memoryview')
"""

from __future__ import annotations

import json
import mmap
import os
from array import array
from dataclasses import dataclass
from pathlib import Path

from whoosh import index as whoosh_index

from corpus.model import Clause, Document
from index.passages import units
from tokenizer import compact_text

PREFIX = "serving-"
RANK_STRIDE = 1_000_000  # date rank = document rank * stride + the unit's place in its document
_SEPARATOR = "\0"


@dataclass
class Prepared:
    """Per generation: documents newest first with their units; per docnum, its unit, text and date rank."""

    documents: dict[str, Document]
    units: dict[str, list[Clause]]
    unit_at: list[tuple[Document, Clause] | tuple[None, None]]
    folded: list[str]
    date_rank: object  # a sequence of int per docnum: a list, or a memoryview of a mapped file
    date_order: object  # the live docnums, newest first


def newest_first(doc: Document) -> tuple:
    """Sort key: newest document first (undated last), then by id for a stable order."""
    date = doc.date or doc.publish_date or ""
    return (-int(date.replace("-", "") or 0), doc.id)


def compute(reader) -> Prepared:
    """What serving needs, read from the index itself (every stored row and document)."""
    size = reader.doc_count_all()
    rows = []
    documents: dict[str, Document] = {}
    for docnum, fields in reader.iter_docs():
        if fields["kind"] == "doc":
            documents[fields["id"]] = Document.from_dict(json.loads(fields["data"]))
        else:
            rows.append((docnum, fields["id"], fields["doc_id"]))
    documents = dict(sorted(documents.items(), key=lambda item: newest_first(item[1])))
    return _assemble(documents, {doc.id: units(doc) for doc in documents.values()}, rows, size)


def _assemble(documents, doc_units, rows, size) -> Prepared:
    place = {c.id: (rank, i, doc) for rank, doc in enumerate(documents.values())
             for i, c in enumerate(doc_units[doc.id])}
    unit_at: list = [(None, None)] * size
    date_rank = [0] * size
    live: dict[str, int] = {}
    for docnum, clause_id, doc_id in rows:
        found = place.get(clause_id)
        # A row its document no longer has (left by an older writer) is not searchable;
        # of a clause stored twice, the later row serves.
        if found is not None and found[2].id == doc_id:
            live[clause_id] = docnum
    for clause_id, docnum in live.items():
        rank, i, doc = place[clause_id]
        unit_at[docnum] = (doc, doc_units[doc.id][i])
        date_rank[docnum] = rank * RANK_STRIDE + i
    folded = [compact_text(clause.text) if doc else "" for doc, clause in unit_at]
    order = sorted(live.values(), key=date_rank.__getitem__)
    return Prepared(documents, doc_units, unit_at, folded, date_rank, order)


def _paths(folder: Path, generation: int) -> dict[str, Path]:
    return {part: folder / f"{PREFIX}{generation}.{part}" for part in ("docs", "units", "folded", "rank", "order", "json")}


def _unit_entry(doc: Document, unit: Clause):
    for i, clause in enumerate(doc.clauses):
        if clause is unit:
            return i
    return {"id": unit.id, "label": unit.label, "path": unit.path, "text": unit.text}


def _write_file(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + f".tmp-{os.getpid()}")
    tmp.write_bytes(data)
    tmp.replace(path)


def write(folder: Path) -> None:
    """Compute what serving needs from the index in `folder` and store it for its current commit."""
    ix = whoosh_index.open_dir(str(folder))
    try:
        with ix.reader() as reader:
            generation = reader.generation()
            prepared = compute(reader)
    finally:
        ix.close()
    index_of = {}
    lines = []
    for doc in prepared.documents.values():
        entries = [_unit_entry(doc, unit) for unit in prepared.units[doc.id]]
        for unit in prepared.units[doc.id]:
            index_of[unit.id] = len(index_of)
        lines.append(json.dumps({"doc": doc.to_dict(), "units": entries}, ensure_ascii=False))
    paths = _paths(folder, generation)
    _write_file(paths["docs"], "\n".join(lines).encode("utf-8"))
    _write_file(paths["units"], array("i", (index_of[c.id] if d else -1 for d, c in prepared.unit_at)).tobytes())
    _write_file(paths["folded"], _SEPARATOR.join(prepared.folded).encode("utf-8"))
    _write_file(paths["rank"], array("q", prepared.date_rank).tobytes())
    _write_file(paths["order"], array("i", prepared.date_order).tobytes())
    counts = {"generation": generation, "size": len(prepared.unit_at), "documents": len(lines), "units": len(index_of)}
    _write_file(paths["json"], json.dumps(counts).encode())
    for old in folder.glob(f"{PREFIX}*"):
        # Older commits' files only: a concurrent add may have written a newer one's.
        number = old.name[len(PREFIX):].split(".", 1)[0]
        if number.isdigit() and int(number) < generation:
            old.unlink(missing_ok=True)


def _mapped(path: Path, typecode: str) -> memoryview:
    """The file's items, read in place from a read-only shared mapping (an empty file has none)."""
    if not path.stat().st_size:
        return memoryview(array(typecode))
    with open(path, "rb") as f:
        return memoryview(mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)).cast(typecode)


def _passage(data) -> Clause:
    return Clause(id=data["id"], label=data["label"], path=data["path"], text=data["text"])


def load(folder: Path, generation: int) -> Prepared | None:
    """The stored files of Whoosh's commit `generation` (`reader.generation()`), or None if there are none."""
    paths = _paths(folder, generation)
    try:
        counts = json.loads(paths["json"].read_text())
        docs_text = paths["docs"].read_text("utf-8")
        folded = paths["folded"].read_bytes().decode("utf-8").split(_SEPARATOR) if counts["size"] else []
        unit_index = _mapped(paths["units"], "i")
        date_rank, date_order = _mapped(paths["rank"], "q"), _mapped(paths["order"], "i")
    except FileNotFoundError:
        return None
    documents: dict[str, Document] = {}
    doc_units: dict[str, list[Clause]] = {}
    flat: list[tuple[Document, Clause]] = []
    for line in docs_text.splitlines() if docs_text else ():
        entry = json.loads(line)
        doc = Document.from_dict(entry["doc"])
        documents[doc.id] = doc
        doc_units[doc.id] = [doc.clauses[u] if isinstance(u, int) else _passage(u) for u in entry["units"]]
        flat.extend((doc, unit) for unit in doc_units[doc.id])
    if len(flat) != counts["units"] or len(unit_index) != counts["size"] or len(folded) != counts["size"]:
        return None
    unit_at = [flat[i] if i >= 0 else (None, None) for i in unit_index]
    return Prepared(documents, doc_units, unit_at, folded, date_rank, date_order)
