"""The search service on a SphinxQL cluster: the same `SearchQuery` → `SearchResult` as the Whoosh `Index`.

A search is one round trip to the distributed front: the page query (with `FACET`s for every
facet whose counts share its filters; its rows carry what each hit shows, `rows.hit_data`),
`SHOW META` (exact total, and a warning when a shard did not answer) and one `FACET` query per
selected facet (disjunctive counts ignore their own selection); then one more only for facet
names not yet known. The differences from the embedded index, all by design, are listed in docs/cluster.md.
"""

from __future__ import annotations

import json
import time

from corpus.docnumber import doc_number_key
from corpus.model import Clause, Document
from index import messages
from index.arrays import newest_first
from index.citation import Found, split_citation
from index.facets import FACETS
from index.passages import units
from index.query import SearchQuery
from index.question import FEW_HITS, content_words
from index.results import Facet, Hit, SearchResult, facet_from_counts
from index.search import FACET_LIMIT
from index.snippets import snippet
from index.sphinxql.client import Client, parse_url
from index.sphinxql.lookup import ClusterReferences
from index.sphinxql.rows import (
    ALL_TOKEN,
    CLAUSE,
    DOCUMENT,
    FACET_ATTRS,
    FIRST_TOKEN,
    META,
    NAME,
    doc_token,
    facet_ids,
    number_token,
    phrase,
    stable_id,
    value_id,
    word_token,
)
from index.syntax import ParsedText, parse_text
from index.syntax import Term as QueryTerm
from tokenizer import chinese_analyzer, compact_text

# Sphinx keeps the best `max_matches` of a query in memory: pages beyond MAX_MATCHES are empty.
# A facet counts exactly up to FACET_VALUES values (groups beyond are approximate, then dropped).
# Each FACET's sorter is sized by the query's max_matches: 5 ms a search at 1,000, 42 ms at 20,000
# (2 shards), so a search asks for no more groups than the index has values of any facet
# (`facet_room`, counted from the dictionary rows once per write), at most FACET_VALUES.
MAX_MATCHES = 100_000
FACET_VALUES = 1_000
# Documents read by one query: a shard's answer must fit its max_packet_size (see cluster.py).
DOCUMENTS_PER_QUERY = 50
# Facet value names a process keeps (a page needs at most FACET_VALUES a facet).
NAMES_CACHED = 100_000
# How long a process trusts its copy of the metadata (dictionary, references) before asking again.
META_TTL_S = 1
NEWEST = "date_key DESC, doc_id ASC, seq ASC"
# BM25 over the jieba-word field only: the literal fields decide matching, not rank.
RANKER = "expr('1000*bm25f(1.2,0.75,{text=0,words=1,title=0,docno=0,units=0,keys=0})')"


