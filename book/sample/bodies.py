"""One article's body, drawn line by line from its plan: heading schemes, numbering,
paragraphs, lists, the closing section, and the excerpt other pages show of it."""

from __future__ import annotations

import bisect
import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from .vocabulary import CLOSINGS, LIST_ITEMS, STYLE_CUM, STYLE_LIST, Category, Vocab, cn_number, to_traditional

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Plan:
    index: int
    id: int
    seed: int
    category: Category
    crumbs: tuple[str, ...]
    topic: str
    title: str  # as the site shows it (traditional for traditional articles)
    traditional: bool
    body_only: bool
    days_ago: int


Line = tuple[str, int, str]  # (text, intended heading level or 0, scheme or "" for text)


def _pick(rng: random.Random, seq: Sequence[T]) -> T:
    # rng.choice costs several times more than this (it avoids a bias that is
    # irrelevant for sequences this short), and generation speed matters here.
    return seq[int(rng.random() * len(seq))]


_SENTENCE_COUNTS = (1, 2, 2, 2, 3, 3, 4)


def _paragraph(rng: random.Random, w: dict[str, tuple[str, ...]], size: int = 0) -> str:
    rand = rng.random
    mix = w["mix"]
    n = len(mix)
    count = size or _SENTENCE_COUNTS[int(rand() * 7)]
    paragraph = mix[int(rand() * n)]
    for _ in range(count - 1):
        paragraph += mix[int(rand() * n)]
    if rand() < 0.05:
        return w["rhetorical"][int(rand() * len(w["rhetorical"]))] + paragraph
    return paragraph


def _keyword(title: str) -> str:
    # Many of the site's bodies start by repeating the title's keyword (see the
    # seed's related excerpts: "国美金融无能力还贷 国美金融是一家…").  A trailing
    # question mark is dropped so the line stays a plain line.
    return title.split(",")[0].rstrip("?？")


_INTRO_KINDS = (("marker", 72), ("keyword+marker", 10), ("keyword", 8), ("plain", 5), ("numbered", 5))
_SUMMARY_KINDS = (("marker", 74), ("closing", 12), ("closing+marker", 6), ("none", 8))


def _weighted(rng: random.Random, pairs: Sequence[tuple[str, int]]) -> str:
    x = rng.random() * sum(w for _, w in pairs)
    for value, weight in pairs:
        x -= weight
        if x < 0:
            return value
    return pairs[-1][0]


class _Numberer:
    """Heading labels for one article: each scheme's spelling is picked once and kept."""

    def __init__(self, rng: random.Random, cn_dun: str) -> None:
        self.rng = rng
        self.sep = {
            "cn-dun": cn_dun,
            "chapter": _pick(rng, (" ", ":", ":", "")),
            "jie": _pick(rng, (" ", ":", "")),
            "step": _pick(rng, (":", ":", " ", "")),
            "step-unit": _pick(rng, "步步步条点"),
            "cn-paren": _pick(rng, (("(", ")"), ("(", ")"), ("（", "）"))),
            "num": _pick(rng, (". ", ". ", "、", ".")),
            "num-paren": _pick(rng, (("(", ")"), ("（", "）"))),
        }

    def label(self, scheme: str, path: Sequence[int]) -> str:
        k = path[-1]
        s = self.sep
        if scheme == "chapter":
            return f"第{cn_number(k)}章{s['chapter']}"
        if scheme == "jie":
            return f"第{cn_number(k)}节{s['jie']}"
        if scheme == "step":
            return f"第{cn_number(k)}{s['step-unit']}{s['step']}"
        if scheme == "cn-dun":
            return f"{cn_number(k)}{s['cn-dun']}"
        if scheme == "cn-paren":
            return f"{s['cn-paren'][0]}{cn_number(k)}{s['cn-paren'][1]}"
        if scheme == "num":
            return f"{k}{s['num']}"
        if scheme == "num-paren":
            return f"{s['num-paren'][0]}{k}{s['num-paren'][1]}"
        if scheme == "num2":
            # 1.1 under 一、/1./第一章 reuses the parent's number, as the seed does.
            parent = path[-2] if len(path) >= 2 else 1
            return f"{parent}.{k} "
        if scheme == "num3":
            p1, p2 = (path[-3], path[-2]) if len(path) >= 3 else (1, path[-2] if len(path) >= 2 else 1)
            return f"{p1}.{p2}.{k} "
        return ""  # question headings carry no number


