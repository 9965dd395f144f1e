"""Word files (.docx) → text, with python-docx.

Paragraphs and tables are read in body order (headers and footers live outside the body in
a .docx, so there is no page furniture to remove); a table keeps one line per row with
tab-separated cells (`corpus.layout`). Outline numbers that Word generates itself
(automatic numbering: 一、 （一） 1. ①) are not in the paragraph text, so they are rebuilt
from the numbering definitions and put back in front of their paragraphs. The text then
goes through the same extraction as a PDF or a plain-text file.

A .docx is a ZIP archive: one that would unpack to more than `MAX_UNPACKED_MB`, or holds a
part over 1 MiB compressed more than `MAX_RATIO`:1 (a "zip bomb"; Word's XML compresses about
5–20:1), is refused before anything is unpacked.
"""

from __future__ import annotations

import io
import re
import zipfile

from corpus.errors import IngestError
from corpus.layout import table_row
from corpus.model import Reading
from corpus.numerals import int_to_chinese
from corpus.readers.base import Reader

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MAX_UNPACKED_MB = 256
MAX_RATIO = 200
_RATIO_CHECKED_FROM = 1 << 20

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
    A paragraph without numbering of its own takes its style's, read once from `styles.xml`
    (looking a style up through python-docx scans every style for the default one: a
    millisecond per paragraph).
    """

    def __init__(self, document):
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}
        self.list_of: dict[str, str] = {}
        self.counters: dict[str, dict[int, int]] = {}
        # Paragraph style id → its numPr (None without one); the key None is the default paragraph style.
        self.style_numbering: dict[str | None, object] = {None: None}
        for style in document.styles.element.iter(f"{_W}style"):
            if style.get(f"{_W}type") == "paragraph":
                num_pr = style.find(f"{_W}pPr/{_W}numPr")
                self.style_numbering[style.get(f"{_W}styleId")] = num_pr
                if style.get(f"{_W}default") in {"1", "true"}:
                    self.style_numbering[None] = num_pr
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
        if num_pr is None:
            style_id = _val(paragraph._p, f"{_W}pPr/{_W}pStyle")
            num_pr = self.style_numbering.get(style_id if style_id in self.style_numbering else None)
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


def check_archive(raw: bytes, source: str) -> None:
    """Refuse a Word file whose archive would unpack to an absurd size (see the module docstring).

    The sizes are those the archive declares; Python's zipfile never unpacks more than that.

    >>> buffer = io.BytesIO()
    >>> with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
    ...     archive.writestr("word/document.xml", " " * (2 << 20))
    >>> check_archive(buffer.getvalue(), "bomb.docx")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
      ...
    corpus.errors.IngestError: bomb.docx: Word 文件压缩比异常（word/document.xml 为 ...:1，上限 200:1），疑为压缩炸弹，未解压
    """
    try:
        members = zipfile.ZipFile(io.BytesIO(raw)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise IngestError(source, f"Word 文件已损坏（{type(exc).__name__}）") from None
    unpacked = sum(member.file_size for member in members)
    if unpacked > MAX_UNPACKED_MB << 20:
        raise IngestError(source, f"Word 文件解压后过大（{unpacked >> 20} MB，上限 {MAX_UNPACKED_MB} MB），未解压")
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > _RATIO_CHECKED_FROM and ratio > MAX_RATIO:
            raise IngestError(source, f"Word 文件压缩比异常（{member.filename} 为 {ratio:.0f}:1，上限 {MAX_RATIO}:1），"
                                      "疑为压缩炸弹，未解压")


def docx_text(raw: bytes, source: str) -> str:
    """The body of a Word file as text: one line per paragraph (with its automatic number), one per table row."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    check_archive(raw, source)
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
        raise IngestError(source, f"Word 文件已损坏（{type(exc).__name__}）") from None
    text = "\n".join(line for line in lines if line)
    if not text.strip():
        raise IngestError(source, "Word 文件中没有文字")
    return text


def read_docx(raw: bytes, source: str) -> Reading:
    """A Word file's `Reading`: its body as text."""
    return Reading(source=source, text=docx_text(raw, source))


def _is_word_archive(raw: bytes, suffix: str) -> bool:
    """A ZIP archive holding `word/` parts (or named .docx: a damaged one is reported as such)."""
    return raw.startswith(b"PK\x03\x04") and (b"word/" in raw[:65536] or suffix == ".docx")


READER = Reader("docx", frozenset({".docx"}), read_docx, sniff=_is_word_archive)
