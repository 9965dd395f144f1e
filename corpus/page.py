"""Copies of web pages saved as text: the labelled metadata block read, page furniture dropped.

A government page copied as text starts with site chrome (breadcrumbs, `首页 > …`, `作者:…
时间:… 浏览:…`, `下载地址`, `【字体】`, a database's citation code and link) and often a
metadata block, written as labelled values in many shapes: one per line, several on one
line, `[ 发文字号 ] …`, `- 发布日期:…`, a table flattened with `|`, or the label on one line
and its value on the next. Labels are matched on the simplified form (`corpus.script`), so a
Macao page's `刊登日期` is read like any other; values are kept as written.

Only the top of the text is read this way (up to the first outline label, prose sentence or
主送 line), so a meeting notice's `时间：` lines stay in its body.

>>> lines = [Line(t, n) for n, t in enumerate([
...     "您当前的位置:首页 >政务公开 >应急预案",
...     "[ 索引号 ] 1150/2023-00005 [ 发文字号 ] 曲水府发〔2023〕21号",
...     "[ 发布机构 ] 梁平区曲水镇政府",
...     "[ 成文日期 ] 2023-06-03 [ 发布日期 ] 2023-06-03",
...     "关于印发应急预案的通知",
...     "各村(社区):"], 1)]
>>> page = read_text_page(lines)
>>> page.known
{'doc_number': '曲水府发〔2023〕21号', 'offices': ['梁平区曲水镇政府'], 'date': '2023-06-03', 'publish_date': '2023-06-03'}
>>> [line.text for line in page.lines]
['关于印发应急预案的通知', '各村(社区):']
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from corpus import docnumber as dn
from corpus import lexicon as lx
from corpus.docnumber import normalize_doc_number
from corpus.labels import EMPTY_VALUES, FIELD_OF, LABEL_ALTERNATION, PAGE_RECORD_FIELDS
from corpus.metadata import doc_type_of, is_issuer_line, parse_date
from corpus.normalize import fold_for_parsing
from corpus.outline import LABEL as OUTLINE_LABEL
from corpus.paragraphs import Line
from corpus.script import simplified

_CONFIG = json.loads((lx.DATA_DIR / "text_page.json").read_text("utf-8"))
# `label：` or `〔 label 〕` (square brackets are folded to 〔〕), on the folded simplified line
LABEL = re.compile(rf"〔\s*(?P<bracketed>{LABEL_ALTERNATION})\s*〕|(?P<label>{LABEL_ALTERNATION})\s*：")
_LEAD = re.compile(r"^[\s\-•·*]*")
TIMESTAMP = re.compile(r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?:\s+\d{1,2}[:：]\d{2}(?:[:：]\d{2})?)?")
_BARE_TIMESTAMP = re.compile(rf"^[\s\-•·*]*{TIMESTAMP.pattern}\s*$")
_VALUE_TRIM = " \t|｜〔〕[]【】,，;；"
_BREADCRUMB = re.compile(_CONFIG["breadcrumb"])
_NAV_WORDS = re.compile("|".join(sorted(map(re.escape, _CONFIG["furniture_words"]), key=len, reverse=True)))
_CJK = re.compile(r"[\u4e00-\u9fff]")
_URL = re.compile(r"https?[:：]//\S+")
_CODE_LINE = re.compile(r"^〔[^〕]{2,8}〕\s*[\x21-\x7e]+$")
_BODY_LABEL = OUTLINE_LABEL
MAX_HEAD_LINES = 60
MAX_NAV_LINE = 12  # a line of navigation words in the text is short


@dataclass
class TextPage:
    """What the top of a page copy says: labelled fields (`known`, with `sources`), the page's
    source field (`来源`, a fallback for the issuer), and the lines left once the block and the
    furniture are gone."""

    known: dict = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    source_office: str | None = None
    lines: list[Line] = field(default_factory=list)
    heading: str | None = None  # the page's own heading (an HTML <title>): a title only when the text prints none


def _labels(line: str) -> list[re.Match] | None:
    """The label matches of a metadata line, or None when the line is not one (it must start
    with a label, after bullets and an optional timestamp)."""
    folded = fold_for_parsing(simplified(line))
    start = _LEAD.match(folded).end()
    stamp = TIMESTAMP.match(folded, start)
    matches = list(LABEL.finditer(folded))
    if not matches or matches[0].start() not in (start, stamp.end() if stamp else -1):
        return None
    return matches


def _label_name(m: re.Match) -> str:
    return re.sub(r"\s", "", m["bracketed"] or m["label"])


def _convert(name: str, value: str):
    if name in ("date", "publish_date"):
        return parse_date(value)
    if name == "doc_number":
        return normalize_doc_number(value) or None
    if name == "offices":
        return [value]
    return value


def is_furniture(line: str) -> bool:
    """A line of site chrome: a breadcrumb, navigation words only, a citation code or link,
    a bare timestamp, or no Chinese and no digits at all (`The Beginning`, `^ ]`).

    >>> [is_furniture(x) for x in ["您的位置: 首页 » 法律资料网 »", "收藏本站| 设为首页| 首页", "• 2020-11-13 14:42",
    ...                             "原文链接：https://example.org/a.html", "Get Adobe Reader", "关于印发方案的通知"]]
    [True, True, True, True, True, False]
    """
    folded = fold_for_parsing(simplified(line)).strip()
    if not folded:
        return True
    if _BREADCRUMB.search(folded) or _BARE_TIMESTAMP.match(folded) or _CODE_LINE.match(folded):
        return True
    cells = [cell.strip() for cell in re.split(r"[|｜]", folded)]
    if len(cells) > 2 and any(cell and not _NAV_WORDS.sub("", cell) for cell in cells):
        return True  # a row of site links, one of them a navigation word
    rest = _URL.sub("", _NAV_WORDS.sub("", folded))
    return bool(len(_CJK.findall(rest)) <= (6 if _URL.search(folded) else 1) and not re.search(r"\d", rest))


MAX_MENU_ITEM = 6
_CHINESE_ONLY = re.compile(r"[\u4e00-\u9fff]+")


def _is_menu_item(line: str) -> bool:
    """A short line of Chinese words only that names no office and no 文种: above a document's title, next to
    other site chrome, a menu item or button of the page (`长辈版`, `购物车`), whatever its words.

    >>> [_is_menu_item(x) for x in ["• 长辈版", "适老模式", "国务院", "通告", "关于印发方案的通知", "0"]]
    [True, True, False, False, False, False]
    """
    folded = fold_for_parsing(simplified(line)).strip(" •·*-|｜")
    return (len(folded) <= MAX_MENU_ITEM and bool(_CHINESE_ONLY.fullmatch(folded))
            and not is_issuer_line(folded) and doc_type_of(folded) is None)


def _starts_body(line: str) -> bool:
    """The first line of the document's own text: an outline label, a sentence, or a 主送 line."""
    folded = fold_for_parsing(line).strip()
    if _BODY_LABEL.match(folded):
        return True
    if "。" in folded and len(folded) > 30:
        return True
    return folded.endswith("：") and ("，" in folded or "、" in folded) and len(folded) > 8


