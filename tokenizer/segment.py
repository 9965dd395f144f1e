"""jieba's cut, computed by jieba-rs (`rjieba`) wherever the two cut alike: the index-time cutter.

jieba cuts about 1,500 clauses a second in pure Python, most of a build's time; jieba-rs cuts
the same text about 15 times faster, with the same dictionary, the same route through it and
the same HMM for unknown words. The two differ in two places only, both found by comparing
them on the sample corpus, the dev set and random strings (tests/test_segment.py):

- a run of letters or digits in an unknown stretch: jieba splits `2017-2030` and `6.9c` at the
  punctuation (`[a-zA-Z0-9]+(?:\\.\\d+)?`), jieba-rs joins any one character between two runs;
- ideographs outside U+4E00–U+9FD5 (extension A, U+9FD6–U+9FFF, compatibility ideographs,
  the supplementary planes): jieba-rs cuts them as Chinese, jieba as single symbols.

Where either can happen (`DIVERGES`), jieba itself cuts that stretch of the text, so the cut
is always jieba's. A stretch ends at a punctuation mark: jieba cuts the text between two
marks on its own and yields each mark as a word, whatever stands around it. Queries keep jieba (`tokenizer.analysis`): a serving process needs no second dictionary.

>>> segmenter = Segmenter(("泸溪高新区",))
>>> segmenter.cut("泸溪高新区林长制2021-2025年")
['泸溪高新区', '林长制', '2021', '-', '2025', '年']
>>> segmenter.cut("推进清廉学校建设") == list(segmenter.jieba.cut("推进清廉学校建设"))
True
"""

from __future__ import annotations

import re
from functools import lru_cache

from tokenizer.dictionary import KEPT_TOKENIZERS, USER_WORD_FREQ, jieba_for

# Ideographs jieba-rs cuts as Chinese and jieba does not (outside U+4E00–U+9FD5).
_RARE_IDEOGRAPHS = "\u3400-\u4dbf\u9fd6-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f"
DIVERGES = re.compile(
    r"[a-zA-Z0-9][+#&_%\-][a-zA-Z0-9]|[a-zA-Z0-9]\.[0-9]*[a-zA-Z]"
    f"|[{_RARE_IDEOGRAPHS}]"
)
# One character that is neither whitespace nor in a block either segmenter cuts: a word of its own.
_MARK = re.compile(rf"([^\sa-zA-Z0-9+#&._%\-\u4e00-\u9fd5{_RARE_IDEOGRAPHS}])")
# A private-use character is never inside a block jieba cuts: this word only carries a frequency.
_TOTAL_ONLY = "\ue000"


class Segmenter:
    """jieba's dictionary plus `words`, cutting as `jieba_for(words).cut` does (HMM on), faster."""

    def __init__(self, words: tuple[str, ...] = ()):
        # Imported here, not with the module: importing jieba-rs loads its dictionary (30 MB of a process's
        # own memory), which a serving process, cutting queries with jieba only, never reads.
        import rjieba

        self.jieba = jieba_for(words)
        self.native = rjieba.Jieba()
        base = jieba_for(())
        counted: dict[str, int] = {}
        for word in words:
            self.native.add_word(word, USER_WORD_FREQ, None)
            counted.setdefault(word, base.FREQ.get(word, 0))
        # jieba adds a known word's new frequency to the total, jieba-rs replaces the old one:
        # the total is in every word's probability, so jieba-rs gets the difference as well.
        missing = sum(counted.values()) + USER_WORD_FREQ * (len(words) - len(counted))
        if missing:
            self.native.add_word(_TOTAL_ONLY, missing, None)

    def cut(self, text: str) -> list[str]:
        """jieba's words of `text`, in order."""
        if not DIVERGES.search(text):
            return self.native.cut(text)
        words: list[str] = []
        for i, piece in enumerate(_MARK.split(text)):
            if i % 2:
                words.append(piece)
            elif DIVERGES.search(piece):
                words += self.jieba.cut(piece)
            elif piece:
                words += self.native.cut(piece)
        return words


@lru_cache(maxsize=KEPT_TOKENIZERS)
def segmenter_for(words: tuple[str, ...]) -> Segmenter:
    """The `Segmenter` of a word list, one per list in a process (jieba-rs loads its dictionary in ~0.3 s)."""
    return Segmenter(words)
