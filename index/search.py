"""Answering a query on one generation of the index: what it matches, its citations and questions, the page.

What is searched are units: a document's numbered clauses and its passages, the text outside
them (`index.passages`), so every character of a document can be found. Opening a generation
and what it holds per docnum is `index.snapshot`.

How a query is answered (each step measured against the naive Whoosh way at 100,000 clauses):

1. **Which clauses match** is decided on literal text (`index.literal`), so a string typed
   anywhere in a clause finds it whatever jieba's word boundaries were, as a set of docnums kept
   as a Python integer bitset (`index.bits`): AND/OR/NOT and counts are single C operations.
   Posting lists, candidates' texts and sets are numpy arrays (`index.postings`, `index.literal`):
   no Python bytecode runs per clause.
2. **Filters and facets** (`index.filters`): one bitset (a mapped row) per facet value; a facet's counts
   ignore its own selection and cost one AND + popcount per value.
3. **Ranking** (`index.ranking`, where its parameters are named): BM25 over the jieba words
   of the query with the weights of headings, titles, bare headings, exact phrases and
   questions (`index.question`: content words and the legal terms of lay words).
4. **Snippets** (`index.snippets`): an excerpt of the unit's text and the spans of the
   matches, as data the site, the CLI and the JSON render.
"""

from __future__ import annotations

from corpus.docnumber import doc_number_key
from index import bits as bitset
from index import messages
from index.citation import Found, split_citation
from index.filters import Filtering
from index.literal import Texts
from index.query import SearchQuery
from index.question import FEW_HITS, content_words
from index.ranking import Ranking
from index.results import Hit, SearchResult
from index.snapshot import Generation
from index.snippets import snippet
from index.syntax import ParsedText, parse_text
from index.syntax import Term as QueryTerm
from tokenizer import compact_text

FACET_LIMIT = 50


class Snapshot(Filtering, Ranking, Generation):
    """One generation of the index (`index.snapshot`), searched: matching, filters, facets, ranking, snippets."""

    def _load(self, reader) -> None:
        super()._load(reader)
        self._load_ranking()

    # Matching -----------------------------------------------------------------------------

    def literal_bits(self, text: str) -> int:
        """Units whose compacted text (`tokenizer.compact_text`) contains the compacted `text` (`index.literal`)."""
        return self.literals.bits(text)

    def _documents_where(self, texts: Texts, key: str) -> int:
        """The units of the documents whose entry in `texts` (one per document) contains `key`."""
        return self.documents_bits(texts.holding(key))

    def term_bits(self, term: QueryTerm) -> int:
        """The clauses a term matches: a literal, or the 文号 of an indexed document (its clauses and those quoting it)."""
        key = compact_text(term.text)
        if term.field == "text":
            doc_id = self.doc_number_id(term.text)
            if doc_id:
                return self.doc_bits.get(doc_id, 0) | self.literal_bits(term.text)
        if term.field == "title":
            return self._documents_where(self.served.titles, key)
        if term.field == "doc_number":
            return self._documents_where(self.served.number_keys, doc_number_key(term.text))
        if term.field == "unit":
            units = self.facet_bits.get("unit", {})
            return bitset.union(units[value] for value in units if key in compact_text(value))
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
        indexed = cited and self.references.numbered([cited[0]])
        return f"{cited[0]} {cited[1]}" if indexed else text

    def _question(self, parsed: ParsedText, strict: int, allowed: int):
        """For a plain query the strict AND finds little for (a question): match any of its content words.

        The content words (`index.question`) are the query's jieba words without stop words
        (question words such as 如何, 是否, 吗 are stop words: `tokenizer/stopwords.txt`), each as
        often as it was said, and the legal terms' words of its lay words (辞职 → 解除劳动合同); a
        unit holding any of them, as a word or (two characters or more) literally, matches: never
        fewer than plain BM25 finds. Returns (matches, words to rank by, each as often as it was
        said, notice), or None when that finds no more than the strict search.
        """
        terms = [t.text for t in parsed.positive]
        asked = content_words(terms, self.query_words, self.doc_number_id)
        words = asked.words
        if not asked.worth_asking(terms, strict.bit_count()):
            return None
        found = bitset.union(self.doc_bits.get(self.doc_number_id(t), 0) for t in terms if self.doc_number_id(t))
        for word in words:
            found |= bitset.from_ids(self.word_scores(word)[0], self.size)
            if len(word) >= 2:
                found |= self.literal_bits(word)
        found &= self.all_bits
        if (found & allowed).bit_count() <= (strict & allowed).bit_count():
            return None
        return found | strict, asked.said(), messages.question_notice(terms, words, asked.legal)

    def _hit(self, docnum: int, score: float, highlight: list[str]) -> Hit:
        doc, clause = self.doc_at[docnum], self.clause_at[docnum]
        return Hit(
            clause_id=clause.id, doc_id=doc.id, doc_number=doc.doc_number, title=doc.title,
            doc_type=doc.doc_type, offices=list(doc.offices), date=doc.date or doc.publish_date,
            label=clause.label, path=list(clause.path), heading=clause.heading,
            snippet=snippet(clause.text, highlight), units=clause.unit_names, score=round(float(score), 4),
        )

