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
import hashlib
import multiprocessing
import os
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from tqdm import tqdm

from .. import fidelity, guard, identity, lifeline, notebook, readers
from ..catalog.tagging import Vocabulary, load_vocabulary
from ..errors import BookError, DiskFull, from_os_error, is_disk_full, shown
from ..fsutil import AtomicBatch
from ..layout import Layout, category_folders
from ..model import Article
from ..readers.notes import capture_record


@dataclass
class ImportReport:
    new: list[Path] = field(default_factory=list)
    updated: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)  # edited by a contributor; not overwritten
    refused: list[BookError] = field(default_factory=list)
    # Of the refused: updates that would have lost a notebook's text (``book.guard``).
    guarded: list[BookError] = field(default_factory=list)
    # (capture, the capture of this run it repeats): the same article twice, imported once
    duplicates: list[tuple[Path, Path]] = field(default_factory=list)
    # (capture, id it was given, notebook or capture that has its title): same title, another article
    apart: list[tuple[Path, str, Path]] = field(default_factory=list)
    # (capture, notebook or capture it is the same article as): one page under two titles, one notebook
    twins: list[tuple[Path, Path]] = field(default_factory=list)
    # (capture, notebook or capture of another article with the same title)
    same_title: list[tuple[Path, Path]] = field(default_factory=list)
    fidelity: list[fidelity.Record] = field(default_factory=list)  # filled when asked for (--report)

    def summary(self) -> str:
        guarded = f" ({len(self.guarded)} would lose a notebook's text: --force to write them)" if self.guarded else ""
        text = (
            f"{len(self.new)} imported, {len(self.updated)} updated, {len(self.unchanged)} unchanged, "
            f"{len(self.kept)} kept (edited by hand), {len(self.refused)} refused{guarded}"
        )
        if self.duplicates:
            text += f", {len(self.duplicates)} duplicate(s) of another capture (imported once)"
        if self.apart:
            text += f", {len(self.apart)} with the title of another article (given an id of their own)"
        if self.twins:
            text += f", {len(self.twins)} the same article as another under another title (one notebook)"
        if shared := [p for p, _ in self.same_title if p not in {a for a, _, _ in self.apart}]:
            text += f", {len(shared)} with a title another article has (give one a distinct title)"
        return text

    def notes(self) -> list[str]:
        """Notes, not problems: what became of each capture that was not imported as an
        article of its own id."""
        lines = [
            f"import: note: {path} is the same article as {first}: imported once" for path, first in self.duplicates
        ]
        lines += [
            f"import: note: {path} has the title of {other} but another text: imported as article {new_id}"
            for path, new_id, other in self.apart
        ]
        lines += [
            f"import: note: {path} is the same article as {other} under another title: one notebook"
            for path, other in self.twins
        ]
        apart = {path for path, _, _ in self.apart}
        lines += [
            f"import: note: {path} has the title of another article, {other}: give one a distinct title"
            for path, other in self.same_title
            if path not in apart
        ]
        return lines

    def kept_messages(self, layout: Layout) -> list[str]:
        """One line per notebook left as a contributor edited it."""
        return [
            f"{shown(layout.rel(path))}: kept: edited by hand since it was imported "
            "(re-run with --force to overwrite the edit)"
            for path in self.kept
        ]


def existing_ids(layout: Layout) -> dict[str, Path]:
    """Article id → notebook path, read from each notebook's front matter (fast path: the id line)."""
    return existing_articles(layout)[0]


def existing_articles(layout: Layout) -> tuple[dict[str, Path], dict[str, list[tuple[str, Path]]]]:
    """Article id → notebook path, and title → [(id, notebook path)], from the top of each notebook."""
    found: dict[str, Path] = {}
    titles: dict[str, list[tuple[str, Path]]] = {}
    for path in layout.article_notebooks():
        value, title = notebook.read_head(path)
        if value is None:
            continue
        found.setdefault(value, path)
        if title is not None:
            titles.setdefault(title, []).append((value, path))
    return found, titles


def prepare(article: Article, vocab: Vocabulary) -> Article:
    """Attach topic and curated tags (entities the article names)."""
    text = "\n".join(b.text for b in article.blocks)
    topic = vocab.topic(article.title, text)
    tags = vocab.entities_in(article.title + "\n" + text)
    return dataclasses.replace(article, topic=topic, tags=tuple(tags))


@dataclass(frozen=True)
class Capture:
    """One capture as a worker rendered it, for the main process to place and write.

    The category's folders are made in the worker, which has jieba's dictionary loaded already:
    the main process would load it (0.7 s) only to slugify category names.
    """

    path: Path
    article_id: str
    title: str
    title_rank: int  # identity.title_rank of where the title came from
    text: str  # the notebook
    folders: tuple[str, ...]
    entry: fidelity.Record | None  # for the fidelity report, when asked for


