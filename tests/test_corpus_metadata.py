"""Metadata helpers: 文号, 文种, dates, gazette issue, issued titles, citations, validity, deadlines."""

from __future__ import annotations

import pytest

from corpus.deadlines import extract_deadlines
from corpus.docnumber import normalize_doc_number
from corpus.metadata import (
    citations,
    doc_type_of,
    issued_title_of,
    normalize_gazette,
    parse_date,
    registration_code,
    validity,
)
from corpus.text import parse_text


@pytest.mark.parametrize("raw", ["泸政办函〔2021〕72号", "泸政办函[2021]72号", "泸政办函(2021)72号", "泸政办函（2021）72号",
                                 "泸政办函【2021】72号", "泸政办函［2021］072号", "泸政办函 〔 2021 〕 72 号"])
def test_doc_number_brackets(raw):
    assert normalize_doc_number(raw) == "泸政办函〔2021〕72号"


def test_doc_number_absent():
    assert normalize_doc_number("实施方案(2021-2025年)") is None and normalize_doc_number(None) is None


@pytest.mark.parametrize(("title", "doc_type"), [
    ("关于扎实做好2023年全面推进乡村振兴重点工作的实施意见", "意见"),
    ("关于印发《泸溪县园区赋权工作实施方案》的 通 知", "通知"),
    ("关于2020年度落实省重点民生实事工作考核结果的通报", "通报"),
    ("关于规范春节期间燃放烟花爆竹的通告", "通告"),
    ("关于同意设立某某中心的批复", "批复"),
    ("泸溪县县管职级公务员管理暂行办法", "办法"),
    ("泸溪县文明养犬条例（试行）", "条例"),
    ("工作情况", None),
])
def test_doc_type(title, doc_type):
    assert doc_type_of(title) == doc_type


@pytest.mark.parametrize(("text", "iso"), [
    ("2021年11月12日", "2021-11-12"), ("(2021年11月12日)", "2021-11-12"), ("（2023年 3月 28日）", "2023-03-28"),
    ("二〇二一年十一月十二日", "2021-11-12"), ("二○二三年一月三十一日", "2023-01-31"), ("2023-02-08", "2023-02-08"),
    ("2023年2月30日", None), ("2023年2月", None), ("没有日期", None),
])
def test_parse_date(text, iso):
    assert parse_date(text) == iso


@pytest.mark.parametrize("raw", ["泸溪县人民政府公报 2021年第4期（总第52期）", "2021年第 4期（总第 52期） 泸溪县人民政府公报",
                                 "泸溪县人民政府公报\n2021年第4期(总第52期)", "泸 溪 县 人 民 政 府 公 报 2021 年 第 4 期 ( 总 第 52 期 )"])
def test_gazette_issue_normalised(raw):
    assert normalize_gazette(raw) == "泸溪县人民政府公报 2021年第4期（总第52期）"


def test_issued_title_only_for_issuing_notices():
    assert issued_title_of("关于印发《泸溪县人民政府领导分工方案》的通知") == "泸溪县人民政府领导分工方案"
    assert issued_title_of("转发《关于做好春耕生产工作的意见》的通知") == "关于做好春耕生产工作的意见"
    assert issued_title_of("关于学习《条例》的通知") is None


def test_citations_and_registration_code():
    cited = citations("根据《湖南省治理货物运输车辆超限超载条例》和州办[2022]25号文件精神，废止泸政发〔2020〕3号", "泸政发〔2023〕1号")
    assert [(c.doc_number, c.title) for c in cited] == [
        (None, "湖南省治理货物运输车辆超限超载条例"), ("州办〔2022〕25号", None), ("泸政发〔2020〕3号", None)]
    assert registration_code("泸政通〔2023〕2号\nLXDR-2023-00002\n为进一步") == "LXDR-2023-00002"


@pytest.mark.parametrize("text", ["根据州办〔2022〕25号文件精神", "为认真贯彻落实州办〔2022〕25号文件", "按照《方案》州办〔2022〕25号要求",
                                  "经研究，依据州办〔2022〕25号", "对照文件州办[2022]25号"])
def test_a_cited_number_starts_at_the_issuer_abbreviation(text):
    assert [c.doc_number for c in citations(text) if c.doc_number] == ["州办〔2022〕25号"]


def test_validity_wording():
    effective, period, repeal = validity("本办法自2023年3月1日起施行，有效期5年。原《泸溪县管理办法》同时废止。")
    assert (effective, period) == ("2023-03-01", "5年")
    assert repeal == "原《泸溪县管理办法》同时废止。"
    assert validity("本通告至公布之日起三十日后施行。")[0] == "公布之日"


def test_deadlines():
    found = extract_deadlines("2023年6月底前完成；2022年12月31日前上报；2023年三季度完成验收；每季度调度一次；长期坚持。")
    assert [(d.text, d.kind, d.date) for d in found] == [
        ("2023年6月底前", "date", "2023-06-30"), ("2022年12月31日前", "date", "2022-12-31"),
        ("2023年三季度完成", "date", "2023-09-30"), ("每季度", "recurring", None), ("长期坚持", "ongoing", None)]


def test_a_document_does_not_cite_itself_and_cites_each_document_once():
    text = ("泸水县人民政府办公室\n关于印发《泸水县林长制实施方案》的通知\n泸政办函〔2023〕7号\n各乡镇人民政府：\n"
            "《泸水县林长制 实施方案》已经县人民政府同意，现印发给你们。根据《湖南省林长制实施意见》（湘办〔2021〕20号）"
            "和泸政办函〔2023〕7号的安排，落实《湖南省林长制实施意见》，参照湘办〔2021〕20号。\n泸水县人民政府办公室\n"
            "2023年3月1日\n泸水县林长制实施方案\n一、总体要求。\n")
    [doc] = parse_text(text, "forest.txt")
    assert [(c.doc_number, c.title) for c in doc.cites] == [("湘办〔2021〕20号", "湖南省林长制实施意见")]
