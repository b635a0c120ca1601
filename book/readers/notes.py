"""What a reader noticed while reading one capture, for the fidelity report.

Kept apart from :class:`~book.model.Article` on purpose: the article is what
the page shows; these notes are about how faithfully the capture was read.
The importer keeps them in the notebook's front matter (:func:`capture_record`),
so ``python -m book check --fidelity`` can report on notebooks long after their
import, when the capture itself may be gone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class ReadNotes:
    lines_read: int = 0  # non-empty lines of the capture (of the page's article, for HTML)
    lines_dropped: list[tuple[int, str]] = field(default_factory=list)  # site chrome, not content
    title_from: str = ""  # "title line", "<h1>", "<title>", "the question the intro ends with", "derived: …"
    title_missing: bool = False  # the title was derived: the capture has none
    near_misses: list[tuple[int, str, str]] = field(default_factory=list)  # (line, text, why it stayed text)


def capture_record(file_name: str, sha256: str, notes: ReadNotes) -> dict[str, Any]:
    """The ``capture:`` front matter of a notebook: which capture it was read from and how faithfully.

    Only the file's name, not its path: the notebook must be the same whichever folder the
    capture was imported from (imports are deterministic).  The digest tells whether a capture
    found later is the one that was read.
    """
    record: dict[str, Any] = {
        "file": file_name,
        "sha256": sha256,
        "lines_read": notes.lines_read,
        "lines_kept": notes.lines_read - len(notes.lines_dropped),
        "title_from": notes.title_from,
    }
    if notes.near_misses:
        record["kept_as_text"] = [{"line": n, "text": t, "why": why} for n, t, why in notes.near_misses]
    return record
