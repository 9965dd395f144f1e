"""`python -m app serve [--host 127.0.0.1] [--port 5000] [--index DIR] [--corpus DIR] [--engine URL]`.

Builds the index from the corpus folder on first start when none exists, prints the URL and serves.
For production run `gunicorn -w 2 -b 0.0.0.0:8000 'app:create_app()'` instead.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app import create_app
from index.engine import engine_url


def ensure_index(index_dir: str, corpus_dir: str) -> bool:
    """Build the index from `corpus_dir` unless one exists; True when it built one."""
    from index import IndexMissing, open_index
    from index.build import NoDocuments, build_index, load_sources

    try:
        open_index(index_dir)
        return False
    except IndexMissing:
        pass
    if not Path(corpus_dir).is_dir():
        raise SystemExit(f"错误：语料目录不存在：{corpus_dir}")
    print(f"首次启动：正在从 {corpus_dir} 建立索引 …", file=sys.stderr)
    try:
        report = load_sources([corpus_dir])
    except NoDocuments as exc:
        raise SystemExit(f"错误：{exc}") from None
    for skipped in report.skipped:
        print(f"跳过 {skipped}", file=sys.stderr)
    build_index(report.documents, index_dir, progress=True)
    print(f"已建立索引：{len(report.documents)} 件公文（{report.files} 个文件）→ {index_dir}", file=sys.stderr)
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m app", description="公文检索网站")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="启动网站（首次启动自动建立索引）")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=5000)
    serve.add_argument("--index", help="索引目录（默认 instance/index 或环境变量 GONGWEN_INDEX）")
    serve.add_argument("--corpus", help="语料目录（默认 corpus/data/gazettes 或环境变量 GONGWEN_CORPUS）")
    serve.add_argument("--engine", help="SphinxQL 集群地址 sphinxql://主机:端口/索引名（默认 GONGWEN_ENGINE；不设则用索引目录）")
    args = parser.parse_args(argv)

    config = {key: value for key, value in (("INDEX_DIR", args.index), ("CORPUS_DIR", args.corpus),
                                            ("ENGINE", args.engine)) if value}
    try:
        app = create_app(config)
    except ValueError as exc:
        raise SystemExit(f"错误：{exc}") from None
    if not engine_url(app.config.get("ENGINE")):  # a cluster is built with `python -m index build --engine`
        ensure_index(app.config["INDEX_DIR"], app.config["CORPUS_DIR"])
    host = f"[{args.host}]" if ":" in args.host else args.host
    print(f"公文检索已启动：http://{host}:{args.port}/  （Ctrl+C 停止）", flush=True)
    from werkzeug.serving import run_simple

    try:
        run_simple(args.host, args.port, app, threaded=True)
    except OSError as exc:
        raise SystemExit(f"错误：无法监听 {args.host}:{args.port}：{exc.strerror or exc}") from None
    return 0


if __name__ == "__main__":
    sys.exit(main())