Rendered = Capture | BookError

_vocab: Vocabulary | None = None
_report = False  # whether workers describe each article for the fidelity report
PARALLEL_MIN_FILES = 64  # below this, starting worker processes costs more than it saves
# Notebooks are made durable together (``AtomicBatch``), this many at a time: one sync for
# each, and an import stopped half-way keeps most of what it did.
COMMIT_EVERY = 256


def _init_worker(vocabulary: Path, report: bool = False, parent: int | None = None) -> None:
    global _vocab, _report
    if parent is not None:
        lifeline.die_with_parent(parent)
    _vocab = load_vocabulary(vocabulary)
    _report = report


def _render(path: Path) -> Rendered:
    """Read and render one capture (runs in a worker process: pure CPU, no writes)."""
    assert _vocab is not None
    try:
        notes = readers.ReadNotes()
        article = prepare(readers.read(path, notes), _vocab)
        entry = fidelity.describe(str(path), article, notes) if _report else None
        return Capture(
            path,
            article.id,
            article.title,
            identity.title_rank(notes.title_from),
            render(path, article, notes),
            category_folders(article.category),
            entry,
        )
    except BookError as exc:
        return exc
    except OSError as exc:
        if is_disk_full(exc):
            raise
        return from_os_error(path, "read it", exc)
    except Exception as exc:  # a bug one capture meets must not cost the batch the others
        return BookError(str(path), 1, f"cannot read it: {type(exc).__name__}: {exc}", "report this bug with the file")


