"""Read files and folders of any supported kind into documents, one bad file never stopping the rest.

Each file goes to its reader (`corpus.readers`: chosen by content first, the file name only
breaking ties), and what the reader read to extraction (`corpus.extract`).

What one file may cost is bounded, so that no file stalls or sinks a build: a file over its
reader's limit (text and web pages: 20 MB; a gazette issue is about 0.3 MB of text) or any
file over `MAX_FILE_MB` is refused unread; `load_paths` parses each file in a worker process limited
to `FILE_MEMORY_MB` of address space beyond the parent's and `FILE_SECONDS` of time, and a
file that overruns either is skipped and reported while the next file goes on in a fresh worker.

>>> from corpus import SAMPLE_DIR
>>> report = load_paths([SAMPLE_DIR])
>>> len(report.documents) > 30, report.skipped
(True, [])
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import signal
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from corpus.errors import IngestError
from corpus.extract import documents_from
from corpus.model import Document
from corpus.readers import reader_for

MAX_FILE_MB = 100
FILE_SECONDS = 60.0
FILE_MEMORY_MB = 1536


@dataclass
class LoadReport:
    """What `load_paths` ingested: documents, files read, and each skipped file with its reason."""

    documents: list[Document] = field(default_factory=list)
    files: int = 0
    skipped: list[IngestError] = field(default_factory=list)


def last_of_each_id(documents: Iterable[Document]) -> tuple[list[Document], list[Document]]:
    """One document per id, the last one given, and the documents a later one with their id replaced.

    An index holds one document per id (Whoosh cannot delete what the same writer buffered).

    >>> from corpus.model import Document
    >>> a, b, c = (Document(id=i, title="", doc_number=None, offices=[], doc_type=None, date=None, text="",
    ...                     source=s) for i, s in (("x", "a.txt"), ("y", "b.txt"), ("x", "c.txt")))
    >>> kept, replaced = last_of_each_id([a, b, c])
    >>> [d.source for d in kept], [d.source for d in replaced]
    (['c.txt', 'b.txt'], ['a.txt'])
    """
    kept: dict[str, Document] = {}
    replaced = []
    for doc in documents:
        if doc.id in kept:
            replaced.append(kept[doc.id])
        kept[doc.id] = doc
    return list(kept.values()), replaced


def parse_bytes(raw: bytes, source: str) -> list[Document]:
    """Documents in one file's bytes; `source` is the name recorded on each document."""
    reader = reader_for(raw, source)
    if reader is None:
        raise IngestError(source, f"不支持的文件类型（{Path(source).suffix or '无扩展名'}）")
    if reader.max_mb is not None and len(raw) > reader.max_mb << 20:
        raise IngestError(source, f"文本文件过大（{len(raw) >> 20} MB，上限 {reader.max_mb} MB），未解析")
    if not raw.strip():
        raise IngestError(source, "空文件")
    return documents_from(reader.read(raw, source))


def parse_file(path: str | os.PathLike) -> list[Document]:
    """Documents in one file; raises IngestError naming the file for anything unreadable."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_MB << 20:
            raise IngestError(str(path), f"文件过大（{size >> 20} MB，上限 {MAX_FILE_MB} MB），未读取")
        raw = path.read_bytes()
    except OSError as exc:
        raise IngestError(str(path), f"无法读取：{exc.strerror or exc}") from None
    return parse_bytes(raw, path.name)


def iter_files(paths: list[str | os.PathLike]):
    """Files named, and the files inside folders named (recursively, sorted).

    Inside folders only hidden files and folders (`.DS_Store`, `.git/`) are left out; files
    of other kinds are yielded too, so that `load_paths` reports them as skipped.
    """
    for p in map(Path, paths):
        if p.is_dir():
            for sub in sorted(p.rglob("*")):
                if sub.is_file() and not any(part.startswith(".") for part in sub.relative_to(p).parts):
                    yield sub
        else:
            yield p


def _parse_or_report(path: str) -> tuple[str, object]:
    """("ok", documents) or ("skip", IngestError) for one file; ("stop", exc) for KeyboardInterrupt or SystemExit."""
    try:
        return "ok", parse_file(path)
    except IngestError as exc:
        return "skip", exc
    except MemoryError:
        return "skip", IngestError(path, f"超出内存上限（{FILE_MEMORY_MB} MB），已跳过")
    except Exception as exc:  # one file's failure must not stop the others
        return "skip", IngestError(path, f"解析出错（{type(exc).__name__}: {exc}）")
    except BaseException as exc:
        return "stop", exc


def _worker(conn, memory_limit: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the parent's to handle
    resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))
    while True:
        try:
            path = conn.recv()
        except EOFError:
            return
        conn.send(_parse_or_report(path))


class FileParser:
    """A worker process that parses one file at a time within `FILE_SECONDS` and `FILE_MEMORY_MB`.

    >>> from corpus import SAMPLE_DIR
    >>> with FileParser() as parser:
    ...     len(parser.parse(SAMPLE_DIR / "luxi-gazette-2023-01.txt")) > 10
    True
    """

    def __init__(self):
        self._process = None
        self._conn = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _start(self) -> None:
        context = multiprocessing.get_context("fork")
        self._conn, child = context.Pipe()
        with open("/proc/self/statm") as statm:
            current = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        self._process = context.Process(target=_worker, args=(child, current + (FILE_MEMORY_MB << 20)), daemon=True)
        self._process.start()
        child.close()

    def close(self) -> None:
        if self._process is not None:
            self._conn.close()
            self._process.kill()
            self._process.join()
            self._process = self._conn = None

    def parse(self, path: str | os.PathLike) -> list[Document]:
        """The documents of one file; raises IngestError for a bad file, or one that overran its budget."""
        if self._process is None:
            self._start()
        self._conn.send(str(path))
        if not self._conn.poll(FILE_SECONDS):
            self.close()
            raise IngestError(str(path), f"解析超时（超过 {FILE_SECONDS:g} 秒），已跳过")
        try:
            outcome, value = self._conn.recv()
        except (EOFError, OSError):
            self.close()
            raise IngestError(str(path), f"解析进程异常退出（可能超出内存上限 {FILE_MEMORY_MB} MB），已跳过") from None
        if outcome == "ok":
            return value
        raise value


def load_paths(paths: list[str | os.PathLike], progress=None) -> LoadReport:
    """Parse every file under `paths`; errors are collected in the report, never raised.

    Each file is parsed by a `FileParser` (a worker process, within a time and memory budget).
    A parser failing in a way it did not foresee (a bug, a library choking on odd input)
    skips that file too, reported as a parser error; only KeyboardInterrupt and SystemExit
    stop the run. `progress`, if given, is called with each file path before it is parsed.
    """
    report = LoadReport()
    with FileParser() as parser:
        for path in iter_files(paths):
            report.files += 1
            if progress:
                progress(path)
            try:
                report.documents.extend(parser.parse(path))
            except IngestError as exc:
                report.skipped.append(exc)
    return report
