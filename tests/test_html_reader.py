"""The HTML reader: a saved page of the site yields the same article as its text capture."""

from __future__ import annotations

import dataclasses
import html as htmlmod
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from book.errors import BookError
from book.model import Article
from book.readers import html as html_reader
from book.readers import text as text_reader
from book.readers.decode import decode

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "data" / "raw" / "000_bf8650cd44fa6f73.txt"
FIXTURES = ROOT / "tests" / "fixtures" / "html"
PAGE = FIXTURES / "67202.html"
PAGE_GBK = FIXTURES / "67202.gbk.html"


def _comparable(article: Article) -> Article:
    """Drop what must differ between two captures of one page: file name and line numbers."""
    blocks = tuple(dataclasses.replace(b, line=0) for b in article.blocks)
    return dataclasses.replace(article, source_path="", blocks=blocks)


def _page(body: str, head: str = '<meta charset="utf-8">') -> str:
    return f"<!DOCTYPE html>\n<html><head>{head}</head><body>\n{body}\n</body></html>\n"


@pytest.fixture(scope="module")
def from_text() -> Article:
    return text_reader.read(SEED)


@pytest.mark.parametrize("path", [PAGE, PAGE_GBK], ids=["utf-8", "gbk"])
def test_saved_page_reads_as_its_text_capture(path: Path, from_text: Article) -> None:
    article = html_reader.read(path)
    assert _comparable(article) == _comparable(from_text)
    assert article.source_path == str(path)
    # The equality above is only worth something if the capture is rich.
    assert article.id == "67202"
    assert (article.author, article.age, article.date, article.views) == ("合飞律师", "4个月前", "01-06", 4)
    assert article.category == ("金融债务",)
    assert len(article.related) == 8 and all(r.excerpt.endswith("...") for r in article.related)
    assert article.text_lines() == from_text.text_lines()
    # Both encodings point at the same HTML lines.
    assert [b.line for b in article.blocks] == [b.line for b in html_reader.read(PAGE).blocks]


def test_gbk_fixture_is_the_utf8_page_reencoded() -> None:
    utf8 = PAGE.read_text("utf-8")
    gbk = PAGE_GBK.read_bytes().decode("gbk")
    assert '<meta charset="gbk">' in gbk
    assert gbk.replace('<meta charset="gbk">', '<meta charset="utf-8">', 1) == utf8
    with pytest.raises(UnicodeDecodeError):
        PAGE_GBK.read_bytes().decode("utf-8")


# Text that is on the saved page but only in its chrome, one or more per kind.
CHROME_TEXT = {
    "top bar": ["欢迎访问合飞律师网"],
    "logo slogan": ["专业处理债务纠纷"],
    "nav menu": ["婚姻家庭", "刑事辩护", "劳动纠纷", "关于我们"],
    "login": ["注册"],
    "ads": ["广告位招租", "hflaw2023"],
    "scripts": ["hm.baidu.com", "_hmt", "lazyload", "QRCode", "document.write", "schema.org"],
    "noscript": ["请开启JavaScript"],
    "share widget": ["分享到", "QQ好友", "新浪微博"],
    "prev/next": ["上一篇", "信用卡逾期被起诉了怎么办"],
    "comments": ["发表评论", "暂无评论", "提交评论"],
    "sidebar": ["热门文章", "最新文章", "借呗逾期后果有哪些", "离婚财产分割的法律规定", "标签列表", "停息挂账"],
    "footer": ["友情链接", "Copyright", "浙ICP备", "不构成法律意见"],
    "floating widgets": ["在线咨询", "返回顶部"],
    "hidden spam": ["关键词堆砌"],
}


@pytest.mark.parametrize("kind", sorted(CHROME_TEXT))
def test_page_chrome_stays_out_of_the_article(kind: str) -> None:
    page = PAGE.read_text("utf-8")
    seed = SEED.read_text("utf-8")
    dumped = repr(html_reader.read(PAGE))
    for needle in CHROME_TEXT[kind]:
        assert needle in page and needle not in seed, f"bad test string {needle!r}"
        assert needle not in dumped, f"{kind}: {needle!r} leaked into the article"


