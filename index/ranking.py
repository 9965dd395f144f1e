"""Ranking: which of the matching units come first. The ranking parameters, all of them, are named here.

Ranking is BM25 over the jieba words of the query (the `body` field's postings: whole words),
computed once per word and generation, with the weights and bonuses below; the page's best are
those at or above the count-th best score (`heapq.nlargest` of the floats), so only they are
sorted. Several words are summed into one list indexed by docnum. Whoosh's own scorer costs
~12 µs per matching clause (280 ms for a word in 24,000 of 100,000 clauses); this costs well
under 1 µs, and nothing when the word was seen before.

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

import bisect
import heapq
import math
from collections import Counter, deque
from itertools import chain, compress, repeat
from operator import add, contains, mul, truediv

from index import bits as bitset
from index.postings import term_postings
from tokenizer import compact_text

BM25_K1, BM25_B = 1.2, 0.75
HEADING_WEIGHT = 0.5
HEADING_ONLY_WEIGHT = 0.2
TITLE_BONUS = 100.0
QUESTION_TITLE_WEIGHT = 0.5
FIRST_BONUS = 1000.0
GRAM_WEIGHT = 0.5
# A match set this many times smaller than the index is ordered by a heap, a larger one by walking the date order.
DENSE_FRACTION = 32


class Ranking:
    """The ranking of a generation (`index.snapshot.Generation`; `index.search.Snapshot` is both):
    per docnum the unit's BM25 length norm and weight, per word its scores (kept per generation),
    per search the page's best."""

    def _load_ranking(self) -> None:
        """Per docnum: the BM25 length norm of the unit and its weight (a bare heading's is lower)."""
        lengths = self.lengths.tolist()
        average = sum(lengths) / max(1, len(self.docnums))
        self.length_norm = [BM25_K1 * (1 - BM25_B + BM25_B * n / (average or 1)) for n in lengths]
        self.unit_weight = list(map((1.0, HEADING_ONLY_WEIGHT).__getitem__, self.bare_heading.tolist()))

    def by_date(self, matched: int, count: int) -> list[int]:
        """The first `count` matching docnums, newest document first, clauses in document order."""
        if matched.bit_count() * DENSE_FRACTION < len(self.date_order):
            return heapq.nsmallest(count, bitset.to_ids(matched), key=self.date_rank.__getitem__)
        # Many matches: walk the clauses newest first until the page is full.
        mask = matched.to_bytes(self.nbytes, "little")
        found = []
        for docnum in self.date_order:
            if mask[docnum >> 3] >> (docnum & 7) & 1:
                found.append(docnum)
                if len(found) == count:
                    break
        return found

    def word_scores(self, word: str, field: str = "body") -> tuple[list[int], list[float]]:
        """(docnums, score) of each unit holding `word` in `field` (a jieba word of `body`, a character
        pair of `grams`), computed once per generation.

        The score is BM25, times (1 + HEADING_WEIGHT) where the word is in the unit's heading,
        times the unit's weight (HEADING_ONLY_WEIGHT for a bare heading).
        """
        cached = self._words_cache.get((field, word))
        if cached is None:
            ids, tfs = term_postings(self.reader, field, word)
            idf = math.log(1 + (len(self.docnums) - len(ids) + 0.5) / (len(ids) + 0.5)) * (BM25_K1 + 1)
            # idf * tf / (tf + norm), one map per operation: no bytecode per posting.
            norms = map(self.length_norm.__getitem__, ids)
            scores = map(truediv, map(idf.__mul__, tfs), map(add, tfs, norms))
            in_heading = map(contains, map(self.headings.__getitem__, ids), repeat(word))
            scores = map(mul, scores, map(_HEADING_FACTOR.__getitem__, in_heading))
            cached = ids, list(map(mul, scores, map(self.unit_weight.__getitem__, ids)))
            self._words_cache.put((field, word), cached)
        return cached

    def word_idf(self, word: str) -> float:
        """The BM25 idf of a jieba word."""
        found = len(self.word_scores(word)[0])
        return math.log(1 + (len(self.docnums) - found + 0.5) / (found + 0.5))

    def title_bits(self, word: str) -> int:
        """Every unit of the documents whose title contains `word`."""
        return bitset.union(self.doc_bits.get(self.doc_at[n].id, 0) for n in self.title_leads(word))

    def title_leads(self, term: str) -> list[int]:
        """The lead units of the documents whose title or 文号 contains `term` (folded)."""
        key = compact_text(term).strip()
        return list(compress(self.leads, map(contains, self.lead_titles, repeat(key)))) if key else []

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
            # Counted in C: a title bonus per term found in the title, the first bonus once.
            titles = Counter(chain.from_iterable(map(self.title_leads, terms if not question else ())))
            bonus = {n: k * TITLE_BONUS for n, k in titles.items()}
            if first & matched:
                firsts = bitset.to_ids(first & matched)
                bonus.update(zip(firsts, [bonus.get(n, 0.0) + FIRST_BONUS for n in firsts], strict=True))
            terms = [(w, "body", float(said[w])) for w in words]
            titled = []
            if question:
                # A question's long words also count by their character pairs (劳动关系 in 劳动 关系).
                terms += [(g, "grams", GRAM_WEIGHT) for w in words if len(w) > 2 for g in self.query_grams(w)]
                titled = [(self.title_bits(w), self.word_idf(w)) for w in words]
            cached = self._ranked_words(matched, terms, count, bonus, titled)
            self._pages.put(key, cached)
        return cached

    def _ranked_words(self, matched: int, terms: list[tuple[str, str, float]], count: int,
                      bonus: dict[int, float], titled: list[tuple[int, float]]) -> list[tuple[int, float]]:
        """`terms` are (term, field, weight): jieba words of `body`, character pairs of `grams`."""
        member = bitset.flags(matched, self.size).__getitem__
        if len(terms) == 1 and not titled:
            ids, scores = self.word_scores(terms[0][0])
            keep = list(map(member, ids))
            ids, scores = list(compress(ids, keep)), list(compress(scores, keep))
            boosted = [n for n in bonus if member(n)]
            if boosted:
                # One word's BM25 stays far below TITLE_BONUS: the boosted come first, plus their own score
                # (found by bisection: postings ascend).
                at = list(map(bisect.bisect_left, repeat(ids), boosted))
                own = [scores[i] if i < len(ids) and ids[i] == n else 0.0 for i, n in zip(at, boosted, strict=True)]
                head = _best(boosted, [bonus[n] + s for n, s in zip(boosted, own, strict=True)], count, self.date_rank)
                chosen = set(boosted)
                rest = [pair for pair in _best(ids, scores, count + len(chosen), self.date_rank)
                        if pair[0] not in chosen]
                ranked = (head + rest)[:count]
            else:
                ranked = _best(ids, scores, count, self.date_rank)
        else:
            # Sums in one list indexed by docnum, filled by maps: no bytecode per posting.
            total = [0.0] * self.size
            candidates = set(bonus)
            for term, field, weight in terms:
                ids, scores = self.word_scores(term, field)
                if weight != 1.0:
                    scores = map(weight.__mul__, scores)
                deque(map(total.__setitem__, ids, map(add, map(total.__getitem__, ids), scores)), maxlen=0)
                candidates.update(ids)
            deque(map(total.__setitem__, bonus, map(add, map(total.__getitem__, bonus), bonus.values())), maxlen=0)
            ids = list(compress(candidates, map(member, candidates)))
            scores = list(map(total.__getitem__, ids))
            for bits, idf in titled:
                if bits:
                    in_title = bitset.flags(bits, self.size).__getitem__
                    scores = list(map(add, scores, map((QUESTION_TITLE_WEIGHT * idf).__mul__, map(in_title, ids))))
            ranked = _best(ids, scores, count, self.date_rank)
        if len(ranked) == count:
            return ranked
        rest = matched & ~bitset.from_ids((n for n, _ in ranked), self.size)
        return ranked + [(n, 0.0) for n in self.by_date(rest, count - len(ranked))]


def _best(ids: list[int], scores: list[float], count: int, rank: list[int]) -> list[tuple[int, float]]:
    """The `count` (id, score) pairs of highest score, best first; ties by `rank` of the id (lower first).

    >>> _best([4, 7, 9, 2], [0.5, 2.0, 0.5, 1.0], 3, rank=[0, 0, 0, 0, 5, 0, 0, 0, 0, 1])
    [(7, 2.0), (2, 1.0), (9, 0.5)]
    """
    chosen = range(len(ids))
    if len(ids) > count:
        # Only the scores at or above the count-th best are sorted.
        threshold = heapq.nlargest(count, scores)[-1]
        chosen = compress(chosen, map(threshold.__le__, scores))
    order = sorted(chosen, key=lambda i: (-scores[i], rank[ids[i]]))
    return [(ids[i], scores[i]) for i in order[:count]]


_HEADING_FACTOR = (1.0, 1.0 + HEADING_WEIGHT)
