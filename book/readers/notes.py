"""What a reader noticed while reading one capture, for the fidelity report.

Kept apart from :class:`~book.model.Article` on purpose: the article is what
the page shows; these notes are about how faithfully the capture was read.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class ReadNotes:
    lines_read: int = 0  # non-empty lines of the capture (of the page's article, for HTML)
    lines_dropped: list[tuple[int, str]] = field(default_factory=list)  # site chrome, not content
    title_from: str = ""  # "title line", "<h1>", "<title>", "the question the intro ends with", "derived: …"
    title_missing: bool = False  # the title was derived: the capture has none
    near_misses: list[tuple[int, str, str]] = field(default_factory=list)  # (line, text, why it stayed text)
