"""Read files and folders of any supported kind into documents, one bad file never stopping the rest.

The kind of a file is detected from its content (a PDF or ZIP signature, HTML tags),
the file name only breaking ties. Text is decoded as UTF-8 (with or without BOM) or
GB18030, whichever decodes cleanly.

What one file may cost is bounded, so that no file stalls or sinks a build: a text or web
page file over `MAX_TEXT_MB`, or any file over `MAX_FILE_MB`, is refused unread (a gazette
issue is about 0.3 MB of text); `load_paths` parses each file in a worker process limited
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

from corpus.model import Document

MAX_TEXT_MB = 20
MAX_FILE_MB = 100
FILE_SECONDS = 60.0
FILE_MEMORY_MB = 1536

SUPPORTED_SUFFIXES = {".txt", ".md", ".markdown", ".text", ".html", ".htm", ".shtml", ".xhtml", ".pdf", ".docx"}


class IngestError(Exception):
    """A file that could not be turned into documents: the message names the file (and line)."""

    def __init__(self, path: str, reason: str, line: int | None = None):
        self.path, self.reason, self.line = path, reason, line
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {reason}")

    def __reduce__(self):  # rebuilt from its fields when it comes back from a worker process
        return IngestError, (self.path, self.reason, self.line)


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


def _chinese_share(text: str) -> float:
    """Share of the non-ASCII characters that are CJK ideographs or CJK/full-width punctuation."""
    wide = [ch for ch in text if ord(ch) > 0x7F]
    if not wide:
        return 1.0
    cjk = sum(1 for ch in wide if "\u4e00" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f"
              or "\uff00" <= ch <= "\uffef" or "\u2010" <= ch <= "\u2027")
    return cjk / len(wide)


def decode_text(raw: bytes, path: str = "<bytes>") -> str:
    """Decode UTF-8 (BOM or not) or GB18030 text; raise IngestError for binary or undecodable data.

    Short GB18030 text can also be valid UTF-8 (of Greek or Hebrew letters), so when both
    decode, the one that reads as Chinese wins.

    >>> decode_text("通知".encode("gb18030")), decode_text("\ufeff通知".encode("utf-8"))
    ('通知', '通知')
    """
    if b"\x00" in raw[:4096]:
        raise IngestError(path, "二进制文件，不是文本")
    if raw.startswith(b"\xef\xbb\xbf"):
        return _decode_or_fail(raw[3:], "utf-8", path)
    decoded = {}
    error = None
    for encoding in ("utf-8", "gb18030"):
        try:
            decoded[encoding] = raw.decode(encoding)
        except UnicodeDecodeError as exc:
            error = error or exc
    if not decoded:
        line = raw[: error.start].count(b"\n") + 1
        raise IngestError(path, "无法按 UTF-8 或 GB18030 解码", line)
    return max(decoded.values(), key=_chinese_share)


def _decode_or_fail(raw: bytes, encoding: str, path: str) -> str:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise IngestError(path, f"无法按 {encoding.upper()} 解码", line) from None


def detect_kind(raw: bytes, path: str) -> str:
    """One of "pdf", "docx", "html", "text" (or "unsupported"), from content first."""
    if raw.startswith(b"%PDF"):
        return "pdf"
    if raw.startswith(b"PK\x03\x04"):
        return "docx" if b"word/" in raw[:65536] or path.lower().endswith(".docx") else "unsupported"
    head = raw[:4096].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<body" in head or b"<div" in head:
        return "html"
    suffix = Path(path).suffix.lower()
    if suffix in {".html", ".htm", ".shtml", ".xhtml"}:
        return "html"
    if suffix in {".pdf", ".docx"}:
        return suffix[1:]
    return "unsupported" if suffix and suffix not in SUPPORTED_SUFFIXES else "text"


def parse_bytes(raw: bytes, source: str) -> list[Document]:
    """Documents in one file's bytes; `source` is the name recorded on each document."""
    kind = detect_kind(raw, source)
    if kind == "unsupported":
        raise IngestError(source, f"不支持的文件类型（{Path(source).suffix or '无扩展名'}）")
    if kind in {"text", "html"} and len(raw) > MAX_TEXT_MB << 20:
        raise IngestError(source, f"文本文件过大（{len(raw) >> 20} MB，上限 {MAX_TEXT_MB} MB），未解析")
    if not raw.strip():
        raise IngestError(source, "空文件")
    if kind == "pdf":
        from corpus.pdf import parse_pdf

        docs = parse_pdf(raw, source)
    elif kind == "docx":
        from corpus.docx import parse_docx

        docs = parse_docx(raw, source)
    elif kind == "html":
        from corpus.web import parse_html

        docs = parse_html(raw, source)
    else:
        from corpus.text import parse_text

        docs = parse_text(decode_text(raw, source), source)
    if not docs:
        raise IngestError(source, "没有可识别的公文")
    return docs


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
