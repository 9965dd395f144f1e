"""Search benchmark, embedded index against a SphinxQL cluster, side by side in one run.

Builds the synthetic corpus of `bench_search.py` (N clauses from the sample's sentences) into
the embedded Whoosh index and into a cluster of `--shards` RT shards and a distributed front
(Debian's sphinxsearch `searchd`, started here on free loopback ports and stopped at the end),
then times the same queries doing a whole page's work (exact total, four facets, highlighted
top 10) on both, and prints p50/p95 and the ratio.

    python bench/bench_cluster.py --clauses 100000      # several minutes: two builds
    python bench/bench_cluster.py --clauses 5000        # quick look

Numbers are of this run on this machine: compare ratios, not absolute times.
"""

from __future__ import annotations

import argparse
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_search import QUERIES, p95, synthetic_documents, timed  # noqa: E402

from index.engine import open_engine, write_documents  # noqa: E402
from index.sphinxql.cluster import Cluster  # noqa: E402


def free_port_block(size: int) -> int:
    for base in range(21_000, 60_000, 97):
        try:
            for port in range(base, base + size):
                with socket.socket() as s:
                    s.bind(("127.0.0.1", port))
            return base
        except OSError:
            continue
    raise SystemExit("no free loopback ports")


def wait_for(port: int) -> None:
    for _ in range(300):
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise SystemExit(f"searchd did not listen on {port}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clauses", type=int, default=100_000)
    parser.add_argument("--shards", type=int, default=2)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    if shutil.which("searchd") is None:
        raise SystemExit("searchd 未安装（apt-get install sphinxsearch）")
    documents = synthetic_documents(args.clauses)
    print(f"{sum(len(d.clauses) for d in documents):,} clauses in {len(documents):,} documents, "
          f"{args.shards} shards", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        cluster = Cluster(shards=args.shards, port=free_port_block(1 + 2 * args.shards), folder=Path(tmp) / "cluster")
        cluster.write()
        started = []
        try:
            for config, port in [(s.config_file, s.sql_port) for s in cluster.shard_list] + \
                                [(cluster.front_file, cluster.port)]:
                subprocess.run(["searchd", "--config", str(config)], check=True, capture_output=True)
                started.append(config)
                wait_for(port)
            builds = {}
            for name, url in (("whoosh", None), ("sphinxql", cluster.url)):
                start = time.perf_counter()
                write_documents(documents, url, Path(tmp) / "index", rebuild=True, progress=False)
                builds[name] = time.perf_counter() - start
            print(f"build: whoosh {builds['whoosh']:.0f} s, sphinxql {builds['sphinxql']:.0f} s", flush=True)
            whoosh, sphinx = open_engine(None, Path(tmp) / "index"), open_engine(cluster.url, None)
            print("| query | whoosh cold | whoosh warm | sphinxql | sphinxql / whoosh cold (p50) | hits |")
            print("| --- | ---: | ---: | ---: | ---: | ---: |")
            for label, query in QUERIES.items():
                totals = {whoosh.search(query).total, sphinx.search(query).total}
                cold = timed(lambda q=query: whoosh.search(q), args.runs, before=whoosh.clear_caches)
                warm = timed(lambda q=query: whoosh.search(q), args.runs)
                cluster_times = timed(lambda q=query: sphinx.search(q), args.runs)
                p50 = {name: sorted(t)[len(t) // 2] for name, t in (("cold", cold), ("cluster", cluster_times))}
                print(f"| {label} | {p50['cold']:.1f} / {p95(cold):.1f} | {sorted(warm)[len(warm) // 2]:.1f} | "
                      f"{p50['cluster']:.1f} / {p95(cluster_times):.1f} | {p50['cluster'] / p50['cold']:.2f} | "
                      f"{' ≠ '.join(f'{t:,}' for t in sorted(totals))} |", flush=True)
        finally:
            for config in reversed(started):
                subprocess.run(["searchd", "--config", str(config), "--stopwait"], capture_output=True)


if __name__ == "__main__":
    main()
