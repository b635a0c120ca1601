"""The data notebook's kernel, started while `index` runs (book.engine.warm_kernel)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import nbformat
import pytest
from jupyter_cache.executors.utils import single_nb_execution

from book.engine import warm_kernel
from book.layout import Layout
from book.notebook import read_page

REPO = Path(__file__).resolve().parent.parent

# What a cell can tell about the kernel it runs in: the names it was given, its
# execution count, whether a module was imported before the notebook asked.
PROBE = """\
import sys
print(sorted(k for k in dir() if not k.startswith("_")))
print(get_ipython().execution_count)
print("email.mime" in sys.modules)
"""
LATER = "import email.mime\nprint('email.mime' in sys.modules)"


def _notebook() -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(PROBE), nbformat.v4.new_code_cell(LATER)]
    return nb


def _outputs(nb: nbformat.NotebookNode) -> list[str]:
    return ["".join(o.get("text", "") for o in cell.outputs) for cell in nb.cells]


@pytest.fixture
def no_kernels_left():
    yield
    assert not warm_kernel._waiting
    warm_kernel.close_all()


def test_the_data_notebooks_imports_are_found() -> None:
    notebook = warm_kernel._Notebook(read_page(REPO / "notebooks" / "data.md"))
    assert notebook.forced and notebook.kernel_name == "python3"
    modules = warm_kernel.imports_of(notebook.cells)
    assert {"pandas", "book.catalog", "book.analysis.charts", "book.analysis.fonts", "IPython.display"} <= set(modules)
    assert len(modules) == len(set(modules))


def test_magics_relative_imports_and_broken_cells_are_skipped() -> None:
    cells = [
        "%matplotlib inline\nimport json\n!ls\nfrom . import x\nfrom os import path\nfrom os.path import *",
        "def broken(:\n    import zlib",
    ]
    assert warm_kernel.imports_of(cells) == ["json", "os", "os.path"]


def test_the_warm_up_binds_no_name_and_swallows_a_missing_module() -> None:
    namespace: dict[str, object] = {}
    exec(warm_kernel.warm_up_line(["no_such_module_here", "colorsys"]), namespace)
    assert set(namespace) == {"__builtins__"}
    import sys

    assert "colorsys" in sys.modules


def test_a_kernel_starts_ahead_only_for_a_page_that_will_be_read(tmp_path: Path) -> None:
    layout = Layout(tmp_path)
    page, table = tmp_path / "notebooks" / "data.md", tmp_path / "data" / "articles.csv"
    for path in (page, table):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x", encoding="utf-8")
    assert warm_kernel.will_be_read(layout, page, [table])  # nothing saved: every page is read
    saved = tmp_path / "_build" / ".doctrees" / "environment.pickle"
    saved.parent.mkdir(parents=True)
    saved.write_bytes(b"")
    past = time.time() - 60
    os.utime(page, (past, past))
    os.utime(table, (past, past))
    assert not warm_kernel.will_be_read(layout, page, [table])
    os.utime(table)  # `index` rewrote a table the page reads
    assert warm_kernel.will_be_read(layout, page, [table])


def test_the_notebook_runs_in_the_warm_kernel_as_it_would_in_its_own(tmp_path: Path, no_kernels_left) -> None:
    run = warm_kernel.execute_in_warm_kernel(single_nb_execution)
    own = run(_notebook(), cwd=str(tmp_path), timeout=60, allow_errors=False)
    assert own.err is None

    page = tmp_path / "page.md"
    kernel = warm_kernel.WarmKernel(page, "python3", ["sys"])
    warm_kernel._waiting.append(kernel)
    warm = run(_notebook(), cwd=str(tmp_path), timeout=60, allow_errors=False)
    assert warm.err is None
    assert kernel.claimed  # it was this kernel that ran the notebook
    assert _outputs(warm.nb) == _outputs(own.nb)
    assert _outputs(warm.nb)[0].splitlines()[2] == "False"  # not imported ahead of the notebook
    assert [c.execution_count for c in warm.nb.cells] == [c.execution_count for c in own.nb.cells] == [1, 2]


def test_a_warm_kernel_is_not_handed_to_another_folder_or_kernel(tmp_path: Path, no_kernels_left) -> None:
    kernel = warm_kernel.WarmKernel(tmp_path / "page.md", "python3", [])
    warm_kernel._waiting.append(kernel)
    try:
        assert warm_kernel.claim(str(tmp_path / "elsewhere"), "python3") is None
        assert warm_kernel.claim(str(tmp_path), "ir") is None
        assert warm_kernel.claim(None, "python3") is None
        assert warm_kernel.claim(str(tmp_path), "python3") is kernel
        assert warm_kernel.claim(str(tmp_path), "python3") is None  # once only
    finally:
        warm_kernel.close_all()
    from jupyter_core.utils import run_sync

    assert not run_sync(kernel.manager.is_alive)()
