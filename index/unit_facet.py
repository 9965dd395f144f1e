"""The unit facet's values: unit names, scoped by their government when the index holds several.

The index stores each clause's unit names (`index.schema`). With one government they are the
facet's values as they are (`县财政局`); with several, a name relative to its government carries
it (`市财政局（丽水市）`, `corpus.units.unit_key`), so two cities' `市财政局` are two units.

>>> from corpus.model import Clause, Unit
>>> clauses = [Clause(id=f"c{i}", label="1.", path=["1."], text="", units=[Unit("市财政局", "lead", "", place)])
...            for i, place in enumerate(["丽水市", "金华市"])]
>>> plain = {"市财政局": bitset.from_ids([0, 1], 2)}
>>> [unit_key(u) for c in clauses for u in c.units]
['市财政局（丽水市）', '市财政局（金华市）']
>>> scoped = {"市财政局（丽水市）": 0b01, "市财政局（金华市）": 0b10}
>>> list(named(scoped, "市财政局")), value_bits(scoped, "市财政局") == value_bits(plain, "市财政局") == 0b11
(['市财政局（丽水市）', '市财政局（金华市）'], True)
>>> names_unit(clauses[0].units[0], "市财政局"), names_unit(clauses[0].units[0], "市财政局（丽水市）")
(True, True)
"""

from __future__ import annotations

from corpus.model import Unit
from corpus.units import unit_key
from index import bits as bitset


def names_unit(unit: Unit, value: str) -> bool:
    """Whether the facet value `value` names `unit` (by its name, or by its government-scoped name)."""
    return value in (unit.name, unit_key(unit))


def named(facet: dict[str, int], name: str) -> dict[str, int]:
    """The facet's values that are `name` of some government (`市财政局（丽水市）`…), with their bitsets."""
    return {key: bits for key, bits in facet.items()
            if key.startswith(f"{name}（") and key.endswith("）") and "（" not in key[len(name) + 1:]}


def value_bits(facet: dict[str, int], value: str) -> int:
    """The clauses a selected unit names: its own, or those of every government's unit of that name
    (`?unit=市财政局` when the index holds several governments' 市财政局)."""
    return facet[value] if value in facet else bitset.union(named(facet, value).values())
