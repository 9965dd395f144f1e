"""Writing documents to the shards of a cluster: `python -m index build|add --engine sphinxql://…`.

The front's `DESCRIBE` names the shards (its agents); a document and its clauses go to the shard
`shard_number(doc.id, N)` picks, in a batch of whole documents written in one transaction that
first deletes their old rows (`Batch`), so a reader sees a document's old version or its new
one, never half. A build writes every document that
way, then deletes the documents the sources no longer have: during a build readers see a mix of
old and new documents, each whole (to switch all at once, build a second cluster and move the
front; see docs/cluster.md).

>>> shard_number("泸发-2021-24", 2) == shard_number("泸发-2021-24", 2), shard_number("x", 1)
(True, 0)
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sys
import time
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor

from tqdm import tqdm

from corpus.model import Document
from index.build import MAX_PROCESSES, PARALLEL_CLAUSES, NoDocuments
from index.citation import References
from index.passages import units
from index.sphinxql.client import Client, parse_url
from index.sphinxql.cluster import shard_sql_port
from index.sphinxql.lookup import merge_gates
from index.sphinxql.rows import DOCUMENT, META, clause_row, document_row, meta_row, name_rows, stable_id
from tokenizer import chinese_analyzer, user_words

# A shard's transaction holds at most this many documents or characters of row values (its
# statements must fit searchd's max_packet_size, 32M: see cluster.py).
BATCH_DOCUMENTS = 200
BATCH_CHARS = 4_000_000
# After a write each shard's disk chunks are merged into one (OPTIMIZE INDEX): Debian's searchd
# 2.2.11 crashed on batches of queries over shards of ten disk chunks each (1,000,000 clauses;
# docs/cluster.md). The merge runs inside searchd; a write waits for it at most this long
# (then it goes on in the background).
OPTIMIZE_WAIT_S = 3600
OPTIMIZE_POLL_S = 0.5


def shard_number(doc_id: str, shards: int) -> int:
    """The shard a document lives on: a stable hash of its id (the same on every machine and run)."""
    return stable_id("shard", doc_id) % shards


def disk_chunks(client: Client, name: str) -> int:
    """How many disk chunks the RT index `name` has (`SHOW INDEX … STATUS`)."""
    return int(dict(client.rows(f"SHOW INDEX {name} STATUS")).get("disk_chunks", 0))


def _value(column: str, value) -> tuple[str, tuple]:
    if isinstance(value, list):  # a multi-value attribute
        return "(" + ",".join(map(str, value)) + ")", ()
    if isinstance(value, int):
        return str(value), ()
    return "%s", (value,)


def replace_sql(index: str, rows: list[dict]) -> tuple[str, tuple]:
    """One REPLACE of rows that have the same columns (integers and value lists inline, text as arguments)."""
    columns = list(rows[0])
    groups, args = [], []
    for row in rows:
        values = [_value(column, row[column]) for column in columns]
        groups.append("(" + ", ".join(sql for sql, _ in values) + ")")
        args += [arg for _, more in values for arg in more]
    return f"REPLACE INTO {index} ({', '.join(columns)}) VALUES {', '.join(groups)}", tuple(args)


_analyzer = None


def _use_dictionary(words: tuple[str, ...]) -> None:
    global _analyzer
    _analyzer = chinese_analyzer(words)


def document_rows(doc: Document) -> tuple[dict, list[dict], list[dict]]:
    """(the document's row, its search units' rows, the names of its facet values)."""
    rows = [clause_row(doc, unit, seq, [t.text for t in _analyzer(unit.text)]) for seq, unit in enumerate(units(doc))]
    return document_row(doc), rows, name_rows(doc)


def _size(rows: list[dict]) -> int:
    return sum(len(str(value)) for row in rows for value in row.values())


class Batch:
    """Whole documents bound for one shard, written in one transaction: `BEGIN; DELETE their old rows;
    REPLACE the new ones (a multi-row statement per kind of row); COMMIT`.

    >>> batch = Batch("gongwen_0")
    >>> batch.add(({"id": 7, "kind": 1, "doc_key": 7, "data": "{}"}, [], [{"id": 9, "kind": 2, "data": "县财政局"}]))
    >>> [sql.split(" (")[0] for sql, _ in batch.statements()]
    ['REPLACE INTO gongwen_0', 'BEGIN', 'DELETE FROM gongwen_0 WHERE doc_key IN', 'REPLACE INTO gongwen_0', 'COMMIT']
    """

    def __init__(self, name: str):
        self.name = name
        self.documents: list[dict] = []
        self.units: list[dict] = []
        self.names: dict[int, dict] = {}
        self.size = 0

    def add(self, rows: tuple[dict, list[dict], list[dict]]) -> None:
        document, searched, names = rows
        self.documents.append(document)
        self.units += searched
        self.names.update((row["id"], row) for row in names)
        self.size += _size([document, *searched])

    def statements(self) -> list[tuple[str, tuple]]:
        # Facet names are the same whoever writes them: outside the transaction, never deleted.
        statements = [replace_sql(self.name, list(self.names.values()))] if self.names else []
        keys = ",".join(str(row["doc_key"]) for row in self.documents)
        statements += [("BEGIN", ()), (f"DELETE FROM {self.name} WHERE doc_key IN ({keys})", ()),
                       replace_sql(self.name, self.documents)]
        statements += [replace_sql(self.name, self.units)] if self.units else []
        return [*statements, ("COMMIT", ())]


class ClusterWriter:
    """Writes documents to the shards behind the distributed index at `url`."""

    def __init__(self, url: str):
        host, port, self.index = parse_url(url)
        front = Client(host, port)
        self.shards: list[tuple[Client, str]] = []
        for agent, _ in front.rows(f"DESCRIBE {self.index}"):
            agent_host, agent_port, name = agent.rsplit(":", 2)
            self.shards.append((Client(agent_host, shard_sql_port(int(agent_port))), name))
        front.close()

    def _meta(self) -> dict | None:
        for client, name in self.shards:
            rows = client.rows(f"SELECT data FROM {name} WHERE kind = {META} LIMIT 1")
            if rows:
                return json.loads(rows[0][0])
        return None

    def write(self, documents: Iterable[Document], progress: bool = True, rebuild: bool = False) -> None:
        """Write the documents (the last of each id); `rebuild` also deletes every document not among them."""
        documents = list({doc.id: doc for doc in documents}.values())
        if not documents:
            raise NoDocuments("没有可写入的公文")
        now = dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")
        meta = None if rebuild else self._meta()
        if meta is None:
            meta = {"built_at": now[:19] + "+00:00", "words": list(user_words(documents))}
        # Which 文号 and titles can be looked up at all (`index.sphinxql.lookup`): an add only widens them.
        meta |= merge_gates(meta, References(documents).gates())
        names = [self.shards[shard_number(doc.id, len(self.shards))][1] for doc in documents]
        processes = min(MAX_PROCESSES, os.cpu_count() or 1)
        clients = {name: client for client, name in self.shards}
        batches = {name: Batch(name) for name in clients}
        with contextlib.ExitStack() as stack:
            if processes > 1 and sum(len(doc.clauses) for doc in documents) >= PARALLEL_CLAUSES:
                # Cutting the words is most of the work: one process per core, as the Whoosh build does.
                pool = stack.enter_context(ProcessPoolExecutor(processes, initializer=_use_dictionary,
                                                               initargs=(tuple(meta["words"]),)))
                written = pool.map(document_rows, documents, chunksize=8)
            else:
                _use_dictionary(tuple(meta["words"]))
                written = map(document_rows, documents)
            bar = stack.enter_context(tqdm(total=len(documents), desc="索引", unit="篇", file=sys.stderr,
                                           disable=not progress))
            for name, rows in zip(names, written, strict=True):
                batch = batches[name]
                batch.add(rows)
                if len(batch.documents) >= BATCH_DOCUMENTS or batch.size >= BATCH_CHARS:
                    clients[name].write(batch.statements())
                    bar.update(len(batch.documents))
                    batches[name] = Batch(name)
            for name, batch in batches.items():
                if batch.documents:
                    clients[name].write(batch.statements())
                    bar.update(len(batch.documents))
        if rebuild:
            keep = {stable_id("d", doc.id) for doc in documents}
            for client, name in self.shards:
                self._delete_others(client, name, keep)
        # A new `changed_at` tells the engines to read the documents' references again.
        for client, name in self.shards:
            client.write([replace_sql(name, [meta_row({**meta, "changed_at": now})])])
        if progress:
            print("合并各分片的磁盘块（OPTIMIZE INDEX）…", file=sys.stderr)
        self.optimize()

    def optimize(self) -> None:
        """Merge each shard's disk chunks into one and wait for it (at most OPTIMIZE_WAIT_S)."""
        for client, name in self.shards:
            client.write([(f"OPTIMIZE INDEX {name}", ())])
        deadline = time.monotonic() + OPTIMIZE_WAIT_S
        while any(disk_chunks(client, name) > 1 for client, name in self.shards) and time.monotonic() < deadline:
            time.sleep(OPTIMIZE_POLL_S)

    def _delete_others(self, client: Client, name: str, keep: set[int]) -> None:
        count = client.rows(f"SELECT COUNT(*) c FROM {name} WHERE kind = {DOCUMENT}")
        total = int(count[0][0]) if count else 0
        if not total:
            return
        rows = client.rows(f"SELECT doc_key FROM {name} WHERE kind = {DOCUMENT} LIMIT {total} "
                           f"OPTION max_matches={total}")
        gone = [str(key) for (key,) in rows if key not in keep]
        for i in range(0, len(gone), BATCH_DOCUMENTS):
            client.write([(f"DELETE FROM {name} WHERE doc_key IN ({','.join(gone[i:i + BATCH_DOCUMENTS])})", ())])

    def close(self) -> None:
        for client, _ in self.shards:
            client.close()
