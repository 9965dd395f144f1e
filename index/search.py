"""Searching one generation of the index: literal matching, filters, facets, ranking, snippets.

What is searched are units: a document's numbered clauses and its passages, the text outside
them (`index.passages`), so every character of a document can be found. Opening a generation
and what it holds per docnum is `index.snapshot`.

How a query is answered (each step measured against the naive Whoosh way at 100,000 clauses):

1. **Which clauses match** is decided on literal text (`index.literal`), so a string typed
   anywhere in a clause finds it whatever jieba's word boundaries were, as a set of docnums kept
   as a Python integer bitset (`index.bits`): AND/OR/NOT and counts are single C operations.
   Loops over postings or clauses are `map`/`compress` chains: no Python bytecode runs per clause.
2. **Filters and facets** use one bitset per facet value, read from the facet fields' postings
   once per generation; a facet's counts ignore its own selection (disjunctive within a
   facet, conjunctive across facets) and cost one AND + popcount per value.
3. **Ranking** is BM25 over the jieba words of the query (the `body` field's postings: whole
   words), computed once per word and generation, with the weights and bonuses named under
   "Ranking parameters" below (headings, titles, bare headings, exact phrases, questions);
   the page's best are those at or above the count-th best score (`heapq.nlargest` of the
   floats), so only they are sorted. Several words are summed into one list indexed by docnum.
   Whoosh's own scorer costs ~12 µs per matching clause (280 ms for a word in 24,000 of
   100,000 clauses); this costs well under 1 µs, and nothing when the word was seen before.
4. **Snippets** are cut from the stored clause text with our own escaped highlighter.
"""

from __future__ import annotations

import bisect
import heapq
import math
from collections import Counter, deque
from itertools import chain, compress, repeat
from operator import add, contains, mul, truediv

from corpus.docnumber import doc_number_key
from index import bits as bitset
from index import messages, unit_facet
from index.citation import Found, split_citation
from index.facets import FACETS
from index.highlight import snippet
from index.postings import term_postings
from index.query import SearchQuery
from index.results import Facet, Hit, SearchResult, facet_from_counts
from index.snapshot import Generation
from index.syntax import ParsedText, parse_text
from index.syntax import Term as QueryTerm
from tokenizer import compact_text

FACET_LIMIT = 50
FEW_HITS = 3
LONG_QUERY_TERMS = 3
# Ranking parameters, all of them (measured by bench/bench_relevance.py). A unit's score is the sum over the query's words of BM25
# (k1, b) on the unit's words, a word in the unit's heading or an ancestor's counting (1 + HEADING_WEIGHT) times;
# a bare heading with clauses under it is scaled by HEADING_ONLY_WEIGHT, so its matching
# children come before it; a term in a document's title or 文号 adds TITLE_BONUS to the
# document's lead (导语); in a question's ranking the units matching the whole query (exact
# phrase, all its terms) get FIRST_BONUS, and a word in a document's title adds
# QUESTION_TITLE_WEIGHT × its idf to the document's units, and a question's words of three
# characters or more also score by their character pairs (BM25 on `grams`, × GRAM_WEIGHT).
# Equal scores: the newer document first.
BM25_K1, BM25_B = 1.2, 0.75
HEADING_WEIGHT = 0.5
HEADING_ONLY_WEIGHT = 0.2
TITLE_BONUS = 100.0
QUESTION_TITLE_WEIGHT = 0.5
FIRST_BONUS = 1000.0
GRAM_WEIGHT = 0.5
DENSE_FRACTION = 32


