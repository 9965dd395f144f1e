"""Outline labels and references to them: one grammar for reading, naming and citing clauses.

A label (一、 （一） 1. （1） ① 第X章 第X节 第X条 第X款 附件N, and a table row's bare number under a
序号 column) is read once into a typed `Label` (its style and number); everything else is derived from that value:

- the slug a clause id and URL use (`clause_slug`: 五、18. → `5.18`, 第二章第十五条 → `z2.t15`, row 3 → `h3`);
- the wording of a citation (`cite_labels`: 五、18. → 第五部分第18项, （二）1. → 第（二）项第1点, row 3 → 第3行);
- the reading of a reference someone typed (`parse_path`: `第五部分第18项`, `五（二）1`,
  `第5部分第18项`, `第二十一条第二款`, `附件3第十五项`) and finding the clause it names (`find_clause`).

>>> [label.slug for label in map(parse_label, ["一、", "（十二）", "3.", "（2）", "第三条", "附件2", "①"])]
['1', '12', '3', '2', 't3', 'fj2', 'q1']
>>> cite_labels(parse_path_labels(["五、", "（二）", "1."]))
'第五部分第（二）项第1点'
>>> [(s.styles, s.number) for s in parse_path("第5部分 第18项")]
[(('cn',), 5), (('num', 'paren_cn', 'row'), 18)]

Paragraph labels are matched on text folded by `corpus.normalize.fold_for_parsing`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from corpus.lexicon import ATTACHMENT
from corpus.normalize import despace, fold_for_parsing
from corpus.numerals import NUMERAL_CHARS, chinese_to_int

N = NUMERAL_CHARS
# the highest number a reference's outline step may have: `标题 2023` is a title and a year, not 第2023项
MAX_NUMBER = 999
# 第X章 / 第X节 / 第X条: numbered through the whole document, so a citation may name them alone.
STRUCTURAL = ("chapter", "section", "article")

# The label a paragraph starts with, as documents print it (`(三) 县级`, `12.把好`, `二、以`).
LABEL = re.compile(
    rf"^\s*(?:"
    rf"(?P<chapter>第[{N}\d]+章)|(?P<section>第[{N}\d]+节)|(?P<article>第[{N}\d]+条)"
    rf"|(?P<cn>[{N}]{{1,3}})\s*[、．.]"
    rf"|（\s*(?P<paren_cn>[{N}]{{1,3}})\s*）"
    rf"|(?P<num>\d{{1,2}})\s*(?:、|[.．](?!\d))"
    rf"|（\s*(?P<paren_num>\d{{1,2}})\s*）"
    rf"|(?P<circled>[①-⑳])"
    rf")\s*"
)
# 第一条第一条 为…: a label printed twice (a typesetting slip) is read once
DUPLICATED_ARTICLE = re.compile(rf"^(\s*第[{N}]+条)\s*\1")

# A table whose first column is headed 序号 numbers its rows: `3\t修路\t县交通局` is row 3 (`read_row_label`).
ROW_NUMBER_HEADERS = ("序号", "编号")
_ROW = re.compile(r"^\s*(?P<row>\d{1,3})\s*\t\s*")

# A label as stored in a clause's path (the normalised text `read_label` gives, or 附件N).
_STORED = re.compile(
    rf"^(?:第(?P<chapter>.+)章|第(?P<section>.+)节|第(?P<article>.+)条|第(?P<paragraph>.+)款"
    rf"|{ATTACHMENT}(?P<attachment>.*)"
    rf"|(?P<cn>[{N}]+)、|（(?P<paren_cn>[{N}]+)）|(?P<num>\d+)[.．]|（(?P<paren_num>\d+)）|(?P<circled>[①-⑳])|(?P<row>\d+))$"
)
_SLUG_PREFIX = {"chapter": "z", "section": "j", "article": "t", "paragraph": "k", "attachment": "fj", "circled": "q",
                "row": "h"}

# How a label is named in a citation: 一、 is a 部分, 18. a 项, but 3. under a cited （二） is a 点.
UNIT_WORDS = {"cn": "部分", "paren_cn": "项", "num": "项", "point": "点", "paren_num": "目", "circled": "目",
              "row": "行"}

# One step of a typed reference: 第五部分, 第（二）项, 18., ①, 附件3, 第二款; a space ends a number.
_STEP = re.compile(
    rf"(?:{ATTACHMENT}\s*(?P<attachment>[{N}\d]*)"
    rf"|(?P<di>第)?\s*(?:（\s*(?P<paren>[{N}\d]+)\s*）|(?P<circled>[①-⑳])|(?P<plain>[{N}\d]+))"
    r"\s*(?P<unit>部分|章|节|条|款|项|点|目|行)?\s*[、.]?)\s*"
)
_UNIT_STYLES = {"部分": ("cn",), "章": ("chapter",), "节": ("section",), "条": ("article",), "款": ("paragraph",),
                "目": ("paren_num", "circled", "num"), "行": ("row",)}
_SPACE = re.compile(r"\s+")
_BRACKETS = str.maketrans("〔〕", "（）")


@dataclass(frozen=True)
class Label:
    """An outline label: its `style` (chapter, section, article, paragraph, attachment, cn 一、,
    paren_cn （一）, num 1., paren_num （1）, circled ①, row: a table row's 序号), its `number` (None when it has none or it
    cannot be read), and its normalised `text`. `end` is where it ends in the paragraph it was read from."""

    style: str
    number: int | None
    text: str
    end: int = field(default=0, compare=False)

    @property
    def slug(self) -> str:
        """The label as a URL path component: 一、 → `1`, 第三条 → `t3`, 附件2 → `fj2`, ① → `q1`."""
        prefix = _SLUG_PREFIX.get(self.style, "")
        if self.number is None:
            inner = _STORED.match(self.text)
            return prefix + (inner[self.style] if inner else "") or "x"
        return f"{prefix}{self.number}"

    def cited(self, after_section: bool = False) -> str:
        """The label as a citation names it: 三、 → 第三部分, （二） → 第（二）项, 18. → 第18项 (第18点 after a （二）).

        >>> [parse_label(x).cited() for x in ["三、", "（二）", "18.", "（1）", "第五条", "附件3"]]
        ['第三部分', '第（二）项', '第18项', '第（1）目', '第五条', '附件3']
        """
        if self.style in (*STRUCTURAL, "attachment"):
            return self.text
        if self.style == "cn":
            return f"第{self.text[:-1]}{UNIT_WORDS['cn']}"
        if self.style == "num":
            return f"第{self.number}{UNIT_WORDS['point' if after_section else 'num']}"
        if self.style == "row":
            return f"第{self.number}{UNIT_WORDS['row']}"
        return f"第{self.text}{UNIT_WORDS[self.style]}"


def _number(text: str) -> int | None:
    return int(text) if text.isdigit() else chinese_to_int(text)


def read_label(text: str) -> Label | None:
    """The outline label a paragraph starts with, normalised, with where it ends.

    >>> [read_label(x).text for x in ["(三) 县级", "12.把好", "第一条第一条 为", "二、以", "（2）审核"]]
    ['（三）', '12.', '第一条', '二、', '（2）']

    A Chinese-numeral item's text may start with a number (`一．2023年1月14日起`), while
    `1.2022年度…` and `1.5倍` are not labels (a decimal, an attachment list's year):

    >>> [getattr(read_label(x), "text", None) for x in ["一．2023年1月14日起，", "1.2022年度名单", "1.5倍"]]
    ['一、', None, None]
    """
    folded = fold_for_parsing(text)
    m = LABEL.match(folded)
    if not m:
        return None
    style = m.lastgroup
    raw = m[style]
    end = m.end()
    dup = DUPLICATED_ARTICLE.match(folded)
    if dup:
        end = len(dup.group(0))
        while end < len(folded) and folded[end] == " ":
            end += 1
    if style in STRUCTURAL:
        label = despace(raw)
        number = _number(label[1:-1])
    elif style in ("num", "paren_num"):
        number = int(raw)
        label = f"{number}." if style == "num" else f"（{number}）"
    elif style == "circled":
        number = ord(raw) - ord("①") + 1
        label = raw
    else:
        number = chinese_to_int(raw)
        label = f"{raw}、" if style == "cn" else f"（{raw}）"
    if number is None:
        return None
    return Label(style, number, label, end)


def is_numbered_table_header(line: str) -> bool:
    """Whether a table's header row (cells separated by tabs) heads its first column 序号, numbering the rows.

    >>> is_numbered_table_header("序 号\\t任务\\t责任单位"), is_numbered_table_header("指标\\t目标值")
    (True, False)
    """
    return "\t" in line and despace(fold_for_parsing(line.split("\t", 1)[0])) in ROW_NUMBER_HEADERS


def read_row_label(line: str) -> Label | None:
    """The 序号 a table row (cells separated by tabs) starts with, as printed: its bare number.

    >>> read_row_label("3\\t修路\\t县交通局"), read_row_label("2023\\t产值") is None
    (Label(style='row', number=3, text='3', end=2), True)
    """
    m = _ROW.match(line)
    if not m:
        return None
    number = int(m["row"])
    return Label("row", number, str(number), m.end())


@lru_cache(maxsize=4096)
def parse_label(text: str) -> Label | None:
    """A label as stored in a clause's path (`五、`, `（二）`, `18.`, `第三条`, `附件2`), typed; None if it is none.

    >>> parse_label("第二十一条"), parse_label("附件")
    (Label(style='article', number=21, text='第二十一条', end=0), Label(style='attachment', number=None, text='附件', end=0))
    """
    m = _STORED.match(text)
    if not m:
        return None
    style = m.lastgroup
    raw = m[style]
    if style == "circled":
        return Label(style, ord(raw) - ord("①") + 1, text)
    return Label(style, _number(raw) if raw else None, text)


def parse_path_labels(path: list[str]) -> list[Label | None]:
    """The labels of a clause's stored path, typed (None for a label the grammar does not know)."""
    return [parse_label(label) for label in path]


def label_slug(label: str) -> str:
    """One outline label as a URL path component.

    >>> [label_slug(x) for x in ["一、", "（十二）", "3.", "（2）", "第三条", "附件2", "附件", "甲/乙"]]
    ['1', '12', '3', '2', 't3', 'fj2', 'fj', '甲乙']
    """
    parsed = parse_label(label)
    if parsed is not None:
        return parsed.slug
    return re.sub(r"[\s/?#%.]+", "", label) or "x"


def clause_slug(path: list[str]) -> str:
    """The clause's outline path as the readable tail of its id (`2.1.3`).

    >>> clause_slug(["二、", "（一）", "3."]), clause_slug(["第二章", "第十五条", "（一）"])
    ('2.1.3', 'z2.t15.1')
    """
    return ".".join(label_slug(label) for label in path)


def cite_labels(labels: list[Label | None]) -> str:
    """A path of labels in citation wording; a 1. under a （二） is a 点."""
    parts, after_section = [], False
    for label in labels:
        if label is None:
            continue
        parts.append(label.cited(after_section))
        after_section = after_section or label.style == "paren_cn"
    return "".join(parts)


# References --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One level of a typed reference: the label styles it may name, best first, and the number."""

    styles: tuple[str, ...]
    number: int | None

    def names(self, label: Label | None) -> int | None:
        """How well this step names `label`: 0 for its first style, 1 for the next…; None if it does not."""
        if label is None or label.style not in self.styles or label.number != self.number:
            return None
        return self.styles.index(label.style)


def _step_styles(unit: str | None, paren: bool, chinese: bool) -> tuple[str, ...]:
    if unit in _UNIT_STYLES:
        return _UNIT_STYLES[unit]
    if unit == "项":
        return ("paren_cn", "paren_num") if paren else ("num", "paren_cn", "row")
    if unit == "点":
        return ("paren_num", "paren_cn") if paren else ("num", "paren_num")
    if paren:
        return ("paren_cn", "paren_num") if chinese else ("paren_num", "paren_cn")
    return ("cn", "num") if chinese else ("num", "cn", "row")


def compact_reference(text: str) -> str:
    """`text` folded for reading a reference: half-width digits, full-width brackets, no spaces.

    >>> compact_reference("第 5 部分 [２]")
    '第5部分（2）'
    """
    return _SPACE.sub("", fold_for_parsing(text)).translate(_BRACKETS)


def parse_path(text: str) -> list[Step] | None:
    """The outline path a reference names (`第五部分第18项`, `五（二）1`, `第二十一条第二款`); None if it is not one.

    Chinese or Arabic numerals, with or without 第 and the words 部分/章/节/条/款/项/点/目, spaces anywhere
    but inside a number:

    >>> [[s.styles[0] for s in parse_path(x)] for x in ["五（二）1", "第二十一条 第 二 款", "附件3第十五项", "附件 1 二"]]
    [['cn', 'paren_cn', 'num'], ['article', 'paragraph'], ['attachment', 'num'], ['attachment', 'cn']]
    >>> parse_path("清廉学校") is None, parse_path("") is None
    (True, True)
    """
    folded = fold_for_parsing(text).translate(_BRACKETS).strip()
    steps, pos = [], 0
    while pos < len(folded):
        m = _STEP.match(folded, pos)
        if not m or m.end() == pos:
            return None
        pos = m.end()
        if m["attachment"] is not None:
            steps.append(Step(("attachment",), _number(m["attachment"]) if m["attachment"] else None))
        elif m["circled"]:
            steps.append(Step(("circled",), ord(m["circled"]) - ord("①") + 1))
        else:
            digits = m["paren"] or m["plain"]
            number = _number(digits)
            if number is None or number > MAX_NUMBER:
                return None
            steps.append(Step(_step_styles(m["unit"], bool(m["paren"]), not digits.isdigit()), number))
    return steps or None


def _fit(steps: list[Step], labels: list[Label | None]) -> tuple[int, int] | None:
    """(labels the reference skips, how far from the first choice its styles were) if `steps` name this
    path: the last step its own label, the others some of the labels above it, in order; else None."""
    if len(steps) > len(labels):
        return None
    last = steps[-1].names(labels[-1])
    if last is None:
        return None
    cost, i = last, len(labels) - 1
    for step in reversed(steps[:-1]):
        i -= 1
        while i >= 0 and step.names(labels[i]) is None:
            i -= 1
        if i < 0:
            return None
        cost += step.names(labels[i])
    return len(labels) - len(steps), cost


def find_clause(clauses: list, steps: list[Step] | None):
    """The clause of `clauses` (in document order) that a reference's `steps` name, else None.

    The path may leave out levels (`第18项` for 五、18.) and name a 款, which is not a clause of its
    own (第二十一条第二款 → 第二十一条). Of several clauses it fits, the one with the fewest levels left
    out comes first, then the one whose label styles fit best, then the first in the document.
    """
    steps = [s for s in steps or () if s.styles != ("paragraph",)]
    if not steps:
        return None
    best, best_key = None, None
    for order, clause in enumerate(clauses):
        fit = _fit(steps, parse_path_labels(clause.path))
        if fit is not None and (best_key is None or (*fit, order) < best_key):
            best, best_key = clause, (*fit, order)
    return best


def citation_path(clauses: list, clause) -> str:
    """How a citation names `clause` among `clauses`: its whole outline path, without the chapters
    and sections above an article when the article alone is unambiguous (`第二十一条第（一）项`).

    >>> from corpus.model import Clause
    >>> cs = [Clause(id=str(i), label=p[-1], path=p, text="") for i, p in enumerate(
    ...     [["一、"], ["一、", "（一）"], ["一、", "（一）", "1."], ["二、"], ["二、", "（一）"], ["二、", "（一）", "1."]])]
    >>> citation_path(cs, cs[5])
    '第二部分第（一）项第1点'
    >>> cs = [Clause(id="a", label="第一章", path=["第一章"], text=""),
    ...       Clause(id="b", label="第一条", path=["第一章", "第一条"], text="")]
    >>> citation_path(cs, cs[1])
    '第一条'
    """
    labels = parse_path_labels(clause.path)
    styles = [label.style if label else None for label in labels]
    if "article" in styles:
        start = styles.index("article")
        if all(s in ("chapter", "section") for s in styles[:start]):
            short = cite_labels(labels[start:])
            if find_clause(clauses, parse_path(short)) is clause:
                return short
    return cite_labels(labels)
