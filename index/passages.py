"""Passages: the text of a document outside its numbered clauses, as searchable units.

A document's numbered clauses (`Document.clauses`) leave text uncovered: the title, 文号 and
preamble before the first clause (导语), unnumbered paragraphs and the closing (正文), tables
between clauses (表格) and attachments (附件N). Each uncovered stretch becomes a passage,
a `Clause` of its own with a readable id (`<doc id>/导语`, `<doc id>/附件1`), indexed and
searched beside the clauses and served by the same permalink route. Passages are derived here,
never stored in `Document.clauses`, so the parsed clause tree stays what the parser made.

Clauses are located in `Document.text` in document order; a clause covers its own text, and
a stretch no clause covers is a passage. `layout` gives both in order, so the document page
shows each character once under the unit that a search returns for it.

>>> from corpus.model import Clause, Document
>>> doc = Document(id="d", title="关于试行的通知", doc_number="泸发〔2021〕1号", offices=[], doc_type=None,
...                date=None, source="", text="关于试行的通知\\n泸发〔2021〕1号\\n现通知如下。\\n一、总则。\\n"
...                "说明一段。\\n序号\\t单位\\n1\\t县财政局\\n县政府\\n附件1\\n名单",
...                clauses=[Clause(id="d/1", label="一、", path=["一、"], text="一、总则。")])
>>> [(u.id, u.text) for u in units(doc)]  # doctest: +NORMALIZE_WHITESPACE
[('d/导语', '关于试行的通知\\n泸发〔2021〕1号\\n现通知如下。'), ('d/1', '一、总则。'),
 ('d/正文', '说明一段。'), ('d/表格', '序号\\t单位\\n1\\t县财政局'), ('d/正文2', '县政府'), ('d/附件1', '附件1\\n名单')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from corpus.lexicon import ATTACHMENT_HEADER
from corpus.model import Clause, Document
from tokenizer import compact_text

LEAD = "导语"
BODY = "正文"
TABLE = "表格"
ATTACHMENT = "附件"
KINDS = (LEAD, BODY, TABLE, ATTACHMENT)
# A line that is only an attachment's heading (附件, 附件2), not the list of attachments (附件：1.…).
_HEAD_CHARS = 40
# A clause of at most this many characters and one sentence, with clauses under it, is a bare heading.
HEADING_ONLY_CHARS = 60
_SENTENCE_END = re.compile("[。；;！？!?]")


@dataclass
class Span:
    """Where a unit (a clause or a passage) sits in `Document.text`: text[start:end]."""

    start: int
    end: int
    unit: Clause

    @property
    def is_passage(self) -> bool:
        return is_passage(self.unit)


def is_passage(unit: Clause) -> bool:
    """Whether a search unit is a passage rather than a numbered clause."""
    return unit.id.rsplit("/", 1)[-1].startswith(KINDS)


def _clause_starts(doc: Document) -> list[int] | None:
    """Where each clause starts in the text, in document order; None when one is not found verbatim."""
    starts, cursor = [], 0
    for clause in doc.clauses:
        head = clause.text.strip()[:_HEAD_CHARS]
        position = doc.text.find(head, cursor) if head else -1
        if position < 0:
            return None
        starts.append(position)
        cursor = position + 1
    return starts


def _pieces(text: str, start: int, end: int, first: bool, attachment: str | None):
    """(kind, number, start, end) of the passages in text[start:end], and the attachment still open after it."""
    pieces = []
    offset = start
    for line in text[start:end].split("\n"):
        line_end = offset + len(line)
        heading = ATTACHMENT_HEADER.match(line)
        if heading:
            attachment = heading.group("n") or ""
            kind = ATTACHMENT
        elif attachment is not None:
            kind = ATTACHMENT
        elif first:
            kind = LEAD
        else:
            kind = TABLE if "\t" in line else BODY
        if line.strip():
            if pieces and pieces[-1][0] == kind and not heading:
                pieces[-1][3] = line_end
            else:
                pieces.append([kind, attachment if kind == ATTACHMENT else "", offset, line_end])
        offset = line_end + 1
    return pieces, attachment


def clauses_located(doc: Document) -> bool:
    """Whether every clause is found verbatim in the text, in order (else `layout` cannot cover the text)."""
    return _clause_starts(doc) is not None


def _passage(doc: Document, name: str, text: str) -> Clause:
    return Clause(id=f"{doc.id}/{name}", label=name, path=[name], text=text)


def _lead_text(doc: Document, text: str) -> str:
    """The preamble, with the title and 文号 put before it when it does not hold them (the lead's text is what a title search finds)."""
    compacted = compact_text(text)
    missing = [part for part in (doc.title, doc.doc_number) if part and compact_text(part) not in compacted]
    return "\n".join([*missing, text] if text else missing)


def layout(doc: Document) -> list[Span]:
    """Clauses and passages in document order, together covering the text (see the module docstring).

    When a clause is not found verbatim in the text, only the clauses (and a lead of title and 文号) are laid out.
    """
    starts = _clause_starts(doc)
    if starts is None:
        return [Span(0, 0, _passage(doc, LEAD, _lead_text(doc, "")))] + [Span(0, 0, c) for c in doc.clauses]
    text = doc.text
    spans: list[Span] = []
    names: dict[str, int] = {}
    attachment = None

    def add_gap(start: int, end: int, first: bool) -> None:
        nonlocal attachment
        pieces, attachment = _pieces(text, start, end, first, attachment)
        if first and not pieces:
            pieces = [[LEAD, "", start, start]]
        for kind, number, s, e in pieces:
            base = f"{kind}{number}"
            names[base] = names.get(base, 0) + 1
            name = base if names[base] == 1 else f"{base}-{names[base]}" if kind == ATTACHMENT else f"{base}{names[base]}"
            piece = text[s:e].strip()
            spans.append(Span(s, e, _passage(doc, name, _lead_text(doc, piece) if kind == LEAD else piece)))

    boundaries = [*starts, len(text)]
    add_gap(0, boundaries[0], True)
    reach = 0
    for i, clause in enumerate(doc.clauses):
        start, following = starts[i], boundaries[i + 1]
        reach = max(reach, start + len(clause.text.strip()))
        spans.append(Span(start, min(following, reach), clause))
        if reach < following:
            add_gap(reach, following, False)
    return spans


def passages(doc: Document) -> list[Clause]:
    """The document's passages in document order."""
    return [span.unit for span in layout(doc) if span.is_passage]


def units(doc: Document) -> list[Clause]:
    """What a search returns of a document: its clauses and passages, in document order."""
    return [span.unit for span in layout(doc)]


def is_bare_heading(text: str) -> bool:
    """Whether a clause's text is only its heading (one short phrase), not a body nor a list's lead-in.

    >>> is_bare_heading("四、从严约束干部为政清廉"), is_bare_heading("18.建设清廉学校。加强学校思想文化阵地建设。")
    (True, False)
    >>> is_bare_heading("第四十四条 有下列情形之一的，劳动合同终止：")
    False
    """
    text = compact_text(text).rstrip("。；;")
    return len(text) <= HEADING_ONLY_CHARS and not _SENTENCE_END.search(text) and not text.endswith(("：", ":"))
