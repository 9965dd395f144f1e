"""Where an index lives on disk, and how a rebuilt one replaces the old one atomically.

`index_dir` (say `instance/index`) is a symbolic link to a generation folder beside it
(`instance/index.gen-1732540000123456789`). A build writes a complete index into
`instance/index.tmp-<pid>`, renames it to a new generation, and swaps the link with one
`rename(2)`: readers see the old index or the new one, never a half-written one. A build
that dies midway leaves only its `.tmp-<pid>` folder, which the next build removes.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

from whoosh import index as whoosh_index

ROOT = Path(__file__).resolve().parent.parent
_GENERATION = ".gen-"
_TEMPORARY = ".tmp-"
BUILT_AT_FILE = "built_at"


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


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def temporary_dir(index_dir: str | os.PathLike) -> Path:
    """A fresh folder beside `index_dir` to build into; removes those of builds that died."""
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
