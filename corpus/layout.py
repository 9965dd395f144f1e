"""Layout helpers shared by the HTML, PDF and Word readers: table rows and page furniture.

**Tables stay tables.** A body table is kept in `Document.text` as one line per row with
its cells separated by a tab (`\\t`); a run of consecutive lines that contain a tab is one
table, its first line the header row. Cells never contain tabs or newlines themselves:

>>> table_row(["序号", "责任单位\\n（牵头）", " 完成时限 "])
'序号\\t责任单位 （牵头）\\t完成时限'
>>> table_blocks("说明\\na\\tb\\n1\\t2\\n结尾")
[('text', ['说明']), ('table', [['a', 'b'], ['1', '2']]), ('text', ['结尾'])]

**Page furniture** (running headers and footers, page numbers) is removed from paged text
(PDF) before the pages are joined: a line at the top or bottom of a page is furniture when
it is a page number, or when it recurs (digits aside) at the same edge of other pages.

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


def strip_furniture(pages: list[list], edge: int = 2, text=None) -> list[list]:
    """Pages of lines without page numbers and running headers/footers (see the module doc).

    Only the first and last `edge` lines of a page are candidates, so body text that happens
    to repeat is never removed. Lines may be any objects; `text(line)` gives their text.
    """
    text = text or (lambda line: line)
    counts: Counter[str] = Counter()
    for lines in pages:
        counts.update({_edge_key(text(line)) for line in lines[:edge] + lines[-edge:]})
    recurring = {key for key, n in counts.items() if n >= 2 and len(pages) >= 2}

    def furniture(line) -> bool:
        return bool(PAGE_NUMBER.match(text(line))) or _edge_key(text(line)) in recurring

    result = []
    for lines in pages:
        start, end = 0, len(lines)
        while start < min(edge, end) and furniture(lines[start]):
            start += 1
        while end > max(start, len(lines) - edge) and furniture(lines[end - 1]):
            end -= 1
        result.append(lines[start:end])
    return result
