"""The catalog: tables derived from the notebooks (the source of truth once imported).

``scan`` reads every article notebook into an :class:`Entry`; ``derive``
turns entries into the three tables; ``write`` stores them under ``data/``;
``load`` is the API analysts use (``from book import catalog; catalog.load()``).
"""

from __future__ import annotations

import dataclasses
import hashlib
import heapq
import io
import json
import os
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from ..errors import BookError
from ..escape import unescape
from ..fsutil import AtomicBatch, write_bytes_if_changed, write_if_changed
from ..layout import Layout, find_root, stub_path
from ..model import Entry, Stub, Tables
from ..notebook import Page, split_front_matter, syntax
from ..slug import title_key
from . import citations, similar
from .cache import ScanCache
from .tagging import KeywordModel, Vocabulary, load_dictionary, term_frequencies

ARTICLE_COLUMNS = [
    "id",
    "title",
    "category",
    "topic",
    "author",
    "date",
    "views",
    "sections",
    "chars",
    "path",
    "is_stub",
]
TAG_COLUMNS = ["article_id", "tag", "weight", "source"]
RELATION_COLUMNS = ["source_id", "target_id", "kind", "weight"]
SHARED_TAGS_MIN = 2  # two articles sharing this many non-category tags are related
SHARED_TAGS_PER_ARTICLE = 5


# --- reading notebooks -------------------------------------------------------


def entry_from_page(page: Page, rel: str) -> Entry:
    """Read an article notebook's metadata and text.  Raises ValueError on missing essentials."""
    meta = page.article
    if not meta:
        raise ValueError("the front matter has no 'article:' metadata")
    for key in ("id", "title"):
        if not str(meta.get(key) or "").strip():
            raise ValueError(f"the article metadata has no '{key}'")
    category = meta.get("category") or ["未分类"]
    if isinstance(category, str):
        category = [category]
    entry = Entry(
        id=str(meta["id"]),
        title=str(meta["title"]),
        category=tuple(str(c) for c in category),
        topic=str(meta.get("topic") or ""),
        author=str(meta.get("author") or ""),
        date=str(meta.get("date") or ""),
        views=_int_or_none(meta.get("views")),
        path=rel,
        tags=[str(t) for t in meta.get("tags") or []],
        related=[r for r in meta.get("related") or [] if isinstance(r, dict) and (r.get("title") or r.get("id"))],
        source_url=str(meta.get("source_url") or ""),
    )
    for cell in syntax.cells(page.body):
        if cell.part == "related":
            heading = next((h for line in cell.lines if (h := syntax.HEADING.match(line.strip()))), None)
            entry.related_heading = unescape(heading.group(2)) if heading else ""
        if cell.part in (syntax.HEAD, "source", "related"):
            continue
        for line in cell.lines:
            line = line.strip()
            if not line or syntax.MARKUP_LINE.match(line) or syntax.BOLD_LINE.match(line):
                continue
            if targets := citations.targets_in(line):
                shown = citations.shown_line(line)
                entry.links += [(target, shown) for target in targets]
            if h := syntax.HEADING.match(line):
                entry.headings.append(unescape(h.group(2)))
                entry.sections += 1
            elif cell.part == "intro":
                entry.intro.append(unescape(line))
            elif cell.part == "summary":
                entry.summary.append(unescape(line))
            else:
                entry.body_chars += len(unescape(line))
    return entry


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def scan(
    layout: Layout, cache: ScanCache | None = None, notebooks: list[Path] | None = None
) -> tuple[list[Entry], list[BookError]]:
    """Every article notebook (or those given), in path order, plus a problem for each that
    cannot be read.

    With a cache, notebooks unchanged since the last scan are not read again."""
    entries: list[Entry] = []
    problems: list[BookError] = []
    for path in layout.article_notebooks() if notebooks is None else notebooks:
        rel = layout.rel(path)
        stat = path.stat()
        stamp = (stat.st_mtime_ns, stat.st_size)
        if cache is not None and isinstance(known := cache.entry(rel, stamp), Entry):
            entries.append(known)
            continue
        try:
            page = split_front_matter(path.read_text(encoding="utf-8"), path)
            entry = entry_from_page(page, rel)
            entries.append(entry)
            if cache is not None:
                cache.put(rel, stamp, entry)
        except yaml.YAMLError as exc:
            # Where the broken construct starts is where the mistake usually is.
            mark = getattr(exc, "context_mark", None) or getattr(exc, "problem_mark", None)
            line = (mark.line + 2) if mark is not None else 1  # +1 for 1-based, +1 for the opening '---'
            problems.append(
                BookError(
                    rel,
                    line,
                    f"the front matter is not valid YAML ({_first_line(exc)})",
                    "fix the YAML between the two '---' lines",
                )
            )
        except (ValueError, UnicodeDecodeError) as exc:
            problems.append(BookError(rel, 1, str(exc), "restore the front matter written by `python -m book import`"))
    return entries, problems


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0]


