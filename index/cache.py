"""A small least-recently-used map, for what searches compute once per generation, bounded in entries and in bytes.

A cache of bitsets or score arrays holds a few bytes per unit of the index in every entry (a
bitset of 1,000,000 units is 125 KB, a common word's scores 3 MB): an entry's cost (its bytes)
counts against the cache's `budget`, so a serving process's own memory stays bounded at any size.

>>> cache = LRUCache(2)
>>> cache.put("a", 1); cache.put("b", 2); cache.get("a"); cache.put("c", 3)
1
>>> sorted(cache), cache.get("b")
(['a', 'c'], None)
>>> small = LRUCache(10, budget=100)
>>> small.put("x", "…", cost=60); small.put("y", "…", cost=60); list(small), small.cost
(['y'], 60)
"""

from __future__ import annotations

from collections import OrderedDict


class LRUCache(OrderedDict):
    """At most `limit` entries costing at most `budget` together; `get` makes an entry the most recent,
    `put` drops the least recent until both hold (the newest entry stays, whatever it costs)."""

    def __init__(self, limit: int, budget: int | None = None):
        super().__init__()
        self.limit, self.budget = limit, budget
        self.costs: dict = {}
        self.cost = 0

    def get(self, key, default=None):
        if key in self:
            self.move_to_end(key)
            return self[key]
        return default

    def put(self, key, value, cost: int = 0) -> None:
        if key in self:
            self.cost -= self.costs.pop(key)
        self[key] = value
        self.move_to_end(key)
        self.costs[key] = cost
        self.cost += cost
        while len(self) > 1 and (len(self) > self.limit or (self.budget is not None and self.cost > self.budget)):
            old, _ = self.popitem(last=False)
            self.cost -= self.costs.pop(old)

    def clear(self) -> None:
        super().clear()
        self.costs.clear()
        self.cost = 0
