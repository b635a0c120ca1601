"""``python -m book serve``: rebuild on every save, and serve the site on localhost.

The contributor's loop is edit → look at the page.  ``build`` pays Python's and
Sphinx's start-up, the environment and search index loads, and the data
notebook on every run (18.6 s for one edited article at 10,000 articles);
``serve`` pays them once.  It watches the book's sources (``watchfiles``:
inotify, no polling), and after each save runs ``index`` and a build of the
changed pages by one Sphinx application it keeps (``book.engine.live``), then the data
page in a second pass.  The site is served from ``_build/html`` by Python's
``http.server``, for a browser on this machine; it is the same static site
``build`` writes.

A change to ``_config.yml``, the curated vocabulary (``data/tags.yml``) or the
``book`` package itself restarts the server: each changes how every page is
built.
"""

from __future__ import annotations

import functools
import http.server
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Iterable
from pathlib import Path

from ..fsutil import atomic_write
from ..layout import Layout


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # one line per request is noise here
        pass


# The whole heap is collected once no save came for this long (seconds); see ``LiveBook.collect``.
COLLECT_AFTER_QUIET_SECONDS = 10

# What ``index`` derived again (``IndexReport.derived``), in the server's report line.
DERIVED = {"all": "every table and page", "articles": "the articles table", "nothing": "nothing"}


def start_http(layout: Layout, host: str, port: int) -> http.server.ThreadingHTTPServer:
    handler = functools.partial(_QuietHandler, directory=str(layout.html))
    server = http.server.ThreadingHTTPServer((host, port), handler)
    threading.Thread(target=server.serve_forever, name="book-http", daemon=True).start()
    return server


def sources(layout: Layout) -> list[Path]:
    """What ``serve`` watches: the notebooks, the configuration, the vocabulary, the code."""
    return [
        p for p in (layout.notebooks, layout.config, layout.vocabulary, Path(__file__).resolve().parent) if p.exists()
    ]


def needs_restart(layout: Layout, path: Path) -> bool:
    """A change that alters how every page is built: configuration, vocabulary, our code."""
    package = Path(__file__).resolve().parent
    return path in (layout.config, layout.vocabulary) or (path.suffix == ".py" and package in path.parents)


def is_source(layout: Layout, path: Path) -> bool:
    """A file whose change the site must follow (not one ``index`` or an editor writes)."""
    if path.name.startswith((".", "#")) or path.name.endswith("~"):
        return False  # editors' swap, backup and lock files
    if needs_restart(layout, path):
        return True
    if path.suffix != ".md" or layout.notebooks not in path.parents:
        return False
    return layout.generated not in path.parents  # pages ``index`` writes: they follow the notebooks


def _describe(layout: Layout, paths: Iterable[Path]) -> str:
    names = sorted(layout.rel(p) if layout.root in p.parents else str(p) for p in paths)
    return ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")


def _pid_file(layout: Layout) -> Path:
    return layout.cache / "serve.pid"


def running_server(layout: Layout) -> int | None:
    """The process id of a ``book serve`` watching this book, if one is running."""
    try:
        pid = int(_pid_file(layout).read_text(encoding="ascii").strip())
        os.kill(pid, 0)
    except (OSError, ValueError):
        return None
    return pid


_stop_requested: list[bool] = [False]


def _stop(signum: int, frame: object) -> None:
    """Ctrl+C or SIGTERM: stop once the build under way is done (the environment file is then
    whole); a second one stops at once.  Raising at the first would land wherever the main thread
    is, a finaliser run by the garbage collector included, which swallows it."""
    if _stop_requested[0]:
        raise KeyboardInterrupt
    _stop_requested[0] = True


def _on_stop_signals() -> None:
    # Again after each build: nbclient resets SIGTERM after running the data notebook.
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)


def _restart() -> None:
    print("serve: restarting (configuration, vocabulary or code changed)", flush=True)
    os.execv(sys.executable, [sys.executable, "-m", "book", *sys.argv[1:]])


def serve(layout: Layout, host: str = "127.0.0.1", port: int = 8000, jobs: int | None = None) -> int:
    import watchfiles

    from ..catalog.cache import ScanCache
    from ..engine import LiveBook, Pass
    from .index import index, warm

    logging.getLogger("watchfiles").setLevel(logging.WARNING)  # it logs every change at INFO
    # Kept in memory between runs of ``index``, and saved when the server stops.
    cache = ScanCache.load(layout.cache / "scan.pickle", layout.vocabulary)

    def index_and_report() -> tuple[float, str]:
        started = time.perf_counter()
        report = index(layout, cache)
        for problem in report.problems:
            print(problem, file=sys.stderr)
        return time.perf_counter() - started, report.derived

    _stop_requested[0] = False
    _on_stop_signals()
    if (other := running_server(layout)) is not None and other != os.getpid():
        print(f"serve: another server (pid {other}) is watching this book; stop it first", file=sys.stderr)
        return 1
    index_and_report()
    live = LiveBook(layout, jobs=jobs)

    def build(defer_data: bool = False) -> Pass:
        built = live.build(defer_data=defer_data)
        _on_stop_signals()
        return built

    http_server = None
    try:
        first = build()
        print(f"serve: site built in {first.seconds:.1f} s ({len(first.read)} pages read)", flush=True)
        warm(layout, cache)
        live.idle()
        if _stop_requested[0]:
            raise KeyboardInterrupt
        if port >= 0:
            http_server = start_http(layout, host, port)
            print(f"serve: http://{host}:{http_server.server_address[1]}/", flush=True)
        watch = watchfiles.watch(
            *sources(layout),
            watch_filter=lambda change, path: is_source(layout, Path(path)),
            debounce=1600,
            step=50,
            rust_timeout=1000,
            yield_on_timeout=True,  # an empty set each idle second: the first one says it is watching
        )
        next(watch)
        atomic_write(_pid_file(layout), f"{os.getpid()}\n")
        print(f"serve: watching {_describe(layout, sources(layout))} (Ctrl+C stops)", flush=True)
        quiet, collected = 0, False  # the start-up build left garbage too
        for changes in watch:
            if _stop_requested[0]:
                break
            if not changes:  # a second without a save
                quiet += 1
                if quiet >= COLLECT_AFTER_QUIET_SECONDS and not collected:
                    live.collect()
                    collected = True
                continue
            quiet, collected = 0, False
            started = time.perf_counter()
            changed = {Path(path) for _, path in changes}
            if any(needs_restart(layout, p) for p in changed):
                cache.save()
                live.close()
                if http_server is not None:
                    http_server.server_close()
                _restart()
            index_seconds, derived = index_and_report()
            article = build(defer_data=True)
            total = time.perf_counter() - started
            print(
                f"serve: {_describe(layout, changed)}: site updated in {total:.1f} s "
                f"(index {index_seconds:.1f} s, build {article.seconds:.1f} s, {len(article.read)} pages read; "
                f"derived: {DERIVED[derived]})",
                flush=True,
            )
            if not _stop_requested[0] and live.data_outdated():
                data = build()
                print(f"serve: data page updated in {time.perf_counter() - started:.1f} s", flush=True)
                if data.status:
                    print("serve: the data page's build failed (see above)", file=sys.stderr, flush=True)
            if _stop_requested[0]:
                break
            live.idle()
        print("serve: stopped", flush=True)
    except KeyboardInterrupt:
        print("serve: stopped", flush=True)
    finally:
        if http_server is not None:
            http_server.shutdown()
            http_server.server_close()
        live.close()
        cache.save()
        if running_server(layout) == os.getpid():
            _pid_file(layout).unlink(missing_ok=True)
    return 0
