"""`python -m index build|add|search`: a thin layer over `index.build` and the search service.

    python -m index build [SOURCES...] [--index DIR]      # default: corpus/data/gazettes → instance/index
    python -m index add PATH... [--index DIR]
    python -m index search "QUERY" [--index DIR] [--type 通知] [--office …] [--unit …] [--year 2021]
                           [--from 2021-01-01] [--to 2021-12-31] [--sort relevance|date]
                           [--page N] [--size N] [--json]
    python -m index cluster-config --shards N --port P --dir DIR [--host 127.0.0.1]

The index folder is `--index`, else `$GONGWEN_INDEX`, else `instance/index` in the project.
`--engine sphinxql://HOST:P/INDEX` (else `$GONGWEN_ENGINE`) uses a SphinxQL cluster instead
(`index.sphinxql`; `cluster-config` writes its searchd configuration).
User errors print one line on stderr and exit non-zero.
"""

from __future__ import annotations

import argparse
import json
import sys

from corpus import SAMPLE_DIR, console
from index.build import NoDocuments, load_sources
from index.engine import BadEngineURL, engine_url, open_engine, write_documents
from index.facets import FACETS
from index.query import QueryError, parse_search_query
from index.storage import IndexBusy, IndexMissing, default_index_dir

DEFAULT_SOURCES = [str(SAMPLE_DIR)]


def cmd_build(args) -> None:
    report = load_sources(args.sources or DEFAULT_SOURCES)
    url = engine_url(args.engine)
    write_documents(report.documents, url, args.index, rebuild=True)
    console.print_load_report(report, file=sys.stdout)
    print(f"已建立索引：{url or args.index}")


def cmd_add(args) -> None:
    report = load_sources(args.paths)
    url = engine_url(args.engine)
    write_documents(report.documents, url, args.index, rebuild=False)
    console.print_load_report(report, file=sys.stdout)
    print(f"已加入索引：{url or args.index}")


def cmd_search(args) -> None:
    params = {"q": args.query, **{f.name: getattr(args, f.name) for f in FACETS},
              "from": args.date_from, "to": args.date_to, "sort": args.sort, "page": args.page, "size": args.size}
    query = parse_search_query({k: v for k, v in params.items() if v is not None})
    result = open_engine(engine_url(args.engine), args.index).search(query)
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False))
        return
    if result.notice:
        print(result.notice)
    print(f"共 {result.total} 条（第 {result.page} 页）")
    for rank, hit in enumerate(result.hits, start=(result.page - 1) * result.size + 1):
        print(f"{rank}. {hit.doc_number or ''} {hit.title} {' '.join(hit.path)}  [{hit.clause_id}]")
        print(f"   {' '.join(hit.snippet.render(lambda part: f'【{part}】').split())}")
    for facet in result.facets:
        values = "  ".join(f"{v.value}({v.count})" for v in facet.results[:10])
        print(f"{facet.name}: {values}")


def cmd_cluster_config(args) -> None:
    from pathlib import Path

    from index.sphinxql.cluster import Cluster

    if args.port + 2 * args.shards > 65535:
        raise QueryError(f"端口 {args.port} 之后没有 {2 * args.shards} 个端口可给分片")
    cluster = Cluster(shards=args.shards, port=args.port, folder=Path(args.dir).absolute(), host=args.host)
    files = cluster.write()
    print(f"已写入 {len(files)} 个 searchd 配置文件（{args.shards} 个分片 + 1 个分布式入口）：{cluster.folder}")
    print("启动（先分片，后入口）：")
    for command in cluster.start_commands():
        print("  " + " ".join(command))
    print("停止：")
    for command in cluster.stop_commands():
        print("  " + " ".join(command))
    print(f"检索引擎地址：--engine {cluster.url}  （或 GONGWEN_ENGINE={cluster.url}）")


def _port(value: str) -> int:
    port = int(value)
    if not 0 < port < 65536:
        raise argparse.ArgumentTypeError(f"端口应在 1 到 65535 之间：{value}")
    return port


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="python -m index", description="公文检索的索引：建立、增量添加、检索")
    commands = top.add_subparsers(dest="command", required=True)

    def with_index(sub):
        sub.add_argument("--index", default=default_index_dir(), help="索引目录（默认 $GONGWEN_INDEX 或 instance/index）")
        sub.add_argument("--engine", help="SphinxQL 集群地址 sphinxql://主机:端口/索引名（默认 $GONGWEN_ENGINE；"
                                          "不设则用索引目录）")
        return sub

    build = with_index(commands.add_parser("build", help="从文件或文件夹重建索引（完成后原子替换旧索引）"))
    build.add_argument("sources", nargs="*", help="文件或文件夹（默认 corpus/data/gazettes/）")
    build.set_defaults(run=cmd_build)
    add = with_index(commands.add_parser("add", help="把文件或文件夹加入现有索引（同 id 的文件被替换）"))
    add.add_argument("paths", nargs="+")
    add.set_defaults(run=cmd_add)
    search = with_index(commands.add_parser("search", help="检索条款"))
    search.add_argument("query")
    for f in FACETS:
        search.add_argument(f"--{f.name}", action="append", help=f"{f.label}（可重复，多选）")
    search.add_argument("--from", dest="date_from")
    search.add_argument("--to", dest="date_to")
    search.add_argument("--sort")
    search.add_argument("--page")
    search.add_argument("--size")
    search.add_argument("--json", action="store_true", help="输出一个 JSON 对象")
    search.set_defaults(run=cmd_search)
    cluster = commands.add_parser("cluster-config", help="写出 SphinxQL 集群（N 个分片 + 1 个分布式入口）的 searchd 配置")
    cluster.add_argument("--shards", type=int, choices=range(1, 257), metavar="N", required=True, help="分片数（1–256）")
    cluster.add_argument("--port", type=_port, required=True, help="入口的 SphinxQL 端口；分片用其后的 2N 个端口")
    cluster.add_argument("--dir", required=True, help="配置与数据目录")
    cluster.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1）")
    cluster.set_defaults(run=cmd_cluster_config)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return console.run(lambda: _run(args))


def _run(args) -> int:
    try:
        args.run(args)
    except (NoDocuments, IndexBusy, QueryError, IndexMissing, BadEngineURL) as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        raise
    except OSError as exc:
        print(f"错误：{exc.strerror or exc}: {exc.filename or ''}", file=sys.stderr)
        return 1
    return 0
