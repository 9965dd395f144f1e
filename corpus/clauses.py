"""The clause tree of a document: the outline it actually uses, as a flat list in document order.

Label styles (`一、`, `（一）`, `1.`, `（1）`, `第X章`, `第X条`…) are ranked in the order a
document first uses them; a label is accepted only when its number follows on from
the last one of its style (or restarts at 1), so a wrapped line that happens to start
with `2.` does not open a clause. The rows of a table whose first column is headed 序号 are
clauses too, labelled with their bare number; their units come from the responsibility columns.

>>> text = "一、总体要求\\n1. 指导思想。坚持……\\n2. 工作目标。到2023年6月底前完成。\\n二、保障措施\\n3. 加强领导。（牵头单位：县委办）"
>>> clauses = build_clauses("d", text, paragraph_spans(text))
>>> [(c.label, c.path, c.heading) for c in clauses]  # doctest: +NORMALIZE_WHITESPACE
[('一、', ['一、'], '总体要求'), ('1.', ['一、', '1.'], '指导思想'), ('2.', ['一、', '2.'], '工作目标'),
 ('二、', ['二、'], '保障措施'), ('3.', ['二、', '3.'], '加强领导')]
>>> clauses[2].deadlines[0].date, clauses[4].lead_units, clauses[4].id
('2023-06-30', ['县委办'], 'd/2.3')
"""

from __future__ import annotations

from corpus import lexicon as lx
from corpus.deadlines import extract_deadlines
from corpus.metadata import is_date_line, is_office
from corpus.model import Clause, clause_id_for
from corpus.normalize import despace, fold_for_parsing
from corpus.outline import STRUCTURAL, Label, is_numbered_table_header, read_label, read_row_label
from corpus.units import extract_units, row_units

MAX_HEADING = 25


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-empty line of `text`."""
    spans, pos = [], 0
    for line in text.split("\n"):
        if line.strip():
            spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def heading_of(rest: str, style: str) -> str | None:
    """The short lead sentence a clause starts with (`指导思想。以…` → `指导思想`), or the whole line if it is a heading.

    >>> heading_of("指导思想。以习近平…", "num"), heading_of("总 则", "chapter"), heading_of("党管干部原则；", "paren_cn")
    ('指导思想', '总则', None)
    >>> heading_of("本办法所称县管职级公务员，是指由县委管理的公务员。", "paren_cn") is None
    True
    """
    text = rest.strip()
    if style in ("chapter", "section"):
        return despace(text) or None
    if style == "article" or not text:
        return None
    folded = fold_for_parsing(text)
    m = lx.HEADING.match(folded)
    if m and len(m["heading"].strip()) <= MAX_HEADING and "，" not in m["heading"]:
        return text[: m.end("heading")].strip() or None
    if not any(ch in folded for ch in "。；：") and len(text) <= MAX_HEADING * 2:
        return text
    return None


def _closes_outline(text: str) -> bool:
    """Signature lines, dates and 附件 lists end the numbered outline of the main text."""
    folded = fold_for_parsing(text)
    return is_date_line(text) or is_office(text) or bool(lx.ATTACHMENT_LIST.match(folded))


def build_clauses(doc_id: str, text: str, spans: list[tuple[int, int]], year: int | None = None) -> list[Clause]:
    """Clauses of a document whose paragraphs sit at `spans` in `text`; `year` completes deadlines without one."""
    stack: list[tuple[str, str]] = []
    last_number: dict[tuple[str, str], int] = {}
    base: list[str] = []
    open_clauses: list[dict] = []
    current: dict | None = None
    taken: set[str] = set()
    in_attachment_list = False
    row_header: list[str] | None = None  # the header cells of the 序号 table being read
    for start, end in spans:
        para = text[start:end]
        folded = fold_for_parsing(para)
        if "\t" not in para and row_header is not None:
            # the table has ended: its rows are closed, the outline goes on above them
            row_header = None
            if "row" in (styles := [s for s, _ in stack]):
                del stack[styles.index("row"):]
                current = None
        elif row_header is None and is_numbered_table_header(para):
            row_header = [cell.strip() for cell in para.split("\t")]
        header = lx.ATTACHMENT_HEADER.match(folded)
        if header:
            label_text = f"{lx.ATTACHMENT}{header['n'] or ''}"
            # An unnumbered 附件 after 附件N is that attachment's own (a template's 清单), not a sibling.
            base = [base[0], label_text] if not header["n"] and base and base[0] != lx.ATTACHMENT else [label_text]
            stack, in_attachment_list = [], False
            current = {"label": label_text, "path": list(base), "start": start, "end": end, "heading": None,
                       "attachment": True}
            open_clauses.append(current)
            continue
        if current is not None and current.get("attachment") and current["heading"] is None:
            current["heading"] = para.strip()
            current["end"] = end
            continue
        if _closes_outline(para):
            in_attachment_list = bool(lx.ATTACHMENT_LIST.match(folded))
            current = None
            continue
        if in_attachment_list and lx.ATTACHMENT_ITEM.match(folded):
            continue
        label = read_row_label(para) if row_header is not None else read_label(para)
        in_attachment_list = False
        context = "/".join(base)
        if label and _accept(label, stack, last_number, context):
            styles = [s for s, _ in stack]
            if label.style in styles:
                del stack[styles.index(label.style):]
            stack.append((label.style, label.text))
            last_number[(context, label.style)] = label.number
            rest = para[label.end:]
            current = {"label": label.text, "path": base + [t for _, t in stack], "start": start, "end": end,
                       "heading": heading_of(rest.split("\t")[0], label.style)}
            if label.style == "row":
                current["row"] = (row_header, para.split("\t"))
            open_clauses.append(current)
        elif current is not None:
            current["end"] = end
    clauses = []
    for c in open_clauses:
        body = text[c["start"]:c["end"]]
        units = (row_units(*c["row"]) if "row" in c else None) or extract_units(body)
        clauses.append(Clause(
            id=clause_id_for(doc_id, c["path"], taken), label=c["label"], path=c["path"], text=body,
            heading=c["heading"], lead_units=units.lead, main_units=units.main, units=units.units,
            deadlines=extract_deadlines(body, year),
        ))
    return clauses


def _accept(label: Label, stack: list[tuple[str, str]], last_number: dict, context: str) -> bool:
    """A label continues its style's numbering, or restarts it at 1; 第X章/第X条 may also skip forward."""
    previous = last_number.get((context, label.style))
    structural = label.style in STRUCTURAL
    if previous is None or label.number == 1:
        return label.number == 1 or structural
    return label.number == previous + 1 or (structural and label.number > previous)
