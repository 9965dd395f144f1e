"""Ranking: which of the matching units come first. The ranking parameters, all of them, are named here.

Ranking is BM25 over the jieba words of the query (the `body` field's postings: whole words),
computed once per word and generation as numpy arrays (docnums, scores) from the posting
arrays (`index.postings`) and the mapped per-unit lengths, bare-heading flags and headings
(`index.arrays`): nothing per unit is held in a serving process's own memory. The page's best
are those at or above the count-th best score (`numpy.partition`), so only they are sorted.
Several words are summed into one array indexed by docnum. Whoosh's own scorer costs ~12 µs
per matching clause (280 ms for a word in 24,000 of 100,000 clauses); this costs a few
nanoseconds per posting on top of decoding them, and nothing when the word was seen before.

The parameters (measured by `python bench/bench_relevance.py` against plain BM25):

- a unit's score is the sum over the query's words (each as often as it was said) of BM25
  (`BM25_K1`, `BM25_B`) on the unit's words, a word in the unit's heading or an ancestor's
  counting (1 + `HEADING_WEIGHT`) times;
- a bare heading with clauses under it is scaled by `HEADING_ONLY_WEIGHT`, so its matching
  children come before it;
- a term in a document's title or 文号 adds `TITLE_BONUS` to the document's lead (导语);
- the units matching the whole query (an exact phrase, all of a question's terms) get `FIRST_BONUS`;
- in a question, a word in a document's title adds `QUESTION_TITLE_WEIGHT` × its idf to the
  document's units, and words of three characters or more also score by their character pairs
  (BM25 on `grams`, × `GRAM_WEIGHT`);
- equal scores: the newer document first.
"""

from __future__ import annotations

import math
from collections import Counter
from itertools import chain

import numpy as np

from index import bits as bitset
from index.postings import postings
from tokenizer import compact_text

BM25_K1, BM25_B = 1.2, 0.75
HEADING_WEIGHT = 0.5
HEADING_ONLY_WEIGHT = 0.2
TITLE_BONUS = 100.0
QUESTION_TITLE_WEIGHT = 0.5
FIRST_BONUS = 1000.0
GRAM_WEIGHT = 0.5
# A match set this many times smaller than the index is ordered by its members' ranks, a larger one by walking
# the date order (in growing chunks) until the page is full.
DENSE_FRACTION = 32
_WALK_CHUNK = 4096


