"""What a reader is: a file format's name, suffixes, content signature and read function.

>>> from corpus.readers.text import READER
>>> READER.name, ".md" in READER.suffixes, READER.read("通知".encode("gb18030"), "a.txt").text
('text', True, '通知')
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from corpus.model import Reading


def _never(raw: bytes, suffix: str) -> bool:
    return False


@dataclass(frozen=True)
class Reader:
    """One file format. `read(raw, source)` gives the file's `Reading` or raises `IngestError`;
    `sniff(raw, suffix)` says from the content that a file is of this format (whatever its name);
    `suffixes` name the format when no reader's signature matches; a file over `max_mb` is refused
    unread (None: only the loader's limit for any file)."""

    name: str
    suffixes: frozenset[str]
    read: Callable[[bytes, str], Reading]
    sniff: Callable[[bytes, str], bool] = _never
    max_mb: int | None = None
