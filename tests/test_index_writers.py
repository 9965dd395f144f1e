"""Writers of one index take turns: an add overlapping a build is kept, concurrent builds leave a live link."""

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import index.build
from index import open_index
from index.build import add_documents, build_index
from index.query import SearchQuery
from index.storage import live_dir
from tests.test_index_fixtures import hand_documents, make_doc

ROOT = Path(__file__).resolve().parent.parent


def test_an_add_during_a_build_is_kept(tmp_path, monkeypatch):
    index_dir = tmp_path / "index"
    build_index(hand_documents(), index_dir, progress=False)
    midway, release = threading.Event(), threading.Event()
    real_write = index.build._write

    def paused_write(writer, documents, progress, replace):
        if not replace:  # the build: stop after reading the old generation, before writing the new one
            midway.set()
            release.wait(30)
        real_write(writer, documents, progress, replace)

    monkeypatch.setattr(index.build, "_write", paused_write)
    builder = threading.Thread(target=build_index, args=(hand_documents()[:2], index_dir), kwargs={"progress": False})
    builder.start()
    assert midway.wait(30)
    added = make_doc("泸政发〔2023〕9号", "关于河长制的通知", "通知", ["泸溪县人民政府"], "2023-03-01",
                     [(["一、"], "一、全面推行河长制。", [])])
    adder = threading.Thread(target=add_documents, args=([added], index_dir), kwargs={"progress": False})
    adder.start()
    adder.join(timeout=2)  # before the lock, the add committed into the old generation here
    release.set()
    builder.join(30)
    adder.join(30)
    live = open_index(index_dir)
    assert {h.doc_id for h in live.search(SearchQuery(text="河长制")).hits} == {"泸政发-2023-9"}
    assert live.stats()["documents"] == 3  # the build's two, then the add


def test_concurrent_builds_always_leave_a_live_link(tmp_path):
    index_dir = tmp_path / "index"
    build_index(hand_documents(), index_dir, progress=False)
    script = ("import sys\n"
              "from index.build import build_index\n"
              "from tests.test_index_fixtures import hand_documents\n"
              "for i in range(15):\n"
              "    build_index(hand_documents()[i % 3:i % 3 + 1], sys.argv[1], progress=False)\n")
    builders = [subprocess.Popen([sys.executable, "-c", script, str(index_dir)], cwd=ROOT,
                                 env={**os.environ, "PYTHONPATH": str(ROOT)}, stderr=subprocess.PIPE)
                for _ in range(4)]
    dangling = 0
    while any(b.poll() is None for b in builders):
        if not index_dir.resolve().is_dir():
            dangling += 1
        time.sleep(0.002)
    assert [b.returncode for b in builders] == [0] * 4, [b.stderr.read() for b in builders]
    assert dangling == 0
    assert open_index(index_dir).stats()["documents"] == 1
    live = live_dir(index_dir)
    generations = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("index.gen-"))
    assert live.name in generations and len(generations) == 2  # the live one and the previous one


def test_a_writer_that_waits_too_long_gives_up_and_writes_nothing(tmp_path, capfd):
    from index.storage import IndexBusy, write_lock

    index_dir = tmp_path / "index"
    build_index(hand_documents(), index_dir, progress=False)
    with write_lock(index_dir), pytest.raises(IndexBusy, match="等待 0.3 秒后仍未结束"):
        add_documents(hand_documents()[:1], index_dir, progress=False, wait=0.3)
    assert "等待其完成" in capfd.readouterr().err
    assert open_index(index_dir).stats()["documents"] == 3
