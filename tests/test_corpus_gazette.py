"""Gazette text in both layouts: headers, metadata, page furniture, clause trees, misplaced bodies."""

from __future__ import annotations

import time

import pytest

from corpus import SAMPLE_DIR
from corpus.text import clear_caches, parse_text


def wrap(text: str, width: int = 22) -> str:
    """Hard-wrap each paragraph at `width` characters with blank lines between lines, as the 2023 seed is printed."""
    out = []
    for para in text.strip().split("\n"):
        para = para.strip()
        while len(para) > width:
            out.append(para[:width])
            para = para[width:]
        out.append(para)
    return "\n\n".join(out) + "\n"


ONE_PER_LINE = """
中共泸水县委 关于推进清廉泸水建设的意见

(2022年3月4日)

泸发[2022]8号

为深入贯彻落实中央精神,全面落实《中共湖南省委关于推进清廉湖南建设的意见》(湘发〔2021〕19号)要求,现提出如下意见。

一、总体要求

1. 指导思想。以新时代中国特色社会主义思想为指导,推动全面从严治党向纵深发展,在解决实际问题上出

实招、见实效。

2. 建设清廉学校。加强学校党建工作,2022年6月底前完成清廉学校示范点建设。(牵头单位:县教体局;主要责任单位:县纪委监委,县委办、各乡镇党委)

二、保障措施

3. 加强组织领导。各级党组织每季度研究一次清廉建设工作。(县委组织部、县委党校)

泸水县人民政府办公室 关于调整泸水县质量强县工作领导小组的 通 知

泸政办函〔2022〕9号

各乡镇人民政府,县直各单位:

经县人民政府同意,现将调整后的领导小组名单通知如下。

泸水县人民政府办公室

2022年3月10日

g 地

泸 水 政 报

泸水县人民政府公报

2022年第1期(总第9期)

目 录

- 1.关于推进清廉泸水建设的意见
(泸发〔2022〕8号).....1
- 2.关于调整泸水县质量强县工作领导小组的通知
主 编: 李四
(泸政办函发〔2022〕9号).....5
"""


def test_one_paragraph_per_line_layout():
    docs = parse_text(ONE_PER_LINE, "g.txt")
    assert [d.doc_number for d in docs] == ["泸发〔2022〕8号", "泸政办函〔2022〕9号"]
    first, second = docs
    assert first.title == "关于推进清廉泸水建设的意见"
    assert first.offices == ["中共泸水县委"]
    assert (first.doc_type, first.date) == ("意见", "2022-03-04")
    assert first.gazette == second.gazette == "泸水县人民政府公报 2022年第1期（总第9期）"
    assert second.title == "关于调整泸水县质量强县工作领导小组的通知"
    assert (second.offices, second.date, second.recipients) == (["泸水县人民政府办公室"], "2022-03-10",
                                                               ["各乡镇人民政府", "县直各单位"])
    assert "目 录" not in second.text and "泸 水 政 报" not in second.text and "g 地" not in second.text
    assert first.cites[0].doc_number == "湘发〔2021〕19号"


def test_table_of_contents_is_a_cross_check_not_a_source():
    first, second = parse_text(ONE_PER_LINE, "g.txt")
    assert first.metadata_sources["toc"] == "目录一致"
    assert second.doc_number == "泸政办函〔2022〕9号", "the typo in the 目录 does not change the 文号"
    assert second.metadata_sources["toc"] == "目录文号不同：泸政办函发〔2022〕9号"
    assert "主 编" not in second.text


