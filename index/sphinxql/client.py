"""SphinxQL connections (the MySQL protocol, through pymysql): one per thread, batches of statements.

>>> parse_url("sphinxql://127.0.0.1:9306/gongwen")
('127.0.0.1', 9306, 'gongwen')
>>> parse_url("sphinxql://10.0.0.5")
('10.0.0.5', 9306, 'gongwen')
>>> parse_url("mysql://x")
Traceback (most recent call last):
...
index.engine.BadEngineURL: 检索引擎地址应为 sphinxql://主机:端口/索引名，收到：mysql://x
"""

from __future__ import annotations

import contextlib
import re
import threading

import pymysql
from pymysql.constants import CLIENT

from index.engine import BadEngineURL
from index.sphinxql.cluster import DEFAULT_INDEX
from index.storage import IndexMissing

DEFAULT_PORT = 9306
CONNECT_TIMEOUT_S = 3
READ_TIMEOUT_S = 30
_URL = re.compile(r"^sphinxql://(?P<host>\[[^\]]+\]|[^:/\s]+)(?::(?P<port>\d{1,5}))?(?:/(?P<index>\w+))?/?$")


class EngineUnavailable(IndexMissing):
    """The search engine cannot be reached (the site answers 503 as for a missing index)."""

    def __init__(self, where: str, reason: BaseException):
        IndexMissing.__init__(self, where)
        self.args = (f"无法连接检索引擎 {where}（{reason}）；请确认 searchd 已启动",)


def parse_url(url: str) -> tuple[str, int, str]:
    """(host, port, index) of a `sphinxql://host:port/index` URL (port 9306, index gongwen by default)."""
    m = _URL.match(url.strip())
    if not m or not 0 < int(m["port"] or DEFAULT_PORT) < 65536:
        raise BadEngineURL(url)
    return m["host"].strip("[]"), int(m["port"] or DEFAULT_PORT), m["index"] or DEFAULT_INDEX


class Client:
    """Statements to one searchd; each thread has its own connection, reopened after a failure."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self._local = threading.local()

    @property
    def where(self) -> str:
        return f"{self.host}:{self.port}"

    def _connection(self):
        connection = getattr(self._local, "connection", None)
        if connection is None:
            try:
                connection = pymysql.connect(
                    host=self.host, port=self.port, charset="utf8mb4", autocommit=True,
                    connect_timeout=CONNECT_TIMEOUT_S, read_timeout=READ_TIMEOUT_S, write_timeout=READ_TIMEOUT_S,
                    client_flag=CLIENT.MULTI_STATEMENTS)
            except pymysql.err.OperationalError as exc:
                raise EngineUnavailable(self.where, exc.args[-1]) from None
            self._local.connection = connection
        return connection

    def close(self) -> None:
        connection = getattr(self._local, "connection", None)
        self._local.connection = None
        if connection is not None:
            with contextlib.suppress(pymysql.err.Error):
                connection.close()

    def batch(self, statements: list[tuple[str, tuple]]) -> list[list[tuple]]:
        """Run SELECT/SHOW statements in one round trip; every result set, in order."""
        sql = ";\n".join(statement for statement, _ in statements)
        args = tuple(arg for _, values in statements for arg in values)
        return self._retrying(self._run, [(sql, args)])

    def write(self, statements: list[tuple[str, tuple]]) -> None:
        """Run writes one by one on one connection (SphinxQL batches only reads): a transaction may span them."""
        self._retrying(self._run, statements)

    def _retrying(self, run, statements):
        try:
            return run(statements)
        except pymysql.err.ProgrammingError as exc:
            # A distributed index none of whose shards answered fails the query with their errors.
            if ": agent " in str(exc.args[-1]):
                raise EngineUnavailable(self.where, str(exc.args[-1]).strip("\x00").split(";")[0]) from None
            raise
        except (pymysql.err.OperationalError, pymysql.err.InterfaceError):
            # A connection searchd closed (restarted, idle timeout): reconnect once.
            self.close()
        try:
            return run(statements)
        except (pymysql.err.OperationalError, pymysql.err.InterfaceError) as exc:
            self.close()
            raise EngineUnavailable(self.where, exc.args[-1]) from None

    def _run(self, statements: list[tuple[str, tuple]]) -> list[list[tuple]]:
        sets = []
        with self._connection().cursor() as cursor:
            for sql, args in statements:
                cursor.execute(sql, args or None)
                sets.append(list(cursor.fetchall()))
                while cursor.nextset():
                    sets.append(list(cursor.fetchall()))
        return sets

    def rows(self, sql: str, *args) -> list[tuple]:
        return self.batch([(sql, args)])[0]
