"""Parse plain text (.txt/.md) into documents: gazettes of many documents, or one regulation/notice.

A gazette is recognised by lines holding nothing but a 发文字号; anything else is read as
one document (a 第X章/第X条 regulation, or a notice with a title line).

>>> docs = parse_text(REGULATION_EXAMPLE, "example.md")
>>> d = docs[0]
>>> d.title, d.doc_type, d.date, d.effective_date
('泸溪县文明养犬管理办法', '办法', '2022-03-01', '2022-05-01')
>>> [c.label for c in d.clauses]
['第一章', '第一条', '第二条', '第二章', '第三条', '（一）', '（二）']
>>> d.clauses[5].path, d.clauses[5].id.endswith("/z2.t3.1")
(['第二章', '第三条', '（一）'], True)
"""

from __future__ import annotations

import dataclasses
import re
from itertools import pairwise

from corpus import docnumber as dn
from corpus import lexicon as lx
from corpus.clauses import build_clauses, paragraph_spans
from corpus.gazette import Header, Section, read_toc, split_gazette, toc_note
from corpus.metadata import (
    citations,
    doc_type_of,
    government_of,
    is_date_line,
    is_issuer_line,
    is_office,
    issued_title_of,
    parse_date,
    registration_code,
    signing_title,
    split_offices,
    title_issuer,
    validity,
)
from corpus.model import Document, doc_id_for
from corpus.normalize import despace, despace_line, fold_for_parsing, fold_line_for_parsing
from corpus.outline import LABEL
from corpus.page import TextPage, read_text_page
from corpus.paragraphs import Line, Paragraph, clean_lines, gazette_issue, is_block_line, to_paragraphs, wrap_width
from corpus.units import canonical_unit

REGULATION_EXAMPLE = """# 泸溪县文明养犬管理办法

（2022年3月1日泸溪县人民政府第5次常务会议通过　2022年5月1日起施行）

## 第一章 总则

第一条 为了规范养犬行为，制定本办法。

第二条 本办法适用于本县行政区域。

## 第二章 管理

第三条 养犬人应当遵守下列规定：

（一）办理养犬登记；

（二）犬只出户时束犬链。
"""

HEADER_SCAN_LINES = 8
DOCUMENT_FIELDS = {f.name for f in dataclasses.fields(Document)}


def clear_caches() -> None:
    """Forget the per-line memos of the parsing rules (for benchmarks that must start cold)."""
    for cached in (fold_line_for_parsing, despace_line, is_office, is_issuer_line, is_date_line, is_block_line):
        cached.cache_clear()


def parse_text(text: str, source: str) -> list[Document]:
    """Every document in one decoded text file; [] when nothing recognisable is in it."""
    lines = clean_lines(text)
    if not lines:
        return []
    page = read_text_page(lines)
    lines = page.lines or lines
    width = wrap_width(lines)
    sections = split_gazette(lines, width)
    if not sections:
        doc = _single_document(to_paragraphs(lines, width), source, {}, page)
        printed_title = "" if doc is None or doc.metadata_sources.get("title") in FALLBACK_TITLES else doc.title
        return [doc] if doc and says_something(printed_title, doc.text.split("\n")) else []
    if len(sections) == 1:
        complete_title(sections[0].header, lines[:sections[0].header.start])
        return [build_document(sections[0].header, sections[0].body, source, {}, page)]
    gazette = gazette_issue([line.text for line in lines]) or gazette_issue(text.split("\n"))
    toc = read_toc(lines)
    docs: list[Document] = []
    seen: dict[str, int] = {}
    for section in _join_silent_sections(sections):
        doc = build_document(section.header, section.body, source, {"gazette": gazette})
        seen[doc.id] = seen.get(doc.id, 0) + 1
        if seen[doc.id] > 1:
            # the same 文号 printed twice in one file: keep both, with distinct ids
            doc = build_document(section.header, section.body, source,
                                 {"gazette": gazette, "id": f"{doc.id}~{seen[doc.id]}"})
        note = toc_note(doc.title, doc.doc_number, toc)
        if note:
            doc.metadata_sources["toc"] = note
        if not doc.title and doc.doc_number in toc:
            doc.title, doc.metadata_sources["title"] = toc[doc.doc_number], lx.TOC_NAME
            doc.doc_type, doc.issued_title = doc_type_of(doc.title), issued_title_of(doc.title)
        docs.append(doc)
    return docs


_CHINESE = re.compile(r"[\u4e00-\u9fff]")


