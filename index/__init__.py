"""The search engine: a Whoosh index of documents and clauses, and the search service over it.

    from index import open_index
    from index.query import parse_search_query
    result = open_index("instance/index").search(parse_search_query({"q": "清廉学校"}))

Build one with `index.build.build_index(documents, index_dir)` or `python -m index build`.
"""

import warnings

# Whoosh and jieba compile regexes with invalid escapes; their SyntaxWarnings are not ours.
warnings.filterwarnings("ignore", category=SyntaxWarning, module=r"(whoosh|jieba)(\.|$)")

from index.query import QueryError, SearchQuery, parse_search_query  # noqa: E402
from index.service import Index, open_index  # noqa: E402
from index.storage import IndexMissing  # noqa: E402

__all__ = ["Index", "IndexMissing", "QueryError", "SearchQuery", "open_index", "parse_search_query"]