def test_block_lines_point_at_the_html_source() -> None:
    source = PAGE.read_text("utf-8").split("\n")
    article = html_reader.read(PAGE)
    heading = next(b for b in article.blocks if b.text == "三、国美金融催收部的位置")
    expected = next(n for n, line in enumerate(source, start=1) if "<h2" in line and heading.text in line)
    assert heading.line == expected
    # Every block's line holds the start of its text (the fixture keeps one
    # element per line; inline links may split the rest of it).
    for block in article.blocks:
        assert block.text[:4] in source[block.line - 1], block


def test_errors_name_the_html_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.html"
    path.write_text(
        _page(
            "<div class='crumbs'>当前位置:<a>首页</a> &gt; <a>金融债务</a> &gt; 正文内容</div>\n"
            "<h1>标题</h1>\n"
            "<p>正文。</p>\n"
            "<p>本文链接:<a href='https://www.hefeilaws.com/hf/'>https://www.hefeilaws.com/hf/</a></p>\n"
        ),
        "utf-8",
    )
    with pytest.raises(BookError) as err:
        html_reader.read(path)
    assert err.value.path == str(path)
    assert err.value.line == 6  # the 本文链接 paragraph
    assert f"{path}:6:" in str(err.value)


def test_a_page_without_article_structure_is_body_only() -> None:
    article = html_reader.reads(
        _page("<p>国美金融催收部在哪</p>\n<p>第一段。</p>\n<p>第二段\n  <b>加粗</b>的文字。</p>"), "x.html"
    )
    assert article.title == "国美金融催收部在哪"
    assert article.category == ("未分类",)
    assert (article.author, article.date, article.views, article.source_url) == ("", "", None, "")
    assert [b.text for b in article.blocks] == ["第一段。", "第二段加粗的文字。"]
    assert [b.line for b in article.blocks] == [4, 5]
    assert article.source_path == "x.html"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"  \n\t\n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" * 8, "binary"),
    ],
    ids=["empty", "blank", "binary"],
)
def test_unreadable_files_raise_naming_the_file(tmp_path: Path, data: bytes, message: str) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(data)
    with pytest.raises(BookError) as err:
        html_reader.read(path)
    assert err.value.path == str(path)
    assert str(path) in str(err.value) and message in str(err.value)


def test_a_page_with_no_text_raises(tmp_path: Path) -> None:
    path = tmp_path / "scripts.html"
    path.write_text(_page("<script>var a = 1;</script><nav><a>首页</a></nav>"), "utf-8")
    with pytest.raises(BookError) as err:
        html_reader.read(path)
    assert err.value.path == str(path)


