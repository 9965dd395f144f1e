"""`python -m corpus parse FILE_OR_DIR... [--json]`: parse files and print documents.

With `--json` it prints a JSON array of `Document.to_dict()`; otherwise one line per
document with its clause count. The load report (`corpus.console`) goes to stderr: a file
that cannot be parsed gives one line there naming it (and the line where it helps); the
other files are still parsed and printed, and the exit status is 1.
"""

from __future__ import annotations

import argparse
import json
import sys

from corpus import console
from corpus.ingest import load_paths


def summary_line(doc) -> str:
    """One readable line: 文号, 标题, 文种, 日期, clause and unit counts."""
    units = {u.name for c in doc.clauses for u in c.units}
    return (f"{doc.doc_number or '（无文号）'}\t{doc.title or '（无标题）'}\t{doc.doc_type or '-'}\t{doc.date or '-'}\t"
            f"{len(doc.clauses)} 条款\t{len(units)} 责任单位\t{doc.source}")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m corpus", description="解析公文文本：政府公报、规章、网页、PDF、Word")
    sub = parser.add_subparsers(dest="command", required=True)
    parse = sub.add_parser("parse", help="解析文件或目录，输出文档")
    parse.add_argument("paths", nargs="+", metavar="FILE_OR_DIR")
    parse.add_argument("--json", action="store_true", help="输出 JSON 数组（Document.to_dict()）")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return console.run(lambda: parse(args))


def parse(args: argparse.Namespace) -> int:
    """`parse`: print the documents of the files named, report the files skipped; the exit status."""
    report = load_paths(args.paths)
    if report.files == 0:
        print("错误：没有找到文件：" + "、".join(args.paths), file=sys.stderr)
        return 1
    if args.json:
        json.dump([d.to_dict() for d in report.documents], sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        for doc in report.documents:
            print(summary_line(doc))
    sys.stdout.flush()
    console.print_load_report(report)
    return 1 if report.skipped else 0
