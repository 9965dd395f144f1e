"""Government web pages (HTML) → their text and what they show about the document, by structure, not by site.

Three families are read the same way, from the labelled values a page shows:

1. policy-library pages (gov.cn kind): a metadata table of label cells (索引号, 发文机关,
   成文日期, 标题, 发文字号, 发布日期 …) above a content container such as `#UCAP-CONTENT`;
2. 政府信息公开 pages: a block of labelled items (发布机构, 发文日期/生成日期, 文号 …);
3. plain article pages: a title, a byline `发布日期：… 来源：…`, and a body.

The page is decoded (declared charset or not, GB2312/GBK read as GB18030), stripped of
scripts, navigation, footers, share buttons and browser-extension junk, and split into the
fields the page shows (its labelled values, `<meta>` tags, the candidates for its title, in
order of preference, each with its origin) and the body text. Turning the fields into a
document's values is extraction's (`corpus.extract.page_document`).

>>> reading = read_html('''<html><head><meta name="PubDate" content="2023-02-01 09:00"></head>
... <body><div class="nav">首页 > 政策</div><h1>关于做好春节期间安全工作的通知</h1>
... <div class="info">发布日期：2023-01-20　来源：县政府办</div>
... <div id="zoom"><p>各乡镇：</p><p>现将有关事项通知如下。</p></div></body></html>'''.encode(), "a.html")
>>> reading.fields
[('publish_date', '2023-01-20', 'label 发布日期'), ('source_office', '县政府办', 'label 来源'), ('publish_date', '2023-02-01 09:00', 'meta PubDate'), ('title', '关于做好春节期间安全工作的通知', 'h1')]
>>> reading.text
'各乡镇：\\n现将有关事项通知如下。'
"""

from __future__ import annotations

import codecs
import json
import re
from typing import TYPE_CHECKING

from corpus.errors import IngestError
from corpus.labels import EMPTY_VALUES, FIELD_OF, LABEL_ALTERNATION, PAGE_RECORD_FIELDS
from corpus.layout import table_row
from corpus.lexicon import DATA_DIR
from corpus.model import Reading
from corpus.normalize import unwrap_cjk
from corpus.readers.base import Reader
from corpus.readers.text import MAX_TEXT_MB, decode_text

if TYPE_CHECKING:  # bs4 is imported when a page is read: every command imports the readers, few read a page (80 ms)
    from bs4 import BeautifulSoup, Tag

_CONFIG = json.loads((DATA_DIR / "web_labels.json").read_text(encoding="utf-8"))

_LABEL_AT_START = re.compile(rf"^(?:{LABEL_ALTERNATION})\s*(?:[:：]|$)")
_LABEL_WITH_COLON = re.compile(rf"(?P<label>{LABEL_ALTERNATION})\s*[:：]")
_BODY_CONTAINERS = [name.lower() for name in _CONFIG["body_containers"]]
_JUNK_TOKENS = set(_CONFIG["junk_tokens"])
_JUNK_LINES = [re.compile(p) for p in _CONFIG["junk_lines"]]
_TITLE_TOKENS = set(_CONFIG["title_tokens"])
_BYLINE_TAIL = _CONFIG["byline_tail"]

_DROP_TAGS = ["script", "style", "noscript", "iframe", "object", "embed", "svg", "canvas", "template", "input",
              "button", "select", "textarea", "audio", "video", "map", "link", "nav"]
