"""Load benchmark: the production server (`python -m app serve`) on loopback, under 1, 8 and 32 clients.

Builds an index of the sample corpus into a temporary folder (or uses `--index`), starts the
server as a newcomer would, and lets N concurrent clients (threads holding keep-alive
connections, like browsers) send a mix of what people do: searches with and without filters,
result pages, document pages and clause permalinks, unit ledgers, the JSON API and CSV exports.
Each level runs `--seconds` (default 20) and at most `--max-requests` requests; early in each
level `python -m index build` rebuilds the index from the same sources (taking its share of the
CPU) and swaps it in under the running server. A level goes on past its seconds until two
seconds after the swap (at most three times its length); the table says when the swap landed.

It prints requests/s, latency p50/p95/p99 in milliseconds, the failed requests (any status
other than 200, or a dropped connection), and whether every JSON search answered the same
total for the same query before and after the rebuild. Throughput is also given as a ratio to
the single-client level of the same run. Loopback only; the machine may be shared, so compare
levels of one run, not runs of different days.

    python bench/bench_load.py                      # 1, 8, 32 clients, 20 s each
    python bench/bench_load.py --clients 8 --seconds 5
    python bench/bench_load.py --no-rebuild         # steady state, no rebuild during the levels
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from corpus import SAMPLE_DIR  # noqa: E402
from index import open_index  # noqa: E402

WORDS = ["清廉", "乡村振兴", "安全生产", "学校", "农村公路", "疫情防控", "财政", "林长制", "河长制", "养老",
         "就业", "防汛", "消防", "教育", "医疗保障", "环境保护", "建设", "监督", "考核", "资金"]


def quote(value: str) -> str:
    return urllib.parse.quote(value, safe="")


def request_mix(index_dir: Path, rng: random.Random) -> list[tuple[str, str]]:
    """(kind, path) pairs in the proportions of the mix, drawn from what the index holds."""
    index = open_index(index_dir)
    documents = index.documents()
    clauses = [clause.id for doc in documents for clause in doc.clauses]
    units = sorted({name for doc in documents for clause in doc.clauses for name in clause.unit_names})
    years = sorted({doc.date[:4] for doc in documents if doc.date})
    types = sorted({doc.doc_type for doc in documents if doc.doc_type})
    # (kind, share of the requests, a path of that kind drawn with the query word).
    kinds = [
        ("search", 0.30, lambda w: f"/search?q={quote(w)}"),
        ("filtered", 0.10, lambda w: f"/search?q={quote(w)}&type={quote(rng.choice(types))}&year={rng.choice(years)}"),
        ("page 2", 0.05, lambda w: f"/search?q={quote(w)}&page=2"),
        ("json", 0.15, lambda w: f"/search.json?q={quote(w)}"),
        ("csv", 0.05, lambda w: f"/search.csv?q={quote(w)}&unit={quote(rng.choice(units))}"),
        ("document", 0.15, lambda w: f"/d/{quote(rng.choice(documents).id)}"),
        ("clause", 0.12, lambda w: "/d/" + "/".join(quote(part) for part in rng.choice(clauses).split("/"))),
        ("unit", 0.05, lambda w: f"/unit/{quote(rng.choice(units))}"),
        ("home", 0.03, lambda w: "/"),
    ]
    mix = []
    for _ in range(2000):
        word = rng.choice(WORDS)
        kind, _share, path = rng.choices(kinds, weights=[share for _, share, _ in kinds])[0]
        mix.append((kind, path(word)))
    return mix


class Results:
    def __init__(self):
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.by_kind: dict[str, list[float]] = {}
        self.failed: list[str] = []
        self.totals: dict[str, set[int]] = {}

    def record(self, kind: str, path: str, seconds: float, status: int | None, body: bytes) -> None:
        with self.lock:
            self.latencies.append(seconds)
            self.by_kind.setdefault(kind, []).append(seconds)
            if status != 200:
                self.failed.append(f"{status} {path}")
            elif path.startswith("/search.json"):
                self.totals.setdefault(path, set()).add(json.loads(body)["total"])


def client(port: int, mix, rng: random.Random, deadline: list[float], budget: list[int], results: Results) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    while time.monotonic() < deadline[0]:
        with results.lock:
            if budget[0] <= 0:
                return
            budget[0] -= 1
        kind, path = rng.choice(mix)
        started = time.perf_counter()
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            status, body = response.status, response.read()
        except (OSError, http.client.HTTPException):
            status, body = None, b""
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        results.record(kind, path, time.perf_counter() - started, status, body)
    connection.close()


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] * 1000 if len(values) > 1 else values[0] * 1000


def rebuild(index_dir: Path, sources: list[str]) -> None:
    subprocess.run([sys.executable, "-m", "index", "build", *sources, "--index", str(index_dir)], cwd=ROOT,
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def run_level(port: int, mix, clients: int, seconds: float, max_requests: int, index_dir: Path, sources,
              swap: bool = True) -> dict:
    results, budget = Results(), [max_requests]
    started = time.monotonic()
    deadline = [started + 3 * seconds]  # until the rebuild is in; then see below
    threads = [threading.Thread(target=client, args=(port, mix, random.Random(i), deadline, budget, results))
               for i in range(clients)]
    for thread in threads:
        thread.start()
    time.sleep(seconds / 10)
    if swap:
        rebuild(index_dir, sources)
    swapped = time.monotonic()
    # A rebuild under load can outlast the level: then the level goes on until two seconds after
    # the swap (within three times its length), so that requests are timed on the new index too.
    deadline[0] = min(max(started + seconds, swapped + 2), started + 3 * seconds)
    for thread in threads:
        thread.join()
    elapsed = min(time.monotonic(), deadline[0]) - started
    latencies = results.latencies
    return {"clients": clients, "requests": len(latencies), "rps": len(latencies) / elapsed,
            "p50": percentile(latencies, 50), "p95": percentile(latencies, 95), "p99": percentile(latencies, 99),
            "failed": results.failed, "consistent": all(len(t) == 1 for t in results.totals.values()),
            "queries_checked": len(results.totals), "swapped_at": swapped - started if swap else None,
            "seconds": elapsed, "by_kind": results.by_kind}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_serving(port: int, process: subprocess.Popen) -> None:
    for _ in range(600):
        if process.poll() is not None:
            raise SystemExit("服务器未能启动")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("服务器 60 秒内未启动")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 8, 32])
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--max-requests", type=int, default=200_000, help="per level")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--index", help="an index to serve (default: the sample corpus, built into a temporary folder)")
    parser.add_argument("--sources", nargs="*", default=[str(SAMPLE_DIR)], help="what the mid-run rebuild indexes")
    parser.add_argument("--no-rebuild", action="store_true", help="no rebuild during the levels (steady state)")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as scratch:
        index_dir = Path(args.index) if args.index else Path(scratch) / "index"
        if not args.index:
            rebuild(index_dir, args.sources)
        mix = request_mix(index_dir, random.Random(14))
        load_before = os.getloadavg()[0]
        port = free_port()
        with open(Path(scratch) / "serve.log", "w") as log:
            server = subprocess.Popen([sys.executable, "-m", "app", "serve", "--port", str(port), "--index",
                                       str(index_dir), "--workers", str(args.workers)],
                                      cwd=ROOT, stdout=subprocess.DEVNULL, stderr=log)
        try:
            wait_until_serving(port, server)
            run_level(port, mix, 2, 2, 1000, index_dir, args.sources, swap=False)  # warm every worker
            rows = [run_level(port, mix, n, args.seconds, args.max_requests, index_dir, args.sources,
                              swap=not args.no_rebuild) for n in args.clients]
        finally:
            server.terminate()
            server.wait(timeout=30)
    base = rows[0]["rps"]
    print(f"{os.cpu_count()} CPU, {args.workers} workers, {args.seconds:g} s per level, one rebuild swapped in "
          f"mid-level{' (not: --no-rebuild)' if args.no_rebuild else ''}; load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after (the machine is shared)")
    print("| clients | seconds | requests | requests/s | vs first | p50 ms | p95 ms | p99 ms | failed | rebuild swapped in at | totals consistent |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for row in rows:
        print(f"| {row['clients']} | {row['seconds']:.1f} | {row['requests']:,} | {row['rps']:.0f} | {row['rps'] / base:.2f} | {row['p50']:.1f} "
              f"| {row['p95']:.1f} | {row['p99']:.1f} | {len(row['failed'])} "
              f"| {'-' if row['swapped_at'] is None else format(row['swapped_at'], '.1f') + ' s'} "
              f"| {'yes' if row['consistent'] else 'NO'} ({row['queries_checked']} queries) |")
    print()
    print("| kind of request | " + " | ".join(f"p50 / p99 ms at {row['clients']}" for row in rows) + " |")
    print("| --- |" + " ---: |" * len(rows))
    for kind in sorted(rows[0]["by_kind"], key=lambda k: -len(rows[0]["by_kind"][k])):
        cells = [f"{percentile(row['by_kind'][kind], 50):.1f} / {percentile(row['by_kind'][kind], 99):.1f}"
                 if row["by_kind"].get(kind) else "-" for row in rows]
        print(f"| {kind} | " + " | ".join(cells) + " |")
    failures = [f for row in rows for f in row["failed"]]
    for failure in failures[:10]:
        print("failed:", failure)
    return 1 if failures or not all(row["consistent"] for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
