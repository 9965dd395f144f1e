"""What serving needs is prepared at build time (`index.arrays`), equals what the index itself gives,
and is shared by every process that opens the generation."""

import json
import subprocess
import sys
import textwrap
from pathlib import Path

from whoosh import index as whoosh_index

from corpus.model import Clause, Document, Unit
from index import arrays, open_index
from index import served as served_files
from index.build import add_documents, build_index
from index.query import SearchQuery
from index.service import Index

ROOT = Path(__file__).resolve().parent.parent


def _computed(folder: Path, tmp_path: Path):
    """The serving files computed afresh from the index's stored rows, into another folder."""
    tmp_path.mkdir(exist_ok=True)
    ix = whoosh_index.open_dir(str(folder))
    with ix.reader() as reader:
        generation = arrays.compute(reader, tmp_path)
    return generation, served_files.load(tmp_path, generation)


def _same(stored, computed) -> None:
    assert list(stored.documents) == list(computed.documents)
    assert [stored.documents[d].to_dict() for d in stored.documents] == \
        [computed.documents[d].to_dict() for d in computed.documents]
    assert {d: [c.id for c in stored.units[d]] for d in stored.units} == \
        {d: [c.id for c in computed.units[d]] for d in computed.units}
    assert stored.arrays["unit_doc"].tolist() == computed.arrays["unit_doc"].tolist()
    assert [c and (c.id, c.text, c.unit_names) for c in map(stored.unit, range(stored.size))] == \
        [c and (c.id, c.text, c.unit_names) for c in map(computed.unit, range(computed.size))]
    live = [n for n in range(stored.size) if stored.arrays["unit_doc"][n] >= 0]
    assert [stored.folded[n] for n in live] == [computed.folded[n] for n in live]
    assert stored.date_rank.tolist() == computed.date_rank.tolist()
    assert stored.date_order.tolist() == computed.date_order.tolist()
    assert dict(stored.docnums) == dict(computed.docnums)


def test_stored_arrays_equal_what_the_index_gives(sample_index, tmp_path):
    folder = Path(sample_index).resolve()
    generation, computed = _computed(folder, tmp_path)
    stored = served_files.load(folder, generation)
    assert stored is not None and len(stored.date_order) > 500
    _same(stored, computed)
    assert served_files.load(folder, generation + 1) is None  # another commit's files: none


def _doc(n: int, unit: str) -> Document:
    return Document(
        id=f"泸测-{n}", title=f"关于第{n}项工作的通知", doc_number=f"泸测〔2021〕{n}号", offices=["县政府"],
        doc_type="通知", date=f"2021-0{n}-01", text="", source="t.txt",
        clauses=[Clause(id=f"泸测-{n}/1", label="一、", path=["一、"], text=f"第{n}项工作由{unit}牵头。",
                        lead_units=[unit], units=[Unit(unit, "lead", unit)])])


def test_an_add_reads_only_its_own_documents_and_keeps_the_other_files(tmp_path, monkeypatch):
    build_index([_doc(1, "县财政局"), _doc(2, "县教体局")], tmp_path / "index", progress=False)
    index = open_index(tmp_path / "index")
    assert [doc.id for doc, _ in index.unit_clauses("县财政局")] == ["泸测-1"]
    folder = (tmp_path / "index").resolve()
    built = {p.name: p.stat().st_ino for p in folder.glob(f"{arrays.PIECE}*")}
    parsed = []
    fresh = arrays._fresh
    monkeypatch.setattr(arrays, "_fresh", lambda stored: parsed.append(stored) or fresh(stored))
    add_documents([_doc(3, "县财政局"), _doc(1, "县教体局")], tmp_path / "index", progress=False)
    # Only the added and the replaced document are read: the built segment's rows stay, file for file.
    assert sorted(json.loads(stored)["id"] for stored in parsed) == ["泸测-1", "泸测-3"]
    monkeypatch.undo()
    kept = {p.name: p.stat().st_ino for p in folder.glob(f"{arrays.PIECE}*")}
    assert built and built.items() < kept.items()
    generation, computed = _computed(folder, tmp_path / "computed")
    stored = served_files.load(folder, generation)
    assert stored is not None and len(stored.counts["segments"]) == 2
    _same(stored, computed)
    # The older commit's own files are gone; the segments' rows are shared by both.
    assert {p.name.split(".")[0] for p in folder.glob("serving-*")} == \
        {f"serving-{generation}", *(f"{arrays.PIECE}{segid}" for segid in stored.counts["segments"])}
    # Newest first; the replaced document moved to the other unit.
    assert [doc.id for doc, _ in index.unit_clauses("县财政局")] == ["泸测-3"]
    assert [doc.id for doc, _ in index.unit_clauses("县教体局")] == ["泸测-2", "泸测-1"]


