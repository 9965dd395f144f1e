"""The search page and its twins: `/search` (HTML), `.json`, `.csv` (台账) and `.atom` (subscription).

`search_data` turns a result into the JSON object every twin shares (the search service's object
plus each hit's `url` and each facet value's `toggle_url`); `page_context` adds what only the
HTML page needs (groups, chips, pagination).
"""

from __future__ import annotations

import math
from datetime import UTC, datetime

from flask import Blueprint, abort, jsonify, render_template, request

from app import labels, ledger, urls
from app.documents import doc_summary
from app.web import cn_date, get_index
from index.facets import FACET, FACETS
from index.query import MAX_PAGE_SIZE, SORTS, SearchQuery, parse_search_query

bp = Blueprint("search", __name__)

FACET_VISIBLE = 8
FEED_SIZE = 50
PAGE_WINDOW = 2
HOME_UNITS = 10
RECENT_DOCUMENTS = 6


def search_data(query: SearchQuery, result, fmt: str | None = None) -> dict:
    """The search service's result as a dict, with permalinks and facet toggle links added.

    Toggle links lead to the `fmt` twin (`/search.json?…` for the JSON), so a script can follow them.
    """
    data = result.to_dict()
    for hit in data["hits"]:
        hit["url"] = urls.clause_url(hit["clause_id"])
    for facet in data["facets"]:
        for value in facet["results"]:
            value["toggle_url"] = urls.toggle_url(query, facet["name"], value["value"], fmt)
    return data


def last_page(query: SearchQuery, total: int) -> int:
    return max(1, math.ceil(total / query.size))


def group_hits(hits: list[dict]) -> list[dict]:
    """Hits of one document gathered under it, documents in order of their best hit.

    >>> [(g["doc"]["doc_id"], len(g["hits"])) for g in group_hits([{"doc_id": "a"}, {"doc_id": "b"}, {"doc_id": "a"}])]
    [('a', 2), ('b', 1)]
    """
    groups: dict[str, list[dict]] = {}
    for hit in hits:
        groups.setdefault(hit["doc_id"], []).append(hit)
    return [{"doc": hits[0], "hits": hits} for hits in groups.values()]


def date_range_text(start: str | None, end: str | None) -> str:
    """A date filter as people say it.

    >>> date_range_text("2021-03-01", None)
    '2021年3月1日 至 …'
    """
    return labels.DATE_RANGE.format(start=cn_date(start) or "…", end=cn_date(end) or "…")


def filter_chips(query: SearchQuery) -> list[dict]:
    """One removable chip per selected facet value, and one for the from/to range."""
    chips = [
        {"label": f.label, "value": f.text(value), "remove_url": urls.toggle_url(query, f.name, value)}
        for f in FACETS
        for value in query.selected(f.name)
    ]
    if query.date_from or query.date_to:
        chips.append({
            "label": labels.DATE_RANGE_TITLE,
            "value": date_range_text(query.date_from, query.date_to),
            "remove_url": urls.search_url(query.with_(date_from=None, date_to=None, page=1)),
        })
    return chips


def pagination(query: SearchQuery, total: int) -> dict:
    """Previous/next links and a window of page numbers around the current page (None marks a gap).

    >>> [p["number"] for p in pagination(SearchQuery(page=6), 400)["pages"]]
    [1, None, 4, 5, 6, 7, 8, None, 20]
    """
    last = last_page(query, total)
    prev_url, next_url = urls.page_urls(query, last)
    numbers = sorted({1, last, *range(max(1, query.page - PAGE_WINDOW), min(last, query.page + PAGE_WINDOW) + 1)})
    pages, previous = [], 0
    for number in numbers:
        if number - previous > 1:
            pages.append({"number": None})
        pages.append({"number": number, "url": urls.search_url(query.with_(page=number)), "current": number == query.page})
        previous = number
    return {
        "last": last,
        "pages": pages if last > 1 else [],
        "prev_url": prev_url,
        "next_url": next_url,
        "last_url": urls.search_url(query.with_(page=last)),
        "first": (query.page - 1) * query.size + 1,
        "beyond": total > 0 and query.page > last,
    }


