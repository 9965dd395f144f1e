"""The build's segment writer: Whoosh's segment files, written a posting list at a time.

Whoosh's `SegmentWriter` handles every posting five times in Python: a tuple into its pool
(with a size estimate), a sort of all tuples, the codec's loop over them, `add_posting`, and
block statistics. A build writes a new segment from scratch, so `SegmentWriter` here keeps
each term's postings together as they come (document numbers, and the index of their
(weight, value) pair: a count of a few distinct values), and hands the codec a whole block
at a time. Terms, postings and stored fields are the ones Whoosh's writer writes
(tests/test_index_postings.py compares a build with it).

Only what the schema uses is supported: indexed and stored fields, no vectors, columns or
spelling fields, no boosts; segments are written with `index.codec.BuildCodec`.

>>> import tempfile
>>> from whoosh import index as whoosh_index
>>> from whoosh.fields import ID, TEXT, Schema
>>> ix = whoosh_index.create_in(tempfile.mkdtemp(), Schema(id=ID(stored=True), body=TEXT(phrase=False)))
>>> writer = SegmentWriter(ix)
>>> writer.add_document(id="a", body="alpha beta beta")
>>> writer.add_document(id="b", body="beta")
>>> writer.commit()
>>> with ix.searcher() as searcher:
...     list(searcher.reader().postings("body", "beta").items_as("weight"))
[(0, 2.0), (1, 1.0)]
"""

from __future__ import annotations

from array import array
from collections import defaultdict, deque
from functools import partial
from itertools import repeat
from operator import mul

from whoosh import writing
from whoosh.system import pack_uint

from index.codec import BuildCodec
from tokenizer import TermCounts

# Distinct values of the fields without counted terms (facets, ids) whose terms a writer remembers.
KEPT_VALUES = 100_000


class SegmentWriter(writing.SegmentWriter):
    """A `whoosh.writing.SegmentWriter` for new segments, keeping postings by term in memory."""

    def __init__(self, ix, **kwargs):
        kwargs.setdefault("codec", BuildCodec())
        super().__init__(ix, **kwargs)
        if self.codec.length_stats:
            raise ValueError("SegmentWriter writes no block length statistics: use index.codec.BuildCodec")
        for name, field in self.schema.items():
            if field.vector or field.column_type or field.separate_spelling():
                raise ValueError(f"SegmentWriter cannot write field {name!r}: vectors, columns and spelling are unsupported")
        self.pool = _TermPostings()

    def add_document(self, **fields):
        self._check_state()
        schema = self.schema
        names = sorted(fields)
        self._check_fields(schema, names)
        docnum = self.docnum
        perdoc = self.perdocwriter
        pool = self.pool
        perdoc.start_doc(docnum)
        for name in names:
            value = fields[name]
            if value is None:
                continue
            field = schema[name]
            length = 0
            if field.indexed:
                counts = field.format.counts(value, field.analyzer) if isinstance(field.format, TermCounts) else None
                if counts is not None:
                    length = pool.add_counts(name, docnum, counts, field.format.field_boost)
                else:
                    length = pool.add_terms(name, docnum, value, field)
                length = length if field.scorable else 0
            perdoc.add_field(name, field, value if field.stored else None, length)
        perdoc.finish_doc()
        self._added = True
        self.docnum += 1

    def commit_segments(self, segments) -> None:
        """Commit this writer's documents and `segments`, written by other writers of the index (in worker processes)."""
        self._check_state()
        final = [*self.segments, *segments]
        if self._added:
            final.append(self._finalize_segment())
        else:
            self._close_segment()
        self._commit_toc(final)
        self._finish()

    def _flush_segment(self):
        self.perdocwriter.close()
        self.pool.write(self.schema, self.fieldwriter)
        self.fieldwriter.close()


