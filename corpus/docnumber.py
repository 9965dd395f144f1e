"""发文字号 (文号): how they are found in text, shown, and compared, in one place.

A 文号 is the issuer's abbreviation, the year in brackets and a sequence number:
`泸政办函〔2021〕72号`. Texts write it with any brackets (〔〕 [] （） ﹝﹞ 【】), with spaces,
full-width digits, leading zeros or a 第 before the number. Three things are derived here:

- `normalize_doc_number(text)`: the first 文号 in a text, in its standard display form
  (`前缀〔年〕序号号`); words that run into the issuer's abbreviation (根据, 落实…) are cut off.
- `find_doc_numbers(folded)`: every 文号 in a text, with where it is (for citations).
- `doc_number_key(text)`: the one form 文号 are compared in, by the corpus, the index and
  the site. For a 文号 it is the display form; other text (`泸政发`, a partial number
  typed into a `文号:` search) is folded the same way, so it can be looked for inside keys.

>>> normalize_doc_number("泸政办函[2021]72号"), normalize_doc_number("湘政发（2019）23号")
('泸政办函〔2021〕72号', '湘政发〔2019〕23号')
>>> doc_number_key("湘政办发（2021）062号") == doc_number_key("湘政办发〔2021〕62号") == "湘政办发〔2021〕62号"
True
>>> doc_number_key("泸发 【２０２１】 第24号"), doc_number_key("泸政发[2021")
('泸发〔2021〕24号', '泸政发〔2021')

The patterns run on text folded by `corpus.normalize.fold_for_parsing` (brackets full-width,
digits half-width). New 文号 families belong here, with a doctest, so that display, search
and links all learn them at once.
"""

from __future__ import annotations

import re

from corpus.lexicon import WORDS
from corpus.normalize import fold_for_parsing

# Words and characters that may run into an issuer's abbreviation in running text
# (`根据州办〔2022〕25号`, `和湘发〔2021〕19号`): cut from the front of the prefix.
PREFIX_STOP_CHARS: str = WORDS["number_prefix_stop_chars"]
PREFIX_STOP = re.compile(rf"^(?:{'|'.join(WORDS['number_prefix_stop_words'])}|[{PREFIX_STOP_CHARS}])+")
# a verb anywhere before the issuer abbreviation ends the words around the 文号 (认真落实州办〔2022〕25号)
PREFIX_VERB = re.compile("|".join(w for w in WORDS["number_prefix_stop_words"] if len(w) > 1))

# 前缀〔年〕序号号: the year in 〔〕 or （）, a sequence of up to four digits, optionally after 第.
DOC_NUMBER = re.compile(
    r"(?P<prefix>[\u4e00-\u9fff]{1,12}?)\s*[〔（]\s*(?P<year>(?:19|20)\d\d)\s*[〕）]\s*(?:第\s*)?(?P<seq>\d{1,4})\s*号"
)
# Other families, shown as printed (spaces dropped), since their wording is part of the number:
# a 令 (`渝府令第 121 号`, `东莞市人民政府令第123号`, `政府令〔2010〕第15号`, `济南市人民政府令19号`),
# a Macao instrument (`第90/2023號行政命令`, `第3/2000號行政法務司司長批示`), and a two-digit year
# before the issuer's 字 (`(78)交公路字412号`).
ORDER_NUMBER = re.compile(r"(?<!\d)(?P<prefix>[\u4e00-\u9fff]{0,14}?令)\s*(?:〔\s*(?:19|20)\d\d\s*〕)?\s*(?:第\s*)?\d{1,4}\s*号")
SERIAL_NUMBER = re.compile(r"第\s*\d{1,4}\s*/\s*(?:19|20)\d\d\s*[號号]\s*[\u4e00-\u9fff]{1,14}?(?:批示|命令|法律|法规|法規|通告|公告)")
SHORT_YEAR_NUMBER = re.compile(r"[〔（]\s*\d\d\s*[〕）]\s*[\u4e00-\u9fff]{1,10}?字\s*(?:第\s*)?\d{1,4}\s*号")
_STANDARD_LINE = re.compile(rf"^\s*{DOC_NUMBER.pattern}\s*$")
_OTHER_FAMILIES = (ORDER_NUMBER, SERIAL_NUMBER, SHORT_YEAR_NUMBER)
_UNNAMED = re.compile(r"\(\?P<\w+>")
# a line that is nothing but a 文号 (the 文号 line of a document's header), possibly in brackets
DOC_NUMBER_LINE = re.compile(
    r"^\s*（?\s*(?:" + "|".join(_UNNAMED.sub("(?:", p.pattern) for p in (DOC_NUMBER, *_OTHER_FAMILIES)) + r")\s*）?\s*$"
)
# the bracketed year and number of a 文号, found first in running text; the prefix is read backwards from it
NUMBER_CORE = re.compile(r"[〔（]\s*(?:19|20)\d\d\s*[〕）]\s*(?:第\s*)?\d{1,4}\s*号")
NUMBER_PREFIX_BEFORE = re.compile(r"[\u4e00-\u9fff]{1,12}\s*$")
MAX_PREFIX_REACH = 14

