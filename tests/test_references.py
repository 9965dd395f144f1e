"""Clause references that round-trip: what the 复制引用 button copies, and the forms people type, find the clause.

The property tests run over every clause of the sample corpus (`Document.clauses`); the small
fixtures below cover a regulation (第X条第Y款), a document without 文号, 附件 clauses and a 文号
that is not in the index.
"""

from __future__ import annotations

import dataclasses
import re

import pytest

from app import urls
from app.citation import book_title, cite
from corpus.docnumber import doc_number_key
from corpus.model import Clause, Document
from corpus.numerals import NUMERAL_CHARS, chinese_to_int
from corpus.outline import citation_path, find_clause, parse_path
from corpus.text import parse_text
from index import open_index
from index.build import build_index
from index.citation import References
from index.query import SearchQuery

_CHINESE_NUMBER = re.compile(f"[{NUMERAL_CHARS}]+")


def arabic(path: str) -> str:
    """A citation path with its Chinese numerals written in Arabic (第五部分第（二）项 → 第5部分第（2）项)."""
    return _CHINESE_NUMBER.sub(lambda m: str(chinese_to_int(m.group())), path)


def square_brackets(doc_number: str) -> str:
    return doc_number.replace("〔", "[").replace("〕", "]")


def reference_forms(doc, clause) -> dict[str, str]:
    """The copied citation, and forms derived from it that people type."""
    path = citation_path(doc.clauses, clause)
    forms = {"copied": cite(doc, clause), "title and path": book_title(doc.title) + path,
             "title without book marks": doc.title + path}
    if doc.doc_number:
        forms |= {"文号 and path": doc.doc_number + path,
                  "[] brackets with a space": f"{square_brackets(doc.doc_number)} {path}",
                  "arabic numerals": book_title(doc.title) + f"（{doc.doc_number}）" + arabic(path)}
    else:
        forms["arabic numerals"] = book_title(doc.title) + arabic(path)
    return forms


def first_hit(index, text: str, **filters) -> str | None:
    hits = index.search(SearchQuery(text=text, size=1, **filters)).hits
    return hits[0].clause_id if hits else None


@pytest.fixture(scope="module")
def index(sample_index):
    return open_index(sample_index)


def test_every_copied_citation_finds_its_clause_first(index, sample_documents):
    missed = [(cite(doc, c), c.id) for doc in sample_documents for c in doc.clauses
              if first_hit(index, cite(doc, c)) != c.id]
    assert sum(len(d.clauses) for d in sample_documents) > 700
    assert missed == []


@pytest.mark.parametrize("form", ["文号 and path", "[] brackets with a space", "title and path",
                                  "title without book marks", "arabic numerals"])
def test_every_typed_form_finds_its_clause_first(index, sample_documents, form):
    missed = []
    for doc in sample_documents:
        for clause in doc.clauses:
            text = reference_forms(doc, clause).get(form)
            if text and first_hit(index, text) != clause.id:
                missed.append((text, clause.id))
    assert missed == []


def test_citations_name_one_clause_of_their_document(sample_documents):
    for doc in sample_documents:
        paths = [citation_path(doc.clauses, c) for c in doc.clauses]
        assert len(set(paths)) == len(paths), doc.doc_number
        for clause, path in zip(doc.clauses, paths, strict=True):
            assert find_clause(doc.clauses, parse_path(path)) is clause


def test_a_reference_naming_a_clause_puts_it_first(index, sample_documents):
    doc = next(d for d in sample_documents if d.doc_number == "泸发〔2021〕24号")
    item = next(c for c in doc.clauses if c.path == ["五、", "18."])
    assert cite(doc, item) == "《关于推进清廉泸溪建设的意见》（泸发〔2021〕24号）第五部分第18项"
    for text in ["泸发〔2021〕24号第五部分第18项", "泸发[2021]24号 第 5 部分 第 18 项", "泸发（2021）24号 五 18",
                 "泸发﹝2021﹞24号第18项", "泸发【2021】024号第十八项", "泸发〔２０２１〕２４号 五、18.",
                 "关于推进清廉泸溪建设的意见第五部分第18项", "《关于推进清廉泸溪建设的意见》第5部分第18项"]:
        assert first_hit(index, text) == item.id, text


