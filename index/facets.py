"""The facets, each declared once: 文种, 发文机关, 责任单位, 年份.

A facet's `name` is its URL parameter (`?type=意见`), its name in the JSON (`facets[].name`), its
field in the Whoosh index and the stem of its SphinxQL attribute; `attr` is its `SearchQuery`
attribute. The schema and the records, `SearchQuery` and `parse_search_query`, the CLI flags, the
URLs, the page's titles and both engines loop over `FACETS` instead of naming the four again.

>>> [f.name for f in FACETS], FACET["year"].label, FACET["type"].attr
(['type', 'office', 'unit', 'year'], '年份', 'types')
>>> from corpus.model import Clause, Document, Unit
>>> doc = Document(id="d", title="", doc_number=None, offices=["县委", "县政府"], doc_type="意见",
...                date=None, publish_date="2021-11-12", text="", source="")
>>> clause = Clause(id="d/1", label="1.", path=["1."], text="", units=[Unit("县财政局", "lead", "县财政局")])
>>> {f.name: f.values(doc, clause) for f in FACETS}
{'type': ['意见'], 'office': ['县委', '县政府'], 'unit': ['县财政局'], 'year': ['2021']}
>>> FACET["year"].text("2021"), FACET["office"].text("县委")
('2021年', '县委')
>>> FACET["year"].check("21")
Traceback (most recent call last):
...
ValueError: 年份 year 应为四位数字，如 2021，收到：21
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from corpus.model import Clause, Document


def doc_year(doc: Document) -> str | None:
    """The year a document is filed under: of its 成文日期, else of its 发布日期."""
    date = doc.date or doc.publish_date
    return date[:4] if date else None


@dataclass(frozen=True)
class FacetField:
    """One facet: where its values come from and how they are shown, sorted and checked."""

    name: str
    attr: str
    label: str
    values: Callable[[Document, Clause], list[str]]
    # One value per clause (type, year) or several (office, unit): the SphinxQL attribute's kind.
    several: bool = False
    # Values that are numbers with an order of their own (years): listed newest first with a
    # histogram, stored as the number itself by SphinxQL, checked against `pattern`.
    numeric: bool = False
    # A unit's name is relative to its government (`index.unit_facet`): values may be scoped by it.
    scoped: bool = False
    display: str = "{value}"
    pattern: str | None = None
    invalid: str = ""

    def text(self, value: str) -> str:
        """A value as the page shows it (2021年)."""
        return self.display.format(value=value)

    def check(self, value: str) -> str:
        """`value` if it can be a value of this facet, else ValueError with a message for the user."""
        if self.pattern and not (value.isascii() and re.fullmatch(self.pattern, value)):
            raise ValueError(self.invalid.format(label=self.label, name=self.name, value=value[:40]))
        return value


def _year(doc: Document, clause: Clause) -> list[str]:
    year = doc_year(doc)
    return [year] if year else []


FACETS: tuple[FacetField, ...] = (
    FacetField("type", "types", "文种", lambda doc, clause: [doc.doc_type] if doc.doc_type else []),
    FacetField("office", "offices", "发文机关", lambda doc, clause: list(doc.offices), several=True),
    FacetField("unit", "units", "责任单位", lambda doc, clause: clause.unit_names, several=True, scoped=True),
    FacetField("year", "years", "年份", _year, numeric=True, display="{value}年", pattern=r"\d{4}",
               invalid="{label} {name} 应为四位数字，如 2021，收到：{value}"),
)
FACET: dict[str, FacetField] = {f.name: f for f in FACETS}
