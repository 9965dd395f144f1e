"""Split a gazette (政府公报) into its documents: headers found from their 文号 lines.

Each document is anchored on a line holding only its 发文字号; the header above it
(issuing offices, a title wrapped over one or more lines, a bracketed date) is read
upwards from there. The masthead and table of contents are dropped, and a body that
the page layout printed before its own header is given back to its document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise

from corpus import docnumber as dn
from corpus import lexicon as lx
from corpus.clauses import read_label
from corpus.metadata import (
    doc_type_of,
    is_date_line,
    is_issuer_line,
    is_office,
    issuer_mark,
    signing_title,
    split_issuer,
    split_offices,
)
from corpus.normalize import despace, ends_sentence, fold_for_parsing, join_wrapped
from corpus.paragraphs import Line, Paragraph, is_block_line, starts_label, to_paragraphs

MAX_TITLE_LINES = 6
LATIN_MASTHEAD = re.compile(r"^[A-Z][A-Z ]{5,40}$")


@dataclass
class Header:
    """What the lines above and just below a 文号 say about the document."""

    doc_number_line: Line | None = None
    offices: list[str] = field(default_factory=list)
    title_lines: list[Line] = field(default_factory=list)
    office_lines: list[Line] = field(default_factory=list)
    date_line: Line | None = None
    code_line: Line | None = None
    start: int = 0
    body_start: int = 0

    @property
    def title(self) -> str:
        text = ""
        for i, line in enumerate(self.title_lines):
            part = split_offices(line.text)[1] if i == 0 else line.text
            text = join_wrapped(text, part)
        return split_issuer(text)[1]

    def paragraphs(self) -> list[Paragraph]:
        """The header as printed: offices, title (wraps joined), 文号, date, registration code."""
        out = [Paragraph(line.text, line.no) for line in self.office_lines]
        if self.title_lines:
            text = ""
            for line in self.title_lines:
                text = join_wrapped(text, line.text)
            out.append(Paragraph(text, self.title_lines[0].no))
        extras = [self.doc_number_line, self.date_line, self.code_line]
        out.extend(Paragraph(line.text, line.no) for line in extras if line is not None)
        return sorted(out, key=lambda p: p.no)


@dataclass
class Section:
    """One document of the gazette: its header and its body paragraphs."""

    header: Header
    body: list[Paragraph]


def is_masthead(text: str) -> bool:
    """The gazette's own name standing alone (`泸溪县人民政府公报`, `泸 溪 政 报`, `LU XI ZHENG BAO`)."""
    name = despace(text)
    if LATIN_MASTHEAD.match(text.strip()):
        return True
    return 4 <= len(name) <= 20 and name.endswith(lx.MASTHEAD_WORDS) and re.fullmatch(r"[\u4e00-\u9fff]+", name) is not None


def _title_stop(text: str) -> bool:
    folded = fold_for_parsing(text)
    return (ends_sentence(text) and not folded.endswith("）")) or is_date_line(text) or starts_label(text) \
        or "\t" in text or "|" in text or "，" in folded or "。" in folded or len(despace(text)) < 2 \
        or bool(dn.DOC_NUMBER_LINE.match(folded)) or is_masthead(text) or signing_title(text) is not None


def read_header(lines: list[Line], anchor: int, floor: int) -> Header:
    """The header around the 文号 at `lines[anchor]`, not reaching above `floor`."""
    header = Header(doc_number_line=lines[anchor])
    j = anchor - 1
    if j >= floor and is_date_line(lines[j].text):
        header.date_line = lines[j]
        j -= 1
    # a designation that names its 文种 (`第3/2000號…批示`) is the title itself: nothing above belongs to it
    designation = doc_type_of(despace(lines[anchor].text)) is not None
    while not designation and j >= floor and len(header.title_lines) < MAX_TITLE_LINES:
        text = lines[j].text
        if is_issuer_line(text) or _title_stop(text) or (header.title_lines and doc_type_of(text)):
            # a line ending with a 文种 above the title is another whole title (a page heading, a repeat)
            break
        header.title_lines.insert(0, lines[j])
        j -= 1
        offices, rest = split_offices(text)
        if offices or despace(rest).startswith(lx.TITLE_STARTS):
            header.offices = offices
            break
    while not designation and j >= floor and is_issuer_line(lines[j].text):
        header.office_lines.insert(0, lines[j])
        header.offices.insert(0, despace(lines[j].text))
        j -= 1
    if not header.title_lines and header.office_lines and j >= floor and doc_type_of(lines[j].text) \
            and not _title_stop(lines[j].text):
        # a repost prints the title, then the issuer on a line of its own, then the 文号
        header.title_lines.insert(0, lines[j])
        j -= 1
    header.start = j + 1
    k = anchor + 1
    while k < len(lines) and k <= anchor + 2:
        text = fold_for_parsing(lines[k].text)
        if header.date_line is None and is_date_line(text) and "（" in text:
            header.date_line = lines[k]
        elif header.code_line is None and lx.REGISTRATION_CODE.fullmatch(text.strip()):
            header.code_line = lines[k]
        else:
            break
        k += 1
    header.body_start = k
    if doc_type_of(header.title) is None and not designation:
        _title_below(lines, header)
    if not header.offices:
        header.offices = split_issuer(" ".join(line.text for line in header.title_lines))[0]
    return header


