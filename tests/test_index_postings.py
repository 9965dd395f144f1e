"""The build's fast paths write exactly the postings of Whoosh's own (reference) path.

The fast paths: terms counted by the analyzers directly (`tokenizer.TermCounts`) instead of
from a Token per term, and the codec without block length statistics (`index.codec`).
"""

from whoosh import index as whoosh_index
from whoosh.fields import TEXT
from whoosh.formats import Frequency

from index.build import build_index
from index.schema import make_schema, records
from tokenizer import TermCounts, user_words


def _reference_index(documents, folder):
    """The same records written by plain Whoosh: `Frequency` postings from Tokens, the default codec."""
    schema = make_schema(user_words(documents))
    for name in ("body", "grams"):
        schema._fields[name] = TEXT(analyzer=schema[name].analyzer, phrase=False)
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
            matcher = reader.postings(field, term)
            postings[field, term] = list(matcher.items_as("weight"))
        return stored, postings


def test_term_counts_equal_whooshs_token_counts(sample_documents):
    schema = make_schema(user_words(sample_documents))
    texts = [doc.title for doc in sample_documents]
    texts += [clause.text for doc in sample_documents for clause in doc.clauses]
    for name in ("body", "grams"):
        analyzer = schema[name].analyzer
        assert isinstance(schema[name].format, TermCounts)
        for text in texts:
            fast = sorted(schema[name].format.word_values(text, analyzer, mode="index"))
            assert fast == sorted(Frequency().word_values(text, analyzer, mode="index")), text


def test_a_build_writes_the_reference_postings(sample_documents, tmp_path):
    # A few documents: the test above compares every text's terms; this one the written index.
    documents = sample_documents[:2]
    build_index(documents, tmp_path / "fast", progress=False)
    (tmp_path / "reference").mkdir()
    fast = _postings(whoosh_index.open_dir(str((tmp_path / "fast").resolve())))
    reference = _postings(_reference_index(documents, tmp_path / "reference"))
    assert len(fast[1]) > 1_000
    assert fast == reference
