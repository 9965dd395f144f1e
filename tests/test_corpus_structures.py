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


def test_a_cooperating_column_beside_the_lead_column_gives_cooperating_units():
    [doc] = parse("cooperating_column.txt")
    first, second = doc.clauses
    assert [(u.name, u.role) for u in first.units] == [
        ("市市场监管局", "lead"), ("市税务局", "cooperating"), ("市公安局", "cooperating")]
    assert [(u.name, u.role) for u in second.units] == [
        ("市住建局", "lead"), ("市自然资源局", "cooperating"), ("市人防办", "cooperating")]


def test_role_labels_are_read_by_their_structure_not_from_a_list():
    """Labels no list names (牵头督办单位, 协同配合部门, 具体实施单位): a short word ending in 单位/部门 with a role stem."""
    from corpus.units import extract_units, row_units

    found = extract_units("完善督查机制。（牵头督办单位：县政府督查室；协同配合部门：县纪委监委、县委组织部）")
    assert [(u.name, u.role) for u in found.units] == [
        ("县政府督查室", "lead"), ("县纪委监委", "cooperating"), ("县委组织部", "cooperating")]
    row = row_units(["序号", "任务", "具体实施单位", "协办部门"], ["1", "修路", "县交通局", "县财政局"])
    assert [u.role for u in row.units] == ["responsible", "cooperating"]
