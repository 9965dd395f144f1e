"""Whole posting lists, read a block at a time.

Whoosh's public matcher API costs a Python call per posting (`id()`, `weight()`, `next()`),
which dominates a search over tens of thousands of clauses. The W3 codec (whoosh-reloaded
2.7.5, pinned) keeps each block's ids and weights as arrays; reading those arrays is an order
of magnitude faster. Other matchers fall back to the public API.

Deleted documents are not filtered here: callers intersect with the live clauses' bitset.
"""

from __future__ import annotations

from itertools import accumulate

from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching.wrappers import FilterMatcher


def _leaf_postings(matcher, offset: int, ids: list[int], weights: list[float]) -> None:
    if isinstance(matcher, FilterMatcher):
        matcher = matcher.child
    if isinstance(matcher, W3LeafMatcher):
        while matcher.is_active():
            if matcher._data is None:
                matcher._read_data()
            block = matcher._data[0]
            # Ids are stored as deltas unless they fit in bytes; accumulate() undoes them in C.
            block = block if matcher._byteids else accumulate(block)
            ids.extend(map(offset.__add__, block) if offset else block)
            matcher._read_weights()
            weights.extend(matcher._weights)
            matcher._next_block()
        return
    while matcher.is_active():
        ids.append(matcher.id() + offset)
        weights.append(matcher.weight())
        matcher.next()


def term_postings(reader, field: str, text: str) -> tuple[list[int], list[float]]:
    """(docnums, weights) of every posting of `field:text` across the reader's segments."""
    ids: list[int] = []
    weights: list[float] = []
    for leaf, offset in reader.leaf_readers():
        if (field, text) in leaf:
            _leaf_postings(leaf.postings(field, text), offset, ids, weights)
    return ids, weights
