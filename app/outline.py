"""Lay a document's full text out by its outline: each clause its own block with an anchor.

Clauses are slices of `Document.text`, and a parent's text may or may not include its children's.
Each clause is located in the text in document order and owns the text up to the next clause or
to the end of its own text; the text no clause covers (preamble, signature, attachments) is shown
as the passages a search finds it in (`index.passages`), each with its anchor, so nothing is
shown twice and nothing is lost.

>>> from corpus.model import Clause, Document
>>> doc = Document(id="d", title="t", doc_number=None, offices=[], doc_type=None, date=None, source="",
...                text="前言。\\n一、总则\\n1.第一项。\\n落款",
...                clauses=[Clause(id="d/1", label="一、", path=["一、"], text="一、总则\\n1.第一项。"),
...                         Clause(id="d/1.1", label="1.", path=["一、", "1."], text="1.第一项。")])
>>> [(b.kind, b.text, b.clause.id) for b in outline_blocks(doc)]  # doctest: +NORMALIZE_WHITESPACE
[('text', '前言。', 'd/导语'), ('clause', '一、总则', 'd/1'), ('clause', '1.第一项。', 'd/1.1'),
 ('text', '落款', 'd/正文')]
>>> anchor("d/1.1"), anchor("d/导语")
('c-1.1', 'c-导语')
"""

from __future__ import annotations

from dataclasses import dataclass

from corpus.layout import table_blocks
from corpus.model import Clause, Document
from index.passages import clauses_located, layout


@dataclass
class Table:
    """A body table: the header row and the body rows, every row as wide as the widest."""

    header: list[str]
    rows: list[list[str]]


def body_parts(text: str) -> list[tuple[str, list[str] | Table]]:
    """Text as ("text", paragraphs) and ("table", Table) parts, empty lines dropped.

    >>> body_parts("说明\\n序号\\t单位\\n1\\t县教体局\\t2023年\\n\\n结尾")
    [('text', ['说明']), ('table', Table(header=['序号', '单位', ''], rows=[['1', '县教体局', '2023年']])), ('text', ['结尾'])]
    """
    parts: list[tuple[str, list[str] | Table]] = []
    for kind, items in table_blocks(text):
        if kind == "table":
            width = max(len(row) for row in items)
            header, *rows = [[cell.strip() for cell in row] + [""] * (width - len(row)) for row in items]
            parts.append(("table", Table(header, rows)))
        elif paragraphs := [line.strip() for line in items if line.strip()]:
            parts.append(("text", paragraphs))
    return parts


@dataclass
class Block:
    kind: str
    text: str
    clause: Clause | None = None

    @property
    def parts(self) -> list[tuple[str, list[str] | Table]]:
        return body_parts(self.text)

    @property
    def lead(self) -> tuple[str, str, str] | None:
        """The first paragraph split around the clause's heading, to set the heading in bold.

        >>> Block("clause", "18.建设清廉学校。加强…", Clause("d/18", "18.", ["18."], "", heading="建设清廉学校")).lead
        ('18.', '建设清廉学校', '。加强…')
        """
        parts = self.parts
        if not self.clause or not self.clause.heading or not parts or parts[0][0] != "text":
            return None
        first, heading = parts[0][1][0], self.clause.heading
        at = first.find(heading)
        if not 0 <= at <= len(self.clause.label) + 2:
            return None
        return first[:at], heading, first[at + len(heading):]


def anchor(clause_id: str) -> str:
    """The HTML id of a clause's block on the document page: `c-` plus its outline slug."""
    return "c-" + clause_id.rsplit("/", 1)[-1]


def outline_blocks(doc: Document) -> list[Block]:
    """Clause blocks and passage blocks (`index.passages`) in document order, together covering the text."""
    if not clauses_located(doc):  # a clause not found verbatim: show the clause texts as given
        return [Block("clause", clause.text, clause) for clause in doc.clauses]
    spans = layout(doc)
    blocks = [Block("text" if span.is_passage else "clause", doc.text[span.start:span.end].strip(), span.unit)
              for span in spans]
    return [b for b in blocks if b.kind == "clause" or b.text]
