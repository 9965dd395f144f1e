"""Building, adding to, swapping and reopening the index; the lookups the site uses."""

import os
import signal
import subprocess
import sys
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest

from index import IndexMissing, open_index
from index import service as index_service
from index.build import add_documents, build_index
from index.query import SearchQuery
from index.storage import IndexUnreadable, live_dir, swap_in
from tests.test_index_fixtures import hand_documents, make_doc

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture()
def built(tmp_path):
    index_dir = tmp_path / "index"
    build_index(hand_documents(), index_dir, progress=False)
    return index_dir


def clause_ids(index, text, **filters):
    return [hit.clause_id for hit in index.search(SearchQuery(text=text, size=1000, **filters)).hits]


def test_lookups_return_model_objects(built):
    index = open_index(built)
    # Nine numbered clauses and each document's lead passage (title, 文号).
    assert index.stats()["documents"] == 3 and index.stats()["clauses"] == 9 + 3
    assert index.stats()["built_at"]
    doc = index.document("泸发-2021-24")
    assert doc.doc_number == "泸发〔2021〕24号" and len(doc.clauses) == 4
    found_doc, clause = index.clause("泸发-2021-24/5.18")
    assert found_doc.id == "泸发-2021-24" and clause.label == "18." and clause.units[0].name == "县教体局"
    assert index.document("no-such-doc") is None and index.clause("泸发-2021-24/9.9") is None
    for variant in ["泸发〔2021〕24号", "泸发[2021]24号", "泸发（2021）24号", "泸发(2021)24号", "泸发 〔2021〕 24号"]:
        assert index.resolve_doc_number(variant) == "泸发-2021-24"
    assert index.resolve_doc_number("泸发〔2021〕25号") is None


def test_documents_newest_first_and_cited_by(built):
    index = open_index(built)
    assert [d.id for d in index.documents()] == ["泸办发-2023-3", "泸发-2021-24", "泸政办函-2021-72"]
    assert [d.id for d in index.cited_by("泸发-2021-24")] == ["泸政办函-2021-72"]
    assert index.cited_by("泸办发-2023-3") == []


def test_unit_clauses_grouped_by_document(built):
    groups = open_index(built).unit_clauses("县财政局")
    assert [(doc.id, [c.label for c in clauses]) for doc, clauses in groups] == [
        ("泸发-2021-24", ["17."]), ("泸政办函-2021-72", ["二、"])]
    assert open_index(built).unit_clauses("不存在的单位") == []


def test_missing_index_raises(tmp_path):
    with pytest.raises(IndexMissing):
        open_index(tmp_path / "nothing")
    (tmp_path / "empty").mkdir()
    with pytest.raises(IndexMissing):
        open_index(tmp_path / "empty")


def test_add_replaces_documents_with_the_same_id(built):
    index = open_index(built)
    assert clause_ids(index, "河长制") == []
    changed = make_doc("泸政办函〔2021〕72号", "关于全面推行林长制的实施意见", "意见", ["泸溪县人民政府办公室"],
                       "2021-06-01", [(["一、"], "一、全面推行河长制。", ["县水利局"])])
    new = make_doc("泸政发〔2023〕1号", "关于表彰奖励的决定", "决定", ["泸溪县人民政府"], "2023-02-01",
                   [(["一、"], "一、表彰河长制工作先进单位。", [])])
    add_documents([changed, new], built, progress=False)
    # The same Index object notices the commit and reopens.
    assert sorted(clause_ids(index, "河长制")) == ["泸政办函-2021-72/1", "泸政发-2023-1/1"]
    assert clause_ids(index, '"林长制体系"') == []
    assert index.stats()["documents"] == 4 and index.stats()["clauses"] == 9 + 4
    assert index.clause("泸政办函-2021-72/2") is None


def test_add_builds_when_there_is_no_index(tmp_path):
    add_documents(hand_documents()[:1], tmp_path / "index", progress=False)
    assert open_index(tmp_path / "index").stats()["documents"] == 1


def test_rebuild_swaps_in_and_open_index_follows(built):
    index = open_index(built)
    assert clause_ids(index, "林长制") != []
    build_index(hand_documents()[:1], built, progress=False)
    assert clause_ids(index, "林长制") == []
    assert open_index(built) is index and index.stats()["documents"] == 1
    generations = [p.name for p in built.parent.iterdir() if p.name.startswith("index.gen-")]
    assert len(generations) == 2  # the live one and the previous one (a reader may still use it)


def failing_documents():
    yield from hand_documents()[:1]
    raise RuntimeError("parser crashed midway")


def test_a_failed_build_leaves_the_old_index_serving(built):
    with pytest.raises(RuntimeError):
        build_index(failing_documents(), built, progress=False)
    assert clause_ids(open_index(built), "林长制") != []
    assert not [p for p in built.parent.iterdir() if ".tmp-" in p.name]


