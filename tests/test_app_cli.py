"""`python -m app serve`: builds a missing index from the corpus, prints the URL, serves; `flask --app app` finds the factory."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from app.__main__ import ensure_index
from corpus import SAMPLE_DIR
from index import open_index

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, process: subprocess.Popen, seconds: float = 10) -> int:
    """The status of the first answer from `url`, retrying while the server starts."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.status
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def test_ensure_index_builds_once(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SAMPLE_DIR / "luxi-gazette-2023-01.txt", corpus)
    index_dir = tmp_path / "index"
    assert ensure_index(str(index_dir), str(corpus)) is True
    assert open_index(str(index_dir)).documents()
    assert ensure_index(str(index_dir), str(corpus)) is False


def test_ensure_index_without_corpus_is_one_clear_error(tmp_path):
    with pytest.raises(SystemExit, match="语料目录不存在"):
        ensure_index(str(tmp_path / "index"), str(tmp_path / "missing"))


def test_serve_prints_url_and_answers(sample_index):
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "app", "serve", "--port", str(port), "--index", str(sample_index)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    try:
        line = process.stdout.readline()
        assert f"http://127.0.0.1:{port}/" in line
        assert wait_for(f"http://127.0.0.1:{port}/search.json?size=1", process) == 200
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_gunicorn_serves_the_factory(sample_index):
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", "1", "-b", f"127.0.0.1:{port}", "app:create_app()"],
        cwd=ROOT, env={**os.environ, "GONGWEN_INDEX": str(sample_index)},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        assert wait_for(f"http://127.0.0.1:{port}/search.json?size=1", process, seconds=30) == 200
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_flask_cli_finds_the_factory(sample_index):
    result = subprocess.run([sys.executable, "-m", "flask", "--app", "app", "routes"], cwd=ROOT,
                            capture_output=True, text=True, env={**os.environ, "GONGWEN_INDEX": str(sample_index)},
                            timeout=60)
    assert result.returncode == 0, result.stderr
    assert "/search" in result.stdout and "/d/<path:ref>" in result.stdout


def test_serve_help():
    result = subprocess.run([sys.executable, "-m", "app", "serve", "--help"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0 and "--index" in result.stdout
