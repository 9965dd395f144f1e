"""The facet registry (`index.facets`) drives every place a facet appears: schema, records, query, CLI, URLs, page, engines."""

import pytest

from app import urls
from index import open_index
from index.build import build_index
from index.cli import parser
from index.facets import FACET, FACETS
from index.passages import units as search_units
from index.query import QueryError, SearchQuery, parse_search_query
from index.schema import clause_record, make_schema
from index.sphinxql.cluster import ATTRIBUTES
from index.sphinxql.rows import FACET_ATTRS, clause_row, value_id
from tests.test_index_fixtures import hand_documents


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    index_dir = tmp_path_factory.mktemp("facets") / "index"
    build_index(hand_documents(), index_dir, progress=False)
    return open_index(index_dir)


def test_every_facet_is_a_field_a_query_attribute_a_flag_and_a_result():
    schema = make_schema(())
    flags = parser().parse_args(["search", "x", *(a for f in FACETS for a in (f"--{f.name}", "v"))])
    for f in FACETS:
        assert f.name in schema.names()
        assert getattr(SearchQuery(), f.attr) == ()
        assert getattr(flags, f.name) == ["v"]
        assert any(kind.startswith("rt_attr") and name == FACET_ATTRS[f.name] for kind, name in ATTRIBUTES)


def test_records_of_both_engines_hold_each_facets_values():
    for doc in hand_documents():
        for seq, clause in enumerate(search_units(doc)):
            record, row = clause_record(doc, clause), clause_row(doc, clause, seq, [])
            for f in FACETS:
                values = f.values(doc, clause)
                assert record[f.name] == ",".join(dict.fromkeys(values))
                stored = row[FACET_ATTRS[f.name]]
                expected = [int(v) if f.numeric else value_id(f.name, v) for v in values]
                assert sorted(stored if f.several else [stored] if stored else []) == sorted(set(expected))


def test_one_value_of_every_facet_goes_through_the_url_and_back(index):
    everything = index.search(SearchQuery(size=1000))
    chosen = {f.name: f.results[0].value for f in everything.facets}
    assert set(chosen) == set(FACET)
    query = SearchQuery()
    for name, value in chosen.items():
        query = query.with_selected(name, (value,))
    params: dict[str, list[str]] = {}
    for key, value in urls.search_params(query):
        params.setdefault(key, []).append(value)
    assert parse_search_query(params) == query
    result = index.search(query)
    for facet in result.facets:
        assert [v.value for v in facet.results if v.selected] == [chosen[facet.name]]
    # Every hit has the chosen value of every facet.
    for hit in result.hits:
        assert hit.doc_type == chosen["type"] and chosen["office"] in hit.offices
        assert chosen["unit"] in hit.units and hit.date.startswith(chosen["year"])


def test_a_year_is_checked_and_years_come_newest_first(index):
    with pytest.raises(QueryError, match="年份 year 应为四位数字"):
        parse_search_query({"year": ["２０２１"]})
    [years] = [f for f in index.search(SearchQuery(size=1000)).facets if f.name == "year"]
    values = [v.value for v in years.results]
    assert len(values) >= 2 and values == sorted(values, reverse=True)


def test_the_page_titles_each_facet_and_shows_years_as_people_write_them(client):
    page = client.get("/search?q=县&year=2021").get_data(as_text=True)
    for f in FACETS:
        assert f'data-facet="{f.name}"' in page and f"<h3>{f.label}</h3>" in page
    assert "2021年" in page
