"""Command line: ``python -m book import|index|build|serve|lab|check|new|sample``."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from .layout import Layout, find_root

if TYPE_CHECKING:
    from .commands.index import IndexReport


def _layout() -> Layout:
    return Layout(find_root())


def _clear_temporaries() -> None:
    """Remove what an interrupted run (a kill, a crash) left of its atomic writes."""
    from .fsutil import remove_stale_temporaries

    try:
        layout = _layout()
    except FileNotFoundError:
        return  # not in a book: the command says so itself
    remove_stale_temporaries(*layout.written_folders())


def _print_problems(problems) -> None:
    for p in problems:
        print(p, file=sys.stderr)


def cmd_import(args: argparse.Namespace) -> int:
    from .commands.importer import import_paths

    layout = _layout()
    started = time.perf_counter()
    report = import_paths(
        layout, [Path(p) for p in args.paths], force=args.force, progress=not args.quiet, report_fidelity=args.report
    )
    elapsed = time.perf_counter() - started
    if args.report:
        from .fidelity import format_report

        print(format_report(report.fidelity))
    _print_problems(report.refused)
    for line in report.notes():
        print(line)
    for line in report.kept_messages(layout):
        print(line, file=sys.stderr)
    done = len(report.new) + len(report.updated) + len(report.unchanged) + len(report.kept)
    print(f"import: {report.summary()} in {elapsed:.1f} s ({done / max(elapsed, 1e-9):.0f} articles/s)")
    status = _index_unless_served(args)
    return 1 if report.refused else status


def cmd_index(args: argparse.Namespace) -> int:
    return _index(args)[0]


def _index(args: argparse.Namespace) -> tuple[int, IndexReport]:
    from .commands.index import index

    layout = _layout()
    started = time.perf_counter()
    report = index(layout)
    elapsed = time.perf_counter() - started
    _print_problems(report.problems)
    print(
        f"index: {report.articles} articles, {report.stubs} stubs, {report.topics} topics; "
        f"{len(report.changed)} files written, {len(report.removed)} removed in {elapsed:.1f} s"
    )
    return (1 if report.problems else 0), report


def _index_unless_served(args: argparse.Namespace) -> int:
    """``index``, unless a ``book serve`` watches the book: it indexes and rebuilds on its own."""
    from .commands.serve import running_server

    if (pid := running_server(_layout())) is not None:
        print(f"index: left to `python -m book serve` (pid {pid}), which rebuilds the site")
        return 0
    return cmd_index(args)


def cmd_build(args: argparse.Namespace) -> int:
    from .commands.build import build_book

    return build_book(
        _layout(), lambda: _index(args), strict=args.strict, all_files=args.all, jobs=args.jobs, verbose=args.verbose
    )


def cmd_serve(args: argparse.Namespace) -> int:
    from .commands.serve import serve

    return serve(_layout(), host=args.host, port=args.port, jobs=args.jobs)


def cmd_lab(args: argparse.Namespace) -> int:
    from .commands.lab import lab

    extra = args.jupyter[1:] if args.jupyter[:1] == ["--"] else args.jupyter
    return lab(_layout(), port=args.port, host=args.host, open_browser=not args.no_browser, extra=extra)


def cmd_check(args: argparse.Namespace) -> int:
    from .commands.check import check, fidelity_report

    layout = _layout()
    if args.fidelity:
        report, unreadable = fidelity_report(layout)
        print(report)
        _print_problems(unreadable)
    problems = check(layout)
    _print_problems(problems)
    print(f"check: {len(problems)} problem(s)" if problems else "check: ok")
    return 1 if problems else 0


def cmd_new(args: argparse.Namespace) -> int:
    from .commands.new import new_article
    from .errors import BookError

    layout = _layout()
    category = tuple(c.strip() for c in args.category.split(">") if c.strip())
    try:
        path = new_article(layout, args.title, category, author=args.author)
    except BookError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"new: {layout.rel(path)} (edit it, then `python -m book build`)")
    return _index_unless_served(args)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m book", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("import", help="read captures (.txt, .html; files or folders) into notebooks, then index")
    p.add_argument("paths", nargs="+")
    p.add_argument("--force", action="store_true", help="overwrite notebooks that were edited by hand")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument(
        "--report",
        action="store_true",
        help="print a fidelity report: each article's title, heading outline, lines kept, and warnings",
    )
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("index", help="regenerate data tables, generated pages and _toc.yml from the notebooks")
    p.set_defaults(func=cmd_index)

    p = sub.add_parser("build", help="index, then build the site into _build/html")
    p.add_argument("--strict", action="store_true", help="fail on any Sphinx warning (always on when CI is set)")
    p.add_argument("--all", action="store_true", help="rebuild every page, not only what changed")
    p.add_argument("--jobs", "-j", type=int, default=None, help="parallel Sphinx processes (default: all cores)")
    p.add_argument(
        "--verbose", "-v", action="store_true", help="show Sphinx's whole log as it builds (always in _build/build.log)"
    )
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("serve", help="build, serve the site on localhost, and rebuild on every save")
    p.add_argument("--port", type=int, default=8000, help="HTTP port (default 8000; 0: any free port; -1: no server)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
    p.add_argument("--jobs", "-j", type=int, default=None, help="parallel Sphinx processes (default: all cores)")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("lab", help="open the book in JupyterLab, its MyST notebooks as notebooks")
    p.add_argument("--port", type=int, default=8888, help="HTTP port (default 8888; 0: any free port)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
    p.add_argument("--no-browser", action="store_true", help="do not open a browser")
    p.add_argument("jupyter", nargs=argparse.REMAINDER, help="after --: options for jupyter lab itself")
    p.set_defaults(func=cmd_lab)

    p = sub.add_parser("check", help="validate notebooks, toc and relations; file:line for each problem")
    p.add_argument(
        "--fidelity",
        action="store_true",
        help="first print the fidelity report of the book's notebooks (titles, outlines, lines kept, warnings)",
    )
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("new", help="scaffold a notebook for an article written directly in the book")
    p.add_argument("title")
    p.add_argument("--category", default="未分类", help="category, nested with '>' (default 未分类)")
    p.add_argument("--author", default="")
    p.set_defaults(func=cmd_new)

    # Listed for --help; `main` hands its arguments to book.sample before parsing.
    sub.add_parser("sample", help="write a synthetic corpus of captures: sample --articles N --out DIR [--seed S]")

    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["sample"]:  # its options belong to book.sample's own parser
        from . import sample

        return sample.main(argv[1:])
    args = parser.parse_args(argv)
    from .errors import DiskFull, is_disk_full, shown

    try:
        if args.command != "check":
            _clear_temporaries()
        return args.func(args)
    except DiskFull as exc:
        print(exc, file=sys.stderr)
        return 1
    except OSError as exc:
        if not is_disk_full(exc):
            if isinstance(exc, FileNotFoundError):
                print(f"error: {shown(exc)}", file=sys.stderr)
                return 2
            raise
        # Writes are atomic, so what the command had not finished is as it was.
        print(
            f"{args.command}: no space left on the disk of {shown(exc.filename or '.')}: stopped; "
            "files it had not finished are as they were (free some space, then run it again)",
            file=sys.stderr,
        )
        return 1
