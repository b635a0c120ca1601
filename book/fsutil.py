"""Atomic file writes: a reader of the tree sees the old file or the new one, never half."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

TMP_SUFFIX = ".tmp"


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# mkstemp creates files readable by their owner only; a book's files are
# meant to be read by a web server and by collaborators, like any other file.
_FILE_MODE = 0o666 & ~_umask()


def atomic_write(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write to a hidden temporary file beside ``path``, fsync, then rename over it.

    A crash (even ``kill -9``) leaves either the old file or the new one; at
    worst a hidden ``.name.*.tmp`` that :func:`remove_stale_temporaries` clears.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TMP_SUFFIX, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, _FILE_MODE)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def remove_stale_temporaries(folder: Path) -> list[Path]:
    """Delete temporaries an interrupted run left behind (names only :func:`atomic_write_bytes` uses)."""
    stale = sorted(folder.rglob(f".*{TMP_SUFFIX}")) if folder.exists() else []
    for path in stale:
        path.unlink(missing_ok=True)
    return stale


def write_bytes_if_changed(path: Path, data: bytes) -> bool:
    """:func:`write_if_changed` for bytes."""
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    atomic_write_bytes(path, data)
    return True


def write_if_changed(path: Path, text: str) -> bool:
    """Write only when the content differs, so unchanged files keep their mtime (Sphinx rebuilds by mtime)."""
    try:
        if path.read_text(encoding="utf-8") == text:
            return False
    except FileNotFoundError:
        pass
    atomic_write(path, text)
    return True
