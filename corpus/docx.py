"""Word files (.docx) → documents, with python-docx.

Paragraphs and tables are read in body order (headers and footers live outside the body in
a .docx, so there is no page furniture to remove); a table keeps one line per row with
tab-separated cells (`corpus.layout`). The text then goes through the gazette/regulation
text parser, like a PDF or a plain-text file.
"""

from __future__ import annotations

import io

from corpus.ingest import IngestError
from corpus.layout import table_row
from corpus.model import Document
from corpus.text import parse_text


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
    """The body of a Word file as text: one line per paragraph, one per table row."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(raw))
        lines = []
        for child in document.element.body.iterchildren():
            tag = child.tag.rsplit("}", 1)[-1]
            if tag == "p":
                lines.append(Paragraph(child, document).text.strip())
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
