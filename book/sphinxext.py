"""Sphinx extension for the book (listed in ``_config.yml``): what Jupyter Book
does not do for a large Chinese book.

- **Bounded navigation.**  The theme's sidebar repeats the whole toctree on
  every page, so a book's size multiplies into every page's bytes and into the
  build time.  Ours lists the categories, and the most used topics of the
  current category with a link to all of them: the same size whatever the size
  of the book.  Articles are listed on their topic's landing page.
- **Chinese search that finds what a page holds**: a character n-gram index in
  shards the search page loads on demand (``book.search``).
- **Parallel reading that does not grow with the square of the book**
  (``book.engine.parallel_read``), and **parallel writing that does not wait on the
  main process** (``book.engine.parallel_write``).
- **The data notebook is re-read when the tables change**, and
- **the curated entities are taught to jieba** for the slugs and tags, and
- **myst-nb reads front matter with libyaml**, once per page, and finds an
  article notebook's cells without a first Markdown parse (``book.engine.notebook_cells``), and
- **less bookkeeping per build**: the environment Sphinx loads and saves on
  every build keeps no article records, is loaded with the garbage collector
  off, and myst-parser's throw-away default documents cost nothing; it is
  saved while the pages are written (``book.engine.env_save``).
"""

from __future__ import annotations

import copy
import functools
import gc
import html
import inspect
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from sphinx.application import Sphinx

from . import execution
from .engine import (
    env_save,
    notebook_cells,
    page_toc,
    parallel_read,
    parallel_write,
    sphinx_internals,
    warm_kernel,
)
from .layout import DATA_TABLES
from .search import sphinx as search

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
        ext.parallel_read_safe = True
        ext.parallel_write_safe = True


class _LibYaml:
    """``yaml`` as myst-nb sees it: ``safe_load`` through libyaml.  myst-nb loads every
    notebook's front matter twice with pure-Python PyYAML: 5 s of reading at 1,000 articles
    (py-spy).  libyaml builds the same data; if it refuses a text, PyYAML gets its turn.

    The second load of a page's front matter (it is the same text: once to tell whether the
    page is a notebook, once to read it) is a copy of the first, which costs a tenth."""

    _last: tuple[str, Any] | None = None

    def __getattr__(self, name: str) -> Any:
        return getattr(yaml, name)

    @classmethod
    def safe_load(cls, stream: Any) -> Any:
        last = cls._last
        if last is not None and isinstance(stream, str) and last[0] == stream:
            return copy.deepcopy(last[1])  # a copy: the caller may change what it gets
        try:
            data = yaml.load(stream, Loader=yaml.CSafeLoader)
        except yaml.YAMLError:
            data = yaml.safe_load(stream)
        cls._last = (stream, copy.deepcopy(data)) if isinstance(stream, str) else None
        return data


def _read_front_matter_with_libyaml() -> None:
    import myst_nb.core.read

    if getattr(yaml, "CSafeLoader", None) is not None:
        myst_nb.core.read.yaml = _LibYaml()  # type: ignore[assignment]
        try:  # and the toc, which sphinx-external-toc parses at every build (0.5 s at 10,000 articles)
            import sphinx_external_toc.parsing
        except ImportError:
            return
        sphinx_external_toc.parsing.yaml = _LibYaml()  # type: ignore[assignment]


@functools.cache
def _default_settings(parser_cls: Any) -> Any:
    from docutils.frontend import get_default_settings

    return get_default_settings(parser_cls)


def make_document(source_path: str = "notset", parser_cls: Any = None) -> Any:
    """myst-parser's ``make_document`` (a new document with a parser's default settings),
    with the defaults built once per parser rather than per call, and copied per document."""
    from docutils.parsers.rst import Parser as RSTParser
    from docutils.utils import new_document

    settings = copy.deepcopy(_default_settings(parser_cls or RSTParser))
    return new_document(source_path, settings=settings)


def _cheap_default_documents() -> None:
    """myst-parser 3 sets each renderer up with ``options.get("document", make_document())``,
    which builds a docutils document with default settings (a fresh option parser of every
    docutils setting) three times a page and throws it away: the page brings its own.  That
    was 2.1 s of reading at 1,000 articles (py-spy); built once and copied, it is nothing."""
    try:
        from myst_parser.mdit_to_docutils import base
    except ImportError:
        return
    original = getattr(base, "make_document", None)
    if original is None or original is make_document:
        return
    if list(inspect.signature(original).parameters) == ["source_path", "parser_cls"]:
        base.make_document = make_document


