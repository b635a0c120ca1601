"""A site published under a base URL: ``sitemap.xml`` and a canonical link on every page.

Set ``html: baseurl: https://…/`` in ``_config.yml`` (Jupyter Book passes it to Sphinx as
``html_baseurl``).  Sphinx then writes each page's ``<link rel="canonical">`` itself, and
sphinx-sitemap (loaded only then: without a base URL it has nothing to write and warns)
lists the pages in ``sitemap.xml``.  Two things we add to it:

- the site is one language, so page URLs carry no language folder (sphinx-sitemap's
  default scheme puts ``zh_CN/`` before every page, a URL the site does not have);
- an incremental build lists every page, not only the pages it wrote: sphinx-sitemap
  collects the pages as they are written, so a build after one edit would publish a
  sitemap of that one page.  The pages a build did not write are added, and the list is
  sorted, so the file is the one a build from scratch writes.
"""

from __future__ import annotations

import queue
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config

from ..engine import patches

SITEMAP = "sphinx-sitemap"
_SITEMAP_DEFAULT_SCHEME = "{lang}{version}{link}"


def _settings(app: Sphinx, config: Config) -> None:
    if not config.html_baseurl.endswith("/"):
        # sphinx-sitemap glues the base URL and the page's path together as they are.
        config.html_baseurl += "/"
    if config.sitemap_url_scheme == _SITEMAP_DEFAULT_SCHEME:
        config.sitemap_url_scheme = "{link}"


def _every_page_listed(app: Sphinx, exception: BaseException | None) -> None:
    """Before sphinx-sitemap writes the file (its listener runs at the default priority)."""
    links = getattr(app, "sitemap_links", None)  # the queue its page listener fills
    if exception is not None or links is None or not patches.known(SITEMAP):
        return
    from sphinx_sitemap import is_excluded

    found: set[tuple[str, Any]] = set()
    while True:
        try:
            found.add(links.get_nowait())
        except queue.Empty:
            break
    written = {link for link, _ in found}
    suffix = app.config.html_file_suffix or ".html"
    for docname in app.env.all_docs:
        link = docname + suffix
        if link not in written and not is_excluded(link, app.config.sitemap_excludes):
            found.add((link, None))
    for item in sorted(found, key=lambda item: item[0]):
        links.put(item)


def setup(app: Sphinx) -> None:
    if not app.config.html_baseurl:
        return
    app.setup_extension("sphinx_sitemap")
    app.connect("config-inited", _settings)
    app.connect("build-finished", _every_page_listed, priority=400)