def _answers(index) -> list:
    """What searches, facets, unit pages and look-ups answer, to compare two indexes."""
    found = []
    for q in (SearchQuery(text="工作"), SearchQuery(text="", sort="date"), SearchQuery(text="牵头", units=("县财政局",)),
              SearchQuery(text="第3项")):
        result = index.search(q)
        found.append((result.total, [hit.clause_id for hit in result.hits],
                      [(f.name, [(v.value, v.count) for v in f.results]) for f in result.facets]))
    found.append([(doc.id, [c.id for c in clauses]) for doc, clauses in index.unit_clauses("县财政局")])
    found.append([doc.id for doc in index.documents()])
    found.append(index.resolve_doc_number("泸测〔2021〕1号"))
    return found


def test_adds_answer_like_a_build_of_the_same_documents(tmp_path):
    build_index([_doc(n, "县财政局") for n in (1, 2, 3)], tmp_path / "added", progress=False)
    add_documents([_doc(4, "县教体局"), _doc(2, "县教体局")], tmp_path / "added", progress=False)
    add_documents([_doc(5, "县财政局"), _doc(1, "县卫健局")], tmp_path / "added", progress=False)
    build_index([_doc(3, "县财政局"), _doc(4, "县教体局"), _doc(2, "县教体局"), _doc(5, "县财政局"),
                 _doc(1, "县卫健局")], tmp_path / "built", progress=False)
    added, built = open_index(tmp_path / "added"), open_index(tmp_path / "built")
    assert len(added.snapshot().served.counts["segments"]) == 3
    assert _answers(added) == _answers(built)


def test_adds_that_merge_segments_answer_like_a_build(tmp_path):
    build_index([_doc(1, "县财政局")], tmp_path / "added", progress=False)
    for n, unit in ((2, "县教体局"), (3, "县财政局"), (1, "县卫健局"), (4, "县财政局"), (5, "县教体局")):
        add_documents([_doc(n, unit)], tmp_path / "added", progress=False)
    build_index([_doc(2, "县教体局"), _doc(3, "县财政局"), _doc(1, "县卫健局"), _doc(4, "县财政局"), _doc(5, "县教体局")],
                tmp_path / "built", progress=False)
    added, built = open_index(tmp_path / "added"), open_index(tmp_path / "built")
    folder = (tmp_path / "added").resolve()
    segments = added.snapshot().served.counts["segments"]
    assert len(segments) < 6  # Whoosh merged the small segments: their rows were written again, once
    assert {p.name.split(".")[0] for p in folder.glob(f"{arrays.PIECE}*")} == {f"{arrays.PIECE}{s}" for s in segments}
    assert _answers(added) == _answers(built)


def test_a_segment_whose_rows_are_all_replaced_is_computed_like_the_stored_files(tmp_path):
    build_index([_doc(1, "县财政局")], tmp_path / "index", progress=False)
    add_documents([_doc(2, "县教体局")], tmp_path / "index", progress=False)
    add_documents([_doc(2, "县财政局")], tmp_path / "index", progress=False)  # the first add's segment: all deleted
    folder = (tmp_path / "index").resolve()
    generation, computed = _computed(folder, tmp_path / "computed")
    stored = served_files.load(folder, generation)
    _same(stored, computed)
    assert [doc.id for doc, _ in open_index(tmp_path / "index").unit_clauses("县财政局")] == ["泸测-2", "泸测-1"]


