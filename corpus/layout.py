"""Layout helpers shared by the HTML, PDF and Word readers: table rows and page furniture.

**Tables stay tables.** A body table is kept in `Document.text` as one line per row with
its cells separated by a tab (`\\t`); a run of consecutive lines that contain a tab is one
table, its first line the header row. Cells never contain tabs or newlines themselves:

>>> table_row(["序号", "责任单位\\n（牵头）", " 完成时限 "])
'序号\\t责任单位 （牵头）\\t完成时限'
>>> table_blocks("说明\\na\\tb\\n1\\t2\\n结尾")
[('text', ['说明']), ('table', [['a', 'b'], ['1', '2']]), ('text', ['结尾'])]

**Page furniture** (running headers and footers, page numbers) is removed from paged text
(PDF) before the pages are joined: page numbers at either edge, and the outermost line of
an edge when it recurs (digits aside) at the same edge of other pages.

>>> pages = [["泸溪县人民政府公报 2023年第1期", "正文一", "- 1 -"],
...          ["泸溪县人民政府公报 2023年第1期", "正文二", "- 2 -"]]
>>> strip_furniture(pages)
[['正文一'], ['正文二']]
"""

from __future__ import annotations

import re
from collections import Counter

_CELL_SPACE = re.compile(r"\s+")

PAGE_NUMBER = re.compile(
    r"^[\s·•\-－—–]*(?:第\s*)?\d{1,4}(?:\s*页)?(?:\s*[/／]\s*\d{1,4}|\s*共\s*\d{1,4}\s*页)?[\s·•\-－—–]*$"
)


def table_row(cells: list[str]) -> str:
    """One table row as a line: cells with inner whitespace collapsed, joined by tabs."""
    return "\t".join(_CELL_SPACE.sub(" ", cell).strip() for cell in cells)


def table_blocks(text: str) -> list[tuple[str, list]]:
    """Split text into ("text", lines) and ("table", rows of cells) blocks, for rendering."""
    blocks: list[tuple[str, list]] = []
    for line in text.split("\n"):
        kind = "table" if "\t" in line else "text"
        item = line.split("\t") if kind == "table" else line
        if blocks and blocks[-1][0] == kind:
            blocks[-1][1].append(item)
        else:
            blocks.append((kind, [item]))
    return blocks


def _edge_key(line: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", line))


def strip_furniture(pages: list[list], text=None) -> list[list]:
    """Pages of lines without page numbers and running headers/footers (see the module doc).

    Page numbers are removed at either edge of a page; then the first (and the last) other
    line goes when the same line (digits aside) is the first (last) one of at least two pages
    and of 40% of them. Body text is never a candidate, so a title on page 1 repeated in a
    signature at the foot of the last page stays. Lines may be any objects; `text(line)`
    gives their text.

    >>> strip_furniture([["公报", "泸溪县人民政府", "关于…的通知"], ["公报", "正文", "- 2 -"],
    ...                  ["公报", "泸溪县人民政府", "2023年1月3日"]])
    [['泸溪县人民政府', '关于…的通知'], ['正文'], ['泸溪县人民政府', '2023年1月3日']]
    """
    text = text or (lambda line: line)

    def number(line) -> bool:
        return bool(PAGE_NUMBER.match(text(line)))

    def bounds(lines: list) -> tuple[int, int]:
        start, end = 0, len(lines)
        while start < end and number(lines[start]):
            start += 1
        while end > start and number(lines[end - 1]):
            end -= 1
        return start, end

    edges = [(lines, *bounds(lines)) for lines in pages]
    needed = max(2, 0.4 * len(pages))
    tops = Counter(_edge_key(text(lines[s])) for lines, s, e in edges if s < e)
    bottoms = Counter(_edge_key(text(lines[e - 1])) for lines, s, e in edges if s < e)
    result = []
    for lines, start, end in edges:
        if start < end and tops[_edge_key(text(lines[start]))] >= needed:
            start += 1
        if start < end and bottoms[_edge_key(text(lines[end - 1]))] >= needed:
            end -= 1
        result.append(lines[start:end])
    return [lines[slice(*bounds(lines))] for lines in result]
