"""The 相关文章 and 被引用 sections of an article page, added when the page is read.

``index`` writes what each article page shows of its neighbours into a file of its own
(``book.site.neighbours``); here the page reads it, notes it as a dependency (so Sphinx
reads the page again when its neighbours change, and only then), and appends the two
sections as docutils nodes.  Titles and citing lines are text nodes, never parsed: no
article text can become markup here.  Links are ``doc`` cross-references, resolved when
the page is written, so they follow a page that moves and warn about one that is gone.

Both sections and the note on the source's own list carry the class ``book-links``:
search leaves them out, so a page is found for its own words and not its neighbours'.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util import logging

from ..layout import neighbours_path

logger = logging.getLogger(__name__)

CLASS = "book-links"
WHY = {"topic": "同一主题", "category": "同一栏目", "book": "本书文章"}


def _xref(env: Any, doc: str, title: str) -> addnodes.pending_xref:
    ref = addnodes.pending_xref(
        "", refdomain="std", reftype="doc", reftarget="/" + doc, refexplicit=True, refwarn=True, refdoc=env.docname
    )
    ref += nodes.inline(title, title)
    return ref


def _item(*children: nodes.Node) -> nodes.list_item:
    para = nodes.paragraph()
    para.extend(children)
    return nodes.list_item("", para)


def related_section(env: Any, data: dict[str, Any]) -> nodes.section:
    section = nodes.section(ids=["book-related"], classes=[CLASS, "book-related"])
    section += nodes.title("相关文章", "相关文章")
    note = "本书按内容（关键词、标题与标签）挑出的文章。"
    if data.get("source_list"):
        note += f"来源网站自己列出的见上文「{data['source_list']}」。"
    section += nodes.paragraph(note, note, classes=["book-links-note"])
    items = nodes.bullet_list(classes=["book-related-list"])
    for rel in data["related"]:
        marks = [WHY[rel["why"]]] if rel["why"] in WHY else []
        if rel.get("in_source"):
            marks.append("来源网站也列出")
        said = "".join(f" · {mark}" for mark in marks)
        extra = [nodes.inline(said, said, classes=["book-why"])] if marks else []
        items += _item(_xref(env, rel["doc"], rel["title"]), *extra)
    section += items
    return section


def cited_by_section(env: Any, data: dict[str, Any]) -> nodes.section:
    section = nodes.section(ids=["book-cited-by"], classes=[CLASS, "book-cited-by"])
    section += nodes.title("被引用", "被引用")
    count, shown = data["cited_by_count"], len(data["cited_by"])
    note = f"本书中有 {count} 篇文章链接到这篇文章" + (f"，这里列出前 {shown} 篇。" if shown < count else "。")
    section += nodes.paragraph(note, note, classes=["book-links-note"])
    items = nodes.bullet_list(classes=["book-cited-by-list"])
    for cite in data["cited_by"]:
        if cite["how"] == "related":
            where = f"列在其「{cite['list']}」中：" if cite.get("list") else "列在其相关文章中："
        else:
            where = "正文写道："
        line = nodes.inline("", "", classes=["book-cite-line"])
        line += nodes.inline(where, where, classes=["book-cite-where"])
        line += nodes.inline(cite["line"], cite["line"], classes=["book-cite-text"])
        items += _item(_xref(env, cite["doc"], cite["title"]), nodes.Text(" "), line)
    section += items
    return section


def _mark_source_list(doctree: nodes.document, heading: str) -> None:
    for section in doctree.findall(nodes.section):
        if section.children and isinstance(section[0], nodes.title) and section[0].astext() == heading:
            note = "来源网站列出的相关文章，按原文保留。"
            section.insert(1, nodes.paragraph(note, note, classes=[CLASS, "book-source-list-note"]))
            section["classes"].append("book-source-list")
            return


def add_sections(app: Sphinx, doctree: nodes.document) -> None:
    env = app.env
    rel = neighbours_path(env.docname)
    path = Path(app.srcdir) / rel
    if not env.docname.startswith("notebooks/") or not path.exists():
        return
    env.note_dependency(rel)  # relative to the book folder, so it follows a moved book
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        logger.warning(f"{rel}: cannot read ({exc}); run `python -m book index`", location=env.docname)
        return
    top = next(iter(doctree.findall(nodes.section)), None)
    parent = top if top is not None else doctree
    if data.get("source_list"):
        _mark_source_list(doctree, data["source_list"])
    if data.get("related"):
        parent += related_section(env, data)
    if data.get("cited_by"):
        parent += cited_by_section(env, data)


def setup(app: Sphinx) -> None:
    # Before Sphinx's collectors (priority 500) read the page's sections into its toc.
    app.connect("doctree-read", add_sections, priority=400)