def test_a_reference_in_a_document_url_redirects_to_its_clause(client, sample_documents):
    doc = next(d for d in sample_documents if d.doc_number == "泸发〔2021〕24号")
    item = next(c for c in doc.clauses if c.path == ["五、", "18."])
    for ref, target in [(cite(doc, item), urls.clause_url(item.id)), ("泸发[2021]24号 五 18", urls.clause_url(item.id)),
                        (book_title(doc.title), urls.doc_url(doc.id))]:
        response = client.get(f"/d/{ref}")
        assert response.status_code == 301 and response.headers["Location"].endswith(target), ref
    assert client.get("/d/湘发〔2021〕19号第五部分").status_code == 404


def test_a_reference_naming_only_a_document_puts_the_document_first(index, sample_documents):
    doc = next(d for d in sample_documents if d.doc_number == "泸发〔2021〕24号")
    for text in [doc.doc_number, "泸发 [2021] 24号", book_title(doc.title), doc.title, cite(doc)]:
        result = index.search(SearchQuery(text=text, size=100))
        ids = [h.clause_id for h in result.hits]
        own = [i for i, h in enumerate(result.hits) if h.doc_id == doc.id]
        # The document's units (its clauses, and the passages between them) first, in document order.
        assert own == list(range(len(own))), text
        assert [i for i in ids if i in {c.id for c in doc.clauses}] == [c.id for c in doc.clauses], text
        assert result.notice is None


def test_a_doc_number_not_in_the_index_says_so_and_lists_who_cites_it(index, sample_documents):
    citing = [d for d in sample_documents
              if any(c.doc_number and doc_number_key(c.doc_number) == "湘发〔2021〕19号" for c in d.cites)]
    assert citing
    result = index.search(SearchQuery(text="湘发[2021]19号", size=1000))
    assert result.notice.startswith("未收录 湘发〔2021〕19号")
    assert all(d.doc_number in result.notice for d in citing)
    # The citing documents (here cited in the preamble: their first clause), none that merely contain 2021 or 19.
    assert {h.doc_id for h in result.hits} == {d.id for d in citing}
    for hit in result.hits:
        doc, clause = index.clause(hit.clause_id)
        assert "湘发〔2021〕19号" in clause.text or clause is doc.clauses[0]


def test_a_doc_number_nobody_cites_finds_nothing(index):
    for text in ["泸发〔2021〕99号", "《关于推进清廉泸溪建设的意见的补充》（泸发〔2021〕99号）第三部分"]:
        result = index.search(SearchQuery(text=text))
        assert result.total == 0 and result.hits == []
        assert result.notice.startswith("未收录 泸发〔2021〕99号") and "没有引用" in result.notice


def test_words_with_a_doc_number_are_no_reference(index):
    assert index.search(SearchQuery(text="县财政局 泸发〔2021〕24号")).notice is None
    assert "未收录" not in (index.search(SearchQuery(text="学校 湘发〔2021〕19号")).notice or "")


def test_leading_zeros_meet_the_stored_doc_number(index, sample_documents):
    doc = next(d for d in sample_documents if d.doc_number and re.search(r"〕\d+号", d.doc_number))
    padded = re.sub(r"〕(\d+)号", lambda m: f"〕{int(m[1]):03d}号", doc.doc_number)
    assert padded != doc.doc_number and index.resolve_doc_number(padded) == doc.id


REGULATION = """泸水县文明养犬管理条例

（2022年6月8日泸水县人民代表大会常务委员会第12次会议通过）

第一章　总　则

第一条　为了规范养犬行为，保障公民健康和人身安全，制定本条例。

第二条　本条例适用于本县城区范围内的养犬管理。

第二章　养犬登记

第三条　个人饲养犬只的，应当向县公安局申请登记。

单位饲养犬只的，应当有专人看管。

登记时应当提交下列材料：

（一）养犬人身份证明；

（二）犬只免疫证明。

第三章　附　则

第四条　本条例自2022年8月1日起施行。
"""

NOTICE_WITH_ATTACHMENTS = """关于做好春季植树工作的通知

各乡镇人民政府，县直各单位：

一、提高认识。植树造林是改善生态环境的重要举措。

二、落实责任。（牵头单位：县林业局）

附件：1.植树任务分解表

2.植树进度报告表

泸水县人民政府办公室

2023年3月1日

附件1

植树任务分解表

一、城区绿化任务

二、乡镇绿化任务

附件2

植树进度报告表

一、报告时间
"""