def _title_below(lines: list[Line], header: Header) -> None:
    """The layout of a 红头文件: 发文机关标志 and 文号 above, the title (with its issuer) below the 文号."""
    k = header.body_start
    taken: list[Line] = []
    while k < len(lines) and len(taken) < MAX_TITLE_LINES and not _title_stop(lines[k].text):
        taken.append(lines[k])
        k += 1
        if doc_type_of(" ".join(line.text for line in taken)):
            above = header.title_lines
            header.office_lines = sorted(header.office_lines + above, key=lambda line: line.no)
            header.offices = header.offices or [o for o in (issuer_mark(x.text) for x in above) if o]
            header.title_lines, header.body_start = taken, k
            return


def masthead_starts(lines: list[Line]) -> list[int]:
    """Where each masthead block (cover, 目录) begins, including stray short lines just above it."""
    starts = []
    for i, line in enumerate(lines):
        if is_masthead(line.text) and not (i and is_masthead(lines[i - 1].text)):
            j = i
            while j > 0 and len(despace(lines[j - 1].text)) <= 4 and not lines[j - 1].text[-1:].isdigit():
                j -= 1
            starts.append(j)
    return starts


def split_gazette(lines: list[Line], width: int | None) -> list[Section]:
    """The documents of a gazette, in printed order; [] if no line holds a 文号 alone.

    Documents are anchored on their 文号 lines; a document printed without a 文号 (an 通告,
    a 决定) is found by its header instead: office lines and a `关于…` title right after the
    previous document's closing date.
    """
    anchors = [i for i, line in enumerate(lines) if dn.DOC_NUMBER_LINE.match(fold_for_parsing(line.text))]
    if not anchors:
        return []
    mastheads = masthead_starts(lines)
    headers: list[Header] = []
    floor = 0
    for anchor in anchors:
        header = read_header(lines, anchor, floor)
        headers.append(header)
        floor = anchor + 1
    headers = sorted(headers + _unnumbered_headers(lines, headers), key=lambda h: h.start)
    sections = []
    for n, header in enumerate(headers):
        end = headers[n + 1].start if n + 1 < len(headers) else len(lines)
        end = min([m for m in mastheads if header.body_start <= m < end] + [end])
        body = restore_inserted_attachment(lines[header.body_start:end])
        sections.append(Section(header, to_paragraphs(body, width)))
    for prev, section in pairwise(sections):
        _reclaim_body(prev, section)
    return sections


def _unnumbered_headers(lines: list[Line], numbered: list[Header]) -> list[Header]:
    """Headers without a 文号: after a closing date line, office lines (or offices before the title on its line)
    and a title starting `关于` that ends with a 文种 within a few lines."""
    covered = {i for h in numbered for i in range(h.start, h.body_start)}
    found = []
    for i in range(1, len(lines) - 1):
        if i in covered or not is_date_line(lines[i - 1].text):
            continue
        j = i
        office_lines = []
        while j < len(lines) and is_office(lines[j].text) and j - i < 3:
            office_lines.append(lines[j])
            j += 1
        title_lines = []
        while j < len(lines) and len(title_lines) < MAX_TITLE_LINES and not _title_stop(lines[j].text) \
                and not is_office(lines[j].text) and j not in covered:
            title_lines.append(lines[j])
            j += 1
            offices, title = split_offices(" ".join(x.text for x in title_lines))
            if doc_type_of(title) and despace(title).startswith(lx.TITLE_STARTS) and (offices or office_lines):
                header = Header(offices=[despace(x.text) for x in office_lines] + offices,
                                title_lines=title_lines, office_lines=office_lines, start=i, body_start=j)
                if j < len(lines) and is_date_line(lines[j].text):
                    header.date_line, header.body_start = lines[j], j + 1
                found.append(header)
                break
    return found


TOC_LOOKBACK = 15


