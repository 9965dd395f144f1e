"""The `searchd` configuration of a cluster: N real-time shards and one distributed front.

Port layout for `--port P` (the one SphinxQL port clients use is the front's, P):
shard i listens for its agent (the front) on P + 1 + 2i and for SphinxQL on P + 2 + 2i,
so the front's `DESCRIBE` tells a writer where every shard takes writes (`shard_sql_port`).

>>> cluster = Cluster(shards=2, port=9306, folder=Path("/srv/gongwen"))
>>> [(s.name, s.agent_port, s.sql_port) for s in cluster.shard_list]
[('gongwen_0', 9307, 9308), ('gongwen_1', 9309, 9310)]
>>> print(cluster.front_config())  # doctest: +ELLIPSIS
index gongwen
{
    type = distributed
    agent = 127.0.0.1:9307:gongwen_0
    agent = 127.0.0.1:9309:gongwen_1
...
>>> cluster.url
'sphinxql://127.0.0.1:9306/gongwen'
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from index.facets import FACETS
from index.sphinxql.rows import CHARSET_TABLE, FIELDS, facet_attribute

DEFAULT_INDEX = "gongwen"
# A shard that does not answer within these (ms) is left out of the results, which say so: a stopped
# or hung searchd never greets the front (the connect timeout), a slow one costs a search the query
# timeout (10 s lets a loaded machine answer).
AGENT_CONNECT_TIMEOUT_MS = 500
AGENT_QUERY_TIMEOUT_MS = 10_000
# A shard's RAM chunk; beyond it searchd writes a disk chunk (a build merges them: writer.OPTIMIZE).
RT_MEM_LIMIT = "256M"
# Room for a batch of whole documents in one answer (the default is 8M).
MAX_PACKET_SIZE = "32M"
ATTRIBUTES = (
    ("rt_attr_uint", "kind"), ("rt_attr_uint", "seq"), ("rt_attr_uint", "date_key"), ("rt_attr_bigint", "doc_key"),
    *map(facet_attribute, FACETS),
    ("rt_attr_string", "doc_id"), ("rt_attr_string", "data"),
)


def shard_sql_port(agent_port: int) -> int:
    """The SphinxQL port of the shard whose agent port is `agent_port` (see the module docstring)."""
    return agent_port + 1


@dataclass(frozen=True)
class Shard:
    name: str
    host: str
    agent_port: int
    folder: Path

    @property
    def sql_port(self) -> int:
        return shard_sql_port(self.agent_port)

    @property
    def config_file(self) -> Path:
        return self.folder.parent / f"{self.name}.conf"


@dataclass(frozen=True)
class Cluster:
    shards: int
    port: int
    folder: Path
    host: str = "127.0.0.1"
    index: str = DEFAULT_INDEX
    rt_mem_limit: str = RT_MEM_LIMIT

    @property
    def shard_list(self) -> list[Shard]:
        return [Shard(f"{self.index}_{i}", self.host, self.port + 1 + 2 * i, self.folder / f"{self.index}_{i}")
                for i in range(self.shards)]

    @property
    def front_file(self) -> Path:
        return self.folder / f"{self.index}.conf"

    @property
    def url(self) -> str:
        return f"sphinxql://{self.host}:{self.port}/{self.index}"

    def file_of(self, name: str, suffix: str) -> Path:
        """The log, query log or pid file (`suffix` log, query.log, pid) of the `searchd` serving index `name`."""
        return self.folder / f"{name}.{suffix}"

    def _searchd(self, name: str, listen: list[str], binlog: Path | None) -> str:
        lines = [f"    listen = {address}" for address in listen]
        lines += [f"    {key} = {self.file_of(name, suffix)}"
                  for key, suffix in (("log", "log"), ("query_log", "query.log"), ("pid_file", "pid"))]
        lines += ["    workers = threads", f"    max_packet_size = {MAX_PACKET_SIZE}", f"    binlog_path = {binlog or ''}"]
        return "searchd\n{\n" + "\n".join(lines) + "\n}\n"

    def shard_config(self, shard: Shard) -> str:
        body = ["    type = rt", f"    path = {shard.folder / 'rt'}"]
        body += [f"    rt_field = {name}" for name in FIELDS]
        body += [f"    {kind} = {name}" for kind, name in ATTRIBUTES]
        body += [f"    charset_table = {CHARSET_TABLE}", f"    rt_mem_limit = {self.rt_mem_limit}"]
        index = f"index {shard.name}\n{{\n" + "\n".join(body) + "\n}\n"
        listen = [f"{self.host}:{shard.agent_port}", f"{self.host}:{shard.sql_port}:mysql41"]
        return index + "\n" + self._searchd(shard.name, listen, shard.folder)

    def front_config(self) -> str:
        body = ["    type = distributed"]
        body += [f"    agent = {s.host}:{s.agent_port}:{s.name}" for s in self.shard_list]
        body += [f"    agent_connect_timeout = {AGENT_CONNECT_TIMEOUT_MS}",
                 f"    agent_query_timeout = {AGENT_QUERY_TIMEOUT_MS}"]
        index = f"index {self.index}\n{{\n" + "\n".join(body) + "\n}\n"
        return index + "\n" + self._searchd(self.index, [f"{self.host}:{self.port}:mysql41"], None)

    def config_files(self) -> list[Path]:
        """Every configuration file, shards first (start them before the front)."""
        return [s.config_file for s in self.shard_list] + [self.front_file]

    def write(self) -> list[Path]:
        """Write the configuration files and create the shards' data folders."""
        self.folder.mkdir(parents=True, exist_ok=True)
        for shard in self.shard_list:
            shard.folder.mkdir(exist_ok=True)
            shard.config_file.write_text(self.shard_config(shard), encoding="utf-8")
        self.front_file.write_text(self.front_config(), encoding="utf-8")
        return self.config_files()

    def start_commands(self) -> list[list[str]]:
        return [["searchd", "--config", str(path)] for path in self.config_files()]

    def stop_commands(self) -> list[list[str]]:
        return [["searchd", "--config", str(path), "--stopwait"] for path in reversed(self.config_files())]