_LANDMARK_TAGS = ["header", "footer", "aside"]
_BLOCK_TAGS = {"address", "article", "aside", "blockquote", "caption", "center", "dd", "div", "dl", "dt", "figcaption",
               "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "ol", "p",
               "pre", "section", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul"}
_SCORE_TAGS = {"article", "blockquote", "body", "dd", "div", "li", "main", "section", "td", "th"}
_META_PUBLISH = ("pubdate", "publishdate", "firstpublishedtime", "publishtime")
_META_TITLE = ("articletitle", "title", "og:title")
_META_URL = ("og:url", "url")
_SAVED_FROM = re.compile(r"saved from url=\(\d+\)\s*(https?://\S+?)\s*-->", re.I)
_SINGLE_BYTE = ("iso8859", "cp125", "latin", "ascii", "mac", "cp437", "cp850")
_DECLARED_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w-]+)""", re.I)
_TITLE_SPLIT = re.compile(r"\s*(?:_|\||｜|\s[-－—–]\s)\s*")
_SOURCE_BREAK = re.compile(r"[ \t\r\n\f\v\xa0\u3000]+")


def _declared_charset(raw: bytes) -> str | None:
    """A multi-byte charset the page declares other than UTF-8 and the GB family (big5…), else None."""
    declared = _DECLARED_CHARSET.search(raw[:4096])
    try:
        name = codecs.lookup(declared.group(1).decode("ascii")).name if declared else ""
    except LookupError:
        return None
    if not name or name in {"utf-8", "gb2312", "gbk", "gb18030"} or name.startswith(_SINGLE_BYTE):
        return None
    return name


def decode_html(raw: bytes, source: str = "<bytes>") -> str:
    """The page as text, whatever charset it declares (pages are often mis-declared).

    UTF-8 and GB18030 (the superset of GB2312 and GBK, so a page declared gb2312 that uses
    GBK-only characters like 镕 still decodes) are tried as for text files, the one that reads
    as Chinese winning (`corpus.readers.text.decode_text`). A single-byte declaration such as
    iso-8859-1, a common server default, is not believed (it would decode any bytes); another
    multi-byte charset the page declares (big5) is tried first. A page with a few broken bytes
    (a character cut in half by an old CMS) is read with them replaced by U+FFFD.

    >>> decode_html('<meta charset="gb2312"><p>朱镕基</p>'.encode("gbk"))
    '<meta charset="gb2312"><p>朱镕基</p>'
    >>> decode_html("<p>通知</p>".encode("gbk")[:-5] + b"</p>")
    '<p>通\ufffd</p>'
    """
    for bom, encoding in ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if raw.startswith(bom):
            return raw[len(bom):].decode(encoding, errors="replace").replace("\x00", "")
    declared = _declared_charset(raw)
    try:
        return raw.decode(declared).replace("\x00", "") if declared else decode_text(raw, source)
    except (UnicodeDecodeError, IngestError):
        pass
    best = min((raw.decode(encoding, errors="replace") for encoding in ("gb18030", "utf-8", declared or "gb18030")),
               key=lambda text: text.count("\ufffd"))
    if best.count("\ufffd") > max(2, len(raw) // 1000):
        raise IngestError(source, "无法按 UTF-8、GB18030 或网页声明的编码解码")
    return best.replace("\x00", "")


def _norm_label(label: str) -> str:
    return re.sub(r"\s+", "", label)


def _tokens(tag: Tag) -> list[str]:
    values = [tag.get("id") or ""] + list(tag.get("class") or [])
    return [token.lower() for value in values for token in re.split(r"[\s_\-]+", value) if token]


def _whole_names(tag: Tag) -> list[str]:
    return [value.lower() for value in [tag.get("id") or ""] + list(tag.get("class") or []) if value]


def _is_body_candidate(tag: Tag) -> bool:
    return any(name in _BODY_CONTAINERS for name in _whole_names(tag))


def _protected(tag: Tag) -> bool:
    """A junk-looking wrapper that holds the title, the metadata block or the body is kept."""
    if tag.find("h1") or _is_body_candidate(tag) or tag.find(_is_body_candidate):
        return True
    text = tag.get_text(" ")
    return len({m["label"] for m in _LABEL_WITH_COLON.finditer(text)}) >= 2


def _extension_junk(tag: Tag) -> bool:
    if "-" in tag.name:
        return True
    return any("-extension://" in str(value) for value in tag.attrs.values())


def _hidden(tag: Tag) -> bool:
    style = re.sub(r"\s+", "", str(tag.get("style") or "")).lower()
    return "display:none" in style or "visibility:hidden" in style or tag.has_attr("hidden")


def _junk(tag: Tag) -> bool:
    if _extension_junk(tag) or _hidden(tag):
        return True
    landmark = tag.name in _LANDMARK_TAGS or _JUNK_TOKENS.intersection(_tokens(tag))
    return bool(landmark) and not _protected(tag)


def _strip_junk(soup: BeautifulSoup) -> None:
    from bs4 import Comment, Declaration, Doctype, ProcessingInstruction

    for node in soup.find_all(string=lambda s: isinstance(s, (Comment, Declaration, Doctype, ProcessingInstruction))):
        node.extract()
    for tag in soup.find_all(_DROP_TAGS):
        tag.decompose()
    # junk is chosen on the whole tree, then removed: bs4's `Tag.decomposed` searches the tag's
    # subtree, which made this loop quadratic on deeply nested pages
    junk: list[Tag] = []
    inside_junk: set[int] = set()
    for tag in soup.find_all(True):
        if id(tag.parent) in inside_junk:
            inside_junk.add(id(tag))
        elif tag.name not in {"html", "body"} and _junk(tag):
            inside_junk.add(id(tag))
            junk.append(tag)
    for tag in junk:
        tag.decompose()


def _is_data_table(table: Tag) -> bool:
    rows = table.find_all("tr")
    return not table.find("table") and any(len(r.find_all(["td", "th"], recursive=False)) >= 2 for r in rows)


def _clean_line(text: str) -> str:
    return _SOURCE_BREAK.sub(" ", unwrap_cjk(text)).strip()


def page_lines(root: Tag) -> list[str]:
    """The visible text of an element as lines: one per block or `<br>`, a data table one line per row.

    >>> from bs4 import BeautifulSoup
    >>> page_lines(BeautifulSoup("<div><p>一、总体要求</p>正文<br>续<table><tr><td>单位</td>"
    ...     "<td>时限</td></tr></table></div>", "lxml"))
    ['一、总体要求', '正文', '续', '单位\\t时限']
    """
    from bs4 import NavigableString

    lines: list[str] = []
    buffer: list[str] = []

    def flush():
        line = _clean_line("".join(buffer))
        buffer.clear()
        if line and not any(p.search(line) for p in _JUNK_LINES):
            lines.append(line)

    # an explicit stack of (children still to read, whether the element is a block), not recursion:
    # pages nest thousands of elements deep
    stack = [(iter(root.children), False)]
    while stack:
        children, block = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            if block:
                flush()
        elif isinstance(child, NavigableString):
            buffer.append(str(child))
        elif child.name == "br":
            flush()
        elif child.name == "table" and _is_data_table(child):
            flush()
            for row in child.find_all("tr"):
                cells = [" ".join(page_lines(cell)) for cell in row.find_all(["td", "th"], recursive=False)]
                if any(cells):
                    lines.append(table_row(cells))
        else:
            block = child.name in _BLOCK_TAGS
            if block:
                flush()
            stack.append((iter(child.children), block))
    flush()
    return lines


def _segments(lines: list[str]) -> list[str]:
    return [cell.strip() for line in lines for cell in line.split("\t") if cell.strip()]


def labelled_values(segments: list[str]) -> list[tuple[str, str]]:
    """(label, value) pairs of a metadata block: `label：value` items, or a label cell then its value cell.

    >>> labelled_values(["索 引 号：", "000014349/2021-00050", "发文机关：", "国务院", "标题", "关于…的通知",
    ...                  "发布日期：2023-01-05 | 来源：县政府办", "正文"])
    [('索引号', '000014349/2021-00050'), ('发文机关', '国务院'), ('标题', '关于…的通知'), ('发布日期', '2023-01-05'), ('来源', '县政府办')]
    """
    pairs = []
    i = 0
    while i < len(segments):
        segment = segments[i]
        if not _LABEL_AT_START.match(segment):
            i += 1
            continue
        matches = list(_LABEL_WITH_COLON.finditer(segment))
        rest = _LABEL_AT_START.sub("", segment, count=1).strip()
        if not rest:
            label = _norm_label(re.sub(r"[:：]", "", segment))
            nxt = segments[i + 1] if i + 1 < len(segments) else ""
            has_value = nxt and not _LABEL_AT_START.match(nxt)
            pairs.append((label, nxt if has_value else ""))
            i += 2 if has_value else 1
            continue
        for m, following in zip(matches, matches[1:] + [None], strict=True):
            value = segment[m.end(): following.start() if following else len(segment)]
            pairs.append((_norm_label(m["label"]), re.sub(rf"^{_BYLINE_TAIL}|{_BYLINE_TAIL}$", "", value.strip()).strip()))
        i += 1
    return pairs


def _is_metadata_line(line: str) -> bool:
    return bool(_LABEL_AT_START.match(line.split("\t")[0].strip()))


def _find_body(soup: BeautifulSoup) -> Tag:
    """The content container: a known container name (by priority), else the element most text hangs on."""
    page_size = len(soup.get_text(strip=True))
    named = [t for t in soup.find_all(_is_body_candidate) if len(t.get_text(strip=True)) >= max(20, page_size / 5)]
    if named:
        def rank(tag: Tag):
            priority = min(_BODY_CONTAINERS.index(n) for n in _whole_names(tag) if n in _BODY_CONTAINERS)
            return priority, -len(tag.get_text(strip=True))

        return min(named, key=rank)
    scores: dict[int, tuple[Tag, int]] = {}
    for text in soup.find_all(string=True):
        length = len(text.strip())
        holder = text.find_parent(_SCORE_TAGS)
        if not length or holder is None:
            continue
        if holder.name != "body" and not holder.find(_BLOCK_TAGS) and holder.parent is not None:
            holder = holder.parent
        tag, score = scores.get(id(holder), (holder, 0))
        scores[id(holder)] = (tag, score + length)
    if not scores:
        return soup.body or soup
    return max(scores.values(), key=lambda item: item[1])[0]


def _meta(soup: BeautifulSoup, names: tuple[str, ...]) -> tuple[str, str] | None:
    for name in names:
        for tag in soup.find_all("meta"):
            key = (tag.get("name") or tag.get("property") or "").lower()
            if key == name and (tag.get("content") or "").strip():
                return tag.get("name") or tag.get("property"), tag["content"].strip()
    return None


def _source_url(soup: BeautifulSoup, text: str) -> tuple[str, str] | None:
    canonical = soup.find("link", rel="canonical", href=re.compile(r"^https?://"))
    if canonical:
        return canonical["href"], "canonical link"
    meta = _meta(soup, _META_URL)
    if meta and re.match(r"https?://", meta[1]):
        return meta[1], f"meta {meta[0]}"
    saved = _SAVED_FROM.search(text[:2048])
    if saved:
        return saved.group(1), "saved-from comment"
    return None


def _heading_title(soup: BeautifulSoup, body: Tag) -> tuple[str, str] | None:
    """The title the page shows: its first `<h1>`, else the heading or title-classed element
    nearest before the body (or first inside it). Link-only headings (site logos) are skipped."""
    def text_of(tag: Tag) -> str:
        text = "".join(page_lines(tag))
        linked = "".join(a.get_text(strip=True) for a in tag.find_all("a"))
        return text if 4 <= len(text) <= 120 and len(linked) < len(text) and not _is_metadata_line(text) else ""

    for tag in soup.find_all("h1"):
        if text := text_of(tag):
            return text, "h1"
    order = {id(tag): i for i, tag in enumerate(soup.find_all(True))}
    body_at = order[id(body)]
    inside = {id(tag) for tag in body.find_all(True)}
    around = {id(tag) for tag in body.parents}
    candidates = [tag for tag in soup.find_all(True) if (
        tag.name in {"h2", "h3"} or _TITLE_TOKENS.intersection(_tokens(tag) + _whole_names(tag))) and text_of(tag)]
    before = [tag for tag in candidates if order[id(tag)] < body_at and id(tag) not in around]
    within = [tag for tag in candidates if id(tag) in inside]
    best = before[-1] if before else within[0] if within else None
    if best is None:
        return None
    return text_of(best), best.name if best.name in {"h2", "h3"} else "title element"


def _labelled_fields(lines: list[str]) -> list[tuple[str, str, str]]:
    """(field, value, origin) of the labelled values of a metadata block, in page order."""
    return [(PAGE_RECORD_FIELDS.get(FIELD_OF[label], FIELD_OF[label]), value, f"label {label}")
            for label, value in labelled_values(_segments(lines)) if FIELD_OF.get(label) and value not in EMPTY_VALUES]


def _split_metadata(header: list[str], body: list[str]) -> tuple[list[str], list[str], str | None]:
    """Move a byline/metadata block at the top of the body to the header; also return the line before it.

    Only a block after at most a title (two short lines that do not end with a colon) counts,
    so the 时间：/地点： lines of a meeting notice stay in its body.
    """
    lead = next((i for i, line in enumerate(body[:3]) if _is_metadata_line(line)), None)
    if lead is not None and any(len(line) > 80 or line.endswith((":", "：")) for line in body[:lead]):
        lead = None
    if lead is None:
        byline = next((i for i, line in enumerate(header) if _is_metadata_line(line)), None)
        return header, body, header[byline - 1] if byline else None
    cut = lead
    while cut < len(body) and _is_metadata_line(body[cut]):
        cut += 1
    return header + body[:cut], body[cut:], body[lead - 1] if lead else None


def read_html(raw: bytes, source: str) -> Reading:
    """A page's body text and the fields it shows (see the module doc)."""
    from bs4 import BeautifulSoup

    text = decode_html(raw, source)
    soup = BeautifulSoup(text, "lxml")
    url = _source_url(soup, text)
    meta_date = _meta(soup, _META_PUBLISH)
    meta_title = _meta(soup, _META_TITLE)
    html_title = soup.title.get_text(strip=True) if soup.title else ""
    if soup.head:
        soup.head.decompose()
    _strip_junk(soup)

    body_tag = _find_body(soup)
    total = len(body_tag.get_text(strip=True))
    linked = sum(len(a.get_text(strip=True)) for a in body_tag.find_all("a"))
    if total and linked > total / 2:
        raise IngestError(source, "没有可识别的公文：这是一个链接列表页")
    body = page_lines(body_tag)
    heading = _heading_title(soup, body_tag)
    body_tag.replace_with(soup.new_string("\x00"))
    around = page_lines(soup.body or soup)
    header = around[: around.index("\x00")] if "\x00" in around else around
    header, body, line_before_byline = _split_metadata(header, body)

    fields = _labelled_fields(header)
    if meta_date:
        fields.append(("publish_date", meta_date[1], f"meta {meta_date[0]}"))
    if url:
        fields.append(("source_url", *url))
    for candidate in (heading, (line_before_byline, "line before byline"),
                      (meta_title[1], f"meta {meta_title[0]}") if meta_title else None,
                      (_TITLE_SPLIT.split(html_title)[0], "title tag") if html_title else None):
        if candidate and candidate[0] and ("title", candidate[0]) not in {field[:2] for field in fields}:
            fields.append(("title", *candidate))
    return Reading(source=source, text="\n".join(body), fields=fields)


def _is_page(raw: bytes, suffix: str) -> bool:
    head = raw[:4096].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<body" in head or b"<div" in head


READER = Reader("html", frozenset({".html", ".htm", ".shtml", ".xhtml"}), read_html, sniff=_is_page,
                max_mb=MAX_TEXT_MB)
