"""The search engine: a Whoosh index of documents and clauses, and the search service over it.

    from index import open_index
    from index.query import parse_search_query
    result = open_index("instance/index").search(parse_search_query({"q": "清廉学校"}))

Build one with `index.build.build_index(documents, index_dir)` or `python -m index build`.
"""

from index.query import QueryError, SearchQuery, parse_search_query
from index.service import Index, open_index
from index.storage import IndexMissing

__all__ = ["Index", "IndexMissing", "QueryError", "SearchQuery", "open_index", "parse_search_query"]
