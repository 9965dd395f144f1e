"""Readers: one module per file format, each turning a file's bytes into a `corpus.model.Reading`
(its text, and what a web page shows about the document), and nothing more: the metadata, the
outline and clauses, the units and deadlines are extraction's (`corpus.extract`).

A file's reader is chosen by content first (a PDF or ZIP signature, HTML tags), the file
name's suffix only breaking ties; a file no reader claims is unsupported.

>>> [reader.name for reader in READERS]
['pdf', 'docx', 'html', 'text']
>>> reader_for(b"%PDF-1.7 ...", "scan.txt").name, reader_for("<div>通知</div>".encode(), "a.txt").name
('pdf', 'html')
>>> reader_for("通知".encode(), "通知").name, reader_for(b"\\x89PNG", "photo.png")
('text', None)

To add a format, write `corpus/readers/<format>.py` with a `READER = Reader(...)`
(`corpus.readers.base`) and list the module here.
"""

from __future__ import annotations

from pathlib import Path

from corpus.readers import docx, html, pdf, text
from corpus.readers.base import Reader

READERS: list[Reader] = [pdf.READER, docx.READER, html.READER, text.READER]


def reader_for(raw: bytes, name: str) -> Reader | None:
    """The reader of a file: the first whose signature the content has, else the one its suffix names."""
    suffix = Path(name).suffix.lower()
    for reader in READERS:
        if reader.sniff(raw, suffix):
            return reader
    return next((reader for reader in READERS if suffix in reader.suffixes), None)
