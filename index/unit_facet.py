"""The unit facet's values: unit names, scoped by their government when the index holds several.

The index stores each clause's unit names (`index.schema`). With one government they are the
facet's values as they are (`县财政局`); with several, a name relative to its government carries
it (`市财政局（丽水市）`, `corpus.units.unit_key`), so two cities' `市财政局` are two units.

>>> from corpus.model import Clause, Unit
>>> clauses = [Clause(id=f"c{i}", label="1.", path=["1."], text="", units=[Unit("市财政局", "lead", "", place)])
...            for i, place in enumerate(["丽水市", "金华市"])]
>>> plain = {"市财政局": bitset.from_ids([0, 1], 2)}
>>> sorted(unit_bits(plain, clauses, 2))
['市财政局（丽水市）', '市财政局（金华市）']
>>> unit_bits(plain, clauses[:1], 1) is plain
True
>>> scoped = unit_bits(plain, clauses, 2)
>>> list(named(scoped, "市财政局")), value_bits(scoped, "市财政局") == value_bits(plain, "市财政局") == 0b11
(['市财政局（丽水市）', '市财政局（金华市）'], True)
>>> names_unit(clauses[0].units[0], "市财政局"), names_unit(clauses[0].units[0], "市财政局（丽水市）")
(True, True)
"""

from __future__ import annotations

from corpus.model import Clause, Unit
from corpus.units import unit_key
from index import bits as bitset


def unit_bits(plain: dict[str, int], clause_at: list[Clause | None], size: int) -> dict[str, int]:
    """The unit facet's bitsets: `plain` (per stored name) when the clauses name one government at most,
    else per government-scoped name, from the clauses (`clause_at`: per docnum, its clause or None)."""
    governments = {u.government for clause in clause_at if clause is not None for u in clause.units if u.government}
    if len(governments) <= 1:
        return plain
    members: dict[str, list[int]] = {}
    for docnum, clause in enumerate(clause_at):
        if clause is not None:
            for key in dict.fromkeys(map(unit_key, clause.units)):
                members.setdefault(key, []).append(docnum)
    return {key: bitset.from_ids(ids, size) for key, ids in members.items()}


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
