"""``python -m book import``: captures → article notebooks.

Each capture is read, tagged with the curated vocabulary, rendered and written
atomically (a few hundred at a time, made durable with one sync).  A problem
with one file is reported and the batch goes on.  A notebook someone edited
since it was written is kept as it is (``--force`` overwrites it).  A notebook
is found by its article id wherever it lives under ``notebooks/``, so a
contributor may move or rename it.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
import re
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from tqdm import tqdm

from . import guard, lifeline, notebook, readers
from .errors import BookError, DiskFull, from_os_error, is_disk_full, shown
from .fsutil import AtomicBatch
from .layout import Layout, category_folders
from .model import Article
from .tagging import Vocabulary, load_vocabulary

_ID_LINE = re.compile(r"^  id: (.+)$", re.MULTILINE)
_QUOTED_WORD = re.compile(r"'(\w+)'")


@dataclass
class ImportReport:
    new: list[Path] = field(default_factory=list)
    updated: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)  # edited by a contributor; not overwritten
    refused: list[BookError] = field(default_factory=list)
    # Of the refused: updates that would have lost a notebook's text (``book.guard``).
    guarded: list[BookError] = field(default_factory=list)

    def summary(self) -> str:
        guarded = f" ({len(self.guarded)} would lose a notebook's text: --force to write them)" if self.guarded else ""
        return (
            f"{len(self.new)} imported, {len(self.updated)} updated, {len(self.unchanged)} unchanged, "
            f"{len(self.kept)} kept (edited by hand), {len(self.refused)} refused{guarded}"
        )


def existing_ids(layout: Layout) -> dict[str, Path]:
    """Article id → notebook path, read from each notebook's front matter (fast path: the id line)."""
    found: dict[str, Path] = {}
    for path in layout.article_notebooks():
        with open(path, "rb") as file:  # the id is near the top: the rest of a long notebook is not read
            head = file.read(4096).decode("utf-8", errors="replace")
        m = _ID_LINE.search(head)
        if not m:
            continue
        if quoted := _QUOTED_WORD.fullmatch(m.group(1)):
            found.setdefault(quoted.group(1), path)  # what YAML makes of '67202', without YAML
            continue
        try:
            value = yaml.safe_load(m.group(1))
        except yaml.YAMLError:
            continue
        found.setdefault(str(value), path)
    return found


def prepare(article: Article, vocab: Vocabulary) -> Article:
    """Attach topic and curated tags (entities the article names)."""
    text = "\n".join(b.text for b in article.blocks)
    topic = vocab.topic(article.title, text)
    tags = vocab.entities_in(article.title + "\n" + text)
    return dataclasses.replace(article, topic=topic, tags=tuple(tags))


# (capture, id, notebook text, the category's folders).  The folders are made in the worker,
# which has jieba's dictionary loaded already: the main process would load it (0.7 s) only
# to slugify category names.
Rendered = tuple[Path, str, str, tuple[str, ...]] | BookError

_vocab: Vocabulary | None = None
PARALLEL_MIN_FILES = 64  # below this, starting worker processes costs more than it saves
# Notebooks are made durable together (``AtomicBatch``), this many at a time: one sync for
# each, and an import stopped half-way keeps most of what it did.
COMMIT_EVERY = 256


def _init_worker(vocabulary: Path, parent: int | None = None) -> None:
    global _vocab
    if parent is not None:
        lifeline.die_with_parent(parent)
    _vocab = load_vocabulary(vocabulary)


def _render(path: Path) -> Rendered:
    """Read and render one capture (runs in a worker process: pure CPU, no writes)."""
    assert _vocab is not None
    try:
        article = prepare(readers.read(path), _vocab)
        return path, article.id, notebook.writes(article), category_folders(article.category)
    except BookError as exc:
        return exc
    except OSError as exc:
        if is_disk_full(exc):
            raise
        return from_os_error(path, "read it", exc)
    except Exception as exc:  # a bug one capture meets must not cost the batch the others
        return BookError(str(path), 1, f"cannot read it: {type(exc).__name__}: {exc}", "report this bug with the file")


def _rendered(files: list[Path], vocabulary: Path, jobs: int) -> Iterator[Rendered]:
    """Render captures in order, on ``jobs`` processes; the caller does every write."""
    if jobs <= 1 or len(files) < PARALLEL_MIN_FILES:
        _init_worker(vocabulary)
        yield from map(_render, files)
        return
    context = multiprocessing.get_context("fork") if hasattr(os, "fork") else None
    initargs = (vocabulary, os.getpid())
    with ProcessPoolExecutor(jobs, mp_context=context, initializer=_init_worker, initargs=initargs) as pool:
        yield from pool.map(_render, files, chunksize=16)


def import_paths(
    layout: Layout, paths: Iterable[Path], force: bool = False, progress: bool = True, jobs: int | None = None
) -> ImportReport:
    report = ImportReport()
    files, problems = readers.find_captures(paths)
    report.refused += problems
    known = existing_ids(layout)
    this_run: dict[str, tuple[Path, str]] = {}  # id → (capture, rendered text) imported in this run
    jobs = jobs or os.cpu_count() or 1
    results = _rendered(files, layout.vocabulary, jobs)
    committed = 0
    try:
        with AtomicBatch() as writes:
            for result in tqdm(
                results, total=len(files), desc="import", unit="article", disable=not progress, leave=False
            ):
                _take(result, layout, known, this_run, writes, force, report)
                if len(writes) >= COMMIT_EVERY:
                    writes.commit()
                    committed = len(report.new) + len(report.updated)
    except OSError as exc:
        if not is_disk_full(exc):
            raise
        raise DiskFull(
            f"import: no space left on the disk of {shown(exc.filename or layout.notebooks)}: stopped; "
            f"{committed} notebooks written before it are whole, nothing else was changed "
            "(free some space, then run the same import again)"
        ) from exc
    return report


def _take(
    result: Rendered,
    layout: Layout,
    known: dict[str, Path],
    this_run: dict[str, tuple[Path, str]],
    writes: AtomicBatch,
    force: bool,
    report: ImportReport,
) -> None:
    """One rendered capture: refused, a duplicate of this run, or written (``_write``)."""
    if isinstance(result, BookError):
        report.refused.append(result)
        return
    path, article_id, text, folders = result
    if article_id in this_run:
        first, first_text = this_run[article_id]
        if first_text != text:
            report.refused.append(
                BookError(
                    str(path),
                    1,
                    f"article {article_id} was already imported in this run from {first}, with different text",
                    "keep one capture of each article; remove or rename the other",
                )
            )
        return
    this_run[article_id] = (path, text)
    target = known.get(article_id) or layout.article_path_in(folders, article_id)
    try:
        _write(path, target, text, force, report, writes, layout)
    except OSError as exc:
        if is_disk_full(exc):
            raise
        report.refused.append(from_os_error(path, f"write {layout.rel(target)}", exc))


def _write(
    capture: Path, target: Path, text: str, force: bool, report: ImportReport, writes: AtomicBatch, layout: Layout
) -> None:
    if not target.exists():
        writes.write(target, text)
        report.new.append(target)
        return
    current = target.read_text(encoding="utf-8", errors="replace")
    if current == text:
        report.unchanged.append(target)
        return
    if not force:
        if notebook.is_edited(current):
            report.kept.append(target)
            return
        if (refusal := guard.refusal(capture, str(layout.rel(target)), current, text)) is not None:
            report.refused.append(refusal)
            report.guarded.append(refusal)
            return
    writes.write(target, text)
    report.updated.append(target)
