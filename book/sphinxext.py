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


def _allow_parallel_build(app: Sphinx, config: Any) -> None:
    """Jupyter Book always loads sphinx_multitoc_numbering, which does not declare itself
    parallel-safe, so Sphinx would read every page serially.  It only renumbers
    toctrees marked ``numbered``, and our generated toc never is."""
    ext = app.extensions.get("sphinx_multitoc_numbering")
    if ext is not None and ext.parallel_read_safe is None:
        ext.parallel_read_safe = True
        ext.parallel_write_safe = True


def _teach_search_the_vocabulary(app: Sphinx) -> None:
    """Sphinx's Chinese search segments with jieba; without our curated entities
    it splits 国美金融 into 国美 + 金融 and a search for 国美金融 finds no page."""
    from .tagging import load_vocabulary

    load_vocabulary(Path(app.srcdir) / "data" / "tags.yml")


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("source-read", _note_data_dependencies)
    app.connect("builder-inited", _teach_search_the_vocabulary)
    app.connect("config-inited", _allow_parallel_build)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
