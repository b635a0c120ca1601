"""The sidebar: the book's categories, and the most used topics of the current one.

The theme's sidebar repeats the whole toctree on every page, so a book's size
multiplies into every page's bytes and into the build time.  Ours lists the
categories, and the most used topics of the current category with a link to
all of them: the same size whatever the size of the book.  Articles are listed
on their topic's landing page.

Every page carries its sidebar, so a page must be written again when what its
sidebar shows changes (``state`` and ``pages_shown_changed``, used by
``book.site.freshness``).  The sidebar shows no article counts and lists its
topics in the toc's order: an added article then changes the sidebar only when
it brings a topic into a category's most used ones, not on every import.
"""

from __future__ import annotations

import html
import os
from dataclasses import dataclass, field
from typing import Any

from sphinx.application import Sphinx

TOPICS_SHOWN = 12
TOPIC_PREFIX = "notebooks/_index/topics/"


@dataclass
class _Part:
    caption: str
    index_doc: str | None  # the category page listing every topic
    topics: list[tuple[str, int]] = field(default_factory=list)  # (docname, articles), in the toc's order
    members: dict[str, set[str]] = field(default_factory=dict)  # topic → its article pages
    docs: set[str] = field(default_factory=set)  # every page of the part

    def shown(self) -> list[str]:
        """The topics the sidebar lists: all of a part without a category page, else the most
        used (ties: the toc's order), in the toc's order."""
        if not self.index_doc:
            return [doc for doc, _ in self.topics]
        ranked = sorted(range(len(self.topics)), key=lambda i: -self.topics[i][1])[:TOPICS_SHOWN]
        return [self.topics[i][0] for i in sorted(ranked)]


def _parts(app: Sphinx) -> list[_Part]:
    site_map = app.config.external_site_map
    # Kept beside the site map it was made from: the environment (pickled between builds, and
    # kept in memory by ``book serve``) outlives a toc, and an added article changes the toc.
    cached = getattr(app.env, "_book_nav_parts", None)
    if isinstance(cached, tuple) and cached[0] is site_map:
        return cached[1]
    parts: list[_Part] = []
    for tree in site_map.root.subtrees if site_map else []:
        chapters = tree.files()
        folder = os.path.dirname(chapters[0]) if chapters and chapters[0].startswith(TOPIC_PREFIX) else ""
        index_doc = f"{folder}/index" if folder and f"{folder}/index" in app.env.all_docs else None
        part = _Part(tree.caption or "", index_doc)
        for chapter in chapters:
            articles = site_map[chapter].child_files() if chapter in site_map else []
            part.topics.append((chapter, len(articles)))
            part.members[chapter] = set(articles)
            part.docs.update([chapter, *articles])
        if index_doc:
            part.docs.add(index_doc)
        parts.append(part)
    app.env._book_nav_parts = (site_map, parts)  # type: ignore[attr-defined]
    return parts


def _title(app: Sphinx, docname: str) -> str:
    node = app.env.titles.get(docname)
    return node.astext() if node is not None else docname


def nav_html(app: Sphinx, pagename: str) -> str:
    uri = app.builder.get_relative_uri
    out: list[str] = []
    for part in _parts(app):
        current = pagename in part.docs
        caption = html.escape(part.caption)
        if part.index_doc:
            caption = f'<a href="{html.escape(uri(pagename, part.index_doc))}">{caption}</a>'
        out.append(f'<p class="caption" role="heading"><span class="caption-text">{caption}</span></p>')
        if part.index_doc and not current:
            continue  # another category: its caption links to its page
        shown = part.shown()
        out.append('<ul class="nav bd-sidenav">')
        for doc in shown:
            here = pagename == doc or pagename in part.members[doc]
            cls = "toctree-l1 current" if here else "toctree-l1"
            label = html.escape(_title(app, doc))
            out.append(
                f'<li class="{cls}"><a class="reference internal" href="{html.escape(uri(pagename, doc))}">'
                f"{label}</a></li>"
            )
        if len(part.topics) > len(shown) and part.index_doc:
            more = html.escape(uri(pagename, part.index_doc))
            out.append(
                f'<li class="toctree-l1"><a class="reference internal" href="{more}">'
                f"全部 {len(part.topics)} 个主题…</a></li>"
            )
        out.append("</ul>")
    return "\n".join(out)


# What a sidebar shows: for every page, (what the parts show to every page, what its own part
# shows).  Memberships ("here") only change with a page's topic, which changes its source too.
NavState = tuple[tuple[Any, ...], dict[str, tuple[Any, ...]]]


def state(app: Sphinx) -> NavState:
    shared: list[Any] = []
    own: dict[str, tuple[Any, ...]] = {}
    for part in _parts(app):
        shown = tuple((doc, _title(app, doc)) for doc in part.shown())
        if part.index_doc:
            shared.append((part.caption, part.index_doc))
            own[part.index_doc] = (shown, len(part.topics))
        else:
            shared.append((part.caption, None, shown))
    return tuple(shared), own


def pages_shown_changed(app: Sphinx, before: NavState | None, after: NavState) -> set[str]:
    """The pages whose sidebar differs between the two states."""
    if before is None or before[0] != after[0]:
        return set(app.env.all_docs)
    changed: set[str] = set()
    for part in _parts(app):
        if part.index_doc and before[1].get(part.index_doc) != after[1].get(part.index_doc):
            changed |= part.docs
    return changed
