"""Refusing re-imports that would lose an existing notebook's text.

A capture can be truncated (a page saved before it loaded, a reader fooled by
markup) or be another article that happens to map to the same id.  Either
way writing it would silently replace a complete notebook, so such an update
is refused unless ``--force`` says it is meant.
"""

from __future__ import annotations

from pathlib import Path

from .errors import BookError
from .notebook import article_meta, syntax

# A notebook may lose up to this share of its lines in an update (a related
# list trimmed, a section merged); more looks like a broken capture.
MAX_LOSS = 1 / 5
_TEXT_PARTS = frozenset({"intro", "body", "summary"})


def refusal(capture: Path, target: str, current: str, new: str) -> BookError | None:
    """Why writing ``new`` over the notebook ``current`` (at ``target``) would lose text, if it would."""
    before, after = current.count("\n"), new.count("\n")
    old_text, new_text = article_text(current), article_text(new)
    if after < before * (1 - MAX_LOSS) or (old_text and not new_text):
        return BookError(
            str(capture),
            1,
            f"would replace {before} lines with {after}",
            f"use --force to overwrite {target} if this shorter capture is right",
        )
    old, fresh = _meta(current), _meta(new)
    if (
        old_text != new_text
        and not old.get("source_url")
        and not fresh.get("source_url")
        and old.get("title") == fresh.get("title")
    ):
        # Without a source URL only the title tied the capture to this notebook.
        return BookError(
            str(capture),
            1,
            f"{target} already holds an article titled {fresh.get('title')!r} with different text",
            "if this capture is a new version of it, use --force; otherwise give it its 本文链接 line",
        )
    return None


def article_text(notebook: str) -> list[str]:
    """The lines of a notebook's intro, body and summary cells, without blank lines."""
    body, first = syntax.body_of(notebook)
    text_cells = (cell for cell in syntax.cells(body, first) if cell.part in _TEXT_PARTS)
    return [line for cell in text_cells for line in cell.lines if line.strip()]


def source_url(notebook: str) -> str:
    """The source URL a notebook's front matter records ('' when the capture had none)."""
    return str(_meta(notebook).get("source_url") or "")


def title(notebook: str) -> str:
    """The title a notebook's front matter records."""
    return str(_meta(notebook).get("title") or "")


def _meta(notebook: str) -> dict[str, object]:
    return article_meta(notebook)
