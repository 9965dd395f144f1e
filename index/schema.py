"""The index schema: one Whoosh index holding a record per document and a record per clause.

One index rather than two, so a rebuild or an incremental add is one atomic commit:

- a **document record** (`kind="doc"`) stores the whole `Document` as JSON (`data`), so
  pages render without re-parsing; its `body` is the title, for ranking only;
- a **clause record** (`kind="clause"`) is what searches return, one per numbered clause and
  one per passage (the text outside them: `index.passages`): `body` holds the clause
  text cut by jieba (ranking, whole words score higher), `grams` the same text as character
  pairs (literal recall, see `index.literal`), and one field per facet (`index.facets`: the
  clause's 文种, each issuing office of its document, its normalised responsible units and the
  year of its date).

Neither text field keeps positions: exact phrases are matched on the literal text (see
`index.literal`), which halves the index and its build time against positional postings.
Both records carry `doc_id`, so replacing a document deletes its old clauses by one term.
Ids are the model's ids (`Document.id`, `Clause.id`); Whoosh docnums never leave this package.
"""

from __future__ import annotations

import json

from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema

from corpus.model import Clause, Document
from index.facets import FACETS
from index.passages import units
from tokenizer import TermCounts, chinese_analyzer, ngram_analyzer


def make_schema(words: tuple[str, ...]) -> Schema:
    """The schema, with `words` as the jieba user dictionary of the `body` analyzer."""
    facet = {f.name: KEYWORD(commas=True, lowercase=False, scorable=False) for f in FACETS}
    return Schema(
        id=ID(stored=True, unique=True),
        kind=ID(stored=True),
        doc_id=ID(stored=True),
        body=_counted_text(chinese_analyzer(words)),
        grams=_counted_text(ngram_analyzer()),
        data=STORED(),
        **facet,
    )


def _counted_text(analyzer) -> TEXT:
    """A text field without positions whose term counts come from the analyzer directly (`TermCounts`)."""
    field = TEXT(analyzer=analyzer, phrase=False)
    field.format = TermCounts(field_boost=field.format.field_boost)
    return field


def _keywords(values) -> str:
    # KEYWORD(commas=True) splits on commas: a value must not contain one.
    return ",".join(dict.fromkeys(v.replace(",", "，").strip() for v in values if v and v.strip()))


def document_record(doc: Document) -> dict:
    return {
        "id": doc.id,
        "kind": "doc",
        "doc_id": doc.id,
        "body": doc.title,
        "data": json.dumps(doc.to_dict(), ensure_ascii=False),
    }


def clause_record(doc: Document, clause: Clause) -> dict:
    return {
        "id": clause.id,
        "kind": "clause",
        "doc_id": doc.id,
        "body": clause.text,
        "grams": clause.text,
        **{f.name: _keywords(f.values(doc, clause)) for f in FACETS},
    }


def records(doc: Document):
    """The document's record followed by one record per search unit (clause or passage, `index.passages`)."""
    yield document_record(doc)
    for clause in units(doc):
        yield clause_record(doc, clause)
