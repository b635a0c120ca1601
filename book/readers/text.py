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
from .headings import classify, scheme_of
from .notes import ReadNotes

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


def read(path: Path, notes: ReadNotes | None = None) -> Article:
    """Read one ``.txt`` capture (``notes``, if given, is filled for the fidelity report)."""
    text = decode(path.read_bytes(), str(path))
    return reads(text, str(path), notes)


def reads(text: str, source: str = "<text>", notes: ReadNotes | None = None) -> Article:
    lines = [(n, raw.strip()) for n, raw in enumerate(normalise(text).split("\n"), start=1)]
    return parse_lines([(n, t) for n, t in lines if t], source, notes=notes)


def parse_lines(
    lines: Sequence[Line], source: str, title_hint: tuple[str, str] = ("", ""), notes: ReadNotes | None = None
) -> Article:
    """Turn the non-empty lines of a capture into an :class:`Article`.

    ``title_hint`` is (where, text) of a title the page gives outside its
    lines (an HTML ``<title>``), used when the capture has no title line.
    ``notes``, when given, is filled with what the fidelity report shows.
    """
    if not lines:
        raise BookError(source, 1, "the capture has no text", "capture the article again, or remove the file")
    notes = notes if notes is not None else ReadNotes()
    notes.lines_read = len(lines)
    pos = 0
    category = UNCATEGORISED
    crumb = _BREADCRUMB.match(lines[0][1])
    if crumb:
        category = _category(crumb.group("crumbs")) or UNCATEGORISED
        pos = 1
    if pos >= len(lines):
        raise BookError(source, lines[-1][0], "the capture has a breadcrumb but no title", "capture the whole page")
    title = ""
    # A capture of a whole page may open with the site's greeting: it is text, not the title.
    greeting: list[Line] = []
    while not crumb and pos < len(lines) - 1 and _is_boilerplate(lines[pos][1]):
        greeting.append(lines[pos])
        pos += 1
    # After a breadcrumb the template puts the title; a capture without one may open with anything.
    if lines[pos][1] not in _INTRO and (crumb or is_title_line(lines[pos][1])):
        title = lines[pos][1]
        notes.title_from = "title line"
        pos += 1
    author = age = date = ""
    views: int | None = None
    if pos < len(lines) and (meta := _meta(lines[pos][1], category)):
        author, age, date, views = meta
        pos += 1

    body_end, footer = _split_footer(lines, pos, source)
    copyright_text, (source_url, url_line), related_marker, related, trailing = footer
    body = greeting + list(lines[pos:body_end]) + trailing
    notes.lines_dropped = [(n, t) for n, t in lines if t in _CHROME]
    if not title:
        title = _title_outside_lines(body, title_hint, notes)
    intro_marker, summary_marker, blocks = _body_blocks(body, title, notes)
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


def _body_blocks(body: Sequence[Line], title: str, notes: ReadNotes) -> tuple[str, str, list[Block]]:
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
    outline = classify([t for _, t in lines], title)
    notes.near_misses += [(lines[i][0], lines[i][1], why) for i, why in outline.near_misses]
    blocks: list[Block] = []
    part = "intro"
    for piece in outline.pieces:
        num = lines[piece.line][0]
        if piece.kind == "heading":
            part = "body"
            blocks.append(Block("heading", piece.text, level=piece.level, part="body", line=num))
        else:
            blocks.append(Block(piece.kind, piece.text, part=part, line=num))  # type: ignore[arg-type]
    blocks += [Block("paragraph", t, part="summary", line=n) for n, t in summary_lines]
    return intro_marker, summary_marker, blocks


# A title line is short and is not a sentence, a marker or a numbered heading.
MAX_TITLE_CHARS = 64
DERIVED_TITLE_CHARS = 20
_SENTENCE_END = ("。", "；", ";", "！", "!", "…", "，", ",", "：", ":")
_QUESTION = re.compile(r"[^。！？!?；;]*[?？]$")


_BOILERPLATE = re.compile(
    r"^(?:欢迎光临|歡迎光臨|欢迎访问|歡迎訪問|欢迎来到|歡迎來到|联系我们|聯繫我們|聯絡我們|设为首页|設為首頁|加入收藏)"
)


def _is_boilerplate(line: str) -> bool:
    return len(line) <= MAX_TITLE_CHARS and bool(_BOILERPLATE.match(line))


def is_title_line(line: str) -> bool:
    """Whether the first line of a capture (after its breadcrumb) is its title."""
    if line in _INTRO or line in _SUMMARY or len(line) > MAX_TITLE_CHARS or line.endswith(_SENTENCE_END):
        return False
    # A capture that opens with its first section has no title line.
    return scheme_of(line) in (None, "question", "closing")


def _title_outside_lines(body: Sequence[Line], hint: tuple[str, str], notes: ReadNotes) -> str:
    """The page's <title>/<h1>; else the question the intro ends with; else a short derived title."""
    where, text = hint
    if text.strip():
        notes.title_from = where
        return text.strip()
    lines = [t for _, t in body if t not in _INTRO and not _is_boilerplate(t)] or [t for _, t in body]
    first_heading = next((i for i, piece in enumerate(classify(lines).pieces) if piece.kind == "heading"), len(lines))
    intro = [t for t in lines[:first_heading]]
    if intro and (m := _QUESTION.search(intro[-1])) and 2 <= len(m.group(0).strip()) <= MAX_TITLE_CHARS:
        notes.title_from = "the question the intro ends with"
        return m.group(0).strip()
    notes.title_from = "derived: the capture has no title"
    notes.title_missing = True
    first = lines[0] if lines else "无标题"
    clause = re.split(r"[。！？!?；;，,:：]", first, maxsplit=1)[0].strip() or first
    return clause if len(clause) <= DERIVED_TITLE_CHARS else clause[:DERIVED_TITLE_CHARS] + "…"


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