def read_text_page(lines: list[Line]) -> TextPage:
    """The labelled block and the furniture of the top of a page copy (see the module doc)."""
    page = TextPage()
    kept: list[Line] = []
    i = 0
    head = True
    titled = False
    after_furniture = False
    while i < len(lines):
        line = lines[i]
        if head and (i >= MAX_HEAD_LINES or _starts_body(line.text)):
            head = False
        matches = _labels(line.text) if head else None
        if matches is not None and titled and not _byline(matches, line.text):
            # below the document's own title a lone 名称：… or 时间：2024年1月5日上午9时 belongs to its text
            head, matches = False, None
        if head and matches is None and not titled:
            read = _labelled_doc_number(lines, i)
            if read:
                label, number, i = read
                _take_value(page, "doc_number", number, label)
                after_furniture = False
                continue
        if matches is None:
            if head:
                furniture = is_furniture(line.text) or (not titled and _is_menu_item(line.text) and (
                    after_furniture or (i + 1 < len(lines) and is_furniture(lines[i + 1].text))))
            else:
                furniture = _is_trailing_furniture(line.text)
            if not furniture:
                kept.append(line)
                titled = titled or _is_title_line(line.text)
            after_furniture = furniture
            i += 1
            continue
        after_furniture = False
        pairs = []
        for m, following in zip(matches, matches[1:] + [None], strict=True):
            value = line.text[m.end(): following.start() if following else len(line.text)].strip(_VALUE_TRIM)
            pairs.append((_label_name(m), value))
        if len(pairs) == 1 and not pairs[0][1] and i + 1 < len(lines) and _labels(lines[i + 1].text) is None:
            pairs = [(pairs[0][0], lines[i + 1].text.strip(_VALUE_TRIM))]
            i += 1
        for label, value in pairs:
            _take(page, label, value)
        i += 1
    page.lines = join_cell_lines(kept)
    return page


def _byline(matches: list[re.Match], line: str) -> bool:
    """Labels that may still describe the page below its title: several on one line, or one
    that is neither a title (`名称：…` there names something the text speaks of) nor an ignored
    label whose value is a written date (`时间：2024年1月5日上午9时` is a meeting's time, while a
    byline's `时间:2024-07-22 18:21` is a timestamp).

    >>> _byline(_labels("发布日期：2024-01-05 来源：县政府办"), ""), _byline(_labels("名称：年度工作总结会"), "")
    (True, False)
    >>> [_byline(_labels(x), x) for x in ["时间：2024年1月5日上午9时", "时间:2024-07-22 18:21:41"]]
    [False, True]
    """
    if len(matches) > 1:
        return True
    name = _field_of(_label_name(matches[0]))
    if name == "title":
        return False
    return name is not None or not lx.ARABIC_DATE.search(fold_for_parsing(line[matches[0].end():]))


