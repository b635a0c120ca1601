"""The data notebook's tables: chosen columns, title first, readable widths, escaped text."""

from __future__ import annotations

import pandas as pd
from lxml import html as lxml_html

from book.analysis.tables import ROWS, readable


def _frame(n: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": [str(67000 + i) for i in range(n)],
            "path": [f"notebooks/x/{i}.md" for i in range(n)],
            "views": [i * 1000 for i in range(n)],
            "title": [f"第{i}篇文章的标题，长得足以换行的那一种写法" for i in range(n)],
            "weight": [0.123456] * n,
            "author": [None] * n,
        }
    )


def _table(frame: pd.DataFrame, columns: list[str]) -> lxml_html.HtmlElement:
    return lxml_html.fromstring(readable(frame, columns, "t")._repr_html_())


def test_a_table_shows_the_chosen_columns_in_their_order_title_first() -> None:
    box = _table(_frame(3), ["title", "views", "missing", "author"])
    assert [th.text_content() for th in box.iter("th")] == ["title", "views", "author"]
    first_row = next(box.iter("tbody")).find("tr")
    assert [td.text_content() for td in first_row] == ["第0篇文章的标题，长得足以换行的那一种写法", "0", ""]


def test_titles_wrap_and_short_values_stay_on_one_line() -> None:
    box = _table(_frame(2), ["title", "views", "weight"])
    classes = [td.get("class") for td in next(box.iter("tbody")).find("tr")]
    assert classes == ["wrap", "line", "line"]
    assert box.get("class") == "book-table"  # the scrolling box of book.css
    assert [td.text_content() for td in next(box.iter("tbody")).find("tr")][2] == "0.123"


def test_a_long_table_shows_its_first_rows_and_says_how_many_there_are() -> None:
    box = _table(_frame(ROWS + 7), ["title"])
    assert len(list(box.iter("tbody"))[0]) == ROWS
    assert box.get("data-rows") == f"{ROWS} / {ROWS + 7}"


def test_text_in_a_table_is_text_never_markup() -> None:
    frame = pd.DataFrame({"title": ['<img src=x onerror="alert(1)">&amp;</td>']})
    markup = readable(frame, ["title"], "t")._repr_html_()
    assert "<img" not in markup
    box = lxml_html.fromstring(markup)
    assert [td.text_content() for td in box.iter("td")] == ['<img src=x onerror="alert(1)">&amp;</td>']
