"""The serving side's numpy paths give what the plain ways give: posting arrays read from the mapped blocks
equal Whoosh's own matchers (several segments, deleted rows), literal matching equals a substring test on
every unit, headings and the best-first order equal their definitions."""

import random

import numpy as np

from corpus.model import Clause, Document
from index import bits, open_index
from index.build import add_documents, build_index
from index.postings import postings
from index.ranking import _best

WORDS = ["建设", "乡村", "振兴", "监督", "学校", "清廉", "工作", "加强", "推进", "乡镇"]


def _documents(count: int, seed: int, prefix: str) -> list[Document]:
    rng = random.Random(seed)
    docs = []
    for d in range(count):
        clauses = [Clause(id=f"{prefix}{d}/{i}", label=f"{i}.", path=[f"{i}."], heading=rng.choice(["", "乡村建设"]),
                          text="".join(rng.choice(WORDS) for _ in range(rng.randint(1, 40))) + "。")
                   for i in range(1, 30)]
        docs.append(Document(id=f"{prefix}{d}", title=f"关于{rng.choice(WORDS)}的通知", doc_number=None, offices=[],
                             doc_type="通知", date=f"202{d % 10}-01-0{1 + d % 9}", text="", source="",
                             clauses=clauses))
    return docs


def test_posting_arrays_equal_whoosh_matchers_and_literals_equal_substring_tests(tmp_path):
    folder = tmp_path / "index"
    build_index(_documents(12, 1, "a"), folder, progress=False)
    # A second segment, and the first one's rows of a replaced document deleted.
    add_documents(_documents(3, 2, "a") + _documents(4, 3, "b"), folder, progress=False)
    snapshot = open_index(folder).snapshot()
    reader = snapshot.reader
    assert len(list(reader.leaf_readers())) > 1 and reader.has_deletions()
    for field in ("body", "grams"):
        for term in reader.field_terms(field):
            found = postings(reader, field, term)
            expected = [(n, w) for n, w in reader.postings(field, term).items_as("weight")]
            live = set(reader.all_doc_ids())
            assert [(n, w) for n, w in zip(found.ids.tolist(), found.weights.tolist(), strict=True) if n in live] \
                == expected
    texts = {n: snapshot.served.folded[n] for n in bits.to_ids(snapshot.all_bits)}
    for key in ["建设", "设乡", "乡村振兴", "振兴监督学校", "村", "。建", "清廉工作加强推进"]:
        assert bits.to_ids(snapshot.literals.bits(key)) == sorted(n for n, t in texts.items() if key in t)
    holding = snapshot.heading_units.holding("乡村").tolist()
    assert holding and holding == [n for n in texts if "乡村" in (snapshot.clause_at[n].heading or "")]


def test_best_first_is_the_sorted_order():
    rng = np.random.default_rng(5)
    ids = np.sort(rng.choice(10_000, 3_000, replace=False))
    scores = rng.integers(0, 50, len(ids)).astype(float) / 7  # many ties
    rank = rng.permutation(10_000)
    for count in (1, 10, 2_999, 3_000, 5_000):
        expected = sorted(zip(ids.tolist(), scores.tolist(), strict=True), key=lambda p: (-p[1], rank[p[0]]))[:count]
        assert _best(ids, scores, count, rank) == expected


def test_per_unit_and_per_value_data_are_read_from_the_mapped_files(tmp_path):
    folder = tmp_path / "index"
    build_index(_documents(5, 4, "c"), folder, progress=False)
    snapshot = open_index(folder).snapshot()
    rows = snapshot.facet_bits["type"].rows
    assert isinstance(rows, np.memmap) and not rows.flags.writeable
    assert isinstance(snapshot.heading_units.blob, np.memmap) and isinstance(snapshot.lengths, np.memmap)
    # The catalog's metadata is parsed per document when asked for, and equals the whole document's.
    whole = snapshot.documents["c3"]
    light = snapshot.catalog[snapshot.served.doc_index["c3"]]
    assert light.clauses == [] and light.to_dict() == {**whole.to_dict(), "text": "", "clauses": []}
    assert snapshot.references.resolve(f"《{whole.title}》").doc.title == whole.title
