"""The 公文检索 web site: clause search with facets, document pages, clause permalinks, unit 台账.

Run it:

    python -m app serve [--host 127.0.0.1] [--port 5000] [--index DIR]   # builds the index on first start
    flask --app app run                                                 # development server
    gunicorn -w 2 -b 0.0.0.0:8000 'app:create_app()'                    # production

Configuration (a mapping given to `create_app`, else environment variables):
`INDEX_DIR` (env `GONGWEN_INDEX`, default `instance/index`) and `CORPUS_DIR`
(env `GONGWEN_CORPUS`, default the bundled `corpus/data/gazettes`, `corpus.SAMPLE_DIR`).
"""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask

from corpus import SAMPLE_DIR
from index.storage import default_index_dir

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict | None = None) -> Flask:
    """The Flask application, configured from `config` over the defaults.

    >>> create_app({"INDEX_DIR": "/tmp/idx"}).config["INDEX_DIR"]
    '/tmp/idx'
    """
    app = Flask(__name__, template_folder=str(ROOT / "templates"), static_folder=str(ROOT / "static"))
    app.config.from_mapping(
        INDEX_DIR=default_index_dir(),
        CORPUS_DIR=os.environ.get("GONGWEN_CORPUS") or str(SAMPLE_DIR),
        SEND_FILE_MAX_AGE_DEFAULT=3600,
    )
    if config:
        app.config.from_mapping(config)
    app.json.ensure_ascii = False
    app.json.sort_keys = False

    from app import documents, errors, search, units, web

    web.init_app(app)
    errors.init_app(app)
    for module in (search, documents, units):
        app.register_blueprint(module.bp)
    return app
