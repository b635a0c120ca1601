"""Saved pages of several sites' shapes keep their whole article whatever void or unclosed element sits in them.

libxml2's HTML 4 parser let one ``<embed>``, or an ``<iframe>``, ``<textarea>``,
``<style>`` or ``<svg>`` left open, swallow the rest of the body, and the
import reported success with one block of forty.  Each fixture marks with
``<!--@-->`` places an element is put: before the article, between its title
and its text, and inside its text.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from book.readers import html as html_reader
from book.readers.html_repair import close_unclosed

SHAPES = sorted((Path(__file__).resolve().parent / "fixtures" / "html" / "shapes").glob("*.html"))
MARK = "<!--@-->"

VOID = [
    '<embed src="/flash/player.swf" width="480" height="360">',
    '<embed src="/flash/player.swf" />',
    '<img src="/a.png" alt="">',
    '<input type="hidden" name="token" value="1">',
    "<wbr>",
    '<source src="/v.mp4" type="video/mp4">',
    '<param name="movie" value="/a.swf">',
    '<area shape="rect" coords="0,0,1,1" href="#">',
    "<hr>",
]
UNCLOSED = [
    '<iframe src="https://player.example.com/v/1" frameborder="0" allowfullscreen>',
    '<textarea name="comment" rows="4">',
    '<style type="text/css">',
    '<svg viewBox="0 0 10 10"><path d="M0 0h10v10z"/>',
    "<svg>",
    '<script type="text/javascript">',
    "<title>",
    "<noscript>",
    '<object data="/a.swf" type="application/x-shockwave-flash">',
    '<video src="/v.mp4" controls>',
    "<audio controls>",
    '<canvas width="300" height="150">',
    '<select name="city"><option value="1">',
    '<option value="2">',
    '<button type="button">',
    "<math><mrow>",
    "<template>",
    '<map name="m">',
    "<datalist>",
    "<xmp>",
    "<noembed>",
    "<noframes>",
    "<plaintext>",
    "<!--",  # a comment never closed
]
CLOSED = [
    '<iframe src="/x"></iframe>',
    '<svg width="8" height="8"><circle cx="4" cy="4" r="4"/></svg>',
    "<svg/>",
    '<embed src="/a.swf"></embed>',
    "<textarea></textarea>",
    "<style>p{color:red}</style>",
    "<script>document.write('<div>' + '<script src=x><\\/script>');</script>",
]


def _article_lines(page: str) -> list[str]:
    return html_reader.reads(page, "page.html").text_lines()


@pytest.fixture(scope="module", params=SHAPES, ids=[p.stem for p in SHAPES])
def shape(request: pytest.FixtureRequest) -> tuple[str, list[str]]:
    page = request.param.read_text("utf-8")
    assert page.count(MARK) >= 3
    lines = _article_lines(page.replace(MARK, ""))
    assert len(lines) >= 7  # a real article, so losing its body shows
    return page, lines


@pytest.mark.parametrize("element", VOID + UNCLOSED + CLOSED)
def test_no_element_drops_the_article(shape: tuple[str, list[str]], element: str) -> None:
    page, expected = shape
    parts = page.split(MARK)
    for at in range(1, len(parts)):
        mutated = "".join(parts[:at]) + element + "".join(parts[at:])
        assert _article_lines(mutated) == expected, f"{element!r} at mark {at}"


def test_four_shapes() -> None:
    assert [p.stem for p in SHAPES] == ["dedecms", "news", "wechat", "wordpress"]


@pytest.mark.parametrize("element", UNCLOSED)
def test_closing_keeps_every_line_number(element: str) -> None:
    page = f"<body>\n<p>一</p>\n{element}\n<p>二</p>\n<div>\n三</div>\n</body>"
    repaired = close_unclosed(page)
    assert repaired.count("\n") == page.count("\n")
    lines = [(n, t) for n, t, _ in html_reader.page_lines(page)]
    assert lines == [(2, "一"), (4, "二"), (6, "三")]


def test_closed_hiding_elements_still_hide_their_content() -> None:
    page = (
        "<body><p>正文一</p><textarea>评论框里的字</textarea><iframe>框架里的字</iframe>"
        "<style>p{}</style><svg><text>图里的字</text></svg><p>正文二</p></body>"
    )
    assert close_unclosed(page) == page
    assert [t for _, t, _ in html_reader.page_lines(page)] == ["正文一", "正文二"]


SITE_PAGE = Path(__file__).resolve().parent / "fixtures" / "html" / "67202.html"


@pytest.mark.parametrize("element", ['<embed src="/a.swf">', *UNCLOSED])
def test_the_site_page_keeps_all_its_blocks(element: str) -> None:
    # The page of the issue: 40 blocks, and 1 with an <embed> under libxml2.  The element goes
    # before the site's top bar, before the breadcrumb, before the intro, inside the body and after it.
    lines = SITE_PAGE.read_text("utf-8").split("\n")
    expected = html_reader.reads("\n".join(lines), "67202.html")
    assert len(expected.blocks) == 40
    for at in (35, 64, 76, 89, 117):
        mutated = "\n".join([*lines[:at], element + lines[at], *lines[at + 1 :]])
        got = html_reader.reads(mutated, "67202.html")
        assert got.blocks == expected.blocks, f"{element!r} at line {at + 1}"