def test_a_killed_build_leaves_the_old_index_serving(built, tmp_path):
    # A child process builds into the same folder; a hook in its document records says when it is
    # midway (and waits there), so it is killed mid-build whatever the machine's speed.
    script = tmp_path / "slow_build.py"
    script.write_text(
        "import time\n"
        "import index.build\n"
        "from index.build import build_index\n"
        "from tests.test_index_fixtures import make_doc\n"
        "docs = [make_doc(f'泸发〔2030〕{i}号', f'文件{i}', '通知', ['某办'], '2030-01-01',\n"
        "                 [(['一、'], '林长制' * 20 + str(i), [])]) for i in range(1, 200)]\n"
        "written = []\n"
        "def records(doc):\n"
        "    written.append(doc)\n"
        "    if len(written) == 100:\n"
        "        print('midway', flush=True)\n"
        "        time.sleep(600)\n"
        "    return real_records(doc)\n"
        "real_records, index.build.records = index.build.records, records\n"
        f"build_index(docs, {str(built)!r}, progress=False)\n"
    )
    child = subprocess.Popen([sys.executable, str(script)], cwd=ROOT, stdout=subprocess.PIPE,
                             env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        assert child.stdout.readline().strip() == b"midway"
        tmp_dir = built.parent / f"index.tmp-{child.pid}"
        assert tmp_dir.is_dir()
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    index = open_index(built)
    assert index.stats()["documents"] == 3
    assert clause_ids(index, "林长制") == ["泸政办函-2021-72/导语", "泸政办函-2021-72/1"]
    # The next build clears the dead build's leftovers.
    build_index(hand_documents(), built, progress=False)
    assert not tmp_dir.exists()


def test_index_opens_in_a_fresh_process(built):
    # The schema (with the jieba analyzer and its dictionary) is unpickled from the index files.
    code = ("from index import open_index; from index.query import SearchQuery; "
            f"print(open_index({str(built)!r}).search(SearchQuery(text='县教体局')).hits[0].clause_id)")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "泸发-2021-24/5.18", done.stderr
    assert done.stderr == ""


def test_searches_keep_working_while_rebuilds_swap_in(built):
    import threading

    index = open_index(built)
    errors, totals, stop = [], [], threading.Event()

    def keep_searching():
        while not stop.is_set():
            try:
                totals.append(index.search(SearchQuery(text="县")).total)
            except Exception as exc:  # noqa: BLE001 - any failure is what this test looks for
                errors.append(exc)

    generations = [hand_documents(), hand_documents()[:1], hand_documents(), hand_documents()[2:]]
    threads = [threading.Thread(target=keep_searching) for _ in range(3)]
    for thread in threads:
        thread.start()
    for docs in generations[1:]:
        build_index(docs, built, progress=False)
    stop.set()
    for thread in threads:
        thread.join()
    assert errors == [] and totals
    # Each answer is whole: one generation's count, never a mix of two or a half-loaded one.
    expected = {sum("县" in c.text for d in docs for c in d.clauses) for docs in generations}
    assert len(expected) == 3 and set(totals) <= expected


def test_a_parallel_build_answers_like_a_single_process_build(tmp_path, monkeypatch):
    import index.build

    queries = ["县", "清廉", "泸", "单位:县财政局", "泸发[2021]24号 第18项", "", "林长制 OR 河长制"]
    # Enough records for the writer to hand batches to both workers.
    documents = hand_documents() + [
        make_doc(f"泸测〔2030〕{i}号", f"关于第{i}项工作的通知", "通知", ["泸溪县人民政府办公室"], f"2030-01-{i % 28 + 1:02d}",
                 [(["一、"], f"一、第{i}项工作由县财政局牵头。", ["县财政局"]), (["二、"], f"二、推行河长制{i}。", [])])
        for i in range(120)]
    build_index(documents, tmp_path / "single", progress=False)
    monkeypatch.setattr(index.build, "PARALLEL_CLAUSES", 1)
    monkeypatch.setattr(index.build.os, "cpu_count", lambda: 2)
    build_index(documents, tmp_path / "parallel", progress=False)
    single, parallel = open_index(tmp_path / "single"), open_index(tmp_path / "parallel")
    assert len(parallel.snapshot().reader.leaf_readers()) == 2  # one segment per process
    for text in queries:
        expected = single.search(SearchQuery(text=text, size=1000)).to_dict()
        got = parallel.search(SearchQuery(text=text, size=1000)).to_dict()
        assert {h["clause_id"] for h in got["hits"]} == {h["clause_id"] for h in expected["hits"]}, text
        assert got["total"] == expected["total"] and got["facets"] == expected["facets"], text


def test_add_with_one_id_twice_in_a_batch_keeps_the_last(built):
    index = open_index(built)
    first = make_doc("泸政发〔2023〕1号", "关于表彰奖励的决定", "决定", ["泸溪县人民政府"], "2023-02-01",
                     [(["一、"], "一、表彰河长制甲。", []), (["二、"], "二、表彰河长制乙。", []),
                      (["三、"], "三、表彰河长制丙。", [])])
    last = make_doc("泸政发〔2023〕1号", "关于表彰奖励的决定", "决定", ["泸溪县人民政府"], "2023-02-01",
                    [(["一、"], "一、表彰河长制甲。", []), (["二、"], "二、表彰河长制乙。", [])])
    add_documents([first, last], built, progress=False)
    assert sorted(clause_ids(index, "表彰河长制")) == ["泸政发-2023-1/1", "泸政发-2023-1/2"]
    assert index.stats()["documents"] == 4 and index.stats()["clauses"] == 11 + 4


def test_an_unreadable_generation_is_tried_once_and_the_previous_one_keeps_serving(built, tmp_path, monkeypatch):
    index = open_index(built)
    before = clause_ids(index, "林长制")
    damaged = tmp_path / "damaged"
    build_index(hand_documents()[:1], damaged, progress=False)
    folder = damaged.resolve()
    for toc in folder.glob("*.toc"):
        toc.write_bytes(b"not an index")
    loads = []

    def counted_live_dir(path):
        loads.append(path)
        return live_dir(path)

    monkeypatch.setattr(index_service, "live_dir", counted_live_dir)
    swap_in(folder, built)
    for _ in range(3):
        assert clause_ids(index, "林长制") == before
    assert len(loads) == 1
    fresh = index_service.Index(built)
    for _ in range(2):
        with pytest.raises(IndexUnreadable, match="索引无法读取"):
            fresh.search(SearchQuery(text="林长制"))
    assert len(loads) == 2


def test_an_index_folder_made_by_other_means_is_kept_aside_until_the_next_build(tmp_path):
    # Say an index copied in as a plain folder: the first build turns `index` into a link.
    index_dir = tmp_path / "index"
    build_index(hand_documents(), tmp_path / "elsewhere", progress=False)
    (tmp_path / "elsewhere").resolve().rename(index_dir)
    index = open_index(index_dir)
    assert index.stats()["documents"] == 3
    build_index(hand_documents()[:1], index_dir, progress=False)
    assert index_dir.is_symlink() and index.stats()["documents"] == 1
    aside = [p for p in tmp_path.iterdir() if p.name.startswith("index.gen-0-")]
    assert len(aside) == 1 and (aside[0] / "built_at").exists()  # a reader may still be using it
    build_index(hand_documents()[:2], index_dir, progress=False)
    assert not aside[0].exists()


@pytest.mark.parametrize("failure", ["raises", "dies"])
def test_a_failed_worker_fails_the_build_and_leaves_the_old_index_serving(built, monkeypatch, failure):
    import index.build

    real_records = index.build.records

    def records(doc):
        if doc.id == "泸测-2030-7":  # in the second half: the second worker's
            if failure == "dies":
                os._exit(3)
            raise RuntimeError("a record cannot be made")
        return real_records(doc)

    documents = [make_doc(f"泸测〔2030〕{i}号", f"关于第{i}项工作的通知", "通知", ["泸溪县人民政府办公室"], "2030-01-01",
                          [(["一、"], f"一、第{i}项工作由县财政局牵头。", ["县财政局"])]) for i in range(10)]
    monkeypatch.setattr(index.build, "records", records)
    monkeypatch.setattr(index.build, "PARALLEL_CLAUSES", 1)
    monkeypatch.setattr(index.build.os, "cpu_count", lambda: 2)
    with pytest.raises(RuntimeError if failure == "raises" else BrokenProcessPool):
        build_index(documents, built, progress=False)
    assert clause_ids(open_index(built), "林长制") != []
    assert not [p for p in built.parent.iterdir() if ".tmp-" in p.name]


@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="reads the process's mappings (Linux)")
def test_a_replaced_generation_unmaps_its_files(built):
    index = open_index(built)
    for docs in (hand_documents()[:1], hand_documents()[1:2], hand_documents()):
        add_documents(docs, built, progress=False)  # each add deletes the previous commit's serving files
        clause_ids(index, "林长制")
        build_index(docs, built, progress=False)  # each build deletes the generation before the previous one
        clause_ids(index, "林长制")
    with open("/proc/self/maps") as maps:
        deleted = [line.split()[-2] for line in maps if str(built.parent) in line and line.endswith("(deleted)\n")]
    assert deleted == []
