"""The built sample book, checked page by page as a reader sees it."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup

from .conftest import SEED

SEED_PAGE = "notebooks/jinrong-zhaiwu/67202.html"
NOT_CONTENT = ("当前位置:首页 > 金融债务 > 正文内容", "合飞律师4个月前 (01-06)金融债务4", "扫描二维码推送至手机访问。")


def page(site: Path, rel: str) -> BeautifulSoup:
    return BeautifulSoup((site / rel).read_text(encoding="utf-8"), "lxml")


def article(site: Path, rel: str) -> BeautifulSoup:
    main = page(site, rel).select_one("article.bd-article")
    assert main is not None, f"{rel} has no article body"
    return main


def resolve(site: Path, from_rel: str, href: str) -> Path:
    target = urlsplit(href).path
    return (site / from_rel).parent.joinpath(unquote(target)).resolve()


@pytest.fixture(scope="module")
def seed_article(site: Path) -> BeautifulSoup:
    return article(site, SEED_PAGE)


def test_every_line_of_the_seed_appears_verbatim_and_in_order(seed_article: BeautifulSoup) -> None:
    text = seed_article.get_text("")
    lines = [ln.strip() for ln in SEED.read_text(encoding="utf-8").split("\n") if ln.strip()]
    position = 0
    for line in lines:
        if line in NOT_CONTENT:
            continue
        found = text.find(line, position)
        assert found >= 0, f"not found (in order) on the page: {line!r}"
        position = found + len(line)


def test_seed_page_sections_are_headings(seed_article: BeautifulSoup) -> None:
    def heads(tag: str) -> list[str]:
        return [h.get_text("", strip=True).rstrip("#") for h in seed_article.find_all(tag)]

    assert heads("h1") == ["国美金融催收部在哪"]
    h2 = heads("h2")
    assert [h[:2] for h in h2[:6]] == ["一、", "二、", "三、", "四、", "五、", "六、"]
    assert h2[6:] == ["国美金融催收部在哪的相关文章"]
    assert [h.split()[0] for h in heads("h3")] == [
        "1.1", "1.2", "2.1", "2.2", "3.1", "3.2", "3.3", "4.1", "4.2", "4.3", "4.4", "5.1", "5.2", "5.3", "6.1", "6.2",
    ]  # fmt: skip


def test_seed_page_intro_summary_author(seed_article: BeautifulSoup) -> None:
    intro = seed_article.select_one(".article-intro").get_text()
    summary = seed_article.select_one(".article-summary").get_text()
    assert "小编导语" in intro and "在现代社会中,金融服务已成为" in intro
    assert "小编总结" in summary and "国美金融催收部在公司的运营中扮演着至关重要的角色" in summary
    assert "合飞律师" in seed_article.select_one(".article-meta").get_text()


def test_seed_page_copyright_and_source_link(seed_article: BeautifulSoup) -> None:
    source = seed_article.select_one(".article-source")
    assert "版权声明:本文由浙江合飞律师事务所结合法律法规原创并发布" in source.get_text()
    assert [a["href"] for a in source.find_all("a")] == ["https://www.hefeilaws.com/hf/67202.html"]


def test_seed_page_related_titles_link_to_stub_pages_that_exist(site: Path, seed_article: BeautifulSoup) -> None:
    related = [ln.strip() for ln in SEED.read_text(encoding="utf-8").split("\n") if ln.strip()]
    titles = related[related.index("国美金融催收部在哪的相关文章") + 1 :: 2]
    assert len(titles) == 8
    links = {a.get_text(""): a["href"] for a in seed_article.select("section a.reference.internal") if a.get("href")}
    for title in titles:
        assert title in links, f"no link for related article {title!r}"
        target = resolve(site, SEED_PAGE, links[title])
        assert target.exists(), f"{title!r} links to {links[title]}, which does not exist"
        anchor = urlsplit(links[title]).fragment
        stubs = BeautifulSoup(target.read_text(encoding="utf-8"), "lxml").select_one("article.bd-article")
        section = stubs.find(id=anchor)
        assert section is not None, f"{links[title]}: no section #{anchor}"
        assert section.find(["h1", "h2"]).get_text("", strip=True).rstrip("#") == title
        assert "尚未收录全文" in section.get_text()


def test_sidebar_has_category_part_and_topic_chapter(site: Path) -> None:
    nav = page(site, SEED_PAGE).select_one("nav.bd-links")
    assert "金融债务" in [c.get_text(strip=True) for c in nav.select("p.caption")]
    assert "国美金融" in [a.get_text(strip=True) for a in nav.select("a")]


def test_topic_page_lists_its_articles(site: Path) -> None:
    topic = "notebooks/_index/topics/jinrong-zhaiwu/guomei-jinrong.html"
    links = {a.get_text(""): a["href"] for a in article(site, topic).select("a.reference.internal")}
    assert resolve(site, topic, links["国美金融催收部在哪"]) == (site / SEED_PAGE).resolve()


def test_tags_page_lists_every_tag_with_its_articles(site: Path) -> None:
    index = "notebooks/_index/tags.html"
    links = {a.get_text(""): a["href"] for a in article(site, index).select("a.reference.internal")}
    assert {"金融债务", "国美金融", "催收"} <= set(links)
    for tag in ("金融债务", "国美金融"):
        tag_page = resolve(site, index, links[tag])
        listed = article(site, tag_page.relative_to(site.resolve()).as_posix())
        assert listed.find("a", string="国美金融催收部在哪") is not None, tag


def test_data_page_shows_three_tables_and_charts(site: Path) -> None:
    data = article(site, "notebooks/data.html")
    assert len(data.find_all("table")) >= 3
    images = [img["src"] for img in data.find_all("img")]
    assert len(images) >= 2
    for src in images:
        assert resolve(site, "notebooks/data.html", src).exists(), src
    assert "67202" in data.get_text() and "国美金融催收部在哪" in data.get_text()


def test_site_is_in_chinese(site: Path) -> None:
    assert page(site, SEED_PAGE).html["lang"].startswith("zh")


def test_sphinx_environment_does_not_carry_article_records(sample_book: Path) -> None:
    """Every build loads and saves Sphinx's environment; the article record in each page's
    front matter (related excerpts and all) would be half of it, and no page shows it."""
    import pickle

    env = pickle.loads((sample_book / "_build" / ".doctrees" / "environment.pickle").read_bytes())
    seed_doc = "notebooks/jinrong-zhaiwu/67202"
    assert seed_doc in env.all_docs
    assert "article" not in env.metadata[seed_doc] and "jupytext" not in env.metadata[seed_doc]
    assert env.metadata[seed_doc]["kernelspec"]["name"] == "python3"  # what the theme reads stays
