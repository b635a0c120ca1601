"""Which notebook an imported capture is: one article is one notebook, and no article is lost.

An article with a source URL is identified by it (``text._article_id``).  One
without is identified by its title (``t`` + a hash of it), so a re-capture of
the same page updates its notebook; but two *different* articles may share a
title.  The importer tells them apart by their text: when a capture's title
id is taken by a notebook whose text is not this article's, the capture gets
an id of its own, derived from its title and body (:func:`content_id`).

"Same text" is judged on what a reader change cannot move: the article's
characters from title to summary, without markup, whitespace and line
breaks, compared as overlapping 6-character pieces.  A re-capture with a
paragraph fixed, or the same page saved as .txt and as .html, shares nearly
all of them; two articles that only share a title share few.

The same page saved as .txt and as .html may also be named differently by
each (the capture's title line; the page's ``<title>`` with the site's name
after it, or a title derived from its first words when the capture has
none), so its two title ids differ.  :class:`Bodies` finds such a twin by the
text without its title (:func:`same_body`, stricter than :func:`same_article`
since no title ties them), and the capture updates the twin's notebook under
the better of the two titles (:func:`title_rank`) instead of becoming a
second notebook.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable

import numpy as np

from . import minhash
from .escape import unescape
from .model import Article
from .notebook import syntax

SAME_ARTICLE = 0.6  # share of the shorter text's pieces the other must hold
_SHINGLE = 6
_TITLE_ID = re.compile(r"^t[0-9a-f]{12}$")
# The copyright, link and related list are the site's, shared by its articles.
_SITE_PARTS = frozenset({"source", "related"})
_MARKUP = re.compile(r"(?<!\\)[*#]|\s")


def is_title_id(article_id: str) -> bool:
    """Whether an id was made from a title (the capture had no source URL)."""
    return bool(_TITLE_ID.match(article_id))


def content_id(article: Article) -> str:
    """An id from the title and the body: for an article whose title another article already has."""
    body = "\n".join([article.title, *(b.text for b in article.blocks)])
    return "t" + hashlib.sha256(body.encode("utf-8")).hexdigest()[:12]


def article_text(notebook_text: str) -> str:
    """The article's text in a notebook written by ``notebook.writes``: title to summary, no markup."""
    body, _ = syntax.body_of(notebook_text)
    kept = []
    for cell in syntax.cells(body):
        if cell.part in _SITE_PARTS:
            break
        kept += [unescape(_MARKUP.sub("", line)) for line in cell.lines if line and not syntax.MARKUP_LINE.match(line)]
    return "".join(kept)


def same_article(notebook_a: str, notebook_b: str) -> bool:
    """Whether two notebook texts hold the same article (see the module docstring)."""
    a, b = _pieces(article_text(notebook_a)), _pieces(article_text(notebook_b))
    if not a or not b:
        return a == b
    return len(a & b) >= SAME_ARTICLE * min(len(a), len(b))


def _pieces(text: str) -> set[str]:
    return {text[i : i + _SHINGLE] for i in range(max(1, len(text) - _SHINGLE + 1))}


# How much a title's origin can be trusted, best first: when one article arrives twice under
# two titles (a capture's title line, its page's <title>), the better one names it.
_TITLE_ORIGINS = ("title line", "<h1>", "<title>", "the question the intro ends with")


def title_rank(title_from: str) -> int:
    """Lower is better; a derived title (or an unknown origin) ranks last."""
    return _TITLE_ORIGINS.index(title_from) if title_from in _TITLE_ORIGINS else len(_TITLE_ORIGINS)


def body_text(notebook_text: str) -> str:
    """:func:`article_text` without the title: what two captures of one page share even when
    they name it differently (a title line, and a ``<title>`` with the site's name)."""
    body, _ = syntax.body_of(notebook_text)
    lines = body.split("\n")
    title_at = next((i for i, line in enumerate(lines) if line.startswith("# ")), None)
    if title_at is not None:
        del lines[title_at]
    return article_text("\n".join(lines))


def same_body(body_a: str, body_b: str) -> bool:
    """Whether two bodies (:func:`body_text`) are one article's.

    Stricter than :func:`same_article`: with no title in common, each text must hold most of
    the other's pieces, so an excerpt or a digest of an article is not taken for it.
    """
    a, b = _pieces(body_a), _pieces(body_b)
    return _hold_each_other(len(a & b), len(a), len(b))


def _hold_each_other(shared: int, size_a: int, size_b: int) -> bool:
    """:func:`same_body`'s rule on piece counts: each text holds most of the other's pieces."""
    return bool(size_a and size_b) and shared >= SAME_ARTICLE * max(size_a, size_b)


# Twins share at least 0.43 of their pieces (Jaccard, :func:`same_body`), mostly far more: a
# capture saved twice differs by a greeting or a footer (0.8 and up).  The signature's estimate
# errs by about 0.045, so a twin sharing 0.55 or more is always compared; one nearer the edge
# may be missed and imported as a notebook of its own (a duplicate, never a loss).  Below the
# cut stand the many article pairs of one site that share its stock phrases: up to 0.35 in the
# sample corpus, where a cut at 0.36 still left 250 pairs per article to compare at 50,000.
_TWIN_ESTIMATE = 0.40


class Bodies:
    """Articles without a source URL, by their text: a capture's twin under another title.

    ``load`` gives (id, notebook text) of the book's URL-less notebooks; it is called the first
    time a twin is looked for, so an import of captures that all have URLs reads nothing more.
    """

    def __init__(self, load: Callable[[], Iterable[tuple[str, str]]]) -> None:
        self._load: Callable[[], Iterable[tuple[str, str]]] | None = load
        # Each body as its pieces' hashes: compared in array operations, and smaller than the text.
        self._pieces: dict[str, np.ndarray] = {}
        self._index = minhash.Index()

    def add(self, article_id: str, notebook_text: str) -> None:
        hashes = minhash.piece_hashes(body_text(notebook_text), _SHINGLE)
        self._pieces[article_id] = hashes
        self._index.add(article_id, minhash.signature(hashes))

    def twin(self, notebook_text: str, other_than: str) -> str | None:
        """The id of an article (not ``other_than``) whose body is this notebook's, if any."""
        if self._load is not None:
            load, self._load = self._load, None
            for article_id, text in load():
                if article_id not in self._pieces:
                    self.add(article_id, text)
        body = body_text(notebook_text)
        if not body:
            return None
        hashes = minhash.piece_hashes(body, _SHINGLE)
        for article_id in self._index.candidates(minhash.signature(hashes), _TWIN_ESTIMATE):
            other = self._pieces[article_id]
            if article_id != other_than and _hold_each_other(minhash.shared(hashes, other), len(hashes), len(other)):
                return article_id
        return None
