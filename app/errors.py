"""Friendly error pages (with a search box) and JSON errors for the `.json` twins: never a traceback."""

from __future__ import annotations

import re

from flask import Flask, jsonify, render_template, request
from flask.globals import request_ctx
from werkzeug.exceptions import HTTPException, NotFound, SecurityError

from app import labels
from index import IndexMissing
from index.query import QueryError


def error_response(status: int, message: str):
    """An error as JSON for API paths, else as the error page (as plain text when no page can be built)."""
    if request.path.endswith(".json"):
        return jsonify({"error": message, "status": status}), status
    if request_ctx.url_adapter is None:
        # A Host header Flask cannot bind URLs to (`..`, a forged or untrusted host): the page's links cannot be built.
        return message, status, {"Content-Type": "text/plain; charset=utf-8"}
    title = labels.NOT_FOUND if status == 404 else labels.BAD_REQUEST if status < 500 else labels.SERVER_ERROR
    return render_template("error.html", status=status, title=title, message=message), status


def _http_error(exc: HTTPException):
    status = exc.code or 500
    if status == 404:
        # Views pass a Chinese description; an unmatched route carries werkzeug's English default.
        own = exc.description and exc.description != NotFound.description
        return error_response(404, exc.description if own else labels.NOT_FOUND_DOCUMENT)
    return error_response(status, labels.BAD_REQUEST if status < 500 else labels.SERVER_ERROR)


def _untrusted_host(exc: SecurityError):
    return error_response(400, labels.UNTRUSTED_HOST)


# A host name (ASCII labels, punycode for others) or an IP literal, and an optional port.
_HOST = re.compile(r"(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_~-]+(\.[A-Za-z0-9_~-]+)*\.?)(:[0-9]{1,5})?")


def valid_host(host: str) -> bool:
    """Whether a Host header names a host Flask can build URLs for.

    >>> [valid_host(h) for h in ("gongwen.example.gov.cn", "127.0.0.1:5000", "[::1]:80", "xn--fiq228c.cn")]
    [True, True, True, True]
    >>> [valid_host(h) for h in ("..", "a b", "évil.example", "xn--", "a" * 64 + ".cn", "[::1", "x:99999")]
    [False, False, False, False, False, False, False]
    """
    match = _HOST.fullmatch(host)
    if not match or (match.group(3) and int(match.group(3)[1:]) > 65535):
        return False
    try:
        name = match.group(1).encode("idna")  # labels of 1 to 63 characters
        name.decode("idna")  # and punycode that decodes
    except UnicodeError:
        return False
    return True


class MalformedHost:
    """WSGI middleware: a request whose Host header is no host name gets a 400 before Flask sees it."""

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        host = environ.get("HTTP_HOST")
        if host is None or valid_host(host):
            return self.wsgi_app(environ, start_response)
        body = labels.BAD_HOST.encode()
        start_response("400 Bad Request", [("Content-Type", "text/plain; charset=utf-8"),
                                           ("Content-Length", str(len(body)))])
        return [body]


def init_app(app: Flask) -> None:
    app.wsgi_app = MalformedHost(app.wsgi_app)
    app.register_error_handler(SecurityError, _untrusted_host)
    app.register_error_handler(QueryError, lambda exc: error_response(400, str(exc)))
    app.register_error_handler(IndexMissing, lambda exc: error_response(503, labels.INDEX_MISSING))
    app.register_error_handler(HTTPException, _http_error)
