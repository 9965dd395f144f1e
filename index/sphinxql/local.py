"""A cluster on this machine's loopback, started and stopped by a program (the tests, the benchmark).

`loopback(folder, shards)` writes the configuration of `shards` RT shards and a distributed front
on a free block of loopback ports (`index.sphinxql.cluster.Cluster`); `running(cluster)` starts
Debian's `searchd` for each (shards first) and stops them all, front first, however it ends.
`start` and `stop` are one `searchd` each, for a test that takes a shard down and back.

>>> free_port_block(3) >= 20_000
True
"""

from __future__ import annotations

import contextlib
import random
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

from index.sphinxql.cluster import Cluster

START_TIMEOUT_S = 15


class SearchdMissing(RuntimeError):
    def __init__(self):
        super().__init__("searchd 未安装（apt-get install sphinxsearch；scripts/test 会安装）")


def free_port_block(size: int) -> int:
    """The first of `size` consecutive loopback ports that are free now."""
    for _ in range(50):
        base = random.randrange(20_000, 60_000 - size)
        with contextlib.ExitStack() as stack:
            try:
                for port in range(base, base + size):
                    stack.enter_context(socket.socket()).bind(("127.0.0.1", port))
            except OSError:
                continue
            return base
    raise RuntimeError("no free block of loopback ports")


def _wait_for(port: int) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"searchd did not listen on {port}")


def start(config: Path, port: int) -> None:
    """Start the `searchd` of `config` and wait until it takes SphinxQL on `port`."""
    subprocess.run(["searchd", "--config", str(config)], check=True, capture_output=True, timeout=30)
    _wait_for(port)


def stop(config: Path) -> None:
    subprocess.run(["searchd", "--config", str(config), "--stopwait"], capture_output=True, timeout=30)


def loopback(folder: Path, shards: int, **options) -> Cluster:
    """A cluster of `shards` shards on free loopback ports (and `Cluster` `options`), written to `folder`."""
    cluster = Cluster(shards=shards, port=free_port_block(1 + 2 * shards), folder=folder, **options)
    cluster.write()
    return cluster


def crashed(cluster: Cluster) -> list[str]:
    """The names of the `searchd`s of `cluster` whose log records a crash (searchd restarts itself after one)."""
    names = [shard.name for shard in cluster.shard_list] + [cluster.index]
    logs = {name: cluster.file_of(name, "log") for name in names}
    return [name for name, log in logs.items() if log.exists() and "CRASH DUMP" in log.read_text(errors="replace")]


@contextlib.contextmanager
def running(cluster: Cluster) -> Iterator[Cluster]:
    """The configured `cluster` running meanwhile: shards started first, the front stopped first."""
    if shutil.which("searchd") is None:
        raise SearchdMissing()
    started = []
    try:
        for config, port in [(s.config_file, s.sql_port) for s in cluster.shard_list] + \
                            [(cluster.front_file, cluster.port)]:
            start(config, port)
            started.append(config)
        yield cluster
    finally:
        for config in reversed(started):
            stop(config)
