"""`python -m index build|add|search`: output, JSON shape, filters and one-line errors."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from corpus import SAMPLE_DIR
from index.cli import main

ROOT = Path(__file__).resolve().parent.parent
GAZETTE_2023 = SAMPLE_DIR / "luxi-gazette-2023-01.txt"


def run(*args, env=None):
    return subprocess.run([sys.executable, "-m", "index", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300, env={**os.environ, **(env or {})})


@pytest.fixture(scope="module")
def cli_index(tmp_path_factory):
    index_dir = tmp_path_factory.mktemp("cli") / "index"
    done = run("build", str(GAZETTE_2023), "--index", str(index_dir))
    assert done.returncode == 0, done.stderr
    assert "篇公文（来自 1 个文件；跳过 0 个文件）" in done.stdout
    assert "%" in done.stderr  # the progress bar
    return index_dir


def test_search_json(cli_index, capsys):
    assert main(["search", "县财政局", "--index", str(cli_index), "--json", "--size", "3"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert set(result) == {"query", "total", "page", "size", "hits", "facets", "notice"}
    assert result["query"] == "县财政局" and result["size"] == 3 and len(result["hits"]) == 3
    assert result["total"] > 3
    assert {"clause_id", "doc_id", "doc_number", "title", "label", "path", "snippet", "score"} <= set(result["hits"][0])
    assert [f["name"] for f in result["facets"]] == ["type", "office", "unit", "year"]


@pytest.mark.parametrize("facet", ["type", "year"])
def test_search_filters_repeat(cli_index, capsys, facet):
    main(["search", "", "--index", str(cli_index), "--json", "--size", "1000"])
    everything = json.loads(capsys.readouterr().out)
    [results] = [f["results"] for f in everything["facets"] if f["name"] == facet]
    counts = {v["value"]: v["count"] for v in results}
    # The sample gazette is of one year: a year it lacks stands in for the second one.
    chosen = (sorted(counts) + ["1999"])[:2]
    assert len(counts) >= 2 or facet == "year"
    main(["search", "", "--index", str(cli_index), "--json", f"--{facet}", chosen[0], f"--{facet}", chosen[1]])
    both = json.loads(capsys.readouterr().out)
    assert both["total"] == counts[chosen[0]] + counts.get(chosen[1], 0) > 0
    [results] = [f["results"] for f in both["facets"] if f["name"] == facet]
    assert {v["value"] for v in results if v["selected"]} == set(chosen)


def test_search_text_output(cli_index, capsys):
    assert main(["search", "春节", "--index", str(cli_index)]) == 0
    out = capsys.readouterr().out
    assert "共 " in out and "【春节】" in out


def test_index_from_environment(cli_index):
    done = run("search", "春节", "--json", env={"GONGWEN_INDEX": str(cli_index)})
    assert done.returncode == 0 and json.loads(done.stdout)["total"] > 0


@pytest.mark.parametrize("args, message", [
    (["search", "x", "--size", "5000"], "size"),
    (["search", "x", "--from", "2021-13-01"], "from"),
    (["search", "x", "--sort", "random"], "sort"),
    (["search", "x", "--page", "0"], "page"),
    (["search", "x", "--year", "21"], "year"),
])
def test_bad_arguments_give_one_line(cli_index, args, message):
    done = run(*args, "--index", str(cli_index))
    assert done.returncode != 0
    assert done.stderr.count("\n") == 1 and message in done.stderr and "Traceback" not in done.stderr


def test_missing_index_and_empty_sources(tmp_path):
    done = run("search", "x", "--index", str(tmp_path / "none"))
    assert done.returncode != 0 and done.stderr.count("\n") == 1 and "没有索引" in done.stderr
    (tmp_path / "notes.txt").write_text("只是一段话，没有公文。", encoding="utf-8")
    done = run("build", str(tmp_path / "notes.txt"), str(tmp_path / "missing.txt"), "--index", str(tmp_path / "i"))
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert "notes.txt" in done.stderr and "missing.txt" in done.stderr and "索引未改动" in done.stderr
    assert not (tmp_path / "i").exists()


def test_add_reports_and_skips(cli_index, tmp_path, capsys):
    from index import open_index

    before = open_index(cli_index).stats()
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4 not really")
    assert main(["add", str(GAZETTE_2023), str(broken), "--index", str(cli_index)]) == 0
    out = capsys.readouterr().out
    assert "来自 2 个文件；跳过 1 个文件" in out and "  跳过 " in out and "broken.pdf" in out
    after = open_index(cli_index).stats()
    # Re-adding the same file replaces its documents instead of duplicating them.
    assert (after["documents"], after["clauses"]) == (before["documents"], before["clauses"])


def test_add_while_another_process_writes_says_so(tmp_path):
    from whoosh import index as whoosh_index

    from index.build import build_index
    from index.storage import live_dir
    from tests.test_index_fixtures import hand_documents

    index_dir = tmp_path / "index"
    build_index(hand_documents(), index_dir, progress=False)
    writer = whoosh_index.open_dir(str(live_dir(index_dir))).writer()  # holds the index's write lock
    try:
        done = run("add", str(GAZETTE_2023), "--index", str(index_dir))
    finally:
        writer.cancel()
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines()[-1] == "错误：索引正被另一个进程写入（建立或添加），索引未改动；请稍后再试"


def test_build_reports_the_documents_indexed_and_names_each_replaced_duplicate(tmp_path):
    import shutil

    from index import open_index

    for name in ("a-first.txt", "b-again.txt"):
        shutil.copy(GAZETTE_2023, tmp_path / name)
    index_dir = tmp_path / "index"
    done = run("build", str(tmp_path / "a-first.txt"), str(tmp_path / "b-again.txt"), "--index", str(index_dir))
    assert done.returncode == 0, done.stderr
    indexed = open_index(index_dir).stats()["documents"]
    assert done.stdout.startswith(f"{indexed} 篇公文（来自 2 个文件；跳过 0 个文件；{indexed} 篇因 id 重复被替换）")
    replaced = [line for line in done.stdout.splitlines() if line.startswith("  替换 ")]
    assert len(replaced) == indexed
    assert all("（a-first.txt）：b-again.txt 中有同一 id 的公文" in line for line in replaced)