def says_something(title: str, paragraphs: list[str]) -> bool:
    """True for a document with a title, or a paragraph with Chinese words beyond its outline
    label that is not a 文号, office or date line: a bare 文号 line or an empty `一、` is no document.

    >>> says_something("", ["泸政发〔2021〕1号", "泸溪县人民政府", "2021年1月3日", "第一条 abc", "一、"])
    False
    >>> says_something("", ["泸政发〔2021〕1号", "一、加强领导。"]), says_something("关于春耕的通知", [])
    (True, True)
    """
    if title:
        return True
    for paragraph in paragraphs:
        folded = fold_for_parsing(paragraph)
        label = LABEL.match(folded)
        if (_CHINESE.search(folded[label.end():] if label else folded) and not dn.DOC_NUMBER_LINE.match(folded)
                and not is_office(paragraph) and not is_date_line(paragraph)):
            return True
    return False


def _join_silent_sections(sections: list[Section]) -> list[Section]:
    """The sections that are documents. One that says nothing (a stray 文号 line, with the
    signature above it read as its header) gives its other lines back to the document before it."""
    kept: list[Section] = []
    for section in sections:
        paragraphs = section.header.paragraphs() + section.body
        if says_something(section.header.title, [p.text for p in paragraphs]):
            kept.append(section)
        elif kept:
            kept[-1].body.extend(p for p in paragraphs if not dn.DOC_NUMBER_LINE.match(fold_for_parsing(p.text)))
    return kept


def document_from_body(body: str, *, source: str, known: dict | None = None,
                       heading: str | None = None, source_office: str | None = None) -> Document | None:
    """One document from its plain body text (paragraphs separated by newlines), e.g. extracted from a web page.

    Keys of `known` (Document field names: title, doc_number, offices, date…) override what the text says;
    `heading` (a page's <title>) is the title only when the body prints none; `source_office` (a page's
    来源) is the issuer only when nothing else names one.

    >>> d = document_from_body("各乡镇人民政府：\\n一、加强领导。（责任单位：县应急局）\\n泸溪县人民政府\\n2023年1月13日",
    ...                        source="x.html", known={"title": "关于做好安全生产工作的通知", "doc_number": "泸政函[2023]5号"})
    >>> d.id, d.doc_type, d.date, d.recipients, [u.name for u in d.clauses[0].units]
    ('泸政函-2023-5', '通知', '2023-01-13', ['各乡镇人民政府'], ['县应急管理局'])
    """
    lines = clean_lines(body)
    if not lines:
        return None
    return _single_document(to_paragraphs(lines, wrap_width(lines)), source, dict(known or {}), TextPage(heading=heading,
                                                                                                 source_office=source_office))


def _single_document(paragraphs: list[Paragraph], source: str, known: dict,
                     page: TextPage | None = None) -> Document | None:
    """A document without a gazette header: title from the first lines that name a 文种, 文号 from a line of its own.

    The header is read from the top until the first paragraph that is none of: office name,
    title (a later complete title replaces an earlier one: a page heading, a database's title,
    then the document's own), 文号, bracketed date, or a regulation's 通过/公布/施行 line.
    """
    header = Header()
    body_start = 0
    paragraphs = join_order_cover(paragraphs)
    for p in paragraphs[:HEADER_SCAN_LINES]:
        folded = fold_for_parsing(p.text)
        line = Line(p.text, p.no)
        title_text, number = _title_and_number(p.text)
        if dn.DOC_NUMBER_LINE.match(folded) and header.doc_number_line is None:
            header.doc_number_line = line
        elif is_issuer_line(p.text):
            header.office_lines.append(line)
            header.offices.append(despace(p.text))
        elif header.date_line is None and (is_date_line(p.text) and "（" in folded or (
                header.title_lines and lx.REGULATION_LINE.search(folded) and parse_date(p.text)
                and folded.lstrip().startswith("（"))):
            header.date_line = line
        elif _looks_like_title(title_text) and not header.doc_number_line:
            if number:
                header.doc_number_line = Line(number, p.no)
                line = Line(title_text, p.no)
            header.title_lines = [line]
            header.offices.extend(split_offices(title_text)[0])
        else:
            break
        body_start += 1
    if not header.offices:
        header.offices = _bulletin_issuer(paragraphs[:HEADER_SCAN_LINES])
    recognisable = (header.title_lines or header.doc_number_line or any(LABEL.match(fold_for_parsing(p.text)) for p in paragraphs)
                    or responsibility_table(paragraphs))
    if not (recognisable or known or (page and page.known)):
        return None
    return build_document(header, paragraphs[body_start:], source, known, page)