def render(path: Path, article: Article, notes: readers.ReadNotes) -> str:
    """The notebook of an article read from ``path``, with the record of that reading."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return notebook.writes(article, capture=capture_record(path.name, digest, notes), title_missing=notes.title_missing)


def _rendered(files: list[Path], vocabulary: Path, jobs: int, report: bool = False) -> Iterator[Rendered]:
    """Render captures in order, on ``jobs`` processes; the caller does every write."""
    if jobs <= 1 or len(files) < PARALLEL_MIN_FILES:
        _init_worker(vocabulary, report)
        yield from map(_render, files)
        return
    context = multiprocessing.get_context("fork") if hasattr(os, "fork") else None
    initargs = (vocabulary, report, os.getpid())
    with ProcessPoolExecutor(jobs, mp_context=context, initializer=_init_worker, initargs=initargs) as pool:
        yield from pool.map(_render, files, chunksize=16)


@dataclass
class _Run:
    """What one import knows while it places captures."""

    layout: Layout
    writes: AtomicBatch
    force: bool
    report: ImportReport
    known: dict[str, Path]  # id → notebook in the book
    titles: dict[str, list[tuple[str, Path]]]  # title → [(id, notebook)] in the book
    bodies: identity.Bodies
    # id → (capture, rendered text, its title's rank) of what this run imported
    this_run: dict[str, tuple[Path, str, int]] = field(default_factory=dict)
    run_titles: dict[str, list[tuple[str, Path]]] = field(default_factory=dict)  # title → [(id, capture)]
    given: dict[Path, str] = field(default_factory=dict)  # capture → the id it was imported as, if not its own


def import_paths(
    layout: Layout,
    paths: Iterable[Path],
    force: bool = False,
    progress: bool = True,
    jobs: int | None = None,
    report_fidelity: bool = False,
) -> ImportReport:
    report = ImportReport()
    files, problems = readers.find_captures(paths)
    report.refused += problems
    known, titles = existing_articles(layout)

    def url_less() -> Iterator[tuple[str, str]]:
        for article_id, path in known.items():
            if identity.is_title_id(article_id) and path.exists():
                yield article_id, path.read_text(encoding="utf-8", errors="replace")

    with AtomicBatch() as writes:
        run = _Run(layout, writes, force, report, known, titles, identity.Bodies(url_less))
        jobs = jobs or os.cpu_count() or 1
        results = _rendered(files, layout.vocabulary, jobs, report_fidelity)
        committed = 0
        try:
            for result in tqdm(
                results, total=len(files), desc="import", unit="article", disable=not progress, leave=False
            ):
                if isinstance(result, Capture) and result.entry is not None:
                    report.fidelity.append(result.entry)
                _take(result, run)
                if len(writes) >= COMMIT_EVERY:
                    writes.commit()
                    committed = len(report.new) + len(report.updated)
        except OSError as exc:
            if not is_disk_full(exc):
                raise
            writes.discard()
            raise DiskFull(
                f"import: no space left on the disk of {shown(exc.filename or layout.notebooks)}: stopped; "
                f"{committed} notebooks written before it are whole, nothing else was changed "
                "(free some space, then run the same import again)"
            ) from exc
    if report_fidelity:
        for entry in report.fidelity:
            entry.article_id = run.given.get(Path(entry.path), entry.article_id)
        fidelity.mark_duplicate_titles(report.fidelity, _others_by_title(run))
    return report


def _others_by_title(run: _Run) -> dict[str, list[tuple[str, str]]]:
    """title → [(id, where)] of the book's notebooks, for the report's duplicate-title warning."""
    return {title: [(i, run.layout.rel(p)) for i, p in found] for title, found in run.titles.items()}


def _take(result: Rendered, run: _Run) -> None:
    """One rendered capture: refused, a duplicate of this run, or written (``_write``)."""
    report = run.report
    if isinstance(result, BookError):
        report.refused.append(result)
        return
    path, article_id, text = result.path, result.article_id, result.text
    if article_id in run.this_run:
        first, first_text, first_rank = run.this_run[article_id]
        if notebook.same_content(first_text, text):
            report.duplicates.append((path, first))  # e.g. the same page as .txt and as .html
            return
        first_lines, lines = guard.article_text(first_text), guard.article_text(text)
        if _holds(first_lines, lines) or _holds(lines, first_lines):
            # One capture of the page holds all the other has and more (a site's greeting the
            # .txt caught and the .html page kept outside its article): one article, the fuller.
            report.duplicates.append((path, first))
            target = run.known[article_id]
            if len(lines) > len(first_lines) and target in (*report.new, *report.updated):
                run.this_run[article_id] = (path, text, first_rank)
                run.writes.write(target, text)
            return
        # Two versions of one article: which one is right is the contributor's call.
        if not identity.is_title_id(article_id) or identity.same_article(first_text, text):
            report.refused.append(
                BookError(
                    str(path),
                    1,
                    f"article {article_id} was already imported in this run from {first}, with different text",
                    "keep one capture of each article; remove or rename the other",
                )
            )
            return
        _take_apart(path, first, run)
        return
    target = run.known.get(article_id)
    if identity.is_title_id(article_id):
        current = target.read_text(encoding="utf-8", errors="replace") if target and target.exists() else None
        if current is not None and current != text and not identity.same_article(current, text):
            _take_apart(path, target, run)  # type: ignore[arg-type]
            return
        if current is not None and guard.title(current) != result.title:
            # The notebook took the title of a twin of this capture (``_take_twin``): it keeps the better.
            _take_twin(result, article_id, run)
            return
        if current is None and (twin := run.bodies.twin(text, other_than=article_id)) is not None:
            _take_twin(result, twin, run)
            return
    _note_same_title(result, run)
    _place(path, article_id, text, result.title, result.title_rank, result.folders, run)


def _holds(lines: list[str], others: list[str]) -> bool:
    """Whether ``others`` are ``lines`` with some left out (in order, none changed)."""
    rest = iter(lines)
    return all(any(line == other for line in rest) for other in others)


def _adds_nothing(current: str, text: str) -> bool:
    """Whether a URL-less capture holds only what its notebook has (the .html twin of the .txt
    that was imported, without the greeting the .txt caught): nothing to write, nothing lost.
    The same title, and each of its lines in the notebook, in order.

    With a source URL a shorter re-capture is an edit of the article, and updates it.
    """
    if not notebook.has_capture_record(current) or guard.source_url(text):
        return False
    if guard.title(current) != guard.title(text):
        return False  # a twin under a better title (``_take_twin`` chose it): the title changes
    return _holds(guard.article_text(current), guard.article_text(text))


def _place(path: Path, article_id: str, text: str, title: str, rank: int, folders: tuple[str, ...], run: _Run) -> None:
    """Write a capture's notebook as article ``article_id``, and remember it for the rest of the run."""
    run.this_run[article_id] = (path, text, rank)
    run.run_titles.setdefault(title, []).append((article_id, path))
    if identity.is_title_id(article_id):
        run.bodies.add(article_id, text)
    target = run.known.get(article_id) or run.layout.article_path_in(folders, article_id)
    run.known.setdefault(article_id, target)
    _write_one(path, target, text, run)


def _note_same_title(result: Capture, run: _Run) -> None:
    """A capture whose title another article has, in the book or earlier in this run: the summary says so."""
    book = [(i, Path(run.layout.rel(p))) for i, p in run.titles.get(result.title, [])]
    others = [*book, *run.run_titles.get(result.title, [])]
    other = next((p for i, p in others if i != result.article_id), None)
    if other is not None:
        run.report.same_title.append((result.path, other))


