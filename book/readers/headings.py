"""Which lines of an article are section headings, and at what level.

Articles of this kind number their sections with many schemes, often mixed
(see ARTICLE-FORMAT.md), and articles from other sites add more: 【】 labels,
Q&A labels (问题1: / 回答: / 問題摘要: / 律師回答:), Markdown ``##`` and
``**…**`` left in the capture, numerals whose delimiter was lost (一保留证据),
bare steps (第四步), unnumbered headings.  Each scheme has a fixed rank,
highest first; an article's levels follow the nesting *it* uses, so an article
whose top sections are ``一、`` and an article whose top sections are ``1.1``
both get level-1 sections.  Levels never jump by more than one, which keeps
Sphinx's "non-consecutive header level" warning away without losing any
heading.

:func:`classify` is the whole decision; every line comes out as one or more
pieces whose texts, joined, are the line exactly as written (nothing is
dropped, reordered or rewritten).  The rules, in the order they apply:

1. A line is heading-*shaped* when it is at most 40 characters, does not end
   in sentence punctuation, and opens with a numbering of a known scheme (or
   is a closing word such as 总结, a 【label】, a Q&A label, a Markdown
   heading of ``##`` or more, or a whole-line ``**bold**``).  A single ``#``
   is not taken for a heading: in a capture it is text (or a hashtag).
2. Some shapes count only in context:

   - a question (ends in ? or ？) only when a paragraph follows it;
   - a bare number or step with nothing after it (``第四步``), and a numeral
     glued to its words without a delimiter (``一保留证据``), only when it sits
     in its sequence: a sibling of the same scheme numbered one before or
     one after it;
   - an unnumbered line (at most 20 characters, no punctuation inside or at
     the end) only when body text follows it and at least one other such
     line in the article does too (headings come in siblings; a lone short
     line is text); a short line right above such a heading, when two or more
     of them follow it, is the heading of their group, a level up.

3. Lines after a 目录 (table of contents) marker that are heading-shaped and
   follow each other with no body between stay text: a contents list is a
   list.  So does a line that repeats the article's title.
4. A glued line ``1. 标题:正文`` (a numbering, a short lead up to a colon or
   a closing 】, then body) is a *list item*, shown with its lead in bold,
   unless its scheme is the article's section scheme (the scheme of the
   first stand-alone heading, or, in an article without one, of the first
   run of two or more glued lines) and it continues that scheme's sequence
   (one more than the last number, and the next number goes on from it
   rather than starting again): then it is a heading followed by its body,
   split at the colon.  An answer label glued to its answer
   (``回答:…``) is always an item.
5. A body captured on one long line that holds a sequence of numbered
   sections (``一、…。二、…。``) is split before each number, and each
   section's short lead (up to the first space or punctuation) is its heading.

Lines that were heading-shaped but stayed text for a reason that could be
wrong (a lone short line, a number out of its sequence, a question with no
answer, a numbered line too long for a heading) are returned as near misses,
with the reason, for the fidelity report.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

_CN_DIGITS = "〇零一二三四五六七八九两兩壹贰貳叁參肆伍陆陸柒捌玖"
_CN = _CN_DIGITS + "十百千拾佰"
_NUM = rf"(?:[{_CN}]+|\d+)"
_OPEN_QUOTE = '"“「『'
_CLOSE_QUOTE = '"”」』'

# (scheme name, pattern).  Order is rank: earlier = higher level.  These are
# the schemes ARTICLE-FORMAT.md names (the synthetic sample uses each of them).
SCHEMES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("chapter", re.compile(rf"^第{_NUM}(?:章|阶段|階段)")),
    ("jie", re.compile(rf"^第{_NUM}[节節]")),
    # 一、 一. 一: and a quoted "壹"、 as machine-converted pages write it.
    ("cn-dun", re.compile(rf"^[{_OPEN_QUOTE}]?[{_CN}]+[{_CLOSE_QUOTE}]?(?:[、.．]|[:：](?=\S))")),
    ("cn-paren", re.compile(rf"^[（(][{_CN}]+[)）]")),
    # Steps and points are usually the items inside a numbered section; 第一,
    # (a lead word, glued to its point by a comma) is one of them.
    ("step", re.compile(rf"^第{_NUM}(?:[步条條点點]|[,，、](?=\S))")),
    # "1." but not the "1.1" of a subsection; "1.360借条" is item 1 about 360借条.
    ("num", re.compile(r"^\d{1,2}(?:[、．]|\.(?!\d)|\.(?=\d{3}))")),
    ("num-paren", re.compile(r"^[（(]\d{1,2}[)）]")),
    ("num2", re.compile(r"^\d{1,2}\.\d{1,2}(?!\.?\d)")),
    ("num3", re.compile(r"^\d{1,2}\.\d{1,2}\.\d{1,2}")),
)

# Shapes from real pages beyond ARTICLE-FORMAT.md, each with the scheme it ranks beside.
# 第一篇章 / 第一部分 hold chapters (第一章) when an article has both.
_PART = re.compile(rf"^第{_NUM}(?:篇章|篇|部分|部份|部)")
_MARKDOWN = re.compile(r"^(#{2,6})[ \t]*(?=\S)")
_BOLD = re.compile(r"^\*\*(?P<inner>[^*]+)\*\*$")
_BRACKET = re.compile(r"^【[^】]{1,20}】")
_QA_QUESTION = re.compile(r"^(?:问题|問題|问|問)\s*\d{0,2}\s*[:：]")
_QA_LABELS = (
    "问题摘要|問題摘要|问题简介|問題簡介|律师回答|律師回答|律师解答|律師解答|详细回答|詳細回答|"
    "律师提示|律師提示|律师分析|律師分析|回答|解答|答"
)
_QA_LABEL = re.compile(rf"^(?:{_QA_LABELS})[:：]?$")
_QA_GLUED = re.compile(rf"^(?:{_QA_LABELS})[:：](?=\S)")
_EMOJI = re.compile(r"^[✅❌✔✖☑⭐🔹🔸▶►◆■●💡📌👉]\s*(?=\S)")

# Rank of every scheme, highest first.  Markdown headings left in a capture say
# their level outright, so they outrank the numberings.
_ORDER = (
    "md2", "md3", "md4", "md5", "md6",
    "part", "chapter", "jie", "bracket", "qa", "cn-dun", "cn-paren", "step",
    "num", "num-paren", "num2", "num3",
    "bare-parent", "bare", "emoji", "question",
)  # fmt: skip
RANK = {name: i for i, name in enumerate(_ORDER)}
QUESTION_RANK = RANK["question"]
# Unnumbered headings rank below the numberings, unless the article opens with
# one: then they are its top sections (numbered points follow inside them).
_UNNUMBERED = frozenset({"bare-parent", "bare", "emoji"})

# A bare closing heading stands at the article's top level.
CLOSING = frozenset({"总结", "結語", "结语", "總結", "结论", "結論", "小结", "小結", "结束语", "結束語"})
_TOC = frozenset({"目录", "目錄", "目录导读", "目錄導讀", "文章目录", "文章目錄", "本文目录", "本文目錄",
                  "文章大纲", "文章大綱", "内容导航", "內容導航"})  # fmt: skip

MAX_HEADING_CHARS = 40
MAX_BARE_CHARS = 20
MAX_LEAD_CHARS = 24
_SENTENCE_END = ("。", "；", ";", "！", "!", "…", "...", "，", ",", "：", ":")
_PARAGRAPH_END = ("。", "；", ";", "！", "!", "…", "?", "？", "」", "”", ")", "）")
_INSIDE_SENTENCE = re.compile(r"[。，,；;！!？?]")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# Words that open with a numeral but are not numbered (一般来说, 一定要 …).
_NUMERAL_WORDS = re.compile(r"^一[般定直些旦起样樣致切次方份下种種项項个個点點时時共律再同经經并併面边邊]|^十分|^万一")


def scheme_of(line: str) -> str | None:
    """The scheme of a heading-shaped line, or None if it is not one.

    Shapes that count only in context (bare steps, numerals without their
    delimiter, unnumbered lines) are not named here: see :func:`classify`.
    """
    text = line.strip()
    if text.rstrip(":：") in CLOSING:
        return "closing"
    if not text or len(text) > MAX_HEADING_CHARS:
        return None
    if _QA_LABEL.match(text):
        return "qa"
    if text.endswith(_SENTENCE_END):
        return None
    if m := _MARKDOWN.match(text):
        return f"md{len(m.group(1))}"
    if m := _BOLD.match(text):
        return scheme_of(m.group("inner")) or "bare"
    if _BRACKET.match(text) and _BRACKET.match(text).group(0) == text:
        return "bracket"
    if _QA_QUESTION.match(text):
        return "qa"
    for name, pattern in (("part", _PART), *SCHEMES):
        if m := pattern.match(text):
            # A bare number with nothing after it is a heading only in its sequence.
            return None if len(m.group(0)) == len(text) else name
    if text.endswith(("?", "？")) and len(text) <= 30:
        return "question"
    return None


def number_of(text: str) -> int | None:
    """The number a heading carries (its last component for 1.2.3), or None."""
    m = re.search(rf"[{_CN}]+|\d+(?:\.\d+)*", text[:12])
    if not m:
        return None
    token = m.group(0)
    if token[0].isdigit():
        return int(token.split(".")[-1])
    return numeral_value(token)


def numeral_value(token: str) -> int | None:
    """Value of a Chinese numeral (simplified or traditional) up to the thousands."""
    digits = {c: i for i, c in enumerate("〇一二三四五六七八九")}
    digits.update({"零": 0, "两": 2, "兩": 2, "壹": 1, "贰": 2, "貳": 2, "叁": 3, "參": 3, "肆": 4, "伍": 5,
                   "陆": 6, "陸": 6, "柒": 7, "捌": 8, "玖": 9})  # fmt: skip
    units = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000}
    total = current = 0
    for ch in token:
        if ch in digits:
            current = digits[ch]
        elif ch in units:
            total += (current or 1) * units[ch]
            current = 0
        else:
            return None
    return total + current


@dataclass(frozen=True)
class Piece:
    """Part of one input line: all of it, or a heading or body split out of it."""

    line: int  # index of the input line it comes from
    text: str
    kind: str  # "heading", "paragraph" or "item" (a list item with a bold lead)
    level: int = 0


@dataclass(frozen=True)
class Outline:
    pieces: tuple[Piece, ...]
    near_misses: tuple[tuple[int, str], ...]  # (input line index, why it stayed text)


def classify(lines: Sequence[str], title: str = "") -> Outline:
    """Split and classify an article's body lines (rules in the module docstring)."""
    n = len(lines)
    texts = [line.strip() for line in lines]
    schemes: list[str | None] = [scheme_of(t) for t in texts]
    misses: dict[int, str] = {}
    toc = _toc_lines(texts, schemes)
    # These rules are sure of themselves: their lines are not reported as near misses.
    for i in range(n):
        if (schemes[i] and title and texts[i] == title.strip()) or i in toc:
            schemes[i] = None
    _questions(texts, schemes, misses)
    _sequences(texts, schemes, misses, toc)
    _unnumbered(texts, schemes, misses, toc, title)
    # Glued leads and one-line bodies: find the section scheme, then split.
    glued = {i: g for i in range(n) if schemes[i] is None and i not in toc and (g := _glued(texts[i]))}
    for i, t in enumerate(texts):
        if schemes[i] is None and len(t) > MAX_HEADING_CHARS and i not in glued and i not in misses:
            if not t.endswith(_PARAGRAPH_END) and _looks_numbered(t):
                misses[i] = "numbered, but too long for a heading"
    section = _section_scheme(schemes, glued)
    pieces: list[tuple[int, str, str, str | None]] = []  # (line, text, kind, scheme)
    last: dict[str, int | None] = {}  # the number of the last heading of each scheme
    for i, raw in enumerate(lines):
        if schemes[i] is not None:
            pieces.append((i, raw, "heading", schemes[i]))
            last[schemes[i]] = number_of(texts[i])
        elif i in glued:
            scheme, cut = glued[i]
            value = number_of(texts[i])
            # Split only a glued line that continues its sequence (1 first, then one more each
            # time) and that the next number of its scheme, if any, continues in turn.
            if scheme == section and scheme != "qa" and _continues(i, value, last.get(scheme), texts, schemes, glued):
                last[scheme] = value
                pieces += [
                    (i, raw[: _cut_in(raw, cut)], "heading", scheme),
                    (i, raw[_cut_in(raw, cut) :], "paragraph", None),
                ]
            else:
                pieces.append((i, raw, "item", None))
        elif (parts := _inline_sections(raw)) is not None:
            pieces += [(i, text, kind, scheme) for text, kind, scheme in parts]
        else:
            pieces.append((i, raw, "paragraph", None))
    levels = _levels([s for _, _, _, s in pieces])
    out = tuple(Piece(i, t, k, lvl) for (i, t, k, _), lvl in zip(pieces, levels, strict=True))
    return Outline(out, tuple(sorted(misses.items())))


