r"""How documents and clauses become rows of a SphinxQL real-time index, and query text becomes MATCH syntax.

Every shard holds one RT index with four kinds of rows: a clause (`kind` 0, what searches
return, with what its hit shows in `data`: `hit_data`), a document (1: the whole `Document` as JSON in `data`, for pages and hits), a facet
value's name (2: the dictionary behind the integer ids of `type_id`, `office_ids`, `unit_ids`)
and the index's metadata (3: build time and the jieba user dictionary). Row ids and value ids are
stable 63-bit hashes, so any writer on any machine gives the same text the same id.

**Literal matching.** Text fields hold the compacted text (`tokenizer.compact_text`) one
character per token, every character a word of the charset (`CHARSET_TABLE`); a literal is the
phrase of its compacted characters, so a phrase match is exactly a substring match, punctuation
and digits included. Sphinx 2.2 applies `ngram_chars` to every field of an index, which would cut
the ASCII word tokens below into letters, so the text is split here rather than by `ngram_len = 1`.

>>> spaced("泸发〔2021〕")
'泸 发 〔 2 0 2 1 〕'
>>> phrase("泸发[2021]", "text")
'@text "泸 发 〔 2 0 2 1 〕"'
>>> phrase('a"-b', "title")
'@title "a \\" \\- b"'

**Ranking words.** jieba's words (with the index's dictionary) go into the `words` field as
stable ASCII tokens, so BM25 ranks whole words while matching stays literal:

>>> word_token("林长制") == word_token("林长制"), word_token("林长制")[:1], len(word_token("林长制"))
(True, 'w', 13)
"""

from __future__ import annotations

import hashlib
import json
import re

from corpus.docnumber import doc_number_key
from corpus.model import Clause, Document
from index.arrays import newest_first
from index.citation import cited_keys, title_keys
from index.facets import FACETS, FacetField
from index.passages import units
from tokenizer import compact_text

CLAUSE, DOCUMENT, NAME, META = 0, 1, 2, 3
# Characters that are index words. Whitespace kept by compaction (between ASCII letters and
# digits) becomes SPACE_TOKEN, anything outside these ranges OTHER_TOKEN, so phrases stay exact.
CHARSET_RANGES = ((0x21, 0x7E), (0xA1, 0xD7FF), (0xE000, 0xFFFD), (0x10000, 0x2FFFF))
CHARSET_TABLE = ", ".join(f"U+{low:X}..U+{high:X}" for low, high in CHARSET_RANGES)
SPACE_TOKEN, OTHER_TOKEN, GAP_TOKEN = "\ue000", "\ue001", "\ue002"
# Every clause row has this token in `words`: the positive term of a query that only excludes.
ALL_TOKEN = "all"
FIELDS = ("text", "words", "title", "docno", "units", "keys")
FIRST_TOKEN = "first"
# Characters the query parser reads as operators; escaped inside phrases.
_SPECIAL = set('\\()|-!@~"&/^$=<>*.,:;?\'[]{}#%+`')