class _Picker:
    """Draws heading texts without repeats while the pool lasts."""

    def __init__(self, rng: random.Random, pool: Sequence[str]) -> None:
        self.rng = rng
        self.pool = pool
        self.left: list[str] = []

    def __call__(self) -> str:
        # Swap-and-pop from a lazily copied pool: most articles draw a few
        # headings from a pool of dozens, so shuffling it all would be waste.
        left = self.left
        if not left:
            left = self.left = list(self.pool)
        i = int(self.rng.random() * len(left))
        left[i], left[-1] = left[-1], left[i]
        return left.pop()


def _question(rng: random.Random, text: str) -> str:
    # The capture mostly has ASCII '?', sometimes the full-width one.
    return text if rng.random() < 0.8 else text[:-1] + "？"


class _Enough(Exception):
    """Raised inside :func:`_body` once a caller's character limit is reached."""


def _body(plan: Plan, vocab: Vocab, limit: int = 0) -> list[Line]:
    """The body lines (after the meta line), in simplified characters.

    With ``limit``, stop once that many characters are out: a related excerpt
    needs only the first ~150 characters of an article, and other articles
    take them from here without building the rest.  The lines before the stop
    are the same as the full article's because the random draws are.
    """
    rng = random.Random(plan.seed)
    w = vocab.get(plan.topic, plan.category)
    out: list[Line] = []
    size = 0

    def emit(text: str, level: int = 0, scheme: str = "") -> None:
        nonlocal size
        out.append((text, level, scheme))
        if limit:
            size += len(text) + 1
            if size > limit:
                raise _Enough

    def emit_text(paragraphs: list[str]) -> None:
        # One call per run of paragraphs: per-paragraph calls were a tenth of the time.
        nonlocal size
        out.extend([(p, 0, "") for p in paragraphs])
        if limit:
            size += sum(len(p) + 1 for p in paragraphs)
            if size > limit:
                raise _Enough

    try:
        _fill(rng, plan, w, emit, emit_text)
    except _Enough:
        pass
    return out