def _write_one(capture: Path, target: Path, text: str, run: _Run) -> None:
    """``_write``, with an error writing this one notebook reported against its capture."""
    try:
        _write(capture, target, text, run.force, run.report, run.writes, run.layout)
    except OSError as exc:
        if is_disk_full(exc):
            raise
        run.report.refused.append(from_os_error(capture, f"write {run.layout.rel(target)}", exc))


def _reread(path: Path, layout: Layout) -> tuple[Article, readers.ReadNotes]:
    """Read a capture again in the main process, for the rare capture whose id is not its own."""
    global _vocab
    if _vocab is None:
        _vocab = load_vocabulary(layout.vocabulary)
    notes = readers.ReadNotes()
    return prepare(readers.read(path, notes), _vocab), notes


def _take_apart(path: Path, other: Path, run: _Run) -> None:
    """A capture whose title id belongs to another article: it gets an id from its title and body."""
    article, notes = _reread(path, run.layout)
    article = dataclasses.replace(article, id=identity.content_id(article))
    text = render(path, article, notes)
    run.report.apart.append((path, article.id, other))
    run.report.same_title.append((path, other))
    run.given[path] = article.id
    if article.id in run.this_run:
        run.report.duplicates.append((path, run.this_run[article.id][0]))
        return
    folders = category_folders(article.category)
    _place(path, article.id, text, article.title, identity.title_rank(notes.title_from), folders, run)


def _take_twin(result: Capture, twin: str, run: _Run) -> None:
    """A URL-less capture whose text is another URL-less article's, under another title.

    One page captured twice (as .txt and as .html, say) is one article: it stays the notebook it
    already is, named by the better of its two titles.  The summary counts it, and the capture's
    note names the notebook or capture it joined.
    """
    path, target = result.path, run.known[twin]
    run.given[path] = twin
    if twin in run.this_run:
        first, _, first_rank = run.this_run[twin]
        run.report.twins.append((path, first))
        if result.title_rank >= first_rank or target not in (*run.report.new, *run.report.updated):
            return  # the first capture's title is as good, or its notebook was not written
        # This capture's title is the better one: its notebook replaces the first's pending write,
        # which stays counted once.
        article, notes = _reread(path, run.layout)
        text = render(path, dataclasses.replace(article, id=twin), notes)
        run.this_run[twin] = (path, text, result.title_rank)
        run.bodies.add(twin, text)
        run.writes.write(target, text)
        return
    current = target.read_text(encoding="utf-8", errors="replace")
    run.report.twins.append((path, Path(run.layout.rel(target))))
    article, notes = _reread(path, run.layout)
    article = dataclasses.replace(article, id=twin)
    recorded = _recorded_title(current)
    if recorded is not None and recorded[1] <= result.title_rank:
        title, _, notes.title_from, notes.title_missing = recorded  # the notebook's title is as good
        article = dataclasses.replace(article, title=title)
    text = render(path, article, notes)
    _place(path, twin, text, article.title, identity.title_rank(notes.title_from), (), run)


def _recorded_title(notebook_text: str) -> tuple[str, int, str, bool] | None:
    """(title, its rank, where it came from, whether it was derived) of a notebook in the book."""
    try:
        meta = notebook.split_front_matter(notebook_text, Path("")).article
    except (ValueError, yaml.YAMLError):
        return None
    capture = meta.get("capture") if isinstance(meta.get("capture"), dict) else {}
    # A notebook from before captures were recorded had its title from its capture's title line.
    title_from = str(capture.get("title_from", "title line"))
    return str(meta.get("title", "")), identity.title_rank(title_from), title_from, bool(meta.get("title_missing"))


def _write(
    capture: Path, target: Path, text: str, force: bool, report: ImportReport, writes: AtomicBatch, layout: Layout
) -> None:
    if not target.exists():
        writes.write(target, text)
        report.new.append(target)
        return
    current = target.read_text(encoding="utf-8", errors="replace")
    if current == text or (notebook.has_capture_record(current) and notebook.same_content(current, text)):
        # The same article read from another capture of it (a .html twin): the first record stays.
        report.unchanged.append(target)
        return
    if not force:
        if notebook.is_edited(current):
            report.kept.append(target)
            return
        if _adds_nothing(current, text):
            report.unchanged.append(target)
            return
        if (refusal := guard.refusal(capture, str(layout.rel(target)), current, text)) is not None:
            report.refused.append(refusal)
            report.guarded.append(refusal)
            return
    writes.write(target, text)
    report.updated.append(target)