class SphinxQLEngine:
    """Searches and looks up documents in the cluster behind `sphinxql://host:port/index`."""

    def __init__(self, url: str):
        host, port, self.index = parse_url(url)
        self.url = url
        self.client = Client(host, port)
        self._names: dict[int, str] = {}
        self._meta: tuple[float, dict, object] | None = None

    # Metadata -----------------------------------------------------------------------------

    def meta(self) -> dict:
        """The index's build time and jieba dictionary (re-read every META_TTL_S seconds)."""
        return self._current()[0]

    def _current(self) -> tuple[dict, object, ClusterReferences, int]:
        """(meta, the query analyzer, the references, the facet room), renewed when a write changed them.

        References (文号, titles, who cites whom) are read by `index.citation.Resolver`, as by the
        embedded index, with look-ups answered by queries (`index.sphinxql.lookup`).
        """
        now = time.monotonic()
        if self._meta is None or now - self._meta[0] > META_TTL_S:
            rows = self.client.rows(f"SELECT data FROM {self.index} WHERE kind = {META} LIMIT 1")
            meta = json.loads(rows[0][0]) if rows else {"built_at": None, "words": []}
            if self._meta is None or self._meta[1] != meta:
                self._meta = (now, meta, chinese_analyzer(tuple(meta["words"])),
                              ClusterReferences(self._documents_keyed, meta), self._count_facet_room())
            else:
                self._meta = (now, *self._meta[1:])
        return self._meta[1:]

    def query_words(self, text: str) -> list[str]:
        """The words of `text` as the index cut them (its jieba dictionary, no stop words)."""
        return [t.text for t in self._current()[1](text, mode="query")]

    @property
    def references(self) -> ClusterReferences:
        return self._current()[2]

    @property
    def facet_room(self) -> int:
        """The facet groups a search asks for: no fewer than any facet has values in the index."""
        return self._current()[3]

    def _count_facet_room(self) -> int:
        rows = self.client.rows(f"SELECT seq, COUNT(*) c FROM {self.index} WHERE kind = {NAME} GROUP BY seq "
                                f"LIMIT {len(FACETS)}")
        # The same value on two shards counts twice (an upper bound); a facet without rows gets the most.
        counts = {int(seq): int(count) for seq, count in rows}
        return max(1, min(FACET_VALUES, max(counts.get(i, FACET_VALUES) for i in range(len(FACETS)))))

    # Look-ups -----------------------------------------------------------------------------

    def _documents_by_key(self, keys) -> dict[int, Document]:
        keys = sorted(set(keys))
        chunks = [keys[i:i + DOCUMENTS_PER_QUERY] for i in range(0, len(keys), DOCUMENTS_PER_QUERY)]
        statements = [(f"SELECT id, data FROM {self.index} WHERE kind = {DOCUMENT} AND id IN "
                       f"({','.join(map(str, chunk))}) LIMIT {len(chunk)}", ()) for chunk in chunks]
        sets = self.client.batch(statements) if statements else []
        return {key: Document.from_dict(json.loads(data)) for rows in sets for key, data in rows}

    def _documents_where(self, where: str, args: tuple = ()) -> list[Document]:
        """The documents matching `where`, newest first, read a page at a time (by id, not by offset)."""
        documents, last = [], 0
        while True:
            rows = self.client.rows(f"SELECT id, data FROM {self.index} WHERE {where} AND kind = {DOCUMENT} "
                                    f"AND id > {last} ORDER BY id ASC LIMIT {DOCUMENTS_PER_QUERY} "
                                    "OPTION ranker=none", *args)
            documents += [Document.from_dict(json.loads(data)) for _, data in rows]
            if len(rows) < DOCUMENTS_PER_QUERY:
                return sorted(documents, key=newest_first)
            last = rows[-1][0]

    def _documents_keyed(self, tokens: str) -> list[Document]:
        """The documents whose `keys` hold any of `tokens` (`a | b`), newest first."""
        return self._documents_where("MATCH(%s)", (f"@keys ({tokens})",))

    def _count(self, where: str) -> int:
        rows = self.client.rows(f"SELECT COUNT(*) c FROM {self.index} WHERE {where}")
        return int(rows[0][0]) if rows else 0

    def document(self, doc_id: str) -> Document | None:
        return self._documents_by_key([stable_id("d", doc_id)]).get(stable_id("d", doc_id))

    def clause(self, clause_id: str) -> tuple[Document, Clause] | None:
        rows = self.client.rows(f"SELECT doc_key, seq FROM {self.index} WHERE id = {stable_id('c', clause_id)}")
        if not rows:
            return None
        doc = self._documents_by_key([rows[0][0]]).get(rows[0][0])
        clause = _unit_at(units(doc) if doc else [], rows[0][1], stable_id("c", clause_id))
        return (doc, clause) if clause else None

    def resolve_doc_number(self, text: str) -> str | None:
        """The id of the document whose 文号 is `text`, written with any kind of brackets."""
        doc = self.references.document(text)
        return doc.id if doc else None

    def cited_by(self, doc_id: str) -> list[Document]:
        """Documents whose citations name this document's 文号, newest first."""
        doc = self.document(doc_id)
        if doc is None or not doc.doc_number:
            return []
        return [d for d in self.references.citing_documents(doc_number_key(doc.doc_number)) if d.id != doc_id]

    def unit_clauses(self, unit_name: str) -> list[tuple[Document, list[Clause]]]:
        """The clauses whose normalised units include `unit_name`, grouped by document, newest first."""
        where = f"kind = {CLAUSE} AND unit_ids = {value_id('unit', unit_name)}"
        count = self._count(where)
        if not count:
            return []
        rows = self.client.rows(f"SELECT id, doc_key, seq FROM {self.index} WHERE {where} ORDER BY {NEWEST} "
                                f"LIMIT {count} OPTION max_matches={count}")
        docs = self._documents_by_key(key for _, key, _ in rows)
        searched = {key: units(doc) for key, doc in docs.items()}
        grouped: dict[int, tuple[Document, list[Clause]]] = {}
        for row_id, key, seq in rows:
            clause = _unit_at(searched.get(key, []), seq, row_id)
            if clause:
                grouped.setdefault(key, (docs[key], []))[1].append(clause)
        return list(grouped.values())

    def documents(self, limit: int | None = None) -> list[Document]:
        """Every document (or the newest `limit`: the home page's list reads no more), newest first."""
        if limit is None:
            return self._documents_where("id > 0")
        rows = self.client.rows(f"SELECT id, data FROM {self.index} WHERE kind = {DOCUMENT} ORDER BY {NEWEST} "
                                f"LIMIT {max(limit, 0)} OPTION max_matches={max(limit, 1)}") if limit > 0 else []
        return [Document.from_dict(json.loads(data)) for _, data in rows]

    def stats(self) -> dict:
        rows = self.client.rows(f"SELECT kind, COUNT(*) c FROM {self.index} GROUP BY kind")
        counts = {int(kind): int(count) for kind, count in rows}
        return {"documents": counts.get(DOCUMENT, 0), "clauses": counts.get(CLAUSE, 0),
                "built_at": self.meta()["built_at"]}

    # The search ---------------------------------------------------------------------------

    def search(self, q: SearchQuery, facet_limit: int = FACET_LIMIT) -> SearchResult:
        text, cut = q.searched_text()
        notices = [cut] if cut else []
        citation = self.references.resolve(text) if text else None
        highlight: list[str] = []
        parsed, cited, terms = None, None, []  # cited: the reference to an indexed document
        if not text:
            match = None
        elif citation and citation.missing:
            notices.append(messages.not_indexed(citation.missing, citation.citing))
            match = self._citing(citation)
            highlight = [citation.missing]
        elif citation:
            cited, doc = citation, citation.doc
            if citation.path and citation.clause is None:
                notices.append(messages.NOTICE_CITATION_LABEL.format(document=doc.doc_number or doc.title,
                                                                     label=citation.path))
            own = f"@keys {doc_token(doc.id)}"
            match = f"({own}) | ({phrase(doc.doc_number, 'text')})" if doc.doc_number else own
            highlight = [doc.doc_number] if doc.doc_number else []
        else:
            parsed = parse_text(self._doc_number_apart(text))
            if parsed.notice:
                notices.append(parsed.notice)
            match = self._match(parsed)
            highlight = [t.text for t in parsed.positive if t.field in ("text", "unit")]
            terms = [t.text for t in parsed.positive if t.field == "text"]

        found = self._run(q, match, terms, cited)
        if parsed is not None and parsed.plain and found[2] < FEW_HITS:
            question = self._question(parsed, match, q, found[2])
            if question:
                match, terms, notice = question
                highlight = highlight + terms
                notices.append(notice)
                found = self._run(q, match, terms, cited)
        rows, counts, total, partial = found
        if partial:
            notices.insert(0, messages.NOTICE_PARTIAL)
        result = SearchResult(query=q.text, total=total, page=q.page, size=q.size)
        result.hits = self._hits(rows, highlight)
        result.facets = self._facets(counts, q, facet_limit)
        result.notice = " ".join(notices) or None
        return result

    def _run(self, q: SearchQuery, match: str | None, terms: list[str],
             cited: Found | None) -> tuple[list[tuple[str, float]], dict, int, bool]:
        """One round trip: (the page's (hit data, score), facet counts, total, a shard missing).

        Ranked by BM25 on the jieba words of `terms`; for a reference to an indexed document
        (`cited`), its own units the filters allow come first in document order, the cited clause
        first of all, then the other matches newest first.
        """
        top = min(q.page * q.size, MAX_MATCHES)
        start = (q.page - 1) * q.size
        words = [w for t in terms if not self.references.document(t) for w in self.query_words(t)]
        ranked = q.sort == "relevance" and bool(words) and cited is None
        if ranked:
            match = f"({match}) MAYBE (@words {' | '.join(dict.fromkeys(map(word_token, words)))})"
        where = self._where(match, q)
        facet_sets, statements = self._facet_statements(q, match, where)
        main_facets = facet_sets.pop(None, [])
        if cited is not None:
            # The total and the facets count every match; the page is the document's own units, then the rest.
            own = self._where(f"@keys {doc_token(cited.doc.id)}", q)
            count = len(units(cited.doc)) + 1
            statements.append((f"SELECT id, data FROM {self.index} WHERE {own[0]} ORDER BY seq ASC "
                               f"LIMIT {count} OPTION max_matches={count}, ranker=none", own[1]))
            rest = (f"{where[0]} AND doc_key <> {stable_id('d', cited.doc.id)}", where[1])
            statements.append(self._page_sql(rest, False, 0, top))
            counted = (f"SELECT id FROM {self.index} WHERE {where[0]} LIMIT 1 "
                       f"OPTION max_matches={self.facet_room}, ranker=none", where[1])
        elif start < MAX_MATCHES:
            counted = self._page_sql(where, ranked, start, top - start)
        else:  # beyond what Sphinx keeps: the total and facets, no hits
            counted = self._page_sql(where, False, 0, 1)
        statements.insert(0, (counted[0] + "".join(map(self._facet_clause, main_facets)), counted[1]))
        statements.insert(1, ("SHOW META", ()))
        results = self.client.batch(statements)

        counts = dict(zip(main_facets, results[1:1 + len(main_facets)], strict=True))
        meta = dict(results[1 + len(main_facets)])
        at = 2 + len(main_facets)
        for name in facet_sets:
            counts[name] = results[at + 1]
            at += 2
        if cited is not None:
            first = stable_id("c", cited.clause.id) if cited.clause else None
            own_rows = sorted(results[-2], key=lambda row: row[0] != first)
            rows = [(data, 1.0) for _, data in own_rows] + [(data, 0.0) for *_, data in results[-1]]
            rows = rows[start:top]
        else:
            rows = [(data, weight / 1000) for *_, weight, data in results[0]] if start < MAX_MATCHES else []
        return rows, counts, int(meta.get("total_found", 0)), _shard_missing(meta.get("warning", ""))

    def _page_sql(self, where: str, ranked: bool, offset: int, count: int) -> tuple[str, tuple]:
        sort = f"WEIGHT() DESC, {NEWEST}" if ranked else NEWEST
        options = f"max_matches={max(offset + count, self.facet_room)}, ranker={RANKER if ranked else 'none'}"
        return (f"SELECT id, WEIGHT(), data FROM {self.index} WHERE {where[0]} ORDER BY {sort} "
                f"LIMIT {offset}, {max(count, 0)} OPTION {options}", where[1])

    def _where(self, match: str | None, q: SearchQuery, skip: str | None = None) -> tuple[str, tuple]:
        """The WHERE clause (with its MATCH argument) for `match` under the filters of `q`, but `skip`'s."""
        parts = [f"kind = {CLAUSE}"]
        for f in FACETS:
            values = q.selected(f.name)
            if f.name == skip or not values:
                continue
            parts.append(f"{FACET_ATTRS[f.name]} IN ({','.join(map(str, facet_ids(f, values)))})")
        if q.date_from or q.date_to:  # a range of its own, not a facet: every facet's counts honour it
            low = int(q.date_from.replace("-", "")) if q.date_from else 1
            high = int(q.date_to.replace("-", "")) if q.date_to else 99_999_999
            parts.append(f"date_key BETWEEN {low} AND {high}")
        if match is None:
            return " AND ".join(parts), ()
        return "MATCH(%s) AND " + " AND ".join(parts), (match,)

    def _facet_clause(self, name: str) -> str:
        return f" FACET {FACET_ATTRS[name]} ORDER BY COUNT(*) DESC LIMIT {self.facet_room}"

    def _facet_statements(self, q: SearchQuery, match: str | None, where) -> tuple[dict, list]:
        """Facets counted with the page's filters (key None), and a FACET query for each other facet."""
        sets: dict[str | None, list[str]] = {}
        statements = []
        for name in (f.name for f in FACETS):
            own = self._where(match, q, skip=name)
            if own == where:
                sets.setdefault(None, []).append(name)
            else:
                sets[name] = [name]
                statements.append((f"SELECT id FROM {self.index} WHERE {own[0]} LIMIT 1 "
                                   f"OPTION max_matches={self.facet_room}, ranker=none{self._facet_clause(name)}",
                                   own[1]))
        return sets, statements

    def _facets(self, counts: dict[str, list[tuple]], q: SearchQuery, limit: int) -> list[Facet]:
        numeric = {f.name for f in FACETS if f.numeric}
        ids = [value for name, rows in counts.items() if name not in numeric for value, _ in rows]
        self._learn_names(ids)
        facets = []
        for f in FACETS:
            values = {}
            for value, count in counts.get(f.name, []):
                label = str(value) if f.numeric else self._names.get(int(value))
                if label and int(value):
                    values[label] = int(count)
            facets.append(facet_from_counts(f.name, values, set(q.selected(f.name)), limit))
        return facets

    def _learn_names(self, ids) -> None:
        ids = {int(i) for i in ids} - {0}
        missing = sorted(ids - self._names.keys())
        if len(self._names) + len(missing) > NAMES_CACHED:  # a bound on memory, not on the facets
            self._names.clear()
            missing = sorted(ids)
        if missing:
            rows = self.client.rows(f"SELECT id, data FROM {self.index} WHERE kind = {NAME} AND id IN "
                                    f"({','.join(map(str, missing))}) LIMIT {len(missing)} "
                                    f"OPTION max_matches={len(missing)}")
            self._names.update((int(i), name) for i, name in rows)

    def _hits(self, rows: list[tuple[str, float]], highlight: list[str]) -> list[Hit]:
        hits = []
        for data, score in rows:
            shown = json.loads(data)
            text = shown.pop("text")
            hits.append(Hit(**shown, snippet=snippet(text, highlight), score=round(float(score), 4)))
        return hits

    def _totals(self, queries: list[tuple[str, tuple]]) -> list[int]:
        """The exact number of matches of each WHERE clause, in one round trip."""
        statements = []
        for where in queries:
            statements += [(f"SELECT id FROM {self.index} WHERE {where[0]} LIMIT 1 OPTION ranker=none", where[1]),
                           ("SHOW META", ())]
        results = self.client.batch(statements)
        return [int(dict(results[i]).get("total_found", 0)) for i in range(1, len(results), 2)]

    def _question(self, parsed: ParsedText, match: str, q: SearchQuery, strict: int):
        """For a plain query the strict AND finds little for (a question): match any of its content words.

        As the embedded index does (`index.search`): a clause holding any of the words, as a
        jieba word or (two characters or more) literally, or one of a cited document, matches.
        Returns (match, words, notice), or None when that finds no more than the strict search.
        """
        terms = [t.text for t in parsed.positive]
        asked = content_words(terms, self.query_words, self.references.document)
        words = asked.words
        if not asked.worth_asking(terms, strict):
            return None
        parts = [f"({match})"]
        parts += [f"(@keys {number_token(t)})" for t in terms if self.references.document(t)]
        parts.append(f"(@words {' | '.join(dict.fromkeys(map(word_token, words)))})")
        parts += [f"({phrase(w, 'text')})" for w in words if len(w) >= 2]
        found_match = " | ".join(parts)
        (found,) = self._totals([self._where(found_match, q)])
        if found <= strict:
            return None
        return found_match, words, messages.question_notice(terms, words, asked.legal)

    # Query text ---------------------------------------------------------------------------

    def _citing(self, found: Found) -> str:
        """For a 文号 the index does not hold: the units quoting it, and the first unit of each document that
        cites it where no unit quotes it as written (as the embedded index does)."""
        parts = [f"({phrase(found.missing, 'text')})"]
        key = compact_text(found.missing)
        parts += [f"(@keys {doc_token(doc.id)} {FIRST_TOKEN})" for doc in found.citing
                  if not any(key in compact_text(unit.text) for unit in units(doc))]
        return " | ".join(parts)

    def _doc_number_apart(self, text: str) -> str:
        """`text` with a leading indexed 文号 as one word of its own (`泸发〔2021〕24号学校` → `… 学校`)."""
        cited = split_citation(text)
        doc = self.references.document(cited[0]) if cited else None
        return f"{cited[0]} {cited[1]}" if doc else text

    def _term(self, term: QueryTerm) -> str:
        key = {"doc_number": doc_number_key(term.text)}.get(term.field, term.text)
        field = {"text": "text", "title": "title", "doc_number": "docno", "unit": "units"}[term.field]
        expr = phrase(key, field)
        if expr is None:
            return f"@words {ALL_TOKEN}"
        if term.field == "text" and self.references.document(term.text):
            expr = f"{expr}) | (@keys {number_token(term.text)}"
        return f"({expr})"

    def _match(self, parsed: ParsedText) -> str:
        groups = [" | ".join(self._term(t) for t in group) for group in parsed.groups]
        parts = [f"({g})" for g in groups] or [f"(@words {ALL_TOKEN})"]
        parts += [f"-({self._term(t)})" for t in parsed.excluded]
        return " ".join(parts)


def _shard_missing(warning: str) -> bool:
    """Whether SHOW META's warning says an agent (a shard) did not answer, not merely warned."""
    return any(": agent " in line and "remote query warning" not in line for line in warning.splitlines())


def _unit_at(searched: list[Clause], seq: int, row_id: int) -> Clause | None:
    """The search unit (clause or passage, `index.passages.units`) at `seq`, if it is still the row's."""
    if not 0 <= seq < len(searched):
        return None
    clause = searched[seq]
    return clause if stable_id("c", clause.id) == row_id else None
