"""Time limits a clause sets: `2023年6月底前`, `每季度`, `长期坚持`.

>>> [(d.text, d.kind, d.date) for d in extract_deadlines("2023年6月底前完成整改，每季度通报一次，长期坚持。")]
[('2023年6月底前', 'date', '2023-06-30'), ('每季度', 'recurring', None), ('长期坚持', 'ongoing', None)]
>>> [(d.text, d.date) for d in extract_deadlines("于2022年12月31日前完成；2023年上半年完成")]
[('2022年12月31日前', '2022-12-31'), ('2023年上半年完成', '2023-06-30')]

Without a year in the words, the document's year (when known) completes the date:

>>> [(d.text, d.date) for d in extract_deadlines("4月下旬前完成摸底，年底前全面完成。", year=2023)]
[('4月下旬前', '2023-04-30'), ('年底前', '2023-12-31')]
>>> extract_deadlines("6月底前完成")[0].date is None
True
"""

from __future__ import annotations

import calendar
import datetime as dt

from corpus import lexicon as lx
from corpus.model import Deadline
from corpus.normalize import fold_for_parsing

_QUARTER_END = {"一": 3, "二": 6, "三": 9, "四": 12}


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def deadline_date(m, year: int | None = None) -> str | None:
    """The last day a `DEADLINE_DATE` / `DEADLINE_MONTH` match allows, as ISO, when the words pin one down."""
    groups = m.groupdict()
    year = int(groups["y"]) if groups.get("y") else year
    if year is None:
        return None
    try:
        if groups.get("m"):
            month = int(groups["m"])
            if groups.get("d"):
                return dt.date(year, month, int(groups["d"])).isoformat()
            day = {"上旬": 10, "中旬": 20, "初": 10}.get(groups.get("edge") or "", _last_day(year, month))
            return dt.date(year, month, day).isoformat()
        if groups.get("q"):
            month = _QUARTER_END[groups["q"]]
            return dt.date(year, month, _last_day(year, month)).isoformat()
        if groups.get("half") == "上半年":
            return dt.date(year, 6, 30).isoformat()
        return dt.date(year, 12, 31).isoformat()
    except ValueError:
        return None


def extract_deadlines(text: str, year: int | None = None) -> list[Deadline]:
    """Deadlines in order of appearance; the original words are kept in `text`.

    `year` (the document's) completes dates written without one (`6月底前`).
    """
    folded = fold_for_parsing(text)
    found: list[tuple[int, Deadline]] = []
    taken: list[tuple[int, int]] = []
    for pattern in (lx.DEADLINE_DATE, lx.DEADLINE_MONTH, lx.DEADLINE_YEAR_END):
        for m in pattern.finditer(folded):
            start, end = m.span("text")
            if any(s < end and start < e for s, e in taken):
                continue
            taken.append((start, end))
            found.append((start, Deadline(text=text[start:end], kind="date", date=deadline_date(m, year))))
    for pattern, kind in ((lx.RECURRING, "recurring"), (lx.ONGOING, "ongoing")):
        seen = set()
        for m in pattern.finditer(folded):
            if m.group(0) not in seen:
                seen.add(m.group(0))
                found.append((m.start(), Deadline(text=m.group(0), kind=kind)))
    return [d for _, d in sorted(found, key=lambda pair: pair[0])]
