"""Parse throughput of the text parser on the bundled gazettes: documents/s and MB/s.

    python bench/bench_parse.py [FILE...] [--repeat N]

Each file is decoded once; then the parser runs `--repeat` times over all of them,
and so does a baseline that only splits and strips lines, so the ratio says how much
work parsing adds over merely reading the text (both measured in the same run).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from corpus import SAMPLE_DIR  # noqa: E402
from corpus.readers.text import decode_text  # noqa: E402
from corpus.text import clear_caches, parse_text  # noqa: E402

DEFAULT_FILES = sorted(SAMPLE_DIR.glob("*.txt"))


def best_of(repeat: int, run) -> float:
    """Fastest wall time of `repeat` runs (the least disturbed by other processes)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("files", nargs="*", type=Path, default=DEFAULT_FILES)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    texts = [(f.name, decode_text(f.read_bytes(), f.name)) for f in args.files]
    megabytes = sum(len(t.encode("utf-8")) for _, t in texts) / 1e6

    def parse_all():
        clear_caches()  # each run starts cold, as a fresh process would
        return sum(len(parse_text(text, name)) for name, text in texts)

    def split_lines():
        return sum(len([line.strip() for line in text.split("\n")]) for _, text in texts)

    docs = parse_all()
    parse_time = best_of(args.repeat, parse_all)
    base_time = best_of(args.repeat, split_lines)
    print(f"files: {len(texts)}  size: {megabytes:.3f} MB  documents: {docs}  (best of {args.repeat})")
    print(f"parse:     {parse_time * 1000:8.1f} ms  {docs / parse_time:10.1f} docs/s  {megabytes / parse_time:8.2f} MB/s")
    print(f"baseline:  {base_time * 1000:8.1f} ms  {'':>10}         {megabytes / base_time:8.2f} MB/s  (split + strip lines)")
    print(f"ratio:     parsing takes {parse_time / base_time:.0f}x the line-splitting baseline")
    return 0


if __name__ == "__main__":
    sys.exit(main())