def join_order_cover(paragraphs: list[Paragraph]) -> list[Paragraph]:
    """The standard cover of a 令 prints its name and its number on two lines (`X市人民政府令` /
    `第 12 号`): one designation line, as a 令 written on one line (`X市人民政府令第12号`).

    >>> [p.text for p in join_order_cover([Paragraph("青川市人民政府令", 1), Paragraph("第 12 号", 3),
    ...                                     Paragraph("现予公布。", 5)])]
    ['青川市人民政府令第12号', '现予公布。']
    """
    for i, (name, serial) in enumerate(pairwise(paragraphs[:HEADER_SCAN_LINES])):
        name_text, serial_text = despace(fold_for_parsing(name.text)), despace(fold_for_parsing(serial.text))
        serial_number = lx.ORDER_SERIAL_LINE.match(serial_text)
        if serial_number and lx.ORDER_NAME_LINE.match(name_text) and is_office(name_text[:-1]):
            designation = lx.ORDER_DESIGNATION.format(name=name_text, n=serial_number["n"])
            return [*paragraphs[:i], Paragraph(designation, name.no), *paragraphs[i + 2:]]
    return paragraphs


def _bulletin_issuer(paragraphs: list[Paragraph]) -> list[str]:
    """The issuer of a bulletin (简报, 督查通报), printed with the date on one header line
    (`寿县人民政府督查室    2022年8月19`).

    >>> _bulletin_issuer([Paragraph("示例县政务督查", 1), Paragraph("示例县人民政府督查室   2022年8月19", 2)])
    ['示例县人民政府督查室']
    """
    for p in paragraphs:
        name, _, rest = p.text.strip().partition(" ")
        if rest and lx.ARABIC_DATE.match(rest.strip()) and is_issuer_line(name):
            return [name]
    return []


def responsibility_table(paragraphs: list[Paragraph]) -> bool:
    """Whether the text holds a table with a responsible-unit column (a task list is a document)."""
    return any(lx.TABLE_UNIT_HEADER.match(despace(cell)) for p in paragraphs if "\t" in p.text
               for cell in p.text.split("\t"))


def _looks_like_title(text: str) -> bool:
    """A short line ending with a 文种 and saying more than the 文种 itself (`关于…的通知`, not `通知`).

    >>> _looks_like_title("泸水县城市绿化管理办法"), _looks_like_title("通知"), _looks_like_title("现通知如下。")
    (True, False, False)
    """
    name = despace(split_offices(text)[1])
    doc_type = doc_type_of(name)
    return bool(doc_type) and len(name) >= len(doc_type) + 3 and len(name) <= 80 and "。" not in fold_for_parsing(name)


# a signature date that lost its 年/月/日 in a web copy (`2023515`, `{ 2017 6 23`): the office above still signs
DAMAGED_DATE = re.compile(r"^[\s{（(]*(?:19|20)\d\d[\s\d]{1,6}$")


def _signature(body: list[Paragraph]) -> tuple[list[str], str | None]:
    """Offices and date of the signature: the first block of office lines followed by a date line;
    else the first date followed by an office title and the signatory's name (`行政長官 賀一誠`, as
    Macao prints it); else, for a signature of a date alone (the office is then named elsewhere),
    the last date line: one in the body (a meeting's date) does not sign the document.

    >>> _signature([Paragraph(t, n) for n, t in enumerate(["现予公布。", "二零二三年十二月十四日", "命令公佈。", "行政長官 賀一誠"])])
    (['行政長官'], '2023-12-14')
    >>> _signature([Paragraph("请认真贯彻执行。", 1), Paragraph("二OO六年二月二十日", 2)])
    ([], '2006-02-20')
    >>> _signature([Paragraph(t, n) for n, t in enumerate(["一、会议时间", "2024年5月10日", "请准时参加。",
    ...                                                    "示例县人民政府办公室", "2024年5月6日"])])
    (['示例县人民政府办公室'], '2024-05-06')
    >>> _signature([Paragraph(t, n) for n, t in enumerate(["会议时间：", "2024年5月10日", "请准时参加。", "2024年5月6日"])])
    ([], '2024-05-06')
    """
    dates = [i for i, p in enumerate(body)
             if is_date_line(p.text) or (DAMAGED_DATE.match(p.text) and i and is_issuer_line(body[i - 1].text))]
    for i in dates:
        offices = []
        j = i - 1
        while j >= 0 and is_issuer_line(body[j].text):
            offices.insert(0, despace(body[j].text))
            j -= 1
        if offices:
            return offices, parse_date(body[i].text)
    for i in dates:
        titles = [title for title in (signing_title(q.text) for q in body[i + 1:i + 3]) if title]
        if titles:
            return titles[:1], parse_date(body[i].text)
    return ([], parse_date(body[dates[-1]].text)) if dates else ([], None)