def stable_id(kind: str, value: str) -> int:
    """A positive 63-bit id for `value` in a namespace (`"c"` clauses, `"d"` documents, facet names)."""
    digest = hashlib.blake2b(f"{kind}\x1f{value}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 1 or 1


def value_id(facet: str, value: str) -> int:
    return stable_id(facet, value)


def facet_attribute(facet: FacetField) -> tuple[str, str]:
    """(kind, name) of the attribute holding a facet's values (`index.facets`): a number as itself
    (`year`), else the `value_id` of its value (`type_id`) or of each of its values (`office_ids`).

    >>> [facet_attribute(f) for f in FACETS]  # doctest: +NORMALIZE_WHITESPACE
    [('rt_attr_bigint', 'type_id'), ('rt_attr_multi_64', 'office_ids'), ('rt_attr_multi_64', 'unit_ids'),
     ('rt_attr_uint', 'year')]
    """
    if facet.numeric:
        return "rt_attr_uint", facet.name
    return ("rt_attr_multi_64", f"{facet.name}_ids") if facet.several else ("rt_attr_bigint", f"{facet.name}_id")


FACET_ATTRS = {f.name: facet_attribute(f)[1] for f in FACETS}


def facet_ids(facet: FacetField, values) -> list[int]:
    """The attribute values selecting `values` of `facet`: the numbers themselves, or their value ids."""
    return [int(v) for v in values] if facet.numeric else [value_id(facet.name, v) for v in values]


def _facet_columns(doc: Document, clause: Clause) -> dict:
    columns = {}
    for f in FACETS:
        ids = sorted(set(facet_ids(f, (v for v in f.values(doc, clause) if v))))
        columns[FACET_ATTRS[f.name]] = ids if f.several else ids[0] if ids else 0
    return columns


def doc_token(doc_id: str) -> str:
    """The `keys` token every row of a document has (its own units are `@keys <token>`)."""
    return f"d{stable_id('d', doc_id):x}"


def number_token(doc_number: str) -> str:
    """The `keys` token of the rows of the document with this 文号 (any brackets)."""
    return number_key_token(doc_number_key(doc_number))


def number_key_token(key: str) -> str:
    return f"n{stable_id('n', key):x}"


def title_token(key: str) -> str:
    """The `keys` token of a document row found by this title key (`index.citation.title_keys`)."""
    return f"t{stable_id('t', key):x}"


def cited_token(key: str) -> str:
    """The `keys` token of a document row citing the 文号 with this key."""
    return f"r{stable_id('n', key):x}"


def word_token(word: str) -> str:
    return "w" + hashlib.blake2b(word.encode(), digest_size=6).hexdigest()


_SPACE = re.compile(r"\s")
_OUTSIDE = re.compile("[^" + "".join(f"{chr(low)}-{chr(high)}" for low, high in CHARSET_RANGES) + "]")


def tokens(text: str) -> list[str]:
    """The compacted characters of `text` as index words."""
    return list(_OUTSIDE.sub(OTHER_TOKEN, _SPACE.sub(SPACE_TOKEN, compact_text(text).strip())))


def spaced(text: str) -> str:
    return " ".join(tokens(text))


def phrase(text: str, field: str) -> str | None:
    """MATCH syntax for the literal `text` in `field`; None when it has no characters."""
    chars = ["\\" + ch if ch in _SPECIAL else ch for ch in tokens(text)]
    return f'@{field} "{" ".join(chars)}"' if chars else None


def date_key(doc: Document) -> int:
    """The document's date as the integer the newest-first order sorts on (0: undated)."""
    return -newest_first(doc)[0]


def _joined(values: list[str]) -> str:
    # A gap token between values, so a phrase never runs from one into the next.
    return f" {GAP_TOKEN} ".join(spaced(v) for v in values if v)


def _common(doc: Document) -> dict:
    return {"doc_id": doc.id, "doc_key": stable_id("d", doc.id), "date_key": date_key(doc)}


def document_row(doc: Document) -> dict:
    """The document as JSON, found in `keys` by its 文号, its titles and the 文号 it cites (`index.sphinxql.lookup`)."""
    keys = [number_token(doc.doc_number)] if doc.doc_number else []
    keys += [title_token(key) for key in title_keys(doc)] + [cited_token(key) for key in cited_keys(doc)]
    return {"id": stable_id("d", doc.id), "kind": DOCUMENT, **_common(doc), "seq": 0, "keys": " ".join(keys),
            "data": json.dumps(doc.to_dict(), ensure_ascii=False)}


def hit_data(doc: Document, clause: Clause) -> dict:
    """What a hit shows of a search unit, and its text for the snippet: a page of hits needs no document."""
    return {"clause_id": clause.id, "doc_id": doc.id, "doc_number": doc.doc_number, "title": doc.title,
            "doc_type": doc.doc_type, "offices": list(doc.offices), "date": doc.date or doc.publish_date,
            "label": clause.label, "path": list(clause.path), "heading": clause.heading,
            "units": clause.unit_names, "text": clause.text}


def clause_row(doc: Document, clause: Clause, seq: int, words: list[str]) -> dict:
    return {
        "id": stable_id("c", clause.id), "kind": CLAUSE, **_common(doc), "seq": seq,
        "text": spaced(clause.text), "words": " ".join([ALL_TOKEN, *map(word_token, words)]),
        "title": spaced(doc.title), "docno": spaced(doc_number_key(doc.doc_number or "")),
        "units": _joined(clause.unit_names),
        "keys": " ".join([doc_token(doc.id)] + [number_token(doc.doc_number)] * bool(doc.doc_number)
                         + [FIRST_TOKEN] * (seq == 0)),
        **_facet_columns(doc, clause), "data": json.dumps(hit_data(doc, clause), ensure_ascii=False),
    }


def name_rows(doc: Document) -> list[dict]:
    """The dictionary rows naming the facet values of `doc` (the same row from every document).

    `seq` is the facet's place in `FACETS`, so counting the rows by `seq` bounds how many values
    each facet has in the whole index (numbers, which need no name, are counted too).
    """
    values = {(i, f.name, v) for i, f in enumerate(FACETS) for c in units(doc) for v in f.values(doc, c)}
    return [{"id": value_id(name, value), "kind": NAME, "seq": i, "data": value}
            for i, name, value in sorted(values) if value]


def meta_row(meta: dict) -> dict:
    """The metadata row: `built_at`, `words` (the jieba user dictionary), `changed_at` (the last write)."""
    return {"id": stable_id("meta", "index"), "kind": META, "data": json.dumps(meta, ensure_ascii=False)}
