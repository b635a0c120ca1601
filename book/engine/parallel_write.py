"""Sphinx's parallel writer, with the per-page work moved out of the main process.

Sphinx writes in parallel like this: the main process loads each page's
doctree, resolves its references, files it in the search index and notes its
images, one page after another; only the HTML translation happens in the
forked writers (one fewer than the cores, since the main process is busy).  At
10,000 articles that serial part was most of the write phase: 121 s of loading
and resolving against about 80 s of HTML in the single writer (py-spy).

Here every forked writer loads, resolves, indexes and writes its own pages, on
every core, and sends back only what the main process must keep: the search
index entries of its pages and the images they use.  There is one writer per
core, forked once, taking pages from a shared queue (``book.work_queue``)
rather than a process per chunk: 20 forks of the whole environment at 1,000
articles, each dirtying its copy-on-write pages again.  The pages, index and
images are the same as Sphinx's (tests/test_build_speedups.py builds both ways).
"""

from __future__ import annotations

import gc
from collections.abc import Sequence
from typing import Any

from sphinx.application import Sphinx
from sphinx.locale import __
from sphinx.util import logging
from sphinx.util.build_phase import BuildPhase
from sphinx.util.display import status_iterator
from sphinx.util.parallel import ParallelTasks, make_chunks

from . import patches
from .work_queue import WorkQueue, join, milestones, start

logger = logging.getLogger(__name__)

# Pages a writer takes from the queue at a time (see book.work_queue).
WRITE_BATCH = 4
# A writer collects its garbage and freezes what survives after this many pages, so
# the collector's full passes do not walk everything the writer keeps (its share of
# the search index, Sphinx's caches) again and again: unfrozen, the writers of a
# 10,000-article book took 28 s more CPU than forks that each lived for 235 pages.
FREEZE_EVERY = 128

# The search index's per-page tables (IndexBuilder, Sphinx 7.4); its two word → pages
# tables are handled apart.
_PER_PAGE = ("_titles", "_filenames", "_all_titles", "_index_entries")


def _index_share(indexer: Any, docs: Sequence[str]) -> dict[str, Any] | None:
    if indexer is None:
        return None
    share = {name: {d: getattr(indexer, name)[d] for d in docs if d in getattr(indexer, name)} for name in _PER_PAGE}
    share["_mapping"] = indexer._mapping
    share["_title_mapping"] = indexer._title_mapping
    return share


def _merge_index_share(indexer: Any, share: dict[str, Any] | None) -> None:
    if indexer is None or share is None:
        return
    for name in _PER_PAGE:
        getattr(indexer, name).update(share[name])
    for name in ("_mapping", "_title_mapping"):
        table = getattr(indexer, name)
        for word, docs in share[name].items():
            table.setdefault(word, set()).update(docs)


def _write_page(builder: Any, docname: str) -> None:
    builder.app.phase = BuildPhase.RESOLVING
    doctree = builder.env.get_and_resolve_doctree(docname, builder)
    builder.app.phase = BuildPhase.WRITING
    builder.write_doc_serialized(docname, doctree)
    builder.write_doc(docname, doctree)


def write_in_workers(builder: Any, docnames: Sequence[str], nproc: int) -> None:
    """A replacement for ``Builder._write_parallel`` of Sphinx's HTML builder."""
    if not docnames:
        return
    # Like Sphinx: the first page in this process warms the template caches before forking.
    first, rest = docnames[0], docnames[1:]
    _write_page(builder, first)
    if not rest:
        return

    queue = WorkQueue(rest, WRITE_BATCH)

    def write_process() -> tuple[list[str], dict[str, str], dict[str, Any] | None]:
        images_before = dict(builder.images)
        indexer = builder.indexer
        if indexer is not None:
            # A fresh word table in this fork, so what it sends back is its pages' words only.
            indexer._mapping, indexer._title_mapping = {}, {}
        mine: list[str] = []
        unfrozen = 0
        for batch in queue.take():
            for docname in batch:
                _write_page(builder, docname)
            mine.extend(batch)
            # Sphinx keeps every doctree it loaded; each is written once here, and a
            # worker that writes half of 10,000 pages would hold half of them.
            builder.env._pickled_doctree_cache.clear()
            unfrozen += len(batch)
            if unfrozen >= FREEZE_EVERY:
                gc.collect()
                gc.freeze()
                unfrozen = 0
        images = {uri: name for uri, name in builder.images.items() if images_before.get(uri) != name}
        return mine, images, _index_share(indexer, mine)

    runs = milestones(rest, len(make_chunks(rest, nproc)))
    progress = status_iterator(runs, __("writing output... "), "darkgreen", len(runs), builder.app.verbosity)

    def on_done(result: tuple[list[str], dict[str, str], dict[str, Any] | None]) -> None:
        _, images, share = result
        builder.images.update(images)
        _merge_index_share(builder.indexer, share)

    tasks = ParallelTasks(nproc)
    start(tasks, [write_process] * min(nproc, len(rest)), on_done)
    join(tasks, queue, runs, lambda: next(progress))
    logger.info("")


def _builder_inited(app: Sphinx) -> None:
    builder = app.builder
    if builder.format != "html" or not hasattr(builder, "write_doc_serialized"):
        return

    def write(docnames: Any, nproc: int) -> None:
        # Sphinx passes cores - 1 (its main process is busy); ours is not, so use them all.
        write_in_workers(builder, docnames, app.parallel)

    patches.replace(builder, "_write_parallel", write, package="sphinx", name="parallel writing")


def setup(app: Sphinx) -> None:
    app.connect("builder-inited", _builder_inited)
