"""Fixtures the whole suite shares: the parsed sample corpus, a real on-disk index, the app, a live server."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from corpus import SAMPLE_DIR

ROOT = Path(__file__).resolve().parent.parent
OUTPUT_DIR = ROOT / "test-output"


@pytest.fixture(scope="session")
def sample_documents():
    """Every document of the bundled gazettes, parsed once per test session."""
    from corpus.ingest import load_paths

    report = load_paths([SAMPLE_DIR])
    assert not report.skipped, report.skipped
    return report.documents


@pytest.fixture(scope="session")
def sample_index(tmp_path_factory, sample_documents):
    """A real Whoosh index of the sample corpus, built once into a temporary folder."""
    from index.build import build_index

    index_dir = tmp_path_factory.mktemp("index") / "index"
    build_index(sample_documents, index_dir, progress=False)
    return index_dir


@pytest.fixture(scope="session")
def app(sample_index):
    from app import create_app

    return create_app({"TESTING": True, "INDEX_DIR": str(sample_index)})


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def live_server(app):
    """The app served by a real WSGI server on a free loopback port; yields its base URL."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by Playwright (no browser download: /usr/bin/chromium)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--lang=zh-CN", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        yield instance
        instance.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def output_dir():
    """Where browser tests save screenshots (test-output/, ignored by git)."""
    OUTPUT_DIR.mkdir(exist_ok=True)
    return OUTPUT_DIR
