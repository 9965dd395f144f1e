"""References on a cluster: 文号, titles and who cites whom looked up with queries, not held in memory.

A document row is found in its `keys` field by its 文号 (`number_token`), its titles
(`title_token`) and each 文号 it cites (`cited_token`), so reading a reference
(`index.citation.Resolver`) costs a query per batch of candidate keys, answered from the
inverted index whatever the size of the collection; the process keeps only a bounded cache of
recent answers, dropped with the engine's metadata when a write changes the index. Which keys
can be in the index at all (`Resolver.gates`: the first two characters and the longest length
of every 文号 and title) lives in the metadata row, so an ordinary word costs no query.

>>> merge_gates({"number_starts": ["泸发"], "longest_number": 12}, {"number_starts": ["湘发"], "longest_number": 9,
...             "title_starts": ["关于"], "longest_title": 20})
{'number_starts': ['泸发', '湘发'], 'title_starts': ['关于'], 'longest_number': 12, 'longest_title': 20}
"""

from __future__ import annotations

from collections.abc import Callable

from corpus.docnumber import doc_number_key
from corpus.model import Document
from index.citation import Resolver, title_keys
from index.sphinxql.rows import cited_token, number_key_token, title_token

# Answers kept per process (each a document or a few): a bound on memory, not on the collection.
CACHED_KEYS = 2_000


def merge_gates(old: dict, new: dict) -> dict:
    """The gates of an index that had `old` and gained documents with `new` (an add only widens them)."""
    return {**{name: sorted(set(old.get(name, ())) | set(new[name])) for name in ("number_starts", "title_starts")},
            **{name: max(old.get(name, 0), new[name]) for name in ("longest_number", "longest_title")}}


class ClusterReferences(Resolver):
    """The `Resolver` look-ups as queries on the document rows; `documents(match)` runs one, newest first."""

    def __init__(self, documents: Callable[[str], list[Document]], meta: dict):
        self.documents = documents
        self.number_starts = set(meta.get("number_starts", ()))
        self.title_starts = set(meta.get("title_starts", ()))
        self.longest_number = meta.get("longest_number", 0)
        self.longest_title = meta.get("longest_title", 0)
        self._numbers: dict[str, list[Document]] = {}
        self._titles: dict[str, list[Document]] = {}

    def _found(self, cache: dict, keys: list[str], token, doc_keys) -> dict[str, list[Document]]:
        """The documents of each key (newest first), from `cache` or one query for those not in it."""
        known = {key: cache[key] for key in keys if key in cache}
        missing = [key for key in keys if key not in cache]
        if missing:
            found: dict[str, list[Document]] = {key: [] for key in missing}
            for doc in self.documents(" | ".join(map(token, missing))):
                for key in doc_keys(doc):
                    if key in found:
                        found[key].append(doc)
            if len(cache) + len(found) > CACHED_KEYS:
                cache.clear()
            if len(found) <= CACHED_KEYS:
                cache.update(found)
            known |= found
        return {key: docs for key, docs in known.items() if docs}

    def numbered(self, keys: list[str]) -> dict[str, Document]:
        found = self._found(self._numbers, keys, number_key_token,
                            lambda doc: [doc_number_key(doc.doc_number)] if doc.doc_number else [])
        return {key: docs[0] for key, docs in found.items()}

    def titled(self, keys: list[str]) -> dict[str, list[Document]]:
        return self._found(self._titles, keys, title_token, title_keys)

    def citing_documents(self, key: str) -> list[Document]:
        return self.documents(cited_token(key))