_BRACKETED_TAIL = re.compile(r"（(?P<inner>[^（）]+)）\s*$")


def _title_and_number(text: str | None) -> tuple[str, str | None]:
    """A title line that carries its 文号: in brackets after it, or glued in front of it.

    >>> _title_and_number("方城县人民政府拟征收土地启动公告(方征启公告﹝2022﹞4号)")
    ('方城县人民政府拟征收土地启动公告', '方征启公告﹝2022﹞4号')
    >>> _title_and_number("鞍立政发〔2023〕2号立山区人民政府关于印发方案的通知")
    ('立山区人民政府关于印发方案的通知', '鞍立政发〔2023〕2号')
    >>> _title_and_number("关于印发《方案(2021-2025年)》的通知")
    ('关于印发《方案(2021-2025年)》的通知', None)
    """
    if not text:
        return "", None
    folded = fold_for_parsing(text)
    tail = _BRACKETED_TAIL.search(folded)
    if tail and tail.start() > 0 and dn.DOC_NUMBER_LINE.match(tail["inner"]):
        return text[:tail.start()].rstrip(), text[tail.start("inner"):tail.end("inner")].strip()
    head = dn.DOC_NUMBER.match(folded.lstrip())
    if head:
        start = len(folded) - len(folded.lstrip())
        rest = text[start + head.end():].strip()
        if doc_type_of(rest):
            return rest, text[start:start + head.end()]
    return text, None


_PLACE_PREFIX = re.compile(r"^[\u4e00-\u9fff]{2,6}：")


def _without_place_prefix(title: str | None) -> str | None:
    """A repost's place tag in front of the title (`北京：关于印发…的通知`) is not part of it."""
    m = _PLACE_PREFIX.match(fold_for_parsing(title or ""))
    if m and despace(title[m.end():]).startswith(lx.TITLE_STARTS):
        return title[m.end():].strip()
    return title


def complete_title(header: Header, above: list[Line]) -> None:
    """A title line cut short (no 文种 at its end) is completed by a page heading above that starts
    with it, as reposts print the full title as their heading."""
    if not header.title_lines or doc_type_of(header.title):
        return
    cut = despace(" ".join(line.text for line in header.title_lines))
    for line in above:
        if doc_type_of(line.text) and despace(line.text).startswith(cut) and len(despace(line.text)) > len(cut):
            header.title_lines = [line]
            return


def _history(header: Header) -> dict:
    """The dates of a header's bracketed date line: `date` (通过, 批准…) and `publish_date` (the one
    followed by 发布/公布), each the first of its kind (`（1991年3月26日…令19号发布）` has only the second);
    a later amendment's date (修订, 修正) is neither.

    >>> _history(Header(date_line=Line("（2005年6月1日市人民政府令第210号公布 根据2012年3月5日市人民政府令第270号修订）", 1)))
    {'publish_date': '2005-06-01'}
    """
    if header.date_line is None:
        return {}
    folded = fold_for_parsing(header.date_line.text)
    dates = list(lx.ARABIC_DATE.finditer(folded)) or list(lx.CHINESE_DATE.finditer(folded))
    found: dict = {}
    for m, nxt in zip(dates, dates[1:] + [None], strict=True):
        act = folded[m.end(): nxt.start() if nxt else len(folded)]
        if lx.AMENDED.search(act):
            continue
        found.setdefault("publish_date" if lx.PUBLISHED.search(act) else "date", parse_date(m.group()))
    return found


def _order_issuer(text: str | None) -> str | None:
    """The government a 令 names (`东莞市人民政府令第123号` → 东莞市人民政府)."""
    m = dn.ORDER_NUMBER.search(fold_for_parsing(text or ""))
    issuer = m and m["prefix"][:-1]
    return issuer if issuer and is_office(issuer) else None


MAX_HEADING_LENGTH = 40


FALLBACK_TITLES = ("published title", "designation", "first heading", "file name")


