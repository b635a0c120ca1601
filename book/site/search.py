"""The book's search in a Sphinx build: records made as pages are written, shards after the build.

Sphinx's own index matches whole words only, and a Chinese query is cut into
words differently from the page, so compounds such as 网贷 or 协商还款 found
nothing; its one ``searchindex.js`` (3.2 MB at 1,000 articles) was loaded whole,
and its search page fetched every result page to cut snippets.  This replaces
it (``book.search.index`` says how):

- Sphinx's indexer is off (``builder.search = False``), so pages are not
  segmented at all and no ``searchindex.js`` is written;
- each searchable page's text is taken from its resolved doctree when it is
  written (in the forked writers too), and its record kept
  (``book.search.shards``);
- after the build the records become the site's ``_search/`` shards;
- the theme's search stays the reader's way in: its dialog (Ctrl+K) and the
  search page ``search.html?q=``, which our template fills with
  ``booksearch.js`` instead of Sphinx's ``searchtools.js``.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util import logging

from ..engine import LIVE_BEGIN, LIVE_END, add_live_events
from ..search import index, shards
from ..search.shards import Store

logger = logging.getLogger(__name__)

# Pages that are not searched: generated navigation (topics, tags, stubs), the data page and
# the front page.  Search is for articles.
DEFAULT_UNSEARCHED = ("notebooks/_index/", "notebooks/data", "notebooks/intro", "genindex", "search")

# What a page shows of its neighbours (book.site.neighbour_sections): their words, not its own.
UNSEARCHED_CLASS = "book-links"

_SKIPPED = (
    nodes.system_message,
    nodes.comment,
    nodes.raw,
    nodes.substitution_definition,
    nodes.target,
    nodes.Invisible,
    addnodes.toctree,
    addnodes.only,
)


def searchable(app: Sphinx, docname: str) -> bool:
    return not docname.startswith(tuple(app.config.book_search_unsearched))


def _text(node: nodes.Node) -> str:
    """The node's text as a reader sees it: without comments, raw markup and the like."""
    if isinstance(node, nodes.Text):
        return str(node)
    return "".join(_text(child) for child in node.children if not isinstance(child, _SKIPPED))


def _blocks(node: nodes.Node, top: bool) -> Iterator[tuple[str, str]]:
    for child in node.children:
        if isinstance(child, _SKIPPED) or (isinstance(child, nodes.Element) and UNSEARCHED_CLASS in child["classes"]):
            continue
        if isinstance(child, nodes.title) and isinstance(node, nodes.section):
            yield ("title" if top else "heading", _text(child))
            top = False
        elif isinstance(child, nodes.TextElement):
            text = _text(child)
            if text.strip():
                yield ("body", text)
        elif isinstance(child, nodes.Text):
            if str(child).strip():
                yield ("body", str(child))
        elif isinstance(child, nodes.Element):
            first_section = top and isinstance(child, nodes.section)
            yield from _blocks(child, first_section)
            if first_section:
                top = False


def page_of(doctree: nodes.document, url: str, title: str) -> index.Page:
    """The page as search sees it: its blocks of text in reading order, the first section's
    title as the title and every other section title as a heading."""
    blocks = tuple(_blocks(doctree, True))
    return index.Page(url=url, title=title, blocks=blocks)


def _store(app: Sphinx) -> Store:
    return Store(Path(app.doctreedir) / "book-search")


def _builder_inited(app: Sphinx) -> None:
    if app.builder.format != "html" or not hasattr(app.builder, "search"):
        return
    app.builder.search = False  # Sphinx's own index and searchindex.js: replaced
    index.warm()  # before the writers fork, so they share the tables
    store = _store(app)
    if not store.current():
        store.reset()
        app.env._book_search_reset = True  # type: ignore[attr-defined]


def _outdated(app: Sphinx, env: Any, added: set[str], changed: set[str], removed: set[str]) -> list[str]:
    """Records of another version of this code are gone: every searchable page is written again."""
    if getattr(env, "_book_search_reset", False):
        env._book_search_reset = False
        return [d for d in env.found_docs if searchable(app, d) and d not in added and d not in changed]
    return []


def _doctree_resolved(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if app.builder.format != "html" or not searchable(app, docname):
        return
    title_node = app.env.titles.get(docname)
    title = title_node.astext() if title_node is not None else docname
    page = page_of(doctree, app.builder.get_target_uri(docname), title)
    _store(app).put(page, docname)


def _collect_pages(app: Sphinx) -> Iterator[tuple[str, dict[str, Any], str]]:
    if app.builder.format == "html":
        yield ("search", {}, "search.html")


def _build_finished(app: Sphinx, exception: BaseException | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    started = time.perf_counter()
    docs = [d for d in app.env.all_docs if searchable(app, d)]
    counts = _store(app).write_site(Path(app.outdir), docs)
    logger.info(
        "search index: %d pages, %d files, %d written, %d removed in %.2f s",
        counts["pages"], counts["files"], counts["changed"], counts["removed"], time.perf_counter() - started,
    )  # fmt: skip


def _live_begin(app: Sphinx) -> None:
    shards.keep_in_memory = True


def _live_end(app: Sphinx) -> None:
    shards.persist()
    shards.keep_in_memory = False


def setup(app: Sphinx) -> None:
    app.add_config_value("book_search_unsearched", list(DEFAULT_UNSEARCHED), "env", [list, tuple])
    app.connect("builder-inited", _builder_inited)
    app.connect("env-get-outdated", _outdated)
    app.connect("doctree-resolved", _doctree_resolved)
    app.connect("html-collect-pages", _collect_pages)
    app.connect("build-finished", _build_finished)
    add_live_events(app)
    app.connect(LIVE_BEGIN, _live_begin)
    app.connect(LIVE_END, _live_end)
