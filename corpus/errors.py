"""The error every reader and the loader share: a file that could not be turned into documents.

It lives below the readers and the loader (`corpus.ingest`), so both import it and neither the other.

>>> str(IngestError("a.txt", "无法按 UTF-8 或 GB18030 解码", 3))
'a.txt:3: 无法按 UTF-8 或 GB18030 解码'
"""

from __future__ import annotations


class IngestError(Exception):
    """A file that could not be turned into documents: the message names the file (and line)."""

    def __init__(self, path: str, reason: str, line: int | None = None):
        self.path, self.reason, self.line = path, reason, line
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {reason}")

    def __reduce__(self):  # rebuilt from its fields when it comes back from a worker process
        return IngestError, (self.path, self.reason, self.line)
