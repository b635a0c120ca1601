"""``python -m book build``: the index, then the site, unless a server is watching the book."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

from .. import engine
from ..layout import Layout
from .index import IndexReport
from .serve import running_server


def build_book(
    layout: Layout,
    index: Callable[[], tuple[int, IndexReport]],
    strict: bool = False,
    all_files: bool = False,
    jobs: int | None = None,
) -> int:
    """Index (``index`` prints its own report), then build; the exit status.

    A failed index stops the build only under ``strict``; notebooks sharing an article id
    always stop it, since the data page would publish a traceback and links would go to
    either notebook.  Sphinx warnings fail the build under ``strict`` and in CI.
    """
    if (pid := running_server(layout)) is not None:
        print(
            f"build: `python -m book serve` (pid {pid}) is watching this book and rebuilds it on every save; "
            "stop it (Ctrl+C) before building",
            file=sys.stderr,
        )
        return 1
    if engine.last_build_unfinished(layout) and not all_files:
        print("build: the last build did not finish (killed or failed): building every page again")
        all_files = True
    index_status = 0

    def first() -> bool:
        nonlocal index_status
        index_status, report = index()
        if report.duplicates:
            print(
                f"build: refused: {len(report.duplicates)} notebook(s) share an article id with another "
                "(listed above); give each article its own id or remove the copy, then build again",
                file=sys.stderr,
            )
            return False
        return not (index_status and strict)

    code = engine.build(
        layout, strict=strict or bool(os.environ.get("CI")), all_files=all_files, jobs=jobs, first=first
    )
    if code == 0:
        print(f"build: site written to {layout.html / 'index.html'}")
    return code or index_status
