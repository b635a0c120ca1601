"""Readers: one per capture format, each ``read(path) -> Article``.

Chosen by file extension, as Pelican chooses its readers.
"""

from __future__ import annotations

import importlib
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
    """Files to import: the given files, and captures found in the given folders, in a stable order."""
    found: list[Path] = []
    problems: list[BookError] = []
    for path in paths:
        if path.is_dir():
            found += sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and p.suffix.lower() in READERS
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
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
