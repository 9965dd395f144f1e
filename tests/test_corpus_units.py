"""Responsible units: every form the gazettes use, and the alias table kept as data."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus.ingest import parse_file
from corpus.units import ALIAS_FILE, alias_table, aliases_of, canonical_unit, extract_units

ROOT = Path(__file__).resolve().parent.parent


def roles(text):
    return [(u.name, u.role) for u in extract_units(text).units]


def test_lead_and_main_units_wrapped_across_lines_keep_their_written_form():
    found = extract_units("……思想根基。(牵头单位:县委宣传部;主要责任单位:县纪委监委、县委办公室、\n县人民政府办公室、县委组织部)")
    assert found.lead == ["县委宣传部"]
    assert found.main == ["县纪委监委", "县委办公室", "县人民政府办公室", "县委组织部"]


def test_full_width_annotation_with_mixed_separators():
    found = extract_units("（牵头单位：县委组织部；主要责任单位：县纪委监委,县直各机关与企事业单位党组织、各乡镇党委）")
    assert found.main == ["县纪委监委", "县直各机关与企事业单位党组织", "各乡镇党委"]


def test_responsible_units_line():
    assert roles("责任单位：县应急局、县公安局") == [("县应急管理局", "responsible"), ("县公安局", "responsible")]


def test_lead_and_cooperating_units():
    assert roles("（牵头单位：县住建局；配合单位：县财政局、县自然资源局）") == [
        ("县住房和城乡建设局", "lead"), ("县财政局", "cooperating"), ("县自然资源局", "cooperating")]


def test_responsible_section_that_names_its_lead():
    found = extract_units("（责任单位：县交警大队、县交通运输局牵头，县农业农村局、各乡镇按职责分工落实）")
    assert found.lead == ["县交警大队", "县交通运输局"]
    assert [u.role for u in found.units] == ["lead", "lead", "responsible", "responsible"]


def test_bare_trailing_unit_list():
    assert roles("加强党校教育培训。(县委组织部、县委党校)") == [("县委组织部", "responsible"), ("县委党校", "responsible")]
    assert roles("实施方案(2021-2025年)") == []


def test_first_listed_unit_leads_when_the_text_says_so():
    found = extract_units("(县卫健局、县委宣传部、县教体局负责,排第一位的为牵头部门,下同)")
    assert found.lead == ["县卫健局"]
    assert [u.name for u in found.units] == ["县卫生健康局", "县委宣传部", "县教育和体育局"]


def test_unit_led_duty_list():
    assert roles("县气象局:负责提供森林火险天气预报服务。\n县自然资源局：负责生态保护红线的划定。") == [
        ("县气象局", "responsible"), ("县自然资源局", "responsible")]


def test_responsibility_table_cells():
    assert roles("序号\t指标\t牵头责任单位\n13\t产前筛查率(%)\t69.1\t≥70\t县卫健局") == [("县卫生健康局", "lead")]
    assert roles("| 序号 | 任务 | 责任单位 |\n| 1 | 道路交通安全 | 县公安局、县交通局 |") == [
        ("县公安局", "responsible"), ("县交通运输局", "responsible")]
    flattened = "序号\n1\n2\n考核项目\n安全生产工作\n信访工作\n负责考核单位\n县应急管理局\n县信访局、县司法局"
    assert [u.name for u in extract_units(flattened).units] == ["县应急管理局", "县信访局", "县司法局"]
    assert roles("（二）县直部门类\n县政府办、县发改局、县财政局") == [], "a list of units is not a duty without a column saying so"


def test_a_table_cell_with_one_unit_per_line_names_each():
    table = "序号\t任务\t责任单位\n2\t完善警报网络\t各级人民防空主管部门 通信管理部门\n3\t完善预案\t县 财政局"
    assert [u.name for u in extract_units(table).units] == ["各级人民防空主管部门", "通信管理部门", "县财政局"]


def test_a_web_page_table_cell_with_a_line_break_names_each_unit():
    [doc] = parse_file(ROOT / "tests" / "fixtures" / "web" / "policy_library.html")
    # the table's rows (序号 1, 2) are clauses of their own under 二、
    assert [c.label for c in doc.clauses] == ["一、", "二、", "1", "2", "三、"]
    assert [c.unit_names for c in doc.clauses] == [
        [], [], ["各级人民防空主管部门"], ["各级人民防空主管部门", "通信管理部门"], []]


@pytest.mark.parametrize(("alias", "canonical"), [
    ("县教体局", "县教育和体育局"), ("县委办", "县委办公室"), ("县卫健局", "县卫生健康局"), ("县审计局", "县审计局"),
    ("县 教体局", "县教育和体育局"),
])
def test_canonical_unit(alias, canonical):
    assert canonical_unit(alias) == canonical


def test_alias_table_is_consistent_data():
    table = alias_table()
    assert ALIAS_FILE.suffix == ".tsv"
    for name, canonical in table.items():
        assert table[canonical] == canonical, f"{name} → {canonical} is not itself canonical"
    assert aliases_of("县教育和体育局")[0] == "县教育和体育局" and "县教体局" in aliases_of("县教育和体育局")


def test_and_joins_two_units_but_not_inside_a_name():
    assert roles("（县住房和城乡建设局牵头，县公安局和县交通局配合）") == [
        ("县住房和城乡建设局", "lead"), ("县公安局", "cooperating"), ("县交通运输局", "cooperating")]
