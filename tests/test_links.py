"""The built sample book has no broken internal link: every href and src resolves, every anchor exists."""

from __future__ import annotations

from pathlib import Path

from book.site.links import broken_links


def test_every_internal_link_of_the_sample_site_resolves(site: Path) -> None:
    assert len(list(site.rglob("*.html"))) > 10
    assert broken_links(site) == []


def test_the_checker_finds_missing_files_and_anchors(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text('<p id="top">x</p><a name="old"></a>', encoding="utf-8")
    (tmp_path / "page.html").write_text(
        '<a href="a/">dir</a><a href="a/index.html#top">ok</a><a href="a/#old">named</a>'
        '<a href="#here" id="here">self</a><a href="https://example.com/x">out</a>'
        '<a href="gone.html">gone</a><a href="a/index.html#nowhere">bad anchor</a><a href="#missing">x</a>'
        '<img src="img/none.png"><a href="../escape.html">up</a>',
        encoding="utf-8",
    )
    assert sorted(broken_links(tmp_path)) == sorted(
        [
            "page.html: gone.html (no such file)",
            "page.html: a/index.html#nowhere (no anchor 'nowhere' on that page)",
            "page.html: #missing (no anchor 'missing' on that page)",
            "page.html: img/none.png (no such file)",
            "page.html: ../escape.html (no such file)",
        ]
    )
