"""PDF files → documents, from the text layer (pdfplumber).

Running headers, footers and page numbers are removed page by page (`corpus.layout`), and
hard-wrapped lines are joined back into paragraphs from their geometry: a line continues
the paragraph above when that line ran to (within a few characters of: half-width digits
make lines short) the right margin and this one starts at the left margin without indentation. The paragraphs then go through the gazette/regulation text
parser, so a PDF gazette and its text edition give the same documents.

A PDF without a text layer (a scan) is reported, never indexed as an empty document.
"""

from __future__ import annotations

import io
from statistics import median

from corpus.ingest import IngestError
from corpus.layout import strip_furniture
from corpus.model import Document
from corpus.text import parse_text


def _char_width(lines: list[dict]) -> float:
    widths = [(line["x1"] - line["x0"]) / len(line["text"]) for line in lines if line["text"]]
    return median(widths) if widths else 1.0


def reflow(pages: list[list[dict]]) -> list[str]:
    """Paragraphs from pages of text lines (`{"text", "x0", "x1"}`), joining hard wraps.

    >>> line = lambda text, x0, x1: {"text": text, "x0": x0, "x1": x1}
    >>> reflow([[line("标题", 200, 240), line("第一段开头写满了整行", 128, 478)],
    ...         [line("接着写完。", 72, 172), line("第二段。", 128, 208)]])
    ['标题', '第一段开头写满了整行接着写完。', '第二段。']
    """
    lines = [line for page in pages for line in page if line["text"].strip()]
    if not lines:
        return []
    width = _char_width(lines)
    left = min(line["x0"] for line in lines)
    right = max(line["x1"] for line in lines)
    paragraphs: list[str] = []
    previous = None
    for line in lines:
        text = line["text"].strip()
        continues = (
            previous is not None
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

    try:
        with pdfplumber.open(io.BytesIO(raw)) as pdf:
            pages = [page.extract_text_lines() for page in pdf.pages]
    except PDFPasswordIncorrect:
        raise IngestError(source, "encrypted PDF: cannot read its text") from None
    except Exception as exc:
        raise IngestError(source, f"corrupt PDF ({type(exc).__name__})") from None
    if not any(line["text"].strip() for page in pages for line in page):
        raise IngestError(source, "scanned PDF: no text layer")
    return "\n".join(reflow(strip_furniture(pages, text=lambda line: line["text"])))


def parse_pdf(raw: bytes, source: str) -> list[Document]:
    """The documents printed in a PDF (a gazette issue holds many, a single notice one)."""
    return parse_text(pdf_text(raw, source), source)
