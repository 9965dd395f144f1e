"""What every page shares: the index handle, Jinja filters, security headers.

>>> cn_date("2021-11-12"), cn_date(None), cn_date("2021")
('2021年11月12日', '', '2021')
>>> bar_class(3, 12), bar_class(0, 0)
('w5', 'w0')
"""

from __future__ import annotations

import datetime as dt

from flask import Flask, current_app, request

from app import labels, urls
from index import open_index

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
}
BAR_STEPS = 20


def get_index():
    """The search index of this app (opened once per process, reopened after a rebuild)."""
    return open_index(current_app.config["INDEX_DIR"])


def cn_date(value: str | None) -> str:
    """An ISO date as people write it on a 公文: 2021年11月12日."""
    if not value:
        return ""
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return value
    return f"{day.year}年{day.month}月{day.day}日"


def bar_class(count: int, largest: int) -> str:
    """A CSS width class (w0 … w20, 5% steps) for a histogram bar: the CSP allows no inline styles."""
    return f"w{round(BAR_STEPS * count / largest) if largest else 0}"


def absolute(path: str) -> str:
    """A site path as a full URL of this host, for canonical links, feeds and copied links."""
    return request.host_url.rstrip("/") + path


def _security_headers(response):
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def init_app(app: Flask) -> None:
    app.after_request(_security_headers)
    app.add_template_filter(cn_date)
    app.add_template_global(bar_class)
    app.add_template_global(absolute)
    app.add_template_global(urls, "urls")
    app.add_template_global(labels, "labels")