def test_clause_tree_headings_units_and_deadlines():
    doc = parse_text(ONE_PER_LINE, "g.txt")[0]
    by_label = {c.label: c for c in doc.clauses}
    assert [c.label for c in doc.clauses] == ["一、", "1.", "2.", "二、", "3."]
    assert by_label["1."].path == ["一、", "1."] and by_label["3."].path == ["二、", "3."]
    assert by_label["1."].heading == "指导思想"
    assert by_label["1."].text.endswith("在解决实际问题上出实招、见实效。"), "a page-broken paragraph is joined"
    school = by_label["2."]
    assert school.lead_units == ["县教体局"]
    assert school.main_units == ["县纪委监委", "县委办", "各乡镇党委"]
    # 泸水县's own names: the alias table of 泸溪县 (县教体局 → 县教育和体育局) is not 泸水县's
    assert [(u.name, u.role) for u in school.units][:2] == [("县教体局", "lead"), ("县纪委监委", "main")]
    assert ("县委办", "main") in [(u.name, u.role) for u in school.units]
    assert [(d.text, d.date) for d in school.deadlines] == [("2022年6月底前", "2022-06-30")]
    leadership = by_label["3."]
    assert [(u.name, u.role) for u in leadership.units] == [("县委组织部", "responsible"), ("县委党校", "responsible")]
    assert [d.kind for d in leadership.deadlines] == ["recurring"]
    for clause in doc.clauses:
        assert clause.text in doc.text
        assert clause.id.startswith("泸发-2022-8/")


WRAPPED = (
    " 中共泸水县委\n\n泸水县人民政府\n\n关于扎实做好2023年全面推进乡村振兴\n\n重点工作的实施意见\n\n泸发〔2023〕3号\n\n（2023年 3月 28日）\n\n"
    + wrap("""
2023年是全面贯彻落实党的二十大精神的开局之年，是巩固拓展脱贫攻坚成果同乡村振兴有效衔接的关键之年。做好今年乡村振兴工作，要以新时代中国特色社会主义思想为指导，全面落实中央、省委、州委经济工作会议和农村工作会议精神。
一、坚决守住不发生规模性返贫底线
（一）加强常态化防止返贫动态监测和帮扶。抓实监测帮扶和风险消除等关键环节，强化日常排查、重点排查和集中排查，用好防返贫监测帮扶管理平台，实行一月一比对、一月一通报工作机制，确保应纳尽纳、应扶尽扶。（责任单位：县乡村振兴局牵头，县民政局、县医保局按职责分工落实）
（二）持续巩固拓展三保障和饮水安全成果。紧盯重点区域、重点人群开展常态化排查，紧盯关键时段、突发灾害开展重点排查，2023年6月底前完成全县排查。
二、加强组织领导
（三）全面压实责任。坚持县级领导联乡镇、后盾单位包村、工作队员驻村、党员干部联户推进乡村振兴工作责任制。
""")
    + "\n·· 3\n\n\n\n2023年第 1期（总第 57期） 泸水县人民政府公报\n\n"
    + wrap("""
一年来，全县广大企业坚持以新时代中国特色社会主义思想为指导，认真贯彻落实县委县政府的决策部署，为我县经济发展作出了重要贡献，涌现出一批爱国敬业、守法经营的典范。
县委、县人民政府决定，授予泸水蓝天高科有限责任公司等 10家企业“泸水县十强民营企业”称号。
附件：1.2022年度泸水县十强民营企业名单
""")
    + "\n中共泸水县委\n\n泸水县人民政府\n\n关于表彰2022年度泸水县十强民营企业\n\n的决定\n\n泸发〔2023〕4号\n\n（2023年 1月 31日）\n\n"
    + "泸水蓝天高科有限责任公司\n\n湖南鑫海环保科技有限公司\n\n附件1\n\n2022年度泸水县十强民营企业名单\n\n"
    + "泸水县人民政府办公室\n\n关于印发《泸水县2023年地质灾害防治方案》的\n\n通 知\n\n泸政办发〔2023〕4号\n\n"
    + "各乡镇人民政府，县直有关单位：\n\n《泸水县2023年地质灾害防治方案》已经县人民政府同意，现印发给你们，请认真执行。\n\n"
    + "泸水县人民政府办公室\n\n2023年4月6日\n\n泸水县2023年地质灾害防治方案\n\n"
    + wrap("""
为切实做好全县地质灾害防治工作，最大限度避免和减轻地质灾害造成的损失，结合我县实际，制定本方案。
一、工作目标
全面落实地质灾害防治责任，确保不发生因地质灾害造成人员伤亡的事件，最大限度减少财产损失，每月开展一次隐患排查。
二、主要任务
（一）开展隐患排查。县自然资源局组织专业技术人员对全县地质灾害隐患点开展汛前排查、汛中巡查和汛后核查。
""")
)


