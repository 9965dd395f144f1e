"""Relevance benchmark: our search against plain BM25 over jieba words, on judged queries, in one run.

Two sets, both in `bench/data/` (see its README for sources and licences):

(a) `judged_queries.tsv`: keyword queries on the bundled sample corpus, each with the clauses a
    county official would want first (`best`, gain 2) and others that are also useful (`also`,
    gain 1). Printed: MRR@10 of the first `best` clause and graded nDCG@10.
(b) `stard_questions.tsv`: real layperson questions from the STARD dataset (MIT licence) over
    the full text of two laws in `bench/data/laws/`, with the 条 that answer them. A hit counts
    for the 条 it is in (a 项 under 第四十条 counts as 第四十条). Printed: recall@10 of the
    relevant 条 and MRR@10.

The baseline is textbook BM25 (k1=1.2, b=0.75, Lucene idf) over `jieba.lcut` words of the same
clauses, with the same words cut from the query and no stop words: what "plain BM25 over jieba
words" means in issue 12. Both rank the clauses our index holds; the ratio is ours / baseline.

    python bench/bench_relevance.py          # both sets, about 20 s
    python bench/bench_relevance.py -v       # also every query whose best answer is not first
"""

from __future__ import annotations

import argparse
import csv
import math
import re
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from corpus import SAMPLE_DIR  # noqa: E402
from corpus.ingest import load_paths  # noqa: E402
from corpus.model import Document  # noqa: E402
from index import SearchQuery, open_index  # noqa: E402
from index.build import build_index  # noqa: E402

DATA = Path(__file__).resolve().parent / "data"
LAWS_DIR = DATA / "laws"
TOP = 10
ARTICLE = re.compile(r"^第[〇零一二三四五六七八九十百千]+条$")


@dataclass
class Unit:
    """One clause as both engines see it: its id, its 条 (for laws) and its text."""

    id: str
    doc_id: str
    path: list[str]
    text: str


def units_of(documents: list[Document]) -> list[Unit]:
    return [Unit(c.id, d.id, list(c.path), c.text) for d in documents for c in d.clauses]


def article_of(doc_id: str, path: list[str]) -> tuple[str, str] | None:
    """The 条 a clause belongs to, as (document id, 第X条); None for chapters and sections."""
    for label in path:
        if ARTICLE.match(label):
            return doc_id, label
    return None


class PlainBM25:
    """Okapi BM25 over jieba words, with its own jieba so that our tokenizer's added words do not
    change how it cuts (they are added to the process-wide jieba)."""

    K1, B = 1.2, 0.75

    def __init__(self, units: list[Unit]):
        import jieba

        self.jieba = jieba.Tokenizer()
        self.units = units
        self.docs = [Counter(self.words(u.text)) for u in units]
        self.lengths = [sum(d.values()) for d in self.docs]
        self.average = sum(self.lengths) / len(self.lengths)
        frequency = Counter(w for d in self.docs for w in d)
        n = len(self.docs)
        self.idf = {w: math.log(1 + (n - f + 0.5) / (f + 0.5)) for w, f in frequency.items()}

    def words(self, text: str) -> list[str]:
        return [w for w in self.jieba.lcut(text) if re.search(r"\w", w)]

    def search(self, query: str, top: int = TOP) -> list[Unit]:
        words = [w for w in self.words(query) if w in self.idf]
        scored = []
        for i, doc in enumerate(self.docs):
            norm = self.K1 * (1 - self.B + self.B * self.lengths[i] / self.average)
            score = sum(self.idf[w] * doc[w] * (self.K1 + 1) / (doc[w] + norm) for w in words if w in doc)
            if score > 0:
                scored.append((-score, i))
        return [self.units[i] for _, i in sorted(scored)[:top]]


def ours(index, query: str) -> list[Unit]:
    return [Unit(h.clause_id, h.doc_id, list(h.path), h.snippet) for h in index.search(SearchQuery(text=query, size=TOP)).hits]


def reciprocal_rank(ranked: list[bool]) -> float:
    return next((1 / (i + 1) for i, hit in enumerate(ranked) if hit), 0.0)


def ndcg(gains: list[int], judged: list[int]) -> float:
    def dcg(values):
        return sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(values[:TOP]))

    return dcg(gains) / dcg(sorted(judged, reverse=True))


