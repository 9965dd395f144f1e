"""Every URL the site links to is built here, so links, canonical forms and JSON twins never drift apart.

>>> doc_url("泸发-2021-24")
'/d/%E6%B3%B8%E5%8F%91-2021-24'
>>> clause_url("泸发-2021-24/5.18", "json")
'/d/%E6%B3%B8%E5%8F%91-2021-24/5.18.json'
>>> search_url(SearchQuery(text="清廉", types=("意见",), page=2))
'/search?q=%E6%B8%85%E5%BB%89&type=%E6%84%8F%E8%A7%81&page=2'
>>> toggle_url(SearchQuery(types=("意见", "通知")), "type", "意见")
'/search?type=%E9%80%9A%E7%9F%A5'
>>> toggle_url(SearchQuery(years=("2021",)), "year", "2023")
'/search?year=2021&year=2023'
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

from index.facets import FACETS
from index.query import DEFAULT_PAGE_SIZE, SearchQuery

FORMATS = ("json", "csv", "atom")


def _path(path: str, fmt: str | None) -> str:
    if fmt and fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    return quote(path + (f".{fmt}" if fmt else ""), safe="/-._~")


def split_format(ref: str, formats: tuple[str, ...] = FORMATS) -> tuple[str, str | None]:
    """A path tail and the twin format its suffix asks for.

    >>> split_format("泸发-2021-24/5.18.json"), split_format("泸发-2021-24/5.18")
    (('泸发-2021-24/5.18', 'json'), ('泸发-2021-24/5.18', None))
    """
    for fmt in formats:
        if ref.endswith(f".{fmt}"):
            return ref.removesuffix(f".{fmt}"), fmt
    return ref, None


def doc_url(doc_id: str, fmt: str | None = None) -> str:
    """The document page (or its `.json` twin)."""
    return _path(f"/d/{doc_id}", fmt)


def clause_url(clause_id: str, fmt: str | None = None) -> str:
    """A clause's permalink: the document URL plus the outline slug (`/d/泸发-2021-24/5.18`)."""
    return _path(f"/d/{clause_id}", fmt)


def unit_url(name: str, fmt: str | None = None) -> str:
    """A responsible unit's page, or its 台账 as `.csv` / `.json`."""
    return _path(f"/unit/{name}", fmt)


def units_url(query: SearchQuery | None = None, fmt: str | None = None) -> str:
    """The list of every responsible unit, of the whole index or of one search (page and size left out).

    >>> units_url(), units_url(SearchQuery(text="清廉", page=3), "json")
    ('/units', '/units.json?q=%E6%B8%85%E5%BB%89')
    """
    params = search_params((query or SearchQuery()).with_(page=1, size=DEFAULT_PAGE_SIZE))
    return _path("/units", fmt) + (f"?{urlencode(params)}" if params else "")


def search_params(query: SearchQuery) -> list[tuple[str, str]]:
    """The query as request parameters, defaults left out, in a stable order."""
    params = [("q", query.text)] if query.text else []
    for f in FACETS:
        params.extend((f.name, value) for value in query.selected(f.name))
    for key, value in (("from", query.date_from), ("to", query.date_to)):
        if value:
            params.append((key, value))
    if query.sort != "relevance":
        params.append(("sort", query.sort))
    if query.page != 1:
        params.append(("page", str(query.page)))
    if query.size != DEFAULT_PAGE_SIZE:
        params.append(("size", str(query.size)))
    return params


def search_url(query: SearchQuery, fmt: str | None = None) -> str:
    """The search page (or a twin) showing exactly `query`."""
    params = search_params(query)
    return _path("/search", fmt) + (f"?{urlencode(params)}" if params else "")


def filter_url(facet: str, value: str) -> str:
    """The search page listing everything with one facet value: an office's, a 文种's or a year's documents.

    >>> filter_url("office", "泸溪县人民政府")
    '/search?office=%E6%B3%B8%E6%BA%AA%E5%8E%BF%E4%BA%BA%E6%B0%91%E6%94%BF%E5%BA%9C'
    """
    return toggle_url(SearchQuery(), facet, value)


def toggle_url(query: SearchQuery, facet: str, value: str, fmt: str | None = None) -> str:
    """The search URL (or its `fmt` twin) with one facet value switched on or off (back to page 1).

    >>> toggle_url(SearchQuery(text="清廉"), "type", "意见", "json")
    '/search.json?q=%E6%B8%85%E5%BB%89&type=%E6%84%8F%E8%A7%81'
    >>> toggle_url(SearchQuery(years=("2021", "2023")), "year", "2021")
    '/search?year=2023'
    """
    current = query.selected(facet)
    values = tuple(v for v in current if v != value) if value in current else (*current, value)
    return search_url(query.with_selected(facet, values).with_(page=1), fmt)


def page_urls(query: SearchQuery, last: int, fmt: str | None = None) -> tuple[str | None, str | None]:
    """The previous and the next page of a search with `last` pages (None at either end), or their twins.

    A page past the end links back to the last page.

    >>> page_urls(SearchQuery(text="清廉", page=2), 3, "json")
    ('/search.json?q=%E6%B8%85%E5%BB%89', '/search.json?q=%E6%B8%85%E5%BB%89&page=3')
    >>> page_urls(SearchQuery(), 1)
    (None, None)
    """
    prev_page = min(query.page - 1, last)
    return (search_url(query.with_(page=prev_page), fmt) if prev_page >= 1 and query.page > 1 else None,
            search_url(query.with_(page=query.page + 1), fmt) if query.page < last else None)
