"""A reader's `Reading` → documents: where reading a format ends and extraction begins.

Text without fields (a text file, a PDF, a Word file) goes to the text parser (`corpus.text`),
which finds one document or a gazette of many. A web page's fields (`Reading.fields`, from
`corpus.readers.html`) become values here: dates and 文号 are read, joint issuers in one cell
split, a site's name never taken for the title; values the page shows win over what its body
text says, and where each value came from is kept in `Document.metadata_sources`. 成文日期
(`date`) and 发布日期 (`publish_date`) are never confused: an old document republished online
keeps both. As in the gazettes, the title drops the issuing offices in front of it (国务院关于…
→ 关于…).

>>> reading = Reading("a.html", "各乡镇：\\n现将有关事项通知如下。\\n泸溪县人民政府\\n2023年1月18日", [
...     ("publish_date", "2023-01-20 09:00", "label 发布日期"), ("title", "泸溪县人民政府", "title tag"),
...     ("title", "关于做好春节期间安全工作的通知", "h1")])
>>> [doc] = documents_from(reading)
>>> doc.title, doc.offices, doc.date, doc.publish_date
('关于做好春节期间安全工作的通知', ['泸溪县人民政府'], '2023-01-18', '2023-01-20')
>>> doc.metadata_sources["title"], doc.metadata_sources["date"]
('h1', 'body text')
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from corpus.docnumber import normalize_doc_number
from corpus.errors import IngestError
from corpus.lexicon import TITLE_STARTS
from corpus.metadata import is_issuer_line, parse_date, split_issuer
from corpus.model import Document, Reading
from corpus.text import document_from_body, parse_text

_TEXT_FIELDS = ("title", "doc_number", "offices", "date")
_WEAK_TITLE_SOURCES = ("title tag", "meta ")
_SITE_NAME_TRIM = " -_|｜—–－"
_OFFICE_SEPARATORS = re.compile(r"[、，,；;\s]+")


def documents_from(reading: Reading) -> list[Document]:
    """The documents of one file as its reader read it; raises IngestError when there are none."""
    docs = parse_text(reading.text, reading.source) if reading.fields is None else [page_document(reading)]
    if not docs:
        raise IngestError(reading.source, "没有可识别的公文")
    return docs


@dataclass
class WebPage:
    """What a page shows, as values: its title, labelled fields (`known`), their origins, and the body text."""

    title: str | None
    body: str
    known: dict = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)


def cell_offices(value: str) -> list[str]:
    """Joint issuers written in one cell.

    >>> cell_offices("国务院办公厅、中央军委办公厅"), cell_offices("国务院 中央军委")
    (['国务院办公厅', '中央军委办公厅'], ['国务院', '中央军委'])
    """
    return [part for part in _OFFICE_SEPARATORS.split(value) if part]


_CONVERT = {"date": parse_date, "publish_date": parse_date, "offices": cell_offices,
            "doc_number": normalize_doc_number}


def _usable_title(value: str) -> bool:
    """Any title but a site's name (`XX县人民政府-`)."""
    return not is_issuer_line(value.strip(_SITE_NAME_TRIM))


def web_page(reading: Reading) -> WebPage:
    """The page's fields as values: the first usable value of each field wins.

    >>> page = web_page(Reading("a.html", "关于春耕的通知\\n各乡镇：", [("date", "无日期", "label 成文日期"),
    ...     ("date", "2023年1月18日", "label 发文日期"), ("title", "关于春耕的通知", "h1")]))
    >>> page.known, page.sources, page.title, page.body
    ({'date': '2023-01-18'}, {'date': 'label 发文日期', 'title': 'h1'}, '关于春耕的通知', '各乡镇：')
    """
    known: dict = {}
    sources: dict[str, str] = {}
    for name, value, origin in reading.fields or []:
        if name in known:
            continue
        value = _CONVERT.get(name, str.strip)(value) if name != "title" or _usable_title(value) else None
        if value:
            known[name], sources[name] = value, origin
    title = known.pop("title", None)
    body = reading.text.splitlines()
    while body and title and _same_text(body[0], title):
        body.pop(0)
    return WebPage(title=title, body="\n".join(body), known=known, sources=sources)


def _same_text(a: str, b: str) -> bool:
    return re.sub(r"\s", "", a) == re.sub(r"\s", "", b)


def title_without_issuer(title: str, offices: list[str]) -> str:
    """The title without the issuing offices in front, as the gazettes print it: the page's
    offices first (国务院 is too short to be recognised as an office on its own), else any
    office name `corpus.metadata.split_issuer` recognises.

    >>> title_without_issuer("国务院 中央军委关于进一步加强人民防空工作的决定", ["国务院", "中央军委"])
    '关于进一步加强人民防空工作的决定'
    >>> title_without_issuer("泸溪县人民政府办公室关于做好春耕工作的通知", ["县政府办"])
    '关于做好春耕工作的通知'
    >>> title_without_issuer("泸溪县文明养犬管理办法", ["泸溪县人民政府"])
    '泸溪县文明养犬管理办法'
    """
    rest = title
    for office in offices:
        rest = rest.lstrip(" \u3000、")
        if rest.startswith(office):
            rest = rest[len(office):]
    rest = rest.lstrip(" \u3000、")
    if rest != title and rest.startswith(TITLE_STARTS):
        return rest
    issuers, without = split_issuer(title)
    return without if issuers else title


def page_document(reading: Reading) -> Document:
    """The document a government web page publishes (one page, one document)."""
    source = reading.source
    page = web_page(reading)
    if not page.body.strip():
        raise IngestError(source, "网页中没有公文正文")
    known = dict(page.known)
    source_office = known.pop("source_office", None)
    page.sources.pop("source_office", None)
    # a <title> or <meta> title is the site's wording: the title the document prints in its body wins
    weak = page.sources.get("title", "").startswith(_WEAK_TITLE_SOURCES)
    if page.title and not weak:
        known["title"] = page.title
    doc = document_from_body(page.body, source=source, known=known, heading=page.title if weak else None,
                             source_office=source_office)
    if weak and doc is not None and doc.metadata_sources.get("title") == "header":
        page.sources.pop("title")
    if doc is None or not (doc.title or doc.doc_number):
        raise IngestError(source, "没有可识别的公文：网页上既没有标题也没有文号")
    title = title_without_issuer(doc.title, doc.offices)
    if title != doc.title:
        known["title"] = title
        doc = document_from_body(page.body, source=source, known=known, source_office=source_office)
    from_text = {name: "body text" for name in _TEXT_FIELDS if getattr(doc, name) and name not in page.sources}
    doc.metadata_sources = {**doc.metadata_sources, **from_text, **page.sources}
    return doc
