"""The site's Sphinx extension (listed in ``_config.yml``): what the book is, beyond
what Jupyter Book makes of its notebooks.

- **Bounded navigation** (``book.site.nav``): the categories, and the most used topics
  of the current one, the same size whatever the size of the book.
- **Chinese search that finds what a page holds**: a character n-gram index in
  shards the search page loads on demand (``book.search``).
- **The data notebook is re-read when the tables change**, and only the pages named in
  ``book_execute`` ever run code (``book.site.execution``).
- **The curated entities are taught to jieba** for the slugs and tags.
- **Links both ways** (``book.site.neighbour_sections``): each article page gets its
  相关文章 (by content) and 被引用 (the articles that link to it) from the catalog.
- **Page titles escaped** for the theme's print header.
- **An incremental build makes what a fresh one would** (``book.site.freshness``): pages
  whose link targets moved are written again, output of what is gone is removed.

How fast Sphinx gets there is the engine's business (``book.engine``, set up from here):
parallel reading and writing, the environment saved in the background, and the rest.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

from ..engine import patches
from ..layout import DATA_TABLES
from . import execution, freshness, nav, neighbour_sections, publish, search

DATA_DOCS = {"notebooks/data"}


def _note_data_dependencies(app: Sphinx, docname: str, source: list[str]) -> None:
    if docname in DATA_DOCS:
        for name in DATA_TABLES:
            # Relative to the book folder, so the dependency follows the book when it moves.
            app.env.note_dependency(f"data/{name}")


def _allow_parallel_build(app: Sphinx, config: Any) -> None:
    """Jupyter Book always loads sphinx_multitoc_numbering, which does not declare itself
    parallel-safe, so Sphinx would read every page serially.  It only renumbers
    toctrees marked ``numbered``, and our generated toc never is."""
    ext = app.extensions.get("sphinx_multitoc_numbering")
    if ext is not None and ext.parallel_read_safe is None:
        for attr in ("parallel_read_safe", "parallel_write_safe"):
            patches.replace(ext, attr, True, package="sphinx-multitoc-numbering", name=f"multitoc {attr}", always=True)


def _load_vocabulary(app: Sphinx) -> None:
    from ..catalog.tagging import load_vocabulary

    load_vocabulary(Path(app.srcdir) / "data" / "tags.yml")


def _page_context(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    context["book_nav"] = nav.nav_html(app, pagename)


def _escape_page_title(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """sphinx-book-theme prints ``pagetitle`` unescaped (``<h1>{{ pagetitle }}</h1>`` in its
    print header), and Sphinx makes it by stripping tags, which also unescapes entities: an
    article titled ``<img src=x onerror=…>`` would run.  Escape it once more for that template."""
    if "pagetitle" in context:
        context["pagetitle"] = html.escape(str(context["pagetitle"]), quote=False)


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("book.engine")
    app.connect("config-inited", _allow_parallel_build)
    app.connect("builder-inited", _load_vocabulary)
    app.connect("source-read", _note_data_dependencies)
    app.connect("html-page-context", _page_context)
    app.connect("html-page-context", _escape_page_title, priority=900)
    search.setup(app)
    execution.setup(app)
    freshness.setup(app)
    publish.setup(app)
    neighbour_sections.setup(app)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
