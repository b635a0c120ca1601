"""``python -m book index``: notebooks → data tables, generated pages and ``_toc.yml``.

Only files whose content changes are rewritten, so Sphinx rebuilds only what
an edit touched.  Generated pages that no longer belong are removed (only
inside ``notebooks/_index/``, which holds nothing but generated pages).  When
nothing changed since the last run, nothing is derived (``book.catalog.index_state``).
"""

from __future__ import annotations

import gc
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..catalog import index_state
from ..catalog.cache import ScanCache
from ..errors import BookError, DiskFull, is_disk_full, shown
from ..layout import Layout

if TYPE_CHECKING:  # catalog imports pandas, which a book with nothing to index never needs
    from ..catalog import Entry
    from ..catalog.tagging import Vocabulary


# What `index` writes under notebooks/_index/: pages, each article's neighbours, topic graphs,
# the landing page's overview.
GENERATED_SUFFIXES = (".md", ".json", ".svg", ".part")


@dataclass
class IndexReport:
    articles: int = 0
    stubs: int = 0
    topics: int = 0
    changed: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    problems: list[BookError] = field(default_factory=list)
    # Of the problems: notebooks sharing an article id, which the tables cannot hold (build refuses).
    duplicates: list[BookError] = field(default_factory=list)
    # What was derived: "all" (tables, pages, toc), "articles" (only article text had changed,
    # so only the articles table) or "nothing" (no input or output changed since the last run).
    derived: str = "all"


def index(layout: Layout, cache: ScanCache | None = None) -> IndexReport:
    """Bring the tables, generated pages and toc up to date with the notebooks.

    ``cache``: a scan cache the caller keeps between runs (``book serve``), neither loaded nor
    saved here; by default the one in ``_build/.book-cache`` is loaded and saved."""
    state_file = layout.cache / "index-state.json"
    notebooks = layout.article_notebooks()
    inputs = index_state.inputs_digest(layout, notebooks)
    state = index_state.load(state_file)
    if index_state.up_to_date(state, layout, inputs):
        assert state is not None
        return IndexReport(**state.counts, derived="nothing")
    index_state.forget(state_file)
    # Deriving allocates millions of small objects that live until it ends; the cyclic
    # collector walking them over and over was a sixth of the run at 10,000 articles.
    gc.disable()
    try:
        report, outputs, shape = _derive_and_write(layout, notebooks, state, cache)
    except OSError as exc:
        if not is_disk_full(exc):
            raise
        raise DiskFull(
            f"index: no space left on the disk of {shown(exc.filename or layout.root)}: stopped; the tables, "
            "generated pages and _toc.yml are as they were (free some space, then run it again)"
        ) from exc
    finally:
        gc.enable()
    if not report.problems:  # a run with problems is repeated, so they are reported again
        counts = {"articles": report.articles, "stubs": report.stubs, "topics": report.topics}
        index_state.save(state_file, index_state.record(layout, inputs, outputs, counts, shape))
    return report


def warm(layout: Layout, cache: ScanCache) -> None:
    """Read into memory what the next ``index`` will need (``book serve``, at start): every
    notebook into ``cache`` with its keyword counts, their digests, and the modules."""
    from .. import catalog

    _, entries, _, tfs = _read(layout, layout.article_notebooks(), cache)
    catalog.shape_digest(entries, tfs)


def _read(
    layout: Layout, notebooks: list[Path], cache: ScanCache
) -> tuple[Vocabulary, list[Entry], list[BookError], list[Counter[str]]]:
    """The vocabulary, the notebooks' catalog entries (and problems) and their keyword counts."""
    from .. import catalog
    from ..catalog.tagging import load_vocabulary
    from ..lifeline import default_jobs

    vocab = load_vocabulary(layout.vocabulary)
    entries, problems = catalog.scan(layout, cache, notebooks)
    return vocab, entries, problems, catalog.term_frequencies_of(entries, vocab, cache, jobs=default_jobs())