def _is_title_line(line: str) -> bool:
    """A short line that ends with a 文种 and is no sentence: the document's own title."""
    folded = fold_for_parsing(line).strip()
    return len(folded) <= 80 and "。" not in folded and doc_type_of(folded) is not None


_CELL_LINE = re.compile(r"^(?P<cell>.*?)\s*[|｜]\s*$")
_ROW_NUMBER = re.compile(r"^\d{1,3}$")


def join_cell_lines(lines: list[Line]) -> list[Line]:
    """A table flattened one cell per line (each ending in ` |`) back into rows, cells separated by
    tabs as the other readers keep tables: the header cells run to the first bare row number.

    >>> rows = join_cell_lines([Line(t, n) for n, t in enumerate(
    ...     ["清单", "序号 |", "工作 |", "责任单位 |", "1 |", "修路 |", "交通局 |", "2 |", "治水 |", "水利局 |"], 1)])
    >>> [line.text for line in rows]
    ['清单', '序号\\t工作\\t责任单位', '1\\t修路\\t交通局', '2\\t治水\\t水利局']
    """
    out: list[Line] = []
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and lines[j].text[-1:] in ("|", "｜"):
            j += 1
        cells = [_CELL_LINE.match(line.text)["cell"] for line in lines[i:j]]
        width = next((k for k, cell in enumerate(cells) if _ROW_NUMBER.match(cell)), 0)
        if width < 2 or len(cells) < 2 * width:
            out.extend(lines[i:max(j, i + 1)])
            i = max(j, i + 1)
            continue
        for start in range(0, len(cells), width):
            out.append(Line("\t".join(cells[start:start + width]), lines[i + start].no))
        i = j
    return out


def _field_of(label: str) -> str | None:
    """The field a label gives in a copy saved as text: the page's own record (a bare 日期/时间, 生成日期)
    dates no act of the document there (the copy's page is unknown, often an aggregator's), so it is
    read only to end the value before it."""
    name = FIELD_OF.get(simplified(label))
    return None if name in PAGE_RECORD_FIELDS else name


_ANY_LABEL = re.compile(r"^[\s\-•·*]*(?P<label>[\u4e00-\u9fff]{2,6})\s*：\s*(?P<value>.*)$")


def _labelled_doc_number(lines: list[Line], i: int) -> tuple[str, str, int] | None:
    """A label no list names whose value (on its line or the next) is a whole 文号 (`法規：` / `第90/2023號行政命令`):
    the label, the 文号 and the index of the line after them; None otherwise.

    >>> _labelled_doc_number([Line("法規:", 1), Line("第90/2023號行政命令", 2)], 0)
    ('法規', '第90/2023號行政命令', 2)
    >>> _labelled_doc_number([Line("附注：请于5月前报送", 1)], 0) is None
    True
    """
    m = _ANY_LABEL.match(fold_for_parsing(lines[i].text))
    if not m:
        return None
    value, after = m["value"].strip(_VALUE_TRIM), i + 1
    if not value and i + 1 < len(lines):
        value, after = lines[i + 1].text.strip(_VALUE_TRIM), i + 2
    if not value or not dn.DOC_NUMBER_LINE.match(fold_for_parsing(value)):
        return None
    return lines[i].text[m.start("label"):m.end("label")], value, after  # folding keeps every character's place


def _take(page: TextPage, label: str, value: str) -> None:
    name = _field_of(label)
    if not name or not value or value in EMPTY_VALUES:
        return
    if name == "source_office":
        page.source_office = page.source_office or value
        return
    _take_value(page, name, value, label)


def _take_value(page: TextPage, name: str, value: str, label: str) -> None:
    """The first value of a field wins."""
    if name in page.known:
        return
    converted = _convert(name, value)
    if converted:
        page.known[name], page.sources[name] = converted, f"label {label}"


def _is_trailing_furniture(line: str) -> bool:
    """Chrome inside or after the document: navigation words only (`葡文版本` between two
    instruments of one page), or Latin words without Chinese or digits (`Get Adobe Reader`, `THE END`)."""
    stripped = line.strip()
    if len(stripped) <= MAX_NAV_LINE and not _NAV_WORDS.sub("", fold_for_parsing(simplified(stripped))).strip(" |｜"):
        return True
    return not _CJK.search(stripped) and not re.search(r"\d", stripped) and bool(re.search(r"[A-Za-z]{2}", stripped))