@pytest.fixture(scope="module")
def wrapped_docs():
    return parse_text(WRAPPED, "w.txt")


def test_wrapped_layout_headers(wrapped_docs):
    assert [d.doc_number for d in wrapped_docs] == ["泸发〔2023〕3号", "泸发〔2023〕4号", "泸政办发〔2023〕4号"]
    opinion, decision, notice = wrapped_docs
    assert opinion.title == "关于扎实做好2023年全面推进乡村振兴重点工作的实施意见"
    assert opinion.offices == ["中共泸水县委", "泸水县人民政府"]
    assert (opinion.doc_type, opinion.date) == ("意见", "2023-03-28")
    assert opinion.gazette == "泸水县人民政府公报 2023年第1期（总第57期）"
    assert decision.title == "关于表彰2022年度泸水县十强民营企业的决定" and decision.doc_type == "决定"
    assert notice.title == "关于印发《泸水县2023年地质灾害防治方案》的通知"
    assert notice.issued_title == "泸水县2023年地质灾害防治方案"
    assert notice.date == "2023-04-06"


def test_wrapped_layout_joins_lines_and_drops_page_furniture(wrapped_docs):
    opinion = wrapped_docs[0]
    assert "·· 3" not in opinion.text and "总第 57期" not in opinion.text
    first = next(c for c in opinion.clauses if c.label == "（一）")
    assert "\n" not in first.text, "hard wraps inside a paragraph are joined"
    assert first.heading == "加强常态化防止返贫动态监测和帮扶"
    assert first.lead_units == ["县乡村振兴局"]
    assert [u.role for u in first.units] == ["lead", "responsible", "responsible"]
    assert [c.path for c in opinion.clauses] == [["一、"], ["一、", "（一）"], ["一、", "（二）"], ["二、"], ["二、", "（三）"]]


def test_body_printed_before_its_header_goes_to_its_document(wrapped_docs):
    opinion, decision, _ = wrapped_docs
    assert "一年来" not in opinion.text
    assert "一年来，全县广大企业" in decision.text
    assert decision.attachments == ["2022年度泸水县十强民营企业名单"]
    assert opinion.clauses[-1].text.endswith("推进乡村振兴工作责任制。")


def test_embedded_plan_clauses(wrapped_docs):
    notice = wrapped_docs[2]
    assert [c.label for c in notice.clauses] == ["一、", "二、", "（一）"]
    assert notice.clauses[0].deadlines[0].text == "每月"
    assert notice.recipients == ["各乡镇人民政府", "县直有关单位"]
    assert "\n泸水县2023年地质灾害防治方案\n为切实做好全县地质灾害防治工作" in notice.text, "an embedded title stays a line"


def test_word_repeated_across_page_break_is_dropped():
    text = ("泸水县人民政府\n\n关于做好能源工作的通知\n\n泸政发〔2023〕9号\n\n一、工作要求\n\n"
            "各单位要加强组织领导，落实工作责任，切实推进风电\n\n·· 5\n\n风电和光伏适度规模化开发。\n")
    doc = parse_text(text, "x.txt")[0]
    assert "切实推进风电和光伏适度规模化开发。" in doc.text
    assert doc.clauses[0].text.endswith("推进风电和光伏适度规模化开发。")


