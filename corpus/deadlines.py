"""Time limits a clause sets: `2023年6月底前`, `每季度`, `长期坚持`.

>>> [(d.text, d.kind, d.date) for d in extract_deadlines("2023年6月底前完成整改，每季度通报一次，长期坚持。")]
[('2023年6月底前', 'date', '2023-06-30'), ('每季度', 'recurring', None), ('长期坚持', 'ongoing', None)]
>>> [(d.text, d.date) for d in extract_deadlines("于2022年12月31日前完成；2023年上半年完成")]
[('2022年12月31日前', '2022-12-31'), ('2023年上半年完成', '2023-06-30')]
"""

from __future__ import annotations

import calendar
import datetime as dt

from corpus import lexicon as lx
from corpus.model import Deadline
from corpus.normalize import fold

_QUARTER_END = {"一": 3, "二": 6, "三": 9, "四": 12}


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def deadline_date(m) -> str | None:
    """The last day a `DEADLINE_DATE` match allows, as ISO, when the words pin one down."""
    year = int(m["y"])
    try:
        if m["m"]:
            month = int(m["m"])
            if m["d"]:
                return dt.date(year, month, int(m["d"])).isoformat()
            day = {"上旬": 10, "中旬": 20, "初": 10}.get(m["edge"] or "", _last_day(year, month))
            return dt.date(year, month, day).isoformat()
        if m["q"]:
            month = _QUARTER_END[m["q"]]
            return dt.date(year, month, _last_day(year, month)).isoformat()
        if m["half"] == "上半年":
            return dt.date(year, 6, 30).isoformat()
        return dt.date(year, 12, 31).isoformat()
    except ValueError:
        return None


def extract_deadlines(text: str) -> list[Deadline]:
    """Deadlines in order of appearance; the original words are kept in `text`."""
    folded = fold(text)
    found: list[tuple[int, Deadline]] = []
    for m in lx.DEADLINE_DATE.finditer(folded):
        found.append((m.start(), Deadline(text=text[m.start("text"):m.end("text")], kind="date", date=deadline_date(m))))
    for pattern, kind in ((lx.RECURRING, "recurring"), (lx.ONGOING, "ongoing")):
        seen = set()
        for m in pattern.finditer(folded):
            if m.group(0) not in seen:
                seen.add(m.group(0))
                found.append((m.start(), Deadline(text=m.group(0), kind=kind)))
    return [d for _, d in sorted(found, key=lambda pair: pair[0])]
