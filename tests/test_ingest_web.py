"""Government web pages: the three page families, their traps, and the documents they give.

Fixtures in tests/fixtures/web are hand-made pages following the structures of real sites;
they are stored as UTF-8 and encoded here when a test needs GBK bytes.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus.errors import IngestError
from corpus.extract import web_page
from corpus.ingest import parse_bytes
from corpus.layout import table_blocks
from corpus.readers.html import decode_html, read_html

FIXTURES = Path(__file__).parent / "fixtures" / "web"


def read_page(raw: bytes, source: str):
    """The page's fields as values, as extraction reads them from the HTML reader's reading."""
    return web_page(read_html(raw, source))


def fixture_bytes(name: str, encoding: str = "utf-8") -> bytes:
    return (FIXTURES / name).read_text(encoding="utf-8").encode(encoding)


# -- family 1: policy-library pages -------------------------------------------------------


def test_policy_library_metadata_table():
    page = read_page(fixture_bytes("policy_library.html"), "policy_library.html")
    assert page.title == "国务院 中央军委关于进一步加强人民防空工作的决定"
    assert page.known["doc_number"] == "国发〔2008〕4号"
    assert page.known["offices"] == ["国务院", "中央军委"]
    assert page.sources["title"] == "label 标题"
    assert page.sources["offices"] == "label 发文机关"


def test_republished_old_document_keeps_both_dates():
    """成文日期 2008, 发布日期 2014: neither is taken for the other."""
    page = read_page(fixture_bytes("policy_library.html"), "p.html")
    assert page.known["date"] == "2008-01-08"
    assert page.known["publish_date"] == "2014-08-01"
    assert page.sources["date"] == "label 成文日期"
    assert page.sources["publish_date"] == "label 发布日期"


def test_joint_issuers_in_one_cell_and_bracket_variant_of_doc_number():
    page = read_page(fixture_bytes("policy_library_joint_offices.html"), "j.html")
    assert page.known["offices"] == ["国务院办公厅", "中央军委办公厅"]
    assert page.known["doc_number"] == "国办发〔2020〕6号"


def test_shown_publish_date_wins_over_meta_pubdate():
    """<meta name="PubDate"> says 03-05, the page shows 发布日期 03-04."""
    page = read_page(fixture_bytes("policy_library_joint_offices.html"), "j.html")
    assert page.known["publish_date"] == "2020-03-04"
    assert page.sources["publish_date"] == "label 发布日期"


def test_meta_pubdate_used_when_the_page_shows_no_date():
    html = ('<html><head><meta name="PubDate" content="2022-06-01 08:00"></head><body>'
            '<h1>关于开展防汛检查的通知</h1><div id="zoom"><p>各乡镇：请于6月10日前完成检查。</p></div></body></html>')
    page = read_page(html.encode(), "m.html")
    assert page.known["publish_date"] == "2022-06-01"
    assert page.sources["publish_date"] == "meta PubDate"


def test_body_is_the_content_container_without_junk():
    page = read_page(fixture_bytes("policy_library.html"), "p.html")
    for junk in ("首页", "当前位置", "分享到", "打印本页", "版权所有", "统计代码", "索引号", "bds_"):
        assert junk not in page.body
    assert page.body.splitlines()[0] == "国发〔2008〕4号"
    assert "人民防空是国防的组成部分" in page.body


def test_source_wrapped_lines_are_joined_without_spaces():
    page = read_page(fixture_bytes("policy_library.html"), "p.html")
    assert "纳入国民经济和社会发展规划" in page.body


def test_body_tables_stay_tables():
    page = read_page(fixture_bytes("policy_library.html"), "p.html")
    tables = [rows for kind, rows in table_blocks(page.body) if kind == "table"]
    assert tables == [[["序号", "任务", "责任单位"],
                       ["1", "建设指挥工程", "各级人民防空主管部门"],
                       ["2", "完善警报网络", "各级人民防空主管部门 通信管理部门"]]]


def test_source_url_from_canonical_link():
    page = read_page(fixture_bytes("policy_library.html"), "p.html")
    assert page.known["source_url"] == "https://www.gov.cn/zhengce/content/2014-08/01/content_8948.htm"
    assert page.sources["source_url"] == "canonical link"


# -- family 2: 政府信息公开 pages ----------------------------------------------------------


def test_xxgk_page_in_gb2312_with_gbk_only_character():
    """Declared gb2312, but 镕 exists only in GBK: the page must still decode."""
    raw = fixture_bytes("xxgk_gb2312.html", "gbk")
    with pytest.raises(UnicodeDecodeError):
        raw.decode("gb2312")
    page = read_page(raw, "x.html")
    assert page.title == "泸溪县人民政府办公室关于印发泸溪县森林防火工作方案的通知"
    assert page.known["offices"] == ["泸溪县人民政府办公室"]
    assert page.known["doc_number"] == "泸政办发〔2023〕5号"
    assert page.known["date"] == "2023-03-10"
    assert page.sources["date"] == "label 生成日期"
    assert page.known["publish_date"] == "2023-03-16"
    assert "联络人朱镕同志" in page.body


def test_xxgk_page_strips_navigation_share_related_and_scripts():
    page = read_page(fixture_bytes("xxgk_gb2312.html", "gbk"), "x.html")
    for junk in ("网站首页", "您的位置", "分享到", "QQ空间", "相关链接", "网站标识码", "innerHTML", "浏览次数", "主动公开"):
        assert junk not in page.body
    assert page.body.startswith("各乡镇人民政府，县直有关单位：")
    assert page.body.endswith("2023年3月10日")


def test_saved_page_with_extension_junk_and_definition_list_metadata():
    page = read_page(fixture_bytes("saved_by_browser.html"), "s.html")
    assert page.known == {
        "offices": ["泸溪县人民政府"], "date": "2023-04-10", "doc_number": "泸政发〔2023〕3号",
        "publish_date": "2023-04-12", "source_url": "http://www.lxx.gov.cn/zwgk/zfwj/202304/t20230412_2001234.html",
    }
    assert page.sources["source_url"] == "saved-from comment"
    assert not any(junk in page.body for junk in ("Immersive", "immersive", "翻译", "grammarly"))


def test_empty_values_like_wu_are_not_doc_numbers():
    html = ('<div class="xxgk"><ul><li>发布机构：泸溪县民政局</li><li>文号：无</li><li>发布日期：2023-05-06</li></ul></div>'
            '<h1>泸溪县民政局关于开展养老机构安全检查的通知</h1><div class="TRS_Editor"><p>各养老机构：请于5月底前完成自查。</p></div>')
    page = read_page(html.encode(), "w.html")
    assert "doc_number" not in page.known
    assert page.known["offices"] == ["泸溪县民政局"]


def test_page_with_a_few_broken_bytes_is_read_not_rejected():
    """A GBK page with a character cut in half, and a UTF-8 page with a stray byte."""
    gbk = fixture_bytes("xxgk_gb2312.html", "gbk").replace("联络人".encode("gbk"), "联络人".encode("gbk")[:-1])
    assert "确保不发生重大森林火灾" in read_page(gbk, "gbk.html").body
    utf8 = fixture_bytes("policy_library.html").replace("利国利民".encode(), b"\xff" + "利国利民".encode())
    assert "\ufffd利国利民" in read_page(utf8, "utf8.html").body
    with pytest.raises(IngestError, match="无法按 UTF-8、GB18030"):
        decode_html(bytes(range(128, 256)) * 20)


# -- family 3: plain article pages --------------------------------------------------------


def test_county_article_in_gbk_without_declared_charset():
    raw = fixture_bytes("county_article.html", "gbk")
    assert b"charset" not in raw
    page = read_page(raw, "c.html")
    assert page.title == "关于规范春节期间燃放烟花爆竹的通告"
    assert page.known == {"publish_date": "2023-01-13", "source_office": "县公安局"}  # 来源: the issuer's fallback
    [doc] = parse_bytes(raw, "c.html")
    assert doc.offices == ["泸溪县人民政府"], "the signature names the issuer: the page's 来源 is only a fallback"
    assert "点击数" not in page.body and "版权所有" not in page.body and "新闻中心" not in page.body
    assert page.body.splitlines()[-2:] == ["泸溪县人民政府", "2023年1月13日"]


def test_byline_at_the_top_of_the_body_is_metadata_and_the_line_before_it_the_title():
    html = ('<html><body><table><tr><td class="main">泸溪县应急管理局关于做好汛期值班工作的通知<br>'
            '发布时间：2023-05-20 来源：县应急局<br>各乡镇：汛期实行24小时值班。<br>泸溪县应急管理局<br>2023年5月19日'
            '</td></tr></table></body></html>')
    page = read_page(html.encode(), "b.html")
    assert page.title == "泸溪县应急管理局关于做好汛期值班工作的通知"
    assert page.sources["title"] == "line before byline"
    assert page.known["publish_date"] == "2023-05-20"
    assert page.body.startswith("各乡镇：")


def test_meeting_notice_keeps_its_time_and_place_lines_in_the_body():
    html = ('<h1>关于召开全县安全生产工作会议的通知</h1><div id="zoom"><p>各乡镇人民政府：</p>'
            '<p>时间：2023年5月6日上午9时</p><p>地点：县政府三楼会议室</p><p>泸溪县人民政府办公室</p>'
            '<p>2023年5月4日</p></div>')
    page = read_page(html.encode(), "meeting.html")
    assert page.body.splitlines()[:2] == ["各乡镇人民政府：", "时间：2023年5月6日上午9时"]
    assert "publish_date" not in page.known


def test_fragment_without_metadata_has_only_title_and_body():
    page = read_page(fixture_bytes("fragment_no_metadata.html"), "f.html")
    assert page.title == "泸溪县教育和体育局关于做好2023年秋季学期开学工作的通知"
    assert page.known == {}
    assert page.body.startswith("泸教体发〔2023〕21号")


def test_site_logo_heading_and_small_content_box_are_not_title_and_body():
    html = ('<html><body><h1 class="logo"><a href="/">泸溪县人民政府</a></h1>'
            '<div class="content">热点：春季森林防火宣传周活动启动</div>'
            '<div class="main"><h2 class="bt">关于开展春季森林防火检查的通知</h2>'
            '<div class="txt"><p>各乡镇人民政府：</p><p>为切实做好春季森林防火工作，县森林防火指挥部决定开展一次全面检查。</p>'
            '<p>一、检查时间为2023年3月1日至3月15日。</p><p>二、检查内容包括火源管理和扑火队伍建设。</p>'
            '<p>泸溪县森林防火指挥部</p><p>2023年2月25日</p></div></div></body></html>')
    page = read_page(html.encode(), "logo.html")
    assert page.title == "关于开展春季森林防火检查的通知"
    assert page.body.startswith("各乡镇人民政府：") and "热点" not in page.body


def test_list_of_links_is_not_a_document():
    with pytest.raises(IngestError, match="链接列表页"):
        read_page(fixture_bytes("link_list.html"), "l.html")


@pytest.mark.parametrize("declared, encoding", [("gbk", "utf-8"), ("utf-8", "gbk"), ("iso-8859-1", "gbk")])
def test_wrongly_declared_charset_is_overruled(declared, encoding):
    raw = f'<meta charset="{declared}"><h1>关于开展春耕生产的通知</h1>'.encode(encoding)
    assert "关于开展春耕生产的通知" in decode_html(raw)


# -- documents ----------------------------------------------------------------------------


def test_policy_library_page_becomes_a_document():
    (doc,) = parse_bytes(fixture_bytes("policy_library.html"), "policy_library.html")
    assert doc.doc_number == "国发〔2008〕4号"
    assert doc.id == "国发-2008-4"
    assert doc.title == "关于进一步加强人民防空工作的决定"
    assert doc.offices == ["国务院", "中央军委"]
    assert doc.doc_type == "决定"
    assert (doc.date, doc.publish_date) == ("2008-01-08", "2014-08-01")
    assert doc.source_url.startswith("https://www.gov.cn/")
    assert doc.metadata_sources["date"] == "label 成文日期"
    assert [c.label for c in doc.clauses if c.depth == 1] == ["一、", "二、", "三、"]
    assert "序号\t任务\t责任单位" in doc.text


def test_plain_article_falls_back_to_the_text_rules():
    (doc,) = parse_bytes(fixture_bytes("county_article.html", "gbk"), "county_article.html")
    assert doc.title == "关于规范春节期间燃放烟花爆竹的通告"
    assert doc.doc_type == "通告"
    assert doc.offices == ["泸溪县人民政府"]
    assert doc.date == "2023-01-13"
    assert doc.publish_date == "2023-01-13"
    assert doc.doc_number is None
    assert [c.label for c in doc.clauses] == ["一、", "二、", "三、"]
    assert doc.metadata_sources["offices"] == doc.metadata_sources["date"] == "body text"
    assert doc.metadata_sources["publish_date"] == "label 发布日期"


def test_fragment_takes_doc_number_and_office_from_the_body():
    (doc,) = parse_bytes(fixture_bytes("fragment_no_metadata.html"), "fragment.html")
    assert doc.title == "关于做好2023年秋季学期开学工作的通知"
    assert doc.doc_number == "泸教体发〔2023〕21号"
    assert doc.offices == ["泸溪县教育和体育局"]
    assert doc.date == "2023-08-15"
    assert doc.publish_date is None


def test_page_values_override_the_body_and_say_where_they_came_from():
    (doc,) = parse_bytes(fixture_bytes("xxgk_gb2312.html", "gbk"), "xxgk.html")
    assert doc.doc_number == "泸政办发〔2023〕5号"
    assert doc.metadata_sources["doc_number"] == "label 文号"
    assert doc.metadata_sources["title"] == "h1"
    assert doc.date == "2023-03-10" and doc.publish_date == "2023-03-16"


def test_page_without_document_text_is_reported():
    with pytest.raises(IngestError, match="没有公文正文"):
        parse_bytes("<html><body><h1>页面不存在</h1></body></html>".encode(), "404.html")


def test_page_without_title_or_doc_number_is_reported():
    html = '<div class="TRS_Editor"><p>各乡镇：请于2023年6月1日前上报。</p><p>泸溪县农业农村局</p></div>'
    with pytest.raises(IngestError, match="既没有标题也没有文号"):
        parse_bytes(html.encode(), "untitled.html")


def test_deeply_nested_page_parses():
    """Thousands of nested elements (a broken CMS template) are read like any page, not a RecursionError."""
    depth = 3000
    html = ("<html><body><h1>关于做好春节期间安全工作的通知</h1>" + "<div><span>" * depth
            + "<p>各乡镇：</p><p>现将有关事项通知如下。</p>" + "</span></div>" * depth + "</body></html>")
    [doc] = parse_bytes(html.encode(), "deep.html")
    assert doc.title == "关于做好春节期间安全工作的通知"
    assert doc.text.split("\n")[-2:] == ["各乡镇：", "现将有关事项通知如下。"]
