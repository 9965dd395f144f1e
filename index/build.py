"""Build an index from documents (atomically replacing the old one), or add documents to it.

`index.service` shows a build and a search end to end; tests/test_index_build.py kills one midway.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import shutil
import sys
from collections.abc import Iterable
from concurrent import futures
from pathlib import Path

from tqdm import tqdm
from whoosh import index as whoosh_index
from whoosh.reading import SegmentReader

from corpus.ingest import LoadReport, iter_files, last_of_each_id, load_paths
from corpus.model import Document
from index import arrays
from index.codec import BuildCodec
from index.schema import make_schema, records
from index.storage import (
    BUILT_AT_FILE,
    WRITE_WAIT_SECONDS,
    IndexBusy,
    IndexMissing,
    live_dir,
    swap_in,
    temporary_dir,
    write_lock,
)
from index.writer import SegmentWriter
from tokenizer import user_words
from tokenizer.segment import segmenter_for

WRITER_MEMORY_MB = 512
PARALLEL_CLAUSES = 20_000
SEGMENT_CLAUSES = 250_000
MAX_PROCESSES = 4


class NoDocuments(Exception):
    """None of the sources held a document: the index is left as it was."""


def load_sources(sources: list[str | os.PathLike], progress: bool = True) -> LoadReport:
    """Parse files and folders for indexing, with a progress bar; raises NoDocuments if none loads."""
    files = list(iter_files(sources))
    with tqdm(total=len(files), desc="解析", unit="个文件", file=sys.stderr, disable=not progress) as bar:
        report = load_paths(files, progress=lambda path: bar.update(1))
    if not report.documents:
        reasons = "; ".join(str(skip) for skip in report.skipped) or "没有文件"
        raise NoDocuments(f"{', '.join(map(str, sources))} 中没有可索引的公文（{reasons}），索引未改动")
    return report


def _parts(documents: list[Document]) -> list[list[Document]]:
    """The documents in runs of about equal clause counts, one segment each, written side by side.

    A large corpus is split into one run per core (more when a run would pass
    SEGMENT_CLAUSES, which bounds a writer's memory); a small one stays in one run, where
    starting a worker would cost more than it saves.
    """
    processes = min(MAX_PROCESSES, os.cpu_count() or 1)
    total = sum(len(doc.clauses) + 1 for doc in documents)
    if processes < 2 or total < PARALLEL_CLAUSES:
        return [documents]
    count = max(processes, -(-total // SEGMENT_CLAUSES))
    parts: list[list[Document]] = [[] for _ in range(count)]
    done = 0
    for doc in documents:
        parts[min(count - 1, done * count // total)].append(doc)
        done += len(doc.clauses) + 1
    return [part for part in parts if part]


# What a worker process writes from: set before the workers fork, so documents are never pickled.
_WORK: dict = {}


def _write_part(number: int):
    """In a worker: write one run of documents as a segment of the index, and its serving rows; returns the segment."""
    ix, parts, written = _WORK["ix"], _WORK["parts"], _WORK["written"]
    writer = SegmentWriter(ix, _lk=False)
    for doc in parts[number]:
        for record in records(doc):
            writer.add_document(**record)
        with written.get_lock():
            written.value += 1
    segment = writer._finalize_segment()
    with SegmentReader(ix.storage, ix.schema, segment) as reader:
        arrays.write_piece(reader, Path(ix.storage.folder))
    return segment


def _write_parallel(writer, ix, parts: list[list[Document]], words: tuple[str, ...], progress: bool) -> None:
    """Each run of documents written by a worker process into a segment of its own; one commit lists them all."""
    segmenter_for(words)  # loaded before the workers fork, so they share it
    context = multiprocessing.get_context("fork")
    written = context.Value("l", 0)
    _WORK.update(ix=ix, parts=parts, written=written)
    try:
        with futures.ProcessPoolExecutor(min(len(parts), MAX_PROCESSES, os.cpu_count() or 1),
                                         mp_context=context) as pool:
            # The workers fork on the first submit, before the progress bar starts a thread.
            running = [pool.submit(_write_part, number) for number in range(len(parts))]
            with tqdm(total=sum(map(len, parts)), desc="索引", unit="篇", disable=not progress) as bar:
                while not all(f.done() for f in running):
                    futures.wait(running, timeout=0.5, return_when=futures.FIRST_EXCEPTION)
                    bar.update(written.value - bar.n)
            segments = [f.result() for f in running]
        writer.commit_segments(segments)
    except BaseException:
        writer.cancel()
        raise
    finally:
        _WORK.clear()


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
        # The postings are written here, without a progress hook: say why it is quiet.
        print("写入索引文件…", file=sys.stderr, flush=True)
    writer.commit()


def build_index(documents: Iterable[Document], index_dir: str | os.PathLike, progress: bool = True,
                wait: float = WRITE_WAIT_SECONDS) -> None:
    """Index `documents` into a new index and swap it in at `index_dir` (the old one serves until then).

    Documents sharing an id are indexed once (the last one wins), as an incremental add would.
    Waits up to `wait` seconds for another writer of the index to finish, else raises IndexBusy.
    """
    documents, _ = last_of_each_id(documents)
    with write_lock(index_dir, wait):
        _build_locked(documents, index_dir, progress)


def _build_locked(documents: list[Document], index_dir: str | os.PathLike, progress: bool) -> None:
    tmp = temporary_dir(index_dir)
    try:
        words = user_words(documents)
        ix = whoosh_index.create_in(str(tmp), make_schema(words))
        writer = SegmentWriter(ix)
        parts = _parts(documents)
        if len(parts) > 1:
            _write_parallel(writer, ix, parts, words, progress)
        else:
            _write(writer, documents, progress, replace=False)
        ix.close()
        arrays.write(tmp)
        (tmp / BUILT_AT_FILE).write_text(dt.datetime.now(dt.UTC).isoformat(timespec="seconds"))
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    swap_in(tmp, index_dir)


def add_documents(documents: Iterable[Document], index_dir: str | os.PathLike, progress: bool = True,
                  wait: float = WRITE_WAIT_SECONDS) -> None:
    """Add documents to the index at `index_dir` in one commit; a document already there is replaced.

    Waits up to `wait` seconds for another writer (a build, an add) to finish, else raises
    IndexBusy: the lock is held from reading the live generation to the commit, so a build
    swapped in meanwhile never drops what was added.

    Documents sharing an id are added once (the last one wins).
    Builds a new index when there is none. Words new to the jieba dictionary of the index
    are cut by jieba's own dictionary until the next full build; literal recall is unaffected.
    """
    documents, _ = last_of_each_id(documents)
    with write_lock(index_dir, wait):
        try:
            folder = live_dir(index_dir)
        except IndexMissing:
            _build_locked(documents, index_dir, progress)
            return
        _add_locked(documents, folder, progress)


def _add_locked(documents: list[Document], folder, progress: bool) -> None:
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