def assign_levels(lines: Sequence[str], title: str = "") -> list[int]:
    """Heading level (1 = top section) for each line; 0 for a line that is not a heading on its own."""
    levels = [0] * len(lines)
    outline = classify(lines, title)
    for piece in outline.pieces:
        if piece.kind == "heading" and piece.text == lines[piece.line]:
            levels[piece.line] = piece.level
    return levels


def split_lead(text: str) -> tuple[str, str, str, str] | None:
    """A list item as (before, lead, after, rest), joined the item's text; None if it has no lead.

    ``lead`` is what the writer shows in bold: the lead's words from its first
    to its last letter or digit.  The punctuation around it (``【``, the colon)
    stays outside, because CommonMark does not open or close ``**`` between
    punctuation and a letter.
    """
    cut = _lead_end(text)
    if cut is None:
        return None
    whole = text[:cut]
    start = next((k for k, ch in enumerate(whole) if ch.isalnum()), None)
    end = next((k for k in range(len(whole), 0, -1) if whole[k - 1].isalnum()), None)
    if start is None or end is None or end <= start:
        return None
    return whole[:start], whole[start:end], whole[end:], text[cut:]


# --- the rules ------------------------------------------------------------------------


def _looks_numbered(text: str) -> bool:
    return bool(_PART.match(text)) or any(p.match(text) for _, p in SCHEMES)


