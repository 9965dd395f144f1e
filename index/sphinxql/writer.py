"""Writing documents to the shards of a cluster: `python -m index build|add --engine sphinxql://…`.

The front's `DESCRIBE` names the shards (its agents); a document and its clauses go to the shard
`shard_number(doc.id, N)` picks, in one transaction that first deletes the document's old rows,
so a reader sees the old version or the new one, never half. A build writes every document that
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
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor

from tqdm import tqdm

from corpus.model import Document
from index.build import MAX_PROCESSES, PARALLEL_CLAUSES, NoDocuments
from index.passages import units
from index.sphinxql.client import Client, parse_url
from index.sphinxql.cluster import shard_sql_port
from index.sphinxql.rows import DOCUMENT, META, clause_row, document_row, meta_row, name_rows, stable_id
from tokenizer import chinese_analyzer, user_words

_MULTI = ("office_ids", "unit_ids", "cites")


def shard_number(doc_id: str, shards: int) -> int:
    """The shard a document lives on: a stable hash of its id (the same on every machine and run)."""
    return stable_id("shard", doc_id) % shards


def _value(column: str, value) -> tuple[str, tuple]:
    if column in _MULTI:
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


def document_statements(job: tuple[Document, str]) -> list[tuple[str, tuple]]:
    """The statements that replace a document on its shard `name` in one transaction."""
    doc, name = job
    rows = [clause_row(doc, unit, seq, [t.text for t in _analyzer(unit.text)]) for seq, unit in enumerate(units(doc))]
    names = name_rows(doc)
    statements = [replace_sql(name, names)] if names else []
    statements += [("BEGIN", ()), (f"DELETE FROM {name} WHERE doc_key = {stable_id('d', doc.id)}", ()),
                   replace_sql(name, [document_row(doc)])]
    statements += [replace_sql(name, rows)] if rows else []
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
        jobs = [(doc, self.shards[shard_number(doc.id, len(self.shards))][1]) for doc in documents]
        processes = min(MAX_PROCESSES, os.cpu_count() or 1)
        with contextlib.ExitStack() as stack:
            if processes > 1 and sum(len(doc.clauses) for doc in documents) >= PARALLEL_CLAUSES:
                # Cutting the words is most of the work: one process per core, as the Whoosh build does.
                pool = stack.enter_context(ProcessPoolExecutor(processes, initializer=_use_dictionary,
                                                               initargs=(tuple(meta["words"]),)))
                written = pool.map(document_statements, jobs, chunksize=8)
            else:
                _use_dictionary(tuple(meta["words"]))
                written = map(document_statements, jobs)
            clients = {name: client for client, name in self.shards}
            for (_, name), statements in tqdm(zip(jobs, written, strict=True), total=len(jobs), desc="索引",
                                              unit="篇", file=sys.stderr, disable=not progress):
                clients[name].write(statements)
        if rebuild:
            keep = {stable_id("d", doc.id) for doc in documents}
            for client, name in self.shards:
                self._delete_others(client, name, keep)
        # A new `changed_at` tells the engines to read the documents' references again.
        for client, name in self.shards:
            client.write([replace_sql(name, [meta_row({**meta, "changed_at": now})])])

    def _delete_others(self, client: Client, name: str, keep: set[int]) -> None:
        count = client.rows(f"SELECT COUNT(*) c FROM {name} WHERE kind = {DOCUMENT}")
        total = int(count[0][0]) if count else 0
        if not total:
            return
        rows = client.rows(f"SELECT doc_key FROM {name} WHERE kind = {DOCUMENT} LIMIT {total} "
                           f"OPTION max_matches={total}")
        for (key,) in rows:
            if key not in keep:
                client.write([(f"DELETE FROM {name} WHERE doc_key = {key}", ())])

    def close(self) -> None:
        for client, _ in self.shards:
            client.close()
