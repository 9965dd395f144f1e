"""The site through Flask's test client, against a real index of the sample corpus: every route, status and JSON shape."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app import create_app, labels, urls
from app.citation import cite
from app.outline import anchor
from corpus.model import Citation, Clause, Document
from corpus.units import alias_table
from index.passages import units
from index.query import SearchQuery

HIT_KEYS = {"clause_id", "doc_id", "doc_number", "title", "doc_type", "offices", "date", "label", "path",
            "heading", "snippet", "units", "score", "url"}


@pytest.fixture(scope="module")
def numbered_doc(sample_documents):
    """The document with a 文号 and the most clauses."""
    return max((d for d in sample_documents if d.doc_number), key=lambda d: len(d.clauses))


@pytest.fixture(scope="module")
def busy_unit(sample_documents):
    """The unit named in the most clauses."""
    counts = {}
    for doc in sample_documents:
        for clause in doc.clauses:
            for name in clause.unit_names:
                counts[name] = counts.get(name, 0) + 1
    return max(counts, key=counts.get)


def html(response):
    return BeautifulSoup(response.get_data(as_text=True), "lxml")


# Search page and /search.json


def test_search_page_keeps_query_and_highlights(client):
    response = client.get("/search", query_string={"q": "清廉学校"})
    assert response.status_code == 200
    soup = html(response)
    assert soup.select_one("input[name=q]")["value"] == "清廉学校"
    marks = soup.select(".hit mark")
    assert marks and all(m.get_text() in "清廉学校" for m in marks)
    assert soup.select(".doc-group h2 a")


def test_home_is_a_browse_of_everything(client, sample_documents):
    soup = html(client.get("/"))
    total = sum(len(units(d)) for d in sample_documents)  # numbered clauses and passages
    assert f"共 {total} 个条款" in soup.select_one(".count").get_text(" ", strip=True).replace("\xa0", " ")
    assert {s["data-facet"] for s in soup.select(".facet[data-facet]")} == {"type", "office", "unit", "year"}


def test_home_lists_the_newest_documents(client, sample_documents):
    soup = html(client.get("/"))
    listed = [a["href"] for a in soup.select(".recent-list .recent-title")]
    assert listed
    dates = {urls.doc_url(d.id): d.date or d.publish_date or "" for d in sample_documents}
    shown = [dates[href] for href in listed]
    assert shown == sorted(shown, reverse=True)
    assert min(shown) >= sorted(dates.values(), reverse=True)[len(listed) - 1]
    assert soup.select_one(f".intro a[href='{urls.units_url()}']")
    assert not html(client.get("/search?q=建设")).select(".recent")


def normalized(text: str) -> str:
    return unicodedata.normalize("NFKC", text).replace(" ", "")


@pytest.mark.parametrize("q", ["", "总体目标", "清廉学校"])
def test_hits_show_label_and_heading_once(client, q):
    hits = {h["url"]: h for h in client.get("/search.json", query_string={"q": q, "size": 50}).get_json()["hits"]}
    soup = html(client.get("/search", query_string={"q": q, "size": 50}))
    checked = 0
    for item in soup.select(".hit"):
        hit = hits[item.select_one(".hit-label")["href"]]
        snippet = item.select_one(".snippet")
        text = normalized(snippet.get_text()) if snippet else ""
        if hit["heading"]:
            assert normalized(item.select_one(".hit-heading").get_text()) == normalized(hit["heading"])
            assert not text.startswith(normalized(hit["heading"])), text
        if normalized(hit["snippet"]["text"]).startswith(normalized(hit["label"])):
            checked += 1
            assert not text.startswith(normalized(hit["label"])), text
            assert len(text) < len(normalized(hit["snippet"]["text"]))
    assert checked, "some snippets start with their clause's label"
    if q:
        assert soup.select(".hit-heading mark"), "a heading that matches keeps its highlight"


def test_search_json_contract(client):
    data = client.get("/search.json?q=建设&size=5").get_json()
    assert set(data) == {"query", "total", "page", "size", "hits", "facets", "notice", "prev_url", "next_url"}
    assert data["size"] == 5 and len(data["hits"]) == 5 and data["total"] > 5
    for hit in data["hits"]:
        assert set(hit) == HIT_KEYS
        assert hit["url"] == urls.clause_url(hit["clause_id"])
    assert [f["name"] for f in data["facets"]] == ["type", "office", "unit", "year"]
    for facet in data["facets"]:
        for value in facet["results"]:
            assert set(value) == {"value", "count", "selected", "toggle_url"}


def test_hit_permalinks_resolve(client):
    for hit in client.get("/search.json?q=责任&size=20").get_json()["hits"]:
        assert client.get(hit["url"]).status_code == 200, hit["url"]


def test_facet_toggle_selects_and_counts(client):
    data = client.get("/search.json?q=建设").get_json()
    facet = next(f for f in data["facets"] if f["name"] == "type")
    value = facet["results"][0]
    assert urlsplit(value["toggle_url"]).path == "/search.json", "a script follows the JSON's own links"
    selected = client.get(value["toggle_url"]).get_json()
    assert selected["total"] == value["count"]
    assert {h["doc_type"] for h in selected["hits"]} == {value["value"]}
    again = next(v for f in selected["facets"] if f["name"] == "type" for v in f["results"] if v["value"] == value["value"])
    assert again["selected"]
    assert parse_qs(urlsplit(again["toggle_url"]).query) == {"q": ["建设"]}


def year_values(data: dict) -> dict[str, dict]:
    return {v["value"]: v for f in data["facets"] if f["name"] == "year" for v in f["results"]}


def test_year_facet_selects_several_years(client):
    years = year_values(client.get("/search.json?size=1000").get_json())
    first, second = sorted(years)[-2:]
    one = client.get(years[first]["toggle_url"]).get_json()
    assert parse_qs(urlsplit(years[first]["toggle_url"]).query) == {"year": [first], "size": ["1000"]}
    assert one["total"] == years[first]["count"]
    assert {h["date"][:4] for h in one["hits"]} == {first}
    both = client.get(year_values(one)[second]["toggle_url"]).get_json()
    assert both["total"] == years[first]["count"] + years[second]["count"]
    assert {h["date"][:4] for h in both["hits"]} == {first, second}
    assert [v for v, value in year_values(both).items() if value["selected"]] == sorted([first, second], reverse=True)
    back = client.get(year_values(both)[first]["toggle_url"]).get_json()
    assert {h["date"][:4] for h in back["hits"]} == {second}


def test_year_chips_and_a_custom_range_combine(client):
    soup = html(client.get("/search?year=2021&year=2023&from=2021-03-01"))
    chips = [(c.select_one(".chip-label").get_text(), parse_qs(urlsplit(c["href"]).query)) for c in soup.select(".chip")]
    assert chips == [("年份", {"year": ["2023"], "from": ["2021-03-01"]}),
                     ("年份", {"year": ["2021"], "from": ["2021-03-01"]}),
                     ("成文日期", {"year": ["2021", "2023"]})]
    assert [c.get_text() for c in soup.select(".chip")][:2] == ["年份2021年×", "年份2023年×"]
    form = soup.select_one("form.date-range")
    assert [(i["name"], i["value"]) for i in form.select("input[type=hidden]")] == [("year", "2021"), ("year", "2023")]
    assert {a.select_one(".value").get_text() for a in soup.select(".facet-year .facet-value.selected")} == {"2021年", "2023年"}


def test_filter_chips_remove_filters(client):
    soup = html(client.get("/search?q=建设&type=通知&type=意见&from=2021-01-01"))
    chips = soup.select(".chip")
    assert len(chips) == 3
    removed = parse_qs(urlsplit(chips[0]["href"]).query)
    assert removed == {"q": ["建设"], "type": ["意见"], "from": ["2021-01-01"]}
    assert soup.select_one(".chip-clear")["href"] == "/search?q=" + quote("建设")


def test_html_facet_links_stay_html(client):
    soup = html(client.get("/search?q=建设"))
    links = [a["href"] for a in soup.select(".facet-value")]
    assert links and all(urlsplit(href).path == "/search" for href in links)


def test_json_pages_link_to_json_pages(client):
    first = client.get("/search.json?q=建设&size=3").get_json()
    assert first["prev_url"] is None
    second = client.get(first["next_url"]).get_json()
    assert second["page"] == 2 and urlsplit(first["next_url"]).path == "/search.json"
    assert {h["clause_id"] for h in first["hits"]}.isdisjoint(h["clause_id"] for h in second["hits"])
    assert client.get(second["prev_url"]).get_json()["hits"] == first["hits"]
    last = client.get("/search.json?q=建设&size=3&page=999").get_json()
    assert last["next_url"] is None
    assert parse_qs(urlsplit(last["prev_url"]).query)["page"] == [str(-(-first["total"] // 3))]


def test_grouped_hits_and_pagination(client):
    first = client.get("/search.json?q=建设&size=3").get_json()
    second = client.get("/search.json?q=建设&size=3&page=2").get_json()
    assert {h["clause_id"] for h in first["hits"]}.isdisjoint(h["clause_id"] for h in second["hits"])
    soup = html(client.get("/search?q=建设&size=3&page=2"))
    assert soup.select_one(".pagination .current").get_text() == "2"
    assert "page=3" in soup.select_one(".page-next")["href"]
    groups = soup.select(".doc-group")
    assert sum(len(g.select(".hit")) for g in groups) == 3
    titles = [g.select_one("h2").get_text() for g in groups]
    assert len(titles) == len(set(titles)), "a document's hits on one page are grouped under it"


def test_sort_by_date(client):
    hits = client.get("/search.json?q=工作&sort=date&size=50").get_json()["hits"]
    dates = [h["date"] for h in hits if h["date"]]
    assert dates == sorted(dates, reverse=True)
    soup = html(client.get("/search?q=工作&sort=date"))
    assert soup.select_one(".sort a.active").get_text() == "日期"


def test_no_hits_shows_help_not_empty_panels(client):
    soup = html(client.get("/search", query_string={"q": "量子计算机", "type": "通知"}))
    assert "没有找到匹配的条款" in soup.select_one(".empty").get_text()
    assert soup.select_one(".empty a[href='/search']") and soup.select_one(".empty a[href='/search?q=" + quote("量子计算机") + "']")
    assert [f["data-facet"] for f in soup.select(".facet[data-facet]")] == ["type"], "only the selected filter is listed"
    assert not soup.select(".sort") and not soup.select(".exports a[download]")
    assert soup.select_one(".exports a")["href"].startswith("/search.atom")


def test_page_past_the_end_is_friendly(client):
    response = client.get("/search?q=建设&page=9999")
    assert response.status_code == 200
    assert "没有结果了" in response.get_data(as_text=True)


@pytest.mark.parametrize("query", [
    "page=-1", "page=abc", "page=99999999", "size=5000", "size=0", "from=2021-13-45",
    "to=yesterday", "from=2022-01-01&to=2021-01-01", "sort=random",
])
def test_invalid_parameters_are_400(client, query):
    response = client.get(f"/search?{query}")
    assert response.status_code == 400
    soup = html(response)
    assert soup.select_one(".error-message").get_text().strip()
    assert soup.select_one("form input[name=q]")
    api = client.get(f"/search.json?{query}")
    assert api.status_code == 400 and api.get_json()["error"]


@pytest.mark.parametrize("text", ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>',
                                  "清廉<b>学校</b>", "泸发〔2021〕", "\"unbalanced", "OR", "x" * 3000, "%00"])
def test_hostile_queries_render_escaped(client, text):
    response = client.get("/search", query_string={"q": text})
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "<script>alert" not in body and "<img src=x" not in body and "<b>学校" not in body
    assert client.get("/search.json", query_string={"q": text}).status_code == 200


# Documents and clause permalinks


def test_document_page(client, numbered_doc):
    response = client.get(urls.doc_url(numbered_doc.id))
    assert response.status_code == 200
    soup = html(response)
    assert soup.select_one("h1").get_text() == numbered_doc.title
    table = soup.select_one(".meta-table").get_text()
    assert numbered_doc.doc_number in table and "成文日期" in table
    for clause in numbered_doc.clauses:
        assert soup.find(id=anchor(clause.id)), clause.id
    assert soup.select_one("link[rel=canonical]")["href"].endswith(urls.doc_url(numbered_doc.id))


def test_document_meta_links_to_office_and_type_browse(client, numbered_doc):
    soup = html(client.get(urls.doc_url(numbered_doc.id)))
    links = [a["href"] for a in soup.select(".doc-header .doc-meta a")]
    assert urls.filter_url("type", numbered_doc.doc_type) in links
    office = urls.filter_url("office", numbered_doc.offices[0])
    assert office in links
    data = client.get(office.replace("/search?", "/search.json?")).get_json()
    assert data["total"] > 0 and all(numbered_doc.offices[0] in h["offices"] for h in data["hits"])


def test_document_json(client, numbered_doc):
    data = client.get(urls.doc_url(numbered_doc.id, "json")).get_json()
    assert data["id"] == numbered_doc.id and data["doc_number"] == numbered_doc.doc_number
    assert [c["id"] for c in data["clauses"]] == [c.id for c in numbered_doc.clauses]
    assert all(c["url"] == urls.clause_url(c["id"]) for c in data["clauses"])
    assert isinstance(data["cited_by"], list)


TABLE_ROWS = [["序号", "任务", "责任单位", "完成时限"],
              ["1", "建设清廉学校<b>", "县教体局", "2023年6月底前"],
              ["2", "建设清廉医院", "县卫健局"]]


def table_doc() -> Document:
    """A document whose second clause holds a body table (tab-separated rows, the second row short)."""
    table = "\n".join("\t".join(row) for row in TABLE_ROWS)
    first = "一、总体要求\n坚持问题导向。"
    second = f"二、任务分工\n各单位按下表落实：\n{table}\n请认真抓好落实。"
    return Document(id="泸政办函-2021-1", title="关于印发清廉建设任务分工的通知", doc_number="泸政办函〔2021〕1号",
                    offices=["泸溪县人民政府办公室"], doc_type="通知", date="2021-02-01", source="c.txt",
                    text=f"各乡镇：\n{first}\n{second}\n泸溪县人民政府办公室",
                    clauses=[Clause(id="泸政办函-2021-1/1", label="一、", path=["一、"], text=first),
                             Clause(id="泸政办函-2021-1/2", label="二、", path=["二、"], text=second)])


@pytest.fixture(scope="module")
def tiny_client(tmp_path_factory):
    """An index of three hand-made documents: one cites another, a clause carries markup-like text, one has a table."""
    from index.build import build_index

    cited = Document(id="泸政发-2020-3", title="关于印发《示范方案》的通知", doc_number="泸政发〔2020〕3号",
                     offices=["泸溪县人民政府"], doc_type="通知", date="2020-03-01", text="一、总则<b>加粗</b>\n",
                     source="a.html", publish_date="2020-03-05", source_url="http://www.example.gov.cn/a.html",
                     clauses=[Clause(id="泸政发-2020-3/1", label="一、", path=["一、"],
                                                     text="一、总则<b>加粗</b><script>alert(1)</script>")])
    citing = Document(id="泸政发-2021-9", title="关于落实示范方案的意见", doc_number="泸政发〔2021〕9号",
                      offices=["泸溪县人民政府"], doc_type="意见", date="2021-05-01", text="根据泸政发〔2020〕3号，制定本意见。",
                      source="b.txt", cites=[Citation(doc_number="泸政发[2020]3号")])
    index_dir = tmp_path_factory.mktemp("tiny") / "index"
    build_index([cited, citing, table_doc()], index_dir, progress=False)
    return create_app({"TESTING": True, "INDEX_DIR": str(index_dir)}).test_client()


def test_cited_documents_link_both_ways(tiny_client):
    data = tiny_client.get(urls.doc_url("泸政发-2021-9", "json")).get_json()
    assert [c["url"] for c in data["cites"]] == [urls.doc_url("泸政发-2020-3")]
    back = tiny_client.get(urls.doc_url("泸政发-2020-3", "json")).get_json()
    assert [d["id"] for d in back["cited_by"]] == ["泸政发-2021-9"]
    soup = html(tiny_client.get(urls.doc_url("泸政发-2020-3")))
    assert soup.select_one(f".meta-table a[href='{urls.doc_url('泸政发-2021-9')}']")


def test_web_page_document_shows_publish_date_and_source_link(tiny_client):
    rows = {tr.th.get_text(): tr.td for tr in html(tiny_client.get(urls.doc_url("泸政发-2020-3"))).select(".meta-table tr")}
    assert rows["成文日期"].get_text() == "2020年3月1日" and rows["发布日期"].get_text() == "2020年3月5日"
    assert rows["来源"].a["href"] == "http://www.example.gov.cn/a.html"


def test_clause_text_that_looks_like_markup_is_escaped(tiny_client):
    for path in ["/search?q=加粗", "/search?q=alert", urls.doc_url("泸政发-2020-3"), urls.clause_url("泸政发-2020-3/1")]:
        body = tiny_client.get(path).get_data(as_text=True)
        assert "<script>alert" not in body and "<b>加粗" not in body, path
        assert "&lt;script&gt;" in body or "&lt;b&gt;" in body, path
    snippet = tiny_client.get("/search.json?q=加粗").get_json()["hits"][0]["snippet"]
    assert "<b>加粗" in snippet["text"] and [snippet["text"][s:e] for s, e in snippet["marks"]] == ["加粗"]
    assert "&lt;b&gt;<mark>加粗</mark>" in tiny_client.get("/search?q=加粗").get_data(as_text=True)
    feed = tiny_client.get("/search.atom?q=加粗").get_data(as_text=True)
    assert "&amp;lt;b&amp;gt;&lt;mark&gt;加粗&lt;/mark&gt;" in feed


def table_cells(table) -> list[list[str]]:
    return [[cell.get_text() for cell in tr.select("th, td")] for tr in table.select("tr")]


@pytest.mark.parametrize("path", [urls.doc_url("泸政办函-2021-1"), urls.clause_url("泸政办函-2021-1/2")])
def test_body_table_is_a_real_table(tiny_client, path):
    soup = html(tiny_client.get(path))
    tables = soup.select(".doc-body .table-wrap > table.body-table")
    assert len(tables) == 1
    table = tables[0]
    assert [th.get_text() for th in table.select("thead th")] == TABLE_ROWS[0]
    assert table_cells(table.tbody) == [TABLE_ROWS[1], [*TABLE_ROWS[2], ""]]
    assert "<b>" not in str(table) and "&lt;b&gt;" in str(table)
    clause = table.find_parent("section")
    assert clause["id"] == anchor("泸政办函-2021-1/2")
    paragraphs = [p.get_text() for p in clause.find_all("p", recursive=False)]
    assert paragraphs[-2:] == ["各单位按下表落实：", "请认真抓好落实。"]
    assert not any("\t" in p.get_text() for p in soup.select(".doc-body p"))


def test_citation_of_a_top_level_item(tiny_client):
    data = tiny_client.get(urls.clause_url("泸政发-2020-3/1", "json")).get_json()
    assert data["citation"] == "《关于印发〈示范方案〉的通知》（泸政发〔2020〕3号）第一部分"


@pytest.mark.parametrize("brackets", ["〔〕", "[]", "()", "（）"])
def test_doc_number_redirects_to_document(client, numbered_doc, brackets):
    typed = numbered_doc.doc_number.replace("〔", brackets[0]).replace("〕", brackets[1])
    response = client.get("/d/" + quote(typed))
    assert response.status_code == 301
    assert urlsplit(response.headers["Location"]).path == urls.doc_url(numbered_doc.id)


def test_clause_permalink_page(client, numbered_doc):
    clause = numbered_doc.clauses[-1]
    response = client.get(urls.clause_url(clause.id))
    assert response.status_code == 200
    soup = html(response)
    focus = soup.select_one(".clause.is-focus")
    assert focus["id"] == anchor(clause.id)
    assert soup.select_one("[data-focus]")["data-focus"] == anchor(clause.id)
    crumbs = [c.get_text() for c in soup.select(".breadcrumb a, .breadcrumb span:not(.sep)")]
    assert crumbs == [numbered_doc.doc_number, *clause.path]
    og = {m["property"]: m["content"] for m in soup.select("meta[property^='og:']")}
    assert og["og:title"] == f"{numbered_doc.title} {''.join(clause.path)}"
    assert og["og:description"] in " ".join(clause.text.split())
    assert og["og:url"].endswith(urls.clause_url(clause.id))
    assert soup.select_one("link[rel=canonical]")["href"] == og["og:url"]
    buttons = {b.get_text(): b["data-copy"] for b in focus.select("button[data-copy]")}
    assert buttons == {"复制链接": og["og:url"], "复制引用": cite(numbered_doc, clause)}
    for name in clause.unit_names:
        assert focus.select_one(f"a[href='{urls.unit_url(name)}']")


def test_citation_of_the_issue_example(client, sample_documents):
    doc = next(d for d in sample_documents if d.doc_number == "泸发〔2021〕24号")
    clause = next(c for c in doc.clauses if c.label == "18.")
    data = client.get(urls.clause_url(clause.id, "json")).get_json()
    assert data["citation"] == "《关于推进清廉泸溪建设的意见》（泸发〔2021〕24号）第五部分第18项"


def test_clause_json(client, numbered_doc):
    clause = numbered_doc.clauses[0]
    data = client.get(urls.clause_url(clause.id, "json")).get_json()
    assert data["id"] == clause.id and data["text"] == clause.text and data["path"] == clause.path
    assert data["url"] == urls.clause_url(clause.id)
    assert data["document"]["id"] == numbered_doc.id and data["document"]["url"] == urls.doc_url(numbered_doc.id)


@pytest.mark.parametrize("path", ["/d/no-such-doc", "/d/no-such-doc.json", "/d/%ZZ%00", "/d/泸发〔1999〕1号",
                                  "/unit/没有这个单位", "/nowhere", "/d/" + "x" * 3000])
def test_unknown_pages_are_404_with_search_box(client, path):
    response = client.get(path)
    assert response.status_code == 404
    if path.endswith(".json"):
        assert response.get_json()["error"]
    else:
        assert html(response).select_one("form input[name=q]")


def test_unknown_clause_of_known_document_is_404(client, numbered_doc):
    assert client.get(urls.doc_url(numbered_doc.id) + "/99.99").status_code == 404


# Units, CSV, Atom, OpenSearch


def test_unit_page(client, busy_unit, sample_documents):
    response = client.get(urls.unit_url(busy_unit))
    assert response.status_code == 200
    expected = {c.id for d in sample_documents for c in d.clauses if busy_unit in c.unit_names}
    data = client.get(urls.unit_url(busy_unit, "json")).get_json()
    assert data["unit"] == busy_unit
    assert {c["id"] for d in data["documents"] for c in d["clauses"]} == expected
    assert data["total"] == len(expected)
    links = {a["href"] for a in html(response).select(".hit-label")}
    assert links == {urls.clause_url(i) for i in expected}


def test_unit_list_has_every_unit_with_its_clause_count(client, sample_documents):
    counts = {}
    for doc in sample_documents:
        for clause in doc.clauses:
            for name in clause.unit_names:
                counts[name] = counts.get(name, 0) + 1
    data = client.get("/units.json").get_json()
    assert data["total"] == len(counts) > 50
    assert {u["name"]: u["count"] for u in data["units"]} == counts
    assert [u["count"] for u in data["units"]] == sorted(counts.values(), reverse=True)
    soup = html(client.get("/units"))
    links = soup.select(".unit-list .unit-name")
    assert [a.get_text() for a in links] == [u["name"] for u in data["units"]]
    assert all(a["href"] == urls.unit_url(a.get_text()) for a in links)


def test_truncated_unit_facet_links_to_the_whole_list(client):
    soup = html(client.get("/search"))
    assert not soup.select(".facet-unit .facet-note")
    link = soup.select_one(".facet-unit .more .facet-all")
    assert link["href"] == urls.units_url() and "50" in link.get_text()
    scoped = html(client.get("/search?q=建设&sort=date&page=2")).select_one(".facet-unit .facet-all")
    assert parse_qs(urlsplit(scoped["href"]).query) == {"q": ["建设"], "sort": ["date"]}


def test_unit_list_of_a_search_counts_what_the_filter_finds(client):
    data = client.get("/units.json?q=建设").get_json()
    assert 0 < data["total"] < client.get("/units.json").get_json()["total"]
    for unit in data["units"][:3] + data["units"][-2:]:
        assert client.get(unit["toggle_url"].replace("/search?", "/search.json?")).get_json()["total"] == unit["count"]
    assert client.get("/units?page=x").status_code == 400
    assert html(client.get("/units?q=建设")).h1.get_text() != html(client.get("/units")).h1.get_text()


def test_unit_alias_redirects(client, sample_documents):
    named = {name for doc in sample_documents for clause in doc.clauses for name in clause.unit_names}
    alias, canonical = min((a, c) for a, c in alias_table().items() if a != c and c in named)
    response = client.get(urls.unit_url(alias))
    assert response.status_code == 301
    location = urlsplit(response.headers["Location"]).path
    assert location == urls.unit_url(canonical)
    assert client.get(location).status_code == 200


def test_unit_ledger_csv(client, busy_unit):
    response = client.get(urls.unit_url(busy_unit, "csv"))
    assert response.status_code == 200 and response.mimetype == "text/csv"
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    total = client.get(urls.unit_url(busy_unit, "json")).get_json()["total"]
    assert rows[0][:2] == ["文号", "文件标题"] and len(rows) == total + 1
    assert all(row[8] for row in rows[1:]), "every row says the unit's role"
    assert "attachment" in response.headers["Content-Disposition"]


def test_search_csv_is_the_whole_result_list(client):
    total = client.get("/search.json?q=建设").get_json()["total"]
    rows = list(csv.reader(io.StringIO(client.get("/search.csv?q=建设").get_data(as_text=True)[1:])))
    assert len(rows) == min(total, 1000) + 1
    assert all(row[-1].startswith("http://localhost/d/") for row in rows[1:])


@pytest.fixture(scope="module")
def crowded_client(tmp_path_factory):
    """An index of 1,200 clauses and 3 leads (more than one CSV holds) whose titles and texts start like Excel formulas."""
    from index.build import build_index

    docs = []
    for number, (doc_type, start) in enumerate([("通知", "="), ("意见", "+"), ("方案", "@")], 1):
        doc_id = f"测政发-2022-{number}"
        clauses = [Clause(id=f"{doc_id}/{i}", label=f"{i}.", path=[f"{i}."], text=f"{start}{i}.做好第{i}项工作。")
                   for i in range(1, 401)]
        docs.append(Document(id=doc_id, title=f'=HYPERLINK("http://evil.example","点此")第{number}号', source="t.txt",
                             doc_number=f"测政发〔2022〕{number}号", offices=["-测试县人民政府"], doc_type=doc_type,
                             date=f"2022-0{number}-01", text="", clauses=clauses))
    index_dir = tmp_path_factory.mktemp("crowded") / "index"
    build_index(docs, index_dir, progress=False)
    return create_app({"TESTING": True, "INDEX_DIR": str(index_dir)}).test_client()


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).removeprefix("\ufeff"))))


def test_search_csv_says_where_it_was_cut(crowded_client):
    response = crowded_client.get("/search.csv")
    rows = csv_rows(response)
    assert response.headers["X-Gongwen-Truncated"] == "1000 of 1203"
    assert len(rows) == 1 + 1000 + 1
    assert rows[-1] == [labels.CSV_TRUNCATED.format(shown=1000, total=1203)]
    whole = crowded_client.get("/search.csv?type=通知")
    assert "X-Gongwen-Truncated" not in whole.headers
    assert len(csv_rows(whole)) == 1 + 401


def test_csv_cells_never_start_a_formula(crowded_client):
    rows = csv_rows(crowded_client.get("/search.csv"))[1:-1]
    assert {row[11][:2] for row in rows} == {"'=", "'+", "'@"}
    assert all(row[1].startswith("'=HYPERLINK") and row[3] == "'-测试县人民政府" for row in rows)
    assert not [cell for row in rows for cell in row if cell.startswith(("=", "+", "-", "@", "\t", "\r"))]


def test_atom_feed(client, busy_unit):
    response = client.get(urls.search_url(SearchQuery(units=(busy_unit,)), "atom"))
    assert response.status_code == 200 and response.mimetype == "application/atom+xml"
    ns = {"a": "http://www.w3.org/2005/Atom"}
    feed = ET.fromstring(response.data)
    entries = feed.findall("a:entry", ns)
    assert entries and len(entries) <= 50
    updated = [e.find("a:updated", ns).text for e in entries]
    assert updated == sorted(updated, reverse=True)
    for entry in entries:
        assert entry.find("a:link", ns).get("href").startswith("http://localhost/d/")
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT00:00:00Z", entry.find("a:updated", ns).text)


def test_opensearch_description(client):
    response = client.get("/opensearch.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.data)
    templates = [u.get("template") for u in root.iter("{http://a9.com/-/spec/opensearch/1.1/}Url")]
    assert "http://localhost/search?q={searchTerms}" in templates
    assert html(client.get("/")).select_one("link[rel=search]")["href"] == "/opensearch.xml"


# Headers, scripts, configuration


@pytest.mark.parametrize("path", ["/", "/search?q=清廉", "/nowhere", "/search?page=-1"])
def test_security_headers(client, path):
    headers = client.get(path).headers
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"]


def test_pages_have_no_inline_script_or_style(client, numbered_doc, busy_unit):
    for path in ["/", "/search?q=清廉学校", urls.doc_url(numbered_doc.id), urls.clause_url(numbered_doc.clauses[0].id),
                 urls.unit_url(busy_unit), urls.units_url(), "/nowhere"]:
        soup = html(client.get(path))
        assert all(s.get("src") and not s.get_text().strip() for s in soup.find_all("script")), path
        assert not soup.find(style=True) and not soup.find("style"), path
        assert not soup.find(lambda tag: any(a.startswith("on") for a in tag.attrs)), path


def test_script_shows_only_words_the_page_gives_it(client, app, numbered_doc):
    script = (Path(app.static_folder) / "app.js").read_text("utf-8")
    assert not re.search(r"[\u3000-\u9fff\uff00-\uffef]", script), "UI text lives in app/labels.py"
    statuses = html(client.get(urls.doc_url(numbered_doc.id))).select(".copy-status")
    assert statuses and all(s["data-copied"] == labels.COPIED and s["data-failed"] == labels.COPY_FAILED
                            for s in statuses)


def test_missing_index_is_a_friendly_503(tmp_path):
    client = create_app({"TESTING": True, "INDEX_DIR": str(tmp_path / "none")}).test_client()
    response = client.get("/search?q=清廉")
    assert response.status_code == 503
    assert "python -m index build" in response.get_data(as_text=True)


def test_config_defaults(monkeypatch, tmp_path):
    monkeypatch.setenv("GONGWEN_INDEX", str(tmp_path))
    assert create_app().config["INDEX_DIR"] == str(tmp_path)
    monkeypatch.delenv("GONGWEN_INDEX")
    assert create_app().config["INDEX_DIR"].endswith("instance/index")


def test_public_url_not_the_host_header_starts_full_links(sample_index, numbered_doc):
    public = "https://gongwen.example.gov.cn"
    client = create_app({"TESTING": True, "INDEX_DIR": str(sample_index), "PUBLIC_URL": public + "/"}).test_client()
    forged = {"Host": "evil.example"}
    page = html(client.get(urls.doc_url(numbered_doc.id), headers=forged))
    assert page.select_one("link[rel=canonical]")["href"] == public + urls.doc_url(numbered_doc.id)
    assert page.select_one("meta[property='og:url']")["content"] == public + urls.doc_url(numbered_doc.id)
    assert page.select_one("button[data-copy]")["data-copy"].startswith(public + "/d/")
    rows = list(csv.reader(io.StringIO(client.get("/search.csv?q=建设", headers=forged).get_data(as_text=True)[1:])))
    assert all(row[-1].startswith(public + "/d/") for row in rows[1:])
    feed = client.get("/search.atom?q=建设", headers=forged).get_data(as_text=True)
    assert public + "/d/" in feed and "evil.example" not in feed


def test_public_url_and_trusted_hosts_from_the_environment(monkeypatch, sample_index):
    monkeypatch.setenv("GONGWEN_PUBLIC_URL", "https://gongwen.example.gov.cn")
    monkeypatch.setenv("GONGWEN_TRUSTED_HOSTS", "gongwen.example.gov.cn, localhost")
    app = create_app({"TESTING": True, "INDEX_DIR": str(sample_index)})
    assert app.config["PUBLIC_URL"] == "https://gongwen.example.gov.cn"
    assert app.config["TRUSTED_HOSTS"] == ["gongwen.example.gov.cn", "localhost"]
    client = app.test_client()
    assert client.get("/search?q=清廉").status_code == 200
    refused = client.get("/search?q=清廉", headers={"Host": "evil.example"})
    assert refused.status_code == 400 and refused.get_data(as_text=True) == labels.UNTRUSTED_HOST
    monkeypatch.setenv("GONGWEN_PUBLIC_URL", "gongwen.example.gov.cn")
    with pytest.raises(ValueError, match="GONGWEN_PUBLIC_URL"):
        create_app()


# Nothing a user can type gives a 500 (TESTING propagates exceptions, so a crash fails the test)

TYPED = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)
PARAMS = ["q", "type", "office", "unit", "year", "from", "to", "sort", "page", "size"]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(params=st.dictionaries(st.sampled_from(PARAMS), TYPED | st.sampled_from(["2021-01-01", "2021", "1", "date", "清廉"])))
def test_no_search_parameter_gives_a_500(client, params):
    for path in ("/search", "/search.json", "/search.csv", "/search.atom", "/units", "/units.json"):
        assert client.get(path, query_string=params).status_code in (200, 400)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(prefix=st.sampled_from(["/d/", "/unit/"]), typed=TYPED, suffix=st.sampled_from(["", ".json", ".csv", "/1"]))
def test_no_typed_path_gives_a_500(client, prefix, typed, suffix):
    assert client.get(prefix + quote(typed) + suffix).status_code in (200, 301, 308, 404)
