"""`python -m index build|add|search`: a thin layer over `index.build` and the search service.

    python -m index build [SOURCES...] [--index DIR]      # default: corpus/data/gazettes → instance/index
    python -m index add PATH... [--index DIR]
    python -m index search "QUERY" [--index DIR] [--type 通知] [--office …] [--unit …] [--year 2021]
                           [--from 2021-01-01] [--to 2021-12-31] [--sort relevance|date]
                           [--page N] [--size N] [--json]

The index folder is `--index`, else `$GONGWEN_INDEX`, else `instance/index` in the project.
User errors print one line on stderr and exit non-zero.
"""

from __future__ import annotations

import argparse
import json
import re
import sys

from corpus import SAMPLE_DIR, console
from index.build import NoDocuments, add_documents, build_index, load_sources
from index.query import FILTER_PARAMS, QueryError, parse_search_query
from index.service import open_index
from index.storage import IndexBusy, IndexMissing, default_index_dir

DEFAULT_SOURCES = [str(SAMPLE_DIR)]


def cmd_build(args) -> None:
    report = load_sources(args.sources or DEFAULT_SOURCES)
    build_index(report.documents, args.index, progress=True)
    console.print_load_report(report, file=sys.stdout)
    print(f"已建立索引：{args.index}")


def cmd_add(args) -> None:
    report = load_sources(args.paths)
    add_documents(report.documents, args.index, progress=True)
    console.print_load_report(report, file=sys.stdout)
    print(f"已加入索引：{args.index}")


def _plain(snippet: str) -> str:
    return re.sub(r"</?mark>", lambda m: "】" if m.group().startswith("</") else "【", snippet)


def cmd_search(args) -> None:
    params = {"q": args.query, "type": args.type, "office": args.office, "unit": args.unit, "year": args.year,
              "from": args.date_from, "to": args.date_to, "sort": args.sort, "page": args.page, "size": args.size}
    query = parse_search_query({k: v for k, v in params.items() if v is not None})
    result = open_index(args.index).search(query)
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False))
        return
    if result.notice:
        print(result.notice)
    print(f"共 {result.total} 条（第 {result.page} 页）")
    for rank, hit in enumerate(result.hits, start=(result.page - 1) * result.size + 1):
        print(f"{rank}. {hit.doc_number or ''} {hit.title} {' '.join(hit.path)}  [{hit.clause_id}]")
        print(f"   {' '.join(_plain(hit.snippet).split())}")
    for facet in result.facets:
        values = "  ".join(f"{v.value}({v.count})" for v in facet.results[:10])
        print(f"{facet.name}: {values}")


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="python -m index", description="公文检索的索引：建立、增量添加、检索")
    commands = top.add_subparsers(dest="command", required=True)

    def with_index(sub):
        sub.add_argument("--index", default=default_index_dir(), help="索引目录（默认 $GONGWEN_INDEX 或 instance/index）")
        return sub

    build = with_index(commands.add_parser("build", help="从文件或文件夹重建索引（完成后原子替换旧索引）"))
    build.add_argument("sources", nargs="*", help="文件或文件夹（默认 corpus/data/gazettes/）")
    build.set_defaults(run=cmd_build)
    add = with_index(commands.add_parser("add", help="把文件或文件夹加入现有索引（同 id 的文件被替换）"))
    add.add_argument("paths", nargs="+")
    add.set_defaults(run=cmd_add)
    search = with_index(commands.add_parser("search", help="检索条款"))
    search.add_argument("query")
    for name in FILTER_PARAMS:
        search.add_argument(f"--{name}", action="append", help="可重复，多选")
    search.add_argument("--from", dest="date_from")
    search.add_argument("--to", dest="date_to")
    search.add_argument("--sort")
    search.add_argument("--page")
    search.add_argument("--size")
    search.add_argument("--json", action="store_true", help="输出一个 JSON 对象")
    search.set_defaults(run=cmd_search)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return console.run(lambda: _run(args))


def _run(args) -> int:
    try:
        args.run(args)
    except (NoDocuments, IndexBusy, QueryError, IndexMissing) as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        raise
    except OSError as exc:
        print(f"错误：{exc.strerror or exc}: {exc.filename or ''}", file=sys.stderr)
        return 1
    return 0
