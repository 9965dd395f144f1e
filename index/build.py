"""Build an index from documents (atomically replacing the old one), or add documents to it.

`index.service` shows a build and a search end to end; tests/test_index_build.py kills one midway.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sys
from collections.abc import Iterable

from tqdm import tqdm
from whoosh import index as whoosh_index

from corpus.ingest import LoadReport, iter_files, load_paths
from corpus.model import Document
from index import arrays, messages
from index.codec import BuildCodec
from index.schema import make_schema, records
from index.storage import BUILT_AT_FILE, IndexMissing, live_dir, swap_in, temporary_dir
from tokenizer import user_words

WRITER_MEMORY_MB = 512
PARALLEL_CLAUSES = 20_000
MAX_PROCESSES = 4


class NoDocuments(Exception):
    """None of the sources held a document: the index is left as it was."""


class IndexBusy(Exception):
    """Another process holds the index's write lock (an add running): nothing was added."""

    def __init__(self):
        super().__init__(messages.INDEX_BUSY)


def load_sources(sources: list[str | os.PathLike], progress: bool = True) -> LoadReport:
    """Parse files and folders for indexing, with a progress bar; raises NoDocuments if none loads."""
    files = list(iter_files(sources))
    with tqdm(total=len(files), desc="解析", unit="个文件", file=sys.stderr, disable=not progress) as bar:
        report = load_paths(files, progress=lambda path: bar.update(1))
    if not report.documents:
        reasons = "; ".join(str(skip) for skip in report.skipped) or "没有文件"
        raise NoDocuments(f"{', '.join(map(str, sources))} 中没有可索引的公文（{reasons}），索引未改动")
    return report


def _parallel(documents: list[Document]) -> dict:
    """Writer options: a large corpus is indexed by one process per core, one segment each.

    Measured on 10,000 clauses, 2 cores: 53 s in one process, 22 s in two (no final merge).
    Small corpora stay in one process, where starting workers would cost more than it saves.
    """
    processes = min(MAX_PROCESSES, os.cpu_count() or 1)
    if processes < 2 or sum(len(doc.clauses) for doc in documents) < PARALLEL_CLAUSES:
        return {}
    return {"procs": processes, "multisegment": True}


def _write(writer, documents: Iterable[Document], progress: bool, replace: bool) -> None:
    try:
        for doc in tqdm(documents, desc="索引", unit="篇", disable=not progress):
            if replace:
                writer.delete_by_term("doc_id", doc.id)
            for record in records(doc):
                writer.add_document(**record)
    except BaseException:
        writer.cancel()
        raise
    if progress:
        # Whoosh merges its sorted runs here, without a progress hook: say why it is quiet.
        print("写入索引文件…", file=sys.stderr, flush=True)
    writer.commit()


def _last_of_each_id(documents: Iterable[Document]) -> list[Document]:
    """One document per id, the last one given (Whoosh cannot delete what the same writer buffered)."""
    return list({doc.id: doc for doc in documents}.values())


def build_index(documents: Iterable[Document], index_dir: str | os.PathLike, progress: bool = True) -> None:
    """Index `documents` into a new index and swap it in at `index_dir` (the old one serves until then).

    Documents sharing an id are indexed once (the last one wins), as an incremental add would.
    """
    documents = _last_of_each_id(documents)
    tmp = temporary_dir(index_dir)
    try:
        ix = whoosh_index.create_in(str(tmp), make_schema(user_words(documents)))
        writer = ix.writer(limitmb=WRITER_MEMORY_MB, codec=BuildCodec(), **_parallel(documents))
        _write(writer, documents, progress, replace=False)
        ix.close()
        arrays.write(tmp)
        (tmp / BUILT_AT_FILE).write_text(dt.datetime.now(dt.UTC).isoformat(timespec="seconds"))
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    swap_in(tmp, index_dir)


def add_documents(documents: Iterable[Document], index_dir: str | os.PathLike, progress: bool = True) -> None:
    """Add documents to the index at `index_dir` in one commit; a document already there is replaced.

    Raises IndexBusy when another process is adding to the same index.

    Documents sharing an id are added once (the last one wins).
    Builds a new index when there is none. Words new to the jieba dictionary of the index
    are cut by jieba's own dictionary until the next full build; literal recall is unaffected.
    """
    documents = _last_of_each_id(documents)
    try:
        folder = live_dir(index_dir)
    except IndexMissing:
        build_index(documents, index_dir, progress)
        return
    ix = whoosh_index.open_dir(str(folder))
    try:
        try:
            writer = ix.writer(limitmb=WRITER_MEMORY_MB, codec=BuildCodec())
        except whoosh_index.LockError:
            raise IndexBusy() from None
        _write(writer, documents, progress, replace=True)
    finally:
        ix.close()
    # Serving reads the index itself until the arrays of the new commit are there.
    arrays.write(folder)
