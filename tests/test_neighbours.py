"""Links both ways: every article page lists its 相关文章 (by content) and its 被引用 (the articles
that link to it, with the line that does); the source's own list is kept and marked; hovering a
link to another article previews it, fetched from the same site."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from docutils import nodes
from lxml import html as lxml_html

from book import catalog
from book.catalog import citations, similar
from book.model import Entry
from book.site import graphs, search
from book.site.neighbour_sections import CLASS
from book.slug import title_key

from .browser import RequestLog, keep_local, serve
from .conftest import copy_book, run_book

# --- the catalog: content similarity and citations -------------------------------------------


def test_articles_on_the_same_subject_rank_first() -> None:
    ids = ["1", "2", "3", "4", "5"]
    titles = ["网贷逾期怎么协商还款", "网贷逾期协商还款的流程", "离婚财产怎么分割", "离婚后房产分割", "工伤赔偿标准"]
    tfs = [
        Counter({"网贷": 2, "逾期": 1, "协商": 1, "还款": 1}),
        Counter({"网贷": 1, "逾期": 1, "协商": 2, "还款": 1, "流程": 1}),
        Counter({"离婚": 2, "财产": 1, "分割": 1}),
        Counter({"离婚": 1, "房产": 1, "分割": 2}),
        Counter({"工伤": 2, "赔偿": 1, "标准": 1}),
    ]
    tags = [{"网贷"}, {"网贷"}, {"离婚"}, {"离婚"}, {"工伤"}]
    ranked = similar.similar(ids, tfs, tags, titles)
    assert ranked["1"][0][0] == "2" and ranked["2"][0][0] == "1"
    assert ranked["3"][0][0] == "4" and ranked["4"][0][0] == "3"
    assert all(score >= similar.MIN_SCORE for found in ranked.values() for _, score in found)
    assert "5" not in {t for t, _ in ranked["1"]}  # shares nothing with 1
    assert similar.similar(ids, tfs, tags, titles) == ranked  # deterministic


def test_escaped_source_text_is_not_a_link_but_a_named_address_is() -> None:
    assert citations.targets_in(r"见\[上文\](x.md)") == []
    assert citations.targets_in("详见[另一篇](../jinrong/2.md)。") == ["../jinrong/2.md"]
    assert citations.targets_in("原文:https://www.example.com/hf/2.html。") == ["https://www.example.com/hf/2.html"]
    assert citations.shown_line("详见[另一篇](../jinrong/2.md)。") == "详见另一篇。"


def _entry(id_: str, path: str, title: str, url: str = "", links=()) -> Entry:
    return Entry(
        id=id_, title=title, category=("c",), topic="t", author="", date="", views=None, path=path,
        tags=[], related=[], source_url=url, links=list(links),
    )  # fmt: skip


def test_links_resolve_by_path_address_and_title_label() -> None:
    a = _entry("1", "notebooks/a/1.md", "甲", "https://www.site.cn/hf/1.html")
    b = _entry("2", "notebooks/b/2.md", "乙", links=[("../a/1.md", "x"), ("http://site.cn/hf/1.html/", "y")])
    c = _entry("3", "notebooks/b/3.md", "丙", links=[("#" + title_key("乙"), "z")])
    assert citations.cited([a, b, c]) == [("2", "1", "x"), ("3", "2", "z")]


def test_neighbours_leave_search_out() -> None:
    section = nodes.section(ids=["s"])
    section += nodes.title("标题", "标题")
    section += nodes.paragraph("自己的话", "自己的话")
    links = nodes.section(ids=["book-related"], classes=[CLASS])
    links += nodes.title("相关文章", "相关文章")
    links += nodes.paragraph("邻居的话", "邻居的话")
    section += links
    doc = nodes.document(None, None)
    doc += section
    text = " ".join(t for _, t in search.page_of(doc, "x.html", "标题").blocks)
    assert "自己的话" in text and "邻居的话" not in text and "相关文章" not in text


# --- the built book ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def linked_book(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """The sample book with 40 generated articles, one of which links to another in its text."""
    root = copy_book(tmp_path_factory.mktemp("linked-book"))
    captures = root.parent / "captures"
    run_book(root, "sample", "--articles", "40", "--out", str(captures), "--seed", "5")
    run_book(root, "import", str(captures), "--quiet")
    notebooks = sorted(p for p in (root / "notebooks").rglob("*.md") if "_index" not in p.parts and p.stem.isdigit())
    citing, cited = notebooks[0], notebooks[-1]
    link = Path("/".join([".."] * (len(citing.relative_to(root / "notebooks").parts) - 1))) / cited.relative_to(
        root / "notebooks"
    )
    line = f"办理之前可以先读[这篇文章]({link.as_posix()})，再决定怎么做。"
    citing.write_text(citing.read_text(encoding="utf-8").rstrip("\n") + "\n\n+++\n\n" + line + "\n", encoding="utf-8")
    run_book(root, "build", "--strict")
    rel = {p: p.relative_to(root).with_suffix(".html").as_posix() for p in (citing, cited)}
    return root, {"citing": rel[citing], "cited": rel[cited], "line": "办理之前可以先读这篇文章，再决定怎么做。"}


def _article(root: Path, page: str):
    return lxml_html.fromstring((root / "_build" / "html" / page).read_bytes()).xpath("//article")[0]


def _section(article, id_: str):
    found = article.xpath(f".//section[@id='{id_}']")
    return found[0] if found else None


@pytest.mark.build
def test_every_article_lists_at_least_three_full_articles(linked_book) -> None:
    root, _ = linked_book
    html = root / "_build" / "html"
    articles = catalog.load(root).articles
    paths = articles.loc[~articles["is_stub"], "path"]
    pages = [html / Path(path).with_suffix(".html") for path in paths]
    assert len(pages) == 41  # the seed and the 40 generated
    for page in pages:
        section = _section(_article(root, page.relative_to(html).as_posix()), "book-related")
        assert section is not None, page
        assert section.xpath("string(h2)").strip().rstrip("#") == "相关文章"
        hrefs = [a.get("href") for a in section.iter("a") if "headerlink" not in (a.get("class") or "")]
        assert len(hrefs) >= 3, page
        for href in hrefs:  # full articles, not stubs or the page itself
            target = (page.parent / href).resolve()
            assert target.exists() and target != page.resolve() and "_index" not in target.parts, (page, href)


@pytest.mark.build
def test_a_cited_article_shows_who_cites_it_and_the_line(linked_book) -> None:
    root, pages = linked_book
    article = _article(root, pages["cited"])
    section = _section(article, "book-cited-by")
    assert section is not None
    assert section.xpath("string(h2)").strip().rstrip("#") == "被引用"
    items = section.xpath(".//li")
    here = root / "_build" / "html" / Path(pages["cited"]).parent
    citing = (root / "_build" / "html" / pages["citing"]).resolve()
    hit = [li for li in items if (here / li.xpath(".//a/@href")[0]).resolve() == citing]
    assert hit, [li.text_content() for li in items]
    assert "正文写道：" + pages["line"] in " ".join(hit[0].text_content().split()).replace(" ", "")


@pytest.mark.build
def test_the_source_list_is_kept_and_marked(linked_book) -> None:
    root, pages = linked_book
    data = json.loads(
        (
            root / "notebooks/_index/links" / Path(pages["citing"]).relative_to("notebooks").with_suffix(".json")
        ).read_text(encoding="utf-8")
    )
    article = _article(root, pages["citing"])
    marked = article.xpath(".//section[contains(@class, 'book-source-list')]")
    assert data["source_list"] and marked
    assert marked[0].xpath("string(h2)").strip().rstrip("#") == data["source_list"]
    assert "来源网站列出的相关文章，按原文保留。" in marked[0].text_content()
    assert marked[0].xpath(".//li"), "the source's items are still there"


@pytest.mark.build
def test_hovering_an_article_link_previews_it_from_the_same_site(linked_book, browser) -> None:
    root, pages = linked_book
    with serve(root / "_build" / "html") as base:
        context = browser.new_context()
        log = RequestLog().attach(context)
        keep_local(context, base)
        page = context.new_page()
        page.goto(base + pages["cited"])
        # Both sections are there for a reader, under the names readers and tests look for.
        assert page.locator("#book-related h2").inner_text().strip().startswith("相关文章")
        assert page.locator("#book-cited-by h2").inner_text().strip().startswith("被引用")
        assert page.locator("#book-related a.internal").count() >= 3
        link = page.locator("#book-cited-by a.internal").first
        link.scroll_into_view_if_needed()
        link.hover()
        page.wait_for_selector(".book-preview", timeout=5000)
        preview = page.inner_text(".book-preview")
        target = (Path(pages["cited"]).parent / link.get_attribute("href")).as_posix()
        title = _article(root, target).xpath("string(.//h1)").strip().rstrip("#")
        assert preview.splitlines()[0].strip() == title
        assert len(preview.splitlines()) >= 2
        page.mouse.move(0, 0)
        page.wait_for_selector(".book-preview", state="detached", timeout=5000)
        page.screenshot(path=str(root / "after-hover.png"))
        assert log.outside(base) == []
        context.close()


@pytest.mark.build
def test_a_topic_page_shows_its_articles_as_a_static_graph(linked_book, browser) -> None:
    root, _ = linked_book
    html = root / "_build" / "html"
    shown = 0
    for svg in (root / "notebooks" / "_index" / "topics").rglob("*.svg"):
        page = svg.with_suffix(".html").relative_to(root).as_posix()
        article = _article(root, page)
        images = article.xpath(".//img[contains(@src, '.svg')]")
        assert images, page
        drawn = (html / Path(page).parent / images[0].get("src")).resolve()
        tree = lxml_html.fromstring(drawn.read_bytes())
        links = article.xpath("(.//ul)[1]/li")  # the first list is the articles; stubs follow
        assert len(tree.xpath("//circle")) == min(len(links), graphs.MAX_NODES), page
        assert "http" not in drawn.read_text(encoding="utf-8").replace("http://www.w3.org/2000/svg", "")
        shown += 1
    assert shown
    with serve(html) as base:
        context = browser.new_context()
        keep_local(context, base)
        view = context.new_page()
        view.goto(base + page)
        width = view.eval_on_selector("article img", "img => img.complete && img.naturalWidth")
        assert width == graphs.WIDTH
        context.close()


def test_a_topic_graph_draws_hostile_titles_as_text() -> None:
    from lxml import etree

    hostile = [("1", '<script>alert(1)</script>"&'), ("2", "控制\x01字符\ud800"), ("3", "普通标题")]
    svg, shown = graphs.topic_graph("主题<b>", hostile, [("1", "2"), ("2", "3")])
    tree = etree.fromstring(svg.encode("utf-8"))
    assert shown == 3
    assert not [e for e in tree.iter() if etree.QName(e).localname in ("script", "a", "foreignObject")]
    texts = [t for t in tree.itertext()]
    assert '<script>alert(1)</script>"&' in texts and "主题<b>" in texts
