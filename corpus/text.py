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

from corpus import docnumber as dn
from corpus import lexicon as lx
from corpus.clauses import build_clauses, paragraph_spans
from corpus.gazette import Header, Section, read_toc, split_gazette, toc_note
from corpus.metadata import (
    citations,
    doc_type_of,
    is_date_line,
    is_office,
    issued_title_of,
    parse_date,
    registration_code,
    split_offices,
    validity,
)
from corpus.model import Document, doc_id_for
from corpus.normalize import despace, fold_for_parsing, fold_line_for_parsing
from corpus.outline import LABEL
from corpus.paragraphs import Line, Paragraph, clean_lines, gazette_issue, is_block_line, to_paragraphs, wrap_width

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
    for cached in (fold_line_for_parsing, is_office, is_date_line, is_block_line):
        cached.cache_clear()


def parse_text(text: str, source: str) -> list[Document]:
    """Every document in one decoded text file; [] when nothing recognisable is in it."""
    lines = clean_lines(text)
    if not lines:
        return []
    width = wrap_width(lines)
    sections = split_gazette(lines, width)
    if not sections:
        doc = _single_document(to_paragraphs(lines, width), source, {})
        return [doc] if doc and says_something(doc.title, doc.text.split("\n")) else []
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


def document_from_body(body: str, *, source: str, known: dict | None = None) -> Document | None:
    """One document from its plain body text (paragraphs separated by newlines), e.g. extracted from a web page.

    Keys of `known` (Document field names: title, doc_number, offices, date…) override what the text says.

    >>> d = document_from_body("各乡镇人民政府：\\n一、加强领导。（责任单位：县应急局）\\n泸溪县人民政府\\n2023年1月13日",
    ...                        source="x.html", known={"title": "关于做好安全生产工作的通知", "doc_number": "泸政函[2023]5号"})
    >>> d.id, d.doc_type, d.date, d.recipients, [u.name for u in d.clauses[0].units]
    ('泸政函-2023-5', '通知', '2023-01-13', ['各乡镇人民政府'], ['县应急管理局'])
    """
    lines = clean_lines(body)
    if not lines:
        return None
    return _single_document(to_paragraphs(lines, wrap_width(lines)), source, dict(known or {}))


def _single_document(paragraphs: list[Paragraph], source: str, known: dict) -> Document | None:
    """A document without a gazette header: title from the first lines that name a 文种, 文号 from a line of its own.

    The header is read from the top until the first paragraph that is none of: office name,
    title, 文号, bracketed date, or a regulation's 通过/公布/施行 line.
    """
    header = Header()
    has_title = bool(known.get("title"))
    body_start = 0
    for p in paragraphs[:HEADER_SCAN_LINES]:
        folded = fold_for_parsing(p.text)
        line = Line(p.text, p.no)
        if dn.DOC_NUMBER_LINE.match(folded) and header.doc_number_line is None:
            header.doc_number_line = line
        elif is_office(p.text) and not header.title_lines:
            header.office_lines.append(line)
            header.offices.append(despace(p.text))
        elif header.date_line is None and (is_date_line(p.text) and "（" in folded or (
                header.title_lines and lx.REGULATION_LINE.search(folded) and parse_date(p.text)
                and folded.lstrip().startswith("（"))):
            header.date_line = line
        elif not has_title and not header.title_lines and _looks_like_title(p.text):
            header.title_lines.append(line)
            header.offices.extend(split_offices(p.text)[0])
        else:
            break
        body_start += 1
    recognisable = header.title_lines or header.doc_number_line or any(LABEL.match(fold_for_parsing(p.text)) for p in paragraphs)
    if not (recognisable or known):
        return None
    return build_document(header, paragraphs[body_start:], source, known)


def _looks_like_title(text: str) -> bool:
    """A short line ending with a 文种 and saying more than the 文种 itself (`关于…的通知`, not `通知`).

    >>> _looks_like_title("泸水县城市绿化管理办法"), _looks_like_title("通知"), _looks_like_title("现通知如下。")
    (True, False, False)
    """
    name = despace(split_offices(text)[1])
    doc_type = doc_type_of(name)
    return bool(doc_type) and len(name) >= len(doc_type) + 3 and len(name) <= 80 and "。" not in fold_for_parsing(name)


def _signature(body: list[Paragraph]) -> tuple[list[str], str | None]:
    """Offices and date of the first signature block (office lines followed by a date line)."""
    for i, p in enumerate(body):
        if is_date_line(p.text):
            offices = []
            j = i - 1
            while j >= 0 and is_office(body[j].text):
                offices.insert(0, despace(body[j].text))
                j -= 1
            if offices:
                return offices, parse_date(p.text)
    return [], None


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


def build_document(header: Header, body: list[Paragraph], source: str, known: dict) -> Document:
    """The Document for one header and body; `known` fields override what the text gives.

    `metadata_sources` records where each field read from the text came from (the header,
    the signature block); fields given in `known` keep the sources their giver states.
    """
    header_paras = header.paragraphs()
    text = "\n".join(p.text for p in header_paras + body)
    body_start = sum(len(p.text) + 1 for p in header_paras)
    spans = [span for span in paragraph_spans(text) if span[0] >= body_start]
    signature_offices, signature_date = _signature(body)
    header_date = parse_date(header.date_line.text) if header.date_line else None
    effective, period, repeal = validity(text)
    fields = {
        "title": header.title,
        "doc_number": dn.normalize_doc_number(header.doc_number_line.text) if header.doc_number_line else None,
        "offices": header.offices or signature_offices,
        "date": header_date or signature_date,
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
        "title": "header" if fields["title"] else None,
        "doc_number": "header" if fields["doc_number"] else None,
        "offices": ("header" if header.offices else "signature") if fields["offices"] else None,
        "date": ("header" if header_date else "signature") if fields["date"] else None,
    }
    sources = {k: v for k, v in sources.items() if v and k not in known}
    sources.update(known.get("metadata_sources") or {})
    fields.update({k: v for k, v in known.items() if k in DOCUMENT_FIELDS and k != "metadata_sources"})
    fields["doc_number"] = dn.normalize_doc_number(fields["doc_number"]) or fields["doc_number"]
    fields["title"] = fields["title"] or ""
    fields.setdefault("doc_type", doc_type_of(fields["title"]))
    fields.setdefault("issued_title", issued_title_of(fields["title"]))
    fields.setdefault("cites", citations(text, fields["doc_number"], (fields["title"], fields["issued_title"])))
    fields.setdefault("id", doc_id_for(fields["doc_number"], fields["title"], fields["date"], fields["text"]))
    fields["metadata_sources"] = sources
    fields["clauses"] = build_clauses(fields["id"], text, spans, _document_year(fields["date"], fields["doc_number"]))
    return Document(**fields)


def _document_year(date: str | None, doc_number: str | None) -> int | None:
    """The year a document speaks from: its 成文日期, else the year in its 文号."""
    if date:
        return int(date[:4])
    return dn.doc_number_year(doc_number)
