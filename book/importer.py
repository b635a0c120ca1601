"""``python -m book import``: captures → article notebooks.

Each capture is read, tagged with the curated vocabulary, rendered and written
atomically.  A problem with one file is reported and the batch goes on.  A
notebook someone edited since it was written is kept as it is (``--force``
overwrites it).  A notebook is found by its article id wherever it lives under
``notebooks/``, so a contributor may move or rename it.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from tqdm import tqdm

from . import notebook, readers
from .errors import BookError
from .fsutil import atomic_write, remove_stale_temporaries
from .layout import Layout
from .model import Article
from .tagging import Vocabulary, load_vocabulary

_ID_LINE = re.compile(r"^  id: (.+)$", re.MULTILINE)


@dataclass
class ImportReport:
    new: list[Path] = field(default_factory=list)
    updated: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)  # edited by a contributor; not overwritten
    refused: list[BookError] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{len(self.new)} imported, {len(self.updated)} updated, {len(self.unchanged)} unchanged, "
            f"{len(self.kept)} kept (edited by hand), {len(self.refused)} refused"
        )


def existing_ids(layout: Layout) -> dict[str, Path]:
    """Article id → notebook path, read from each notebook's front matter (fast path: the id line)."""
    found: dict[str, Path] = {}
    for path in layout.article_notebooks():
        head = path.read_text(encoding="utf-8", errors="replace")[:4096]
        m = _ID_LINE.search(head)
        if not m:
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


def import_paths(layout: Layout, paths: Iterable[Path], force: bool = False, progress: bool = True) -> ImportReport:
    report = ImportReport()
    remove_stale_temporaries(layout.notebooks)
    files, problems = readers.find_captures(paths)
    report.refused += problems
    vocab = load_vocabulary(layout.vocabulary)
    known = existing_ids(layout)
    batch: dict[str, tuple[Path, str]] = {}  # id → (capture, rendered text) imported in this run
    for path in tqdm(files, desc="import", unit="article", disable=not progress, leave=False):
        try:
            article = prepare(readers.read(path), vocab)
            text = notebook.writes(article)
        except BookError as exc:
            report.refused.append(exc)
            continue
        if article.id in batch:
            first, first_text = batch[article.id]
            if first_text != text:
                report.refused.append(
                    BookError(
                        str(path),
                        1,
                        f"article {article.id} was already imported in this run from {first}, with different text",
                        "keep one capture of each article; remove or rename the other",
                    )
                )
            continue
        batch[article.id] = (path, text)
        target = known.get(article.id) or layout.article_path(article.category, article.id)
        _write(target, text, force, report)
    return report


def _write(target: Path, text: str, force: bool, report: ImportReport) -> None:
    if not target.exists():
        atomic_write(target, text)
        report.new.append(target)
        return
    current = target.read_text(encoding="utf-8", errors="replace")
    if current == text:
        report.unchanged.append(target)
    elif notebook.is_edited(current) and not force:
        report.kept.append(target)
    else:
        atomic_write(target, text)
        report.updated.append(target)
