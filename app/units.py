"""Responsible units: every unit with its clause count, and each unit's page (its 台账).

`/units` lists every unit (`/units?q=建设` those of a search, as the 责任单位 facet would list
them untruncated), `/units.json` is its twin. `/unit/县教体局` shows every clause a unit leads or
shares, grouped by document; `.json` and `.csv` are its twins; an alias (`/unit/县教育和体育局`)
redirects to the canonical name. When the index holds several governments, a name relative to
its government carries it (`/unit/市财政局（丽水市）`, `index.unit_facet`), and `/unit/市财政局`
lists each government's 市财政局.
"""

from __future__ import annotations

import sys
from dataclasses import asdict

from flask import Blueprint, abort, jsonify, redirect, render_template, request

from app import labels, ledger, urls
from app.documents import doc_summary
from app.web import get_index
from corpus.units import canonical_unit
from index.query import SearchQuery, parse_search_query

bp = Blueprint("units", __name__)

EVERY_VALUE = sys.maxsize


def unit_list_data(query: SearchQuery, result) -> dict:
    """Every unit of the search's 责任单位 facet (not cut at the facet limit), busiest first."""
    facet = next(f for f in result.facets if f.name == "unit")
    return {
        "search_url": urls.search_url(query.with_(page=1)),
        "total": len(facet.results),
        "units": [_unit_entry(query, v.value, v.count, v.selected) for v in facet.results],
    }


def _unit_entry(query: SearchQuery, name: str, count: int, selected: bool = False) -> dict:
    return {"name": name, "count": count, "selected": selected, "url": urls.unit_url(name),
            "toggle_url": urls.toggle_url(query, "unit", name)}


@bp.route("/units", defaults={"fmt": None})
@bp.route("/units.json", defaults={"fmt": "json"})
def unit_list(fmt: str | None):
    query = parse_search_query(request.args).with_(page=1, size=1)
    data = unit_list_data(query, get_index().search(query, facet_limit=EVERY_VALUE))
    if fmt == "json":
        return jsonify(data)
    scoped = urls.units_url(query) != urls.units_url()
    return render_template("units.html", data=data, scoped=scoped, query=query,
                           title=labels.UNITS_OF_SEARCH_TITLE if scoped else labels.UNITS_TITLE,
                           json_url=urls.units_url(query, "json"))


def _units_named(name: str, fmt: str | None):
    """The units several governments call `name` (`市财政局` of 丽水市 and of 金华市), each linked; else 404."""
    named = get_index().units_named(name)
    if not named or fmt == "csv":
        abort(404, labels.NOT_FOUND_UNIT.format(name=name))
    query = SearchQuery()
    data = {"search_url": urls.search_url(query), "total": len(named),
            "units": [_unit_entry(query, key, count) for key, count in sorted(named.items(), key=lambda kv: -kv[1])]}
    if fmt == "json":
        return jsonify(data)
    return render_template("units.html", data=data, scoped=False, named=name, query=query,
                           title=labels.UNITS_NAMED_TITLE.format(name=name), json_url=urls.unit_url(name, "json"))


def unit_data(name: str, groups) -> dict:
    """The unit's clauses grouped by document, each clause with its role and permalink."""
    return {
        "unit": name,
        "url": urls.unit_url(name),
        "total": sum(len(clauses) for _, clauses in groups),
        "documents": [
            {**doc_summary(doc), "clauses": [
                {**asdict(clause), "url": urls.clause_url(clause.id), "role": ledger.unit_roles(clause, name)}
                for clause in clauses
            ]}
            for doc, clauses in groups
        ],
    }


@bp.route("/unit/<path:ref>")
def unit_page(ref: str):
    name, fmt = urls.split_format(ref, ("json", "csv"))
    canonical = canonical_unit(name)
    if canonical != name and canonical_unit(canonical) == canonical:
        return redirect(urls.unit_url(canonical, fmt), 301)
    groups = get_index().unit_clauses(name)
    if not groups:
        return _units_named(name, fmt)
    if fmt == "csv":
        pairs = [(doc, clause) for doc, clauses in groups for clause in clauses]
        return ledger.csv_response(pairs, labels.UNIT_TITLE.format(name=name), unit=name)
    data = unit_data(name, groups)
    if fmt == "json":
        return jsonify(data)
    filtered = SearchQuery(units=(name,))
    return render_template(
        "unit.html", data=data, title=labels.UNIT_TITLE.format(name=name),
        search_url=urls.search_url(filtered), feed_url=urls.search_url(filtered.with_(sort="date"), "atom"),
    )
