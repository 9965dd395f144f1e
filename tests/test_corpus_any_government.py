"""Documents of any government, as users copy them: web pages saved as text, reposts, 令, Macao instruments.

Each fixture in tests/fixtures/corpus/ is a short invented example of one layout or damage class.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus.ingest import parse_file

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "corpus"


def parse(name: str):
    return parse_file(FIXTURES / name)


def test_labelled_block_flattened_with_pipes_gives_the_metadata_and_never_reaches_the_text():
    [doc] = parse("labelled_table.txt")
    assert doc.title == "示例县人民政府办公室关于做好春季植树工作的通知"
    assert doc.doc_number == "示政办〔2024〕3号" and doc.doc_type == "通知"
    assert doc.publish_date == "2024-03-05" and doc.date is None  # 成文日期 is blank
    assert doc.offices == ["示例县政府(办公室)"]  # no signature: the 发布机构 as printed
    assert doc.metadata_sources["publish_date"].startswith("label")
    for furniture in ("索引号", "所在的位置", "浏览次数", "|"):
        assert furniture not in doc.text
    assert doc.recipients == ["各乡镇人民政府", "县直各单位"]


def test_repost_with_site_chrome_and_a_date_only_signature():
    [doc] = parse("repost.txt")
    assert doc.title == "关于印发《示范市河道管理办法》的通知"
    assert doc.doc_number == "示政办发〔2009〕12号"
    assert doc.date == "2009-05-06"  # 二OO九: Latin O for zero
    assert doc.offices == ["某某省示范市人民政府办公室"]  # the issuer line under the repost's heading
    for furniture in ("作者", "下载地址", "您的位置"):
        assert furniture not in doc.text
    assert doc.text.count("关于印发《示范市河道管理办法》的通知") == 1


def test_order_publishing_a_regulation():
    [doc] = parse("order.txt")
    assert doc.title == "示范市养犬管理规定"
    assert doc.doc_number == "示范市人民政府令第45号" and doc.doc_type == "令"
    assert doc.offices == ["示范市人民政府"]  # named by the 令; `市 长 张三` is no office
    assert doc.date == "2012-05-30"
    assert "热门站点" not in doc.text and "设为首页" not in doc.text


def test_macao_instruments_in_traditional_characters_one_page_two_documents():
    first, second = parse("macao_style.txt")
    assert (first.title, first.doc_number, first.doc_type) == ("第12/2021號行政長官批示", "第12/2021號行政長官批示", "批示")
    assert first.offices == ["行政長官"] and first.date == "2021-03-04"
    assert second.doc_number == "第13/2021號行政長官批示" and second.date == "2021-03-05"
    assert "葡文版本" not in first.text + second.text
    assert first.id != second.id


def test_doc_number_glued_to_the_title_in_brackets():
    [doc] = parse("notice_number_in_title.txt")
    assert doc.title == "示例县人民政府拟征收土地启动公告" and doc.doc_type == "公告"
    assert doc.doc_number == "示征启公告〔2022〕4号"
    assert doc.offices == ["示例县人民政府"] and doc.date == "2022-01-29"  # issuer from the title
    assert "The Beginning" not in doc.text and "THE END" not in doc.text


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*.txt")))
def test_every_document_has_a_title_that_is_not_a_site_name(name):
    for doc in parse(name):
        assert doc.title and "首页" not in doc.title and "资料网" not in doc.title


def test_responsibility_forms_of_other_governments():
    [doc] = parse("responsibilities.txt")
    by_label = {c.label: c for c in doc.clauses}
    first, second, third, fourth = (by_label[k] for k in ("1.", "2.", "3.", "4."))  # 1﹒ and 3． read as 1. 3.
    assert first.lead_units == ["市商务局"]
    assert [u.as_written for u in first.units] == ["示范海关", "市商务局", "示范海关"]
    assert second.lead_units == ["示范海关"] and {u.as_written for u in second.units} >= {"市贸促会", "市商务局"}
    assert third.lead_units == ["市审批服务局", "市公安局"]  # after a deadline inside the bracket
    assert fourth.lead_units == ["市卫健委", "市民政局"]
    assert [u.as_written for u in fourth.units if u.role == "cooperating"] == [
        "各区人民政府", "经济开发区管委会", "市政府有关部门"]


def test_a_title_cut_short_is_completed_by_the_page_heading_and_a_damaged_date_still_signs():
    [doc] = parse("cut_title_and_damage.txt")
    assert doc.title == "关于印发示范市办理建议和提案工作规则的通知" and doc.doc_type == "通知"
    assert doc.offices == ["示范市人民政府办公室"]  # the signature wins over the repost's issuer line
    assert doc.date is None  # 2010415 lost its 年月日: not guessed


def test_a_table_flattened_one_cell_per_line_is_a_document_with_rows():
    [doc] = parse("cell_table.txt")
    assert doc.title == "2025年示范区重点工作及责任清单"  # the first heading line
    assert "1\t坚持服务跟着项目走,优化工作机制。\t张三\t招商工作部、安商工作部\t全年" in doc.text
    assert " |" not in doc.text


def test_place_tag_and_split_breadcrumb_are_not_the_title():
    [doc] = parse("place_prefix.txt")
    assert doc.title == "关于印发《示范市乡村振兴实施细则》的通知"
    assert doc.offices == ["中共示范市委办公厅", "示范市人民政府办公厅"] and doc.date == "2023-07-20"
    assert "政府信息公开" not in doc.text


def test_units_split_at_top_level_only_collective_words_dropped_and_scoped_by_government():
    from corpus.units import extract_units

    found = extract_units("一、做好春耕。（责任单位：各县（市、区）人民政府、县住建局‹县人防办>、相关乡镇、市）")
    assert [u.as_written for u in found.units] == ["各县（市、区）人民政府", "县住建局", "县人防办"]
    [doc] = parse("responsibilities.txt")
    assert {u.government for c in doc.clauses for u in c.units} == {"示范市"}


def test_traditional_unit_names_are_matched_in_simplified_form():
    from corpus.units import extract_units

    [unit] = extract_units("一、成立小組。（責任單位：行政暨公職局）").units
    assert unit.as_written == "行政暨公職局" and unit.name == "行政暨公职局"


def test_a_site_name_in_the_html_title_tag_is_never_the_title():
    [doc] = parse("site_title.html")
    assert doc.title == "关于做好防汛工作的通知"  # printed in the body, not the <title> 示例县人民政府-
    assert doc.doc_number == "示政办发〔2023〕5号" and doc.offices == ["示例县人民政府办公室"]


def test_markup_left_in_a_text_copy_never_reaches_the_text():
    [doc] = parse("markup_left_in_text.txt")
    assert "<" not in doc.text and ">" not in doc.text
    assert doc.title == "关于做好防汛工作的通知" and doc.clauses[0].lead_units == []
    assert [u.as_written for u in doc.clauses[0].units] == ["县水利局"]


def test_a_bulletin_names_its_issuer_with_the_date_on_one_header_line():
    [doc] = parse("bulletin.txt")
    assert doc.title == "关于上半年重点任务落实情况的通报" and doc.doc_type == "通报"
    assert doc.offices == ["示例县人民政府督查室"]  # not the page's 信息来源
    assert doc.publish_date == "2022-08-23" and doc.date is None  # 2022年8月19 lost its 日
