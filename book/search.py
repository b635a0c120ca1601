"""Chinese search for the Sphinx build: a cheaper language, segmented on both cores.

Sphinx's own Chinese language spends most of its time in a linear scan of
every Latin word seen so far (for each word it stems) and in jieba's HMM; ours
segments with jieba's dictionary (which knows the curated entities) and stems
only Latin words.

Sphinx feeds its search index while writing, in its main process, one page
after another: at 1,000 articles jieba alone took 10 s of a 56 s main process
(py-spy).  So each searchable page is segmented when it is read, in the
parallel reader processes, and its words travel with its doctree; the indexer
then only files them (``book.parallel_write`` also moves that filing to the
writers).  Generated pages (stubs, tags, data) are not indexed:
search is for articles and topics.
"""

from __future__ import annotations

import functools
from types import SimpleNamespace
from typing import Any

import jieba
from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.search import IndexBuilder, WordStore, zh

from . import sphinx_internals

UNSEARCHED_PREFIXES = ("notebooks/_index/stubs/", "notebooks/_index/tags", "notebooks/data", "genindex")
WORDS_ATTRIBUTE = "book_search_words"


@functools.lru_cache(maxsize=1 << 16)
def _segment(text: str) -> tuple[str, ...]:
    # Pages repeat much of their text (the copyright notice, 小编导语, related titles):
    # a third of the Chinese text of the sample corpus, so segment each text once.
    return tuple(jieba.cut_for_search(text, HMM=False))


class SearchChinese(zh.SearchChinese):
    """Sphinx's Chinese search language, minus its two hot spots (see the module doc)."""

    def split(self, input: str) -> list[str]:
        chinese = list(_segment(input))
        latin = [term.strip() for term in self.latin1_letters.findall(input)]
        return chinese + latin

    def stem(self, word: str) -> str:
        if word.isascii():
            stemmed = self.stemmer.stemWord(word.lower())
            # Short Latin words (acronyms) would be unrecognisable once stemmed.
            return word.lower() if len(word) >= 3 and len(stemmed) < 3 else stemmed
        return word


def searchable(docname: str) -> bool:
    return not docname.startswith(UNSEARCHED_PREFIXES)


def _searching(app: Sphinx) -> bool:
    return app.builder.format == "html" and bool(getattr(app.builder, "search", False))


_language: SearchChinese | None = None


def _text_is_final(doctree: nodes.document) -> bool:
    """Whether the page reads the same when written as now.  A visible toctree becomes the
    titles of the pages it lists, and a cross-reference without its own text takes its
    target's title, only when the page is written; such pages are left to Sphinx."""
    if any(not node.get("hidden") for node in doctree.findall(addnodes.toctree)):
        return False
    return all(node.get("refexplicit") for node in doctree.findall(addnodes.pending_xref))


def _collect_words(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read``: segment the page now, in the reader process (see the module doc)."""
    global _language
    docname = app.env.docname
    if not (sphinx_internals.known() and _searching(app) and searchable(docname) and _text_is_final(doctree)):
        return
    if _language is None:
        _language = SearchChinese(app.config.html_search_options)
    # Sphinx's own collector, so the words are exactly the ones it would find at write time;
    # by then docutils has dropped the messages below the report level, so leave them out now.
    level = getattr(doctree.settings, "report_level", 2)
    dropped = [m for m in doctree.findall(nodes.system_message) if m.get("level", 0) < level and m.parent is not None]
    places = [(m.parent, m.parent.index(m)) for m in dropped]
    for message, (parent, _) in zip(dropped, places, strict=True):
        parent.remove(message)
    try:
        store = IndexBuilder._word_collector(SimpleNamespace(lang=_language), doctree)  # type: ignore[arg-type]
    finally:
        for message, (parent, index) in reversed(list(zip(dropped, places, strict=True))):
            parent.insert(index, message)
    # The indexer keeps sets of pages per word: order and repeats do not matter.  One string
    # per list, because the main process unpickles every doctree, and one string loads far
    # faster than thousands.
    doctree[WORDS_ATTRIBUTE] = ("\n".join(set(store.words)), store.titles, "\n".join(set(store.title_words)))


def _stored_words(doctree: nodes.document) -> WordStore | None:
    stored = doctree.get(WORDS_ATTRIBUTE)
    # A doctree pickled by another version of this module may hold another layout.
    if not (isinstance(stored, tuple) and len(stored) == 3 and isinstance(stored[0], str)):
        return None
    words, titles, title_words = stored
    return WordStore(
        words=words.split("\n") if words else [],
        titles=list(titles),
        title_words=title_words.split("\n") if title_words else [],
    )


def _builder_inited(app: Sphinx) -> None:
    _segment.cache_clear()  # the vocabulary may have taught jieba new words
    builder = app.builder
    if builder.format != "html" or not hasattr(builder, "index_page"):
        return
    index_page = builder.index_page

    def index_searchable_pages(pagename: str, doctree: Any, title: str) -> None:
        if not searchable(pagename):
            return
        indexer = builder.indexer
        if indexer is not None and not hasattr(indexer, "_book_collect"):
            collect = indexer._word_collector
            indexer._book_collect = collect
            indexer._word_collector = lambda tree: _stored_words(tree) or collect(tree)
        index_page(pagename, doctree, title)

    builder.index_page = index_searchable_pages


_sphinx_prune = IndexBuilder.prune


def _prune(self: IndexBuilder, docnames: Any) -> None:
    """Sphinx's ``IndexBuilder.prune`` with the pages to keep as a set.  Sphinx passes the
    environment's ``all_docs`` (a dict), and ``set.intersection_update`` then builds a set of
    every page once per indexed word: 0.9 s per call at 10,000 articles, called twice per
    build.  The same intersection, with one set built once."""
    _sphinx_prune(self, docnames if isinstance(docnames, (set, frozenset)) else set(docnames))


def setup(app: Sphinx) -> None:
    if sphinx_internals.known():
        IndexBuilder.prune = _prune  # type: ignore[method-assign]
    app.add_search_language(SearchChinese)
    app.connect("builder-inited", _builder_inited)
    app.connect("doctree-read", _collect_words)
