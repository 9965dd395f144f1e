"""What one file may cost: zip bombs refused, Word styles read once, a time and memory budget per file, size caps."""

from __future__ import annotations

import io
import os
import shutil
import time
import zipfile

import docx
import pytest

import corpus.extract
import corpus.ingest
import corpus.readers.docx
from corpus import SAMPLE_DIR
from corpus.errors import IngestError
from corpus.ingest import load_paths, parse_bytes
from corpus.readers.text import MAX_TEXT_MB

SAMPLE = SAMPLE_DIR / "luxi-gazette-2023-01.txt"


def word_file(paragraphs: int) -> bytes:
    document = docx.Document()
    document.add_paragraph("关于做好防汛工作的通知")
    for i in range(paragraphs):
        document.add_paragraph(f"{i + 1}.做好第{i + 1}项防汛准备工作。")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def with_member(raw: bytes, name: str, data: bytes) -> bytes:
    """The Word file `raw` with one more archive member."""
    buffer = io.BytesIO(raw)
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, data)
    return buffer.getvalue()


def test_a_zip_bomb_is_refused_before_it_is_unpacked():
    bomb = with_member(word_file(3), "word/media/padding.xml", b" " * (50 << 20))  # 50 MiB → about 50 KB
    assert len(bomb) < 200_000
    with pytest.raises(IngestError, match=r"bomb\.docx: Word 文件压缩比异常（word/media/padding\.xml 为 \d+:1，上限 200:1）"):
        parse_bytes(bomb, "bomb.docx")


def test_a_word_file_unpacking_past_the_size_limit_is_refused(monkeypatch):
    monkeypatch.setattr(corpus.readers.docx, "MAX_UNPACKED_MB", 1)
    large = with_member(word_file(3), "word/media/photo.bin", os.urandom(2 << 20))  # incompressible: no odd ratio
    with pytest.raises(IngestError, match=r"Word 文件解压后过大（2 MB，上限 1 MB）"):
        parse_bytes(large, "large.docx")
    monkeypatch.undo()
    assert parse_bytes(large, "large.docx")  # within the real limit it parses


def test_word_styles_are_read_once_not_per_paragraph(monkeypatch):
    from docx.styles.styles import Styles

    lookups = []
    real_default = Styles.default
    monkeypatch.setattr(Styles, "default", lambda self, kind: lookups.append(kind) or real_default(self, kind))
    text = corpus.readers.docx.docx_text(word_file(2000), "many.docx")
    assert text.count("防汛准备工作") == 2000
    assert len(lookups) <= 1  # python-docx scanned every style for the default one, once per paragraph


def _parser_that(name: str, does, monkeypatch) -> None:
    """Make the text parser call `does()` first on the file called `name` (the worker process inherits it)."""
    real = corpus.extract.parse_text

    def parse_text(text, source):
        if source == name:
            does()
        return real(text, source)

    monkeypatch.setattr(corpus.extract, "parse_text", parse_text)


def test_a_file_over_its_time_budget_is_skipped_and_the_rest_go_on(tmp_path, monkeypatch):
    shutil.copy(SAMPLE, tmp_path / "a-slow.txt")
    shutil.copy(SAMPLE, tmp_path / "b-good.txt")
    _parser_that("a-slow.txt", lambda: time.sleep(600), monkeypatch)
    monkeypatch.setattr(corpus.ingest, "FILE_SECONDS", 10.0)  # the good file needs ~0.3 s, more on a loaded machine
    started = time.monotonic()
    report = load_paths([tmp_path])
    assert time.monotonic() - started < 40
    [skip] = report.skipped
    assert skip.path.endswith("a-slow.txt") and skip.reason == "解析超时（超过 10 秒），已跳过"
    assert report.documents and {d.source for d in report.documents} == {"b-good.txt"}


def test_a_file_over_its_memory_budget_is_skipped_and_the_rest_go_on(tmp_path, monkeypatch):
    shutil.copy(SAMPLE, tmp_path / "a-greedy.txt")
    shutil.copy(SAMPLE, tmp_path / "b-good.txt")
    _parser_that("a-greedy.txt", lambda: bytearray((corpus.ingest.FILE_MEMORY_MB + 512) << 20), monkeypatch)
    report = load_paths([tmp_path])
    [skip] = report.skipped
    assert skip.path.endswith("a-greedy.txt") and skip.reason == "超出内存上限（1536 MB），已跳过"
    assert {d.source for d in report.documents} == {"b-good.txt"}


def test_a_parser_process_that_dies_costs_only_its_file(tmp_path, monkeypatch):
    shutil.copy(SAMPLE, tmp_path / "a-crash.txt")
    shutil.copy(SAMPLE, tmp_path / "b-good.txt")
    _parser_that("a-crash.txt", lambda: os._exit(9), monkeypatch)
    report = load_paths([tmp_path])
    [skip] = report.skipped
    assert skip.path.endswith("a-crash.txt") and "解析进程异常退出" in skip.reason
    assert {d.source for d in report.documents} == {"b-good.txt"}


def test_a_fifty_megabyte_text_file_is_refused_at_once(tmp_path):
    line = SAMPLE.read_bytes().splitlines(keepends=True)[5]
    with open(tmp_path / "huge.txt", "wb") as huge:
        huge.write(line * ((50 << 20) // len(line) + 1))
    shutil.copy(SAMPLE, tmp_path / "small.txt")
    started = time.monotonic()
    report = load_paths([tmp_path])
    assert time.monotonic() - started < 15
    [skip] = report.skipped
    assert skip.reason == f"文本文件过大（50 MB，上限 {MAX_TEXT_MB} MB），未解析"
    assert {d.source for d in report.documents} == {"small.txt"}
