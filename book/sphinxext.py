"""Sphinx extension for the book (listed in ``_config.yml``).

The data notebook reads ``data/*.csv``; Sphinx only knows about the
notebook's own text, so without help it would keep serving old tables and
charts after ``index`` rewrote the data.  Noting the tables as dependencies
makes Sphinx re-read (and, with ``execution_mode: force``, re-run) the page
exactly when the data changed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

DATA_DOCS = {"notebooks/data"}
DATA_FILES = ("articles.csv", "tags.csv", "relations.csv")


def _note_data_dependencies(app: Sphinx, docname: str, source: list[str]) -> None:
    if docname in DATA_DOCS:
        data = Path(app.srcdir) / "data"
        for name in DATA_FILES:
            app.env.note_dependency(str(data / name))


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("source-read", _note_data_dependencies)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
