"""The search service: one `Index` per index folder per process, reopened when the folder changes.

Searches in one process are serialised: a generation's lock admits one search at a time (its
caches are shared, and a replaced generation is closed only when no search holds it); being
pure Python, they would hold the GIL anyway. For parallel searches run one process per core,
e.g. `gunicorn -w 2 'app:create_app()'`.

>>> import tempfile
>>> from corpus.model import Clause, Document
>>> doc = Document(id="泸发-2021-24", title="关于推进清廉泸溪建设的意见", doc_number="泸发〔2021〕24号",
...                offices=["中共泸溪县委"], doc_type="意见", date="2021-11-12", text="", source="a.txt",
...                clauses=[Clause(id="泸发-2021-24/5.18", label="18.", path=["五、", "18."],
...                                text="建设清廉学校。（牵头单位：县教体局）")])
>>> from index.build import build_index
>>> folder = tempfile.mkdtemp()
>>> build_index([doc], f"{folder}/index", progress=False)
>>> index = open_index(f"{folder}/index")
>>> [hit.clause_id for hit in index.search(SearchQuery(text="廉学")).hits]
['泸发-2021-24/5.18']
>>> index.resolve_doc_number("泸发[2021]24号")
'泸发-2021-24'
"""

from __future__ import annotations

import gc
import logging
import os
import threading
from collections.abc import Sequence
from pathlib import Path

from corpus.docnumber import doc_number_key
from corpus.model import Clause, Document
from index import unit_facet
from index.citation import Found
from index.query import SearchQuery
from index.results import SearchResult
from index.search import FACET_LIMIT, Snapshot
from index.served import DocumentList
from index.storage import IndexMissing, IndexUnreadable, live_dir, version

logger = logging.getLogger(__name__)
_cache: dict[str, Index] = {}
_cache_lock = threading.Lock()


class Index:
    """Searches and looks up documents in the index at `index_dir` (see `open_index`)."""

    def __init__(self, index_dir: str | os.PathLike):
        self.index_dir = Path(index_dir)
        self._snapshot: Snapshot | None = None
        self._version = None
        self._failure: IndexUnreadable | None = None
        self._lock = threading.Lock()

    def snapshot(self) -> Snapshot:
        """The current generation, reopened if a rebuild or an add changed the folder.

        A generation that fails to load is tried once, not on every request: the previous one
        keeps serving (the failure is logged) until the folder changes again; with no previous
        one, `IndexUnreadable` (an `IndexMissing`) is raised.
        """
        current = version(self.index_dir)
        if current != self._version:
            with self._lock:
                if current != self._version:
                    self._reopen(current)
        if self._snapshot is None:
            raise self._failure
        return self._snapshot

    def _reopen(self, current) -> None:
        try:
            fresh = Snapshot(live_dir(self.index_dir))
        except IndexMissing:
            raise
        except Exception as exc:  # whatever a damaged folder raises, the site must not fail on every page
            self._version, self._failure = current, IndexUnreadable(self.index_dir, exc)
            logger.error("%s%s", self._failure, "；继续使用上一版索引" if self._snapshot else "")
            return
        old, self._snapshot, self._version = self._snapshot, fresh, current
        if old is not None:
            with old.lock:  # waits for a search still running on it
                old.close()
            # A generation's objects refer to each other, so only the cycle collector frees them: collect
            # now, so the files the swap deleted (segments, serving files) are unmapped now, not at some
            # later full collection. Whatever a page still reads of it stays mapped until that page ends.
            del old
            gc.collect()

    def search(self, q: SearchQuery, facet_limit: int = FACET_LIMIT) -> SearchResult:
        """Clause hits, facets and notices for `q` (see `index.search`)."""
        while True:
            snapshot = self.snapshot()
            with snapshot.lock:
                if not snapshot.closed:  # else a newer generation replaced it meanwhile: use that
                    return snapshot.search(q, facet_limit)

    def clear_caches(self) -> None:
        """Forget the per-generation caches (literal bitsets, word scores): for cold-query benchmarks."""
        snapshot = self.snapshot()
        with snapshot.lock:
            snapshot.clear_caches()

    def document(self, doc_id: str) -> Document | None:
        return self.snapshot().documents.get(doc_id)

    def clause(self, clause_id: str) -> tuple[Document, Clause] | None:
        return self.snapshot().clauses.get(clause_id)

    def resolve_doc_number(self, text: str) -> str | None:
        """The id of the document whose 文号 is `text`, written with any kind of brackets."""
        return self.snapshot().doc_number_id(text)

    def reference(self, text: str) -> Found | None:
        """What a reference (`《标题》（文号）第五部分第18项`, `泸发[2021]24号 五 18`) names: `index.citation`."""
        return self.snapshot().references.resolve(text)

    def cited_by(self, doc_id: str) -> list[Document]:
        """Documents whose citations name this document's 文号, newest first."""
        snapshot = self.snapshot()
        doc = snapshot.documents.get(doc_id)
        if doc is None or not doc.doc_number:
            return []
        citing = snapshot.references.citing_documents(doc_number_key(doc.doc_number))
        return [other for other in citing if other.id != doc_id]

    def unit_clauses(self, unit_name: str) -> list[tuple[Document, list[Clause]]]:
        """The clauses whose normalised units include `unit_name`, grouped by document, newest first.

        Read from the unit facet's bitset in date order: the page costs its own clauses, not a walk over every document.
        """
        snapshot = self.snapshot()
        members = snapshot.facet_bits.get("unit", {}).get(unit_name, 0)
        grouped: list[tuple[Document, list[Clause]]] = []
        for docnum in snapshot.by_date(members, members.bit_count()):
            doc, clause = snapshot.doc_at[docnum], snapshot.clause_at[docnum]
            if not any(unit_facet.names_unit(unit, unit_name) for unit in clause.units):
                continue
            if grouped and grouped[-1][0] is doc:
                grouped[-1][1].append(clause)
            else:
                grouped.append((doc, [clause]))
        return grouped

    def units_named(self, name: str) -> dict[str, int]:
        """The units several governments call `name` (`市财政局（丽水市）`…), each with its clause count."""
        return {key: bits.bit_count() for key, bits in
                unit_facet.named(self.snapshot().facet_bits.get("unit", {}), name).items()}

    def documents(self, limit: int | None = None) -> Sequence[Document]:
        """Every document (or the newest `limit`), newest first (each parsed when it is read)."""
        every = DocumentList(self.snapshot().served)
        return every if limit is None else every[:limit]

    def stats(self) -> dict:
        snapshot = self.snapshot()
        return {"documents": len(snapshot.documents), "clauses": len(snapshot.docnums),
                "built_at": snapshot.built_at}


def open_index(index_dir: str | os.PathLike) -> Index:
    """The process's `Index` for `index_dir`; raises `IndexMissing` when there is no index there."""
    key = os.path.abspath(index_dir)
    with _cache_lock:
        index = _cache.get(key)
        if index is None:
            index = _cache[key] = Index(key)
    index.snapshot()
    return index
