"""Filters and facets: the units each selection allows, and each facet's values counted under the others.

Every facet (`index.facets`) has one bitset per value, prepared at build time (`index.arrays`) as a
packed row of the mapped serving files (`index.served.FacetRows`); a facet's counts ignore its own
selection (disjunctive within a facet, conjunctive across facets) and cost one AND + popcount per
value, done by numpy over the rows. The from/to date range
is a selection of its own that every facet's counts honour.

>>> import tempfile
>>> from corpus.model import Clause, Document
>>> from index import SearchQuery, open_index
>>> from index.build import build_index
>>> docs = [Document(id=f"d{n}", title=f"通知{n}", doc_number=None, offices=[], doc_type=kind, date=date, text="",
...                  source="", clauses=[Clause(id=f"d{n}/1", label="一、", path=["一、"], text="一、加强巡查。")])
...         for n, kind, date in ((1, "通知", "2021-05-01"), (2, "意见", "2023-05-01"))]
>>> folder = tempfile.mkdtemp()
>>> build_index(docs, f"{folder}/index", progress=False)
>>> snapshot = open_index(f"{folder}/index").snapshot()
>>> q = SearchQuery(types=("通知",))
>>> facets = snapshot.facets(snapshot.all_bits, snapshot.selection_bits(q), q, limit=10)
>>> {f.name: [(v.value, v.count, v.selected) for v in f.results] for f in facets if f.name in ("type", "year")}
{'type': [('通知', 2, True), ('意见', 2, False)], 'year': [('2021', 2, False)]}
"""

from __future__ import annotations

from index import bits as bitset
from index import unit_facet
from index.facets import FACETS
from index.query import SearchQuery
from index.results import Facet, facet_from_counts


class Filtering:
    """The filters and facets of a generation (`index.snapshot.Generation`; `index.search.Snapshot` is both)."""

    def date_bits(self, date_from: str | None, date_to: str | None) -> int:
        if not (date_from or date_to):
            return self.all_bits
        key = (date_from, date_to)
        cached = self._dates.get(key)
        if cached is None:
            cached = self.dated_bits(date_from, date_to)
            self._dates.put(key, cached, cost=bitset.size(cached))
        return cached

    def selection_bits(self, q: SearchQuery) -> dict[str, int]:
        """Per facet, the clauses its selected values allow (every clause when none is selected).

        The from/to range is a selection of its own (`"date"`, not a facet): every facet's counts
        honour it, the year facet's included, so no year is offered that the range leaves empty.
        """
        result = {}
        for f in FACETS:
            facet, values = self.facet_bits.get(f.name, {}), q.selected(f.name)
            chosen = (unit_facet.value_bits(facet, v) if f.scoped else facet.get(v, 0) for v in values)
            result[f.name] = bitset.union(chosen) if values else self.all_bits
        result["date"] = self.date_bits(q.date_from, q.date_to)
        return result

    def facets(self, matched: int, selections: dict[str, int], q: SearchQuery, limit: int) -> list[Facet]:
        """Each facet's values with their counts under every other selection (its own ignored).

        A value that would give no results is not offered, unless it is selected (so it can be unselected).
        """
        facets = []
        for f in FACETS:
            base = matched
            for other, allowed in selections.items():
                if other != f.name:
                    base &= allowed
            facet = self.facet_bits.get(f.name)
            counts = facet.counts(base) if facet is not None else {}
            facets.append(facet_from_counts(f.name, counts, set(q.selected(f.name)), limit))
        return facets
