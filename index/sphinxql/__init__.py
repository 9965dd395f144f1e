"""The search service on a distributed SphinxQL engine (Manticore Search; Debian's sphinxsearch 2.2 in tests).

    python -m index cluster-config --shards 2 --port 9306 --dir /srv/gongwen   # then start the printed commands
    python -m index build --engine sphinxql://127.0.0.1:9306/gongwen
    GONGWEN_ENGINE=sphinxql://127.0.0.1:9306/gongwen python -m app serve

Operations, how the answers agree and the differences by design: docs/cluster.md.
`cluster` writes the searchd configuration, `rows` turns documents into rows and query text
into MATCH syntax, `writer` writes to the shards, `engine` answers searches and look-ups.
"""
