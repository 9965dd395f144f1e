"""`python -m app serve [--host 127.0.0.1] [--port 5000] [--workers N] [--index DIR] [--corpus DIR] [--engine URL] [--dev]`.

Builds the index from the corpus folder on first start when none exists, prints the URL and
serves with gunicorn: one worker process per core (searches within one process take turns,
`index.service`), a few threads each so a slow client does not hold a worker, no version in
the `Server` header. A rebuild or an add needs no restart: each worker notices the new index
generation on its next request and swaps it in while the old one finishes its searches.
`--dev` runs Flask's development server with its reloader instead.
"""

from __future__ import annotations

import argparse
import os
import socket
import sys
from pathlib import Path

from gunicorn.app.base import BaseApplication

from app import create_app
from corpus import console
from index.engine import engine_url

THREADS_PER_WORKER = 4
# A search that runs longer than this is stuck: gunicorn replaces its worker.
WORKER_TIMEOUT_SECONDS = 60


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
    build_index(report.documents, index_dir, progress=True)
    console.print_load_report(report)
    print(f"已建立索引：{index_dir}", file=sys.stderr)
    return True


def gunicorn_options(host: str, port: int, workers: int) -> dict:
    """The gunicorn settings of `serve`.

    >>> gunicorn_options("::1", 8000, 2)["bind"], gunicorn_options("127.0.0.1", 80, 2)["workers"]
    (['[::1]:8000'], 2)
    """
    address = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    return {"bind": [address], "workers": workers, "worker_class": "gthread", "threads": THREADS_PER_WORKER,
            "timeout": WORKER_TIMEOUT_SECONDS, "graceful_timeout": WORKER_TIMEOUT_SECONDS,
            "loglevel": "warning", "post_worker_init": _warm_up}


def _warm_up(worker) -> None:
    # Load the index before the worker's first request, not during it.
    from index.engine import open_engine

    config = worker.app.flask_app.config
    open_engine(engine_url(config.get("ENGINE")), config["INDEX_DIR"])


class ProductionServer(BaseApplication):
    """gunicorn serving one Flask app with `gunicorn_options`."""

    def __init__(self, flask_app, options: dict):
        self.flask_app, self.options = flask_app, options
        super().__init__(prog="python -m app serve")

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        return self.flask_app


def _check_port(host: str, port: int) -> None:
    """Fail with one clear line when the address cannot be listened on (gunicorn would retry and log in English)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise SystemExit(f"错误：无法监听 {host}:{port}：{exc.strerror or exc}") from None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m app", description="公文检索网站")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="启动网站（首次启动自动建立索引）")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=5000)
    serve.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                       help="工作进程数（默认每个 CPU 核一个）")
    serve.add_argument("--index", help="索引目录（默认 instance/index 或环境变量 GONGWEN_INDEX）")
    serve.add_argument("--corpus", help="语料目录（默认 corpus/data/gazettes 或环境变量 GONGWEN_CORPUS）")
    serve.add_argument("--dev", action="store_true", help="开发模式：Flask 开发服务器，代码改动后自动重启")
    serve.add_argument("--engine", help="SphinxQL 集群地址 sphinxql://主机:端口/索引名（默认 GONGWEN_ENGINE；不设则用索引目录）")
    args = parser.parse_args(argv)
    if args.workers < 1:
        parser.error("--workers 至少为 1")

    config = {key: value for key, value in (("INDEX_DIR", args.index), ("CORPUS_DIR", args.corpus),
                                            ("ENGINE", args.engine)) if value}
    try:
        app = create_app(config)
    except ValueError as exc:
        raise SystemExit(f"错误：{exc}") from None
    if not engine_url(app.config.get("ENGINE")):  # a cluster is built with `python -m index build --engine`
        ensure_index(app.config["INDEX_DIR"], app.config["CORPUS_DIR"])
    if not os.environ.get("WERKZEUG_RUN_MAIN"):  # the reloader's child serves on its parent's socket
        _check_port(args.host, args.port)
    host = f"[{args.host}]" if ":" in args.host else args.host
    mode = "开发模式" if args.dev else f"{args.workers} 个工作进程"
    print(f"公文检索已启动：http://{host}:{args.port}/  （{mode}；Ctrl+C 停止）", flush=True)
    if args.dev:
        from werkzeug.serving import run_simple

        run_simple(args.host, args.port, app, threaded=True, use_reloader=True)
    else:
        ProductionServer(app, gunicorn_options(args.host, args.port, args.workers)).run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
