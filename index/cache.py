"""A small least-recently-used map, for what searches compute once per generation.

>>> cache = LRUCache(2)
>>> cache.put("a", 1); cache.put("b", 2); cache.get("a"); cache.put("c", 3)
1
>>> sorted(cache), cache.get("b")
(['a', 'c'], None)
"""

from __future__ import annotations

from collections import OrderedDict


class LRUCache(OrderedDict):
    """At most `limit` entries; `get` makes an entry the most recent, `put` drops the least recent."""

    def __init__(self, limit: int):
        super().__init__()
        self.limit = limit

    def get(self, key, default=None):
        if key in self:
            self.move_to_end(key)
            return self[key]
        return default

    def put(self, key, value) -> None:
        self[key] = value
        if len(self) > self.limit:
            self.popitem(last=False)
