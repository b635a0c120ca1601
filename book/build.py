"""``python -m book build``: index, then Jupyter Book (Sphinx) builds ``_build/html``."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from .layout import Layout


def jupyter_book() -> list[str]:
    script = Path(sys.executable).with_name("jupyter-book")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from jupyter_book.cli.main import main; main()"]


def build(layout: Layout, strict: bool = False, all_files: bool = False) -> int:
    """Run Jupyter Book; returns its exit code.  ``strict`` turns Sphinx warnings into errors."""
    cmd = [*jupyter_book(), "build", str(layout.root), "--builder", "html"]
    if strict:
        cmd += ["--warningiserror", "--keep-going"]
    if all_files:
        cmd += ["--all"]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(layout.root), os.environ.get("PYTHONPATH")])))
    return subprocess.call(cmd, cwd=layout.root, env=env)
