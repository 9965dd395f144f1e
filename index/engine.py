"""One search contract, two engines: the embedded Whoosh `Index` (the default) and a SphinxQL cluster.

The site, the JSON API and the CLI use only the methods of `SearchEngine`; which engine answers
is configuration: `--engine sphinxql://host:port/index` (or `$GONGWEN_ENGINE`) selects the
cluster (`index.sphinxql`), without it the index folder is used as before.

>>> from index.service import Index
>>> isinstance(Index("instance/index"), SearchEngine)
True
>>> open_engine("http://x", "instance/index")
Traceback (most recent call last):
...
index.engine.BadEngineURL: 检索引擎地址应为 sphinxql://主机:端口/索引名，收到：http://x
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from typing import Protocol, runtime_checkable

from corpus.model import Clause, Document
from index.query import SearchQuery
from index.results import SearchResult

ENGINE_ENV = "GONGWEN_ENGINE"


class BadEngineURL(ValueError):
    def __init__(self, url: str):
        super().__init__(f"检索引擎地址应为 sphinxql://主机:端口/索引名，收到：{url[:80]}")


@runtime_checkable
class SearchEngine(Protocol):
    """What the site and the CLI ask of a search engine (ids are the model's ids)."""

    def search(self, q: SearchQuery, facet_limit: int = ...) -> SearchResult: ...

    def document(self, doc_id: str) -> Document | None: ...

    def clause(self, clause_id: str) -> tuple[Document, Clause] | None: ...

    def resolve_doc_number(self, text: str) -> str | None: ...

    def cited_by(self, doc_id: str) -> list[Document]: ...

    def unit_clauses(self, unit_name: str) -> list[tuple[Document, list[Clause]]]: ...

    def documents(self, limit: int | None = None) -> Sequence[Document]: ...

    def stats(self) -> dict: ...


def engine_url(explicit: str | None = None) -> str | None:
    """The engine URL given, else `$GONGWEN_ENGINE`; None means the embedded index."""
    return explicit or os.environ.get(ENGINE_ENV) or None


def _check(url: str) -> str:
    from index.sphinxql.client import parse_url

    parse_url(url)
    return url


_engines: dict[str, SearchEngine] = {}


def open_engine(url: str | None, index_dir: str | os.PathLike) -> SearchEngine:
    """The engine at `url` (one per URL and process), else the Whoosh index at `index_dir`."""
    if not url:
        from index.service import open_index

        return open_index(index_dir)
    engine = _engines.get(url)
    if engine is None:
        from index.sphinxql.engine import SphinxQLEngine

        engine = _engines[_check(url)] = SphinxQLEngine(url)
    return engine


def write_documents(documents: Iterable[Document], url: str | None, index_dir: str | os.PathLike,
                    rebuild: bool, progress: bool = True) -> None:
    """Build (`rebuild`) or add to the index at `index_dir`, or the cluster at `url`."""
    if not url:
        from index.build import add_documents, build_index

        (build_index if rebuild else add_documents)(documents, index_dir, progress=progress)
        return
    from index.sphinxql.writer import ClusterWriter

    writer = ClusterWriter(_check(url))
    try:
        writer.write(documents, progress=progress, rebuild=rebuild)
    finally:
        writer.close()
