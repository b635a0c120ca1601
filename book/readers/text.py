"""Reader for text captures: the rendered page's text, one block per line.

``parse_lines`` is shared with the HTML reader, which first reduces a saved
page to the same lines.  The anatomy it expects is in ARTICLE-FORMAT.md; every
part but the header is optional, so body-only captures read too.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit

from .. import ids
from ..errors import BookError
from ..model import Article, Block, Related
from .decode import decode, normalise
from .headings import assign_levels

Line = tuple[int, str]  # (1-based line number in the source, stripped text)

UNCATEGORISED = ("未分类",)

_BREADCRUMB = re.compile(r"^(?:当前位置|當前位置|您的位置|你的位置)\s*[:：]\s*(?P<crumbs>.+)$")
_CRUMB_SPLIT = re.compile(r"\s*[>›»/]\s*")
_HOME = {"首页", "首頁", "主页", "主頁"}
_CONTENT = {"正文内容", "正文內容", "正文"}
_META = re.compile(
    r"^(?P<author>.*?)\s*"
    r"(?P<age>(?:\d+\s*(?:秒|分钟|分鐘|小时|小時|天|周|週|个月|個月|月|年)前)|刚刚|剛剛|昨天|前天)?\s*"
    r"[(（](?P<date>\d{4}-\d{1,2}-\d{1,2}|\d{1,2}-\d{1,2})[)）]\s*"
    r"(?P<rest>.*?)$"
)
_INTRO = {"小编导语", "小編導語", "导语", "導語"}
_SUMMARY = {"小编总结", "小編總結"}
_CHROME = {"扫描二维码推送至手机访问。", "掃描二維碼推送至手機訪問。"}
_COPYRIGHT = re.compile(r"^(?:版权声明|版權聲明)\s*[:：]")
_SOURCE = re.compile(r"^(?:本文链接|本文鏈接)\s*[:：]\s*(?P<url>\S+)\s*$")
_RELATED = re.compile(r"(?:的)?(?:相关文章|相關文章)$")
_EXCERPT_END = ("...", "…", "……")
_ID_IN_URL = re.compile(r"/(?P<id>\d+)(?:\.html?)?/?$")


def read(path: Path) -> Article:
    """Read one ``.txt`` capture."""
    text = decode(path.read_bytes(), str(path))
    return reads(text, str(path))


def reads(text: str, source: str = "<text>") -> Article:
    lines = [(n, raw.strip()) for n, raw in enumerate(normalise(text).split("\n"), start=1)]
    return parse_lines([(n, t) for n, t in lines if t], source)


def parse_lines(lines: Sequence[Line], source: str) -> Article:
    """Turn the non-empty lines of a capture into an :class:`Article`."""
    if not lines:
        raise BookError(source, 1, "the capture has no text", "capture the article again, or remove the file")
    pos = 0
    category = UNCATEGORISED
    crumb = _BREADCRUMB.match(lines[0][1])
    if crumb:
        category = _category(crumb.group("crumbs")) or UNCATEGORISED
        pos = 1
    if pos >= len(lines):
        raise BookError(source, lines[-1][0], "the capture has a breadcrumb but no title", "capture the whole page")
    _, title = lines[pos]
    pos += 1
    author = age = date = ""
    views: int | None = None
    if pos < len(lines) and (meta := _meta(lines[pos][1], category)):
        author, age, date, views = meta
        pos += 1

    body_end, footer = _split_footer(lines, pos, source)
    copyright_text, (source_url, url_line), related_marker, related, trailing = footer
    body = list(lines[pos:body_end]) + trailing
    intro_marker, summary_marker, blocks = _body_blocks(body)
    return Article(
        id=_article_id(source_url, title, source, url_line),
        title=title,
        category=category,
        author=author,
        age=age,
        date=date,
        views=views,
        source_url=source_url,
        intro_marker=intro_marker,
        summary_marker=summary_marker,
        blocks=tuple(blocks),
        copyright=copyright_text,
        related_marker=related_marker,
        related=tuple(related),
        source_path=source,
    )


def _category(crumbs: str) -> tuple[str, ...]:
    parts = [c for c in _CRUMB_SPLIT.split(crumbs.strip()) if c]
    if parts and parts[0] in _HOME:
        parts = parts[1:]
    if parts and parts[-1] in _CONTENT:
        parts = parts[:-1]
    return tuple(parts)


def _meta(line: str, category: tuple[str, ...]) -> tuple[str, str, str, int | None] | None:
    m = _META.match(line)
    if not m:
        return None
    rest = m.group("rest")
    # The category is glued in front of the view count; strip it so a
    # category ending in a digit cannot eat into the count.
    for name in (category[-1], *category) if category != UNCATEGORISED else ():
        if rest.startswith(name):
            rest = rest[len(name) :]
            break
    digits = re.search(r"(\d+)$", rest)
    views = int(digits.group(1)) if digits else None
    return m.group("author").strip(), m.group("age") or "", m.group("date"), views


def _split_footer(lines: Sequence[Line], start: int, source: str):
    """Find where the body ends and read the footer after it.

    The footer starts at the first site-chrome, copyright or source-link line
    that is followed only by footer material.  Lines in the footer we do not
    recognise are returned as ``trailing`` body text: nothing is dropped.
    """
    n = len(lines)
    end = n
    # The related list runs to the end of the capture; find its marker from the back.
    related_at = next(
        (
            i
            for i in range(n - 1, start - 1, -1)
            if _RELATED.search(lines[i][1])
            and len(lines[i][1]) <= 80
            and any(_SOURCE.match(t) or _COPYRIGHT.match(t) or t in _CHROME for _, t in lines[start:i])
        ),
        None,
    )
    footer_limit = related_at if related_at is not None else n
    first_footer = None
    for i in range(start, footer_limit):
        text = lines[i][1]
        if text in _CHROME or _COPYRIGHT.match(text) or _SOURCE.match(text):
            first_footer = i
            break
    if first_footer is None and related_at is None:
        return n, ("", ("", 0), "", [], [])
    end = first_footer if first_footer is not None else footer_limit
    copyright_text = source_url = ""
    url_line = 0
    trailing: list[Line] = []
    for i in range(end, footer_limit):
        num, text = lines[i]
        if text in _CHROME:
            continue
        if _COPYRIGHT.match(text) and not copyright_text:
            copyright_text = text
        elif (m := _SOURCE.match(text)) and not source_url:
            source_url, url_line = m.group("url"), num
        else:
            trailing.append((num, text))
    related_marker = ""
    related: list[Related] = []
    if related_at is not None:
        related_marker = lines[related_at][1]
        related = _related(lines[related_at + 1 :], source)
    return end, (copyright_text, (source_url, url_line), related_marker, related, trailing)


def _related(lines: Sequence[Line], source: str) -> list[Related]:
    items: list[Related] = []
    i = 0
    while i < len(lines):
        title = lines[i][1]
        excerpt = ""
        if i + 1 < len(lines) and lines[i + 1][1].endswith(_EXCERPT_END):
            excerpt = lines[i + 1][1]
            i += 1
        items.append(Related(title=title, excerpt=excerpt))
        i += 1
    return items


def _body_blocks(body: Sequence[Line]) -> tuple[str, str, list[Block]]:
    intro_marker = summary_marker = ""
    lines = list(body)
    if lines and lines[0][1] in _INTRO:
        intro_marker = lines.pop(0)[1]
    summary_at = next((i for i, (_, t) in enumerate(lines) if t in _SUMMARY), None)
    if summary_at is not None:
        summary_marker = lines[summary_at][1]
        summary_lines = lines[summary_at + 1 :]
        lines = lines[:summary_at]
    else:
        summary_lines = []
    levels = assign_levels([t for _, t in lines])
    blocks: list[Block] = []
    part = "intro"
    for (num, text), level in zip(lines, levels, strict=True):
        if level:
            part = "body"
            blocks.append(Block("heading", text, level=level, part="body", line=num))
        else:
            blocks.append(Block("paragraph", text, part=part, line=num))
    blocks += [Block("paragraph", t, part="summary", line=n) for n, t in summary_lines]
    return intro_marker, summary_marker, blocks


def article_id_for_title(title: str) -> str:
    """The id of an article with no source URL: stable for its title, so a re-capture updates the same notebook."""
    return "t" + hashlib.sha256(title.encode("utf-8")).hexdigest()[:12]


def _article_id(url: str, title: str, source: str, line: int) -> str:
    if not url:
        return article_id_for_title(title)
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. an unbalanced "[" in the host
        parts = None
    m = _ID_IN_URL.search(parts.path) if parts else None
    if parts is None or parts.scheme not in ("http", "https") or not m or ".." in parts.path.split("/"):
        raise BookError(
            source,
            line,
            f"the source URL {url!r} does not end in a numeric article id",
            "fix the 本文链接 line so it reads like https://site/hf/67202.html",
        )
    return ids.from_digits(m.group("id"), source, line)