def test_seed_gazettes_parse_into_the_gold_documents(sample_documents):
    numbers = {d.doc_number for d in sample_documents}
    assert len(sample_documents) == 37 and len(numbers) == 37
    lufa = next(d for d in sample_documents if d.doc_number == "泸发〔2021〕24号")
    clause = next(c for c in lufa.clauses if c.label == "18.")
    assert clause.path == ["五、", "18."] and clause.heading == "建设清廉学校"
    assert clause.lead_units == ["县教体局"]
    ids = [c.id for d in sample_documents for c in d.clauses]
    assert len(ids) == len(set(ids))
    for doc in sample_documents:
        for c in doc.clauses:
            assert c.text in doc.text


def test_attachment_dropped_into_the_middle_of_the_main_text_is_moved_back():
    text = (
        "泸水县人民政府办公室\n\n关于开展安全生产攻坚年活动的通知\n\n泸政办发〔2023〕7号\n\n各乡镇人民政府，县直各单位：\n\n"
        "一、重点任务\n\n1.开展隐患排查。各单位要全面排查风险隐患，建立问题清单。（责任单位：县应急管理局、\n\n"
        " 为切实加强全县安全生产工作，经县人民政府同意，决定成立安全生产攻坚工作领导小组。\n\n"
        "组 长：张三 县长\n\n附件\n\n泸水县安全生产攻坚工作领导小组\n\n"
        "县公安局、县交通运输局按职责分工落实）\n\n2.开展执法检查。各行业主管部门每月开展一次执法检查。\n\n"
        "附件：泸水县安全生产攻坚工作领导小组\n\n泸水县人民政府办公室\n\n2023年2月17日\n"
    )
    [doc] = parse_text(text, "x.txt")
    assert [c.path for c in doc.clauses] == [["一、"], ["一、", "1."], ["一、", "2."], ["附件"]]
    first = doc.clauses[1]
    assert first.text.endswith("（责任单位：县应急管理局、县公安局、县交通运输局按职责分工落实）")
    assert [u.name for u in first.units] == ["县应急管理局", "县公安局", "县交通运输局"]
    attachment = doc.clauses[-1]
    assert attachment.heading == "泸水县安全生产攻坚工作领导小组"
    assert "决定成立安全生产攻坚工作领导小组" in attachment.text and "组 长：张三" in attachment.text
    assert doc.date == "2023-02-17" and doc.attachments == ["泸水县安全生产攻坚工作领导小组"]


def test_red_header_layout_with_the_title_below_the_doc_number():
    text = ("泸水县人民政府文件\n\n泸政发〔2023〕5号\n\n泸水县人民政府关于做好2023年春耕\n\n生产工作的通知\n\n"
            "各乡镇人民政府，县直各单位：\n\n一、加强领导。各乡镇要高度重视。\n\n泸水县人民政府\n\n2023年3月1日\n")
    [doc] = parse_text(text, "red.txt")
    assert (doc.title, doc.offices, doc.date) == ("关于做好2023年春耕生产工作的通知", ["泸水县人民政府"], "2023-03-01")
    assert doc.recipients == ["各乡镇人民政府", "县直各单位"] and [c.label for c in doc.clauses] == ["一、"]
    assert doc.text.startswith("泸水县人民政府文件\n泸政发〔2023〕5号\n泸水县人民政府关于做好2023年春耕生产工作的通知\n")


def test_a_doc_number_printed_twice_keeps_ids_unique():
    text = "泸水县人民政府\n关于甲的通知\n泸政发〔2023〕1号\n一、做好甲。\n泸水县人民政府\n关于乙的通知\n泸政发〔2023〕1号\n一、做好乙。\n"
    first, second = parse_text(text, "twice.txt")
    assert (first.id, second.id) == ("泸政发-2023-1", "泸政发-2023-1~2")
    assert (first.clauses[0].id, second.clauses[0].id) == ("泸政发-2023-1/1", "泸政发-2023-1~2/1")


