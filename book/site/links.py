"""Every internal link of a built site leads somewhere: its file exists, and its anchor is on that page."""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.html

_LINKING = (("a", "href"), ("link", "href"), ("img", "src"), ("script", "src"), ("iframe", "src"), ("source", "src"))


def broken_links(site: Path) -> list[str]:
    """``page: href`` for each internal link of the pages under ``site`` whose target file or
    anchor is missing.  External links (any scheme, ``//host``) are not followed."""
    anchors: dict[Path, set[str]] = {}
    links: list[tuple[Path, str]] = []
    # Under _static the themes leave Jinja macro files named .html: assets, not pages.
    pages = [p for p in sorted(site.rglob("*.html")) if p.relative_to(site).parts[0] != "_static"]
    for page in pages:
        tree = lxml.html.fromstring(page.read_bytes())
        anchors[page] = {v for el in tree.iter() if isinstance(el.tag, str) for v in _anchors_of(el)}
        links += [(page, href) for href in _links_of(tree)]
    broken = []
    for page, href in links:
        parts = urlsplit(href)
        if parts.scheme or parts.netloc:
            continue
        target = page
        if parts.path:
            rel = posixpath.normpath(posixpath.join(page.parent.relative_to(site).as_posix(), unquote(parts.path)))
            target = site / rel
            if target.is_dir():
                target = target / "index.html"
            if rel.startswith("..") or not target.is_file():
                broken.append(f"{page.relative_to(site)}: {href} (no such file)")
                continue
        fragment = unquote(parts.fragment)
        if fragment and target.suffix == ".html":
            if target not in anchors:  # a page outside the crawl, e.g. under _static
                tree = lxml.html.fromstring(target.read_bytes())
                anchors[target] = {v for el in tree.iter() if isinstance(el.tag, str) for v in _anchors_of(el)}
            if fragment not in anchors[target]:
                broken.append(f"{page.relative_to(site)}: {href} (no anchor {fragment!r} on that page)")
    return broken


def _anchors_of(el: lxml.html.HtmlElement) -> Iterator[str]:
    if (ident := el.get("id")) is not None:
        yield ident
    if el.tag == "a" and (name := el.get("name")) is not None:
        yield name


def _links_of(tree: lxml.html.HtmlElement) -> Iterator[str]:
    for tag, attribute in _LINKING:
        for el in tree.iter(tag):
            value = (el.get(attribute) or "").strip()
            if value and not value.startswith(("javascript:", "data:", "mailto:")):
                yield value
