"""`python -m corpus parse`: JSON and summary output, encodings, and bad input that never stops the other files."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from corpus import SAMPLE_DIR
from corpus.cli import main
from corpus.errors import IngestError
from corpus.ingest import parse_bytes
from corpus.readers.text import decode_text

ROOT = Path(__file__).resolve().parent.parent
SEED = SAMPLE_DIR / "luxi-gazette-2021-04.txt"

NOTICE = ("泸溪县人民政府办公室 关于做好春节期间安全工作的通知\n\n泸政办函〔2023〕2号\n\n各乡镇人民政府：\n\n"
          "一、加强值班值守。（责任单位：县应急局）\n\n泸溪县人民政府办公室\n\n2023年1月10日\n")


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "corpus", "parse", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk"])
def test_encodings_are_detected(encoding):
    [doc] = parse_bytes(NOTICE.encode(encoding), "n.txt")
    assert doc.title == "关于做好春节期间安全工作的通知"
    assert doc.clauses[0].units[0].name == "县应急管理局"
    assert not doc.text.startswith("\ufeff")


def test_short_gb18030_text_that_is_also_valid_utf8():
    raw = "通知".encode("gb18030")
    assert raw.decode("utf-8") != "通知", "these bytes are valid UTF-8 too, of other letters"
    assert decode_text(raw) == "通知"


def test_json_output_shape(tmp_path):
    (tmp_path / "n.txt").write_text(NOTICE, encoding="gb18030")
    proc = run_cli(str(tmp_path / "n.txt"), "--json")
    assert proc.returncode == 0, proc.stderr
    [doc] = json.loads(proc.stdout)
    for key in ("id", "doc_number", "title", "offices", "doc_type", "date", "issued_title", "gazette", "source",
                "cites", "clauses"):
        assert key in doc
    clause = doc["clauses"][0]
    assert {"id", "label", "path", "heading", "text", "lead_units", "main_units", "units"} <= set(clause)
    assert clause["id"] == "泸政办函-2023-2/1" and clause["units"][0]["role"] == "responsible"


def test_summary_output_and_stable_ids_across_paths(tmp_path, capsys):
    folder = tmp_path / "folder" / "nested"
    folder.mkdir(parents=True)
    shutil.copy(SEED, folder / "copy.txt")
    assert main(["parse", str(SEED)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 21 and out[0].startswith("泸发〔2021〕24号\t关于推进清廉泸溪建设的意见\t意见\t2021-11-12\t")
    assert main(["parse", str(SEED), "--json"]) == 0
    direct = json.loads(capsys.readouterr().out)
    assert main(["parse", str(tmp_path / "folder"), "--json"]) == 0
    via_folder = json.loads(capsys.readouterr().out)
    assert [c["id"] for d in direct for c in d["clauses"]] == [c["id"] for d in via_folder for c in d["clauses"]]


def test_bad_files_are_reported_and_the_others_still_printed(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02\xff" * 50)
    (tmp_path / "noise.txt").write_text("just some words\nnothing official here\n", encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes("通知\n".encode() + b"\n\xff\xfe\xfa\xfb\xfc\n")
    good = tmp_path / "good.txt"
    good.write_text(NOTICE, encoding="utf-8")
    missing = tmp_path / "missing.txt"
    proc = run_cli(*(str(tmp_path / n) for n in ("empty.txt", "binary.txt", "noise.txt", "bad.txt")),
                   str(missing), str(good), "--json")
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    errors = [line for line in proc.stderr.splitlines() if line.startswith("  跳过 ")]
    assert len(errors) == 5
    assert any("empty.txt" in e and "空文件" in e for e in errors)
    assert any("binary.txt" in e and "二进制" in e for e in errors)
    assert any("noise.txt" in e and "没有可识别的公文" in e for e in errors)
    assert any("bad.txt:3" in e and "解码" in e for e in errors), "the line of an undecodable byte is named"
    assert any("missing.txt" in e and "无法读取" in e for e in errors)
    [doc] = json.loads(proc.stdout)
    assert doc["doc_number"] == "泸政办函〔2023〕2号"


def test_missing_folder_and_usage_errors(tmp_path):
    proc = run_cli(str(tmp_path / "nowhere"))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr and "nowhere" in proc.stderr
    proc = subprocess.run([sys.executable, "-m", "corpus"], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr


def test_ingest_error_names_file_and_line():
    with pytest.raises(IngestError, match=r"^x\.txt: 空文件$"):
        parse_bytes(b"  \n", "x.txt")


def test_a_file_holding_only_a_doc_type_word_is_not_a_document(tmp_path):
    (tmp_path / "word.txt").write_text("通知\n", encoding="utf-8")
    proc = run_cli(str(tmp_path / "word.txt"))
    assert proc.returncode == 1 and "word.txt: 没有可识别的公文" in proc.stderr


@pytest.mark.parametrize("content", ["一、\n", "第一条 abc\n", "泸政发〔2021〕1号\n" * 3])
def test_a_file_without_title_or_clause_text_is_not_a_document(tmp_path, capsys, content):
    (tmp_path / "bare.txt").write_text(content, encoding="utf-8")
    assert main(["parse", str(tmp_path / "bare.txt"), "--json"]) == 1
    captured = capsys.readouterr()
    assert json.loads(captured.out) == [] and "bare.txt: 没有可识别的公文" in captured.err


def test_a_reader_that_stops_early_gets_no_traceback():
    """`python -m corpus parse … | head -1`: the pipe closes while documents are still being written."""
    proc = subprocess.Popen([sys.executable, "-m", "corpus", "parse", str(SAMPLE_DIR), "--json"], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout.readline() == b"[\n"
    proc.stdout.close()
    stderr = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 1
    assert "Traceback" not in stderr and "BrokenPipeError" not in stderr, stderr
