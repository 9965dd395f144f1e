"""Length-preserving text folding shared by indexing, querying and highlighting.

Every character maps to exactly one character, so an offset in the folded text is the
same offset in the original: highlights computed on folded text slice the original exactly.

- full-width ASCII (ＡＢＣ１２３) → half-width, the ideographic space → a space;
- case folding (ASCII and the rest of Unicode's one-to-one lower-casing);
- every bracket pair a 发文字号 is written with (〔〕 [] () （） ［］ 【】 〖〗) → 〔〕,
  so `泸发[2021]24号`, `泸发（2021）24号` and `泸发〔2021〕24号` fold to the same text.

>>> fold("泸发[2021]24号 ＡＢＣ１２３")
'泸发〔2021〕24号 abc123'
>>> len(fold("（一）ＡＢ")) == len("（一）ＡＢ")
True
"""

from __future__ import annotations

OPEN_BRACKETS = "[(（［【〖"
CLOSE_BRACKETS = "])）］】〗"


def _table() -> dict[int, str]:
    table = {code: chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)}
    table[0x3000] = " "
    table.update({ord(c): "〔" for c in OPEN_BRACKETS})
    table.update({ord(c): "〕" for c in CLOSE_BRACKETS})
    return table


_FOLD = _table()


def _lower_char(ch: str) -> str:
    low = ch.lower()
    return low if len(low) == 1 else ch


def fold(text: str) -> str:
    """The folded form of `text`, of the same length (see the module docstring)."""
    folded = text.translate(_FOLD)
    lowered = folded.lower()
    if len(lowered) == len(folded):
        return lowered
    return "".join(_lower_char(ch) for ch in folded)
