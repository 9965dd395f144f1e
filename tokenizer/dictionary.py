"""jieba, quiet and loaded once, with a user dictionary built from the corpus itself.

The words that matter most in 公文 are names jieba does not know (`县教体局`, `泸溪高新区`)
and policy terms (`林长制`, `牵头单位`). `user_words(documents)` collects them: unit and office
names from the parsed documents plus the terms in `terms.txt`. The index keeps the list
in its schema (see `tokenizer.analysis`), so queries are cut with the same dictionary.

>>> words = user_words([])
>>> "林长制" in words and "牵头单位" in words
True
>>> ensure_words(("泸溪高新区",)); list(jieba.cut("泸溪高新区林长制"))
['泸溪高新区', '林长制']
"""

from __future__ import annotations

import logging
import threading
import warnings
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
_lock = threading.Lock()
_loaded: set[str] = set()
_loaded_sets: set[tuple[str, ...]] = set()


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


def ensure_words(words: tuple[str, ...]) -> None:
    """Add words to jieba's dictionary (initialising jieba once, silently).

    A `JiebaTokenizer` calls this on its first cut only. A second call with the same tuple
    hashes it (its strings' hashes are cached: about 1 µs for 170 words) instead of adding
    the words again.
    """
    if words in _loaded_sets and jieba.dt.initialized:
        return
    with _lock:
        jieba.dt.check_initialized()
        for word in words:
            if word not in _loaded:
                jieba.dt.add_word(word, USER_WORD_FREQ)
                _loaded.add(word)
        _loaded_sets.add(words)
