"""Readers: one per capture format, each ``read(path) -> Article``.

Chosen by file extension, as Pelican chooses its readers.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterable
from pathlib import Path

from ..errors import BookError
from ..model import Article
from .notes import ReadNotes

# extension → reader module (each has ``read(path) -> Article``), imported on first use
READERS: dict[str, str] = {".txt": "text", ".html": "html", ".htm": "html"}


def read(path: Path, notes: ReadNotes | None = None) -> Article:
    """Read one capture; ``notes``, if given, is filled with what the fidelity report shows."""
    name = READERS.get(path.suffix.lower())
    if name is None:
        raise BookError(str(path), 1, f"no reader for '{path.suffix}' files", "import .txt or .html captures")
    return importlib.import_module(f"{__name__}.{name}").read(path, notes)


def find_captures(paths: Iterable[Path]) -> tuple[list[Path], list[BookError]]:
    """Files to import: the given files, and captures found in the given folders, in a stable order.

    Inside a folder, a symbolic link that leads out of it is refused, not read: whoever handed
    over the folder vouched for its files, not for whatever a link in it points at.
    """
    found: list[Path] = []
    problems: list[BookError] = []
    for path in paths:
        if path.is_dir():
            found += _captures_in(path, problems)
        elif path.is_file():
            found.append(path)
        else:
            problems.append(BookError(str(path), 0, "no such file or folder", "check the path"))
    seen: set[Path] = set()
    unique = []
    for p in found:
        if p.resolve() not in seen:
            seen.add(p.resolve())
            unique.append(p)
    return unique, problems


def _captures_in(folder: Path, problems: list[BookError]) -> list[Path]:
    inside = folder.resolve()

    def unreadable(exc: OSError) -> None:
        problems.append(
            BookError(str(exc.filename or folder), 1, f"cannot list this folder: {exc.strerror}", "make it readable")
        )

    found = []
    for top, dirs, files in os.walk(folder, onerror=unreadable):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in [*files, *(d for d in dirs if os.path.islink(os.path.join(top, d)))]:
            p = Path(top, name)
            if name.startswith(".") or (p.suffix.lower() not in READERS and not p.is_dir()):
                continue
            if p.is_symlink() and not p.resolve().is_relative_to(inside):
                problems.append(
                    BookError(
                        str(p),
                        1,
                        "is a symbolic link to a file outside the folder being imported: not read",
                        "copy the file into the folder, or import it by its own path",
                    )
                )
            elif p.is_file():
                found.append(p)
    return sorted(found)
