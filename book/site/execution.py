"""Only the pages ``_config.yml`` names in ``book_execute`` run code, whatever a page's front matter says.

myst-nb lets a notebook's own front matter (``mystnb: execution_mode: force``)
override the book's ``execute_notebooks: "off"``, so one edited article could
run its ``{code-cell}`` during the build.  Every execution myst-nb does, in
any mode, starts in ``create_client``; there, a page not named in
``book_execute`` gets execution mode ``off`` and the build a warning naming it.
"""

from __future__ import annotations

import os
from typing import Any

from sphinx.application import Sphinx
from sphinx.util import logging

from ..engine import patches

logger = logging.getLogger(__name__)

_allowed: dict[str, object] = {"srcdir": None, "docnames": frozenset()}


def docname_of(path: str, srcdir: str) -> str:
    """The docname of a source file (``notebooks/data`` for ``<srcdir>/notebooks/data.md``)."""
    rel = os.path.relpath(path, srcdir)
    return os.path.splitext(rel)[0].replace(os.sep, "/")


def _remember(app: Sphinx, config: Any) -> None:
    _allowed["srcdir"] = str(app.srcdir)
    _allowed["docnames"] = frozenset(config.book_execute)


def _guarded(create_client: Any) -> Any:
    def guarded(notebook: Any, source: Any, nb_config: Any, logger_: Any, read_fmt: Any = None) -> Any:
        srcdir = _allowed["srcdir"]
        docname = docname_of(str(source), str(srcdir)) if srcdir is not None else ""
        if docname not in _allowed["docnames"] and nb_config.execution_mode != "off":  # type: ignore[operator]
            logger.warning(
                f"execution_mode {nb_config.execution_mode!r} ignored: only the pages named in book_execute "
                "run code (remove the mystnb block from this page's front matter)",
                location=docname,
                type="book",
                subtype="execution",
            )
            nb_config = nb_config.copy(execution_mode="off")
        return create_client(notebook, source, nb_config, logger_, read_fmt)

    guarded.__wrapped__ = create_client  # type: ignore[attr-defined]
    return guarded


def setup(app: Sphinx) -> None:
    import myst_nb.sphinx_

    app.add_config_value("book_execute", [], "env", types=[list])
    app.connect("config-inited", _remember)
    if patches.current(myst_nb.sphinx_, "create_client") is None:
        guarded = _guarded(myst_nb.sphinx_.create_client)
        # Not a speed-up: made whatever book_speedups says, and refused loudly under a
        # myst-nb it was not written for.
        patches.replace(
            myst_nb.sphinx_,
            "create_client",
            guarded,
            package="myst-nb",
            name="execution only where named",
            essential=True,
        )
