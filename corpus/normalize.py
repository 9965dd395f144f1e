"""Text normalisation for matching: full-width/half-width folding that keeps every offset.

`fold_for_parsing` maps each character to one character, so a match found in the folded text
slices the original (displayed) text at the same positions.

>>> fold_for_parsing("(牵头单位:县委宣传部;主要责任单位:县纪委监委)")
'（牵头单位：县委宣传部；主要责任单位：县纪委监委）'
>>> despace("关于印发《方案》的 通 知")
'关于印发《方案》的通知'
>>> display_width("2023年第1期")
11
"""

from __future__ import annotations

import re
from functools import lru_cache

_FOLD = {
    "(": "（", ")": "）", ":": "：", ";": "；", ",": "，", "?": "？", "!": "！",
    "[": "〔", "]": "〕", "［": "〔", "］": "〕", "【": "〔", "】": "〕", "﹝": "〔", "﹞": "〕",
    "．": ".", "﹒": ".", "\u3000": " ", "\t": " ", "\xa0": " ",
    **{chr(0xFF10 + i): str(i) for i in range(10)},
}
# a regex touching only the characters to replace beats str.translate on mostly-Chinese text
_FOLDABLE = re.compile("[" + re.escape("".join(_FOLD)) + "]")
_SPACE_BETWEEN = re.compile(r"(?<=[^\x00-\x7f])\s+|\s+(?=[^\x00-\x7f])")
TERMINAL = "。；！？：…"


def fold_for_parsing(text: str) -> str:
    """Same-length copy of `text` in the forms the parsing patterns (`corpus.lexicon`) expect:
    ASCII punctuation and brackets full-width (`(` → `（`, `[` → `〔`), full-width digits ASCII,
    odd spaces plain. (The tokenizer's `fold` is another thing: it folds text for search.)"""
    return fold_line_for_parsing(text) if len(text) <= MAX_CACHED_LINE else _FOLDABLE.sub(lambda m: _FOLD[m.group()], text)


MAX_CACHED_LINE = 256


@lru_cache(maxsize=16384)
def fold_line_for_parsing(text: str) -> str:
    """`fold_for_parsing` for a line, cached: the same lines are tested by many rules."""
    return _FOLDABLE.sub(lambda m: _FOLD[m.group()], text)


def despace(text: str) -> str:
    """Drop spacing artefacts (`通 知`, `实施方案 (2021)`) next to Chinese characters; keep spaces between Latin words."""
    return despace_line(text) if len(text) <= MAX_CACHED_LINE else _SPACE_BETWEEN.sub("", text.strip())


@lru_cache(maxsize=16384)
def despace_line(text: str) -> str:
    """`despace` for a line, cached: names and cells are despaced by many rules."""
    return _SPACE_BETWEEN.sub("", text.strip())


_WIDE = re.compile("[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf"
                   "\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]")


def display_width(text: str) -> int:
    """Printed width: 2 for wide (CJK, full-width) characters, 1 otherwise."""
    return len(text) + len(_WIDE.findall(text))


def ends_sentence(text: str) -> bool:
    """True when `text` ends a sentence (。；：！？), or with a closing bracket/quote after one or alone."""
    folded = fold_for_parsing(text.rstrip())
    if not folded:
        return False
    if folded[-1] in TERMINAL:
        return True
    return folded[-1] == "）"


_CJK_WRAP = re.compile(r"(?<=[\u4e00-\u9fff，。；：、“”（）])[ \t\r\f\v]*\n\s*(?=[\u4e00-\u9fff，。；：、“”（）])")


def unwrap_cjk(text: str) -> str:
    """Remove the line breaks (and spaces around them) that hard-wrap Chinese text; others stay.

    >>> unwrap_cjk("各级人民政府要把人民防空工作纳入\\n   国民经济和社会发展规划。\\nPart\\nTwo")
    '各级人民政府要把人民防空工作纳入国民经济和社会发展规划。\\nPart\\nTwo'
    """
    return _CJK_WRAP.sub("", text)


def join_wrapped(left: str, right: str) -> str:
    """Join two hard-wrapped pieces of one paragraph: no space between Chinese text, one between Latin words."""
    if left and right and left[-1].isascii() and left[-1].isalnum() and right[0].isascii() and right[0].isalnum():
        return f"{left} {right}"
    return left + right
