"""PDF files → text, from the text layer (pdfplumber).

Running headers, footers and page numbers are removed page by page, ruled tables are kept
as tables (one tab-separated line per row; both in `corpus.layout`), and hard-wrapped lines
are joined back into paragraphs from their geometry: a line continues the paragraph above
when that line is body text (not centred or set right) that ran to the right margin (within
a few characters: half-width digits make lines short) and this one starts at the left
margin without indentation. The paragraphs
then go through the same extraction as a text file, so a PDF gazette and its text edition
give the same documents.

A PDF without a text layer (a scan, perhaps with nothing but printed page numbers in
text) is reported, never indexed as an empty document.
"""

from __future__ import annotations

import io
from collections import Counter
from statistics import median

from corpus.errors import IngestError
from corpus.layout import strip_furniture, table_row
from corpus.model import Reading
from corpus.normalize import unwrap_cjk
from corpus.readers.base import Reader


def page_lines(page) -> list[dict]:
    """Text lines of one pdfplumber page, top to bottom; each row of a ruled table is one line
    (`table: True`) whose cells are separated by tabs, wrapped cell text joined back."""
    tables = page.find_tables()

    def in_table(line: dict) -> bool:
        middle = (line["top"] + line["bottom"]) / 2
        return any(x0 <= line["x0"] <= x1 and top <= middle <= bottom for x0, top, x1, bottom in (t.bbox for t in tables))

    lines = [line for line in page.extract_text_lines() if not in_table(line)]
    for table in tables:
        x0, top, x1, _ = table.bbox
        for i, row in enumerate(table.extract()):
            cells = [unwrap_cjk(cell or "") for cell in row]
            if any(cells):
                lines.append({"text": table_row(cells), "x0": x0, "x1": x1, "top": top + i / 1000, "table": True})
    return sorted(lines, key=lambda line: line["top"])


def _char_width(lines: list[dict]) -> float:
    widths = [(line["x1"] - line["x0"]) / len(line["text"]) for line in lines if line["text"]]
    return median(widths) if widths else 1.0


def _margin(edges: list[float], width: float, outermost=max) -> float:
    """The outermost line edge (to a character) that enough lines share: where full lines end
    (`max` of the x1s) or where unindented lines start (`min` of the x0s). One long title set
    wider than the text does not move the margin.

    >>> _margin([478, 477.5, 300, 560, 478], 14), _margin([90, 90, 118, 75, 90], 14, min)
    (478, 90)
    """
    counts = Counter(round(edge / width) for edge in edges)
    shared = [bucket for bucket, n in counts.items() if n >= max(2, len(edges) / 10)]
    if not shared:
        return outermost(edges)
    return outermost(edge for edge in edges if round(edge / width) == outermost(shared))


def reflow(pages: list[list[dict]]) -> list[str]:
    """Paragraphs from pages of text lines (`{"text", "x0", "x1"}`), joining hard wraps.

    >>> line = lambda text, x0, x1: {"text": text, "x0": x0, "x1": x1}
    >>> reflow([[line("标题", 200, 240), line("第一段开头写满了整行", 128, 478)],
    ...         [line("接着写完。", 72, 172), line("第二段。", 128, 208)]])
    ['标题', '第一段开头写满了整行接着写完。', '第二段。']
    """
    lines = [line for page in pages for line in page if line["text"].strip()]
    prose = [line for line in lines if not line.get("table")]
    if not prose:
        return [line["text"] for line in lines]
    width = _char_width(prose)
    left = _margin([line["x0"] for line in prose], width, min)
    right = _margin([line["x1"] for line in prose], width)
    paragraphs: list[str] = []
    previous = None
    for line in lines:
        text = line["text"].strip()
        continues = (
            previous is not None
            and not line.get("table") and not previous.get("table")
            and previous["x0"] <= left + 2.5 * width
            and previous["x1"] >= right - 4 * width
            and line["x0"] <= left + 0.5 * width
        )
        if continues:
            paragraphs[-1] += text
        else:
            paragraphs.append(text)
        previous = line
    return paragraphs


def pdf_text(raw: bytes, source: str) -> str:
    """The text of a PDF as paragraphs, one per line, page furniture removed."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect
    from pdfplumber.utils.exceptions import PdfminerException

    try:
        with pdfplumber.open(io.BytesIO(raw)) as pdf:
            pages = [page_lines(page) for page in pdf.pages]
    except Exception as exc:
        cause = exc.args[0] if isinstance(exc, PdfminerException) and exc.args else exc
        if isinstance(cause, PDFPasswordIncorrect):
            raise IngestError(source, "PDF 已加密：需要密码才能读取") from None
        raise IngestError(source, f"PDF 文件已损坏（{type(cause).__name__}）") from None
    paragraphs = reflow(strip_furniture(pages, text=lambda line: line["text"]))
    if not paragraphs:
        raise IngestError(source, "扫描版 PDF：没有文字层")
    return "\n".join(paragraphs)


def read_pdf(raw: bytes, source: str) -> Reading:
    """A PDF's `Reading`: its paragraphs (a gazette issue holds many documents, a single notice one)."""
    return Reading(source=source, text=pdf_text(raw, source))


READER = Reader("pdf", frozenset({".pdf"}), read_pdf, sniff=lambda raw, suffix: raw.startswith(b"%PDF"))
