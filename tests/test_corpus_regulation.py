"""Plain-text and Markdown regulations (第X章 / 第X节 / 第X条) and single documents without a gazette."""

from __future__ import annotations

from corpus.text import document_from_body, parse_text

REGULATION = """泸水县城市绿化管理办法

（2022年6月8日泸水县人民政府第12次常务会议通过　2022年6月20日泸水县人民政府令第3号公布　自2022年8月1日起施行）

第一章　总　则

第一条　为了促进城市绿化事业的发展，改善生态环境，根据《城市绿化条例》，制定本办法。

第二条　本办法适用于本县城市规划区内的城市绿化规划、建设、保护和管理。

第二章　规划和建设

第一节　规划

第三条　县住房和城乡建设局负责编制城市绿地系统规划，每五年评估一次。

第二节　建设

第四条　城市绿化工程的设计，应当符合下列要求：

（一）合理利用原有地形、地貌和水体；

（二）优先使用本地植物，2023年底前完成主要道路补植。

第五条　单位附属绿地由该单位负责建设。（责任单位：县住建局、县城管局）

第三章　附　则

第六条　本办法自2022年8月1日起施行，有效期5年。《泸水县城市绿化暂行规定》同时废止。
"""


def test_regulation_metadata():
    [doc] = parse_text(REGULATION, "绿化管理办法.txt")
    assert doc.title == "泸水县城市绿化管理办法"
    # the 令 that published it, named in the history line, is its number; the 公布 date is its publish_date
    assert doc.doc_type == "办法" and doc.doc_number == "泸水县人民政府令第3号"
    assert doc.date == "2022-06-08" and doc.publish_date == "2022-06-20"
    assert (doc.effective_date, doc.validity) == ("2022-08-01", "5年")
    assert doc.repeals == "《泸水县城市绿化暂行规定》同时废止。"
    assert doc.cites[0].title == "城市绿化条例"


def test_regulation_clause_tree():
    [doc] = parse_text(REGULATION, "绿化管理办法.txt")
    assert [(c.label, c.path) for c in doc.clauses] == [
        ("第一章", ["第一章"]), ("第一条", ["第一章", "第一条"]), ("第二条", ["第一章", "第二条"]),
        ("第二章", ["第二章"]), ("第一节", ["第二章", "第一节"]), ("第三条", ["第二章", "第一节", "第三条"]),
        ("第二节", ["第二章", "第二节"]), ("第四条", ["第二章", "第二节", "第四条"]),
        ("（一）", ["第二章", "第二节", "第四条", "（一）"]), ("（二）", ["第二章", "第二节", "第四条", "（二）"]),
        ("第五条", ["第二章", "第二节", "第五条"]), ("第三章", ["第三章"]), ("第六条", ["第三章", "第六条"]),
    ]
    by_label = {c.label: c for c in doc.clauses}
    assert by_label["第一章"].heading == "总则" and by_label["第一条"].heading is None
    assert by_label["（二）"].deadlines[0].date == "2023-12-31"
    assert [u.name for u in by_label["第五条"].units] == ["县住建局", "县城管局"]  # no aliases of 泸水县 are known
    assert by_label["第三条"].deadlines == [] or by_label["第三条"].deadlines[0].kind == "recurring"
    assert by_label["第四条"].id.endswith("/z2.j2.t4")
    for c in doc.clauses:
        assert c.text in doc.text


def test_markdown_regulation_and_same_ids_when_parsed_again():
    markdown = "# 泸水县城市绿化管理办法\n\n## 第一章 总则\n\n**第一条** 为了促进城市绿化事业的发展，制定本办法。\n\n第二条 本办法适用于本县。\n"
    [doc] = parse_text(markdown, "a.md")
    assert doc.title == "泸水县城市绿化管理办法"
    assert [c.label for c in doc.clauses] == ["第一章", "第一条", "第二条"]
    [again] = parse_text(markdown, "other/path/b.md")
    assert [c.id for c in again.clauses] == [c.id for c in doc.clauses]
    assert "#" not in doc.text


def test_notice_without_gazette_header():
    text = "泸水县人民政府办公室\n关于做好春节期间安全工作的通知\n泸政办函〔2023〕2号\n各乡镇人民政府：\n一、加强值班值守。\n泸水县人民政府办公室\n2023年1月10日"
    [doc] = parse_text(text, "n.txt")
    assert (doc.doc_number, doc.title, doc.offices, doc.date) == (
        "泸政办函〔2023〕2号", "关于做好春节期间安全工作的通知", ["泸水县人民政府办公室"], "2023-01-10")


def test_text_without_any_document_gives_nothing():
    assert parse_text("hello world\nthis is not an official document\n", "x.txt") == []
    assert parse_text("\n\n   \n", "x.txt") == []


def test_document_from_body_with_known_fields_overriding_the_text():
    body = "各乡镇人民政府：\n一、加强领导。（牵头单位：县应急局；配合单位：县公安局）\n二、2023年6月底前完成排查。\n泸水县人民政府\n2023年1月13日"
    doc = document_from_body(body, source="page.html", known={
        "title": "关于做好安全生产工作的通知", "doc_number": "泸政函[2023]5号", "publish_date": "2023-01-15",
        "source_url": "http://example.org/a.html", "metadata_sources": {"title": "page"}})
    assert doc.id == "泸政函-2023-5" and doc.doc_number == "泸政函〔2023〕5号"
    assert (doc.doc_type, doc.date, doc.publish_date, doc.source_url) == ("通知", "2023-01-13", "2023-01-15",
                                                                           "http://example.org/a.html")
    assert doc.offices == ["泸水县人民政府"]
    assert doc.metadata_sources == {"title": "page", "offices": "signature", "date": "signature"}
    assert [c.label for c in doc.clauses] == ["一、", "二、"]
    assert doc.clauses[0].lead_units == ["县应急局"] and doc.clauses[1].deadlines[0].date == "2023-06-30"
    assert document_from_body("", source="empty.html") is None
    assert document_from_body("一、加强领导。", source="p.html", known={"date": "2024-01-02"}).date == "2024-01-02"