def facet_panels(data: dict) -> list[dict]:
    """Facets in display order with titles and shown values (in the search service's order); numbers
    (years) with histogram widths."""
    panels = []
    for facet in data["facets"]:
        declared = FACET[facet["name"]]
        values = [{**v, "text": declared.text(v["value"])} for v in facet["results"]]
        panels.append({
            **facet,
            "title": declared.label,
            "histogram": declared.numeric,
            "top": values[:FACET_VISIBLE],
            "more": values[FACET_VISIBLE:],
            "largest": max((v["count"] for v in values), default=0),
        })
    return panels


def is_home(query: SearchQuery) -> bool:
    """No text and no filter: the first page people see, which introduces the site."""
    return query == SearchQuery()


def page_context(query: SearchQuery, data: dict) -> dict:
    """Everything the search template shows, derived from the JSON data."""
    params = urls.search_params(query.with_(page=1))
    return {
        "query": query,
        "data": data,
        "title": search_title(query),
        "is_home": is_home(query),
        "groups": group_hits(data["hits"]),
        "chips": filter_chips(query),
        "clear_url": urls.search_url(SearchQuery(text=query.text)),
        "pagination": pagination(query, data["total"]),
        "facets": facet_panels(data),
        "search_hidden": [(k, v) for k, v in params if k != "q"],
        "date_form_params": [(k, v) for k, v in params if k not in ("from", "to")],
        "sorts": [
            {"label": labels.SORT_LABELS[s], "url": urls.search_url(query.with_(sort=s, page=1)), "active": s == query.sort}
            for s in SORTS
        ],
        "home_units": [v["value"] for f in data["facets"] if f["name"] == "unit" for v in f["results"][:HOME_UNITS]],
        "twins": {fmt: urls.search_url(query.with_(page=1), fmt) for fmt in ("json", "csv", "atom")},
    }


@bp.route("/")
@bp.route("/search")
def search_page():
    query = parse_search_query(request.args)
    index = get_index()
    data = search_data(query, index.search(query))
    recent = [doc_summary(doc) for doc in index.documents(limit=RECENT_DOCUMENTS)] if is_home(query) else []
    return render_template("search.html", **page_context(query, data), recent=recent)


def search_title(query: SearchQuery) -> str:
    return labels.SEARCH_TITLE.format(q=query.text) if query.text else labels.BROWSE_TITLE


def ledger_csv(query: SearchQuery):
    """The whole result list as a 台账 CSV, cut (and saying so) after MAX_PAGE_SIZE clauses."""
    index = get_index()
    result = index.search(query.with_(page=1, size=MAX_PAGE_SIZE))
    pairs = [found for hit in result.hits if (found := index.clause(hit.clause_id))]
    unit = query.units[0] if len(query.units) == 1 else None
    return ledger.csv_response(pairs, labels.CSV_NAME, unit=unit, total=result.total)


def atom_feed(query: SearchQuery):
    """The newest FEED_SIZE clauses of the search, so people can subscribe to a unit, an office or a word."""
    feed_query = query.with_(sort="date", page=1, size=FEED_SIZE)
    data = search_data(feed_query, get_index().search(feed_query))
    dates = [hit["date"] for hit in data["hits"] if hit["date"]]
    updated = max(dates) + "T00:00:00Z" if dates else datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    body = render_template("feed.xml", data=data, title=search_title(query), updated=updated,
                           self_url=urls.search_url(feed_query, "atom"), page_url=urls.search_url(query.with_(page=1)))
    return body, 200, {"Content-Type": "application/atom+xml; charset=utf-8"}


@bp.route("/search.<fmt>")
def search_twin(fmt: str):
    query = parse_search_query(request.args)
    if fmt == "json":
        data = search_data(query, get_index().search(query), fmt)
        data["prev_url"], data["next_url"] = urls.page_urls(query, last_page(query, data["total"]), fmt)
        return jsonify(data)
    if fmt == "csv":
        return ledger_csv(query)
    if fmt == "atom":
        return atom_feed(query)
    abort(404)


@bp.route("/opensearch.xml")
def opensearch():
    body = render_template("opensearch.xml")
    return body, 200, {"Content-Type": "application/opensearchdescription+xml; charset=utf-8"}
