"""What every command line shares: one load report, and a quiet stop when the reader of stdout goes away.

`python -m corpus`, `python -m index` and `python -m app` print the same report of a load:

>>> from corpus.errors import IngestError
>>> from corpus.ingest import LoadReport
>>> from corpus.model import Document
>>> doc = lambda source: Document(id="泸发-2021-24", title="", doc_number=None, offices=[], doc_type=None,
...                               date=None, text="", source=source)
>>> report = LoadReport(documents=[doc("a.txt"), doc("b.txt")], files=3,
...                     skipped=[IngestError("c.pdf", "扫描版 PDF：没有文字层")])
>>> print("\\n".join(load_report_lines(report)))
1 篇公文（来自 3 个文件；跳过 1 个文件；1 篇因 id 重复被替换）
  跳过 c.pdf: 扫描版 PDF：没有文字层
  替换 泸发-2021-24（a.txt）：b.txt 中有同一 id 的公文，以后者为准
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

from corpus.ingest import LoadReport, last_of_each_id


def load_report_lines(report: LoadReport) -> list[str]:
    """The report of a load: documents kept (one per id), files read, each file skipped, each document replaced."""
    kept, replaced = last_of_each_id(report.documents)
    summary = f"{len(kept)} 篇公文（来自 {report.files} 个文件；跳过 {len(report.skipped)} 个文件"
    lines = [summary + (f"；{len(replaced)} 篇因 id 重复被替换）" if replaced else "）")]
    lines += [f"  跳过 {skip}" for skip in report.skipped]
    winner = {doc.id: doc for doc in kept}
    lines += [f"  替换 {doc.id}（{doc.source}）：{winner[doc.id].source} 中有同一 id 的公文，以后者为准"
              for doc in replaced]
    return lines


def print_load_report(report: LoadReport, file=None) -> None:
    """Print `load_report_lines` (on stderr unless `file` is given)."""
    print("\n".join(load_report_lines(report)), file=file or sys.stderr, flush=True)


def run(command: Callable[[], int]) -> int:
    """Run a CLI command and return its exit status; a closed stdout (`… | head`) stops it quietly with 1."""
    try:
        return command()
    except BrokenPipeError:
        # The reader went away: stop quietly, without a second error when Python flushes stdout on exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
