"""The data page in Chromium: its tables read as tables (titles in a column wide enough to read,
short values on one line), each inside a box that fits the page and scrolls."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser import keep_local, serve

pytestmark = pytest.mark.build

MEASURE = """() => Array.from(document.querySelectorAll('div.book-table')).map(box => {
  const article = box.closest('article').getBoundingClientRect();
  const cells = Array.from(box.querySelectorAll('tbody tr td:first-child'));
  const style = getComputedStyle(box);
  return {
    name: box.dataset.table,
    header: Array.from(box.querySelectorAll('thead th')).map(th => th.textContent),
    fits: box.getBoundingClientRect().right <= article.right + 1,
    overflow: [style.overflowX, style.overflowY],
    firstWidth: Math.min(...cells.map(td => td.getBoundingClientRect().width)),
    lineHeight: parseFloat(getComputedStyle(cells[0] || box).lineHeight),
    tallest: Math.max(...cells.map(td => td.getBoundingClientRect().height)),
    // one line box per short value: the rectangles of its text, not of its cell (a cell is as
    // tall as its row)
    oneLine: Array.from(box.querySelectorAll('tbody td.line')).every(td => {
      const range = document.createRange();
      range.selectNodeContents(td);
      return new Set(Array.from(range.getClientRects()).map(r => Math.round(r.top))).size <= 1;
    }),
  };
})"""


def test_the_data_pages_tables_are_readable(browser, site: Path) -> None:
    with serve(site) as base:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        keep_local(context, base)
        try:
            page = context.new_page()
            page.goto(base + "notebooks/data.html")
            page.wait_for_load_state("networkidle")
            page.screenshot(path=str(site.parent / "data-page.png"), full_page=True)
            tables = {t["name"]: t for t in page.evaluate(MEASURE)}
        finally:
            context.close()
    assert {"articles", "tags", "relations"} <= set(tables)
    articles = tables["articles"]
    assert articles["header"][0] == "title"
    assert "path" not in articles["header"] and "id" not in articles["header"]
    for table in tables.values():
        assert table["fits"], table
        assert table["overflow"] == ["auto", "auto"], table
        assert table["oneLine"], table
    # A title column at least 12 characters wide, so no title wraps a character per line; the
    # longest sample title takes at most three lines.
    assert articles["firstWidth"] >= 150, articles
    assert articles["tallest"] <= 3.5 * articles["lineHeight"], articles
