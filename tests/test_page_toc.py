"""The page's table of contents without BeautifulSoup (book.engine.page_toc), held to what
pydata-sphinx-theme's own ``generate_toc_html`` prints for the same text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydata_sphinx_theme.toctree import add_toctree_functions

from book.engine import page_toc


def _theirs(toc: str, level: int) -> Any:
    context: dict[str, Any] = {"toc": toc, "theme_show_toc_level": level}
    add_toctree_functions(None, "page", "page.html", context, None)
    return context["generate_toc_html"]()


def _sphinx_toc(items: list) -> str:
    """A table of contents written as Sphinx writes one."""
    html = "<ul>\n"
    for text, href, children in items:
        html += f'<li><a class="reference internal" href="{href}">{text}</a>'
        html += _sphinx_toc(children) if children else ""
        html += "</li>\n"
    return html + "</ul>\n"


_PIECES = [*"债务催收一二三、．.（）() 1a\"'#%\t\x0c\u3000", "&amp;", "&lt;", "&#64;", "\n", "  "]
_TEXT = st.lists(st.sampled_from(_PIECES), min_size=1, max_size=12).map("".join)
_HREF = st.sampled_from(["#", "#section-1", "#id2", "#%E5%80%BA"])
_ITEMS = st.recursive(
    st.just([]),
    lambda children: st.lists(st.tuples(_TEXT, _HREF, children), min_size=1, max_size=4),
    max_leaves=12,
)


def _same(toc: str, level: int) -> None:
    ours, theirs = page_toc.toc_html(toc, level), _theirs(toc, level)
    if ours is not None:
        assert ours == str(theirs)
        assert bool(ours) == bool(theirs)  # the templates test it: `{% if page_toc %}`


@settings(max_examples=300, deadline=None)
@given(_ITEMS, st.integers(0, 3))
def test_the_same_table_of_contents_as_the_theme(items: list, level: int) -> None:
    _same(_sphinx_toc(items) if items else "", level)


_PLAIN_TEXT = st.lists(st.sampled_from([p for p in _PIECES if "&" not in p]), min_size=1, max_size=12).map("".join)
_PLAIN_ITEMS = st.recursive(
    st.just([]),
    lambda children: st.lists(st.tuples(_PLAIN_TEXT, _HREF, children), min_size=1, max_size=4),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(_PLAIN_TEXT, _PLAIN_ITEMS, st.integers(0, 3))
def test_a_titled_page_of_plain_headings_is_read_here_and_the_same(title: str, sections: list, level: int) -> None:
    toc = _sphinx_toc([(title, "#", sections)])
    ours = page_toc.toc_html(toc, level)
    assert ours is not None
    assert ours == str(_theirs(toc, level))


@pytest.mark.parametrize(
    "toc",
    [
        _sphinx_toc([("标题", "#", [("1.1 一、债务", "#s1", [("1.1.1 小节", "#s2", [])]), ("1.2 二", "#s3", [])])]),
        _sphinx_toc([("标题", "#", [])]),  # a title alone: no table of contents
        _sphinx_toc([("一", "#", []), ("二", "#b", [])]),  # two top-level sections: left to the theme
        '<ul>\n<li><a class="reference internal" href="#">A &amp; B</a></li>\n</ul>\n',  # a reference
        '<ul>\n<li><a class="reference internal" href="#" title="x">A</a></li>\n</ul>\n',  # another attribute
        '<ul>\n<li><a class="reference internal" href="#">A</a></ul>\n',  # not closed
        "",
    ],
)
def test_edge_texts_are_the_themes_or_left_to_it(toc: str) -> None:
    for level in (0, 1, 2):
        _same(toc, level)


def test_the_plain_shape_is_read_here_and_the_rest_left_to_the_theme() -> None:
    plain = _sphinx_toc([("标题", "#", [("1.1 一", "#s1", [])])])
    assert page_toc.toc_html(plain, 1) is not None
    assert page_toc.toc_html(plain.replace("一", "&amp;"), 1) is None
    assert page_toc.toc_html(plain.replace("</a>", "", 1), 1) is None


def test_installed_in_a_page_context_it_answers_as_the_theme_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple] = []
    toc_html = page_toc.toc_html
    monkeypatch.setattr(page_toc, "toc_html", lambda *args: calls.append(args) or toc_html(*args))
    plain = _sphinx_toc([("标题", "#", [("1.1 一", "#s1", [])])])
    for toc in (plain, plain.replace("一", "A &amp; B")):
        calls.clear()
        context: dict[str, Any] = {"toc": toc, "theme_show_toc_level": 1}
        add_toctree_functions(None, "page", "page.html", context, None)
        page_toc.install(context)
        page_toc.install(context)  # twice is once
        assert str(context["generate_toc_html"]()) == str(_theirs(toc, 1))
        context["generate_toc_html"]()
        assert len(calls) == 1


def test_a_book_theme_site_is_the_same_with_it(tmp_path: Path) -> None:
    from sphinx.application import Sphinx

    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text('html_theme = "sphinx_book_theme"\n', encoding="utf-8")
    body = "标题\n====\n\n一、债务\n--------\n\n正文。\n\n（一）小节\n~~~~~~~~~~\n\n正文。\n"
    body += "\n二、催收\n--------\n\n正文 & <正文>。\n"
    (src / "index.rst").write_text(body, encoding="utf-8")
    pages = {}
    for fast in (False, True):
        out = tmp_path / f"out-{fast}"
        app = Sphinx(str(src), str(src), str(out), str(tmp_path / f"doctrees-{fast}"), "html", status=None)
        if fast:
            assert page_toc.wrap_theme(app)
        app.build()
        pages[fast] = (out / "index.html").read_text(encoding="utf-8")
    assert 'class="nav section-nav flex-column"' in pages[True]  # the page has a table of contents
    assert pages[True] == pages[False]
