"""Hostile requests through the production server (`python -m app serve`): none gets a 5xx.

Paths, query parameters, methods, Host and other headers are drawn (seeded) from lists of
what breaks servers: bad encodings, control characters, huge and negative numbers, dates
that do not exist, unmatched quotes, hosts Flask cannot bind URLs to, bodies on GET. Each
request goes over its own raw socket so that nothing is cleaned up on the way.
"""

from __future__ import annotations

import contextlib
import random
import socket
import subprocess
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.test_app_cli import free_port, wait_for

ROOT = Path(__file__).resolve().parent.parent
REQUESTS = 10_000

PATHS = ["/", "/search", "/search.json", "/search.csv", "/search.atom", "/search.xml", "/search.", "/units",
         "/units.json", "/unit/县财政局", "/unit/县财政局.csv", "/unit/", "/d/", "/d/泸发-2021-24",
         "/d/泸发-2021-24.json", "/d/泸发-2021-24/5.18", "/d/泸发〔2021〕24号", "/d/泸发-2021-24/99.99.json",
         "/opensearch.xml", "/static/style.css", "/static/../app/__init__.py", "/favicon.ico", "//", "/%2e%2e/",
         "/d/%ff%fe", "/unit/%00", "/search/", "/d/" + "a" * 3000, "/d/x/../../etc/passwd", "/\u202e", "*"]
PARAMS = ["q", "type", "office", "unit", "year", "from", "to", "sort", "page", "size", "fmt", "x"]
VALUES = ["", "清廉", "\"乡村振兴", "-", "-学校", "OR", "A OR", "文号:", "单位:县财政局", "泸发[2021]24号 第18项",
          "0", "-1", "1e9", "99999999999999999999999", "abc", "1000", "1001", "2021-02-30", "2021-13-01", "0000-00-00",
          "relevance", "date", "random", "%ff", "%00", "%E6%B3", "<script>alert(1)</script>", "'\";--", "{{7*7}}",
          "\u0000", "\ud800", "𠀀" * 50, "清" * 2000, "a%20b", "%", "+", "NaN", "inf", "2021", "21"]
METHODS = ["GET"] * 6 + ["HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE", "CONNECT", "PROPFIND", "G3T",
                         "get"]
HOSTS = [None, "127.0.0.1", "localhost:5000", "..", ".", "", "a b", "[::1", "[zz]", "x:99999", "x:-1", "évil.example",
         "a" * 300, "a..b", "-", "evil.example", "127.0.0.1:1:2", "%00", "a/b", "xn--", "localhost\t"]
EXTRA_HEADERS = ["", "Content-Length: -1\r\n", "Content-Length: abc\r\n", "Accept: application/json\r\n", "Cookie: " + "x=1; " * 100 + "\r\n", "X-Forwarded-Host: ..\r\n",
                 "If-Modified-Since: yesterday\r\n", "Range: bytes=9-1\r\n", "Content-Type: multipart/form-data\r\n"]


def hostile_request(rng: random.Random) -> bytes:
    """One request as bytes: a method, a path with parameters, a Host and some other headers, maybe a body."""
    path = rng.choice(PATHS)
    if rng.random() < 0.7:
        pairs = [f"{rng.choice(PARAMS)}={rng.choice(VALUES)}" for _ in range(rng.randint(1, 4))]
        path += "?" + "&".join(pairs)
    if rng.random() < 0.85:  # as a browser sends it; else raw, spaces and all
        path = quote(path, safe="/?&=%*", errors="surrogatepass")
    host = rng.choice(HOSTS) if rng.random() < 0.4 else "127.0.0.1"
    head = f"{rng.choice(METHODS)} {path} HTTP/1.1\r\n"
    head += "" if host is None else f"Host: {host}\r\n"
    head += rng.choice(EXTRA_HEADERS) + "Connection: close\r\n"
    body = b"x" * rng.choice([0, 0, 5, 70_000])
    if body and rng.random() < 0.5:
        head += "Transfer-Encoding: chunked\r\n\r\n"
        body = f"{len(body):x}\r\n".encode() + body + b"\r\n0\r\n\r\n"
    elif body:
        head += f"Content-Length: {len(body)}\r\n\r\n"
    else:
        head += "\r\n"
    return head.encode("utf-8", "surrogatepass") + body


def status_of(port: int, request: bytes) -> int:
    """The status code of the server's answer to `request` (0 when it closed without one, -1 when none came in time)."""
    with socket.create_connection(("127.0.0.1", port), timeout=20) as s:
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # it answered before reading the body
            s.sendall(request)
        head = b""
        try:
            while b"\r\n" not in head:
                chunk = s.recv(4096)
                if not chunk:
                    break
                head += chunk
        except ConnectionResetError:
            pass
        except TimeoutError:
            return -1
    parts = head.split(b" ", 2)
    return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0


@pytest.fixture()
def production_server(sample_index, tmp_path):
    """`python -m app serve` with two workers on a free port; yields the port, the process and its log file."""
    port = free_port()
    log = tmp_path / "serve.log"
    with open(log, "w") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "app", "serve", "--port", str(port), "--index", str(sample_index), "--workers", "2"],
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=stderr)
    try:
        assert wait_for(f"http://127.0.0.1:{port}/search.json?size=1", process, seconds=60) == 200
        yield port, process, log
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_ten_thousand_hostile_requests_get_no_server_error(production_server):
    port, process, log = production_server
    rng = random.Random(14)
    requests = [hostile_request(rng) for _ in range(REQUESTS)]
    with ThreadPoolExecutor(8) as pool:
        statuses = Counter(pool.map(lambda r: status_of(port, r), requests))
    print(sorted(statuses.items()))
    assert sum(statuses.values()) == REQUESTS
    failed = {s: n for s, n in statuses.items() if s >= 500 or s <= 0}
    assert not failed, (failed, log.read_text()[-4000:])
    assert statuses[200] > REQUESTS / 20 and statuses[400] > 0 and statuses[404] > 0 and statuses[405] > 0
    assert process.poll() is None
    assert "Traceback" not in log.read_text()


def test_a_large_post_gets_its_405_at_once_and_holds_no_worker(production_server):
    port, process, log = production_server
    body = b"x" * (50 << 20)
    for _ in range(3):  # more than the two workers
        started = time.monotonic()
        assert status_of(port, b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: %d\r\n\r\n" % len(body) + body) == 405
        assert time.monotonic() - started < 10
    assert status_of(port, b"GET /search.json?size=1 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n") == 200