def read_toc(lines: list[Line]) -> dict[str, str]:
    """The table of contents: 文号 → title, for entries such as `- 1.关于…的意见` + `(泸发〔2021〕24号).....1`.

    An entry's title is on its own line or on the line of the 文号; editorial lines may sit
    between the two. Numbers are normalised; typos in them are kept (see `toc_note`).
    """
    toc: dict[str, str] = {}
    pending: tuple[int, str] | None = None
    for i, line in enumerate(lines):
        folded = fold_for_parsing(line.text)
        entry = lx.TOC_ENTRY.match(folded)
        if entry:
            number = dn.normalize_doc_number(entry["number"]) or despace(entry["number"])
            title = despace(entry["title"])
            if not title and pending and i - pending[0] <= TOC_LOOKBACK:
                title = pending[1]
            if title:
                toc.setdefault(number, title)
            pending = None
            continue
        item = lx.TOC_ITEM.match(folded)
        if item and not dn.DOC_NUMBER.search(folded):
            pending = (i, despace(line.text[item.start("title"):]))
    return toc


def _comparable(title: str) -> str:
    return re.sub(r"[-—–－~～]", "-", despace(fold_for_parsing(title)))


def toc_note(title: str, number: str | None, toc: dict[str, str]) -> str | None:
    """How the table of contents lists a document: agrees, differs (with its wording), lists it under another 文号, or not at all.

    >>> toc = {"泸发〔2021〕24号": "关于推进清廉泸溪建设的意见", "泸政办函发〔2021〕73号": "关于调整领导小组的通知"}
    >>> toc_note("关于推进清廉泸溪建设的意见", "泸发〔2021〕24号", toc)
    '目录一致'
    >>> toc_note("关于调整领导小组的通知", "泸政办函〔2021〕73号", toc)
    '目录文号不同：泸政办函发〔2021〕73号'
    """
    if not toc:
        return None
    listed = toc.get(number or "")
    if listed is not None:
        same = _comparable(listed) == _comparable(title)
        return lx.TOC_NOTES["agrees"] if same else lx.TOC_NOTES["title_differs"].format(listed)
    for other, listed in toc.items():
        if _comparable(listed) == _comparable(title):
            return lx.TOC_NOTES["number_differs"].format(other)
    return lx.TOC_NOTES["not_listed"]


MAX_INSERTED_LINES = 150


def restore_inserted_attachment(lines: list[Line]) -> list[Line]:
    """Move an attachment that page layout dropped into the middle of the main text to the end.

    The signs: after the attachment's `附件` header and name, the text goes on mid-sentence
    and the main outline resumes (its next number follows one used before the insertion);
    the attachment's own text starts at an indented line that cut a sentence short.
    The attachment comes back as header, name, then its text.
    """
    for h, line in enumerate(lines):
        resume = h + 2
        if not lx.ATTACHMENT_HEADER.match(fold_for_parsing(line.text)) or resume >= len(lines):
            continue
        if starts_label(lines[resume].text) or is_block_line(lines[resume].text):
            continue
        start = next((b for b in range(h - 1, max(h - MAX_INSERTED_LINES, 0), -1)
                      if lines[b].indented and not ends_sentence(lines[b - 1].text)), None)
        if start is None or not _outline_resumes(lines[:start], lines[resume:]):
            continue
        return lines[:start] + lines[resume:] + lines[h:resume] + lines[start:h]
    return lines


def _outline_resumes(before: list[Line], after: list[Line]) -> bool:
    """Whether a label after the gap continues the numbering used before it."""
    last: dict[str, int] = {}
    for line in before:
        label = read_label(line.text)
        if label:
            last[label.style] = label.number
    for line in after:
        label = read_label(line.text)
        if label and last.get(label.style) == label.number - 1:
            return True
    return False


def _has_prose(paragraphs: list[Paragraph]) -> bool:
    for p in paragraphs:
        folded = fold_for_parsing(p.text)
        if lx.ATTACHMENT_HEADER.match(folded):
            return False
        if "。" in folded:
            return True
    return False


def _reclaim_body(prev: Section, section: Section) -> None:
    """A document whose header is followed by no prose takes the unnumbered paragraphs that close the previous one.

    Page layout sometimes prints a body before its own header: the previous document
    then ends with paragraphs after its last numbered clause (and no signature), while
    this one goes straight into its attachments.
    """
    if _has_prose(section.body):
        return
    last_marker = None
    for i, p in enumerate(prev.body):
        if starts_label(p.text) or is_date_line(p.text) or is_office(p.text):
            last_marker = i
    if last_marker is None or not starts_label(prev.body[last_marker].text):
        return
    orphan = prev.body[last_marker + 1:]
    if not _has_prose(orphan):
        return
    del prev.body[last_marker + 1:]
    section.body[:0] = orphan
