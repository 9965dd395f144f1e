"""A notice whose body holds dates and labelled lines of its own: they stay its text, never its metadata."""

from corpus.text import parse_text

NOTICE = """关于召开2024年度机关工作总结会议的通知
各科室：
定于下周召开年度工作会议。
时间：2024年1月5日上午9时
地点：三楼会议室
名称：年度工作总结会
一、会议内容
总结2023年工作。
二、报名截止
2024年1月4日
请准时参加。
示例县人民政府办公室
2024年1月3日
"""


def test_a_date_in_the_body_does_not_sign_the_notice():
    doc, = parse_text(NOTICE, "notice.txt")
    assert doc.offices == ["示例县人民政府办公室"] and doc.date == "2024-01-03"


def test_labelled_lines_below_the_title_stay_in_the_text():
    doc, = parse_text(NOTICE, "notice.txt")
    assert doc.title == "关于召开2024年度机关工作总结会议的通知" and doc.doc_type == "通知"
    assert "时间：2024年1月5日上午9时" in doc.text and "名称：年度工作总结会" in doc.text


def test_a_signature_of_a_date_alone_is_the_last_date():
    doc, = parse_text(NOTICE.replace("示例县人民政府办公室\n", ""), "notice.txt")
    assert doc.date == "2024-01-03"


def test_a_meeting_room_above_a_date_is_no_signature():
    doc, = parse_text(NOTICE.replace("二、报名截止\n", "二、会议地点\n县行政中心第一会议室\n"), "notice.txt")
    assert doc.offices == ["示例县人民政府办公室"] and doc.date == "2024-01-03"


def test_kinds_of_enterprise_are_no_units():
    from corpus.units import extract_units

    found = extract_units("三、培育骨干企业。（县经信局牵头，规上企业、龙头企业、相关企业配合）")
    assert [u.name for u in found.units] == ["县经信局"]
