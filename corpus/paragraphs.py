"""From raw text to paragraphs: page furniture removed, hard wraps joined, line numbers kept.

Two layouts are told apart by the line widths: one paragraph per line (widths all over
the place) or hard-wrapped at a fixed column (most lines the same width, a paragraph
ends on a shorter line).

>>> lines = clean_lines("一、总体要求\\n\\n·· 3\\n\\n泸溪县人民政府公报 2023年第 1期（总第 57期）\\n\\n（一）加强领导。")
>>> [line.text for line in lines]
['一、总体要求', '（一）加强领导。']
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from corpus import docnumber as dn
from corpus import lexicon as lx
from corpus.metadata import doc_type_of, is_date_line, is_office, normalize_gazette
from corpus.normalize import MAX_CACHED_LINE, display_width, ends_sentence, fold_for_parsing, join_wrapped
from corpus.outline import DUPLICATED_ARTICLE, LABEL

PAGE_NUMBER = re.compile(r"^[·•\-—\s]*\d{1,3}[·•\-—\s]*$")
DOTTED_PAGE_NUMBER = re.compile(r"^[·•]+\s*\d{1,3}\s*$")
# markup left in a copied page (`</p><p align="left">`): never part of the text
HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]{0,300})?/?>")
LABELLED_LINE = re.compile(r"^\s*[\u4e00-\u9fff]{2,8}\s*：")
MARKDOWN_PREFIX = re.compile(r"^\s*(?:#{1,6}\s+|>\s*|[*_]{2})")
MARKDOWN_SUFFIX = re.compile(r"[*_]{2}\s*$")


@dataclass
class Line:
    """A non-blank source line, stripped; `indented` when the source line began with spaces (a new text block)."""

    text: str
    no: int
    indented: bool = False


@dataclass
class Paragraph:
    """One paragraph as printed (wraps joined) and the source line it starts on."""

    text: str
    no: int


def running_header(text: str) -> str | None:
    """The normalised gazette issue if `text` is a running page header such as `2023年第 1期（总第 57期） 泸溪县人民政府公报`."""
    folded = fold_for_parsing(text.strip())
    if len(folded) > 60 or not lx.GAZETTE_ISSUE.search(folded):
        return None
    return normalize_gazette(folded)


def gazette_issue(lines: list[str]) -> str | None:
    """The gazette issue named anywhere in the text: a running header, or a masthead name above an issue line."""
    for i, line in enumerate(lines):
        found = running_header(line)
        if found:
            return found
        if lx.GAZETTE_ISSUE.match(fold_for_parsing(line.strip())):
            for above in reversed(lines[max(0, i - 3): i]):
                found = normalize_gazette(f"{above} {line}")
                if found:
                    return found
    return None


def _is_title(folded: str) -> bool:
    """A short line without sentence punctuation that ends with a 文种 (`…实施方案`)."""
    return len(folded) <= 40 and not any(p in folded for p in "，。；：") and doc_type_of(folded) is not None


def _is_prose(text: str) -> bool:
    return len(text) >= 12 and "\t" not in text and "|" not in text and any(p in fold_for_parsing(text) for p in "，。；、")


def clean_lines(text: str) -> list[Line]:
    """Non-blank lines without page numbers or running headers; a word repeated across a removed page break is dropped."""
    raw = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kept: list[Line] = []
    furniture_since_last = False
    for no, line in enumerate(raw, 1):
        stripped = line.strip()
        if not stripped:
            continue
        if DOTTED_PAGE_NUMBER.match(stripped) or running_header(stripped):
            furniture_since_last = True
            continue
        stripped = MARKDOWN_SUFFIX.sub("", MARKDOWN_PREFIX.sub("", stripped)).strip() or stripped
        if "<" in stripped:
            stripped = HTML_TAG.sub("", stripped).strip()
            if not stripped:
                continue
        stripped = DUPLICATED_ARTICLE.sub(r"\1", stripped)
        if furniture_since_last and kept:
            stripped = _drop_repeated_word(kept[-1].text, stripped)
        furniture_since_last = False
        kept.append(Line(stripped, no, line[:1].isspace()))
    return [line for i, line in enumerate(kept) if not _bare_page_number(kept, i)]


def _drop_repeated_word(before: str, after: str) -> str:
    """`…推进风电` + `风电和光伏…` across a page break → `和光伏…`."""
    for k in range(min(6, len(before), len(after) - 1), 1, -1):
        if before[-k:] == after[:k] and not before[-k:].isdigit():
            return after[k:]
    return after


def _bare_page_number(lines: list[Line], i: int) -> bool:
    """A bare number between two prose lines is a page number, not a table cell."""
    if not PAGE_NUMBER.match(lines[i].text) or i == 0 or i + 1 >= len(lines):
        return False
    return _is_prose(lines[i - 1].text) and _is_prose(lines[i + 1].text)


def wrap_width(lines: list[Line]) -> int | None:
    """The column a hard-wrapped text is wrapped at (display width), or None for one-paragraph-per-line text."""
    widths = [display_width(line.text) for line in lines if _is_prose(line.text)]
    if len(widths) < 20:
        return None
    counts = Counter(widths)
    mode, _ = counts.most_common(1)[0]
    near = sum(n for w, n in counts.items() if mode - 3 <= w <= mode + 2)
    return mode if near / len(widths) >= 0.4 else None


def starts_label(text: str) -> bool:
    return bool(LABEL.match(fold_for_parsing(text)))


@lru_cache(maxsize=8192)
def is_block_line(text: str) -> bool:
    """Lines that always stand alone: 文号, dates, office names, 附件 headers and lists, table rows."""
    folded = fold_for_parsing(text)
    return bool(
        dn.DOC_NUMBER_LINE.match(folded) or is_date_line(text) or is_office(text)
        or lx.ATTACHMENT_HEADER.match(folded) or lx.ATTACHMENT_LIST.match(folded)
        or lx.REGISTRATION_CODE.fullmatch(folded.strip()) or "\t" in text or "|" in text
    )


def to_paragraphs(lines: list[Line], width: int | None) -> list[Paragraph]:
    """Join hard-wrapped lines into paragraphs (`width` from `wrap_width`, None for one paragraph per line)."""
    paragraphs: list[Paragraph] = []
    prev: Line | None = None
    for line in lines:
        if prev is not None and paragraphs and _continues(prev.text, line.text, paragraphs[-1].text, width):
            paragraphs[-1].text = join_wrapped(paragraphs[-1].text, line.text)
        else:
            paragraphs.append(Paragraph(line.text, line.no))
        prev = line
    return paragraphs


def _continues(prev: str, cur: str, paragraph: str, width: int | None) -> bool:
    folded_prev = fold_for_parsing(prev).rstrip()
    # the 附件： a list starts with is at the paragraph's start: folding its whole length for every line
    # joined to it cost a tenth of the parse
    in_attachment_list = bool(lx.ATTACHMENT_LIST.match(fold_for_parsing(paragraph[:MAX_CACHED_LINE])))
    if is_block_line(cur) or (is_block_line(prev) and not in_attachment_list) or folded_prev.endswith("："):
        return False
    if in_attachment_list and lx.ATTACHMENT_ITEM.match(fold_for_parsing(cur)):
        return False
    label = LABEL.match(fold_for_parsing(cur))
    heading_line = starts_label(prev) and not any(p in folded_prev for p in "，。；")
    if label and (label.lastgroup in ("chapter", "section", "article") or ends_sentence(prev) or in_attachment_list
                  or heading_line):
        return False
    if width is not None:
        # a line cut mid-sentence continues even when punctuation squeezing left it short,
        # unless it is a title standing on its own (an embedded 方案's name)
        if ends_sentence(prev) or _is_title(folded_prev):
            return display_width(prev) >= width - 3
        return display_width(prev) >= width * 3 // 4
    if ends_sentence(prev) or not _is_prose(prev) or (starts_label(prev) and "。" not in folded_prev):
        return False
    # a labelled line (`主要协作单位：…`, `监督方式：…`) stands alone in one-paragraph-per-line text
    return not label and not LABELLED_LINE.match(fold_for_parsing(cur))
