"""``python -m book lab``: JupyterLab on the book, its MyST notebooks opened as notebooks.

jupytext's JupyterLab extension (``jupyterlab_jupytext``, installed with jupytext) lets the
server read and save ``.md`` notebooks as notebooks; JupyterLab still opens a ``.md`` file
in its text editor unless its default viewer says otherwise.  We say so in an
``overrides.json`` of a settings folder of the book's own (``_build/jupyterlab/``), so the
user's JupyterLab settings elsewhere are left alone.  A notebook saved in JupyterLab is
written back through jupytext's ``md:myst`` format, which is what ``import`` wrote.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from ..fsutil import atomic_write
from ..layout import Layout

# JupyterLab's name for jupytext's notebook view, and the file types it should open with it.
VIEWER = "Jupytext Notebook"
DEFAULT_VIEWERS = {"markdown": VIEWER, "myst": VIEWER}


def settings_folder(layout: Layout) -> Path:
    return layout.root / "_build" / "jupyterlab"


def lab_argv(layout: Layout, port: int, host: str, open_browser: bool, extra: Sequence[str] = ()) -> list[str]:
    """The ``jupyter lab`` command for this book (its settings folder written first)."""
    folder = settings_folder(layout)
    overrides = {"@jupyterlab/docmanager-extension:plugin": {"defaultViewers": DEFAULT_VIEWERS}}
    folder.mkdir(parents=True, exist_ok=True)
    atomic_write(folder / "overrides.json", json.dumps(overrides, indent=2) + "\n")
    return [
        sys.executable,
        "-m",
        "jupyterlab",
        f"--ServerApp.root_dir={layout.root}",
        f"--LabApp.app_settings_dir={folder}",
        f"--ServerApp.ip={host}",
        f"--ServerApp.port={port}",
        f"--ServerApp.open_browser={open_browser}",
        # Jupyter refuses to run as root unless told; a container's only user often is root.
        *(["--allow-root"] if os.geteuid() == 0 else []),
        *extra,
    ]


def lab(layout: Layout, port: int, host: str, open_browser: bool, extra: Sequence[str] = ()) -> int:
    """Replace this process with JupyterLab (Ctrl+C stops it, as it stops ``jupyter lab``)."""
    argv = lab_argv(layout, port, host, open_browser, extra)
    print(f"lab: JupyterLab on {layout.root} (notebooks open as notebooks); Ctrl+C stops it", flush=True)
    os.execv(argv[0], argv)
    return 0  # not reached
