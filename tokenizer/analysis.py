"""Whoosh analyzers for Chinese: jieba words for ranking, character n-grams for literal recall.

`chinese_analyzer(words)` cuts compacted text (see `tokenizer.normalize`) with jieba. At index
time it also emits the dictionary words inside a long word (jieba's search mode: 清廉泸溪 →
清廉, 泸溪) at the long word's position, so a query word matches inside a compound while
phrase positions stay sequential; at query time (`mode="query"`) it emits the plain cut.

>>> analyzer = chinese_analyzer(("县教体局",))
>>> [(t.text, t.pos, t.startchar, t.endchar) for t in analyzer("县教体局牵头", positions=True, chars=True)]
[('教体局', 0, 1, 4), ('县教体局', 0, 0, 4), ('牵头', 1, 4, 6)]
>>> [t.text for t in analyzer("县教体局牵头", mode="query")]
['县教体局', '牵头']

`ngram_analyzer()` emits every pair of adjacent letters/digits/ideographs, so any literal
string of two or more characters can be looked up whatever jieba's word boundaries were:

>>> [t.text for t in ngram_analyzer()("泸发〔2021〕", mode="query")]
['泸发', '20', '02', '21']
"""

from __future__ import annotations

import re
from collections import Counter
from itertools import chain
from operator import add

from whoosh.analysis import CompositeAnalyzer, StopFilter, Token, Tokenizer
from whoosh.formats import Frequency
from whoosh.system import pack_uint

from tokenizer.dictionary import STOPWORDS, jieba_for
from tokenizer.normalize import compact, compact_text
from tokenizer.segment import segmenter_for

# Words whose index terms a tokenizer remembers (a corpus has some hundred thousand distinct words).
KEPT_WORDS = 500_000


def _is_word_char(ch: str) -> bool:
    return ch.isalnum()


# Two or more word characters: `\w` is `str.isalnum` and the underscore.
_WORD_RUN = re.compile(r"[^\W_]{2,}")


class _FoldingTokenizer(Tokenizer):
    """Shared Whoosh plumbing: compact the text, reuse one Token, honour the position/char flags.

    Tokens are cut from `tokenizer.normalize.compact(value)`; their `startchar`/`endchar` are
    mapped back to `value`, so a token spanning a line break covers the break too.
    """

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        compacted, offsets = compact(value)
        if not tokenize:
            spans = [(compacted, 0, 0, len(compacted))] if compacted else []
        else:
            spans = self.spans(compacted, mode)
        for text, pos, start, end in spans:
            first, last = offsets[start], offsets[end - 1] + 1
            token.text = text
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = value[first:last]
            if positions:
                token.pos = start_pos + pos
            if chars:
                token.startchar = start_char + first
                token.endchar = start_char + last
            yield token

    def spans(self, folded: str, mode: str):
        """(text, position, start, end) of each token of the folded text."""
        raise NotImplementedError

    def counts(self, value: str) -> Counter:
        """How often each token of `value` occurs at index time: what a posting list stores."""
        return Counter(text for text, *_ in self.spans(compact_text(value), "index"))


