"""The codec an index is written with: Whoosh's W3 codec without per-block length statistics.

W3 looks up the field length of every posting's document while writing, to store each
block's shortest and longest document: only Whoosh's own BM25 block skipping reads them,
and `index.ranking` ranks with its own BM25 over whole posting lists (`index.postings`).
Skipping that lookup saves about a sixth of a build (measured on 5,000 clauses: 11.5 s → 9.6 s
of CPU). Postings, terms and stored fields are written exactly as W3 writes them (the ids'
deltas and the weights' summary of a block are computed by C loops instead of generators).

>>> BuildCodec.length_stats, isinstance(BuildCodec(), W3Codec)
(False, True)
"""

from __future__ import annotations

from itertools import chain
from operator import sub

from whoosh.codec.whoosh3 import W3Codec, W3PostingsWriter


class BuildCodec(W3Codec):
    """W3 without block length statistics (segments written with it are read as W3's)."""

    length_stats = False

    def postings_writer(self, dbfile, byteids=False):
        return _PostingsWriter(dbfile, blocklimit=self._blocklimit, byteids=byteids,
                               compression=self._compression, inlinelimit=self._inlinelimit)


class _PostingsWriter(W3PostingsWriter):
    """W3's postings writer, its per-posting Python loops over a block done by C loops (same results)."""

    def _mini_ids(self):
        ids = self._ids
        return tuple(ids if self._byteids else map(sub, ids, chain((0,), ids)))

    def _mini_weights(self):
        weights = self._weights
        if weights.count(1.0) == len(weights):
            return None
        if weights.count(weights[0]) == len(weights):
            return weights[0]
        return tuple(weights)