def _fallback_title(body: list[Paragraph], number_text: str | None, source: str) -> tuple[str, str]:
    """A title for a document that prints none, and where it came from (one of `FALLBACK_TITLES`):
    for a 令, the 规章 its 公布 sentence names; its designation when that names a 文种
    (`第3/2000號…批示`), else its first heading line, else the file name; never empty.

    >>> _fallback_title([Paragraph("2025年重点工作及责任清单", 1)], None, "a/清单.txt")
    ('2025年重点工作及责任清单', 'first heading')
    >>> _fallback_title([Paragraph("《青川市绿化办法》已经市人民政府常务会议通过，现予公布。", 3), Paragraph("市长 王明", 4)],
    ...                 "青川市人民政府令第12号", "a.txt")
    ('青川市绿化办法', 'published title')
    """
    if number_text and dn.ORDER_NUMBER.search(fold_for_parsing(number_text)):
        for p in body[:3]:
            published = lx.PUBLISHED_TITLE.match(fold_for_parsing(p.text).strip())
            if published and lx.PUBLISHED.search(p.text):
                return published["title"], FALLBACK_TITLES[0]
    if number_text and doc_type_of(despace(number_text)):
        return despace(number_text).strip("（）()"), FALLBACK_TITLES[1]
    for p in body[:HEADER_SCAN_LINES]:
        text = p.text.strip().strip("|").strip()
        folded = fold_for_parsing(text)
        if (_CHINESE.search(folded) and len(despace(text)) <= MAX_HEADING_LENGTH and not any(c in folded for c in "，。；：")
                and not is_issuer_line(text) and not is_date_line(text) and not LABEL.match(folded)):
            return despace(text), FALLBACK_TITLES[2]
    return source.rsplit("/", 1)[-1].rsplit(".", 1)[0], FALLBACK_TITLES[3]


MAX_RECIPIENT_NAME = 20


def _is_recipient_name(part: str) -> bool:
    """An organisation name (`县直各单位`), not a clause of a sentence that happens to end like one."""
    return (len(part) <= MAX_RECIPIENT_NAME and part.endswith(lx.RECIPIENT_SUFFIXES)
            and not lx.RECIPIENT_SENTENCE.search(part))


def _recipients(body: list[Paragraph]) -> list[str]:
    """主送机关: a short first paragraph ending with a colon that lists organisation names.

    >>> _recipients([Paragraph("各乡镇人民政府，县直各单位，中央、省、州驻泸和县属有关企业：", 1)])
    ['各乡镇人民政府', '县直各单位', '中央、省、州驻泸和县属有关企业']
    >>> _recipients([Paragraph("为确保安全，结合我县实际，现通告如下：", 1)])
    []
    >>> _recipients([Paragraph("县人民政府决定将下列区域划定为烟花爆竹禁止燃放区：", 1)])
    []
    """
    for p in body[:2]:
        folded = fold_for_parsing(p.text).strip()
        if folded.endswith("：") and "。" not in folded and len(folded) <= 120 and not LABEL.match(folded):
            parts = []
            for part in (despace(x) for x in folded[:-1].replace("；", "，").split("，") if x.strip()):
                pieces = part.split("、")
                parts.extend(pieces if all(_is_recipient_name(x) for x in pieces) else [part])
            return parts if all(_is_recipient_name(part) for part in parts) else []
    return []


def _attachments(body: list[Paragraph]) -> list[str]:
    """附件 names: from the `附件：1.… 2.…` list, else from the `附件N` headers and the name line under each."""
    names: list[str] = []
    for i, p in enumerate(body):
        m = lx.ATTACHMENT_LIST.match(fold_for_parsing(p.text))
        if not m:
            continue
        items = [m["rest"]] + [q.text for q in body[i + 1:i + 20]]
        for n, item in enumerate(items):
            number = lx.ATTACHMENT_ITEM.match(fold_for_parsing(item))
            if n and not number:
                break
            name = item[number.end():] if number else item
            if despace(name):
                names.append(despace(name))
        break
    if not names:
        for i, p in enumerate(body[:-1]):
            if lx.ATTACHMENT_HEADER.match(fold_for_parsing(p.text)):
                names.append(despace(body[i + 1].text))
    return names


