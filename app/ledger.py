"""A 台账 as CSV: one row per clause with its document, responsible units and deadlines.

Written as UTF-8 with a BOM so that Excel, which most county offices open it with, reads the Chinese.
A cell that Excel would take for a formula (it starts with = + - @, a tab or a carriage return) is
written with a leading apostrophe, so a document's text can never run in someone's spreadsheet.

>>> from corpus.model import Clause, Deadline, Document, Unit
>>> doc = Document(id="d", title="标题", doc_number="泸发〔2021〕24号", offices=["中共泸溪县委"], doc_type="意见",
...                date="2021-11-12", text="", source="")
>>> clause = Clause(id="d/1", label="1.", path=["1."], text="内容", units=[Unit("县教体局", "lead", "县教体局")],
...                 deadlines=[Deadline("2023年6月底前", "date", "2023-06-30")])
>>> row = ledger_row(doc, clause, "县教体局", "http://x")
>>> row[7:11]
['县教体局', '牵头', '2023年6月底前', '2023-06-30']
"""

from __future__ import annotations

import csv
import io
from urllib.parse import quote

from flask import Response

from app import labels, urls
from app.web import absolute
from corpus.model import Clause, Document
from index.unit_facet import names_unit


def unit_roles(clause: Clause, unit: str) -> str:
    """How `unit` takes part in the clause (牵头 / 主要责任 / 配合 / 责任)."""
    roles = dict.fromkeys(labels.ROLE_LABELS.get(u.role, u.role) for u in clause.units if names_unit(u, unit))
    return "、".join(roles)


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
TRUNCATED_HEADER = "X-Gongwen-Truncated"


def text_cell(value: str) -> str:
    """The cell as text Excel shows, not a formula it runs.

    >>> text_cell("=1+1"), text_cell("-1"), text_cell("@SUM(A1)"), text_cell("县教体局")
    ("'=1+1", "'-1", "'@SUM(A1)", '县教体局')
    """
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def ledger_row(doc: Document, clause: Clause, unit: str | None, link: str) -> list[str]:
    return [
        doc.doc_number or "",
        doc.title,
        doc.doc_type or "",
        "、".join(doc.offices),
        doc.date or "",
        " ".join(clause.path),
        clause.heading or "",
        "、".join(clause.unit_names),
        unit_roles(clause, unit) if unit else "",
        "；".join(d.text for d in clause.deadlines),
        "；".join(d.date for d in clause.deadlines if d.date),
        clause.text,
        link,
    ]


def csv_response(pairs: list[tuple[Document, Clause]], name: str, unit: str | None = None,
                 total: int | None = None) -> Response:
    """The rows of (document, clause) pairs as a downloadable CSV named `name`.csv.

    When the pairs are the first of `total` clauses, the header `X-Gongwen-Truncated: 1000 of 1234`
    and a last row, which people read in Excel, say that the list was cut.
    """
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(labels.CSV_COLUMNS)
    for doc, clause in pairs:
        writer.writerow([text_cell(cell) for cell in ledger_row(doc, clause, unit, absolute(urls.clause_url(clause.id)))])
    headers = {"Content-Disposition": f"attachment; filename=\"ledger.csv\"; filename*=UTF-8''{quote(name)}.csv"}
    if total is not None and total > len(pairs):
        writer.writerow([labels.CSV_TRUNCATED.format(shown=len(pairs), total=total)])
        headers[TRUNCATED_HEADER] = f"{len(pairs)} of {total}"
    return Response(out.getvalue(), mimetype="text/csv", headers=headers)