# --- deriving tables ---------------------------------------------------------


def stubs_for(entries: Iterable[Entry], vocab: Vocabulary) -> dict[str, Stub]:
    """Related titles that no article in the corpus has: each gets a stub page."""
    entries = list(entries)
    known = {title_key(e.title) for e in entries}
    stubs: dict[str, Stub] = {}
    for e in entries:
        for rel in e.related:
            if rel.get("id") is not None:  # linked by id: an article, or a dangling id `check` reports
                continue
            key = title_key(rel["title"])
            if key in known:
                continue
            stub = stubs.get(key)
            if stub is None:
                stub = stubs[key] = Stub(
                    id=key,
                    title=" ".join(rel["title"].split()),
                    excerpt=str(rel.get("excerpt") or ""),
                    category=e.category,
                    topic=vocab.topic(rel["title"]),
                    referrers=[],
                    source_site=_site(e.source_url),
                )
            if e.id not in stub.referrers:
                stub.referrers.append(e.id)
    return dict(sorted(stubs.items()))


def _site(url: str) -> str:
    m = re.match(r"^(https?://[^/]+)", url)
    return m.group(1) if m else ""


# Below this many notebooks to segment, forking a second process costs more than it saves.
PARALLEL_TF_FROM = 200


def term_frequencies_of(
    entries: list[Entry], vocab: Vocabulary, cache: ScanCache | None = None, jobs: int = 1
) -> list[Counter[str]]:
    """Each entry's keyword counts (jieba), from the cache where the notebook is unchanged.

    With ``jobs`` > 1 the missing ones are counted on that many processes, forked so that
    they share jieba's dictionary and the curated words (a fresh index of 1,000 articles
    spent 1.2 s here on one core)."""
    tfs: list[Counter[str] | None] = [cache.tf(e.path, e) if cache is not None else None for e in entries]
    missing = [i for i, tf in enumerate(tfs) if tf is None]
    texts = [entries[i].about_texts() for i in missing]
    if jobs > 1 and len(missing) >= PARALLEL_TF_FROM and hasattr(os, "fork"):
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        load_dictionary()
        _counting_vocabulary[0] = vocab
        from ..lifeline import die_with_parent

        context = multiprocessing.get_context("fork")
        lifeline = {"initializer": die_with_parent, "initargs": (os.getpid(),)}
        with ProcessPoolExecutor(jobs, mp_context=context, **lifeline) as pool:
            counted = list(pool.map(_count_terms, texts, chunksize=max(1, len(texts) // (4 * jobs))))
        _counting_vocabulary[0] = None
    else:
        counted = [term_frequencies(t, vocab) for t in texts]
    for i, tf in zip(missing, counted, strict=True):
        tfs[i] = tf
        if cache is not None:
            cache.put_tf(entries[i].path, entries[i], tf)
    return [tf for tf in tfs if tf is not None]


# The vocabulary the forked counting processes inherit (a module global, not an argument,
# so it is not pickled once per task).
_counting_vocabulary: list[Vocabulary | None] = [None]


def _count_terms(texts: list[str]) -> Counter[str]:
    vocab = _counting_vocabulary[0]
    assert vocab is not None
    return term_frequencies(texts, vocab)


def derive(
    entries: list[Entry],
    vocab: Vocabulary,
    tfs: list[Counter[str]] | None = None,
    stubs: dict[str, Stub] | None = None,
) -> Tables:
    """The three tables, deterministic for the same entries."""
    if stubs is None:
        stubs = stubs_for(entries, vocab)
    if tfs is None:
        tfs = [term_frequencies(e.about_texts(), vocab) for e in entries]
    model = KeywordModel(tfs)

    tag_rows: list[list[Any]] = []
    tags_of: dict[str, set[str]] = {}
    for e, tf in zip(entries, tfs, strict=True):
        seen: set[str] = set()
        category_tag = e.category[-1]
        tag_rows.append([e.id, category_tag, 1.0, "category"])
        seen.add(category_tag)
        for tag in e.tags:
            tag = vocab.canonical(tag)
            if tag not in seen:
                tag_rows.append([e.id, tag, 1.0, "curated"])
                seen.add(tag)
        for word, score in model.keywords(tf):
            if word not in seen:
                tag_rows.append([e.id, word, score, "keyword"])
                seen.add(word)
        tags_of[e.id] = seen - {category_tag}

    by_title = {title_key(e.title): e.id for e in entries}
    relation_rows: list[list[Any]] = []
    for e in entries:
        targets: list[str] = []
        for rel in e.related:
            if rel.get("id") is not None:
                target = str(rel["id"])
            else:
                target = by_title.get(title_key(rel["title"]), title_key(rel["title"]))
            if target != e.id and target not in targets:
                targets.append(target)
        relation_rows += [[e.id, t, "related", 1.0] for t in targets]
    relation_rows += [[source, target, "cites", 1.0] for source, target, _ in citations.cited(entries)]
    relation_rows += _shared_tag_relations(tags_of)
    ranked = similar.similar([e.id for e in entries], tfs, [tags_of[e.id] for e in entries], [e.title for e in entries])
    relation_rows += [[source, target, "similar", score] for source, found in ranked.items() for target, score in found]

    tags = pd.DataFrame(tag_rows, columns=TAG_COLUMNS)
    relations = pd.DataFrame(relation_rows, columns=RELATION_COLUMNS)
    return Tables(
        articles=articles_table(entries, stubs),
        tags=tags.sort_values(["article_id", "source", "tag"], kind="stable").reset_index(drop=True),
        relations=relations.sort_values(["kind", "source_id", "target_id"], kind="stable").reset_index(drop=True),
    )


def articles_table(entries: list[Entry], stubs: dict[str, Stub]) -> pd.DataFrame:
    """The articles table alone: the one table that an article's text (its length and sections) reaches."""
    rows = [
        [e.id, e.title, e.category_name, e.topic, e.author, e.date, e.views, e.sections, e.chars, e.path, False]
        for e in entries
    ] + [
        [s.id, s.title, " > ".join(s.category), s.topic, "", "", None, 0, len(s.excerpt), stub_path(s.id), True]
        for s in stubs.values()
    ]
    articles = pd.DataFrame(rows, columns=ARTICLE_COLUMNS)
    articles["views"] = articles["views"].astype("Int64")
    return articles.sort_values(["is_stub", "category", "topic", "id"], kind="stable").reset_index(drop=True)


# Entry fields that only the articles table reads (as `sections` and `chars`).  Every other
# field, and the keyword counts, also feed the tags and relations tables and the generated pages.
TEXT_FIELDS = frozenset({"headings", "intro", "body_chars", "summary", "sections"})


def shape_digest(entries: list[Entry], tfs: list[Counter[str]]) -> str:
    """A digest of everything about the entries except their text: when it is the same as at
    the last index, only the articles table can have changed."""
    digest = hashlib.sha256()
    memo = _shape_memo
    for entry, tf in zip(entries, tfs, strict=True):
        known = memo.get(id(entry))
        if known is not None and known[0] is entry and known[1] is tf:
            part = known[2]
        else:
            fields = {f.name: getattr(entry, f.name) for f in dataclasses.fields(entry) if f.name not in TEXT_FIELDS}
            part = json.dumps([fields, sorted(tf.items())], ensure_ascii=False, sort_keys=True).encode()
            memo[id(entry)] = (entry, tf, part)
        digest.update(part)
        digest.update(b"\0")
    if len(memo) > 2 * len(entries):  # entries replaced by edits: keep the memo the book's size
        live = {id(entry) for entry in entries}
        for key in [key for key in memo if key not in live]:
            del memo[key]
    return digest.hexdigest()


# Each entry's part of the shape digest, by the entry and counts it was made from (the
# same objects while ``book serve``'s scan cache holds them; entries are never changed).
_shape_memo: dict[int, tuple[Entry, Counter[str], bytes]] = {}


def _shared_tag_relations(tags_of: dict[str, set[str]]) -> list[list[Any]]:
    """Pairs of articles that share tags, weighted by Jaccard similarity, a few per article.

    Tags carried by a large share of the corpus say little about a pair and
    would make this quadratic, so they are left out of the pairing (they still
    count in the union).
    """
    postings: dict[str, list[str]] = defaultdict(list)
    for article_id, tags in tags_of.items():
        for tag in tags:
            postings[tag].append(article_id)
    limit = max(50, len(tags_of) // 20)
    common = {tag for tag, ids in postings.items() if len(ids) > limit}
    # |A ∪ B| = |A| + |B| - |A ∩ B|, and A ∩ B is the n paired tags plus the common tags both
    # carry: a few per article, so no set is built per pair (1.4 s at 10,000 articles before).
    common_of = {article_id: tags & common for article_id, tags in tags_of.items()}
    size = {article_id: len(tags) for article_id, tags in tags_of.items()}
    best: dict[tuple[str, str], float] = {}
    for article_id, tags in sorted(tags_of.items()):
        shared: Counter[str] = Counter()
        for tag in tags:
            if tag not in common:
                shared.update(postings[tag])  # a list counts in C; a filtering generator did not
        del shared[article_id]
        mine, my_size = common_of[article_id], size[article_id]
        scored = [
            (round(n / (my_size + size[other] - n - (len(mine & common_of[other]) if mine else 0)), 4), other)
            for other, n in shared.items()
            if n >= SHARED_TAGS_MIN
        ]
        for weight, other in heapq.nsmallest(SHARED_TAGS_PER_ARTICLE, scored, key=lambda x: (-x[0], x[1])):
            best[tuple(sorted((article_id, other)))] = weight
    return [[a, b, "shared-tags", w] for (a, b), w in sorted(best.items())]


# --- storing and loading -----------------------------------------------------

TABLE_FILES = {"articles": "articles.csv", "tags": "tags.csv", "relations": "relations.csv"}
_ID_COLUMNS = {"id", "article_id", "source_id", "target_id"}


def table_files(layout: Layout) -> list[Path]:
    csvs = [layout.data / file for file in TABLE_FILES.values()]
    return [*csvs, *(path.with_suffix(".parquet") for path in csvs)]


def write(layout: Layout, tables: Tables, batch: AtomicBatch | None = None) -> list[Path]:
    """Store the tables as CSV (and Parquet, for analysts' tools); returns the files that changed
    (written at ``batch``'s commit if one is given)."""
    changed = []
    for name in TABLE_FILES:
        changed += write_table(layout, name, getattr(tables, name), batch)
    return changed


def write_table(layout: Layout, name: str, frame: pd.DataFrame, batch: AtomicBatch | None = None) -> list[Path]:
    """Store one table (``articles``, ``tags`` or ``relations``); returns the files that changed."""
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, lineterminator="\n")
    path = layout.data / TABLE_FILES[name]
    parquet, out = path.with_suffix(".parquet"), io.BytesIO()
    frame.to_parquet(out, index=False)
    # Each file on its own: a Parquet file changed by hand is restored even if its CSV was not.
    changed = [path] if write_if_changed(path, buffer.getvalue(), batch) else []
    return changed + ([parquet] if write_bytes_if_changed(parquet, out.getvalue(), batch) else [])


def load(root: Path | None = None) -> Tables:
    """The three tables as pandas DataFrames (ids as strings)."""
    layout = Layout(root or find_root())
    frames = {}
    for name, file in TABLE_FILES.items():
        path = layout.data / file
        if not path.exists():
            raise FileNotFoundError(f"{path} does not exist: run `python -m book index` first")
        frame = pd.read_csv(path, dtype={c: str for c in _ID_COLUMNS}, keep_default_na=False, na_values=[""])
        for column in ("category", "topic", "author", "date", "title"):
            if column in frame:
                frame[column] = frame[column].fillna("")
        if "views" in frame:
            frame["views"] = frame["views"].astype("Int64")
        frames[name] = frame
    return Tables(**frames)