class JiebaTokenizer(_FoldingTokenizer):
    """jieba words of the folded text; punctuation and spaces are dropped, positions stay sequential.

    `words` is the user dictionary (see `tokenizer.dictionary.user_words`); it is part of the
    tokenizer, so it is pickled with the index schema. The words live in a jieba tokenizer of
    their own (`tokenizer.dictionary.jieba_for`), found on the first cut: jieba's process-wide
    dictionary is left alone, so the cut depends on this tokenizer's words only. At index time the
    cut is computed by `tokenizer.segment` (jieba's cut, by jieba-rs where the two agree).
    """

    def __init__(self, words: tuple[str, ...] = ()):
        self.words = tuple(words)

    def __getstate__(self):
        # The jieba tokenizer is rebuilt from the words where the schema is unpickled.
        return {"words": self.words}

    def jieba(self):
        """This tokenizer's jieba (jieba's dictionary plus `words`)."""
        found = self.__dict__.get("_jieba")
        if found is None:
            found = self._jieba = jieba_for(self.words)
        return found

    def cut(self, folded: str, mode: str) -> list[str]:
        """jieba's words of the folded text: at index time by `tokenizer.segment` (the same cut, faster)."""
        if mode == "query":
            return list(self.jieba().cut(folded))
        found = self.__dict__.get("_segmenter")
        if found is None:
            found = self._segmenter = segmenter_for(self.words)
        return found.cut(folded)

    def spans(self, folded, mode):
        pos = start = 0
        for word in self.cut(folded, mode):
            end = start + len(word)
            if any(map(_is_word_char, word)):
                if mode != "query":
                    for i, part in self._parts(word):
                        yield part, pos, start + i, start + i + len(part)
                yield word, pos, start, end
                pos += 1
            start = end

    def _parts(self, word: str) -> list[tuple[int, str]]:
        """(offset, text) of the dictionary words of two and three characters inside a longer word."""
        freq = self.jieba().FREQ
        return [(i, word[i:i + size]) for size in (2, 3) if len(word) > size
                for i in range(len(word) - size + 1) if freq.get(word[i:i + size])]

    def index_terms(self, folded: str):
        """The texts `spans(folded, "index")` yields, in order: each word's are worked out once."""
        known = self.__dict__.get("_terms_of")
        if known is None or len(known) > KEPT_WORDS:
            known = self._terms_of = _WordTerms(self)
        return chain.from_iterable(map(known.__getitem__, self.cut(folded, "index")))


class _WordTerms(dict):
    """A word's index terms (its parts, then itself; none for punctuation), worked out on first sight."""

    def __init__(self, tokenizer: JiebaTokenizer):
        super().__init__()
        self.tokenizer = tokenizer

    def __missing__(self, word: str) -> list[str]:
        found = self[word] = ([part for _, part in self.tokenizer._parts(word)] + [word]
                              if any(map(_is_word_char, word)) else [])
        return found


class CharNgramTokenizer(_FoldingTokenizer):
    """Every pair of adjacent word characters (letters, digits, ideographs), at the first one's offset.

    Single characters are not indexed: a one-character query is answered by scanning the
    clause texts, which is as fast as reading its long postings and halves the index.
    """

    def spans(self, folded, mode):
        pairs = ((i, folded[i:i + 2]) for i in range(len(folded) - 1))
        for i, pair in pairs:
            if _is_word_char(pair[0]) and _is_word_char(pair[1]):
                yield pair, i, i, i + 2

    def counts(self, value):
        # The pairs of each run of word characters, counted in C.
        runs = _WORD_RUN.findall(compact_text(value))
        return Counter(chain.from_iterable(map(add, run, run[1:]) for run in runs))


class ChineseAnalyzer(CompositeAnalyzer):
    """`JiebaTokenizer(words) | StopFilter(...)`, able to count its index terms without a Token each."""

    def counts(self, value: str) -> Counter:
        tokenizer, stop = self.items
        counts = Counter(tokenizer.index_terms(compact_text(value)))
        for text in [t for t in counts if len(t) < stop.min] if stop.min > 1 else ():
            del counts[text]
        for text in stop.stops.intersection(counts):
            del counts[text]
        return counts


class TermCounts(Frequency):
    """Whoosh's `Frequency` postings (term counts), counted by the analyzer's `counts` when it has one.

    Whoosh counts terms from a generator of Tokens, several Python calls per term; counting
    the tokenizer's spans directly gives the same postings (tests/test_tokenizer.py compares
    them on the sample corpus) at a fraction of the cost.
    """

    def counts(self, value, analyzer) -> Counter | None:
        """How often each term of the text `value` occurs at index time; None where Whoosh's Tokens must count."""
        counts = getattr(analyzer, "counts", None)
        return counts(value) if counts is not None and isinstance(value, str) else None

    def word_values(self, value, analyzer, **kwargs):
        counts = self.counts(value, analyzer) if kwargs.get("mode", "index") == "index" else None
        if counts is None:
            return super().word_values(value, analyzer, **kwargs)
        boost = self.field_boost
        return ((text, n, n * boost, pack_uint(n)) for text, n in counts.items())


def chinese_analyzer(words: tuple[str, ...] = ()):
    """jieba words without stop words: the ranking field's analyzer."""
    return ChineseAnalyzer(JiebaTokenizer(words), StopFilter(stoplist=STOPWORDS, minsize=1, renumber=False))


def ngram_analyzer():
    """Character pairs: the literal-recall field's analyzer."""
    return CharNgramTokenizer()
