"""Document structures of any government, each on a short invented fixture (tests/fixtures/corpus/)."""

from __future__ import annotations

from pathlib import Path

from corpus.ingest import parse_file

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "corpus"


def parse(name: str):
    return parse_file(FIXTURES / name)


def test_an_order_cover_on_separate_lines_gives_its_number_issuer_and_the_regulation_it_publishes():
    """`X市人民政府令` / `第 12 号` / the 公布 sentence / `市长 X` / date: the standard cover of a 政府令."""
    [doc] = parse("order_cover.txt")
    assert doc.doc_number == "青川市人民政府令第12号"
    assert doc.offices == ["青川市人民政府"]
    assert doc.doc_type == "令"
    assert doc.title == "青川市城市绿化管理办法"
    assert doc.date == "2023-05-20"
    assert [c.label for c in doc.clauses] == ["第一条", "第二条"]
