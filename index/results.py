"""The search result: what `search()` returns and what `--json` and `/search.json` print.

Shape (the contract):

    {"query": str, "total": int, "page": int, "size": int,
     "hits": [{"clause_id", "doc_id", "doc_number", "title", "doc_type", "offices", "date",
               "label", "path", "heading", "snippet": {"text", "marks": [[start, end]]}, "units", "score"}],
     "facets": [{"name": "type"|"office"|"unit"|"year" (`index.facets`),
                 "results": [{"value", "count", "selected"}], "truncated": bool}],
     "notice": str | None}

`snippet` is data, `{"text", "marks"}` (`index.snippets.Snippet`): an excerpt of the clause text as
written and the [start, end) of each match in it; the site renders it as HTML, the CLI with 【】.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from index.facets import FACET
from index.snippets import Snippet


@dataclass
class Hit:
    clause_id: str
    doc_id: str
    doc_number: str | None
    title: str
    doc_type: str | None
    offices: list[str]
    date: str | None
    label: str
    path: list[str]
    heading: str | None
    snippet: Snippet
    units: list[str]
    score: float


@dataclass
class FacetValue:
    value: str
    count: int
    selected: bool = False


@dataclass
class Facet:
    name: str
    results: list[FacetValue] = field(default_factory=list)
    truncated: bool = False


@dataclass
class SearchResult:
    query: str
    total: int
    page: int
    size: int
    hits: list[Hit] = field(default_factory=list)
    facets: list[Facet] = field(default_factory=list)
    notice: str | None = None

    def to_dict(self) -> dict:
        return asdict(self)


def facet_from_counts(name: str, counts: dict[str, int], selected: set[str], limit: int) -> Facet:
    """The facet as every engine shows it: values with matches or selected, the selected first, then by count.

    A facet of numbers (years) lists them newest first. A selected value no clause has is kept with count 0, so it can be unselected.

    >>> [(v.value, v.count) for v in facet_from_counts("unit", {"甲": 1, "乙": 3, "丙": 0}, {"丁"}, 5).results]
    [('丁', 0), ('乙', 3), ('甲', 1)]
    """
    counted = [FacetValue(value, count, value in selected) for value, count in counts.items()]
    counted += [FacetValue(value, 0, True) for value in selected if value not in counts]
    shown = [v for v in counted if v.count or v.selected]
    if FACET[name].numeric:
        shown.sort(key=lambda v: v.value, reverse=True)
    else:
        shown.sort(key=lambda v: (not v.selected, -v.count, v.value))
    return Facet(name, shown[:limit], truncated=len(shown) > limit)
