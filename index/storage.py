"""Where an index lives on disk, and how a rebuilt one replaces the old one atomically.

`index_dir` (say `instance/index`) is a symbolic link to a generation folder beside it
(`instance/index.gen-1732540000123456789`). A build writes a complete index into
`instance/index.tmp-<pid>`, renames it to a new generation, and swaps the link with one
`rename(2)`: readers see the old index or the new one, never a half-written one. A build
that dies midway leaves only its `.tmp-<pid>` folder, which the next build removes.

Writers (a build, an add) take turns: each holds `write_lock` (an `flock` on
`instance/index.lock`) from before it reads the live generation until its swap or commit,
so an add never commits into a generation a build is about to retire, and one build's
clean-up never removes another's new generation. Readers take no lock. The kernel drops
the lock of a writer that dies, so a killed build blocks nobody.

>>> import tempfile
>>> folder = tempfile.mkdtemp()
>>> with write_lock(f"{folder}/index"):
...     with write_lock(f"{folder}/index", wait=0.2):
...         pass
Traceback (most recent call last):
  ...
index.storage.IndexBusy: 索引正被另一个进程写入（建立或添加），等待 0.2 秒后仍未结束，索引未改动；请稍后再试
"""

from __future__ import annotations

import fcntl
import os
import shutil
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from whoosh import index as whoosh_index

ROOT = Path(__file__).resolve().parent.parent
_GENERATION = ".gen-"
_TEMPORARY = ".tmp-"
_LOCK = ".lock"
BUILT_AT_FILE = "built_at"
# How long a writer waits for another one to finish before it gives up (a large build takes minutes).
WRITE_WAIT_SECONDS = 900.0


class IndexMissing(Exception):
    """There is no index at the given path (build one with `python -m index build`)."""

    def __init__(self, index_dir):
        self.index_dir = str(index_dir)
        super().__init__(f"没有索引：{self.index_dir}（请先运行 python -m index build）")


class IndexUnreadable(IndexMissing):
    """The index at the given path exists but cannot be loaded (a damaged or foreign folder)."""

    def __init__(self, index_dir, reason: BaseException):
        IndexMissing.__init__(self, index_dir)
        self.args = (f"索引无法读取：{self.index_dir}（{type(reason).__name__}: {reason}；"
                     "请运行 python -m index build 重建）",)


class IndexBusy(Exception):
    """Another writer held the index's lock for longer than this one would wait: nothing was written."""

    def __init__(self, waited: float | None = None):
        after = f"，等待 {waited:g} 秒后仍未结束" if waited is not None else ""
        super().__init__(f"索引正被另一个进程写入（建立或添加）{after}，索引未改动；请稍后再试")


def default_index_dir() -> str:
    """`$GONGWEN_INDEX`, else `instance/index` in the project: the CLI's and the site's default."""
    return os.environ.get("GONGWEN_INDEX") or str(ROOT / "instance" / "index")


def live_dir(index_dir: str | os.PathLike) -> Path:
    """The folder that currently holds the index at `index_dir`; raises IndexMissing if none."""
    path = Path(index_dir).resolve()
    if not (path.is_dir() and whoosh_index.exists_in(str(path))):
        raise IndexMissing(index_dir)
    return path


def version(index_dir: str | os.PathLike) -> tuple:
    """Changes whenever a rebuild is swapped in or a commit lands (the folder and its mtime)."""
    path = Path(index_dir).resolve()
    try:
        return str(path), path.stat().st_mtime_ns
    except FileNotFoundError:
        raise IndexMissing(index_dir) from None


@contextmanager
def write_lock(index_dir: str | os.PathLike, wait: float = WRITE_WAIT_SECONDS) -> Iterator[None]:
    """Hold the write lock of the index at `index_dir` (see the module docstring).

    When another writer holds it, says so on stderr and waits up to `wait` seconds, then raises IndexBusy.
    """
    link = Path(index_dir).absolute()
    link.parent.mkdir(parents=True, exist_ok=True)
    with open(link.parent / f"{link.name}{_LOCK}", "a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"索引正被另一个进程写入（建立或添加），等待其完成（最多 {wait:g} 秒）…", file=sys.stderr, flush=True)
            deadline = time.monotonic() + wait
            while True:
                time.sleep(min(0.1, wait))
                try:
                    fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise IndexBusy(wait) from None
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def temporary_dir(index_dir: str | os.PathLike) -> Path:
    """A fresh folder beside `index_dir` to build into; removes those of builds that died.

    Call it, and `swap_in`, holding `write_lock`."""
    link = Path(index_dir).absolute()
    link.parent.mkdir(parents=True, exist_ok=True)
    for stale in link.parent.glob(f"{link.name}{_TEMPORARY}*"):
        pid = stale.name.rsplit("-", 1)[-1]
        if pid.isdigit() and _pid_alive(int(pid)):
            continue
        if stale.is_symlink():
            stale.unlink(missing_ok=True)
        else:
            shutil.rmtree(stale, ignore_errors=True)
    tmp = link.parent / f"{link.name}{_TEMPORARY}{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    return tmp


def swap_in(built: Path, index_dir: str | os.PathLike) -> Path:
    """Make the complete index in `built` the one at `index_dir`, atomically; returns its folder."""
    link = Path(index_dir).absolute()
    generation = link.parent / f"{link.name}{_GENERATION}{time.time_ns()}"
    built.rename(generation)
    previous = link.resolve() if link.is_symlink() else None
    if link.exists() and not link.is_symlink():
        # An index folder made by other means: move it aside once, the link takes its place.
        # It is the previous generation now, kept like any other until the next build.
        previous = link.parent / f"{link.name}{_GENERATION}0-{os.getpid()}"
        link.rename(previous)
    pointer = link.parent / f"{link.name}{_TEMPORARY}link-{os.getpid()}"
    pointer.unlink(missing_ok=True)
    pointer.symlink_to(generation.name)
    pointer.replace(link)
    _remove_old_generations(link, keep={generation.name, previous and previous.name})
    return generation


def _remove_old_generations(link: Path, keep: set) -> None:
    # The previous generation stays: a process may still be reading it.
    for old in link.parent.glob(f"{link.name}{_GENERATION}*"):
        if old.name not in keep:
            shutil.rmtree(old, ignore_errors=True)
