"""Search benchmark: our Whoosh index against SQLite FTS5 on the same synthetic corpus, in one run.

Builds a synthetic corpus of N clauses (default 100,000) from the sentences of the bundled
gazettes, indexes it with `index.build.build_index`, and loads the same clauses, pre-tokenized
by jieba, into an SQLite FTS5 table (the baseline). Then it times typical queries doing the
whole page's work — exact total, all four facets (type, office, unit, year) and highlighted
top 10 — and prints p50/p95 for both engines and their ratio.

    python bench/bench_search.py                 # 100,000 clauses (several minutes)
    python bench/bench_search.py --clauses 5000  # quick look
    python bench/bench_search.py --engine sphinxql --shards 2   # and a SphinxQL cluster, side by side

With `--engine sphinxql` the corpus is also written to a cluster of `--shards` RT shards and a
distributed front (Debian's sphinxsearch `searchd`, started here on free loopback ports in the
temporary folder and stopped at the end: `index.sphinxql.local`), and the table gains its column
and its ratio to our cold search.

Numbers are medians of this run on this machine: compare ratios, not absolute times.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from corpus import SAMPLE_DIR  # noqa: E402
from corpus.model import Clause, Document, Unit, clause_id_for  # noqa: E402
from index import open_index  # noqa: E402
from index.build import build_index  # noqa: E402
from index.engine import open_engine, write_documents  # noqa: E402
from index.query import SearchQuery  # noqa: E402
from tokenizer import jieba_for  # noqa: E402

TYPES = ["通知", "意见", "决定", "通告", "通报", "办法"]
OFFICES = ["泸溪县人民政府", "泸溪县人民政府办公室", "中共泸溪县委", "中共泸溪县委办公室", "县教育和体育局", "县财政局"]
UNITS = ["县教体局", "县财政局", "县卫健局", "县纪委监委", "县委组织部", "县委宣传部", "县发改局", "县民政局",
         "县农业农村局", "县自然资源局", "县住建局", "县人社局", "县公安局", "县司法局", "各乡镇人民政府"]
QUERIES = {
    "one word 建设": SearchQuery(text="建设", size=10),
    "two words 乡村 监督": SearchQuery(text="乡村 监督", size=10),
    "phrase 乡村振兴": SearchQuery(text='"乡村振兴"', size=10),
    "word + filter 通知": SearchQuery(text="建设", types=("通知",), size=10),
}


def sentences() -> list[str]:
    text = "".join(p.read_text("utf-8") for p in sorted(SAMPLE_DIR.glob("*.txt")))
    text = re.sub(r"\s+", "", text)
    return [s + "。" for s in text.split("。") if 12 <= len(s) <= 300]


def synthetic_documents(n_clauses: int, seed: int = 7) -> list[Document]:
    """Documents of 25 clauses each, 1 to 4 sentences a clause, random metadata and units."""
    rng = random.Random(seed)
    pool = sentences()
    documents = []
    for d in range(0, n_clauses, 25):
        year = rng.randint(2015, 2024)
        doc_number = f"泸测发〔{year}〕{d // 25 + 1}号"
        doc_type = rng.choice(TYPES)
        doc = Document(
            id=f"泸测发-{year}-{d // 25 + 1}", title=f"关于{rng.choice(pool)[:12]}的{doc_type}",
            doc_number=doc_number, offices=rng.sample(OFFICES, rng.choice([1, 1, 2])), doc_type=doc_type,
            date=f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", text="", source="synthetic")
        taken: set[str] = set()
        for i in range(min(25, n_clauses - d)):
            path = [f"{i // 5 + 1}.", f"（{i % 5 + 1}）"]
            units = rng.sample(UNITS, rng.randint(0, 3))
            doc.clauses.append(Clause(
                id=clause_id_for(doc.id, path, taken), label=path[-1], path=path,
                text="".join(rng.choice(pool) for _ in range(rng.randint(1, 4))),
                lead_units=units[:1], main_units=units[1:],
                units=[Unit(u, "lead" if k == 0 else "main", u) for k, u in enumerate(units)]))
        doc.text = "\n".join(c.text for c in doc.clauses)
        documents.append(doc)
    return documents


def fts5_build(documents: list[Document], path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path)
    db.executescript("""
        CREATE VIRTUAL TABLE clause_fts USING fts5(tokens, text UNINDEXED, tokenize='unicode61');
        CREATE TABLE clause (id INTEGER PRIMARY KEY, doc_type TEXT, year TEXT);
        CREATE TABLE clause_office (clause INTEGER, office TEXT);
        CREATE TABLE clause_unit (clause INTEGER, unit TEXT);
        CREATE INDEX clause_office_i ON clause_office(clause);
        CREATE INDEX clause_unit_i ON clause_unit(clause);
    """)
    rowid = 0
    for doc in documents:
        for clause in doc.clauses:
            rowid += 1
            db.execute("INSERT INTO clause_fts(rowid, tokens, text) VALUES (?, ?, ?)",
                       (rowid, " ".join(jieba_for(()).cut_for_search(clause.text)), clause.text))
            db.execute("INSERT INTO clause VALUES (?, ?, ?)", (rowid, doc.doc_type, doc.date[:4]))
            db.executemany("INSERT INTO clause_office VALUES (?, ?)", [(rowid, o) for o in doc.offices])
            db.executemany("INSERT INTO clause_unit VALUES (?, ?)", [(rowid, u) for u in clause.unit_names])
    db.commit()
    return db


def fts5_match(query: SearchQuery) -> str:
    phrase = query.text.startswith('"')
    words = [w for w in jieba_for(()).cut(query.text.strip('"')) if w.strip()]
    return '"' + " ".join(words) + '"' if phrase else " AND ".join(f'"{w}"' for w in words)


def fts5_search(db: sqlite3.Connection, query: SearchQuery) -> int:
    """The same page of work as our search: total, four facets, highlighted top 10."""
    match = fts5_match(query)
    placeholders = ",".join("?" * len(query.types))
    where = "clause_fts MATCH ?" + (f" AND c.doc_type IN ({placeholders})" if query.types else "")
    args = [match, *query.types]
    base = f"FROM clause_fts JOIN clause c ON c.id = clause_fts.rowid WHERE {where}"
    total = db.execute(f"SELECT count(*) {base}", args).fetchone()[0]
    db.execute(f"SELECT c.doc_type, count(*) {base} GROUP BY 1 ORDER BY 2 DESC", args).fetchall()
    db.execute(f"SELECT c.year, count(*) {base} GROUP BY 1", args).fetchall()
    for table, col in (("clause_office", "office"), ("clause_unit", "unit")):
        db.execute(f"SELECT x.{col}, count(*) {base.replace('WHERE', f'JOIN {table} x ON x.clause = c.id WHERE')} "
                   f"GROUP BY 1 ORDER BY 2 DESC LIMIT 30", args).fetchall()
    db.execute(f"SELECT snippet(clause_fts, 0, '<mark>', '</mark>', '…', 40) {base} ORDER BY rank LIMIT 10",
               args).fetchall()
    return total


def timed(fn, repeat: int, before=None) -> list[float]:
    """Milliseconds of `repeat` calls after one warm-up; `before` runs untimed ahead of each call."""
    fn()
    times = []
    for _ in range(repeat):
        if before:
            before()
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return times


def p95(values: list[float]) -> float:
    return sorted(values)[max(0, int(round(0.95 * len(values))) - 1)]


def cpu_seconds() -> float:
    """CPU time of this process and of its finished child processes (the build's workers)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def directory_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


_SERVING = """
import json, sys, time
sys.path.insert(0, sys.argv[1])
from index import open_index
from index.query import SearchQuery
start = time.perf_counter()
index = open_index(sys.argv[2])
index.stats()
seconds = time.perf_counter() - start
for text in sys.argv[3:]:
    index.search(SearchQuery(text=text, size=10))
print(json.dumps(seconds), flush=True)
sys.stdin.read()
"""


def _memory(pid: int) -> dict[str, float]:
    """MiB of a process: resident (RSS), proportional (PSS: shared pages divided among the processes mapping
    them) and private (pages no other process maps: what this process alone adds)."""
    kb = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, value = line.split()[:2]
        kb[name.rstrip(":")] = int(value)
    return {"rss": kb["Rss"] / 1024, "pss": kb["Pss"] / 1024,
            "private": (kb["Private_Clean"] + kb["Private_Dirty"]) / 1024}


def serving_processes(index_dir: Path, queries: list[str]) -> list[tuple[float, dict[str, float]]]:
    """Two serving processes started one after the other, as gunicorn's workers: for each, (seconds to open
    the index, jieba's dictionary included; its memory with both running, after the benchmark queries)."""
    workers, opened = [], []
    try:
        for _ in range(2):
            worker = subprocess.Popen([sys.executable, "-c", _SERVING, str(ROOT), str(index_dir), *queries],
                                      stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
            workers.append(worker)
            opened.append(float(worker.stdout.readline()))
        return [(seconds, _memory(w.pid)) for seconds, w in zip(opened, workers, strict=True)]
    finally:
        for worker in workers:
            worker.communicate("", timeout=60)


_FORKED = """
import json, os, signal, sys
sys.path.insert(0, sys.argv[1])
from index import open_index
from index.query import SearchQuery
open_index(sys.argv[2]).stats()
children = []
for _ in range(2):
    ready, done = os.pipe()
    pid = os.fork()
    if pid == 0:
        index = open_index(sys.argv[2])
        for text in sys.argv[3:]:
            index.search(SearchQuery(text=text, size=10))
        os.write(done, b"1")
        signal.pause()
    children.append((pid, ready))
for pid, ready in children:
    os.read(ready, 1)
print(json.dumps([pid for pid, _ in children]), flush=True)
sys.stdin.read()
for pid, _ in children:
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
"""


def forked_workers(index_dir: Path, queries: list[str]) -> list[dict[str, float]]:
    """The memory of two workers forked from a process that opened the index, as `python -m app serve`
    starts them (its master opens the index first), after each ran the benchmark queries."""
    master = subprocess.Popen([sys.executable, "-c", _FORKED, str(ROOT), str(index_dir), *queries],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        return [_memory(pid) for pid in json.loads(master.stdout.readline())]
    finally:
        master.communicate("", timeout=60)


def cluster_engine(stack: contextlib.ExitStack, documents: list[Document], folder: Path, shards: int):
    """(the SphinxQL engine on a running loopback cluster in `folder` holding `documents`, seconds the build
    took, the names of the cluster's `searchd`s that crashed so far: a function to call at the end)."""
    from index.sphinxql.local import crashed, loopback, running

    cluster = stack.enter_context(running(loopback(folder, shards)))
    start = time.perf_counter()
    write_documents(documents, cluster.url, None, rebuild=True, progress=False)
    return open_engine(cluster.url, None), time.perf_counter() - start, lambda: crashed(cluster)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clauses", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--engine", choices=["sphinxql"], help="also a SphinxQL cluster (searchd on loopback)")
    parser.add_argument("--shards", type=int, default=2, help="the cluster's shards (with --engine sphinxql)")
    args = parser.parse_args()

    documents = synthetic_documents(args.clauses)
    n = sum(len(d.clauses) for d in documents)
    print(f"synthetic corpus: {len(documents)} documents, {n} clauses")
    with tempfile.TemporaryDirectory() as tmp, contextlib.ExitStack() as stack:
        tmp = Path(tmp)
        jieba_for(())  # both builds cut with jieba's dictionary: load it before timing either
        start, cpu = time.perf_counter(), cpu_seconds()
        build_index(documents, tmp / "index", progress=False)
        whoosh_build, whoosh_cpu = time.perf_counter() - start, cpu_seconds() - cpu
        start, cpu = time.perf_counter(), cpu_seconds()
        db = stack.enter_context(contextlib.closing(fts5_build(documents, tmp / "fts.db")))
        fts_build, fts_cpu = time.perf_counter() - start, cpu_seconds() - cpu
        print(f"build: whoosh {whoosh_build:.1f} s = {n / whoosh_build:.0f} clauses/s "
              f"({directory_size(tmp / 'index') / 2**20:.0f} MiB), "
              f"fts5 {fts_build:.1f} s = {n / fts_build:.0f} clauses/s "
              f"({(tmp / 'fts.db').stat().st_size / 2**20:.0f} MiB), ratio {whoosh_build / fts_build:.2f}")
        print(f"build CPU (every process; on a busy machine the fairer comparison): whoosh {whoosh_cpu:.1f} s, "
              f"fts5 {fts_cpu:.1f} s, ratio {whoosh_cpu / fts_cpu:.2f}")
        cluster = None
        if args.engine:
            cluster, seconds, crashed = cluster_engine(stack, documents, tmp / "cluster", args.shards)
            print(f"build: sphinxql ({args.shards} shards) {seconds:.1f} s = {n / seconds:.0f} clauses/s "
                  f"({directory_size(tmp / 'cluster') / 2**20:.0f} MiB), whoosh / sphinxql {whoosh_build / seconds:.2f}")
        (first, one), (second, two) = serving_processes(tmp / "index", [q.text for q in QUERIES.values()])
        print(f"open in a new serving process: {first:.2f} s (jieba's dictionary included); a second one: {second:.2f} s")
        print(f"serving processes after the benchmark queries, MiB: first RSS {one['rss']:.0f} "
              f"(PSS {one['pss']:.0f}, private {one['private']:.0f}); second RSS {two['rss']:.0f} "
              f"(PSS {two['pss']:.0f}, private {two['private']:.0f}); the second adds {two['private']:.0f} MiB "
              f"of its own, both together PSS {one['pss'] + two['pss']:.0f}")
        one, two = forked_workers(tmp / "index", [q.text for q in QUERIES.values()])
        print(f"two workers forked from a process that opened the index (as python -m app serve), MiB: "
              f"RSS {one['rss']:.0f} and {two['rss']:.0f}, PSS {one['pss']:.0f} and {two['pss']:.0f}, "
              f"each one's own {one['private']:.0f} and {two['private']:.0f}")

        start = time.perf_counter()
        index = open_index(tmp / "index")
        index.stats()
        print(f"open in this process: {time.perf_counter() - start:.1f} s")
        print("\nquery: exact total + 4 facets + top-10 highlights; ms, p50 / p95 over "
              f"{args.repeat} runs; 'cold' clears our per-index caches before each run")
        columns = ["ours cold", "ours warm", "fts5"] + ["sphinxql"] * bool(cluster)
        ratios = f"{'cold/fts5':>9s}" + f" {'sphinxql/cold':>13s}" * bool(cluster)
        print(f"{'':26s} {' '.join(f'{c:>15s}' for c in columns)} {ratios}  hits")
        for name, query in QUERIES.items():
            times = [timed(lambda q=query: index.search(q), args.repeat, before=index.clear_caches),
                     timed(lambda q=query: index.search(q), args.repeat),
                     timed(lambda q=query: fts5_search(db, q), args.repeat)]
            totals = f"{index.search(query).total} (fts5 {fts5_search(db, query)}"
            if cluster:
                times.append(timed(lambda q=query: cluster.search(q), args.repeat))
                found = cluster.search(query)  # a notice: a shard did not answer (partial results)
                totals += f", sphinxql {found.total}" + (f" {found.notice}" if found.notice else "")
            cells = " ".join(f"{statistics.median(t):7.1f} /{p95(t):6.1f}" for t in times)
            ratio = f"{statistics.median(times[0]) / statistics.median(times[2]):9.2f}"
            if cluster:
                ratio += f" {statistics.median(times[3]) / statistics.median(times[0]):13.2f}"
            print(f"{name:26s} {cells} {ratio}  {totals})")
        if cluster and crashed():
            print(f"searchd crashed during the run (its log has a crash dump): {', '.join(crashed())}")


if __name__ == "__main__":
    main()