def test_declared_big5_is_honoured(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    page = _page(
        "<p>當前位置:首頁 &gt; 法律諮詢 &gt; 正文內容</p><h1>離婚財產怎麼分</h1><p>夫妻共同財產原則上平均分割。</p>",
        head='<meta http-equiv="Content-Type" content="text/html; charset=big5">',
    )
    data = page.encode("big5")
    mojibake = data.decode("gb18030")  # these Big5 bytes are valid GB18030 too
    assert mojibake != page
    path = tmp_path / "big5.html"
    path.write_bytes(data)
    # Make the undeclared guess wrong, so only the declaration can get it right.
    monkeypatch.setattr(html_reader, "decode", lambda data, path: decode(data, path) and mojibake)
    article = html_reader.read(path)
    assert (article.title, article.category) == ("離婚財產怎麼分", ("法律諮詢",))
    assert [b.text for b in article.blocks] == ["夫妻共同財產原則上平均分割。"]


def test_utf8_bytes_win_over_a_stale_legacy_declaration(tmp_path: Path, from_text: Article) -> None:
    path = tmp_path / "stale.html"
    path.write_bytes(PAGE.read_text("utf-8").replace('charset="utf-8"', 'charset="gbk"').encode("utf-8"))
    assert _comparable(html_reader.read(path)) == _comparable(from_text)


def test_inline_text_is_joined_and_blocks_split() -> None:
    lines = [
        t
        for _, t, _ in html_reader.page_lines(
            _page(
                "<div>前言<span>紧贴</span><a>连接</a>\n"
                "  <p>Hello\n   world &amp; <i>more</i></p>尾巴</div>\n"
                "<p>第一行<br>第二行<br/>\n第三行</p>\n"
                "<p>中文换行\n  不加空格, ASCII\nwraps</p>\n"
                "<p>&nbsp;&nbsp;\u3000缩进</p>\n"
                "<ul><li><a>相关标题</a><p>摘要...</p></li><li>第二项</li></ul>\n"
                "<table><tr><td>甲</td><td>乙</td></tr></table>\n"
                "<pre>代码 一\n  代码 二</pre>\n"
                "<!-- 注释 --><p hidden>隐藏</p><p style='display: none'>也隐藏</p>"
            )
        )
    ]
    assert lines == [
        "前言紧贴连接",
        "Hello world & more",
        "尾巴",
        "第一行",
        "第二行",
        "第三行",
        "中文换行不加空格, ASCII wraps",
        "缩进",
        "相关标题",
        "摘要...",
        "第二项",
        "甲 乙",
        "代码 一",
        "代码 二",
    ]


def test_article_container_survives_chrome_like_wrappers() -> None:
    # An XHTML page (XML declaration), the whole page in an ASP.NET <form>, the
    # title in an <header> of the <article>, a sidebar named only "side".
    page = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<html xmlns="http://www.w3.org/1999/xhtml"><head><title>t</title></head><body>\n'
        '<form id="form1" runat="server">\n'
        '<div class="header"><h1 class="site">网站名</h1></div>\n'
        '<div class="crumb">当前位置：<a>首页</a> » <a>婚姻家庭</a> » <a>离婚</a> » 正文</div>\n'
        "<article><header><h1>离婚怎么办</h1></header>\n"
        '<div class="c"><p>一、起诉</p><p>正文一。</p><p>总结</p><p>正文二。</p></div></article>\n'
        '<div class="side"><p>侧栏文字</p></div>\n'
        "</form></body></html>"
    )
    article = html_reader.reads(page)
    assert article.title == "离婚怎么办"
    assert article.category == ("婚姻家庭", "离婚")
    assert [b.text for b in article.blocks] == ["一、起诉", "正文一。", "总结", "正文二。"]
    assert article.blocks[0].line == 7


def test_related_list_ends_where_its_list_ends() -> None:
    page = _page(
        "<div class='crumbs'>当前位置:<a>首页</a> &gt; 正文</div><h1>标题</h1><p>正文。</p>\n"
        "<p>版权声明:本文由某所原创。</p>\n"
        "<h3>标题的相关文章</h3>\n"
        "<ul><li><a>甲文</a><p>甲摘要...</p></li><li><a>乙文</a><p>乙摘要...</p></li></ul>\n"
        "<div class='box'><p>这里是页面后面的其他内容</p></div>"
    )
    article = html_reader.reads(page)
    assert [(r.title, r.excerpt) for r in article.related] == [("甲文", "甲摘要..."), ("乙文", "乙摘要...")]
    assert "其他内容" not in repr(article)


# Characters the sample uses, plus markup-significant ones that must be escaped.
_ALPHABET = sorted({c for c in SEED.read_text("utf-8") if not c.isspace()} | set("<>&\"'"))
_LINE = st.lists(st.text(alphabet=_ALPHABET, min_size=1, max_size=12), min_size=1, max_size=4).map(" ".join)


@settings(max_examples=60, deadline=None)
@given(st.lists(_LINE, min_size=1, max_size=12))
def test_paragraph_pages_read_like_the_same_text(lines: list[str]) -> None:
    as_text = "\n\n".join(lines)
    as_html = _page("\n".join(f"<p>{htmlmod.escape(line)}</p>" for line in lines))
    try:
        expected: Article | str = _comparable(text_reader.reads(as_text))
    except BookError as exc:
        expected = exc.message
    try:
        got: Article | str = _comparable(html_reader.reads(as_html))
    except BookError as exc:
        got = exc.message
    assert got == expected
