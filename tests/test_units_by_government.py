"""Units of two governments: each city's `市财政局` is a unit of its own in the facet, on /units and on its page."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from app import create_app, urls
from corpus import lexicon as lx

FIXTURES = Path(__file__).parent / "fixtures" / "governments"
LISHUI, JINHUA = "市财政局（丽水市）", "市财政局（金华市）"


@pytest.fixture(scope="module")
def two_governments(tmp_path_factory):
    """An index of two short notices, of 丽水市 and of 金华市, each giving a task to its 市财政局."""
    from corpus.ingest import load_paths
    from index.build import build_index

    report = load_paths([FIXTURES])
    assert not report.skipped and len(report.documents) == 2
    index_dir = tmp_path_factory.mktemp("governments") / "index"
    build_index(report.documents, index_dir, progress=False)
    return create_app({"TESTING": True, "INDEX_DIR": str(index_dir)}).test_client()


def unit_facet(client, query: str = "") -> dict[str, int]:
    data = client.get(f"/search.json?{query}").get_json()
    return {v["value"]: v["count"] for f in data["facets"] if f["name"] == "unit" for v in f["results"]}


def test_each_government_has_its_own_unit_in_the_facet_and_on_units(two_governments):
    facet = unit_facet(two_governments)
    assert facet[LISHUI] == 1 and facet[JINHUA] == 1
    assert "市财政局" not in facet
    assert "丽水市审计局" in facet, "a full name names its government already"
    listed = {u["name"]: u["count"] for u in two_governments.get("/units.json").get_json()["units"]}
    assert listed == facet
    names = [a.get_text() for a in BeautifulSoup(two_governments.get("/units").data, "html.parser").select(".unit-name")]
    assert LISHUI in names and JINHUA in names


def test_generic_words_are_never_units(two_governments):
    listed = {u["name"] for u in two_governments.get("/units.json").get_json()["units"]}
    assert listed and not listed & lx.GENERIC_UNITS
    assert not listed & {"各成员单位", "相关乡镇", "有关部门", "各相关单位", "以下简称交易部门", "交易部门"}
    assert "市公共资源交易中心（金华市）" in listed


@pytest.mark.parametrize(("unit", "place"), [(LISHUI, "丽水"), (JINHUA, "金华")])
def test_each_unit_page_holds_its_own_government_only(two_governments, unit, place):
    data = two_governments.get(urls.unit_url(unit, "json")).get_json()
    assert data["unit"] == unit and data["total"] == 1
    assert [d["offices"] for d in data["documents"]] == [[f"{place}市人民政府办公室"]]
    assert data["documents"][0]["clauses"][0]["role"] == "牵头"
    assert two_governments.get(urls.unit_url(unit)).status_code == 200
    rows = list(csv.reader(io.StringIO(two_governments.get(urls.unit_url(unit, "csv")).get_data(as_text=True)[1:])))
    assert len(rows) == 2 and "牵头" in rows[1]
    filtered = two_governments.get(f"/search.json?unit={unit}").get_json()
    assert filtered["total"] == 1 and filtered["hits"][0]["doc_number"].startswith(place[0])


def test_a_name_several_governments_share_lists_each(two_governments):
    response = two_governments.get(urls.unit_url("市财政局"))
    assert response.status_code == 200
    links = {a["href"] for a in BeautifulSoup(response.data, "html.parser").select(".unit-list .unit-name")}
    assert links == {urls.unit_url(LISHUI), urls.unit_url(JINHUA)}
    data = two_governments.get(urls.unit_url("市财政局", "json")).get_json()
    assert {u["name"] for u in data["units"]} == {LISHUI, JINHUA}
    assert two_governments.get(urls.unit_url("市财政局", "csv")).status_code == 404
    assert two_governments.get("/search.json?unit=市财政局").get_json()["total"] == 2, "a plain name filters every government's"
    assert two_governments.get(urls.unit_url("市水利局")).status_code == 404


def test_one_government_keeps_plain_names(client):
    facet = unit_facet(client)
    assert facet and not [name for name in facet if name.endswith("（泸溪县）")]
    assert client.get(urls.unit_url("县财政局", "json")).get_json()["total"] > 0
