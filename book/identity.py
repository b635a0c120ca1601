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
"""

from __future__ import annotations

import hashlib
import re

from .escape import unescape
from .model import Article

SAME_ARTICLE = 0.6  # share of the shorter text's pieces the other must hold
_SHINGLE = 6
_TITLE_ID = re.compile(r"^t[0-9a-f]{12}$")
_FRONT = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)
_SKIP = re.compile(r"^(?:```|\+\+\+|\(.*\)=$)")
_TAIL = re.compile(r'^\+\+\+ \{"part": "(?:source|related)"\}')
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
    body = _FRONT.sub("", notebook_text, count=1)
    kept = []
    for line in body.split("\n"):
        if _TAIL.match(line):
            break  # the copyright, link and related list are the site's, shared by its articles
        if line and not _SKIP.match(line):
            kept.append(unescape(_MARKUP.sub("", line)))
    return "".join(kept)


def same_article(notebook_a: str, notebook_b: str) -> bool:
    """Whether two notebook texts hold the same article (see the module docstring)."""
    a, b = _pieces(article_text(notebook_a)), _pieces(article_text(notebook_b))
    if not a or not b:
        return a == b
    return len(a & b) >= SAME_ARTICLE * min(len(a), len(b))


def _pieces(text: str) -> set[str]:
    return {text[i : i + _SHINGLE] for i in range(max(1, len(text) - _SHINGLE + 1))}
