"""The build's fast paths write exactly the postings of Whoosh's own (reference) path.

The fast paths: the build's own segment writer (`index.writer`, one segment per process), words cut by jieba-rs where it cuts as jieba (`tokenizer.segment`), terms counted
by the analyzers directly (`tokenizer.TermCounts`) instead of from a Token per term, and the codec
without block length statistics (`index.codec`).
"""

import random
from array import array

import pytest
from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import W3PostingsWriter
from whoosh.fields import TEXT
from whoosh.formats import Frequency

import index.build
from index.build import build_index
from index.codec import _PostingsWriter
from index.passages import units
from index.schema import make_schema, records
from tokenizer import ChineseAnalyzer, JiebaTokenizer, TermCounts, user_words


class JiebaReference(JiebaTokenizer):
    """Cuts with jieba itself in every mode: the reference for the index-time cutter."""

    def cut(self, folded, mode):
        return list(self.jieba().cut(folded))


def _reference_analyzers(words):
    schema = make_schema(words)
    tokenizer, stop = schema["body"].analyzer.items
    return {"body": ChineseAnalyzer(JiebaReference(tokenizer.words), stop), "grams": schema["grams"].analyzer}


def _reference_index(documents, folder):
    """The same records written by plain Whoosh: jieba's cut, `Frequency` postings from Tokens, the default codec."""
    words = user_words(documents)
    schema = make_schema(words)
    for name, analyzer in _reference_analyzers(words).items():
        schema._fields[name] = TEXT(analyzer=analyzer, phrase=False)
    ix = whoosh_index.create_in(str(folder), schema)
    writer = ix.writer()
    for doc in documents:
        for record in records(doc):
            writer.add_document(**record)
    writer.commit()
    return ix


def _postings(ix):
    with ix.searcher() as searcher:
        reader = searcher.reader()
        stored = list(reader.iter_docs())
        postings = {}
        for field, term in reader.all_terms():
            info = reader.term_info(field, term)
            matcher = reader.postings(field, term)
            found = []
            while matcher.is_active():
                found.append((matcher.id(), matcher.weight(), matcher.value()))
                matcher.next()
            postings[field, term] = (info.doc_frequency(), info.weight(), info.max_weight(), found)
        return stored, postings


def test_term_counts_equal_whooshs_token_counts(sample_documents):
    words = user_words(sample_documents)
    schema = make_schema(words)
    texts = [doc.title for doc in sample_documents]
    texts += [unit.text for doc in sample_documents for unit in units(doc)]
    for name, reference in _reference_analyzers(words).items():
        analyzer = schema[name].analyzer
        assert isinstance(schema[name].format, TermCounts)
        for text in texts:
            fast = sorted(schema[name].format.word_values(text, analyzer, mode="index"))
            assert fast == sorted(Frequency().word_values(text, reference, mode="index")), text


@pytest.mark.parametrize("processes", [1, 2])
def test_a_build_writes_the_reference_postings(sample_documents, tmp_path, monkeypatch, processes):
    # Some documents: the test above compares every text's terms; this one the written index.
    documents = sample_documents[:6]
    if processes > 1:
        monkeypatch.setattr(index.build, "PARALLEL_CLAUSES", 1)
        monkeypatch.setattr(index.build.os, "cpu_count", lambda: processes)
    build_index(documents, tmp_path / "fast", progress=False)
    (tmp_path / "reference").mkdir()
    fast_index = whoosh_index.open_dir(str((tmp_path / "fast").resolve()))
    assert len(fast_index._segments()) == processes
    fast = _postings(fast_index)
    reference = _postings(_reference_index(documents, tmp_path / "reference"))
    assert len(fast[1]) > 1_000
    assert fast == reference


def test_the_codecs_block_summaries_are_w3s():
    rng = random.Random(5)
    for weights in ([1.0] * 5, [2.0] * 3, [1.0, 2.0], [3.0, 1.0, 1.0], [0.5], [1.0]):
        ids = sorted(rng.sample(range(1, 10_000), len(weights)))
        ours, theirs = _PostingsWriter(None, 128), W3PostingsWriter(None, 128)
        for writer in (ours, theirs):
            writer._ids, writer._weights = array("I", ids), array("f", weights)
        assert ours._mini_ids() == theirs._mini_ids()
        assert ours._mini_weights() == theirs._mini_weights()
        assert type(ours._mini_weights()) is type(theirs._mini_weights())
