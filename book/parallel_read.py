"""How Sphinx's parallel reader splits the work, and when it reads serially.

Sphinx reads in many small chunks, one forked process each; every process
sends back a pickle of its *whole* environment, and the main process unpickles
it to merge the chunk's pages.  A process forked late inherits everything merged
before it, so the pickles grow with the book and their total with its square:
at 1,000 articles the main process spent 16.5 s of 56 s in ``pickle.loads``
(py-spy), and a rebuild of 18 pages in a 10,000-page book unpickled the 117 MB
environment once per chunk.

So: a large read is split into one share per process, interleaved so every
share gets a like mix of articles and generated pages, all forked before any
merge (each pickle then holds one share); a small read (an edit, an added
article) is done serially, which costs less than forking and pickling the
environment at all.

Pages that execute code (the data notebook) are read by the main process, which
otherwise only waits for the shares: their kernel then runs beside the readers
instead of making one share seconds longer than the other.
"""

from __future__ import annotations

import pickle
from collections.abc import Collection, Sequence
from typing import Any

from sphinx.application import Sphinx
from sphinx.locale import __
from sphinx.util.display import status_iterator
from sphinx.util.parallel import ParallelTasks

from . import sphinx_internals

# Below this many pages, reading them serially (about 16 ms a page) costs less
# than pickling a large book's environment back from each worker.
SERIAL_BELOW = 200


def shares(docnames: Sequence[str], nproc: int) -> list[list[str]]:
    """One interleaved share of ``docnames`` per process."""
    return [list(docnames[i::nproc]) for i in range(nproc) if docnames[i::nproc]]


def read_in_shares(builder: Any, docnames: list[str], nproc: int, in_main: Collection[str] = ()) -> None:
    """Sphinx 7.4's ``Builder._read_parallel`` with one share per process, and the pages
    of ``in_main`` read by the main process while the shares are read."""
    env, events, app = builder.env, builder.events, builder.app
    # Like Sphinx: clear every outdated page at once, before forking.
    for docname in docnames:
        events.emit("env-purge-doc", env, docname)
        env.clear_doc(docname)
    here = [d for d in docnames if d in in_main]
    parts = shares([d for d in docnames if d not in in_main], nproc)
    progress = status_iterator(parts + [here], __("reading sources... "), "purple", len(parts) + 1, app.verbosity)

    def read_process(docs: list[str]) -> bytes:
        env.app = app
        for docname in docs:
            builder.read_doc(docname, _cache=False)
        return pickle.dumps(env, pickle.HIGHEST_PROTOCOL)

    def merge(docs: list[str], otherenv: bytes) -> None:
        env.merge_info_from(docs, pickle.loads(otherenv), app)
        next(progress)

    tasks = ParallelTasks(nproc)
    for part in parts:
        tasks.add_task(read_process, part, merge)
    for docname in here:
        builder.read_doc(docname)
    next(progress)
    tasks.join()


def _builder_inited(app: Sphinx) -> None:
    if not sphinx_internals.known():
        return
    builder = app.builder
    in_main = set(app.config.book_read_in_main)

    def read(docnames: list[str], nproc: int) -> None:
        if len(docnames) < SERIAL_BELOW:
            builder._read_serial(docnames)
        else:
            read_in_shares(builder, docnames, nproc, in_main)

    builder._read_parallel = read


def setup(app: Sphinx) -> dict[str, Any]:
    # Pages that execute code, read by the main process (docnames; ``_config.yml`` names the data notebook).
    app.add_config_value("book_read_in_main", [], "", types=[list])
    app.connect("builder-inited", _builder_inited)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