def _path2doc_without_relpath() -> None:
    """Every link of a page to another page (related articles, tag and topic lists) is checked
    by myst-parser with ``Project.path2doc`` on an absolute path, which Sphinx makes relative
    with ``os.path.relpath``: 0.5 s of reading the 14 pages an added article touches at 10,000
    articles (py-spy).  A normalised path under the (normalised) source folder is relative by
    dropping the folder, which is what ``relpath`` computes; other paths go to Sphinx as before."""
    from sphinx.project import Project

    original = Project.path2doc
    if getattr(original, "_book_prefix_path", False):
        return

    @functools.wraps(original)
    def path2doc(self: Any, filename: Any) -> str | None:
        if isinstance(filename, str):
            srcdir = os.fspath(self.srcdir)
            if (
                filename.startswith(srcdir)
                and filename[len(srcdir) : len(srcdir) + 1] == os.sep
                and os.path.isabs(srcdir)
                and os.path.normpath(srcdir) == srcdir
                and os.path.normpath(filename) == filename
            ):
                return original(self, filename[len(srcdir) + 1 :])
        return original(self, filename)

    path2doc._book_prefix_path = True  # type: ignore[attr-defined]
    Project.path2doc = path2doc  # type: ignore[method-assign]


def _freeze_heap(*args: Any) -> None:
    """Move every object alive now out of the garbage collector's sight.

    While writing, the main process unpickles every page's doctree; each is full
    of reference cycles, so the collector runs often, and each full collection
    walks the whole heap, which at 10,000 articles holds a 117 MB environment.
    Unpickling the doctrees of 10,000 articles took 24 s next to that environment,
    6 s without it and 10 s with it frozen.  What is alive when reading starts
    and when it ends (the environment, the modules) stays alive all build; no
    collection first, which would walk that heap once more (1 s at 10,000)."""
    gc.freeze()


# Front-matter keys that Sphinx keeps in its environment for every page although no
# page shows them: the article record (related excerpts and all) and jupytext's
# settings.  They were half of the 117 MB environment of a 10,000-article book,
# which every build loads and saves again.  The notebooks keep them.
UNSHOWN_FRONT_MATTER = ("article", "jupytext")


def _drop_unshown_front_matter(app: Sphinx, doctree: Any) -> None:
    metadata = app.env.metadata.get(app.env.docname)
    if metadata:
        for key in UNSHOWN_FRONT_MATTER:
            metadata.pop(key, None)


def _collect_nothing_while_loading(app: Sphinx, config: Any) -> None:
    """``config-inited`` comes just before Sphinx unpickles the environment of the last build.
    Unpickling builds millions of objects and no garbage; the collector, which walks the
    growing heap again and again meanwhile, made the 58 MB environment of a 10,000-article
    book take 3.8 s to load instead of 0.7 s."""
    gc.disable()


def _collect_again(app: Sphinx) -> None:
    """``builder-inited``: the environment is loaded (and stays alive all build)."""
    gc.freeze()
    gc.enable()


def _number_sections_without_copying() -> None:
    """sphinx-external-toc's toctree collector deep-copies every page title on every build
    (0.6 s at 10,000 articles, and the copy was pickled with the environment) so it can restyle
    the numbers of ``numbered`` toctrees.  Our toc numbers none; with none numbered, its result
    is the plain collector's, so skip the copy."""
    try:
        from sphinx.environment.collectors.toctree import TocTreeCollector
        from sphinx_external_toc.collectors import TocTreeCollectorWithStyles
    except ImportError:
        return
    styled = TocTreeCollectorWithStyles.assign_section_numbers
    if getattr(styled, "_book_plain_when_unnumbered", False):
        return

    @functools.wraps(styled)
    def assign_section_numbers(self: Any, env: Any) -> Any:
        if env.numbered_toctrees:
            return styled(self, env)
        env.__dict__.pop("titles_old", None)
        return TocTreeCollector.assign_section_numbers(self, env)

    assign_section_numbers._book_plain_when_unnumbered = True  # type: ignore[attr-defined]
    TocTreeCollectorWithStyles.assign_section_numbers = assign_section_numbers  # type: ignore[method-assign]