def _is_body(text: str) -> bool:
    """A paragraph: long, or ending like a sentence."""
    return len(text) > MAX_BARE_CHARS or text.endswith(_PARAGRAPH_END)


def _toc_lines(texts: Sequence[str], schemes: Sequence[str | None]) -> set[int]:
    """Lines of a contents list: after a 目录 marker, heading-shaped lines with no body between.

    The list ends where an entry comes round again, or at a line that body
    text follows (the first real heading).
    """
    out: set[int] = set()
    for i, t in enumerate(texts):
        if t.rstrip(":：") not in _TOC:
            continue
        seen: set[str] = set()
        j = i + 1
        while j < len(texts) and texts[j] not in seen:
            shaped = schemes[j] is not None or (len(texts[j]) <= MAX_HEADING_CHARS and not _is_body(texts[j]))
            if not shaped or (j + 1 < len(texts) and _is_body(texts[j + 1]) and schemes[j + 1] is None):
                break
            seen.add(texts[j])
            out.add(j)
            j += 1
    return out


def _questions(texts: Sequence[str], schemes: list[str | None], misses: dict[int, str]) -> None:
    # A question-style heading counts only if a paragraph (not another heading) follows it.
    for i, scheme in enumerate(schemes):
        if scheme == "question":
            nxt = schemes[i + 1] if i + 1 < len(schemes) else "end"
            if nxt is not None:
                schemes[i], misses[i] = None, "a question with no answer after it"


