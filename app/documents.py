"""Document pages and clause permalinks, with their `.json` twins.

`/d/<doc id>` is a document, `/d/<doc id>/<outline slug>` one of its clauses (the same page,
scrolled to the clause and highlighted). A 文号 typed in any bracket form
(`/d/泸发〔2021〕24号`, `/d/泸发[2021]24号`) redirects to the canonical document URL, and a
reference to a clause (`/d/泸发〔2021〕24号第五部分第18项`, a copied citation) to the clause's.
"""

from __future__ import annotations

from dataclasses import asdict

from flask import Blueprint, abort, jsonify, redirect, render_template

from app import labels, urls
from app.citation import cite
from app.outline import anchor, outline_blocks
from app.web import get_index
from corpus.model import Clause, Document
from index.passages import passages

bp = Blueprint("documents", __name__)

DESCRIPTION_CHARS = 160


def doc_summary(doc: Document) -> dict:
    """What a link to a document shows: 文号, title, 文种, offices, date, and its URL."""
    return {"id": doc.id, "doc_number": doc.doc_number, "title": doc.title, "doc_type": doc.doc_type,
            "offices": doc.offices, "date": doc.date, "url": urls.doc_url(doc.id)}


def document_data(index, doc: Document) -> dict:
    """The document JSON: the model's fields, clause and passage permalinks, resolved citations and cited-by."""
    data = doc.to_dict()
    data["url"] = urls.doc_url(doc.id)
    for clause in data["clauses"]:
        clause["url"] = urls.clause_url(clause["id"])
    data["passages"] = [{"id": p.id, "label": p.label, "url": urls.clause_url(p.id)} for p in passages(doc)]
    for cited in data["cites"]:
        target = index.resolve_doc_number(cited["doc_number"]) if cited["doc_number"] else None
        cited["url"] = urls.doc_url(target) if target else None
    data["cited_by"] = [doc_summary(d) for d in index.cited_by(doc.id)]
    return data


def clause_data(doc: Document, clause: Clause) -> dict:
    """The clause JSON: the clause, its permalink and citation, and a summary of its document."""
    return {**asdict(clause), "url": urls.clause_url(clause.id), "citation": cite(doc, clause),
            "document": doc_summary(doc)}


def breadcrumb(doc: Document, clause: Clause) -> list[dict]:
    """文号 › 二、 › （一） › 3.: the document, then each ancestor clause, then the clause itself."""
    by_path = {tuple(c.path): c for c in doc.clauses}
    crumbs = [{"label": doc.doc_number or doc.title, "url": urls.doc_url(doc.id)}]
    for depth in range(1, len(clause.path) + 1):
        ancestor = by_path.get(tuple(clause.path[:depth]))
        crumbs.append({"label": clause.path[depth - 1], "url": urls.clause_url(ancestor.id) if ancestor else None})
    return crumbs


def units_by_role(clause: Clause) -> list[tuple[str, list[str]]]:
    """The clause's units grouped by role, roles in the order 牵头, 主要责任, 配合, 责任."""
    return [
        (title, names)
        for role, title in labels.ROLE_LABELS.items()
        if (names := list(dict.fromkeys(u.name for u in clause.units if u.role == role)))
    ]


def render_document(index, doc: Document, clause: Clause | None, fmt: str | None):
    """The document page, scrolled to and highlighting `clause` when given; or the JSON twin."""
    if fmt == "json":
        return jsonify(clause_data(doc, clause) if clause else document_data(index, doc))
    if clause:
        title = f"{doc.title} {''.join(clause.path)}"
        description, canonical = clause.text, urls.clause_url(clause.id)
    else:
        title, description, canonical = doc.title, doc.text, urls.doc_url(doc.id)
    return render_template(
        "document.html",
        doc=document_data(index, doc),
        blocks=outline_blocks(doc),
        focus=clause,
        focus_anchor=anchor(clause.id) if clause else None,
        breadcrumb=breadcrumb(doc, clause) if clause else None,
        citation=cite(doc, clause),
        page_title=title,
        description=" ".join(description.split())[:DESCRIPTION_CHARS],
        canonical=canonical,
        anchor=anchor,
        units_by_role=units_by_role,
    )


def _redirect_target(index, ref: str) -> str | None:
    """The canonical URL for a 文号 (optionally followed by `/<slug>`) or a reference, if it names a document."""
    doc_id = index.resolve_doc_number(ref)
    if doc_id:
        return urls.doc_url(doc_id)
    head, _, slug = ref.rpartition("/")
    doc_id = index.resolve_doc_number(head) if head else None
    if doc_id and index.clause(f"{doc_id}/{slug}"):
        return urls.clause_url(f"{doc_id}/{slug}")
    found = index.reference(ref)
    if found is None or found.doc is None:
        return None
    return urls.clause_url(found.clause.id) if found.clause else urls.doc_url(found.doc.id)


@bp.route("/d/<path:ref>")
def document_or_clause(ref: str):
    ref, fmt = urls.split_format(ref, ("json",))
    index = get_index()
    doc = index.document(ref)
    if doc:
        return render_document(index, doc, None, fmt)
    found = index.clause(ref)
    if found:
        return render_document(index, *found, fmt)
    target = _redirect_target(index, ref)
    if target:
        return redirect(target + (".json" if fmt else ""), 301)
    abort(404, labels.NOT_FOUND_DOCUMENT)
