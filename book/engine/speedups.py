"""The speed-ups of one Sphinx build that are not parallel reading and writing: what
Sphinx, docutils, myst-nb, myst-parser, sphinx-external-toc and the theme do per page or
per build that a large book need not pay for.  Each docstring says what it saved, as
measured (py-spy) when it was written; ARCHITECTURE.md lists them with their versions.

Installed by :func:`book.engine.setup` at ``config-inited`` when ``book_speedups`` is on;
every replacement goes through :mod:`book.engine.patches`.
"""

from __future__ import annotations

import copy
import functools
import gc
import inspect
import os
from typing import Any

import yaml
from sphinx.application import Sphinx

from . import page_toc, patches


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
        patches.replace(myst_nb.core.read, "yaml", _LibYaml(), package="myst-nb", name="front matter by libyaml")
        try:  # and the toc, which sphinx-external-toc parses at every build (0.5 s at 10,000 articles)
            import sphinx_external_toc.parsing
        except ImportError:
            return
        toc_yaml = _LibYaml()
        patches.replace(
            sphinx_external_toc.parsing, "yaml", toc_yaml, package="sphinx-external-toc", name="toc by libyaml"
        )


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
        patches.replace(base, "make_document", make_document, package="myst-parser", name="default documents once")


def _path2doc_without_relpath() -> None:
    """Every link of a page to another page (related articles, tag and topic lists) is checked
    by myst-parser with ``Project.path2doc`` on an absolute path, which Sphinx makes relative
    with ``os.path.relpath``: 0.5 s of reading the 14 pages an added article touches at 10,000
    articles (py-spy).  A normalised path under the (normalised) source folder is relative by
    dropping the folder, which is what ``relpath`` computes; other paths go to Sphinx as before."""
    from sphinx.project import Project

    if patches.current(Project, "path2doc") is not None:
        return
    original = Project.path2doc

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

    patches.replace(Project, "path2doc", path2doc, package="sphinx", name="path2doc without relpath")


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
    if patches.current(TocTreeCollectorWithStyles, "assign_section_numbers") is not None:
        return
    styled = TocTreeCollectorWithStyles.assign_section_numbers

    @functools.wraps(styled)
    def assign_section_numbers(self: Any, env: Any) -> Any:
        if env.numbered_toctrees:
            return styled(self, env)
        env.__dict__.pop("titles_old", None)
        return TocTreeCollector.assign_section_numbers(self, env)

    patches.replace(
        TocTreeCollectorWithStyles,
        "assign_section_numbers",
        assign_section_numbers,
        package="sphinx-external-toc",
        name="section numbers without copying",
    )


def _cheap_sidebar_check(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """pydata-sphinx-theme asks, for every page, whether to drop its toctree sidebar items,
    and finds out by walking every toctree of the book (9 s at 10,000 articles).  Our
    sidebar has none of those items, so the answer changes nothing: give it at once."""
    if not patches.usable("pydata-sphinx-theme"):
        return
    if not {"sidebar-collapse.html", "sidebar-nav-bs.html"} & set(context.get("sidebars") or ()):
        context["suppress_sidebar_toctree"] = lambda *args, **kwargs: True


_checksums: dict[str, tuple[tuple[int, int, int], str]] = {}


def _page_toc_without_soup(app: Sphinx) -> None:
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
        patches.replace(publisher.settings, "stylesheet_path", "", package="sphinx", name="no docutils stylesheets")


def _checksum_once_per_file() -> None:
    """Sphinx 7.4 adds ``?v=<crc32>`` to every stylesheet and script link of every page, and
    reads and checksums the file for each link of each page: 15 files × 1,826 pages at 1,000
    articles.  The checksum of a file whose size, modification time and inode are unchanged
    is remembered."""
    from sphinx.builders import html as html_builder

    if patches.current(html_builder, "_file_checksum") is not None:
        return
    original = html_builder._file_checksum

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

    patches.replace(html_builder, "_file_checksum", _file_checksum, package="sphinx", name="checksum once per file")


def install(app: Sphinx) -> None:
    """``config-inited`` with the engine on: connect the hooks, make the replacements."""
    _collect_nothing_while_loading(app, app.config)
    app.connect("builder-inited", _collect_again, priority=0)
    app.connect("builder-inited", _no_docutils_stylesheets)
    app.connect("builder-inited", _page_toc_without_soup)
    # After Sphinx's metadata collector (priority 500) has copied the front matter.
    app.connect("doctree-read", _drop_unshown_front_matter, priority=800)
    app.connect("html-page-context", _cheap_sidebar_check, priority=900)
    app.connect("env-before-read-docs", _freeze_heap)
    app.connect("env-updated", _freeze_heap)
    _read_front_matter_with_libyaml()
    _cheap_default_documents()
    _number_sections_without_copying()
    _path2doc_without_relpath()
    _checksum_once_per_file()