def test_document_without_a_doc_number_is_found_by_its_header():
    text = ("泸水县人民政府\n关于甲的通知\n泸政发〔2023〕1号\n各乡镇人民政府：\n一、做好甲。\n泸水县人民政府\n2023年1月5日\n"
            "泸水县人民政府\n关于规范春节期间燃放烟花爆竹的\n通告\n为确保安全，现通告如下：\n一、禁止燃放区域。\n二、违者处罚。\n"
            "泸水县人民政府\n2023年1月13日\n"
            "关于做好乙工作的实施方案\n一、目标。\n")
    first, notice = parse_text(text, "g.txt")
    assert first.doc_number == "泸政发〔2023〕1号" and first.text.endswith("2023年1月5日")
    assert (notice.doc_number, notice.title, notice.doc_type) == (None, "关于规范春节期间燃放烟花爆竹的通告", "通告")
    assert (notice.offices, notice.date) == (["泸水县人民政府"], "2023-01-13")
    assert [c.label for c in notice.clauses] == ["一、", "二、", "一、"], "a 关于… title without offices is not a new document"


def test_both_seed_gazettes_parse_quickly():
    """Well under a second on an idle machine (bench/bench_parse.py measures it); the bound leaves room for a busy CI."""
    texts = [p.read_text("utf-8") for p in sorted(SAMPLE_DIR.glob("*.txt"))]
    clear_caches()
    start = time.perf_counter()
    count = sum(len(parse_text(t, "seed.txt")) for t in texts)
    assert count == 37 and time.perf_counter() - start < 3.0


@pytest.mark.parametrize("mark", ["、", "．", "."])
def test_items_whose_text_starts_with_a_date_are_clauses(mark):
    text = (f"泸水县人民政府\n关于规范春节期间燃放烟花爆竹的通告\n泸政通〔2023〕1号\n为确保安全，现通告如下：\n"
            f"一{mark}2023年1月14日起，城区范围内禁止燃放烟花爆竹。\n二{mark}2023年2月6日后，恢复正常管理。\n"
            f"三{mark}违者依法处罚。\n泸水县人民政府\n2023年1月13日\n")
    [doc] = parse_text(text, "notice.txt")
    assert [c.label for c in doc.clauses] == ["一、", "二、", "三、"]
    assert doc.clauses[0].text.startswith(f"一{mark}2023年1月14日起")
    assert doc.date == "2023-01-13"


def test_a_notice_without_recipients_does_not_take_its_opening_sentence_for_them():
    text = ("泸水县人民政府\n关于划定烟花爆竹禁止燃放区域的通告\n泸政通〔2023〕3号\n"
            "县人民政府决定将下列区域划定为烟花爆竹禁止燃放区：\n一、城区范围。\n二、景区范围。\n"
            "泸水县人民政府\n2023年1月13日\n"
            "泸水县人民政府办公室\n关于做好春节值班工作的通知\n泸政办发〔2023〕4号\n"
            "各乡镇人民政府，县直各单位，县森防指成员单位：\n一、落实值班制度。\n泸水县人民政府办公室\n2023年1月14日\n")
    notice, circular = parse_text(text, "notice.txt")
    assert notice.recipients == [] and [c.label for c in notice.clauses] == ["一、", "二、"]
    assert circular.recipients == ["各乡镇人民政府", "县直各单位", "县森防指成员单位"]


def test_a_stray_doc_number_line_is_no_document_and_leaves_the_signature_to_the_one_before():
    text = ("泸水县人民政府\n关于甲的通知\n泸政发〔2023〕1号\n一、做好甲。\n泸水县人民政府\n2023年1月5日\n"
            "泸政发〔2023〕1号\n泸政发〔2023〕2号\n")
    [doc] = parse_text(text, "bare.txt")
    assert (doc.id, doc.title, doc.offices, doc.date) == ("泸政发-2023-1", "关于甲的通知", ["泸水县人民政府"], "2023-01-05")
    assert doc.text.endswith("一、做好甲。\n泸水县人民政府\n2023年1月5日") and doc.cites == []
