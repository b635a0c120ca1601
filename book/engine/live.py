"""One Sphinx application kept alive across builds, for ``python -m book serve``.

``python -m book build`` starts Python, imports Sphinx, loads the 58 MB
environment, re-runs the data notebook and saves everything again: 18.6 s for
one edited article at 10,000 articles, almost none of it about the article.
Here the application and its environment stay in memory between builds (the
search shards are rewritten only where an edit changed them:
``book.search.shards``), and a build comes in two passes: first every changed page except the data page,
so the edited article is on the site at once; then the data page, whose
notebook re-runs its tables and charts over the whole book (about 5 s at
10,000 articles).  ``objects.inv`` is written by the second pass too (or in the
idle time after the first), and the page titles of the inventory are made
once per title, not once per build.

What it writes is what ``python -m book build`` writes (``tests/test_serve.py``
builds both ways and compares).  It keeps the same files up to date on disk, so
a ``build`` after a ``serve`` starts where the server stopped.
"""

from __future__ import annotations

import contextlib
import gc
import io
import os
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import sphinx.domains.std as std
from sphinx.domains.std import StandardDomain
from sphinx.environment import BuildEnvironment
from sphinx.util.nodes import clean_astext as sphinx_clean_astext

from ..fsutil import atomic_write, file_stamp
from ..layout import Layout
from ..lifeline import default_jobs
from . import LIVE_BEGIN, LIVE_END, env_save, patches
from .runs import last_build_unfinished, make_book_importable, sphinx_overrides, unfinished_marker


@dataclass(frozen=True)
class Pass:
    """What one build pass did."""

    read: tuple[str, ...]  # the pages read (added or changed), data page included if it was
    seconds: float
    status: int  # Sphinx's status code: 0 when it succeeded


_deferred: set[str] = set()  # pages the current pass leaves for the next one
_sphinx_get_outdated_files = BuildEnvironment.get_outdated_files


def _get_outdated_files(self: BuildEnvironment, config_changed: bool) -> tuple[set[str], set[str], set[str]]:
    added, changed, removed = _sphinx_get_outdated_files(self, config_changed)
    # A deferred page stays outdated on disk (its doctree is older than its dependencies),
    # so the next pass finds it again.
    return added - _deferred, changed - _deferred, removed


_sphinx_std_get_objects = StandardDomain.get_objects
_title_texts: dict[int, tuple[Any, str]] = {}  # id(title node) → (node, its text)


def _std_get_objects(self: StandardDomain) -> Iterator[tuple[str, str, str, str, str, int]]:
    """``StandardDomain.get_objects``, remembering the text of each page's title node.  Sphinx
    makes it (a deep copy of the node, then its text) for all 11,310 pages at 10,000 articles
    each time the search index is frozen: 0.16 s of every edit.  A page read again has a new
    title node, so its text is made again; the texts of nodes gone are dropped."""
    texts: dict[int, tuple[Any, str]] = {}

    def remembered(node: Any) -> str:
        # Each entry holds its node, so no other object can have its id meanwhile.
        known = _title_texts.get(id(node))
        if known is None:
            known = (node, sphinx_clean_astext(node))
        texts[id(node)] = known
        return known[1]

    with patches.swapped(std, "clean_astext", remembered, package="sphinx", name="title texts remembered"):
        objects = list(_sphinx_std_get_objects(self))  # both callers sort them all at once
    _title_texts.clear()
    _title_texts.update(texts)
    return iter(objects)


def build_again(app: Any) -> None:
    """``app.build()`` for an application that may build again.  Two things of Sphinx's last
    for one build only:

    - the environment caches each doctree it loads from disk; a page re-read since would be
      written from its old doctree (a toctree missing a new page, say).  Sphinx's own test
      application clears that cache before each build the same way;
    - a theme adds a script to a page by adding it to the application's assets (the page's
      name, for one), and the builder takes those back before the next page, not after the
      last: the next build would give every page the last page's scripts."""
    app.env._pickled_doctree_cache.clear()
    registry, builder = app.registry, app.builder
    assets = (list(registry.css_files), list(registry.js_files))
    try:
        app.build(False, [])
    finally:
        registry.css_files[:], registry.js_files[:] = assets
        if hasattr(builder, "_orig_js_files"):
            builder._css_files[:] = builder._orig_css_files
            builder._js_files[:] = builder._orig_js_files


