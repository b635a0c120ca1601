"""``python -m book new``: a notebook for an article written directly in the book."""

from __future__ import annotations

from pathlib import Path

from .. import notebook
from ..catalog.tagging import load_vocabulary
from ..errors import BookError
from ..fsutil import atomic_write
from ..layout import Layout
from ..model import Article, Block
from ..readers.text import article_id_for_title
from .importer import existing_ids, prepare

PLACEHOLDER = "在此撰写导语。"


def new_article(layout: Layout, title: str, category: tuple[str, ...], author: str = "") -> Path:
    title = " ".join(title.split())
    if not title:
        raise BookError(
            "<command line>", 0, "the title is empty", 'give the article a title: python -m book new "标题"'
        )
    article = Article(
        id=article_id_for_title(title),
        title=title,
        category=category or ("未分类",),
        author=author,
        blocks=(Block("paragraph", PLACEHOLDER, part="intro"),),
    )
    known = existing_ids(layout)
    if article.id in known:
        raise BookError(
            layout.rel(known[article.id]),
            1,
            f"an article titled {title!r} already exists",
            "edit that notebook instead",
        )
    path = layout.article_path(article.category, article.id)
    atomic_write(path, notebook.writes(prepare(article, load_vocabulary(layout.vocabulary))))
    return path
