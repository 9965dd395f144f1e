"""The typed search request, and the one function that builds it from request parameters.

The site (`request.args`), the JSON API and the CLI all call `parse_search_query`,
so bounds and error messages are the same everywhere.

>>> q = parse_search_query({"q": "清廉学校", "type": ["意见"], "year": ["2021", "2023"], "page": "2"})
>>> q.text, q.types, q.years, q.page, q.size
('清廉学校', ('意见',), ('2021', '2023'), 2, 20)
>>> parse_search_query({"size": "5000"})
Traceback (most recent call last):
...
index.query.QueryError: 每页条数 size 须在 1 到 1000 之间
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, make_dataclass, replace

from index import messages
from index.facets import FACET, FACETS

MAX_QUERY_CHARS = 200
MAX_PAGE_SIZE = 1000
DEFAULT_PAGE_SIZE = 20
MAX_PAGE = 10_000
SORTS = ("relevance", "date")


class QueryError(ValueError):
    """A request parameter that cannot be honoured; the message is shown to the user (in Chinese)."""


# The selected values of each facet (`index.facets`), one attribute per facet: `types`, `offices`…
_Selections = make_dataclass("_Selections", [(f.attr, tuple[str, ...], field(default=())) for f in FACETS],
                             frozen=True)


@dataclass(frozen=True)
class SearchQuery(_Selections):
    """What the user asked for. Filters are disjunctive within a facet, conjunctive across facets.

    Each facet's selected values are an attribute (`types`, `offices`, `units`, `years`: `index.facets`);
    `years` (`"2021"`) are values of the year facet; `date_from`/`date_to` narrow further to any range.

    >>> q = SearchQuery(text="清廉", years=("2021",))
    >>> q.selected("year"), q.with_selected("type", ("意见",)).types
    (('2021',), ('意见',))
    """

    text: str = ""
    date_from: str | None = None
    date_to: str | None = None
    sort: str = "relevance"
    page: int = 1
    size: int = DEFAULT_PAGE_SIZE

    @property
    def is_browse(self) -> bool:
        """No text: list what the filters select, newest first."""
        return not self.text.strip()

    def with_(self, **changes) -> SearchQuery:
        return replace(self, **changes)

    def selected(self, facet: str) -> tuple[str, ...]:
        """The values selected in the facet named `facet`."""
        return getattr(self, FACET[facet].attr)

    def with_selected(self, facet: str, values: tuple[str, ...]) -> SearchQuery:
        return replace(self, **{FACET[facet].attr: values})

    def searched_text(self) -> tuple[str, str | None]:
        """The text a search uses, cut to MAX_QUERY_CHARS, and the notice that says so when it was cut.

        >>> SearchQuery(text="清廉" * 150).searched_text()[1]
        '查询过长，只使用了前 200 个字符。'
        """
        text = self.text.strip()
        if len(text) <= MAX_QUERY_CHARS:
            return text, None
        return text[:MAX_QUERY_CHARS], messages.NOTICE_TOO_LONG.format(limit=MAX_QUERY_CHARS)


def _values(params: Mapping, key: str) -> list[str]:
    if hasattr(params, "getlist"):
        values = params.getlist(key)
    else:
        value = params.get(key)
        values = [] if value is None else list(value) if isinstance(value, (list, tuple)) else [value]
    return [v.strip() for v in values if v and v.strip()]


def _date(value: str | None, name: str) -> str | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        raise QueryError(f"日期 {name} 格式应为 2021-11-12，收到：{value[:40]}") from None


def _int(value, name: str, low: int, high: int, default: int, label: str) -> int:
    if value in (None, ""):
        return default
    try:
        number = int(str(value).strip())
    except ValueError:
        raise QueryError(f"{label} {name} 应为整数，收到：{str(value)[:40]}") from None
    if not low <= number <= high:
        raise QueryError(f"{label} {name} 须在 {low} 到 {high} 之间")
    return number


def parse_search_query(params: Mapping) -> SearchQuery:
    """Build a SearchQuery from `q`, each facet's repeatable parameter (`type`…), `from`, `to`, `sort`, `page`, `size`.

    Raises QueryError (with a message fit for the user) for bad years, dates, pages, sizes or sorts.
    A query longer than MAX_QUERY_CHARS is cut, not refused: the search layer says so.
    """
    text = (params.get("q") or "").strip()
    sort = (params.get("sort") or "relevance").strip()
    if sort not in SORTS:
        raise QueryError(f"排序 sort 只能是 relevance（相关度）或 date（日期），收到：{sort[:40]}")
    date_from, date_to = _date(params.get("from"), "from"), _date(params.get("to"), "to")
    if date_from and date_to and date_from > date_to:
        raise QueryError("起始日期 from 晚于截止日期 to")
    try:
        filters = {f.attr: tuple(dict.fromkeys(map(f.check, _values(params, f.name)))) for f in FACETS}
    except ValueError as exc:
        raise QueryError(str(exc)) from None
    return SearchQuery(
        text=text,
        date_from=date_from,
        date_to=date_to,
        sort=sort,
        page=_int(params.get("page"), "page", 1, MAX_PAGE, 1, "页码"),
        size=_int(params.get("size"), "size", 1, MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE, "每页条数"),
        **filters,
    )