_GLUED_NUMERAL = re.compile(rf"^[{_CN}]{{1,3}}(?=[^\s{_CN}、.．:：,，)）])")


def _sequence_candidate(text: str) -> tuple[str, bool] | None:
    """(scheme, bare) of a line that is a heading only inside its sequence (第四步; 一保留证据)."""
    if len(text) > MAX_HEADING_CHARS or text.endswith(_SENTENCE_END):
        return None
    for name, pattern in (("part", _PART), *SCHEMES):
        m = pattern.match(text)
        if m and len(m.group(0)) == len(text) and name in ("part", "chapter", "jie", "step"):
            return name, True
    m = _GLUED_NUMERAL.match(text)
    if m and not _NUMERAL_WORDS.match(text) and len(text) - len(m.group(0)) >= 2 and not _INSIDE_SENTENCE.search(text):
        return "cn-dun", False
    return None


def _sequences(texts: Sequence[str], schemes: list[str | None], misses: dict[int, str], toc: set[int]) -> None:
    """Accept a bare step or a delimiter-less numeral that sits in its sequence."""
    candidates = {
        i: c for i, t in enumerate(texts) if schemes[i] is None and i not in toc and (c := _sequence_candidate(t))
    }

    def same(j: int, scheme: str) -> bool:
        return schemes[j] == scheme or (j in candidates and candidates[j][0] == scheme)

    for i, (scheme, bare) in candidates.items():
        value = number_of(texts[i])
        prev = next((j for j in range(i - 1, -1, -1) if same(j, scheme)), None)
        nxt = next((j for j in range(i + 1, len(texts)) if same(j, scheme)), None)
        fits = value is not None and (
            (prev is not None and number_of(texts[prev]) == value - 1)
            or (nxt is not None and number_of(texts[nxt]) == value + 1)
        )
        followed = i + 1 < len(texts) and schemes[i + 1] is None and _is_body(texts[i + 1])
        if fits and (bare or followed):
            schemes[i] = scheme
        else:
            misses[i] = "numbered like a heading, but not in sequence with its siblings"