REPEATED_SECTIONS = """泸教发〔2023〕5号

关于加强校园安全管理的通知

各学校：

一、总体要求

（一）指导思想

1.坚持安全第一。

（二）工作目标

1.实现零事故。

二、主要任务

（一）排查隐患

1.每月排查一次。

（二）整改落实

1.限期整改到位。

泸溪县教育和体育局

2023年3月1日
"""


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    [regulation] = parse_text(REGULATION, "条例.txt")
    [notice] = parse_text(NOTICE_WITH_ATTACHMENTS, "通知.txt")
    [sections] = parse_text(REPEATED_SECTIONS, "通知.txt")
    folder = tmp_path_factory.mktemp("refs") / "index"
    build_index([regulation, notice, sections], folder, progress=False)
    return open_index(folder), regulation, notice, sections


def test_a_point_under_a_section_names_its_part(small):
    # 二、（二）1.: 一、 has a （二）1. too, so the citation names the part; short typed forms work as well.
    index, *_, doc = small
    point = next(c for c in doc.clauses if c.path == ["二、", "（二）", "1."])
    assert cite(doc, point) == "《关于加强校园安全管理的通知》（泸教发〔2023〕5号）第二部分第（二）项第1点"
    for text in [cite(doc, point), "泸教发〔2023〕5号 二（二）1", "泸教发[2023]5号 2.(2)1", "泸教发〔2023〕5号第2部分第（2）项第一点"]:
        assert first_hit(index, text) == point.id, text
    # Without the part the first （二）1. of the document is meant.
    assert first_hit(index, "泸教发〔2023〕5号第（二）项第1点") == next(c.id for c in doc.clauses if c.path == ["一、", "（二）", "1."])


def test_article_and_paragraph_of_a_regulation(small):
    index, regulation, *_ = small
    assert regulation.doc_number is None
    by_path = {tuple(c.path): c for c in regulation.clauses}
    article = by_path[("第二章", "第三条")]
    item = by_path[("第二章", "第三条", "（二）")]
    assert cite(regulation, article) == "《泸水县文明养犬管理条例》第三条"
    assert cite(regulation, item) == "《泸水县文明养犬管理条例》第三条第（二）项"
    # A 款 is a paragraph of its article, not a clause: the article comes first.
    for text in ["《泸水县文明养犬管理条例》第三条第二款", "泸水县文明养犬管理条例 第3条 第2款", "《泸水县文明养犬管理条例》第二章第三条"]:
        assert first_hit(index, text) == article.id, text
    for text in ["《泸水县文明养犬管理条例》第三条第三款第（二）项", "泸水县文明养犬管理条例第3条（2）"]:
        assert first_hit(index, text) == item.id, text


def test_a_document_without_doc_number_is_cited_by_its_title(small):
    index, regulation, *_ = small
    for clause in regulation.clauses:
        assert cite(regulation, clause).startswith("《泸水县文明养犬管理条例》第")
        for text in reference_forms(regulation, clause).values():
            assert first_hit(index, text) == clause.id, text
    assert index.clause(first_hit(index, "泸水县文明养犬管理条例"))[0].id == regulation.id


def test_attachment_clauses(small):
    index, _, notice, _ = small
    by_path = {tuple(c.path): c for c in notice.clauses}
    second = by_path[("附件1", "二、")]
    assert cite(notice, second) == "《关于做好春季植树工作的通知》附件1第二部分"
    assert cite(notice, by_path[("二、",)]) == "《关于做好春季植树工作的通知》第二部分"
    for text in ["《关于做好春季植树工作的通知》附件1第二部分", "关于做好春季植树工作的通知 附件 1 二"]:
        assert first_hit(index, text) == second.id, text
    assert first_hit(index, "《关于做好春季植树工作的通知》附件2") == by_path[("附件2",)].id
    assert first_hit(index, "关于做好春季植树工作的通知第二部分") == by_path[("二、",)].id


def test_an_unnumbered_attachment_after_a_numbered_one_belongs_to_it():
    text = "关于印发赋权方案的通知\n\n一、赋权要求。\n\n附件1\n\n赋权目录\n\n附件2\n\n交接书\n\n附件\n\n事项清单\n\n附件3\n\n委托书"
    [doc] = parse_text(text, "方案.txt")
    assert [c.path for c in doc.clauses if c.path[0].startswith("附件")] == [
        ["附件1"], ["附件2"], ["附件2", "附件"], ["附件3"]]
    assert len({c.id for c in doc.clauses}) == len(doc.clauses)


