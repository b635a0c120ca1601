"""Sphinx's search index kept in memory between the builds of one Sphinx application.

Every Sphinx build reloads ``searchindex.js`` (34 MB at 10,000 articles),
drops the pages it is about to rebuild from every word, feeds them again and
freezes and serialises the whole index: about 4 s at 10,000 articles
whatever changed (profile of ``book serve``'s rebuild).  A long-running build
(``book.live``) keeps the index it fed last time instead, drops only the
rebuilt pages from only the words that held them, and re-freezes only the
words whose pages changed, serialising each word once and re-using the text
of the others.

The bytes written are the ones Sphinx's own incremental build writes
(``tests/test_live_search.py`` compares them), including its habit of keeping a word
whose pages were all removed, with an empty list.  One difference is on
purpose: Sphinx's reloaded index forgets the ``index`` directive entries of
the pages it did not rebuild; this one keeps them, as a build from scratch
would.
"""

from __future__ import annotations

import bisect
import json
from collections.abc import Iterable
from typing import IO, Any

from sphinx.search import IndexBuilder, js_index

TERM_TABLES = ("terms", "titleterms")
# Parts of the frozen index that ``freeze`` builds anew each time (``objnames`` is the
# indexer's own table, changed in place): a part equal to last time's has last time's JSON.
FRESH_EACH_FREEZE = frozenset({"docnames", "filenames", "titles", "alltitles", "objects", "indexentries"})


class _Table:
    """One word → pages table of the frozen index, with each word's JSON text cached."""

    def __init__(self) -> None:
        self.frozen: dict[str, list[int] | int] = {}
        self.text: dict[str, str] = {}
        self.order: list[str] | None = None  # the words, sorted; None when words came or went
        self.whole: str | None = None  # the table's text, when nothing changed since ``reset``

    def reset(self, frozen: dict[str, list[int] | int]) -> None:
        self.frozen = frozen
        self.text = {}
        self.order = None
        self.whole = None

    def renumber(self, frozen: dict[str, list[int] | int]) -> None:
        """Take a new table after pages came or went, keeping the text of every word whose
        entry is unchanged (pages numbered before the first page that came or went)."""
        old = self.frozen
        self.text = {word: text for word, text in self.text.items() if frozen.get(word, None) == old[word]}
        self.frozen = frozen
        self.order = None
        self.whole = None

    def prepare(self) -> None:
        """Make each word's text now (the server's idle time), so the next change pays for its
        own words only."""
        self.dumps(cache_words=True)

    def set(self, word: str, value: list[int] | int | None) -> None:
        if value is not None and self.frozen.get(word) == value:
            # Most words of an edited page still list it: their entry and text stand.
            return
        if value is None:
            if word in self.frozen:
                del self.frozen[word]
                self.order = None
        else:
            if word not in self.frozen:
                self.order = None
            self.frozen[word] = value
        self.text.pop(word, None)
        self.whole = None

    def dumps(self, cache_words: bool = False) -> str:
        if self.whole is not None and not cache_words:
            return self.whole
        if not self.text and not cache_words:
            # Every number changed (pages came or went): one pass of the C encoder is twice as
            # fast as a word at a time; the words' own texts wait for ``prepare``.
            self.whole = json.dumps(self.frozen, sort_keys=True)
            return self.whole
        if self.order is None:
            self.order = sorted(self.frozen)
        text, frozen = self.text, self.frozen
        parts = []
        for word in self.order:
            part = text.get(word)
            if part is None:
                part = text[word] = f"{json.dumps(word)}: {json.dumps(frozen[word])}"
            parts.append(part)
        self.whole = "{" + ", ".join(parts) + "}"
        return self.whole


def _frozen_value(pages: set[str], fn2index: dict[str, int]) -> list[int] | int | None:
    """One word's entry as ``IndexBuilder.get_terms`` makes it (``None``: no entry)."""
    if len(pages) == 1:
        (page,) = pages
        return fn2index[page] if page in fn2index else None
    return sorted(fn2index[page] for page in pages if page in fn2index)