class Ranking:
    """The ranking of a generation (`index.snapshot.Generation`; `index.search.Snapshot` is both):
    per word its scores (kept per generation), per search the page's best."""

    def _load_ranking(self) -> None:
        """The average unit length, for BM25's length norm (each unit's norm is computed with its scores)."""
        self.average_length = int(self.lengths.sum(dtype=np.int64)) / max(1, len(self.docnums))

    def by_date(self, matched: int, count: int) -> list[int]:
        """The first `count` matching docnums, newest document first, clauses in document order."""
        if count <= 0 or not matched:
            return []
        ranks, order = self.date_rank, self.date_order
        if matched.bit_count() * DENSE_FRACTION < len(order):
            ids = bitset.members(matched)
            if len(ids) > count:
                ids = ids[np.argpartition(ranks[ids], count - 1)[:count]]
            return ids[np.argsort(ranks[ids])].tolist()
        # Many matches: walk the clauses newest first until the page is full.
        member = bitset.flags(matched, self.size)
        found: list[int] = []
        start, step = 0, max(_WALK_CHUNK, count * DENSE_FRACTION)
        while start < len(order) and len(found) < count:
            chunk = order[start:start + step]
            found += chunk[member[chunk]][:count - len(found)].tolist()
            start, step = start + step, step * 2
        return found

    def word_scores(self, word: str, field: str = "body") -> tuple[np.ndarray, np.ndarray]:
        """(docnums, score) of each unit holding `word` in `field` (a jieba word of `body`, a character
        pair of `grams`), computed once per generation.

        The score is BM25, times (1 + HEADING_WEIGHT) where the word is in the unit's heading,
        times the unit's weight (HEADING_ONLY_WEIGHT for a bare heading).
        """
        cached = self._words_cache.get((field, word))
        if cached is None:
            ids, tfs = postings(self.reader, field, word)
            ids = ids.astype(np.int32)
            idf = math.log(1 + (len(self.docnums) - len(ids) + 0.5) / (len(ids) + 0.5)) * (BM25_K1 + 1)
            norms = BM25_K1 * (1 - BM25_B + BM25_B * self.lengths[ids] / (self.average_length or 1))
            scores = idf * tfs / (tfs + norms)
            in_heading = np.isin(ids, self.heading_units.holding(word), assume_unique=True)
            scores *= np.where(in_heading, 1.0 + HEADING_WEIGHT, 1.0)
            scores *= np.where(self.bare_heading[ids], HEADING_ONLY_WEIGHT, 1.0)
            cached = ids, scores
            self._words_cache.put((field, word), cached, cost=ids.nbytes + scores.nbytes)
        return cached

    def word_idf(self, word: str) -> float:
        """The BM25 idf of a jieba word."""
        found = len(self.word_scores(word)[0])
        return math.log(1 + (len(self.docnums) - found + 0.5) / (found + 0.5))

    def title_bits(self, word: str) -> int:
        """Every unit of the documents whose title contains `word`."""
        return self.documents_bits(self.served.arrays["unit_doc"][self.title_leads(word)])

    def title_leads(self, term: str) -> list[int]:
        """The lead units of the documents whose title or 文号 contains `term` (folded)."""
        key = compact_text(term).strip()
        return self.leads[self.lead_titles.holding(key)].tolist() if key else []

    def ranked(self, matched: int, terms: list[str], count: int, first: int = 0,
               question: bool = False) -> list[tuple[int, float]]:
        """The first `count` matching docnums, best first (see the ranking parameters), then the rest by date.

        A clause that holds a term only across jieba's word boundaries (廉学 in 清廉学校) has no
        whole-word score and comes after those that hold it as a word. A 文号 selects, it does not
        rank: its pieces (泸发, 2021) would put the clauses quoting it before its own; it puts
        its document's lead first, as a term in a title does. `first` (a question's units
        matching the whole query) gets FIRST_BONUS. In a `question`, the terms are its content words
        and a word in a title counts for the document's units that hold one of the words
        (QUESTION_TITLE_WEIGHT times the word's idf) instead of putting the lead first.
        The answer is kept for the same matches, words and count (a repeated search or a
        reloaded page), so a warm search does not rank again.
        """
        if not matched or count <= 0:
            return []
        # A word said twice weighs twice (BM25's query term frequency).
        said = Counter(w for term in terms if not self.doc_number_id(term) for w in self.query_words(term))
        words = list(said)
        key = (matched, tuple(said.items()), tuple(terms), count, first, question)
        cached = self._pages.get(key)
        if cached is None:
            # A title bonus per term found in the title, the first bonus once.
            titles = Counter(chain.from_iterable(map(self.title_leads, terms if not question else ())))
            boosted = np.array(sorted(titles), dtype=np.int64)
            bonus = np.array([titles[n] * TITLE_BONUS for n in boosted.tolist()], dtype=np.float64)
            if first & matched:
                firsts = bitset.members(first & matched)
                with_firsts = np.union1d(boosted, firsts)
                total = np.zeros(len(with_firsts))
                total[np.searchsorted(with_firsts, boosted)] = bonus
                total[np.searchsorted(with_firsts, firsts)] += FIRST_BONUS
                boosted, bonus = with_firsts, total
            terms = [(w, "body", float(said[w])) for w in words]
            titled = []
            if question:
                # A question's long words also count by their character pairs (劳动关系 in 劳动 关系).
                terms += [(g, "grams", GRAM_WEIGHT) for w in words if len(w) > 2 for g in self.query_grams(w)]
                titled = [(self.title_bits(w), self.word_idf(w)) for w in words]
            cached = self._ranked_words(matched, terms, count, (boosted, bonus), titled)
            self._pages.put(key, cached)
        return cached

    def _ranked_words(self, matched: int, terms: list[tuple[str, str, float]], count: int,
                      bonus: tuple[np.ndarray, np.ndarray], titled: list[tuple[int, float]]) -> list[tuple[int, float]]:
        """`terms` are (term, field, weight): jieba words of `body`, character pairs of `grams`;
        `bonus` is (docnums ascending, the bonus of each)."""
        member = bitset.flags(matched, self.size)
        boosted, extra = bonus
        ranks = self.date_rank
        if len(terms) == 1 and not titled:
            ids, scores = self.word_scores(terms[0][0])
            keep = member[ids]
            ids, scores = ids[keep], scores[keep]
            keep = member[boosted]
            boosted, extra = boosted[keep], extra[keep]
            if len(boosted):
                # One word's BM25 stays far below TITLE_BONUS: the boosted come first, plus their own score
                # (found by bisection: postings ascend).
                at = np.minimum(np.searchsorted(ids, boosted), max(0, len(ids) - 1))
                own = np.where(ids[at] == boosted, scores[at], 0.0) if len(ids) else np.zeros(len(boosted))
                head = _best(boosted, extra + own, count, ranks)
                rest = np.isin(ids, boosted, assume_unique=True, invert=True)
                ranked = (head + _best(ids[rest], scores[rest], count, ranks))[:count]
            else:
                ranked = _best(ids, scores, count, ranks)
        else:
            # Sums in one array indexed by docnum.
            total = np.zeros(self.size)
            candidates = np.zeros(self.size, dtype=bool)
            candidates[boosted] = True
            for term, field, weight in terms:
                ids, scores = self.word_scores(term, field)
                total[ids] += weight * scores if weight != 1.0 else scores
                candidates[ids] = True
            total[boosted] += extra
            ids = np.flatnonzero(candidates & member)
            scores = total[ids]
            for bits, idf in titled:
                if bits:
                    scores = scores + (QUESTION_TITLE_WEIGHT * idf) * bitset.flags(bits, self.size)[ids]
            ranked = _best(ids, scores, count, ranks)
        if len(ranked) == count:
            return ranked
        rest = matched & ~bitset.from_ids([n for n, _ in ranked], self.size)
        return ranked + [(n, 0.0) for n in self.by_date(rest, count - len(ranked))]


def _best(ids: np.ndarray, scores: np.ndarray, count: int, rank: np.ndarray) -> list[tuple[int, float]]:
    """The `count` (id, score) pairs of highest score, best first; ties by `rank` of the id (lower first).

    >>> _best(np.array([4, 7, 9, 2]), np.array([0.5, 2.0, 0.5, 1.0]), 3, rank=np.array([0, 0, 0, 0, 5, 0, 0, 0, 0, 1]))
    [(7, 2.0), (2, 1.0), (9, 0.5)]
    """
    if len(ids) > count:
        # Only the scores at or above the count-th best are sorted.
        threshold = np.partition(scores, len(scores) - count)[len(scores) - count]
        chosen = scores >= threshold
        ids, scores = ids[chosen], scores[chosen]
    order = np.lexsort((rank[ids], -scores))[:count]
    return list(zip(ids[order].tolist(), scores[order].tolist(), strict=True))
