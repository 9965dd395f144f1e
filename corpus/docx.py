"""Word files (.docx) → documents, with python-docx.

Paragraphs and tables are read in body order (headers and footers live outside the body in
a .docx, so there is no page furniture to remove); a table keeps one line per row with
tab-separated cells (`corpus.layout`). Outline numbers that Word generates itself
(automatic numbering: 一、 （一） 1. ①) are not in the paragraph text, so they are rebuilt
from the numbering definitions and put back in front of their paragraphs. The text then
goes through the gazette/regulation text parser, like a PDF or a plain-text file.
"""

from __future__ import annotations

import io
import re

from corpus.ingest import IngestError
from corpus.layout import table_row
from corpus.model import Document
from corpus.numerals import int_to_chinese
from corpus.text import parse_text

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_NUMBER_FORMATS = {
    "decimal": str,
    "decimalZero": lambda n: f"{n:02d}",
    "decimalFullWidth": lambda n: "".join(chr(ord(d) + 0xFEE0) for d in str(n)),
    "chineseCounting": int_to_chinese,
    "chineseCountingThousand": int_to_chinese,
    "japaneseCounting": int_to_chinese,
    "decimalEnclosedCircle": lambda n: chr(0x2460 + n - 1) if 1 <= n <= 20 else str(n),
    "decimalEnclosedCircleChinese": lambda n: chr(0x2460 + n - 1) if 1 <= n <= 20 else str(n),
    "lowerLetter": lambda n: chr(ord("a") + (n - 1) % 26),
    "upperLetter": lambda n: chr(ord("A") + (n - 1) % 26),
}


def _val(element, path: str) -> str | None:
    found = element.find(path)
    return None if found is None else found.get(f"{_W}val")


class Numbering:
    """Word's automatic paragraph numbers, counted in body order like Word counts them.

    Levels are read from `numbering.xml` (`numFmt`, `lvlText` such as `（%2）`, `start`);
    counters belong to the abstract list, a level restarts when a higher level moves on.
    """

    def __init__(self, document):
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}
        self.list_of: dict[str, str] = {}
        self.counters: dict[str, dict[int, int]] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError):
            return
        for abstract in root.iter(f"{_W}abstractNum"):
            self.levels[abstract.get(f"{_W}abstractNumId")] = {
                int(level.get(f"{_W}ilvl")): (_val(level, f"{_W}numFmt") or "decimal",
                                              _val(level, f"{_W}lvlText") or "",
                                              int(_val(level, f"{_W}start") or 1))
                for level in abstract.iter(f"{_W}lvl")
            }
        for num in root.iter(f"{_W}num"):
            self.list_of[num.get(f"{_W}numId")] = _val(num, f"{_W}abstractNumId")

    def label(self, paragraph) -> str:
        """The number Word shows in front of `paragraph` ('' when it has none, or a bullet)."""
        num_pr = paragraph._p.find(f"{_W}pPr/{_W}numPr")
        if num_pr is None and paragraph.style is not None:
            num_pr = paragraph.style.element.find(f"{_W}pPr/{_W}numPr")
        if num_pr is None:
            return ""
        abstract = self.list_of.get(_val(num_pr, f"{_W}numId") or "0")
        levels = self.levels.get(abstract or "", {})
        level = int(_val(num_pr, f"{_W}ilvl") or 0)
        if level not in levels or levels[level][0] in {"bullet", "none"}:
            return ""
        counters = self.counters.setdefault(abstract, {})
        counters[level] = counters.get(level, levels[level][2] - 1) + 1
        for deeper in [k for k in counters if k > level]:
            del counters[deeper]

        def number(match: re.Match) -> str:
            k = int(match.group(1)) - 1
            fmt, _, start = levels.get(k, ("decimal", "", 1))
            return _NUMBER_FORMATS.get(fmt, str)(counters.get(k, start))

        return re.sub(r"%([1-9])", number, levels[level][1])


def _table_lines(table) -> list[str]:
    lines = []
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            if id(cell._tc) not in seen:
                seen.add(id(cell._tc))
                cells.append(cell.text)
        if any(c.strip() for c in cells):
            lines.append(table_row(cells))
    return lines


def docx_text(raw: bytes, source: str) -> str:
    """The body of a Word file as text: one line per paragraph (with its automatic number), one per table row."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(raw))
        numbering = Numbering(document)
        lines = []
        for child in document.element.body.iterchildren():
            tag = child.tag.rsplit("}", 1)[-1]
            if tag == "p":
                paragraph = Paragraph(child, document)
                text = paragraph.text.strip()
                lines.append(numbering.label(paragraph) + text if text else "")
            elif tag == "tbl":
                lines.extend(_table_lines(Table(child, document)))
    except Exception as exc:
        raise IngestError(source, f"corrupt Word file ({type(exc).__name__})") from None
    text = "\n".join(line for line in lines if line)
    if not text.strip():
        raise IngestError(source, "no text in the Word file")
    return text


def parse_docx(raw: bytes, source: str) -> list[Document]:
    """The documents written in a Word file."""
    return parse_text(docx_text(raw, source), source)
