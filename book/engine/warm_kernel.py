"""The data notebook's kernel, started before Sphinx needs it.

myst-nb starts a kernel for the data notebook when Sphinx reads that page, in
the middle of reading, where its start and its imports (pandas, matplotlib,
the ``book`` package: 2.3 s of CPU at 1,000 articles, py-spy) take a core from
the page readers.  ``index`` before it works on one core, so ``build`` starts
the kernel first and lets it import what the notebook imports while ``index``
runs; myst-nb then executes the notebook in that kernel.

What the notebook sees is the kernel it would have had: the imports run
through ``IPKernelApp.exec_lines`` (as IPython's own startup lines do), bind no
name, leave the execution count at 1, and an import that fails is left for the
notebook's own cell to report.  Only a page that will certainly execute gets a
kernel ahead: a build with no saved environment (every page is read) or data
tables newer than it; anything else leaves myst-nb to start one as it always
has.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from ..layout import Layout
from ..notebook import Page, code_cells, read_page
from . import patches

# nbclient starts every kernel with this argument; the warm kernel is started as nbclient would.
_HISTORY_IN_MEMORY = "--HistoryManager.hist_file=:memory:"


def imports_of(cells: Iterable[str]) -> list[str]:
    """Modules the code cells import at their top level (absolute imports; for
    ``from m import n``, both ``m`` and ``m.n``, since ``n`` may be a submodule)."""
    modules: list[str] = []
    for cell in cells:
        # IPython's magics and shell escapes are not Python.
        code = "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in cell.splitlines())
        try:
            tree = ast.parse(code)
        except SyntaxError:
            continue
        for node in tree.body:
            if isinstance(node, ast.Import):
                modules += [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules += [node.module] + [f"{node.module}.{alias.name}" for alias in node.names if alias.name != "*"]
    return list(dict.fromkeys(modules))


def warm_up_line(modules: list[str]) -> str:
    """One line of Python that imports ``modules``, binds no name in the kernel's
    namespace and swallows import errors (the notebook's own import reports them)."""
    body = f"for m in {modules!r}:\n    try:\n        __import__(m)\n    except Exception:\n        pass\n"
    return f"exec({body!r}, {{}})"


def requested_kernel(metadata: Any) -> str:
    """The kernel a notebook asks for (its ``kernelspec``), as nbclient reads it."""
    return ((metadata.get("kernelspec") or {}).get("name")) or "python3"


class _Notebook:
    def __init__(self, page: Page) -> None:
        self.path = page.path
        self.kernel_name = requested_kernel(page.meta)
        self.forced = ((page.meta.get("mystnb") or {}).get("execution_mode")) == "force"
        self.cells = code_cells(page.body)


def _executing_notebooks(layout: Layout) -> list[_Notebook]:
    """The pages ``_config.yml`` has the main process read (``book_read_in_main``) that
    execute on every read."""
    try:
        config = yaml.safe_load(layout.config.read_text(encoding="utf-8")) or {}
        docnames = ((config.get("sphinx") or {}).get("config") or {}).get("book_read_in_main") or []
        notebooks = []
        for docname in docnames:
            notebook = _Notebook(read_page(layout.root / f"{docname}.md"))
            if notebook.forced and notebook.cells:
                notebooks.append(notebook)
        return notebooks
    except (OSError, ValueError, yaml.YAMLError, AttributeError, TypeError):
        return []  # Sphinx reports a broken config or page better than a guess here


def will_be_read(layout: Layout, notebook: Path, inputs: Iterable[Path]) -> bool:
    """Whether Sphinx will certainly read ``notebook``: nothing was saved from a
    previous build, or the notebook or one of ``inputs`` is newer than what was."""
    try:
        saved = (layout.doctrees / "environment.pickle").stat().st_mtime
    except FileNotFoundError:
        return True
    for path in (notebook, *inputs):
        try:
            if path.stat().st_mtime > saved:
                return True
        except FileNotFoundError:
            continue
    return False


class WarmKernel:
    """A started kernel for one notebook, handed to myst-nb once (``claim``)."""

    def __init__(self, notebook: Path, kernel_name: str, modules: list[str]) -> None:
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync

        self.notebook = notebook
        self.kernel_name = kernel_name
        self.manager = AsyncKernelManager(kernel_name=kernel_name)
        arguments = [_HISTORY_IN_MEMORY, f"--IPKernelApp.exec_lines={warm_up_line(modules)}"]
        run_sync(self.manager.start_kernel)(cwd=str(notebook.parent), extra_arguments=arguments)
        self.claimed = False

    def claim(self, cwd: str | None, kernel_name: str) -> bool:
        """Whether this kernel was started for a notebook run in ``cwd`` with
        ``kernel_name``, is alive, and nobody has had it yet; if so it is now taken."""
        from jupyter_core.utils import run_sync

        if self.claimed or cwd is None or Path(cwd).resolve() != self.notebook.parent.resolve():
            return False
        if kernel_name != self.kernel_name or not run_sync(self.manager.is_alive)():
            return False
        self.claimed = True
        return True

    def close(self) -> None:
        from jupyter_core.utils import run_sync

        try:
            if run_sync(self.manager.is_alive)():
                run_sync(self.manager.shutdown_kernel)(now=False)
        finally:
            run_sync(self.manager.cleanup_resources)()


_waiting: list[WarmKernel] = []


def start(layout: Layout, inputs: Iterable[Path], every_page: bool = False) -> None:
    """Start a kernel for each page of the book that executes and will be read (every
    page is, or see ``will_be_read``), unless one is already waiting for it."""
    inputs = list(inputs)
    for notebook in _executing_notebooks(layout):
        if any(k.notebook == notebook.path for k in _waiting):
            continue
        if not (every_page or will_be_read(layout, notebook.path, inputs)):
            continue
        try:
            _waiting.append(WarmKernel(notebook.path, notebook.kernel_name, imports_of(notebook.cells)))
        except Exception:  # noqa: BLE001 - no kernel ahead; myst-nb starts one and reports what is wrong
            continue


def claim(cwd: str | None, kernel_name: str) -> WarmKernel | None:
    for kernel in _waiting:
        if kernel.claim(cwd, kernel_name):
            return kernel
    return None


def close(kernel: WarmKernel) -> None:
    if kernel in _waiting:
        _waiting.remove(kernel)
    kernel.close()


def close_all() -> None:
    """Shut down every kernel started here, used or not."""
    while _waiting:
        close(_waiting[-1])


def execute_in_warm_kernel(original: Any) -> Any:
    """``single_nb_execution`` (jupyter-cache, as myst-nb calls it) that runs the
    notebook in a kernel started ahead for it, if there is one."""

    def single_nb_execution(nb: Any, cwd: str | None, timeout: int | None, allow_errors: bool, **kwargs: Any) -> Any:
        kernel = None if "km" in kwargs else claim(cwd, requested_kernel(nb.metadata))
        if kernel is None:
            return original(nb, cwd, timeout, allow_errors, **kwargs)
        try:
            return original(nb, cwd, timeout, allow_errors, km=kernel.manager, **kwargs)
        finally:
            close(kernel)  # nbclient leaves a kernel it did not start running

    single_nb_execution.__wrapped__ = original  # type: ignore[attr-defined]
    return single_nb_execution


def install() -> None:
    """Have myst-nb's direct execution use a kernel started ahead, when there is one."""
    try:
        import myst_nb.core.execute.direct as direct
    except ImportError:
        return
    if patches.current(direct, "single_nb_execution") is None:
        wrapped = execute_in_warm_kernel(direct.single_nb_execution)
        patches.replace(direct, "single_nb_execution", wrapped, package="myst-nb", name="warm kernel")
