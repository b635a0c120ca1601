"""How Sphinx's parallel reader splits the work, and when it reads serially.

Sphinx reads in many small chunks, one forked process each; every process
sends back a pickle of its *whole* environment, and the main process unpickles
it to merge the chunk's pages.  A process forked late inherits everything merged
before it, so the pickles grow with the book and their total with its square:
at 1,000 articles the main process spent 16.5 s of 56 s in ``pickle.loads``
(py-spy), and a rebuild of 18 pages in a 10,000-page book unpickled the 117 MB
environment once per chunk.

So: a large read is done by one process per core, all forked before any merge
(each pickle then holds the pages one process read), each taking a few pages at
a time from a shared queue (``book.work_queue``) so that they finish together;
with fixed shares, one finished up to 1.4 s before the other at 1,000 articles.
A small read (an edit, an added article) is done serially, which costs less
than forking and pickling the environment at all.

Pages that execute code (the data notebook) are read by the main process, which
otherwise only waits for the readers: their kernel then runs beside them, and
the queue lets both readers share the core it takes.
"""

from __future__ import annotations

import functools
import pickle
from collections.abc import Collection
from typing import Any

from sphinx.application import Sphinx
from sphinx.locale import __
from sphinx.util.display import status_iterator
from sphinx.util.parallel import ParallelTasks

from . import patches
from .work_queue import WorkQueue, join, milestones, start

# Below this many pages, reading them serially (about 16 ms a page) costs less
# than pickling a large book's environment back from each worker.
SERIAL_BELOW = 200


# Pages a reader takes from the queue at a time: few enough that the readers finish
# together, enough that taking them costs nothing measurable.
READ_BATCH = 4
# Each process but the first stops taking pages while this share of what it has read
# is still left, so the main process merges it while the first reads those pages:
# merging a page costs ~1/30 of reading it (0.9 ms against 27 ms at 10,000 articles;
# 0.55 against 19 ms at 1,000).  Finishing together, the merges came one after the
# other once all reading was done: 9 s at 10,000.
STAGGER = 1 / 30


def read_in_workers(builder: Any, docnames: list[str], nproc: int, in_main: Collection[str] = ()) -> None:
    """Sphinx 7.4's ``Builder._read_parallel`` with one process per core, each reading
    pages from a shared queue until it is empty, and the pages of ``in_main`` read by
    the main process while the others are read."""
    env, events, app = builder.env, builder.events, builder.app
    # Like Sphinx: clear every outdated page at once, before forking.
    for docname in docnames:
        events.emit("env-purge-doc", env, docname)
        env.clear_doc(docname)
    here = [d for d in docnames if d in in_main]
    queue = WorkQueue([d for d in docnames if d not in in_main], READ_BATCH)
    runs = milestones(queue.items, 2 * nproc)
    labels = ([here] if here else []) + runs
    progress = status_iterator(labels, __("reading sources... "), "purple", len(labels), app.verbosity)

    def read_process(reader: int) -> tuple[list[str], bytes]:
        env.app = app
        mine = []
        for batch in queue.take(leave=reader * STAGGER):
            for docname in batch:
                builder.read_doc(docname, _cache=False)
            mine.extend(batch)
        return mine, pickle.dumps(env, pickle.HIGHEST_PROTOCOL)

    def merge(result: tuple[list[str], bytes]) -> None:
        docs, otherenv = result
        env.merge_info_from(docs, pickle.loads(otherenv), app)

    readers = [functools.partial(read_process, reader) for reader in range(min(nproc, len(queue.items)))]
    tasks = ParallelTasks(nproc)
    start(tasks, readers, merge)
    for docname in here:
        builder.read_doc(docname)
    if here:
        next(progress)
    join(tasks, queue, runs, lambda: next(progress))
    for _ in progress:  # ends the progress line
        pass


def _builder_inited(app: Sphinx) -> None:
    builder = app.builder
    in_main = set(app.config.book_read_in_main)

    def read(docnames: list[str], nproc: int) -> None:
        if len(docnames) < SERIAL_BELOW:
            builder._read_serial(docnames)
        else:
            read_in_workers(builder, docnames, nproc, in_main)

    patches.replace(builder, "_read_parallel", read, package="sphinx", name="parallel reading")


def setup(app: Sphinx) -> dict[str, Any]:
    # Pages that execute code, read by the main process (docnames; ``_config.yml`` names the data notebook).
    app.add_config_value("book_read_in_main", [], "", types=[list])
    app.connect("builder-inited", _builder_inited)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
