"""One build of the site: Jupyter Book (Sphinx) writes ``_build/html``.

We call Jupyter Book's own ``build_sphinx`` (what ``jupyter-book build``
runs) rather than its command line, because only the function takes
``jobs``: Sphinx then reads and writes pages on every core.  The data
notebook's kernel starts before (``warm_kernel``), while the caller's
``first`` step (the index) runs on one core.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import time
from collections.abc import Callable
from contextlib import nullcontext
from pathlib import Path

from ..fsutil import atomic_write
from ..layout import Layout
from ..lifeline import default_jobs
from .output import Capture


def make_book_importable(layout: Layout) -> None:
    """The data notebook imports `book` from the kernel it starts; that kernel inherits
    this environment, so make the book folder importable there."""
    paths = [str(layout.root), *os.environ.get("PYTHONPATH", "").split(os.pathsep)]
    os.environ["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(p for p in paths if p))
    if str(layout.root) not in sys.path:
        sys.path.insert(0, str(layout.root))


def sphinx_overrides(layout: Layout) -> dict[str, object]:
    """What the command line gives Jupyter Book's configuration, for ``build`` and ``serve``.
    The toc path is relative to the book folder: an absolute path is part of Sphinx's
    configuration, so a copied or moved book would read every page again."""
    return {"external_toc_path": layout.toc.relative_to(layout.root).as_posix(), "latex_individualpages": False}


def unfinished_marker(layout: Layout) -> Path:
    """Present while a build runs, and after one that was killed or failed."""
    return layout.html.parent / ".build-unfinished"


def last_build_unfinished(layout: Layout) -> bool:
    """Whether the last build was killed or failed: its pages, search index and saved
    environment may be half written, and Sphinx's own bookkeeping would call them done."""
    return unfinished_marker(layout).exists()


def build(
    layout: Layout,
    strict: bool = False,
    all_files: bool = False,
    jobs: int | None = None,
    first: Callable[[], bool] | None = None,
    capture: Capture | None = None,
) -> int:
    """Build the site; returns 0 on success.  ``strict`` turns Sphinx warnings into errors.

    ``first`` is work the site needs before Sphinx reads it (the index); it runs while the
    data notebook's kernel starts and imports, and returns whether to go on (the build
    returns 1 when it does not).  After a build that did not finish
    (``last_build_unfinished``) every page is read and written again from a fresh
    environment, whatever ``all_files`` says.

    With ``capture`` (``book.engine.output``), Sphinx's log and the kernel's go to its log
    file, and its report says what the build did."""
    with capture.running() if capture is not None else nullcontext():
        return _build(layout, strict, all_files, jobs, first, capture)


def _build(
    layout: Layout,
    strict: bool,
    all_files: bool,
    jobs: int | None,
    first: Callable[[], bool] | None,
    capture: Capture | None,
) -> int:
    from . import warm_kernel

    make_book_importable(layout)
    all_files = all_files or last_build_unfinished(layout)
    warm_kernel.start(layout, layout.data_tables, every_page=all_files)
    try:
        if first is not None and not first():
            return 1
        # Again: if the first step changed the tables the notebook reads, the kernel it warmed is stale.
        warm_kernel.start(layout, layout.data_tables, every_page=all_files)
        return _sphinx_build(layout, strict, all_files, jobs, capture)
    finally:
        warm_kernel.close_all()


def _sphinx_build(layout: Layout, strict: bool, all_files: bool, jobs: int | None, capture: Capture | None) -> int:
    marker = unfinished_marker(layout)
    fresh = marker.exists()
    marker.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(marker, f"pid {os.getpid()}\n")
    # Files carry the kernel's coarse clock, a little behind time.time().
    since = time.time() - 0.1
    with capture.sphinx() if capture is not None else nullcontext():
        result = _run_sphinx(layout, strict, all_files or fresh, fresh, jobs)
    if capture is not None:
        capture.pages_written_since(layout.html, since)
    if isinstance(result, BaseException):
        # When Sphinx fails in its main process while a parallel writer still has a result to
        # send, nothing reads the pipe, and Python's exit would wait for that writer forever.
        for child in multiprocessing.active_children():
            child.terminate()
        print(f"build: failed: {result}", file=sys.stderr)
        return 1
    if not result:
        marker.unlink()
    return int(result or 0)


def _run_sphinx(layout: Layout, strict: bool, force_all: bool, fresh: bool, jobs: int | None) -> object:
    from jupyter_book.sphinx import build_sphinx

    return build_sphinx(
        str(layout.root),
        str(layout.html),
        use_external_toc=True,
        noconfig=True,
        path_config=str(layout.config),
        confoverrides=sphinx_overrides(layout),
        builder="html",
        warningiserror=strict,
        keep_going=strict,
        force_all=force_all,
        freshenv=fresh,
        jobs=jobs or default_jobs(),
    )
