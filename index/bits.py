"""Sets of Whoosh docnums as Python integers (bit i set = docnum i is in the set).

AND, OR and counting are single C operations over the whole set, which is what makes facet
counting cheap: a facet value's count is `(matches & value_bits).bit_count()`.

>>> b = from_ids([1, 5, 9], 10)
>>> to_ids(b), b.bit_count(), to_ids(b & from_ids([5, 9, 7], 10))
([1, 5, 9], 3, [5, 9])
"""

from __future__ import annotations

from collections.abc import Iterable

_BYTE_BITS = [tuple(i for i in range(8) if byte >> i & 1) for byte in range(256)]


def from_ids(ids: Iterable[int], size: int) -> int:
    """The set of `ids` (each < size)."""
    buffer = bytearray((size + 7) // 8)
    for i in ids:
        buffer[i >> 3] |= 1 << (i & 7)
    return int.from_bytes(buffer, "little")


def to_ids(bits: int) -> list[int]:
    """The members, ascending."""
    data = bits.to_bytes((bits.bit_length() + 7) // 8, "little")
    return [i * 8 + j for i, byte in enumerate(data) if byte for j in _BYTE_BITS[byte]]


def union(sets: Iterable[int]) -> int:
    result = 0
    for bits in sets:
        result |= bits
    return result
