r"""Length-preserving text folding shared by indexing, querying and highlighting.

Every character maps to exactly one character, so an offset in the folded text is the
same offset in the original: highlights computed on folded text slice the original exactly.

- full-width letters and digits (ＡＢＣ１２３) → half-width, the ideographic space → a space
  (full-width punctuation such as ，。： stays: it is how Chinese text is written);
- case folding (ASCII and the rest of Unicode's one-to-one lower-casing);
- every bracket pair a 发文字号 is written with (〔〕 [] () （） ［］ 【】 〖〗) → 〔〕,
  so `泸发[2021]24号`, `泸发（2021）24号` and `泸发〔2021〕24号` fold to the same text;
- traditional characters → simplified (`corpus.script.simplified`, OpenCC t2s one character
  for one, about 13 million characters a second), so `行政长官` finds `行政長官`.

>>> fold("泸发[2021]24号 ＡＢＣ１２３")
'泸发〔2021〕24号 abc123'
>>> fold("澳門特別行政區行政長官")
'澳门特别行政区行政长官'
>>> len(fold("（一）ＡＢ")) == len("（一）ＡＢ")
True

`compact` goes one step further for matching: it also drops line breaks and spaces unless they
separate two ASCII letters or digits, because printed gazettes wrap lines inside words
(`泸\n溪县`) and space out numbers (`国道路 322 号`). It returns where each character came from.

>>> compact("地址：泸\n溪县 322 号, Road 7")
('地址：泸溪县322号,road 7', [0, 1, 2, 3, 5, 6, 8, 9, 10, 12, 13, 15, 16, 17, 18, 19, 20])
"""

from __future__ import annotations

import re

from corpus.script import simplified

OPEN_BRACKETS = "[(（［【〖"
CLOSE_BRACKETS = "])）］】〗"


def _table() -> dict[int, str]:
    wide = [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B)]
    table = {code: chr(code - 0xFEE0) for code in wide}
    table[0x3000] = " "
    table.update({ord(c): "〔" for c in OPEN_BRACKETS})
    table.update({ord(c): "〕" for c in CLOSE_BRACKETS})
    return table


_FOLD = _table()
_FOLDABLE = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_FOLD)) + "]+")


def _fold_match(match: re.Match) -> str:
    return match.group().translate(_FOLD)


def _lower_char(ch: str) -> str:
    low = ch.lower()
    return low if len(low) == 1 else ch


def fold(text: str) -> str:
    """The folded form of `text`, of the same length (see the module docstring)."""
    # translate() looks every character up; most text has only a few to fold, so find those.
    folded = _FOLDABLE.sub(_fold_match, simplified(text))
    lowered = folded.lower()
    if len(lowered) == len(folded):
        return lowered
    return "".join(_lower_char(ch) for ch in folded)


_SPACE = re.compile(r"\s+")


def _keeps(folded: str, start: int, end: int) -> bool:
    """A space run stays only between two ASCII letters or digits (`Road 7`)."""
    before, after = folded[start - 1:start], folded[end:end + 1]
    return before.isascii() and before.isalnum() and after.isascii() and after.isalnum()


def compact(text: str) -> tuple[str, list[int]]:
    """The folded text without wrap-breaks and spaces (see above), and each character's offset in `text`."""
    folded = fold(text)
    pieces, offsets, cursor = [], [], 0
    for m in _SPACE.finditer(folded):
        if _keeps(folded, m.start(), m.end()):
            continue
        pieces.append(folded[cursor:m.start()])
        offsets.extend(range(cursor, m.start()))
        cursor = m.end()
    pieces.append(folded[cursor:])
    offsets.extend(range(cursor, len(folded)))
    return "".join(pieces), offsets


def compact_text(text: str) -> str:
    """`compact(text)` without the offsets: the form literal matching compares."""
    folded = fold(text)
    return _SPACE.sub(lambda m: m.group() if _keeps(folded, m.start(), m.end()) else "", folded)
