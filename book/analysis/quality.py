"""A data-quality table: one row per problem found in the catalog or article text.

The source site fills article templates with values it sometimes does not
have, leaving holes such as ``国美金融成立于年`` (the year is missing) or
``总部位于市，具体地址为。``.  The captures keep them verbatim (fidelity to the
source comes first), so this table is where they are surfaced instead.

Each rule in :data:`HOLES` matches a hole *with the context that makes it a
hole*: ``于年`` alone would also match 有助于年轻人 and 于年底, ``位于市``
would match 位于市中心, ``为。`` would match 违法行为。.  Rules are kept to what
was seen in captures; add one with an example when a new kind of hole turns up.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..notebook import strip_front_matter, syntax
from .charts import is_stub

COLUMNS = ["article_id", "title", "problem", "detail"]

TEMPLATE_HOLE = "模板空缺"
STUB = "仅有标题与摘要"
NO_DATE = "缺少日期"
NO_AUTHOR = "缺少作者"
NO_SECTIONS = "没有小节"
NO_FILE = "找不到笔记本文件"

# Punctuation that can directly follow a hole (the captures mix ASCII and full-width).
_END = r"[，,。．.；;、：:）)」』\s]"
_CONTEXT = 10


@dataclass(frozen=True)
class Hole:
    what: str  # shown in the detail column
    pattern: re.Pattern[str]
    example: str  # a hole the rule must find (checked by the tests)
    clean: str  # normal text it must not flag
    # Every match contains one of these, so a text without any is not searched: a substring
    # test is a tenth of the regex, which tries its alternatives at each 于 or 资 (common words).
    needs: tuple[str, ...] = ()


HOLES: tuple[Hole, ...] = (
    Hole(
        "缺年份",
        # "founded in <year>" verbs, or 于年 right before punctuation; not 于年底/于年内/对于年轻人.
        re.compile(rf"(?:成立|创立|创办|创建|设立|注册|建立|始建)于年|于年(?={_END})"),
        "国美金融成立于年,是国美集团旗下",
        "该公司成立于2008年,预计于年底上市,有助于年轻人",
        needs=("于年",),
    ),
    Hole(
        "缺地名",
        # a place-noun suffix with no name before it, then punctuation; not 位于市中心.
        re.compile(rf"(?:位于|设在|设于|坐落于|地处|总部在)(?:省|市|区|县|镇)(?={_END})"),
        "国美金融的总部位于市,具体地址为。",
        "该公司位于北京市,门店位于市中心。",
    ),
    Hole(
        "缺取值",
        # "<field> is" followed straight by punctuation; not 违法行为。 (no field noun).
        re.compile(rf"(?:地址|地点|电话|号码|热线|网址|邮箱|名称|时间|金额|编号|账号)(?:为|是|：|:)(?={_END})"),
        "具体地址为。催收部作为总部",
        "具体地址为北京市朝阳区。这是违法行为。",
    ),
    Hole(
        "缺字",
        # Words the template cut a character out of: 资(金)问(题), 总(部)位于.
        re.compile(rf"资问(?={_END})|总位于"),
        "越来越多的人选择通过网贷解决资问。",
        "这是投资问题,总部位于上海。",
        needs=("资问", "总位于"),
    ),
)


_NOT_THIS_ARTICLE = {"related"}  # excerpts of other articles: reported on their own pages


def own_text(body: str) -> str:
    """``body`` with the cells that quote other articles blanked out (line numbers kept).

    A related-articles cell repeats excerpts whose holes belong to those
    articles (and are found on their stub pages), not to this one.
    """
    kept: list[str] = []
    part, start = "", 0
    for cell_break in syntax.CELL_BREAK_IN_TEXT.finditer(body):
        if cell_break.start() and body[cell_break.start() - 1] != "\n":
            continue
        text = body[start : cell_break.start()]
        kept.append("\n" * text.count("\n") if part in _NOT_THIS_ARTICLE else text)
        kept.append(cell_break.group(0))
        part, start = syntax.part_of(cell_break.group(1), default=""), cell_break.end()
    text = body[start:]
    kept.append("\n" * text.count("\n") if part in _NOT_THIS_ARTICLE else text)
    return "".join(kept)


def find_holes(text: str, first_line: int = 1) -> list[tuple[str, int, str]]:
    """(what, line number, snippet with context) for every template hole in ``text``."""
    found = []
    for hole in HOLES:
        if hole.needs and not any(needed in text for needed in hole.needs):
            continue
        for m in hole.pattern.finditer(text):
            line = first_line + text.count("\n", 0, m.start())
            start = max(text.rfind("\n", 0, m.start()) + 1, m.start() - _CONTEXT)
            end_of_line = text.find("\n", m.end())
            end = min(end_of_line if end_of_line != -1 else len(text), m.end() + _CONTEXT)
            snippet = text[start:end].strip()
            found.append((m.start(), hole.what, line, snippet))
    return [f[1:] for f in sorted(found)]


def _blank(value: object) -> bool:
    return value is None or (not isinstance(value, str) and pd.isna(value)) or str(value).strip() == ""


def _no_number_or_zero(value: object) -> bool:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return True
    return math.isnan(number) or int(number) == 0


def _stub_section(body: str, stub_id: str, skipped: int) -> tuple[str, int]:
    """Stubs share pages (one section each, opened by its label): keep this stub's section,
    with the number of lines before it so reported line numbers stay right."""
    start = body.find(f"({stub_id})=")
    if start < 0:
        return "", skipped
    end = body.find("\n(t-", start + 1)
    section = body[start : end if end >= 0 else len(body)]
    return section, skipped + body[:start].count("\n")


def quality_table(articles: pd.DataFrame, root: Path) -> pd.DataFrame:
    """One row per problem: template holes in each notebook's text, stubs, missing metadata.

    Stubs are reported once as stubs: that they have no date, author or
    sections follows from being a stub, and repeating it would bury the rest.
    Their notebooks (the excerpt) are still searched for holes.
    """
    rows: list[tuple[str, str, str, str]] = []
    stub_flags = is_stub(articles)
    # Stubs share pages (256 at most), so a page is read once, not once per stub on it.
    bodies: dict[str, tuple[str, int] | OSError] = {}
    for article, stub in zip(articles.to_dict("records"), stub_flags, strict=True):
        aid, title = str(article.get("id", "")), str(article.get("title", "") or "")

        def add(problem: str, detail: str, aid: str = aid, title: str = title) -> None:
            rows.append((aid, title, problem, detail))

        path = article.get("path")
        if _blank(path):
            add(NO_FILE, "目录中没有 path")
        else:
            if str(path) not in bodies:
                try:
                    bodies[str(path)] = strip_front_matter((Path(root) / str(path)).read_text(encoding="utf-8"))
                except OSError as e:
                    bodies[str(path)] = e
            read = bodies[str(path)]
            if isinstance(read, OSError):
                add(NO_FILE, f"{path}: {read.strerror or read}")
            else:
                body, skipped = read
                if stub:
                    body, skipped = _stub_section(body, aid, skipped)
                for what, line, snippet in find_holes(own_text(body), skipped + 1):
                    add(TEMPLATE_HOLE, f"{path}:{line} {what}：…{snippet}…")
        if stub:
            add(STUB, "相关文章，只知道标题与摘要，尚未导入全文")
            continue
        if _blank(article.get("date")):
            add(NO_DATE, "原文没有发布日期")
        if _blank(article.get("author")):
            add(NO_AUTHOR, "原文没有作者")
        if _no_number_or_zero(article.get("sections")):
            add(NO_SECTIONS, "正文没有识别出小节标题")
    return pd.DataFrame(rows, columns=COLUMNS)
