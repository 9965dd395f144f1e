"""Traditional → simplified characters, one character for one character, so offsets are kept.

Documents are stored and shown as written (Macao's 澳門 行政長官 批示 stay traditional); this
simplified form is derived from them for matching, facets, unit names and search folding.
The conversion is OpenCC's `t2s` (a maintained converter with phrase tables, so 頭髮 → 头发,
乾隆 stays 乾隆). A phrase conversion that would change the length falls back to converting each
character alone, and a character whose own conversion is not one character is kept, so
`simplified(text)[i:j]` always lines up with `text[i:j]`.

>>> simplified("澳門特別行政區行政長官批示")
'澳门特别行政区行政长官批示'
>>> simplified("第90/2023號行政命令")
'第90/2023号行政命令'
>>> simplified("泸溪县人民政府办公室")  # simplified text is left as it is
'泸溪县人民政府办公室'
>>> text = "經濟財政司司長 於2023年"
>>> len(simplified(text)) == len(text)
True
"""

from __future__ import annotations

from functools import lru_cache

import opencc


@lru_cache(maxsize=1)
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


@lru_cache(maxsize=8192)
def _char(ch: str) -> str:
    converted = _converter().convert(ch)
    return converted if len(converted) == 1 else ch


def simplified(text: str) -> str:
    """`text` in simplified characters, the same length as `text` (see the module docstring)."""
    if text.isascii():
        return text
    converted = _converter().convert(text)
    if len(converted) == len(text):
        return converted
    return "".join(_line(line) for line in text.splitlines(keepends=True))


def _line(line: str) -> str:
    converted = _converter().convert(line)
    if len(converted) == len(line):
        return converted
    return "".join(_char(ch) for ch in line)
