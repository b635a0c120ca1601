"""The landing page's overview, made from the catalog: counts, categories with their top
topics, the latest articles and the most used tags, every name a link into the book."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import html as lxml_html

from .browser import RequestLog, keep_local, serve

pytestmark = pytest.mark.build


def test_the_intro_shows_the_book_from_its_catalog(site: Path) -> None:
    page = lxml_html.fromstring((site / "notebooks" / "intro.html").read_bytes())
    article = page.xpath("//article")[0]
    text = article.text_content()
    assert "本书共有 1 篇文章（另有 8 篇只有标题与摘要），1 个栏目，1 个主题，6 个标签。" in text
    sections = {
        s.xpath("string(h2)").strip().rstrip("#"): s for s in article.iter("section") if s.find("h2") is not None
    }
    assert {"栏目", "最新文章", "常用标签"} <= set(sections)
    links = {
        name: {
            a.text_content(): a.get("href")
            for a in sections[name].iter("a")
            if "headerlink" not in (a.get("class") or "")
        }
        for name in sections
    }
    assert links["栏目"]["金融债务"] == "_index/topics/jinrong-zhaiwu/index.html"
    assert links["栏目"]["国美金融"] == "_index/topics/jinrong-zhaiwu/guomei-jinrong.html"
    assert links["最新文章"] == {"国美金融催收部在哪": "jinrong-zhaiwu/67202.html"}
    assert links["常用标签"]["催收"] == "_index/tags/cuishou.html"
    assert links["常用标签"]["全部标签"] == "_index/tags.html"
    for href in (href for found in links.values() for href in found.values()):
        assert (site / "notebooks" / href).exists(), href


def test_a_reader_goes_from_the_landing_page_into_the_book(site: Path, browser, tmp_path: Path) -> None:
    with serve(site) as base:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        log = RequestLog().attach(context)
        keep_local(context, base)
        page = context.new_page()
        page.goto(base + "notebooks/intro.html")
        overview = page.locator("article p", has_text="本书共有")
        assert overview.is_visible()
        page.screenshot(path=str(tmp_path / "landing.png"), full_page=True)
        # Each kind of entry leads somewhere a reader can read: a category, an article, a tag.
        entries = (("金融债务", "金融债务"), ("国美金融催收部在哪", "国美金融催收部在哪"), ("催收", "标签:催收"))
        for name, heading in entries:
            page.goto(base + "notebooks/intro.html")
            page.locator("article a", has_text=re.compile(f"^{name}$")).first.click()
            page.wait_for_load_state()
            assert page.inner_text("article h1").strip().rstrip("#").strip() == heading, (name, page.url)
        assert log.outside(base) == []
        context.close()