def _fill(
    rng: random.Random,
    plan: Plan,
    w: dict[str, tuple[str, ...]],
    emit: Callable[..., None],
    emit_text: Callable[[list[str]], None],
) -> None:
    target = min(18500, max(380, round(rng.lognormvariate(math.log(2500), 0.62))))
    style = STYLE_LIST[bisect.bisect_left(STYLE_CUM, rng.random() * STYLE_CUM[-1])]
    if target < 700 and rng.random() < 0.5:
        style = ()
    intro = _weighted(rng, _INTRO_KINDS)
    if intro == "numbered" and (not style or style[0] != "cn-dun"):
        intro = "marker"
    summary = _weighted(rng, _SUMMARY_KINDS)
    # The intro comes before the structural draws: a related excerpt needs
    # only the intro, and stops before paying for the rest.
    cn_dun = "、" if rng.random() < 0.93 else "."

    def cn_dun_label(k: int) -> str:
        return cn_number(k) + cn_dun

    if intro in ("keyword", "keyword+marker"):
        emit(_keyword(plan.title))
    first_top = 1
    if intro in ("marker", "keyword+marker"):
        emit("小编导语")
    elif intro == "numbered":
        emit(cn_dun_label(1) + "小编导语", 1, "cn-dun")
        first_top = 2
    opener = _pick(rng, w["openers"])
    a, b, c = rng.sample(w["aspects"], 3)
    outline = f"{_pick(rng, ('本站', '本站', '本文'))}将从{plan.topic}的{a}、{b}以及{c}等方面进行详细探讨。"
    emit(opener + _paragraph(rng, w, 2) + outline)
    if target > 4000 and rng.random() < 0.5:
        emit(_paragraph(rng, w))

    numberer = _Numberer(rng, cn_dun)

    # Size the section tree to the target length.  The tree's shape is drawn
    # first so each leaf section can be given its share of the characters.
    body_chars = max(150, target - 450)  # intro and summary take ~450
    depth = len(style)
    leaf_chars = rng.uniform(180, 520)
    while depth > 1 and body_chars / (leaf_chars * 3 ** (depth - 1)) < 1.5:
        depth -= 1
    style = style[:depth]
    widest = 15 if depth == 1 else 10
    tops = max(2, min(widest, round(body_chars / (leaf_chars * 3 ** max(depth - 1, 0))))) if depth else 0

    def shape(level: int) -> list:
        return [] if level >= depth else [shape(level + 1) for _ in range(2 + int(rng.random() * 3))]

    tree = [shape(1) for _ in range(tops)]
    leaf_chars = body_chars / max(1, _leaves(tree))

    tops_pick = _Picker(rng, w["tops"])
    subs_pick = _Picker(rng, w["subs"])
    steps_pick = _Picker(rng, w["steps"])
    questions_pick = _Picker(rng, w["questions"])

    def heading_text(scheme: str) -> str:
        if scheme == "question":
            return _question(rng, questions_pick())
        if scheme == "step":
            return steps_pick()
        if scheme in ("num2", "num3", "cn-paren", "num-paren") or (scheme == "num" and style[0] != "num"):
            return subs_pick()
        return tops_pick()

    spent = 0

    mix = w["mix"]
    mix_n = len(mix)
    rhetorical = w["rhetorical"]
    rand = rng.random

    def text(chars: float) -> None:
        # _paragraph inlined: this loop makes most of the corpus, and the call
        # overhead was a fifth of the generation time.
        nonlocal spent
        # Leaves vary in size, but the article as a whole keeps near its target.
        budget = min(chars * (0.6 + 0.8 * rand()), body_chars * 1.1 - spent)
        paragraphs = []
        while True:
            count = _SENTENCE_COUNTS[int(rand() * 7)]
            paragraph = mix[int(rand() * mix_n)]
            for _ in range(count - 1):
                paragraph += mix[int(rand() * mix_n)]
            if rand() < 0.05:
                paragraph = rhetorical[int(rand() * len(rhetorical))] + paragraph
            paragraphs.append(paragraph)
            budget -= len(paragraph)
            spent += len(paragraph)
            if budget <= 0:
                break
        emit_text(paragraphs)

    def leaf() -> None:
        text(leaf_chars)
        if rng.random() < 0.12:
            # Numbered list items that end in punctuation: text, not headings.
            items = rng.sample(LIST_ITEMS, rng.randint(2, 4))
            paren = rng.random() < 0.5
            for k, item in enumerate(items, 1):
                end = "。" if k == len(items) else _pick(rng, ("。", ";"))
                emit(f"({k}){item}{end}" if paren else f"{k}. {item}{end}")

    def section(node: list, level: int, path: tuple[int, ...]) -> None:
        scheme = style[level - 1]
        emit(numberer.label(scheme, path) + heading_text(scheme), level, scheme)
        if not node:
            leaf()
            return
        if rng.random() < 0.3:
            # Parents often say a word before their first child (in the seed
            # they do not).
            text(0)
        for k, child in enumerate(node, 1):
            section(child, level + 1, (*path, k))

    if depth:
        for k, node in enumerate(tree, first_top):
            section(node, 1, (k,))
    else:
        text(body_chars)

    if summary in ("closing", "closing+marker"):
        emit(_pick(rng, CLOSINGS), 1, "closing")
        emit(_paragraph(rng, w))
    if intro == "numbered" and summary == "marker" and rng.random() < 0.7:
        emit(numberer.label("cn-dun", (first_top + tops,)) + "小编总结", 1, "cn-dun")
        emit(_summary(rng, w))
    elif summary in ("marker", "closing+marker"):
        emit("小编总结")
        emit(_summary(rng, w))


def _leaves(tree: list) -> int:
    return sum(_leaves(node) if node else 1 for node in tree)


def _summary(rng: random.Random, w: dict[str, tuple[str, ...]]) -> str:
    picked = rng.sample(w["summaries"], rng.randint(2, 4))
    return "".join(picked)


def _excerpt(plan: Plan, vocab: Vocab) -> str:
    """What other pages show under this article's title: its first ~140 characters, cut mid-sentence."""
    # The site cuts at a fixed length per article; vary it a little across
    # articles without seeding another Random.
    cut = 128 + (plan.seed >> 11) % 18
    text = " ".join(t for t, _, _ in _body(plan, vocab, limit=cut))[:cut].rstrip()
    if plan.traditional:
        text = to_traditional(text)
    return text + "..."
