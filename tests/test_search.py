"""Search behaviour on hand-built documents: literal recall, syntax, facets, citations, fallbacks."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from index import open_index
from index.build import build_index
from index.passages import units as search_units
from index.query import MAX_QUERY_CHARS, QueryError, SearchQuery, parse_search_query
from tests.test_index_fixtures import hand_documents


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    index_dir = tmp_path_factory.mktemp("search") / "index"
    build_index(hand_documents(), index_dir, progress=False)
    return open_index(index_dir)


def ids(index, text="", **kwargs):
    return [hit.clause_id for hit in index.search(SearchQuery(text=text, size=1000, **kwargs)).hits]


def facet(result, name):
    return {v.value: (v.count, v.selected) for f in result.facets if f.name == name for v in f.results}


@pytest.mark.parametrize("text, expected", [
    ("清廉学校", ["泸发-2021-24/5.18"]),
    ("廉学", ["泸发-2021-24/5.18"]),            # across jieba's word boundary
    ("县教体局", ["泸发-2021-24/5.18"]),
    ("abc123号", ["泸办发-2023-3/3"]),          # full-width in the text, half-width typed
    ("ＡＢＣ", ["泸办发-2023-3/3"]),
    ("泸溪县武溪镇", ["泸办发-2023-3/3"]),       # the text wraps a line inside 泸溪县
    ("泸发[2021]", ["泸发-2021-24/导语", "泸政办函-2021-72/2"]),  # bracket variants of a 文号; its lead first
])
def test_literal_recall(index, text, expected):
    assert ids(index, text) == expected


def test_single_character_finds_every_clause_containing_it(index):
    expected = {c.id for d in hand_documents() for c in search_units(d) if "泸" in c.text}
    assert set(ids(index, "泸")) == expected and len(expected) >= 3


def test_whole_words_rank_first(index):
    hits = ids(index, "清廉")
    assert set(hits) == {"泸发-2021-24/导语", "泸发-2021-24/5", "泸发-2021-24/5.16", "泸发-2021-24/5.17", "泸发-2021-24/5.18",
                         "泸政办函-2021-72/2"}
    result = index.search(SearchQuery(text="清廉"))
    assert result.hits[0].score >= result.hits[-1].score > 0


def test_syntax(index):
    assert ids(index, "清廉 学校") == ["泸发-2021-24/5.18"]
    assert set(ids(index, "林长制 OR 烟花爆竹")) == {"泸政办函-2021-72/导语", "泸政办函-2021-72/1", "泸办发-2023-3/2"}
    assert set(ids(index, "清廉 -学校 -机关")) == {"泸发-2021-24/导语", "泸发-2021-24/5", "泸发-2021-24/5.17",
                                                   "泸政办函-2021-72/2"}
    assert ids(index, '"建设清廉学校"') == ["泸发-2021-24/5.18"]
    assert set(ids(index, "单位:县财政局")) == {"泸发-2021-24/5.17", "泸政办函-2021-72/2"}
    assert ids(index, "单位：教体局") == ["泸发-2021-24/5.18"]
    assert ids(index, "标题:林长制 县财政局") == ["泸政办函-2021-72/2"]
    assert set(ids(index, "文号:泸办发")) == {"泸办发-2023-3/导语", "泸办发-2023-3/1", "泸办发-2023-3/2", "泸办发-2023-3/3"}


@pytest.mark.parametrize("text, words", [
    ('"清廉 学校', "引号"), ("清廉 OR", "OR"), ("OR 清廉", "OR"), ("清廉 OR OR 学校", "OR"),
    ("清廉 -", "减号"), ("单位:", "单位"), ("”清廉", "引号"),
])
def test_malformed_syntax_falls_back_with_a_notice(index, text, words):
    result = index.search(SearchQuery(text=text))
    assert result.notice and "语法" in result.notice and words in result.notice
    assert "泸发-2021-24/5.18" in [hit.clause_id for hit in result.hits] or "清廉" not in text


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.sampled_from(list('清廉学校"“”-:：OR 或单位文号标题()（）[]〔〕泸发2021号第项、.\n\t')), max_size=40),
       st.booleans())
def test_no_query_text_raises_and_bad_syntax_says_so(index, text, overlong):
    if overlong:
        text = "清廉" * MAX_QUERY_CHARS + text
    result = index.search(parse_search_query({"q": text}))
    assert result.total >= len(result.hits)
    notice = result.notice or ""
    if overlong:
        assert str(MAX_QUERY_CHARS) in notice
        return
    quotes = sum(text.count(q) for q in '"“”')
    words = text.split()
    if quotes == 1:  # a quote with no partner
        assert "语法" in notice, text
    if not quotes and words and (words[0] in ("OR", "或") or words[-1] in ("OR", "或")):  # a lone OR
        assert "语法" in notice, text


def test_overlong_query_is_cut_and_says_so(index):
    result = index.search(parse_search_query({"q": "清廉" * 1000}))
    assert result.notice and str(MAX_QUERY_CHARS) in result.notice
    assert result.total == 0


def expected_facets(text, types=(), units=(), years=(), date_from="", date_to="9999"):
    """Facet counts computed directly from the documents: each facet ignores its own selection, not the dates."""
    rows = [(d.doc_type, d.offices, c.unit_names, d.date) for d in hand_documents() for c in search_units(d)
            if text in c.text]

    def allowed(row, skip):
        return ((skip == "type" or not types or row[0] in types)
                and (skip == "unit" or not units or set(row[2]) & set(units))
                and (skip == "year" or not years or row[3][:4] in years)
                and date_from <= row[3] <= date_to)  # the date range is no facet: every facet honours it

    counts = {"type": {}, "office": {}, "unit": {}, "year": {}}
    for row in rows:
        for name, values in (("type", [row[0]]), ("office", row[1]), ("unit", row[2]), ("year", [row[3][:4]])):
            if allowed(row, name):
                for value in values:
                    counts[name][value] = counts[name].get(value, 0) + 1
    total = sum(1 for row in rows if allowed(row, None))
    return total, counts


@pytest.mark.parametrize("types, units, years, dates", [
    ((), (), (), {}), (("通知",), (), (), {}), (("意见", "通知"), (), (), {}), (("意见",), ("县财政局",), (), {}),
    ((), ("县财政局", "县应急管理局"), ("2021",), {}), ((), (), ("2023",), {}), ((), (), ("2021", "2023"), {}),
    (("通知",), (), ("2021", "2023"), {}), ((), (), ("2019",), {}),
    ((), (), ("2021", "2023"), {"date_from": "2021-07-01"}), ((), (), (), {"date_to": "2021-07-01"}),
])
def test_facets_are_disjunctive_within_and_conjunctive_across(index, types, units, years, dates):
    result = index.search(SearchQuery(text="县", types=types, units=units, years=years, **dates))
    total, counts = expected_facets("县", types, units, years, **dates)
    assert result.total == total == len(ids(index, "县", types=types, units=units, years=years, **dates))
    for name, expected in counts.items():
        selected = {"type": set(types), "unit": set(units), "year": set(years), "office": set()}[name]
        shown = {v: (n, v in selected) for v, n in expected.items()}
        shown.update({v: (0, True) for v in selected if v not in expected})
        assert facet(result, name) == shown


def test_years_come_from_repeated_year_parameters():
    assert parse_search_query({"year": ["2023", "2021", "2023"]}).years == ("2023", "2021")
    for bad in ("21", "二〇二一", "2021-01"):
        with pytest.raises(QueryError, match="年份"):
            parse_search_query({"year": ["2021", bad]})


def test_selected_facet_values_stay_visible(index):
    one = index.search(SearchQuery(text="县", types=("通知",)))
    assert one.total == 1
    assert facet(one, "type") == {"意见": (5, False), "通知": (1, True)}


def test_unknown_filter_value_matches_nothing_but_is_shown_selected(index):
    result = index.search(SearchQuery(units=("不存在的单位",)))
    assert result.total == 0 and facet(result, "unit")["不存在的单位"] == (0, True)


def test_browse_is_sorted_by_date(index):
    result = index.search(SearchQuery(offices=("泸溪县人民政府办公室",)))
    assert result.total == 7  # five clauses, and each document's lead (title, 文号)
    assert [h.date for h in result.hits] == sorted((h.date for h in result.hits), reverse=True)
    assert [h.clause_id for h in result.hits][:4] == ["泸办发-2023-3/导语", "泸办发-2023-3/1", "泸办发-2023-3/2",
                                                      "泸办发-2023-3/3"]


def test_date_sort_and_paging(index):
    by_date = ids(index, "县", sort="date")
    assert by_date[0].startswith("泸办发-2023-3")
    pages = [index.search(SearchQuery(text="县", sort="date", page=p, size=2)) for p in (1, 2, 3)]
    assert [h.clause_id for r in pages for h in r.hits] == by_date
    assert {r.total for r in pages} == {6}


@pytest.mark.parametrize("text, first", [
    ("泸发[2021]24号 第18项", "泸发-2021-24/5.18"),
    ("泸发（2021）24号第十八项", "泸发-2021-24/5.18"),
    ("泸发〔2021〕24号 五、", "泸发-2021-24/5"),
    ("泸发〔2021〕24号 17.", "泸发-2021-24/5.17"),
    ("泸发〔2021〕24号", "泸发-2021-24/导语"),  # the document's lead: its title and 文号
])
def test_citations_put_the_clause_first(index, text, first):
    result = index.search(SearchQuery(text=text))
    assert result.hits[0].clause_id == first
    # The rest of the document, then the clauses citing it.
    assert {h.clause_id for h in result.hits} >= {"泸发-2021-24/5.16", "泸政办函-2021-72/2"}
    assert result.notice is None


def test_citation_of_a_missing_clause_says_so(index):
    result = index.search(SearchQuery(text="泸发〔2021〕24号 第99项"))
    assert result.hits[0].doc_id == "泸发-2021-24" and "第99项" in result.notice


@pytest.mark.parametrize("text, expected", [
    ("泸发〔2021〕24号 学校", {"泸发-2021-24/5.18"}),
    ("泸发[2021]24号清廉企业", {"泸发-2021-24/5.17"}),
    ("泸发〔2021〕24号 -学校", {"泸发-2021-24/导语", "泸发-2021-24/5", "泸发-2021-24/5.16", "泸发-2021-24/5.17", "泸政办函-2021-72/2"}),
    ("泸发〔2021〕24号 OR 林长制", {"泸发-2021-24/导语", "泸发-2021-24/5", "泸发-2021-24/5.16", "泸发-2021-24/5.17",
                                 "泸发-2021-24/5.18", "泸政办函-2021-72/导语", "泸政办函-2021-72/1",
                                 "泸政办函-2021-72/2"}),
    ("县财政局 泸发〔2021〕24号", {"泸发-2021-24/5.17", "泸政办函-2021-72/2"}),
])
def test_a_doc_number_with_words_filters_by_the_words(index, text, expected):
    # The 文号 stands for its document's clauses and the clauses quoting it; the words filter as usual.
    result = index.search(SearchQuery(text=text, size=1000))
    assert {h.clause_id for h in result.hits} == expected and result.total == len(expected)
    assert result.notice is None


def test_a_doc_number_with_a_word_found_nowhere_is_no_citation(index):
    # Not "泸发〔2021〕24号 has no clause 学校2": the usual fallback to some of the words, and it says so.
    result = index.search(SearchQuery(text="泸发〔2021〕24号 学校2"))
    assert "中没有" not in result.notice and "没有同时包含全部词语" in result.notice and "学校2" in result.notice
    assert result.hits[0].clause_id == "泸发-2021-24/5.18"



def test_the_cli_renders_a_snippet_as_written_with_its_marks(index, capsys):
    from index.cli import main

    assert main(["search", "严禁", "--index", str(index.index_dir)]) == 0
    out = capsys.readouterr().out
    assert "【严禁】<script>在城区燃放" in out and "&lt;" not in out

def test_a_question_falls_back_to_its_words(index):
    result = index.search(SearchQuery(text="小区没有业主委员会时水费由谁承担？"))
    assert result.hits[0].clause_id == "泸办发-2023-3/1"
    assert result.notice and "业主委员会" in result.notice
    assert "业主委员会" in result.hits[0].snippet.marked()


def test_a_word_with_a_few_hits_is_not_broadened(index):
    result = index.search(SearchQuery(text="清廉学校"))
    assert result.total == 1 and result.notice is None


def test_snippets_are_text_as_written_with_the_spans_of_the_matches(index):
    [hit] = index.search(SearchQuery(text="严禁<script>")).hits
    assert hit.snippet.marked() == ["严禁<script>"]
    assert hit.snippet.render(lambda part: f"【{part}】").count("【严禁<script>】") == 1
    [hit] = index.search(SearchQuery(text="泸溪县武溪镇")).hits
    assert hit.snippet.marked() == ["泸\n溪县武溪镇"]


def test_hit_and_result_shape(index):
    result = index.search(SearchQuery(text="清廉学校")).to_dict()
    assert set(result) == {"query", "total", "page", "size", "hits", "facets", "notice"}
    hit = result["hits"][0]
    assert hit["doc_number"] == "泸发〔2021〕24号" and hit["label"] == "18." and hit["path"] == ["五、", "18."]
    assert hit["units"] == ["县教体局", "县纪委监委", "县委组织部"] and hit["title"] == "关于推进清廉泸溪建设的意见"
    assert [f["name"] for f in result["facets"]] == ["type", "office", "unit", "year"]
    assert all(set(v) == {"value", "count", "selected"} for f in result["facets"] for v in f["results"])


def test_facet_limit_truncates(index):
    result = index.search(SearchQuery(), facet_limit=2)
    units = next(f for f in result.facets if f.name == "unit")
    assert len(units.results) == 2 and units.truncated


def test_cold_and_cached_searches_agree(index):
    query = SearchQuery(text="清廉 学校", types=("意见",), date_from="2021-01-01")
    cached = index.search(query).to_dict()
    index.clear_caches()
    assert index.search(query).to_dict() == cached