def build_document(header: Header, body: list[Paragraph], source: str, known: dict,
                   page: TextPage | None = None) -> Document:
    """The Document for one header and body; `known` fields override what the text gives.

    `metadata_sources` records where each field read from the text came from (the header,
    the signature block, a label of the page's metadata block); fields given in `known` keep
    the sources their giver states. Where the text says a thing twice, the document's own
    words win over the page's: offices come from the signature, else the page's 发布机构,
    else the issuer the title or the 令 names, else the office lines of the header, else the
    page's 来源; the 成文日期 from the signature, else the header (a regulation's 通过 date),
    else the page's 成文日期 when the document has no signature at all.
    """
    page = page or TextPage()
    header_paras = header.paragraphs()
    text = "\n".join(p.text for p in header_paras + body)
    body_start = sum(len(p.text) + 1 for p in header_paras)
    spans = [span for span in paragraph_spans(text) if span[0] >= body_start]
    signature_offices, signature_date = _signature(body)
    history = _history(header)
    header_date = history.get("date")
    effective, period, repeal = validity(text)
    number_text = header.doc_number_line.text if header.doc_number_line else None
    history_number = dn.as_printed(header.date_line.text) if header.date_line else None
    title, title_from = page.known.get("title"), page.sources.get("title")
    if not title and header.title:
        title, title_from = header.title, "header"
    if not title and page.heading:
        title, title_from = page.heading, "page heading"
    if not title:
        title, title_from = _fallback_title(body, number_text, source)
    title, glued_number = _title_and_number(_without_place_prefix(title))
    number_text = number_text or glued_number
    doc_number = (dn.normalize_doc_number(number_text) if number_text else page.known.get("doc_number")) or history_number
    issuer = title_issuer(" ".join(line.text for line in header.title_lines)) or title_issuer(title)
    order_issuer = _order_issuer(number_text) or _order_issuer(header.date_line.text if header.date_line else None)
    offices, offices_from = next(((o, src) for o, src in (
        (signature_offices, "signature"), (page.known.get("offices"), page.sources.get("offices")),
        (issuer, "title"), ([order_issuer] if order_issuer else [], "order"), (header.offices, "header"),
        ([page.source_office] if page.source_office else [], "page source")) if o), ([], None))
    has_signature = bool(signature_offices or signature_date)
    date = signature_date or header_date or (None if has_signature else page.known.get("date"))
    fields = {
        "title": title,
        "doc_number": doc_number,
        "offices": offices,
        "date": date,
        "publish_date": page.known.get("publish_date") or history.get("publish_date"),
        "text": text,
        "source": source,
        "recipients": _recipients(body),
        "attachments": _attachments(body),
        "registration_code": registration_code("\n".join(p.text for p in header_paras + body[:3])),
        "effective_date": effective,
        "validity": period,
        "repeals": repeal,
    }
    sources = {
        "title": title_from,
        "doc_number": ("header" if number_text else page.sources.get("doc_number")) if fields["doc_number"] else None,
        "offices": offices_from,
        "date": ("signature" if signature_date else "header" if header_date else page.sources.get("date")) if date else None,
        "publish_date": page.sources.get("publish_date", "header") if fields["publish_date"] else None,
    }
    sources = {k: v for k, v in sources.items() if v and k not in known}
    sources.update(known.get("metadata_sources") or {})
    fields.update({k: v for k, v in known.items() if k in DOCUMENT_FIELDS and k != "metadata_sources"})
    fields["doc_number"] = dn.normalize_doc_number(fields["doc_number"]) or fields["doc_number"]
    fields["title"] = fields["title"] or ""
    is_order = header.doc_number_line is not None and dn.ORDER_NUMBER.search(fold_for_parsing(header.doc_number_line.text))
    fields.setdefault("doc_type", lx.ORDER_DOC_TYPE if is_order else doc_type_of(fields["title"]))
    fields.setdefault("issued_title", issued_title_of(fields["title"]))
    fields.setdefault("cites", citations(text, fields["doc_number"], (fields["title"], fields["issued_title"])))
    fields.setdefault("id", doc_id_for(fields["doc_number"], fields["title"], fields["date"], fields["text"]))
    fields["metadata_sources"] = sources
    fields["clauses"] = build_clauses(fields["id"], text, spans, _document_year(fields["date"], fields["doc_number"]))
    government = government_of(fields["offices"])
    for clause in fields["clauses"]:
        for unit in clause.units:
            unit.government = government
            unit.name = canonical_unit(unit.as_written, government)
    return Document(**fields)


def _document_year(date: str | None, doc_number: str | None) -> int | None:
    """The year a document speaks from: its 成文日期, else the year in its 文号."""
    if date:
        return int(date[:4])
    return dn.doc_number_year(doc_number)
