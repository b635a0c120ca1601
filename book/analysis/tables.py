"""Tables for the data notebook, shown at a width people can read.

pandas' own HTML puts every column of a frame side by side at the width of the page, so in the
articles table (11 columns) a title wraps one character per line.  Here a table shows the
columns chosen for it, title first, short values on one line, titles wrapping at a readable
width, and a long table scrolls inside its own box with its header kept in view
(``book/site/theme/static/book.css``, ``.book-table``).  Cell text is HTML-escaped: an
article title is text, never markup.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import pandas as pd

# Columns whose values are sentences (titles, details): they wrap, within these widths.
WRAPPED = ("title", "source_title", "target_title", "detail")
ROWS = 50


class Table:
    """What ``display`` shows in a notebook: an HTML table, and plain text elsewhere."""

    def __init__(self, frame: pd.DataFrame, name: str, total: int) -> None:
        self.frame, self.name, self.total = frame, name, total

    def _repr_html_(self) -> str:
        columns = list(self.frame.columns)
        head = "".join(f'<th class="{_kind(c)}">{html.escape(str(c))}</th>' for c in columns)
        body = "".join(
            "<tr>"
            + "".join(f'<td class="{_kind(c)}">{_cell(v)}</td>' for c, v in zip(columns, row, strict=True))
            + "</tr>"
            for row in self.frame.itertuples(index=False, name=None)
        )
        shown = f"{len(self.frame)} / {self.total}" if self.total > len(self.frame) else str(self.total)
        return (
            f'<div class="book-table" data-table="{html.escape(self.name)}" data-rows="{shown}">'
            f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"
        )

    def __repr__(self) -> str:
        return self.frame.to_string(index=False, max_colwidth=40)


def _kind(column: object) -> str:
    return "wrap" if column in WRAPPED else "line"


def _cell(value: object) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, float):
        return f"{value:.3g}" if abs(value) < 1000 else f"{value:,.0f}"
    return html.escape(str(value))


def readable(frame: pd.DataFrame, columns: Sequence[str], name: str, rows: int = ROWS) -> Table:
    """The first ``rows`` rows of ``frame``'s ``columns`` (those it has, in that order)."""
    chosen = [c for c in columns if c in frame.columns]
    return Table(frame.loc[:, chosen].head(rows), name, len(frame))
