"""jieba, quiet, with a user dictionary built from the corpus itself, kept apart per word list.

The words that matter most in 公文 are names jieba does not know (`县教体局`, `泸溪高新区`)
and policy terms (`林长制`, `牵头单位`). `user_words(documents)` collects them: unit and office
names from the parsed documents plus the terms in `terms.txt`. The index keeps the list
in its schema (see `tokenizer.analysis`), so queries are cut with the same dictionary.

`jieba_for(words)` is a `jieba.Tokenizer` of its own holding jieba's dictionary plus `words`:
jieba's process-wide dictionary is never changed, so one index's words do not change how
another analyzer (or any other jieba user in the process) cuts.

>>> words = user_words([])
>>> "林长制" in words and "牵头单位" in words
True
>>> list(jieba_for(("泸溪高新区",)).cut("泸溪高新区林长制")), list(jieba_for(()).cut("泸溪高新区林长制"))
(['泸溪高新区', '林长制'], ['泸溪', '高新区', '林长制'])
"""

from __future__ import annotations

import logging
import threading
import warnings
from collections import OrderedDict
from collections.abc import Iterable
from pathlib import Path

from corpus.model import Document

with warnings.catch_warnings():
    # jieba 0.42 has invalid escapes in its regexes: Python warns when it first compiles them.
    warnings.simplefilter("ignore", SyntaxWarning)
    import jieba

jieba.setLogLevel(logging.WARNING)

HERE = Path(__file__).resolve().parent
USER_WORD_FREQ = 200_000
# Tokenizers for the most recent word lists: a serving process needs one (its index's),
# a process that opens several indexes a few; each costs ~15 MB beside the base dictionary.
KEPT_TOKENIZERS = 4
_lock = threading.Lock()
_base: list[jieba.Tokenizer] = []
_tokenizers: OrderedDict[tuple[str, ...], jieba.Tokenizer] = OrderedDict()


def _data_lines(name: str) -> list[str]:
    lines = (HERE / name).read_text("utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


TERMS = tuple(_data_lines("terms.txt"))
STOPWORDS = frozenset(_data_lines("stopwords.txt"))


def user_words(documents: Iterable[Document]) -> tuple[str, ...]:
    """Unit names (canonical and as written), issuing offices and domain terms, sorted, each once."""
    words = set(TERMS)
    for doc in documents:
        words.update(doc.offices)
        for clause in doc.clauses:
            words.update(clause.lead_units)
            words.update(clause.main_units)
            for unit in clause.units:
                words.update((unit.name, unit.as_written))
    return tuple(sorted(w for w in words if 2 <= len(w) <= 30 and not any(ch.isspace() for ch in w)))


def _base_tokenizer() -> jieba.Tokenizer:
    """jieba's own dictionary, loaded once per process (~1 s from jieba's cache file), never changed."""
    if not _base:
        base = jieba.Tokenizer()
        base.initialize()
        _base.append(base)
    return _base[0]


def jieba_for(words: tuple[str, ...]) -> jieba.Tokenizer:
    """A jieba tokenizer with jieba's dictionary plus `words`, one per word list in a process.

    A new list copies the base dictionary's table (~20 ms; the word strings are shared)
    instead of loading jieba's dictionary again.
    """
    words = tuple(words)
    with _lock:
        base = _base_tokenizer()
        if not words:
            return base
        found = _tokenizers.get(words)
        if found is not None:
            _tokenizers.move_to_end(words)
            return found
        found = jieba.Tokenizer()
        found.FREQ, found.total, found.initialized = dict(base.FREQ), base.total, True
        for word in words:
            found.add_word(word, USER_WORD_FREQ)
        _tokenizers[words] = found
        if len(_tokenizers) > KEPT_TOKENIZERS:
            _tokenizers.popitem(last=False)
        return found