def _load_vocabulary(app: Sphinx) -> None:
    from .tagging import load_vocabulary

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


def _cheap_sidebar_check(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """pydata-sphinx-theme asks, for every page, whether to drop its toctree sidebar items,
    and finds out by walking every toctree of the book (9 s at 10,000 articles).  Our
    sidebar has none of those items, so the answer changes nothing: give it at once."""
    if not {"sidebar-collapse.html", "sidebar-nav-bs.html"} & set(context.get("sidebars") or ()):
        context["suppress_sidebar_toctree"] = lambda *args, **kwargs: True


_checksums: dict[str, tuple[tuple[int, int, int], str]] = {}


def _page_toc_without_soup(app: Sphinx) -> None:
    if sphinx_internals.known():
        page_toc.wrap_theme(app)


def _no_docutils_stylesheets(app: Sphinx) -> None:
    """docutils' HTML translator looks for its own stylesheets (``minimal.css``,
    ``plain.css``) on disk each time it is made: three times a page (body, title and
    table of contents), 0.6 s of writing at 1,000 articles.  Sphinx's pages link the
    theme's stylesheets and never use docutils' list, so it is made empty: for the
    pages (their settings start from the environment's) and for the titles and
    tables of contents (Sphinx 7.4 renders those with one publisher of its own)."""
    app.env.settings["stylesheet_path"] = ""
    publisher = getattr(app.builder, "_publisher", None)
    if getattr(publisher, "settings", None) is not None:
        publisher.settings.stylesheet_path = ""


def _checksum_once_per_file() -> None:
    """Sphinx 7.4 adds ``?v=<crc32>`` to every stylesheet and script link of every page, and
    reads and checksums the file for each link of each page: 15 files × 1,826 pages at 1,000
    articles.  The checksum of a file whose size, modification time and inode are unchanged
    is remembered."""
    from sphinx.builders import html as html_builder

    original = html_builder._file_checksum
    if getattr(original, "_book_remembered", False):
        return

    @functools.wraps(original)
    def _file_checksum(outdir: Any, filename: Any) -> str:
        name = os.fspath(filename)
        if "://" in name or "?" in name:
            return original(outdir, filename)
        path = os.path.join(os.fspath(outdir), name)
        try:
            status = os.stat(path)
        except OSError:
            return original(outdir, filename)
        stamp = (status.st_mtime_ns, status.st_size, status.st_ino)
        known = _checksums.get(path)
        if known is not None and known[0] == stamp:
            return known[1]
        checksum = original(outdir, filename)
        _checksums[path] = (stamp, checksum)
        return checksum

    _file_checksum._book_remembered = True  # type: ignore[attr-defined]
    html_builder._file_checksum = _file_checksum


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("config-inited", _allow_parallel_build)
    app.connect("config-inited", _collect_nothing_while_loading)
    app.connect("builder-inited", _collect_again, priority=0)
    app.connect("builder-inited", _load_vocabulary)
    app.connect("builder-inited", _no_docutils_stylesheets)
    app.connect("builder-inited", _page_toc_without_soup)
    app.connect("source-read", _note_data_dependencies)
    # After Sphinx's metadata collector (priority 500) has copied the front matter.
    app.connect("doctree-read", _drop_unshown_front_matter, priority=800)
    app.connect("html-page-context", _page_context)
    app.connect("html-page-context", _escape_page_title, priority=900)
    app.connect("html-page-context", _cheap_sidebar_check, priority=900)
    _read_front_matter_with_libyaml()
    notebook_cells.install()
    warm_kernel.install()
    _cheap_default_documents()
    _number_sections_without_copying()
    if sphinx_internals.known():
        _path2doc_without_relpath()
        _checksum_once_per_file()
    app.connect("env-before-read-docs", _freeze_heap)
    app.connect("env-updated", _freeze_heap)
    search.setup(app)
    parallel_read.setup(app)
    parallel_write.setup(app)
    env_save.setup(app)
    execution.setup(app)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
