"""The 公文检索 web site: clause search with facets, document pages, clause permalinks, unit 台账.

Run it:

    python -m app serve [--host 127.0.0.1] [--port 5000] [--workers N] [--index DIR]  # gunicorn; builds the index on first start
    python -m app serve --dev                                           # Flask's development server and reloader
    gunicorn -w 2 -b 0.0.0.0:8000 'app:create_app()'                    # gunicorn with options of your own

Configuration (a mapping given to `create_app`, else environment variables):
`INDEX_DIR` (env `GONGWEN_INDEX`, default `instance/index`) and `CORPUS_DIR`
(env `GONGWEN_CORPUS`, default the bundled `corpus/data/gazettes`, `corpus.SAMPLE_DIR`).

Behind a proxy or on a public address, set both of these, so that a forged `Host` header
cannot put another site into links:

- `PUBLIC_URL` (env `GONGWEN_PUBLIC_URL`, e.g. `https://gongwen.example.gov.cn`): the address
  that full links start with (canonical and og:url links, copied links, Atom feeds, CSV links,
  OpenSearch). Unset, they use the host the request came to.
- `TRUSTED_HOSTS` (env `GONGWEN_TRUSTED_HOSTS`, comma-separated, e.g.
  `gongwen.example.gov.cn,localhost`): Flask answers a request for any other host with 400.
"""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask

from app import labels
from corpus import SAMPLE_DIR
from index.storage import default_index_dir

ROOT = Path(__file__).resolve().parent.parent


def _host_list(value: str | None) -> list[str] | None:
    """Comma-separated host names as a list; None (every host) when none are given.

    >>> _host_list("gongwen.example.gov.cn, localhost"), _host_list("")
    (['gongwen.example.gov.cn', 'localhost'], None)
    """
    hosts = [host.strip() for host in (value or "").split(",") if host.strip()]
    return hosts or None


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
        PUBLIC_URL=os.environ.get("GONGWEN_PUBLIC_URL") or None,
        TRUSTED_HOSTS=_host_list(os.environ.get("GONGWEN_TRUSTED_HOSTS")),
    )
    if config:
        app.config.from_mapping(config)
    public_url = app.config["PUBLIC_URL"]
    if public_url and not public_url.startswith(("http://", "https://")):
        raise ValueError(labels.BAD_PUBLIC_URL.format(value=public_url))
    app.json.ensure_ascii = False
    app.json.sort_keys = False

    from app import documents, errors, search, units, web

    web.init_app(app)
    errors.init_app(app)
    for module in (search, documents, units):
        app.register_blueprint(module.bp)
    # Browsers and feed readers ask for /favicon.ico whatever the page says: the site's icon, not a 404.
    app.add_url_rule("/favicon.ico", "favicon", lambda: app.send_static_file("favicon.svg"))
    return app