class LiveBook:
    """A Sphinx application for ``layout``, kept for repeated builds (see the module doc)."""

    def __init__(self, layout: Layout, jobs: int | None = None) -> None:
        from jupyter_book.sphinx import get_final_config
        from sphinx.application import Sphinx
        from sphinx.util.docutils import docutils_namespace, patch_docutils

        make_book_importable(layout)
        self.layout = layout
        self._inventory_waits = False
        self._toc_stamp = file_stamp(layout.toc)
        # Jupyter Book's build_sphinx, minus the parts for other builders; the docutils
        # patches hold for the application's life, as they do for one build there.
        config, _ = get_final_config(
            user_yaml=layout.config,
            cli_config=sphinx_overrides(layout),
            sourcedir=layout.root,
            use_external_toc=True,
        )
        self._stack = contextlib.ExitStack()
        self._stack.enter_context(patch_docutils(None))
        self._stack.enter_context(docutils_namespace())
        env_save.wait_at_finish = False
        patches.replace(
            BuildEnvironment, "get_outdated_files", _get_outdated_files, package="sphinx", name="deferred pages"
        )
        patches.replace(StandardDomain, "get_objects", _std_get_objects, package="sphinx", name="title texts kept")
        self._stack.callback(self._restore)
        # After a build that was killed or failed (``book.engine.runs``), start from a fresh
        # environment: Sphinx's bookkeeping would call its half-written pages done.
        fresh = last_build_unfinished(layout)
        try:
            self.app = Sphinx(
                srcdir=str(layout.root),
                confdir=None,
                outdir=str(layout.html),
                doctreedir=str(layout.doctrees),
                buildername="html",
                confoverrides=config,
                status=io.StringIO(),  # our own one-line summaries instead
                warning=sys.stderr,
                freshenv=fresh,
                parallel=jobs or default_jobs(),
            )
        except BaseException:
            self._stack.close()
            raise
        # The site keeps what it rebuilds on every build in memory until the session ends
        # (the search postings): it hears of the session through these two events.
        self.app.emit(LIVE_BEGIN)
        self._stack.callback(self.app.emit, LIVE_END)
        self.data_docs = frozenset(self.app.config.book_execute) if "book_execute" in self.app.config else frozenset()

    @staticmethod
    def _restore() -> None:
        env_save.wait_for_writers()
        env_save.wait_at_finish = True
        patches.undo(BuildEnvironment, "get_outdated_files")
        patches.undo(StandardDomain, "get_objects")
        _title_texts.clear()
        _deferred.clear()

    def _reload_toc(self) -> None:
        """``_toc.yml`` is read when the application starts (sphinx-external-toc, at
        ``config-inited``); ``index`` rewrites it when an article is added or moves."""
        stamp = file_stamp(self.layout.toc)
        if stamp == self._toc_stamp:
            return
        from sphinx_external_toc.events import parse_toc_to_env

        parse_toc_to_env(self.app, self.app.config)
        self._toc_stamp = stamp

    def build(self, defer_data: bool = False) -> Pass:
        """Bring the site up to date with the sources; with ``defer_data``, all but the data page."""
        started = time.perf_counter()
        self._reload_toc()
        app = self.app
        read: list[str] = []

        def on_read(app: Any, env: Any, docnames: list[str]) -> None:
            read.extend(docnames)

        listener = app.connect("env-before-read-docs", on_read)
        _deferred.clear()
        builder = app.builder
        if defer_data:
            _deferred.update(self.data_docs)
            # objects.inv (the page and label inventory other Sphinx projects link by) waits
            # for the data pass or the idle time after: 0.3 s of each edit at 10,000 articles.
            builder.dump_inventory = self._defer_inventory
        app.statuscode = 0
        marker = unfinished_marker(self.layout)
        marker.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(marker, f"pid {os.getpid()}\n")
        try:
            build_again(app)
            if app.statuscode == 0:
                marker.unlink()
        finally:
            _deferred.clear()
            app.disconnect(listener)
            vars(builder).pop("dump_inventory", None)
        if not defer_data:
            self._inventory_waits = False  # this build wrote it
        return Pass(tuple(read), time.perf_counter() - started, app.statuscode)

    def _defer_inventory(self) -> None:
        self._inventory_waits = True

    def idle(self) -> None:
        """Work for the next build, done right after a build: objects.inv if a pass left it,
        the search index's word texts, and the garbage made since the heap was last frozen
        (a pass over that part only)."""
        if self._inventory_waits:
            self.app.builder.dump_inventory()
            self._inventory_waits = False
        gc.collect()
        gc.freeze()

    def collect(self) -> None:
        """Collect the whole heap, then freeze it again (``book serve``, after a quiet while).

        Each build freezes the heap (``book.engine.speedups``), and what it freezes includes pages
        the build then drops, which a process that lives on must collect in the end.  That
        walks the whole heap (2 GB at 10,000 articles: seconds), so it waits for a pause in the
        saves; left unfrozen instead, the collector's own full passes fell in the middle of the
        next build (a 3.7 s pause parsing the toc, py-spy)."""
        gc.unfreeze()
        gc.collect()
        gc.freeze()

    def data_outdated(self) -> bool:
        """Whether the data page waits for a pass (its tables changed since it was read)."""
        added, changed, _ = _sphinx_get_outdated_files(self.app.env, False)
        return bool((added | changed) & self.data_docs)

    def close(self) -> None:
        try:
            if self._inventory_waits:
                self.app.builder.dump_inventory()
        finally:
            self._stack.close()