_SPACE = re.compile(r"\s+")
_PARENS = str.maketrans("（）", "〔〕")


def _standard(m: re.Match, prefix: str) -> str:
    return f"{prefix}〔{m['year']}〕{int(m['seq'])}号"


def normalize_doc_number(text: str | None) -> str | None:
    """The first 发文字号 in `text` in its standard form (`前缀〔年〕序号号`), or None.

    The prefix is the issuer's abbreviation: words that run into it are cut off.

    >>> normalize_doc_number("根据州办[2022]25号"), normalize_doc_number("认真贯彻落实湘政办发〔2021〕062号")
    ('州办〔2022〕25号', '湘政办发〔2021〕62号')
    >>> normalize_doc_number("实施方案(2021-2025年)") is None
    True
    """
    if not text:
        return None
    folded = fold_for_parsing(text)
    m = DOC_NUMBER.search(folded)
    if not m or m["prefix"].endswith("令"):
        return as_printed(text, folded)
    prefix = PREFIX_VERB.split(m["prefix"])[-1]
    prefix = PREFIX_STOP.sub("", prefix) or prefix or m["prefix"]
    return _standard(m, prefix)


def as_printed(text: str, folded: str | None = None) -> str | None:
    """The first 文号 of another family (a 令, a Macao instrument, `(78)…字N号`) as printed, without spaces.

    >>> as_printed("渝府令第 121 号"), as_printed("政府令〔2010〕第15号"), as_printed(" ((78)交公路字412号)")
    ('渝府令第121号', '政府令〔2010〕第15号', '(78)交公路字412号')
    >>> as_printed("第3/2000號行政法務司司長批示"), as_printed("(1991年3月26日济南市人民政府令19号发布)")
    ('第3/2000號行政法務司司長批示', '济南市人民政府令19号')
    >>> as_printed("根据《条例》（国务院令第455号）"), as_printed("泸政发〔2021〕1号") is None
    ('国务院令第455号', True)
    """
    folded = folded if folded is not None else fold_for_parsing(text)
    found = [m for m in (p.search(folded) for p in _OTHER_FAMILIES) if m]
    if not found:
        return None
    m = min(found, key=lambda m: m.start())
    start = m.start()
    if m.re is ORDER_NUMBER:  # 根据国务院令第455号: the words before the issuer are not part of it
        prefix = PREFIX_VERB.split(m["prefix"])[-1]
        start = m.end("prefix") - len(PREFIX_STOP.sub("", prefix) or prefix)
    return _SPACE.sub("", text[start:m.end()])


def find_doc_numbers(folded: str) -> list[tuple[int, int, str]]:
    """(start, end, standard form) of every 文号 in `folded` (a `fold_for_parsing` text), in order.

    The span starts where the words before the bracketed year start (`按照州办〔2022〕25号` from 按),
    never inside the 文号 before it:

    >>> find_doc_numbers("按照州办〔2022〕25号和国发（2019）13号要求")
    [(0, 13, '州办〔2022〕25号'), (13, 25, '国发〔2019〕13号')]
    """
    found: list[tuple[int, int, str]] = []
    for m in NUMBER_CORE.finditer(folded):
        reach = max(found[-1][1] if found else 0, m.start() - MAX_PREFIX_REACH)
        prefix = NUMBER_PREFIX_BEFORE.search(folded, reach, m.start())
        number = normalize_doc_number(folded[prefix.start():m.end()]) if prefix else None
        if number:
            found.append((prefix.start(), m.end(), number))
    return found


def doc_number_key(text: str) -> str:
    """The form 文号 are compared in: the standard form of a 文号, else `text` folded and without spaces.

    Leading zeros, 第, brackets, spaces and full-width digits make no difference:

    >>> doc_number_key(" 泸政办函［２０２１］ 072 号"), doc_number_key("泸政办函〔2021〕第72号")
    ('泸政办函〔2021〕72号', '泸政办函〔2021〕72号')
    """
    compact = _SPACE.sub("", fold_for_parsing(text))
    m = _STANDARD_LINE.match(compact)
    return _standard(m, m["prefix"]) if m else compact.translate(_PARENS)


def doc_number_year(doc_number: str | None) -> int | None:
    """The year a 文号 names.

    >>> doc_number_year("泸发〔2021〕24号"), doc_number_year(None)
    (2021, None)
    """
    m = DOC_NUMBER.search(fold_for_parsing(doc_number or ""))
    return int(m["year"]) if m else None
