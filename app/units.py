"""A responsible unit's page: every clause it leads or shares, grouped by document (its 台账).

`/unit/县教体局` shows it, `.json` and `.csv` are its twins; an alias (`/unit/县教育和体育局`)
redirects to the canonical name.
"""

from __future__ import annotations

from dataclasses import asdict

from flask import Blueprint, abort, jsonify, redirect, render_template

from app import labels, ledger, urls
from app.documents import doc_summary
from app.web import get_index
from corpus.units import canonical_unit
from index.query import SearchQuery

bp = Blueprint("units", __name__)


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
        abort(404, labels.NOT_FOUND_UNIT.format(name=name))
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
