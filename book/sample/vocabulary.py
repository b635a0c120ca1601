"""The synthetic corpus's vocabulary, read once from ``vocabulary.yml`` beside this module,
and the per-topic tables the generator draws from.

The words are data, not code: contributors who want a corpus closer to their own site
edit the YAML file.  Every generated corpus depends on it, so a change there changes the
benchmarks' inputs too.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

VOCABULARY = Path(__file__).with_name("vocabulary.yml")


def _norm(text: str) -> str:
    # The capture normalised full-width comma/colon/parentheses to ASCII; the file may
    # write the vocabulary naturally, and it is normalised the same way once.
    return text.replace("，", ",").replace("：", ":").replace("（", "(").replace("）", ")")


def _lines(items: Sequence[str]) -> tuple[str, ...]:
    return tuple(_norm(s.strip()) for s in items if s.strip())


@dataclass(frozen=True)
class Category:
    name: str
    subs: tuple[str, ...]  # second-level crumbs for nested breadcrumbs
    topics: tuple[str, ...]
    titles: tuple[str, ...]
    tops: tuple[str, ...]  # top-level section headings
    questions: tuple[str, ...]
    sentences: tuple[str, ...]
    clauses: tuple[str, ...]
    # Sub-headings and outline aspects that only make sense for an
    # organisation (国美金融's 总部位置), not for 诈骗罪.
    org_subs: tuple[str, ...] = ()
    org_aspects: tuple[str, ...] = ()


def _category(entry: dict[str, Any], generic_titles: tuple[str, ...]) -> Category:
    own = _lines(entry["titles"])
    return Category(
        name=entry["name"],
        subs=tuple(entry["subs"]),
        topics=tuple(entry["topics"]),
        titles=generic_titles + own if entry.get("generic_titles") else own,
        tops=_lines(entry["tops"]),
        questions=_lines(entry["questions"]),
        sentences=_lines(entry["sentences"]),
        clauses=_lines(entry["clauses"]),
        org_subs=_lines(entry.get("org_subs", ())),
        org_aspects=tuple(entry.get("org_aspects", ())),
    )


_DATA: dict[str, Any] = yaml.safe_load(VOCABULARY.read_text(encoding="utf-8"))
_GENERIC_TITLES = _lines(_DATA["generic_titles"])

CATEGORIES: tuple[Category, ...] = tuple(_category(c, _GENERIC_TITLES) for c in _DATA["categories"])
GENERIC_TOPS = _lines(_DATA["generic_tops"])
SUBS = _lines(_DATA["subs"])
STEPS = _lines(_DATA["steps"])
GENERIC_QUESTIONS = _lines(_DATA["generic_questions"])
GENERIC_SENTENCES = _lines(_DATA["generic_sentences"])
LEADS = _lines(_DATA["leads"])
CLAUSES = _lines(_DATA["clauses"])
# Questions that open a paragraph (never end one, so the paragraph cannot read as a question heading).
RHETORICAL = _lines(_DATA["rhetorical"])
INTRO_OPENERS = _lines(_DATA["intro_openers"])
ASPECTS = tuple(_DATA["aspects"])
SUMMARIES = _lines(_DATA["summaries"])
LIST_ITEMS = _lines(_DATA["list_items"])
AUTHORS: tuple[tuple[str, int], ...] = tuple((name, weight) for name, weight in _DATA["authors"])
CLOSINGS = tuple(_DATA["closings"])
# (outer → inner heading schemes, weight); see the comment above `styles` in the file.
_STYLES = tuple((tuple(schemes), weight) for schemes, weight in _DATA["styles"])
STYLE_LIST = tuple(s for s, _ in _STYLES)
STYLE_CUM = tuple(itertools.accumulate(w for _, w in _STYLES))

_S2T = str.maketrans(_DATA["to_traditional"]["simplified"], _DATA["to_traditional"]["traditional"])


def to_traditional(text: str) -> str:
    """Simplified → traditional, character by character (good enough for this vocabulary)."""
    return text.translate(_S2T)


_CN_DIGITS = "零一二三四五六七八九"


def cn_number(k: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一 (1–99)."""
    if k < 10:
        return _CN_DIGITS[k]
    tens, ones = divmod(k, 10)
    return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[ones] if ones else "")


class Vocab:
    """Per-topic formatted vocabulary, built on first use (formatting once per topic, not per sentence)."""

    def __init__(self) -> None:
        self._cache: dict[str, dict[str, tuple[str, ...]]] = {}

    def get(self, topic: str, cat: Category) -> dict[str, tuple[str, ...]]:
        words = self._cache.get(topic)
        if words is None:

            def fmt(items: Sequence[str]) -> tuple[str, ...]:
                return tuple(s.replace("{t}", topic) for s in items)

            words = {
                "mix": _sentence_table(
                    fmt(GENERIC_SENTENCES + cat.sentences + cat.sentences),
                    fmt(LEADS),
                    fmt(CLAUSES + cat.clauses + cat.clauses),
                ),
                "tops": fmt(cat.tops + GENERIC_TOPS),
                "subs": fmt(SUBS + cat.org_subs),
                "aspects": fmt(ASPECTS + cat.org_aspects),
                "steps": fmt(STEPS),
                "questions": fmt(cat.questions + GENERIC_QUESTIONS),
                "rhetorical": fmt(RHETORICAL),
                "openers": fmt(INTRO_OPENERS),
                "summaries": fmt(SUMMARIES),
            }
            self._cache[topic] = words
        return words


def _sentence_table(sentences: Sequence[str], leads: Sequence[str], clauses: Sequence[str]) -> tuple[str, ...]:
    """Whole sentences and every lead × clause pairing, so one uniform draw gives either.

    About a third of the sentences are "lead, clause。" compositions; the whole
    sentences are repeated to keep that share.  One draw per sentence instead
    of three is most of what makes generation fast.
    """
    composed = [lead + "," + clause + "。" for lead in leads for clause in clauses]
    copies = max(1, round(len(composed) * 0.65 / 0.35 / len(sentences)))
    return tuple(composed) + tuple(sentences) * copies
