"""Sets of Whoosh docnums as Python integers (bit i set = docnum i is in the set).

AND, OR and counting are single C operations over the whole set, which is what makes facet
counting cheap: a facet value's count is `(matches & value_bits).bit_count()`. Building a set
costs no Python bytecode per member either: members are written as ASCII digits into a string
of one byte per docnum (by `map`), which `int(…, 2)` reads in linear time.

>>> b = from_ids([1, 5, 9], 10)
>>> to_ids(b), b.bit_count(), to_ids(b & from_ids([5, 9, 7], 10))
([1, 5, 9], 3, [5, 9])
>>> to_ids(from_flags([False, True, True, False])), list(flags(b, 10))
([1, 2], [0, 1, 0, 0, 0, 1, 0, 0, 0, 1])
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from itertools import repeat

_BYTE_BITS = [tuple(i for i in range(8) if byte >> i & 1) for byte in range(256)]
_FLAG_DIGITS = bytes.maketrans(b"\0\1", b"01")
_DIGIT_FLAGS = bytes.maketrans(b"01", b"\0\1")


def _digits_value(digits: bytearray | bytes) -> int:
    """The set whose member i is digit i (b'1') of `digits` (lowest docnum first)."""
    return int(digits[::-1], 2) if digits else 0


def from_ids(ids: Iterable[int], size: int) -> int:
    """The set of `ids` (each < size)."""
    digits = bytearray(b"0") * size
    deque(map(digits.__setitem__, ids, repeat(ord("1"))), maxlen=0)
    return _digits_value(digits)


def from_flags(flags: Iterable[bool]) -> int:
    """The set of the positions whose flag is true (`bytes(map(predicate, …))` runs in C)."""
    return _digits_value(bytes(flags).translate(_FLAG_DIGITS))


def flags(bits: int, size: int) -> bytes:
    """One byte per docnum below `size`, 1 for members: `compress(ids, map(flags.__getitem__, ids))` keeps members in C."""
    return format(bits, f"0{size}b")[::-1].encode("ascii").translate(_DIGIT_FLAGS)


def to_ids(bits: int) -> list[int]:
    """The members, ascending."""
    data = bits.to_bytes((bits.bit_length() + 7) // 8, "little")
    return [i * 8 + j for i, byte in enumerate(data) if byte for j in _BYTE_BITS[byte]]


def union(sets: Iterable[int]) -> int:
    result = 0
    for bits in sets:
        result |= bits
    return result
