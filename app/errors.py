"""Friendly error pages (with a search box) and JSON errors for the `.json` twins: never a traceback."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, NotFound, SecurityError

from app import labels
from index import IndexMissing
from index.query import QueryError


def error_response(status: int, message: str):
    """An error as JSON for API paths, else as the error page."""
    if request.path.endswith(".json"):
        return jsonify({"error": message, "status": status}), status
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
    # A host outside TRUSTED_HOSTS leaves Flask without URL building, so the page template cannot render.
    return labels.UNTRUSTED_HOST, 400, {"Content-Type": "text/plain; charset=utf-8"}


def init_app(app: Flask) -> None:
    app.register_error_handler(SecurityError, _untrusted_host)
    app.register_error_handler(QueryError, lambda exc: error_response(400, str(exc)))
    app.register_error_handler(IndexMissing, lambda exc: error_response(503, labels.INDEX_MISSING))
    app.register_error_handler(HTTPException, _http_error)
