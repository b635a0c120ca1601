"""The engine: everything that makes Sphinx and myst-nb build a large book fast, behind
one door.

The site (``book.site``, with ``book.search`` for the index) says what the book is; the engine only
changes how fast Sphinx gets there.  It is a Sphinx extension of its own, set up by the
site's, and it reaches code the project does not own only through :mod:`.patches`, which
checks each package's version and can undo every replacement.  ``book_speedups: false``
(``sphinx: config:`` in ``_config.yml``) turns all of it off: Sphinx then builds the same
pages its own way.  ARCHITECTURE.md lists every patch with the version it was written for
and the measurement that justified it.

Commands use :func:`build` and :class:`LiveBook`; they never reach Sphinx or a kernel.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import patches

# Named events of a live session (:class:`LiveBook`), for extensions that keep state in
# memory across its builds and must write it out when it ends.
LIVE_BEGIN = "book-live-begin"
LIVE_END = "book-live-end"

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config


def _start(app: Sphinx, config: Config) -> None:
    """``config-inited``, before anything else: the engine on or off for this application."""
    from . import notebook_cells, speedups, warm_kernel

    patches.set_enabled(bool(config.book_speedups))
    if not patches.enabled():
        return
    speedups.install(app)
    notebook_cells.install()
    warm_kernel.install()


def add_live_events(app: Sphinx) -> None:
    """Declare the live-session events; an extension that listens to them calls this in its
    ``setup`` too, so it loads with or without the engine and in either order."""
    for name in (LIVE_BEGIN, LIVE_END):
        if name not in app.events.events:
            app.add_event(name)


def _count_read(app: Sphinx, env: Any, docnames: list[str]) -> None:
    from . import output

    output.pages_read(len(docnames))


def setup(app: Sphinx) -> dict[str, Any]:
    from . import env_save, parallel_read, parallel_write

    app.add_config_value("book_speedups", True, "env", types=[bool])
    add_live_events(app)
    app.connect("config-inited", _start, priority=1)
    # Last, after any listener that adds pages to read: the count a build's report gives.
    app.connect("env-before-read-docs", _count_read, priority=999)
    parallel_read.setup(app)
    parallel_write.setup(app)
    env_save.setup(app)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}


def build(*args: Any, **kwargs: Any) -> int:
    """Build the site (``book.engine.runs.build``, see there)."""
    from .runs import build as build_site

    return build_site(*args, **kwargs)


# What commands may use, each from the module that holds it, imported on first use: Sphinx is
# imported only by the commands that build.
_DOOR = {
    "BuildReport": "output",
    "Capture": "output",
    "LiveBook": "live",
    "Pass": "live",
    "last_build_unfinished": "runs",
}

__all__ = ["LIVE_BEGIN", "LIVE_END", "add_live_events", "build", "patches", "setup", *_DOOR]


def __getattr__(name: str) -> Any:
    if name in _DOOR:
        import importlib

        return getattr(importlib.import_module(f"{__name__}.{_DOOR[name]}"), name)
    raise AttributeError(name)
