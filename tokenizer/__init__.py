"""Chinese text analysis for the index: folding, jieba words with a corpus dictionary, n-grams.

>>> [t.text for t in chinese_analyzer()("ＡＢＣ１２３林长制", mode="query")]
['abc123', '林长制']
"""

from tokenizer.analysis import (
    CharNgramTokenizer,
    ChineseAnalyzer,
    JiebaTokenizer,
    TermCounts,
    chinese_analyzer,
    ngram_analyzer,
)
from tokenizer.dictionary import jieba_for, user_words
from tokenizer.normalize import compact, compact_text, fold

__all__ = [
    "CharNgramTokenizer",
    "ChineseAnalyzer",
    "JiebaTokenizer",
    "TermCounts",
    "chinese_analyzer",
    "compact",
    "compact_text",
    "fold",
    "jieba_for",
    "ngram_analyzer",
    "user_words",
]