def test_a_doc_number_of_another_family(tmp_path):
    # 令第N号, (78)…字N号: a 文号 the standard pattern does not read is still found by its key.
    [regulation] = parse_text(REGULATION, "条例.txt")
    docs = [dataclasses.replace(regulation, id="order", doc_number="泸水县人民政府令第3号", title="泸水县文明养犬管理规定"),
            dataclasses.replace(regulation, id="old", doc_number="(78)泸公字412号", title="关于养犬管理的通知")]
    for doc in docs:
        doc.clauses = [dataclasses.replace(c, id=c.id.replace(regulation.id, doc.id)) for c in regulation.clauses]
    build_index(docs, tmp_path / "index", progress=False)
    index = open_index(tmp_path / "index")
    for doc, typed in zip(docs, ["泸水县人民政府令 第3号 第3条", "（78）泸公字412号第三条第二款"], strict=True):
        article = next(c for c in doc.clauses if c.label == "第三条")
        for text in [cite(doc, article), typed]:
            assert first_hit(index, text) == article.id, text


def test_a_title_quoting_another_doc_number_is_read_as_a_title():
    repeal = Document(id="r", title="关于废止泸发〔2019〕3号文件的通知", doc_number="泸发〔2023〕1号", offices=[],
                      doc_type="通知", date=None, text="", source="",
                      clauses=[Clause(id="r/1", label="一、", path=["一、"], text="一、废止。")])
    refs = References([repeal])
    for text in ["关于废止泸发〔2019〕3号文件的通知第一部分", "《关于废止泸发〔2019〕3号文件的通知》一"]:
        assert refs.resolve(text).clause.id == "r/1", text
    assert refs.resolve("泸发〔2019〕3号").missing == "泸发〔2019〕3号"


TASK_TABLE = """示范县2024年为民办实事任务分工
一、民生工程
序号\t任务\t责任领导\t牵头单位\t配合单位\t完成时限
1\t新建城区口袋公园2座。\t王五\t县住建局\t县财政局\t2024年10月底前
2\t改造老旧小区供水管网。\t赵六\t县水利局、县城管局\t各乡镇\t全年
二、保障措施
（一）加强调度。县政府办每月通报进展。
指标\t目标值
1\t100
示范县人民政府办公室
2024年1月5日
"""


def test_rows_of_a_numbered_table_are_clauses_cited_by_row(tmp_path):
    # A table whose first column is 序号: each row is a clause labelled with its bare number, its units
    # read from the unit columns only, 牵头单位 leading and 配合单位 cooperating (not the leader's name or
    # the deadline); a table
    # without 序号 stays text of its clause, and the outline goes on after the table.
    [doc] = parse_text(TASK_TABLE, "任务.txt")
    assert [(c.path, c.heading) for c in doc.clauses] == [
        (["一、"], "民生工程"), (["一、", "1"], "新建城区口袋公园2座"), (["一、", "2"], "改造老旧小区供水管网"),
        (["二、"], "保障措施"), (["二、", "（一）"], "加强调度")]
    rows = {c.label: c for c in doc.clauses[1:3]}
    assert rows["2"].text.startswith("2\t改造老旧小区供水管网。")
    assert (rows["1"].lead_units, rows["2"].lead_units) == (["县住建局"], ["县水利局", "县城管局"])
    assert [(u.name, u.role) for c in doc.clauses for u in c.units] == [
        ("县住建局", "lead"), ("县财政局", "cooperating"),
        ("县水利局", "lead"), ("县城管局", "lead"), ("各乡镇", "cooperating")]
    assert [c.id.rsplit("/", 1)[1] for c in doc.clauses[1:3]] == ["1.h1", "1.h2"]
    assert "1\t100" in doc.clauses[-1].text
    build_index([doc], tmp_path / "index", progress=False)
    index = open_index(tmp_path / "index")
    assert cite(doc, rows["2"]) == "《示范县2024年为民办实事任务分工》第一部分第2行"
    for text in [*reference_forms(doc, rows["2"]).values(), "示范县2024年为民办实事任务分工 第2行",
                 "《示范县2024年为民办实事任务分工》第一部分第二项"]:
        assert first_hit(index, text) == rows["2"].id, text