class _TermPostings:
    """Postings by field and term: per term one array of (document number, payload) pairs.

    The payload is the posting's count in a `TermCounts` field (weight = count × boost, value
    = the packed count), else the index of its (weight, value) pair, of which there are a few.
    A document's counts are added by C loops (`map`), not a Python statement per posting.
    """

    def __init__(self):
        self.fields: dict[str, defaultdict[str, array]] = {}
        self.boosts: dict[str, float] = {}  # the fields whose postings are counts
        self.payloads: dict[tuple[float, bytes], int] = {}
        self.analyzed: dict[tuple[str, object], tuple[list[str], list[int], int]] = {}
        self.fieldnames = self.fields.keys()

    def _terms(self, fieldname: str) -> defaultdict[str, array]:
        terms = self.fields.get(fieldname)
        if terms is None:
            terms = self.fields[fieldname] = defaultdict(partial(array, "I"))
        return terms

    def add_counts(self, fieldname: str, docnum: int, counts: dict[str, int], boost: float) -> int:
        """Add a document's term counts; returns the field length."""
        self.boosts[fieldname] = boost
        self._add(fieldname, docnum, counts, counts.values())
        return sum(counts.values())

    def add_terms(self, fieldname: str, docnum: int, value, field) -> int:
        """Add the terms the field's format makes of a document's value; returns the field length.

        Such values (a facet's, a document id) repeat from record to record: their terms are
        worked out once, except a unique field's.
        """
        found = self.analyzed.get((fieldname, value))
        if found is None:
            found = self._analyze(value, field)
            if not field.unique:
                if len(self.analyzed) > KEPT_VALUES:
                    self.analyzed.clear()
                self.analyzed[fieldname, value] = found
        texts, refs, length = found
        self._add(fieldname, docnum, texts, refs)
        return length

    def _analyze(self, value, field) -> tuple[list[str], list[int], int]:
        texts, refs, length = [], [], 0
        for text, freq, weight, vbytes in field.format.word_values(value, field.analyzer, mode="index"):
            length += freq
            key = (float(weight), vbytes)  # Whoosh multiplies by the field boost, 1.0
            found = self.payloads.get(key)
            if found is None:
                found = self.payloads[key] = len(self.payloads)
            texts.append(text)
            refs.append(found)
        return texts, refs, length

    def _add(self, fieldname: str, docnum: int, texts, payloads) -> None:
        entries = list(map(self._terms(fieldname).__getitem__, texts))
        deque(map(array.append, entries, repeat(docnum)), maxlen=0)
        deque(map(array.append, entries, payloads), maxlen=0)

    def write(self, schema, fieldwriter) -> None:
        """Write every posting list, fields and terms in order (str order is UTF-8 byte order)."""
        for fieldname in sorted(self.fields):
            terms = self.fields[fieldname]
            if fieldname in self.boosts:
                boost = self.boosts[fieldname]
                weights, values = _Derived(partial(mul, boost)), _Derived(pack_uint)
            else:
                weights, values = [w for w, _ in self.payloads], [v for _, v in self.payloads]
            fieldwriter.start_field(fieldname, schema[fieldname])
            for text in sorted(terms):
                pairs = terms[text]
                refs = pairs[1::2]
                fieldwriter.start_term(text.encode("utf-8"))
                _add_blocks(fieldwriter._postwriter, pairs[::2], list(map(weights.__getitem__, refs)),
                            list(map(values.__getitem__, refs)))
                fieldwriter.finish_term()
            fieldwriter.finish_field()

    def cleanup(self) -> None:
        self.fields.clear()


class _Derived(dict):
    """`derive(key)` for each key, worked out once."""

    def __init__(self, derive):
        super().__init__()
        self.derive = derive

    def __missing__(self, key):
        found = self[key] = self.derive(key)
        return found


def _add_blocks(postwriter, ids: array, weights: list[float], values: list[bytes]) -> None:
    """What `add_posting` would leave in the W3 postings writer, a block at a time; the last block stays buffered."""
    limit = postwriter._blocklimit
    for start in range(0, len(ids), limit):
        if start:
            postwriter._write_block()
        block = weights[start:start + limit]
        postwriter._ids = ids[start:start + limit]
        postwriter._weights = array("f", block)
        postwriter._values = list(filter(None, values[start:start + limit]))
        postwriter._maxweight = max(0, max(block))
