"""An incremental build leaves the site a fresh build would make.

Sphinx rewrites a page when its own source changed, and forgets two things a
book of linked articles runs into all the time:

- **links whose target moved.**  An article's related list links ``#t-…``
  labels; the label sits on a stub page until the article itself is imported,
  and then on the article.  The citing pages were not changed, so Sphinx kept
  their old HTML: links to an anchor that is gone (395 of them after importing
  400 articles into 2,000).  The same holds for a link to a page added or
  removed.  So each page's link targets are recorded when it is read, the
  owner of every label is compared before and after reading, and the pages
  citing a label or page that came, went or moved are written again.  They are
  not read again: the links are resolved when a page is written.
- **what a page shows of its neighbours.**  Its previous and next links (a page
  added or deleted beside it), and its sidebar (a category or a most used topic
  added, ``book.site.nav``): those pages are written again too.
- **output of what is gone.**  A deleted notebook, or a tag, topic or stub page
  that ``index`` no longer makes, kept its HTML, and a chart the data notebook
  no longer draws kept its image.  After a build, HTML under the page folders
  that no page of the book writes, and images in ``_images/`` that no page
  shows, are removed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util import logging

from . import nav

logger = logging.getLogger(__name__)

_TARGETS = "book_link_targets"  # env attribute: docname → frozenset of the labels and pages it links


def _targets(env: Any) -> dict[str, frozenset[str]]:
    if not hasattr(env, _TARGETS):
        setattr(env, _TARGETS, {})
    return getattr(env, _TARGETS)


def _owners(env: Any) -> dict[str, str]:
    """Every label and page of the book → the page that holds it (a page holds itself)."""
    std = env.domaindata.get("std", {})
    owners = {name: entry[0] for name, entry in std.get("anonlabels", {}).items()}
    owners.update((name, entry[0]) for name, entry in std.get("labels", {}).items())
    owners.update((doc, doc) for doc in env.all_docs)
    return owners


def _record(app: Sphinx, doctree: nodes.document) -> None:
    env = app.env
    _targets(env)[env.docname] = frozenset(
        node["reftarget"].lstrip("#") for node in doctree.findall(addnodes.pending_xref) if node.get("reftarget")
    )


def _purge(app: Sphinx, env: Any, docname: str) -> None:
    _targets(env).pop(docname, None)


def _merge(app: Sphinx, env: Any, docnames: list[str], other: Any) -> None:
    theirs = _targets(other)
    mine = _targets(env)
    for docname in docnames:
        if docname in theirs:
            mine[docname] = theirs[docname]


def _before(app: Sphinx, env: Any, added: set[str], changed: set[str], removed: set[str]) -> list[str]:
    # Before the removed pages are purged: their labels count as moved too.
    env._book_owners_before = _owners(env)
    env._book_relations_before = env.collect_relations()
    return []


def _to_write_again(app: Sphinx, env: Any) -> list[str]:
    """The pages not read in this build whose HTML would differ from a fresh build's."""
    rewrite: set[str] = set()
    before = getattr(env, "_book_owners_before", None)
    relations = getattr(env, "_book_relations_before", None)
    env._book_owners_before = env._book_relations_before = None
    if before is not None:
        after = _owners(env)
        moved = {name for name in before.keys() | after.keys() if before.get(name) != after.get(name)}
        if moved:
            rewrite.update(doc for doc, targets in _targets(env).items() if not moved.isdisjoint(targets))
    if relations is not None:
        now = env.collect_relations()
        rewrite.update(doc for doc, rel in now.items() if relations.get(doc) != rel)
    if app.builder.format == "html":
        shown = nav.state(app)
        rewrite |= nav.pages_shown_changed(app, getattr(env, "_book_nav_state", None), shown)
        env._book_nav_state = shown
    return sorted(rewrite & env.all_docs.keys())


def _remove_stale_output(app: Sphinx, exception: BaseException | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    out = Path(app.outdir)
    builder = app.builder
    written = {Path(builder.get_outfilename(doc)) for doc in app.env.all_docs}
    stale = [
        page
        for folder in out.iterdir()
        if folder.is_dir() and not folder.name.startswith("_")  # _static, _images, _search: not page folders
        for page in folder.rglob("*.html")
        if page not in written
    ]
    shown = {entry[1] for entry in app.env.images.values()}
    images = out / builder.imagedir
    if images.is_dir():
        stale += [image for image in images.iterdir() if image.is_file() and image.name not in shown]
    for path in stale:
        path.unlink(missing_ok=True)
    for folder in sorted({p.parent for p in stale}, key=lambda p: len(p.parts), reverse=True):
        while folder != out and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent
    if stale:
        logger.info("removed %d file(s) no page of the book makes any more", len(stale))


def setup(app: Sphinx) -> None:
    app.connect("doctree-read", _record)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("env-get-outdated", _before)
    app.connect("env-get-updated", _to_write_again)
    app.connect("build-finished", _remove_stale_output)
