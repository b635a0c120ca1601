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
    verbose: bool = False,
) -> int:
    """Index (``index`` prints its own report), then build; the exit status.

    Sphinx's whole log goes to ``_build/build.log``; the terminal gets a progress bar and a
    summary (``summary``), or with ``verbose`` the log as it is written.

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

    capture = engine.Capture(layout.build_log, layout.root, live=verbose)
    code = engine.build(
        layout,
        strict=strict or bool(os.environ.get("CI")),
        all_files=all_files,
        jobs=jobs,
        first=first,
        capture=capture,
    )
    out, err = summary(capture.report, layout, code)
    for line in err:
        print(line, file=sys.stderr, flush=True)
    for line in out:
        print(line, flush=True)
    return code or index_status


SHOWN_WARNINGS = 20
SHOWN_PROBLEMS = 15


def summary(report: engine.BuildReport, layout: Layout, code: int) -> tuple[list[str], list[str]]:
    """What the terminal shows after a build: (lines for stdout, lines for stderr)."""
    out: list[str] = []
    err: list[str] = []
    if report.warnings:
        err.append(f"build: {len(report.warnings)} warning(s):")
        err += [f"  {w}" for w in report.warnings[:SHOWN_WARNINGS]]
        if len(report.warnings) > SHOWN_WARNINGS:
            err.append(f"  … and {len(report.warnings) - SHOWN_WARNINGS} more in {layout.rel(report.log)}")
    if code:
        if report.problems:
            err += [f"  {line}" for line in report.problems[-SHOWN_PROBLEMS:]]
        err.append(f"build: failed after {report.seconds:.1f} s; Sphinx's whole log is in {layout.rel(report.log)}")
        return out, err
    warned = f", {len(report.warnings)} warning(s)" if report.warnings else ""
    out.append(f"build: {report.read} page(s) read, {report.written} written{warned} in {report.seconds:.1f} s")
    out.append(f"build: site written to {layout.rel(layout.html / 'index.html')}; log in {layout.rel(report.log)}")
    return out, err
