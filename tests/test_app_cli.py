"""`python -m app serve`: builds a missing index from the corpus, prints the URL, serves; `flask --app app` finds the factory."""

from __future__ import annotations

import json
import os
import shutil
import signal
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


def worker_count(pid: int, expected: int, seconds: float) -> int:
    """How many child processes `pid` has, waiting up to `seconds` for `expected` (gunicorn forks them one by one)."""
    deadline = time.monotonic() + seconds
    while True:
        children = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
        if len(children) >= expected or time.monotonic() > deadline:
            return len(children)
        time.sleep(0.2)


def test_serve_runs_gunicorn_without_a_version_banner_and_follows_a_rebuild(tmp_path):
    from index.build import build_index
    from index.query import SearchQuery
    from tests.test_index_fixtures import hand_documents

    index_dir = tmp_path / "index"
    build_index(hand_documents(), index_dir, progress=False)
    port = free_port()
    with open(tmp_path / "serve.log", "w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "app", "serve", "--port", str(port), "--index", str(index_dir), "--workers", "2"],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=log, text=True)
    try:
        assert "2 个工作进程" in process.stdout.readline()
        url = f"http://127.0.0.1:{port}/search.json?q=%E6%9E%97%E9%95%BF%E5%88%B6"  # 林长制
        assert wait_for(url, process, seconds=30) == 200
        assert worker_count(process.pid, expected=2, seconds=30) == 2
        with urllib.request.urlopen(url) as response:
            server = response.headers["Server"]
            assert json.load(response)["total"] == open_index(index_dir).search(SearchQuery(text="林长制")).total > 0
        assert server == "gunicorn" and "Werkzeug" not in server and "Python" not in server
        build_index(hand_documents()[2:], index_dir, progress=False)  # no restart: every worker follows
        for _ in range(6):
            with urllib.request.urlopen(url) as response:
                assert json.load(response)["total"] == 0
    finally:
        process.terminate()
        process.wait(timeout=30)
    assert "WARNING: This is a development server" not in (tmp_path / "serve.log").read_text()


def test_serve_refuses_a_port_in_use_with_one_line(sample_index):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run([sys.executable, "-m", "app", "serve", "--port", str(port), "--index", str(sample_index)],
                              cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and done.stderr.strip() == f"错误：无法监听 127.0.0.1:{port}：Address already in use"


def test_serve_dev_runs_flasks_reloader(sample_index):
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "app", "serve", "--dev", "--port", str(port), "--index", str(sample_index)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, start_new_session=True)
    try:
        assert "开发模式" in process.stdout.readline()
        assert wait_for(f"http://127.0.0.1:{port}/search.json?size=1", process, seconds=30) == 200
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/search.json?size=1") as response:
            assert response.headers["Server"].startswith("Werkzeug")
    finally:
        os.killpg(process.pid, signal.SIGTERM)  # the reloader's child too
        process.wait(timeout=10)
