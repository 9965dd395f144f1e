"""Malformed requests get a 4xx, never a 500 (Host headers Flask cannot build URLs for, on every route); /favicon.ico; 来源."""

import pytest

from app import labels

ROUTES = ["/", "/search?q=清廉", "/search.json?q=清廉", "/search.csv?q=清廉", "/search.atom?q=清廉", "/opensearch.xml",
          "/d/泸发-2021-24", "/d/no-such-doc", "/units", "/unit/县财政局", "/no-such-page"]


@pytest.mark.parametrize("host", ["..", ".", "a b", "[::1", "évil.example", "a" * 64 + ".cn", "a..b", "x/y", "x:99999", "[::1]:70000"])
def test_a_malformed_host_gets_a_400_on_every_route(app, host):
    client = app.test_client(use_cookies=False)  # the test client's cookie jar parses the Host itself
    for route in ROUTES:
        response = client.get(route, headers={"Host": host})
        assert response.status_code == 400, (host, route)
        assert response.get_data(as_text=True) == labels.BAD_HOST


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1:5000", "[::1]:5000", "gongwen.example.gov.cn", "xn--fiq228c.cn"])
def test_a_well_formed_host_is_served(client, host):
    assert client.get("/search?q=清廉", headers={"Host": host}).status_code == 200


def test_favicon_ico_is_the_site_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    assert response.data == client.get("/static/favicon.svg").data


def test_a_gazette_documents_source_is_the_gazette_issue_not_a_file_name(client, sample_documents):
    from bs4 import BeautifulSoup

    from app import urls

    doc = next(d for d in sample_documents if d.gazette and not d.source_url)
    page = BeautifulSoup(client.get(urls.doc_url(doc.id)).data, "html.parser")
    rows = {tr.th.get_text(): tr.td.get_text() for tr in page.select(".meta-table tr")}
    assert rows["来源"] == doc.gazette and "公报期次" not in rows
    assert doc.source not in page.get_text()
