"""Public hosting: with a base URL configured, a sitemap of every page and canonical URLs;
without one, neither (and no warning)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import copy_book, run_book

BASE = "https://example.org/book/"
ARTICLE = "notebooks/jinrong-zhaiwu/67202"


def _sitemap(site: Path) -> list[str]:
    return re.findall(r"<loc>(.*?)</loc>", (site / "sitemap.xml").read_text(encoding="utf-8"))


def _pages(site: Path) -> set[str]:
    return {
        p.relative_to(site).as_posix() for p in site.rglob("*.html") if not p.relative_to(site).parts[0].startswith("_")
    }


@pytest.mark.build
def test_with_a_base_url_every_page_is_in_the_sitemap_and_has_its_canonical_url(tmp_path: Path) -> None:
    root = copy_book(tmp_path)
    config = root / "_config.yml"
    # Written without the trailing slash, as people do: the URLs still join with one.
    config.write_text(config.read_text(encoding="utf-8").replace("html:\n", f"html:\n  baseurl: {BASE[:-1]}\n", 1))
    run_book(root, "build", "--strict")
    site = root / "_build" / "html"
    listed = _sitemap(site)
    assert listed == sorted(listed) and len(listed) == len(set(listed))
    # Every page but the root's redirect to the intro, at the site's own paths (no language folder).
    assert "url=notebooks/intro.html" in (site / "index.html").read_text(encoding="utf-8")
    assert {url.removeprefix(BASE) for url in listed} == _pages(site) - {"index.html"}
    assert all(url.startswith(BASE) for url in listed) and len(listed) > 20
    page = (site / f"{ARTICLE}.html").read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{BASE}{ARTICLE}.html" />' in page

    # After one edit the build writes two pages, and publishes the same sitemap.
    before = (site / "sitemap.xml").read_bytes()
    notebook = root / f"{ARTICLE}.md"
    notebook.write_text(notebook.read_text(encoding="utf-8") + "\n补充的一句话。\n", encoding="utf-8")
    run_book(root, "build", "--strict")
    assert (site / "sitemap.xml").read_bytes() == before


@pytest.mark.build
def test_without_a_base_url_there_is_no_sitemap_and_no_canonical_link(site: Path) -> None:
    assert not (site / "sitemap.xml").exists()
    assert 'rel="canonical"' not in (site / f"{ARTICLE}.html").read_text(encoding="utf-8")