class Snapshot(Generation):
    """One generation of the index (`index.snapshot`), searched: matching, filters, facets, ranking, snippets."""

    def _load(self, reader) -> None:
        super()._load(reader)
        self._load_ranking()

    def _load_ranking(self) -> None:
        """Per docnum: the BM25 length norm of the unit and its weight (a bare heading's is lower)."""
        lengths = list(map(len, self.folded))
        average = sum(lengths) / max(1, len(self.docnums))
        self.length_norm = [BM25_K1 * (1 - BM25_B + BM25_B * n / (average or 1)) for n in lengths]
        self.unit_weight = [HEADING_ONLY_WEIGHT if bare else 1.0 for bare in self.bare_heading]

    # Matching -----------------------------------------------------------------------------

    def literal_bits(self, text: str) -> int:
        """Units whose compacted text (`tokenizer.compact_text`) contains the compacted `text` (`index.literal`)."""
        return self.literals.bits(text)

    def _documents_where(self, predicate) -> int:
        return bitset.union(self.doc_bits.get(doc.id, 0) for doc in self.documents.values() if predicate(doc))

    def term_bits(self, term: QueryTerm) -> int:
        """The clauses a term matches: a literal, or the 文号 of an indexed document (its clauses and those quoting it)."""
        key = compact_text(term.text)
        if term.field == "text":
            doc_id = self.doc_number_id(term.text)
            if doc_id:
                return self.doc_bits.get(doc_id, 0) | self.literal_bits(term.text)
        if term.field == "title":
            return self._documents_where(lambda doc: key in compact_text(doc.title))
        if term.field == "doc_number":
            key = doc_number_key(term.text)
            return self._documents_where(lambda doc: key in doc_number_key(doc.doc_number or ""))
        if term.field == "unit":
            units = self.facet_bits.get("unit", {})
            return bitset.union(b for value, b in units.items() if key in compact_text(value))
        return self.literal_bits(term.text)

    def doc_number_id(self, text: str) -> str | None:
        """The id of the indexed document whose 文号 `text` is (any brackets), else None."""
        doc = self.references.document(text)
        return doc.id if doc else None

    def text_bits(self, parsed: ParsedText) -> int:
        result = self.all_bits
        for group in parsed.groups:
            result &= bitset.union(self.term_bits(term) for term in group)
        for term in parsed.excluded:
            result &= ~self.term_bits(term)
        return result

    # Filters and facets -------------------------------------------------------------------

    def date_bits(self, date_from: str | None, date_to: str | None) -> int:
        if not (date_from or date_to):
            return self.all_bits
        key = (date_from, date_to)
        cached = self._literals.get(key)
        if cached is None:
            start = bisect.bisect_left(self.dated, (date_from or "",))
            end = bisect.bisect_right(self.dated, ((date_to or "9999") + "\uffff",))
            cached = bitset.from_ids((n for _, n in self.dated[start:end]), self.size)
            self._literals.put(key, cached)
        return cached

    def selection_bits(self, q: SearchQuery) -> dict[str, int]:
        """Per facet, the clauses its selected values allow (every clause when none is selected).

        The from/to range is a selection of its own (`"date"`, not a facet): every facet's counts
        honour it, the year facet's included, so no year is offered that the range leaves empty.
        """
        result = {}
        for f in FACETS:
            facet, values = self.facet_bits.get(f.name, {}), q.selected(f.name)
            chosen = (unit_facet.value_bits(facet, v) if f.scoped else facet.get(v, 0) for v in values)
            result[f.name] = bitset.union(chosen) if values else self.all_bits
        result["date"] = self.date_bits(q.date_from, q.date_to)
        return result

    def facets(self, matched: int, selections: dict[str, int], q: SearchQuery, limit: int) -> list[Facet]:
        """Each facet's values with their counts under every other selection (its own ignored).

        A value that would give no results is not offered, unless it is selected (so it can be unselected).
        """
        facets = []
        for f in FACETS:
            base = matched
            for other, allowed in selections.items():
                if other != f.name:
                    base &= allowed
            counts = {value: (base & b).bit_count() for value, b in self.facet_bits.get(f.name, {}).items()}
            facets.append(facet_from_counts(f.name, counts, set(q.selected(f.name)), limit))
        return facets

    # Ranking ------------------------------------------------------------------------------

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
        words = list(dict.fromkeys(w for term in terms if not self.doc_number_id(term)
                                   for w in self.query_words(term)))
        key = (matched, tuple(words), tuple(terms), count, first, question)
        cached = self._pages.get(key)
        if cached is None:
            # Counted in C: a title bonus per term found in the title, the first bonus once.
            titles = Counter(chain.from_iterable(map(self.title_leads, terms if not question else ())))
            bonus = {n: k * TITLE_BONUS for n, k in titles.items()}
            if first & matched:
                firsts = bitset.to_ids(first & matched)
                bonus.update(zip(firsts, [bonus.get(n, 0.0) + FIRST_BONUS for n in firsts], strict=True))
            terms = [(w, "body", 1.0) for w in words]
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

    # The search ---------------------------------------------------------------------------

    def search(self, q: SearchQuery, facet_limit: int = FACET_LIMIT) -> SearchResult:
        text, cut = q.searched_text()
        notices = [cut] if cut else []
        selections = self.selection_bits(q)
        allowed = self.all_bits
        for b in selections.values():
            allowed &= b
        top = q.page * q.size

        highlight: list[str] = []
        citation = self.references.resolve(text) if text else None
        if not text:
            matched = self.all_bits
            order = [(n, 0.0) for n in self.by_date(matched & allowed, top)]
        elif citation and citation.missing:
            notices.append(messages.not_indexed(citation.missing, citation.citing))
            matched = self._citing(citation)
            highlight = [citation.missing]
            order = [(n, 0.0) for n in self.by_date(matched & allowed, top)]
        elif citation:
            matched, order, highlight = self._cited(citation, allowed, top)
            if citation.path and citation.clause is None:
                notices.append(messages.NOTICE_CITATION_LABEL.format(
                    document=citation.doc.doc_number or citation.doc.title, label=citation.path))
        else:
            parsed = parse_text(self._doc_number_apart(text))
            if parsed.notice:
                notices.append(parsed.notice)
            matched = self.text_bits(parsed)
            words = [t.text for t in parsed.positive if t.field == "text"]
            highlight = [t.text for t in parsed.positive if t.field in ("text", "unit")]
            # Words typed apart but written together in a unit (`清廉 学校` → 清廉学校): an exact phrase, first.
            first = self.literal_bits("".join(words)) & matched if parsed.plain and len(words) > 1 else 0
            question = None
            if parsed.plain and (matched & allowed).bit_count() < FEW_HITS:
                question = self._question(parsed, matched, allowed)
                if question:
                    first = matched
                    matched, words, notice = question
                    highlight = highlight + words
                    notices.append(notice)
            if q.sort == "date":
                order = [(n, 0.0) for n in self.by_date(matched & allowed, top)]
            else:
                order = self.ranked(matched & allowed, words, top, first=first & allowed, question=bool(question))

        result = SearchResult(query=q.text, total=(matched & allowed).bit_count(), page=q.page, size=q.size)
        result.hits = [self._hit(n, score, highlight) for n, score in order[(q.page - 1) * q.size:top]]
        result.facets = self.facets(matched, selections, q, facet_limit)
        result.notice = " ".join(notices) or None
        return result

    def _cited(self, found: Found, allowed: int, top: int) -> tuple[int, list[tuple[int, float]], list[str]]:
        """(matches, order, highlight) for a reference to an indexed document: the clause it names first,
        then the rest of the document in order, then the clauses of other documents quoting its 文号."""
        doc = found.doc
        own_bits = self.doc_bits.get(doc.id, 0)
        matched = own_bits | (self.literal_bits(doc.doc_number) if doc.doc_number else 0)
        own = [self.docnums[c.id] for c in self.units[doc.id] if c.id in self.docnums]
        if found.clause is not None and found.clause.id in self.docnums:
            own.remove(self.docnums[found.clause.id])
            own.insert(0, self.docnums[found.clause.id])
        pinned = [n for n in own if allowed >> n & 1]
        rest = matched & allowed & ~own_bits
        order = [(n, 1.0) for n in pinned] + [(n, 0.0) for n in self.by_date(rest, max(0, top - len(pinned)))]
        return matched, order, [doc.doc_number] if doc.doc_number else []

    def _citing(self, found: Found) -> int:
        """For a 文号 the index does not hold: the units quoting it, and the first unit of each document that
        cites it where no unit quotes it as written; never loose matches of its pieces (2021, 19)."""
        matched = self.literal_bits(found.missing)
        for doc in found.citing:
            first = self.docnums.get(self.units[doc.id][0].id) if self.units[doc.id] else None
            if first is not None and not matched & self.doc_bits.get(doc.id, 0):
                matched |= 1 << first
        return matched

    def _doc_number_apart(self, text: str) -> str:
        """`text` with a leading indexed 文号 as one word of its own (`泸发〔2021〕24号学校` → `… 学校`)."""
        cited = split_citation(text)
        doc = self.references.by_number.get(cited[0]) if cited else None
        return f"{cited[0]} {cited[1]}" if doc else text

    def _question(self, parsed: ParsedText, strict: int, allowed: int):
        """For a plain query the strict AND finds little for (a question): match any of its content words.

        The content words are the query's jieba words without stop words (question words such as
        如何, 是否, 吗 are stop words: `tokenizer/stopwords.txt`); a unit holding any of them, as a
        word or (two characters or more) literally, matches: never fewer than plain BM25 finds.
        Returns (matches, words, notice), or None when that finds no more than the strict search.
        """
        terms = [t.text for t in parsed.positive]
        words = list(dict.fromkeys(w for t in terms if not self.doc_number_id(t) for w in self.query_words(t)))
        # One literal found in the text is what the user meant, however long; two terms found together too.
        if len(words) < 2 or strict and len(terms) < LONG_QUERY_TERMS:
            return None
        found = bitset.union(self.doc_bits.get(self.doc_number_id(t), 0) for t in terms if self.doc_number_id(t))
        for word in words:
            found |= bitset.from_ids(self.word_scores(word)[0], self.size)
            if len(word) >= 2:
                found |= self.literal_bits(word)
        found &= self.all_bits
        if (found & allowed).bit_count() <= (strict & allowed).bit_count():
            return None
        return found | strict, words, messages.question_notice(terms, words)

    def _hit(self, docnum: int, score: float, highlight: list[str]) -> Hit:
        doc, clause = self.doc_at[docnum], self.clause_at[docnum]
        return Hit(
            clause_id=clause.id, doc_id=doc.id, doc_number=doc.doc_number, title=doc.title,
            doc_type=doc.doc_type, offices=list(doc.offices), date=doc.date or doc.publish_date,
            label=clause.label, path=list(clause.path), heading=clause.heading,
            snippet=snippet(clause.text, highlight), units=clause.unit_names, score=round(float(score), 4),
        )


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
