"""Whether ``index`` has anything to do: what its last run read and wrote.

A build starts with ``index``, and at 10,000 articles a full index costs seconds
even with the scan cache (it derives every table and page again to find that
none changed).  So each run records a digest of its inputs (every article
notebook's size and modification time, the curated vocabulary, this package's
code) and the size and modification time of every file it wrote.  When the
inputs are the same and no output was touched, removed or added since, the run
before already wrote exactly what this one would.  It also records a digest of
everything but the articles' text that the tables and pages were derived from:
when an edit changed only an article's text, only the articles table (lengths,
sections) is derived again.  Only an optimisation: deleting the record changes
no output.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..fsutil import atomic_write, file_stamp
from ..layout import Layout

FORMAT = 2
PACKAGE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class IndexState:
    inputs: str
    outputs: dict[str, list[int]]  # path relative to the book → [mtime_ns, size]
    counts: dict[str, int]  # what the run reported: articles, stubs, topics
    # Everything the tags and relations tables and the generated pages were derived from
    # (``shape``): when only articles' text changed since, only the articles table is redone.
    shape: str = ""


def _code_and_vocabulary(layout: Layout) -> hashlib._Hash:
    digest = hashlib.sha256(f"format {FORMAT}\n".encode())
    for code in sorted(PACKAGE.rglob("*.py")):
        digest.update(code.relative_to(PACKAGE).as_posix().encode() + b"\0" + code.read_bytes())
    digest.update(b"\0vocabulary\0" + (layout.vocabulary.read_bytes() if layout.vocabulary.exists() else b""))
    return digest


def shape(layout: Layout, entries_shape: str) -> str:
    """``entries_shape`` (``catalog.shape_digest``) with the code and vocabulary that derive from it."""
    digest = _code_and_vocabulary(layout)
    digest.update(b"\0entries\0" + entries_shape.encode())
    return digest.hexdigest()


def inputs_digest(layout: Layout, notebooks: Iterable[Path]) -> str:
    digest = _code_and_vocabulary(layout)
    for path in notebooks:
        digest.update(f"\0{layout.rel(path)}\0{file_stamp(path)}".encode())
    return digest.hexdigest()


def record(layout: Layout, inputs: str, outputs: Iterable[Path], counts: dict[str, int], shape: str = "") -> IndexState:
    stamps = {layout.rel(path): stamp for path in outputs if (stamp := file_stamp(path)) is not None}
    return IndexState(inputs, stamps, counts, shape)


def _generated_pages(layout: Layout) -> set[str]:
    if not layout.generated.exists():
        return set()
    return {layout.rel(path) for path in layout.generated.rglob("*.md")}


def up_to_date(state: IndexState | None, layout: Layout, inputs: str) -> bool:
    """Same inputs, and every output as the last run left it (none edited, removed or added)."""
    return state is not None and state.inputs == inputs and outputs_untouched(state, layout)


def outputs_untouched(state: IndexState, layout: Layout) -> bool:
    """Every file the last run wrote is as it left it, and no generated page was added since."""
    if any(file_stamp(layout.root / rel) != stamp for rel, stamp in state.outputs.items()):
        return False
    return _generated_pages(layout) <= set(state.outputs)


def load(path: Path) -> IndexState | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return IndexState(data["inputs"], dict(data["outputs"]), dict(data["counts"]), str(data.get("shape", "")))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def save(path: Path, state: IndexState) -> None:
    data = {"inputs": state.inputs, "outputs": state.outputs, "counts": state.counts, "shape": state.shape}
    atomic_write(path, json.dumps(data))


def forget(path: Path) -> None:
    path.unlink(missing_ok=True)