def _updated_value(
    old: list[int] | int | None, pages: set[str], fn2index: dict[str, int], changed: list[tuple[str, int]]
) -> list[int] | int | None:
    """``_frozen_value(pages, fn2index)``, from the word's last entry when only the pages in
    ``changed`` (name, number) can have come or gone: a common word lists most of the book,
    and sorting it again for each edit was most of the freeze."""
    if len(pages) <= 1 or not isinstance(old, list):
        return _frozen_value(pages, fn2index)
    numbers = old.copy()
    for page, number in changed:
        at = bisect.bisect_left(numbers, number)
        present = at < len(numbers) and numbers[at] == number
        if page in pages and not present:
            numbers.insert(at, number)
        elif page not in pages and present:
            del numbers[at]
    return numbers


class LiveIndex:
    """The search index of one long-running Sphinx application (see the module doc)."""

    def __init__(self) -> None:
        self.indexer: IndexBuilder | None = None
        self.docnames: tuple[str, ...] | None = None  # the pages of the last freeze, in order
        self.tables = (_Table(), _Table())
        self.dirty: tuple[set[str], set[str]] = (set(), set())  # words whose pages changed since
        self.rebuilt: set[str] = set()  # pages fed again since the last freeze
        self.texts: dict[str, tuple[Any, str]] = {}  # the frozen index's other parts, and their JSON

    def install(self, builder: Any) -> None:
        """Make ``builder`` (Sphinx's HTML builder) keep its index in this object between builds."""
        sphinx_load_indexer = builder.load_indexer

        def load_indexer(docnames: Iterable[str]) -> None:
            if self.indexer is None:
                sphinx_load_indexer(docnames)  # the first build: the index on disk
                self.adopt(builder.indexer)
            else:
                self.reuse(builder, docnames)

        builder.load_indexer = load_indexer

    def warm(self, builder: Any) -> None:
        """Load and freeze the index now rather than in the next build."""
        if self.indexer is not None or not getattr(builder, "search", False):
            return
        config = builder.config
        builder.indexer = IndexBuilder(
            builder.env, config.html_search_language or config.language,
            config.html_search_options, config.html_search_scorer,
        )  # fmt: skip
        builder.load_indexer(set())
        self.dumps(builder.indexer.freeze())
        self.prepare()

    def adopt(self, indexer: IndexBuilder) -> None:
        """Take over an index Sphinx built (and loaded) itself; everything is frozen afresh."""
        self.indexer = indexer
        self.docnames = None
        self.rebuilt = set()
        self.dirty = (set(), set())
        self._attach(indexer)

    def reuse(self, builder: Any, docnames: Iterable[str]) -> None:
        """``load_indexer`` for a build after the first: the index in memory, minus ``docnames``."""
        assert self.indexer is not None
        indexer = self.indexer
        indexer.env = builder.env
        builder.indexer = indexer
        rebuilt = set(docnames)
        self.rebuilt |= rebuilt
        self.prune(set(builder.env.all_docs) - rebuilt)

    def _attach(self, indexer: IndexBuilder) -> None:
        indexer.prune = self.prune  # type: ignore[method-assign]
        indexer.get_terms = self.get_terms  # type: ignore[method-assign]
        indexer.dump = self.dump  # type: ignore[method-assign]

    def prune(self, keep: Iterable[str]) -> None:
        """``IndexBuilder.prune``: the same tables, touching only the words of dropped pages."""
        indexer = self.indexer
        assert indexer is not None
        keep = keep if isinstance(keep, (set, frozenset, dict)) else set(keep)
        gone = {page for page in indexer._titles if page not in keep}
        # Pages in a word table are always titled (``feed`` titles a page first, and both
        # prunes drop the same pages); a page known only to a word table would survive here.
        if not gone:
            return
        for table, dirty in zip((indexer._mapping, indexer._title_mapping), self.dirty, strict=True):
            for word, pages in table.items():
                if not pages.isdisjoint(gone):
                    pages -= gone
                    dirty.add(word)
        for name in ("_titles", "_filenames", "_all_titles", "_index_entries"):
            table = getattr(indexer, name)
            for page in gone:
                table.pop(page, None)

    def get_terms(self, fn2index: dict[str, int]) -> tuple[dict[str, list[int] | int], dict[str, list[int] | int]]:
        """``IndexBuilder.get_terms``, recomputing only the words whose pages changed when the
        pages (and so their numbers) are the ones of the last freeze."""
        indexer = self.indexer
        assert indexer is not None
        docnames = tuple(fn2index)
        mappings = (indexer._mapping, indexer._title_mapping)
        if self.docnames is None:
            frozen = IndexBuilder.get_terms(indexer, fn2index)
            for table, terms in zip(self.tables, frozen, strict=True):
                table.reset(terms)
        elif docnames != self.docnames:
            # Pages came or went, so pages are numbered anew; a word whose pages did not change
            # keeps its pages, renumbered (both numberings follow the names' order, so its list
            # stays sorted).  The others are frozen from their pages.
            remap = [fn2index.get(name, -1) for name in self.docnames]
            gone = -1 in remap
            rebuilt = self.rebuilt
            changed = [(page, fn2index[page]) for page in rebuilt if page in fn2index]
            for table, mapping, dirty in zip(self.tables, mappings, self.dirty, strict=True):
                if rebuilt:
                    dirty.update(word for word, pages in mapping.items() if not pages.isdisjoint(rebuilt))
                renumbered: dict[str, list[int] | int] = {}
                for word, value in table.frozen.items():
                    if isinstance(value, int):
                        if remap[value] >= 0:
                            renumbered[word] = remap[value]
                    elif gone and word in dirty:  # only a word of a dropped page can hold one
                        renumbered[word] = [remap[i] for i in value if remap[i] >= 0]
                    else:
                        renumbered[word] = [remap[i] for i in value]
                for word in dirty:
                    # A page fed again has its new number; one dropped is gone from the list.
                    pages = mapping.get(word)
                    value = None if pages is None else _updated_value(renumbered.get(word), pages, fn2index, changed)
                    if value is None:
                        renumbered.pop(word, None)
                    else:
                        renumbered[word] = value
                table.renumber(renumbered)
        else:
            rebuilt = self.rebuilt
            # The pages are the same, so every page whose words may differ was fed again (a page
            # dropped and not fed again has left the index, and the pages with it).
            changed = [(page, fn2index[page]) for page in rebuilt if page in fn2index]
            for table, mapping, dirty in zip(self.tables, mappings, self.dirty, strict=True):
                if rebuilt:
                    dirty.update(word for word, pages in mapping.items() if not pages.isdisjoint(rebuilt))
                for word in dirty:
                    pages = mapping.get(word)
                    value = None if pages is None else _updated_value(table.frozen.get(word), pages, fn2index, changed)
                    table.set(word, value)
        self.docnames = docnames
        self.rebuilt = set()
        self.dirty = (set(), set())
        # Sphinx's freeze puts these in the frozen dict; ``dump`` serialises them from the tables.
        return self.tables[0].frozen, self.tables[1].frozen

    def prepare(self) -> None:
        """Make every word's text now, while the server waits for the next save."""
        for table in self.tables:
            table.prepare()

    def dumps(self, frozen: dict[str, Any]) -> str:
        """``json.dumps(frozen, sort_keys=True)``, with the word tables from their cached text."""
        parts = []
        for key in sorted(frozen):
            if key in TERM_TABLES:
                body = self.tables[TERM_TABLES.index(key)].dumps()
            else:
                value = frozen[key]
                known = self.texts.get(key) if key in FRESH_EACH_FREEZE else None
                if known is not None and known[0] == value:
                    body = known[1]
                else:
                    body = json.dumps(value, sort_keys=True)
                    self.texts[key] = (value, body)
            parts.append(f"{json.dumps(key)}: {body}")
        return "{" + ", ".join(parts) + "}"

    def dump(self, stream: IO[str], format: Any) -> None:
        """``IndexBuilder.dump``: freeze, then write the JavaScript index."""
        indexer = self.indexer
        assert indexer is not None
        if isinstance(format, str):
            format = indexer.formats[format]
        frozen = indexer.freeze()
        if format is not js_index:
            format.dump(frozen, stream)
            return
        stream.write(js_index.PREFIX + self.dumps(frozen) + js_index.SUFFIX)
