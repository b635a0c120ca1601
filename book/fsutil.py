"""Atomic file writes: a reader of the tree sees the old file or the new one, never half."""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

TMP_SUFFIX = ".tmp"


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# mkstemp creates files readable by their owner only; a book's files are
# meant to be read by a web server and by collaborators, like any other file.
_FILE_MODE = 0o666 & ~_umask()


def file_stamp(path: Path) -> list[int] | None:
    """(mtime in ns, size) of a file, as a list so that it round-trips through JSON; ``None``
    when there is no such file."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return [stat.st_mtime_ns, stat.st_size]


def atomic_write(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write to a hidden temporary file beside ``path``, fsync, then rename over it.

    A crash (even ``kill -9``) leaves either the old file or the new one; at
    worst a hidden ``.name.*.tmp`` that :func:`remove_stale_temporaries` clears.
    """
    tmp = _temporary(path, data, sync=True)
    try:
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _temporary(path: Path, data: bytes, sync: bool) -> str:
    """``data`` in a new hidden temporary beside ``path`` (synced to disk if ``sync``); its name."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # The writer's pid in the name tells a temporary still being written from one a killed run left.
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=TMP_SUFFIX, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            if sync:
                f.flush()
                os.fsync(f.fileno())
        os.chmod(tmp, _FILE_MODE)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return tmp


class AtomicBatch:
    """Atomic writes of many files, made durable together.

    :func:`atomic_write` syncs each file before it renames it.  For a thousand files that
    is a thousand journal commits, and creating each next temporary waited on the last
    (1.8 s of importing 1,000 articles, py-spy).  Here each file goes to its hidden
    temporary at once; :meth:`commit` syncs them all with one call, then renames each over
    its target.  A crash still leaves each target old or new, never renamed before its
    bytes are on disk; before the commit there are only temporaries, which
    :func:`remove_stale_temporaries` clears.  Used as a context manager it commits at the
    end, and on an exception leaves the targets untouched.
    """

    def __init__(self) -> None:
        self._pending: list[tuple[str, Path]] = []

    def __len__(self) -> int:
        return len(self._pending)

    def write(self, path: Path, text: str) -> None:
        self.write_bytes(path, text.encode("utf-8"))

    def write_bytes(self, path: Path, data: bytes) -> None:
        self._pending.append((_temporary(path, data, sync=False), path))

    def commit(self) -> None:
        pending, self._pending = self._pending, []
        if not pending:
            return
        try:
            _sync([tmp for tmp, _ in pending])
            for tmp, path in pending:
                os.replace(tmp, path)
        except BaseException:
            for tmp, _ in pending:
                Path(tmp).unlink(missing_ok=True)
            raise

    def discard(self) -> None:
        pending, self._pending = self._pending, []
        for tmp, _ in pending:
            Path(tmp).unlink(missing_ok=True)

    def __enter__(self) -> AtomicBatch:
        return self

    def __exit__(self, kind: object, error: object, traceback: object) -> None:
        if kind is None:
            self.commit()
        else:
            self.discard()


def _sync(paths: list[str]) -> None:
    """Every file in ``paths`` on disk: one ``syncfs`` of their filesystem where Linux has
    it (and they share one), else an ``fsync`` of each."""
    devices = {os.stat(path).st_dev for path in paths}
    syncfs = _libc_syncfs()
    if syncfs is not None and len(devices) == 1:
        fd = os.open(paths[0], os.O_RDONLY)
        try:
            if syncfs(fd) == 0:
                return
        finally:
            os.close(fd)
    for path in paths:
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _libc_syncfs() -> Any:
    try:
        import ctypes

        return ctypes.CDLL(None, use_errno=True).syncfs
    except (OSError, AttributeError):
        return None


_TMP_NAME = re.compile(rf"^\..+?\.(?:(?P<pid>\d+)\.)?[^.]+{re.escape(TMP_SUFFIX)}$")


def stale_temporaries(folders: Iterable[Path], top: Iterable[Path] = ()) -> list[Path]:
    """Temporaries of :func:`atomic_write_bytes` and :class:`AtomicBatch` whose writer is no
    longer running, under ``folders`` and directly in ``top``: what an interrupted run left."""
    found = [p for folder in folders if folder.is_dir() for p in folder.rglob(f".*{TMP_SUFFIX}")]
    found += [p for folder in top if folder.is_dir() for p in folder.glob(f".*{TMP_SUFFIX}")]
    return sorted(p for p in found if p.is_file() and _is_stale(p))


def _is_stale(path: Path) -> bool:
    m = _TMP_NAME.match(path.name)
    if m is None:
        return False  # not a name we make
    if m.group("pid") is None:
        return True  # named before names held their writer's pid
    pid = int(m.group("pid"))
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def remove_stale_temporaries(folders: Iterable[Path], top: Iterable[Path] = ()) -> list[Path]:
    """Delete what :func:`stale_temporaries` finds; returns it.  Temporaries of a command
    still running (``book serve``, another import) are left alone."""
    stale = stale_temporaries(folders, top)
    for path in stale:
        path.unlink(missing_ok=True)
    return stale


def write_bytes_if_changed(path: Path, data: bytes, batch: AtomicBatch | None = None) -> bool:
    """:func:`write_if_changed` for bytes."""
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    if batch is None:
        atomic_write_bytes(path, data)
    else:
        batch.write_bytes(path, data)
    return True


def write_if_changed(path: Path, text: str, batch: AtomicBatch | None = None) -> bool:
    """Write only when the content differs, so unchanged files keep their mtime (Sphinx rebuilds
    by mtime); in ``batch`` if one is given (the file is then written at its commit)."""
    try:
        if path.read_text(encoding="utf-8") == text:
            return False
    except FileNotFoundError:
        pass
    if batch is None:
        atomic_write(path, text)
    else:
        batch.write(path, text)
    return True