def read_tsv(name: str) -> list[dict]:
    with open(DATA / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def ids(cell: str) -> list[str]:
    return [x for x in cell.split(",") if x]


def keyword_scores(rows: list[dict], engines: dict, verbose: bool) -> dict:
    """MRR@10 of the first `best` clause and graded nDCG@10, per engine."""
    scores = {name: {"MRR@10": 0.0, "nDCG@10": 0.0} for name in engines}
    for row in rows:
        grade = {i: 1 for i in ids(row["also"])} | {i: 2 for i in ids(row["best"])}
        for name, search in engines.items():
            ranked = [u.id for u in search(row["query"])]
            rr = reciprocal_rank([grade.get(i) == 2 for i in ranked])
            scores[name]["MRR@10"] += rr / len(rows)
            scores[name]["nDCG@10"] += ndcg([grade.get(i, 0) for i in ranked], list(grade.values())) / len(rows)
            if verbose and rr < 1:
                print(f"  {name:10s} {row['query']}: best {row['best']} at "
                      f"{'rank ' + str(round(1 / rr)) if rr else 'none of top 10'}; first: {ranked[:3]}")
    return scores


def question_scores(rows: list[dict], law_ids: dict, engines: dict, verbose: bool) -> dict:
    """Recall@10 of the relevant 条 and MRR@10 of the first hit inside one, per engine."""
    scores = {name: {"recall@10": 0.0, "MRR@10": 0.0} for name in engines}
    for row in rows:
        relevant = {(law_ids[row["law"]], a) for a in row["articles"].split(",")}
        for name, search in engines.items():
            articles = [article_of(u.doc_id, u.path) for u in search(row["question"])]
            found = relevant & set(articles)
            scores[name]["recall@10"] += len(found) / len(relevant) / len(rows)
            rr = reciprocal_rank([a in relevant for a in articles])
            scores[name]["MRR@10"] += rr / len(rows)
            if verbose and not found:
                print(f"  {name:10s} STARD {row['stard_id']} {row['question']}: none of {row['articles']} in top 10")
    return scores


def table(title: str, scores: dict) -> None:
    metrics = list(next(iter(scores.values())))
    print(f"\n{title}")
    print(f"{'':14s}" + "".join(f"{m:>11s}" for m in metrics))
    for name, values in scores.items():
        print(f"{name:14s}" + "".join(f"{values[m]:11.3f}" for m in metrics))
    base, mine = scores["plain BM25"], scores["ours"]
    print(f"{'ours / BM25':14s}" + "".join(f"{mine[m] / base[m] if base[m] else float('inf'):11.2f}" for m in metrics))


def load(paths: list[Path]) -> list[Document]:
    report = load_paths(paths)
    if report.skipped:
        sys.exit("无法读取: " + "; ".join(str(e) for e in report.skipped))
    return report.documents


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-v", "--verbose", action="store_true", help="list the queries each engine gets wrong")
    args = ap.parse_args()
    start = time.perf_counter()
    sample = load([SAMPLE_DIR])
    laws = load(sorted(LAWS_DIR.glob("*.txt")))
    law_ids = {Path(d.source).stem: d.id for d in laws}
    if len(law_ids) != len(laws):
        sys.exit("每个法律文件应当只有一篇文档")
    keyword_rows, question_rows = read_tsv("judged_queries.tsv"), read_tsv("stard_questions.tsv")
    with tempfile.TemporaryDirectory() as tmp:
        build_index(sample, Path(tmp) / "sample", progress=False)
        build_index(laws, Path(tmp) / "laws", progress=False)
        sample_index, law_index = open_index(Path(tmp) / "sample"), open_index(Path(tmp) / "laws")
        sample_units, law_units = units_of(sample), units_of(laws)
        sample_bm25, law_bm25 = PlainBM25(sample_units), PlainBM25(law_units)
        n_articles = len({article_of(u.doc_id, u.path) for u in law_units} - {None})

        print(f"(a) {len(keyword_rows)} judged keyword queries on the sample corpus "
              f"({len(sample)} documents, {len(sample_units)} clauses)")
        unknown = {i for r in keyword_rows for i in ids(r["best"]) + ids(r["also"])} - {u.id for u in sample_units}
        if unknown:
            sys.exit("judged_queries.tsv 中的条款不存在: " + ", ".join(sorted(unknown)))
        keyword = keyword_scores(keyword_rows, {
            "ours": lambda q: ours(sample_index, q), "plain BM25": sample_bm25.search}, args.verbose)
        table("keyword queries: MRR@10 of the first best clause, graded nDCG@10", keyword)

        print(f"\n(b) {len(question_rows)} STARD layperson questions over {len(laws)} laws "
              f"({n_articles} 条, {len(law_units)} clauses)")
        questions = question_scores(question_rows, law_ids, {
            "ours": lambda q: ours(law_index, q), "plain BM25": law_bm25.search}, args.verbose)
        table("questions: recall@10 of the relevant 条, MRR@10", questions)
    print(f"\ntargets (issue 12): keyword MRR@10 ≥ 0.85; question recall@10 ≥ 1.5 × plain BM25.  "
          f"{time.perf_counter() - start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