def _bare_candidate(text: str, title: str) -> bool:
    if not (2 <= len(text) <= MAX_BARE_CHARS) or text == title.strip():
        return False
    if text.endswith(_SENTENCE_END) or _INSIDE_SENTENCE.search(text):
        return False
    return bool(_CJK.match(text) or _EMOJI.match(text) or text[0] in "《“「") and bool(_CJK.search(text))


def _unnumbered(
    texts: Sequence[str], schemes: list[str | None], misses: dict[int, str], toc: set[int], title: str
) -> None:
    """Unnumbered headings: short, unpunctuated, followed by body, and with siblings."""
    found = []
    for i, t in enumerate(texts):
        if schemes[i] is not None or i in toc or i in misses or not _bare_candidate(t, title):
            continue
        nxt = texts[i + 1] if i + 1 < len(texts) else ""
        if nxt and schemes[i + 1] is None and _is_body(nxt) and not _bare_candidate(nxt, title):
            found.append(i)
    if len(found) >= 2:
        for i in found:
            schemes[i] = "emoji" if _EMOJI.match(texts[i]) else "bare"
        # A second level: a short line right above an unnumbered heading heads a group of
        # two or more of them (常见误区 above 误区一:… and 误区二:…).
        parents = [i - 1 for i in found if i > 0 and schemes[i - 1] is None and i - 1 not in toc]
        parents = [p for p in parents if p not in misses and _bare_candidate(texts[p], title)]
        for k, p in enumerate(parents):
            end = parents[k + 1] if k + 1 < len(parents) else len(texts)
            if sum(1 for i in found if p < i < end) >= 2:
                schemes[p] = "bare-parent"
    else:
        for i in found:
            misses[i] = "short and unpunctuated like a heading, but with no sibling heading like it"


_LEAD = re.compile(rf"^(?:【[^】]{{1,{MAX_LEAD_CHARS}}}】|[^:：。，,；;！!？?]{{1,{MAX_LEAD_CHARS}}}?[:：])(?=\s*\S)")


def _lead_end(text: str) -> int | None:
    """Where the lead of a glued line ends (after its colon or 】), or None."""
    m = _LEAD.match(text)
    return m.end() if m else None


