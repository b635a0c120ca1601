"""The package's layout shows the design (ARCHITECTURE.md): these are its limits."""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BOOK = REPO / "book"
MAX_LINES = 600


def _modules() -> list[Path]:
    return sorted(BOOK.rglob("*.py"))


def _imports(path: Path) -> list[tuple[int, str]]:
    """(line, dotted name) of everything ``path`` imports, relative imports resolved:
    ``from ..engine import patches`` in ``book/notebook/writer.py`` is ``book.engine.patches``."""
    package = list(path.relative_to(REPO).with_suffix("").parts)
    package = package[:-1]  # the package a module (or an __init__) is in
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            found += [(node.lineno, f"{module}.{a.name}") for a in node.names]
    return found


def test_no_module_passes_600_lines() -> None:
    long = {
        str(p.relative_to(REPO)): n
        for p in _modules()
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def test_only_the_notebook_package_writes_notebook_syntax() -> None:
    # A cell break or a front-matter fence spelled out anywhere else is a second parser of our
    # notebooks in the making: use book.notebook.syntax.
    offenders = []
    for path in _modules():
        rel = path.relative_to(BOOK)
        if rel.parts[0] == "notebook":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                text = node.value
                if text in {"---", "+++"} or text.startswith(("+++", "---\n", r"\+\+\+", r"\A---", "^---")):
                    offenders.append(f"book/{rel}:{node.lineno} {text[:20]!r}")
    assert offenders == []


def test_the_middle_objects_live_in_the_model() -> None:
    from book import catalog, model

    assert catalog.Entry is model.Entry and catalog.Stub is model.Stub and catalog.Tables is model.Tables
    for path in _modules():
        if path.name == "model.py":
            continue
        classes = {n.name for n in ast.walk(ast.parse(path.read_text(encoding="utf-8"))) if isinstance(n, ast.ClassDef)}
        assert not classes & {"Article", "Block", "Related", "Entry", "Stub", "Tables"}, path


def test_commands_reach_the_engine_only_through_its_door() -> None:
    # book.engine.build, book.engine.LiveBook and the names the package itself exports; never
    # an engine module, a warm kernel or a Sphinx object.
    offenders = []
    for path in [BOOK / "cli.py", *sorted((BOOK / "commands").glob("*.py"))]:
        for line, name in _imports(path):
            parts = name.split(".")
            if parts[:2] == ["book", "engine"] and len(parts) > 2 and parts[2] not in _engine_exports():
                offenders.append(f"{path.relative_to(REPO)}:{line} imports {name}")
    assert offenders == []


def _engine_exports() -> set[str]:
    import book.engine

    return set(book.engine.__all__)


def test_the_domain_does_not_reach_down_into_the_engine_or_the_commands() -> None:
    # Data flows one way: readers, model, notebook, catalog and analysis know nothing of how
    # the site is built or which command runs them.  (The notebook writer swaps jupytext's
    # YAML dumper through the engine's one door for patches, book.engine.patches.)
    allowed = {"book.engine.patches"}
    offenders = []
    for path in _modules():
        rel = path.relative_to(BOOK)
        if (
            rel.parts[0] not in {"readers", "notebook", "catalog", "analysis", "search", "sample"}
            and rel.name != "model.py"
        ):
            continue
        for line, name in _imports(path):
            parts = name.split(".")
            if parts[:2] in (["book", "engine"], ["book", "commands"], ["book", "site"], ["book", "cli"]):
                if not any(name == a or name.startswith(a + ".") for a in allowed):
                    offenders.append(f"book/{rel}:{line} imports {name}")
    assert offenders == []
