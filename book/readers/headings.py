"""Which lines of an article are section headings, and at what level.

Articles of this kind number their sections with several schemes, often mixed
(see ARTICLE-FORMAT.md).  Each scheme has a fixed rank, highest first; an
article's levels follow the nesting *it* uses, so an article whose top
sections are ``一、`` and an article whose top sections are ``1.1`` both get
level-1 sections.  Levels never jump by more than one, which keeps Sphinx's
"non-consecutive header level" warning away without losing any heading.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_CN = "〇零一二三四五六七八九十百千两壹贰叁肆伍陆柒捌玖拾"
_NUM = rf"(?:[{_CN}]+|\d+)"

# (scheme name, pattern).  Order is rank: earlier = higher level.
SCHEMES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("chapter", re.compile(rf"^第{_NUM}[章篇部]")),
    ("jie", re.compile(rf"^第{_NUM}[节節]")),
    ("cn-dun", re.compile(rf"^[{_CN}]+[、.．]")),
    ("cn-paren", re.compile(rf"^[（(][{_CN}]+[)）]")),
    # Steps and points are usually the items inside a numbered section.
    ("step", re.compile(rf"^第{_NUM}[步条條点點]")),
    # "1." but not the "1.1" of a subsection; "1.360借条" is item 1 about 360借条.
    ("num", re.compile(r"^\d{1,2}(?:[、．]|\.(?!\d)|\.(?=\d{3}))")),
    ("num-paren", re.compile(r"^[（(]\d{1,2}[)）]")),
    ("num2", re.compile(r"^\d{1,2}\.\d{1,2}(?!\.?\d)")),
    ("num3", re.compile(r"^\d{1,2}\.\d{1,2}\.\d{1,2}")),
)
RANK = {name: i for i, (name, _) in enumerate(SCHEMES)}
QUESTION_RANK = len(SCHEMES)

# A bare closing heading stands at the article's top level.
CLOSING = frozenset({"总结", "結語", "结语", "總結", "结论", "結論", "小结", "小結", "结束语", "結束語"})

MAX_HEADING_CHARS = 40
_SENTENCE_END = ("。", "；", ";", "！", "!", "…", "...", "，", ",", "：", ":")


def scheme_of(line: str) -> str | None:
    """The numbering scheme a heading-shaped line uses, or None if it is not one."""
    text = line.strip()
    if text.rstrip(":：") in CLOSING:
        return "closing"
    if not text or len(text) > MAX_HEADING_CHARS or text.endswith(_SENTENCE_END):
        return None
    for name, pattern in SCHEMES:
        if pattern.match(text):
            # A bare number with nothing after it is not a heading.
            if len(pattern.match(text).group(0)) == len(text):
                return None
            return name
    if text.endswith(("?", "？")) and len(text) <= 30:
        return "question"
    return None


def assign_levels(lines: Sequence[str]) -> list[int]:
    """Heading level (1 = top section) for each line; 0 for a line that is text.

    A question-style heading counts only if a paragraph (not another heading)
    follows it; a question on its own at the end is text.
    """
    schemes = [scheme_of(line) for line in lines]
    for i, scheme in enumerate(schemes):
        if scheme == "question":
            nxt = schemes[i + 1] if i + 1 < len(schemes) else "end"
            if nxt is not None:
                schemes[i] = None
    # A heading's level is one more than the number of open headings of a
    # higher rank above it: siblings share a level, and no level is skipped.
    levels: list[int] = []
    open_ranks: list[int] = []
    top = QUESTION_RANK + 1  # the highest rank seen so far
    for scheme in schemes:
        if scheme is None:
            levels.append(0)
            continue
        if scheme == "closing":
            # A closing heading stands at the top level, as if it were one of
            # the article's top sections: the next top section is its sibling.
            open_ranks = [top]
            levels.append(1)
            continue
        rank = _rank(scheme)
        top = min(top, rank)
        while open_ranks and open_ranks[-1] >= rank:
            open_ranks.pop()
        open_ranks.append(rank)
        levels.append(len(open_ranks))
    return levels


def _rank(scheme: str) -> int:
    return QUESTION_RANK if scheme == "question" else RANK[scheme]