def test_a_generation_without_its_files_is_computed_from_its_segments_rows(tmp_path, monkeypatch):
    build_index([_doc(1, "县财政局"), _doc(2, "县教体局")], tmp_path / "index", progress=False)
    add_documents([_doc(3, "县财政局")], tmp_path / "index", progress=False)
    folder = (tmp_path / "index").resolve()
    expected = _answers(open_index(tmp_path / "index"))
    written = []
    write_piece = arrays.write_piece
    monkeypatch.setattr(arrays, "write_piece", lambda leaf, target: written.append(leaf) or write_piece(leaf, target))
    # As between an add's commit and its `write`: the generation's own files are not there yet.
    for path in folder.glob("serving-*"):
        if not path.name.startswith(arrays.PIECE):
            path.unlink()
    answers = _answers(Index(tmp_path / "index"))  # a new process's view: no cached generation
    assert written == []  # every segment's rows were there: none is read again
    assert answers == expected


def _walk_unit_clauses(index, unit):
    """The old way: every document's clauses."""
    grouped = []
    for doc in index.documents():
        clauses = [c for c in doc.clauses if unit in c.unit_names]
        if clauses:
            grouped.append((doc.id, [c.id for c in clauses]))
    return grouped


def test_unit_clauses_equal_a_walk_over_every_document(sample_index):
    index = open_index(sample_index)
    units = {u for doc in index.documents() for c in doc.clauses for u in c.unit_names}
    assert len(units) > 20
    for unit in units:
        found = [(doc.id, [c.id for c in clauses]) for doc, clauses in index.unit_clauses(unit)]
        assert found == _walk_unit_clauses(index, unit), unit


_SERVE = textwrap.dedent("""
    import sys
    sys.path.insert(0, {root!r})
    from index import open_index
    from index.query import SearchQuery
    index = open_index({index!r})
    index.search(SearchQuery(text="", sort="date", size=50))
    index.search(SearchQuery(text="建设"))  # ranked: ties by date rank
    index.search(SearchQuery(text="县"))  # one character: looked for in every unit's folded text
    print("ready", flush=True)
    sys.stdin.read()
""")


def _mapped_serving_files(pid: int) -> dict[str, tuple[str, int]]:
    """Path → (inode, kB of its pages also mapped by another process) of the `serving-*` files `pid` maps."""
    found, current = {}, None
    for line in Path(f"/proc/{pid}/smaps").read_text().splitlines():
        parts = line.split()
        if len(parts) >= 6 and "-" in parts[0] and ":" in parts[3]:
            current = parts[5] if "/serving-" in parts[5] else None
            if current:
                found[current] = (parts[4], 0)
        elif current and parts[0] in ("Shared_Clean:", "Shared_Dirty:"):  # dirty: just written, not yet on disk
            found[current] = (found[current][0], found[current][1] + int(parts[1]))
    return found


def test_two_serving_processes_share_the_mapped_files(sample_index):
    code = _SERVE.format(root=str(ROOT), index=str(sample_index))
    workers = [subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
               for _ in range(2)]
    try:
        assert [w.stdout.readline().strip() for w in workers] == ["ready", "ready"]
        first, second = (_mapped_serving_files(w.pid) for w in workers)
    finally:
        for w in workers:
            w.communicate("", timeout=30)
    searched = {".rank", ".order", ".folded", ".folded_at", ".unit_doc"}
    assert {Path(p).suffix for p in first} >= searched
    assert set(first) == set(second)
    assert all(first[path][0] == second[path][0] for path in first)  # the same files
    # The pages searches read are in memory once for both processes (shared), not copied into each.
    for path in first:
        if Path(path).suffix in searched:
            assert first[path][1] > 0 and second[path][1] > 0, path


def test_opening_a_generation_parses_no_unit_and_a_search_only_its_hits(sample_index, monkeypatch):
    from corpus.model import Clause
    from index.query import SearchQuery
    from index.search import Snapshot

    parsed = []
    original = Clause.from_dict.__func__
    monkeypatch.setattr(Clause, "from_dict", classmethod(lambda cls, data: parsed.append(data["id"]) or original(cls, data)))
    snapshot = Snapshot(Path(sample_index).resolve())
    assert parsed == []
    result = snapshot.search(SearchQuery(text="学校", size=3))
    assert result.total > 3 and [hit.clause_id for hit in result.hits] == parsed
