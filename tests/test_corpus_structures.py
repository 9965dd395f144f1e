"""Document structures of any government, each on a short invented fixture (tests/fixtures/corpus/)."""

from __future__ import annotations

from tests.test_corpus_any_government import parse


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


def test_a_recipients_line_of_subdistrict_offices_keeps_each_name():
    """`各街道办事处、各镇人民政府，区直各部门，各社区居委会：` — no name lost, none swallowing the next."""
    [doc] = parse("recipients_subdistricts.txt")
    assert doc.recipients == ["各街道办事处", "各镇人民政府", "区直各部门", "各社区居委会"]
    assert [u.name for u in doc.clauses[0].units] == ["各街道办事处", "各镇人民政府", "区应急管理局"]


def test_a_national_bodys_local_branch_belongs_to_its_county():
    from corpus.metadata import government_of

    assert government_of(["国家税务总局松阳县税务局"]) == "松阳县"
    assert government_of(["中国人民银行青田县支行"]) == "青田县"
    assert government_of(["青田县人民政府办公室"]) == "青田县"
    assert government_of(["澳門特別行政區政府"]) == "澳門特別行政區"


def test_a_branch_issuing_a_document_keeps_its_full_name_and_its_units_their_county():
    from corpus.text import document_from_body

    doc = document_from_body("关于开展纳税服务月活动的通知\n各税务分局：\n一、优化办税流程（责任单位：县局办公室、纳税服务股）。\n"
                             "国家税务总局松阳县税务局\n2024年3月1日", source="t.txt")
    assert doc.offices == ["国家税务总局松阳县税务局"]
    assert {u.government for u in doc.clauses[0].units} == {"松阳县"}


def test_unit_aliases_belong_to_their_government():
    """泸溪县's 县教体局 is its 县教育和体育局; another county's 县教体局 is not renamed after 泸溪's table."""
    from corpus.text import document_from_body

    def units(place: str) -> list[tuple[str, str]]:
        doc = document_from_body(f"关于做好开学工作的通知\n一、做好校园安全检查（责任单位：县教体局）。\n{place}人民政府\n2024年8月20日",
                                 source="a.txt")
        return [(u.name, u.as_written) for u in doc.clauses[0].units]

    assert units("泸溪县") == [("县教育和体育局", "县教体局")]
    assert units("松阳县") == [("县教体局", "县教体局")]


def test_web_pages_and_their_text_copies_read_one_list_of_labels():
    """A label either reader knew (发文机构 in text copies, 公开时间 and 责任部门 on web pages) is read by both."""
    from corpus.ingest import parse_bytes

    block = ["[ 发文机构 ] 示例县农业农村局", "[ 公开时间 ] 2024-03-05", "[ 发文字号 ] 示农发〔2024〕2号"]
    body = ["关于做好春耕备耕工作的通知", "各乡镇人民政府：", "请抓好春耕备耕。"]
    [copy] = parse_bytes("\n".join(block + body).encode(), "copy.txt")
    html = ("<html><body><ul>" + "".join(f"<li>{line.strip('[ ').replace(' ] ', '：')}</li>" for line in block)
            + "</ul><div id='zoom'>" + "".join(f"<p>{line}</p>" for line in body) + "</div></body></html>")
    [page] = parse_bytes(html.encode(), "page.html")
    for doc in (copy, page):
        assert (doc.offices, doc.publish_date, doc.doc_number) == (["示例县农业农村局"], "2024-03-05", "示农发〔2024〕2号")
        assert doc.metadata_sources["offices"] == "label 发文机构"


def test_menu_items_of_a_page_header_are_chrome_whatever_their_words():
    """Short Chinese-only lines beside other chrome above the title (`适老模式`, `购物袋`: words no list holds)."""
    from corpus.text import parse_text

    copy = "\n".join(["• 无障碍", "  • 适老模式", "首页 > 通知公告 > 正文", "购物袋", "关于做好秋季防火工作的通知",
                      "各乡镇人民政府：", "请做好秋季防火工作。", "示例县人民政府", "2024年9月1日"])
    [doc] = parse_text(copy, "copy.txt")
    assert doc.title == "关于做好秋季防火工作的通知"
    assert "适老模式" not in doc.text and "购物袋" not in doc.text
    assert doc.offices == ["示例县人民政府"]


def test_a_labelled_line_that_is_no_metadata_stays_in_the_text():
    """`编制单位：…`, `导语：…` below a page's metadata block are the document's words, not chrome to delete."""
    from corpus.text import parse_text

    copy = "\n".join(["发布日期：2024-05-06", "编制单位：示例县应急管理局", "导语：为做好防汛工作，制定本预案。",
                      "示例县防汛应急预案", "1 总则", "为做好防汛工作，制定本预案。"])
    [doc] = parse_text(copy, "plan.txt")
    assert doc.publish_date == "2024-05-06"
    assert "编制单位：示例县应急管理局" in doc.text and "导语：为做好防汛工作" in doc.text


def test_a_label_no_list_names_gives_the_number_when_its_value_is_a_whole_number():
    """`规章编号：` / `法規:` with a 文号 as value (on its line or the next): the 文号, by the value's form, not the label's name."""
    from corpus.text import parse_text

    for head in (["规章编号：示政令第5号"], ["法規:", "示政令第5号"]):
        copy = "\n".join([*head, "发布日期：2024-02-01", "示例县城市供水管理办法", "第一条 为了规范城市供水，制定本办法。"])
        [doc] = parse_text(copy, "rule.txt")
        assert doc.doc_number == "示政令第5号" and doc.metadata_sources["doc_number"].startswith("label ")
        assert doc.publish_date == "2024-02-01"
    [doc] = parse_text("附注：请于5月前报送\n关于报送材料的通知\n各乡镇：\n一、请于5月前报送材料。\n示例县人民政府办公室\n2024年4月1日",
                       "n.txt")
    assert doc.doc_number is None and "附注：请于5月前报送" in doc.text
