"""The site's Sphinx extension (listed in ``_config.yml``): what the book is, beyond
what Jupyter Book makes of its notebooks.

- **Bounded navigation.**  The theme's sidebar repeats the whole toctree on
  every page, so a book's size multiplies into every page's bytes and into the
  build time.  Ours lists the categories, and the most used topics of the
  current category with a link to all of them: the same size whatever the size
  of the book.  Articles are listed on their topic's landing page.
- **Chinese search that finds what a page holds**: a character n-gram index in
  shards the search page loads on demand (``book.search``).
- **The data notebook is re-read when the tables change**, and only the pages named in
  ``book_execute`` ever run code (``book.site.execution``).
- **The curated entities are taught to jieba** for the slugs and tags.
- **Page titles escaped** for the theme's print header.

How fast Sphinx gets there is the engine's business (``book.engine``, set up from here):
parallel reading and writing, the environment saved in the background, and the rest.
"""

from __future__ import annotations

import html
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

from ..engine import patches
from ..layout import DATA_TABLES
from . import execution, search

DATA_DOCS = {"notebooks/data"}
TOPICS_SHOWN = 12
TOPIC_PREFIX = "notebooks/_index/topics/"


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


# --- navigation --------------------------------------------------------------


@dataclass
class _Part:
    caption: str
    index_doc: str | None  # the category page listing every topic
    topics: list[tuple[str, int]] = field(default_factory=list)  # (docname, articles), most articles first
    members: dict[str, set[str]] = field(default_factory=dict)  # topic → its article pages
    docs: set[str] = field(default_factory=set)  # every page of the part


def _parts(app: Sphinx) -> list[_Part]:
    site_map = app.config.external_site_map
    # Kept beside the site map it was made from: the environment (pickled between builds, and
    # kept in memory by ``book serve``) outlives a toc, and an added article changes the toc.
    cached = getattr(app.env, "_book_nav_parts", None)
    if isinstance(cached, tuple) and cached[0] is site_map:
        return cached[1]
    parts: list[_Part] = []
    for tree in site_map.root.subtrees if site_map else []:
        chapters = tree.files()
        folder = os.path.dirname(chapters[0]) if chapters and chapters[0].startswith(TOPIC_PREFIX) else ""
        index_doc = f"{folder}/index" if folder and f"{folder}/index" in app.env.all_docs else None
        part = _Part(tree.caption or "", index_doc)
        for chapter in chapters:
            articles = site_map[chapter].child_files() if chapter in site_map else []
            part.topics.append((chapter, len(articles)))
            part.members[chapter] = set(articles)
            part.docs.update([chapter, *articles])
        if index_doc:
            part.docs.add(index_doc)
        part.topics.sort(key=lambda t: -t[1])
        parts.append(part)
    app.env._book_nav_parts = (site_map, parts)  # type: ignore[attr-defined]
    return parts


def _title(app: Sphinx, docname: str) -> str:
    node = app.env.titles.get(docname)
    return node.astext() if node is not None else docname


def nav_html(app: Sphinx, pagename: str) -> str:
    uri = app.builder.get_relative_uri
    out: list[str] = []
    for part in _parts(app):
        current = pagename in part.docs
        caption = html.escape(part.caption)
        if part.index_doc:
            caption = f'<a href="{html.escape(uri(pagename, part.index_doc))}">{caption}</a>'
        out.append(f'<p class="caption" role="heading"><span class="caption-text">{caption}</span></p>')
        if part.index_doc and not current:
            continue  # another category: its caption links to its page
        shown = part.topics if not part.index_doc else part.topics[:TOPICS_SHOWN]
        out.append('<ul class="nav bd-sidenav">')
        for doc, count in shown:
            here = pagename == doc or pagename in part.members[doc]
            cls = "toctree-l1 current" if here else "toctree-l1"
            label = html.escape(_title(app, doc))
            counter = f' <span class="count">{count}</span>' if count else ""
            out.append(
                f'<li class="{cls}"><a class="reference internal" href="{html.escape(uri(pagename, doc))}">'
                f"{label}</a>{counter}</li>"
            )
        if len(part.topics) > len(shown) and part.index_doc:
            more = html.escape(uri(pagename, part.index_doc))
            out.append(
                f'<li class="toctree-l1"><a class="reference internal" href="{more}">'
                f"全部 {len(part.topics)} 个主题…</a></li>"
            )
        out.append("</ul>")
    return "\n".join(out)


def _page_context(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    context["book_nav"] = nav_html(app, pagename)


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
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