def _derive_and_write(
    layout: Layout, notebooks: list[Path], last: index_state.IndexState | None, kept: ScanCache | None
) -> tuple[IndexReport, list[Path], str]:
    # Imported here: a book with nothing to index never pays for pandas and jieba.
    from .. import catalog
    from ..fsutil import AtomicBatch, write_if_changed
    from ..site import neighbours, pages, toc

    cache = kept if kept is not None else ScanCache.load(layout.cache / "scan.pickle", layout.vocabulary)
    vocab, entries, problems, tfs = _read(layout, notebooks, cache)
    stubs = catalog.stubs_for(entries, vocab)
    if kept is None:
        cache.save()
    from .check import duplicate_ids

    report = IndexReport(articles=len(entries), problems=problems, duplicates=duplicate_ids(entries))
    report.problems += report.duplicates
    shape = index_state.shape(layout, catalog.shape_digest(entries, tfs))
    if last is not None and last.shape == shape and index_state.outputs_untouched(last, layout):
        # Only articles' text changed since the last run: the keyword tables, the generated
        # pages and the toc are what it wrote and left untouched; lengths and sections are new.
        report.changed += catalog.write_table(layout, "articles", catalog.articles_table(entries, stubs))
        report.stubs, report.topics = len(stubs), last.counts.get("topics", 0)
        report.derived = "articles"
        return report, [layout.root / rel for rel in last.outputs], shape
    tables = catalog.derive(entries, vocab, tfs, stubs)

    by_id = {e.id: e for e in entries}
    topic_list = pages.topics(entries, stubs)
    report.stubs, report.topics = len(stubs), len(topic_list)
    wanted: dict[Path, str] = {}
    by_category: dict[tuple[str, ...], list[pages.Topic]] = {}
    topic_graphs = pages.topic_graphs(topic_list, tables)
    for topic in topic_list:
        graph = topic_graphs.get(topic.path)
        if graph is not None:
            wanted[layout.root / pages.graph_path(topic)] = graph[0]
        wanted[layout.root / topic.path] = pages.topic_page(topic, graph[1] if graph else 0)
        by_category.setdefault(topic.category, []).append(topic)
    for category, topics_of in by_category.items():
        folder = Path(topics_of[0].path).parent
        wanted[layout.root / folder / f"{pages.CATEGORY_PAGE}.md"] = pages.category_page(category, topics_of)
    buckets: dict[str, list[catalog.Stub]] = {}
    for stub in stubs.values():
        buckets.setdefault(catalog.stub_path(stub.id), []).append(stub)
    for path, group in buckets.items():
        wanted[layout.root / path] = pages.stub_page(group, by_id)
    for path, text in pages.tag_pages(tables, by_id).items():
        wanted[layout.root / path] = text
    wanted[layout.root / pages.OVERVIEW] = pages.overview(entries, stubs, topic_list, tables)
    for path, text in neighbours.neighbours(entries, tables).items():
        wanted[layout.root / path] = text
    wanted[layout.toc] = toc.dumps(toc.toc(topic_list))

    # Tables, pages and toc are one unit, renamed into place once all are on disk (one sync:
    # 831 pages for 1,000 articles from scratch), so a full disk leaves the old set whole, never
    # new tables beside old pages; a kill is repaired by the next run, which derives it all again.
    with AtomicBatch() as writes:
        report.changed += catalog.write(layout, tables, writes)
        for path, text in wanted.items():
            if write_if_changed(path, text, writes):
                report.changed.append(path)
    if layout.generated.exists():
        made = [path for suffix in GENERATED_SUFFIXES for path in layout.generated.rglob(f"*{suffix}")]
        for path in sorted(made):
            if path not in wanted:
                path.unlink()
                report.removed.append(path)
    return report, [*wanted, *catalog.table_files(layout)], shape