def _glued(text: str) -> tuple[str, int] | None:
    """(scheme, end of lead) of a line whose numbered lead is glued to its body, or None."""
    if len(text) <= MAX_HEADING_CHARS and not text.endswith(_SENTENCE_END):
        return None  # a whole-line heading, or a short line
    head = text[: MAX_LEAD_CHARS + 2]
    if ":" not in head and "：" not in head and "】" not in head:
        return None  # most paragraphs: no lead to look for
    if _QA_GLUED.match(text):
        end = _lead_end(text)
        return ("qa", end) if end else None
    end = _lead_end(text)
    if end is None:
        return None
    lead = text[:end]
    if _BRACKET.match(lead):
        return "bracket", end
    for name, pattern in SCHEMES:
        if (m := pattern.match(lead)) and len(m.group(0)) < len(lead) - 1:
            return name, end
    return None


def _continues(
    i: int,
    value: int | None,
    previous: int | None,
    texts: Sequence[str],
    schemes: Sequence[str | None],
    glued: dict[int, tuple[str, int]],
) -> bool:
    """Whether glued line ``i`` numbered ``value`` follows ``previous``, and the next of its scheme
    (if any) goes on from it rather than starting again."""
    if value is None or value != (previous or 0) + 1:
        return False
    for j in range(i + 1, len(texts)):
        if (schemes[j] or (glued[j][0] if j in glued else None)) == glued[i][0]:
            return (number_of(texts[j]) or 0) > value
    return True


def _cut_in(raw: str, cut: int) -> int:
    # ``cut`` counts in the stripped text; the raw line may have leading blanks.
    return cut + (len(raw) - len(raw.lstrip()))


def _section_scheme(schemes: Sequence[str | None], glued: dict[int, tuple[str, int]]) -> str | None:
    first = next((s for s in schemes if s is not None and s != "closing"), None)
    if first is not None:
        return first
    runs: dict[str, int] = {}
    for i in sorted(glued):
        runs[glued[i][0]] = runs.get(glued[i][0], 0) + 1
        if runs[glued[i][0]] >= 2:
            return glued[i][0]
    return None


_INLINE = re.compile(rf"(?:(?<=^)|(?<=[。！？!?；;\s]))(?P<num>[{_CN}]{{1,3}}、|\d{{1,2}}、|第{_NUM}[章步部节節])")


def _inline_sections(raw: str) -> list[tuple[str, str, str | None]] | None:
    """A one-line body holding numbered sections, split before each number."""
    text = raw
    if len(text) <= 2 * MAX_HEADING_CHARS or not any(k in text for k in ("二、", "2、", "第二")):
        return None  # too short to hold a body, or no second section in it
    starts = []
    expected = 1
    for m in _INLINE.finditer(text):
        if number_of(m.group("num")) == expected:
            starts.append(m.start())
            expected += 1
    if len(starts) < 2:
        return None
    parts: list[tuple[str, str, str | None]] = []
    if starts[0] > 0:
        parts.append((text[: starts[0]], "paragraph", None))
    for k, start in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else len(text)
        segment = text[start:end]
        head = re.match(rf"^[^\s。，,；;！!？?:：]{{2,{MAX_HEADING_CHARS}}}[:：]?", segment)
        scheme = scheme_of(head.group(0)) if head else None
        if head and scheme and head.end() < len(segment):
            parts += [(segment[: head.end()], "heading", scheme), (segment[head.end() :], "paragraph", None)]
        else:
            parts.append((segment, "paragraph", None))
    return parts


def _levels(schemes: Sequence[str | None]) -> list[int]:
    # A heading's level is one more than the number of open headings of a
    # higher rank above it: siblings share a level, and no level is skipped.
    first = next((s for s in schemes if s is not None and s != "closing"), None)
    lift = first in _UNNUMBERED
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
        rank = RANK[scheme] - len(RANK) if lift and scheme in _UNNUMBERED else RANK[scheme]
        top = min(top, rank)
        while open_ranks and open_ranks[-1] >= rank:
            open_ranks.pop()
        open_ranks.append(rank)
        levels.append(len(open_ranks))
    return levels
