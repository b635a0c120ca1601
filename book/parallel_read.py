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
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from typing import Any

import sphinx.builders
from sphinx.application import Sphinx

# Below this many pages, reading them serially (about 16 ms a page) costs less
# than pickling a large book's environment back from each worker.
SERIAL_BELOW = 200


def shares(docnames: Sequence[str], nproc: int, maxbatch: int = 10) -> list[list[str]]:
    """One interleaved share of ``docnames`` per process (same signature as ``make_chunks``)."""
    return [list(docnames[i::nproc]) for i in range(nproc) if docnames[i::nproc]]


@contextlib.contextmanager
def _chunked_by(function: Any) -> Iterator[None]:
    saved = sphinx.builders.make_chunks
    sphinx.builders.make_chunks = function
    try:
        yield
    finally:
        sphinx.builders.make_chunks = saved


def _builder_inited(app: Sphinx) -> None:
    builder = app.builder
    read_parallel = builder._read_parallel

    def read(docnames: list[str], nproc: int) -> None:
        if len(docnames) < SERIAL_BELOW:
            builder._read_serial(docnames)
            return
        with _chunked_by(shares):
            read_parallel(docnames, nproc)

    builder._read_parallel = read


def setup(app: Sphinx) -> None:
    app.connect("builder-inited", _builder_inited)
