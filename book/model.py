"""The content objects in the middle of the pipeline.

Readers produce an :class:`Article`; the notebook writer consumes one.  They are
plain frozen data: no I/O, no knowledge of where they came from beyond
``source_path`` (kept so messages can name the file).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

# An "item" is a list item whose lead (its words up to a colon or 】) the page shows in bold.
BlockKind = Literal["heading", "paragraph", "item"]
Part = Literal["intro", "body", "summary"]


@dataclass(frozen=True)
class Block:
    """One unit of article text, verbatim.

    ``line`` is the 1-based line in the source capture (0 when unknown, e.g. a
    block scaffolded by hand) so that problems can be reported as file:line.
    ``level`` is the heading level relative to the article: 1 is the
    article's top section level (rendered as ``##`` because ``#`` is the title).
    """

    kind: BlockKind
    text: str
    level: int = 0
    part: Part = "body"
    line: int = 0


@dataclass(frozen=True)
class Related:
    """A related article as the source lists it: all we know until it is imported."""

    title: str
    excerpt: str


@dataclass(frozen=True)
class Article:
    id: str
    title: str
    category: tuple[str, ...] = ("未分类",)
    author: str = ""
    age: str = ""
    date: str = ""  # as captured, e.g. "01-06": the source gives no year
    views: int | None = None
    source_url: str = ""
    intro_marker: str = ""  # e.g. "小编导语", shown as the label of the intro
    summary_marker: str = ""  # e.g. "小编总结"
    blocks: tuple[Block, ...] = ()
    copyright: str = ""
    related_marker: str = ""  # e.g. "国美金融催收部在哪的相关文章"
    related: tuple[Related, ...] = ()
    source_path: str = ""
    topic: str = ""
    tags: tuple[str, ...] = field(default=())

    @property
    def category_name(self) -> str:
        return " > ".join(self.category)

    @property
    def sections(self) -> tuple[Block, ...]:
        return tuple(b for b in self.blocks if b.kind == "heading")

    def text_lines(self) -> list[str]:
        """Every line of article content, in source order (what fidelity tests compare)."""
        return [self.title, *(b.text for b in self.blocks), *([self.copyright] if self.copyright else [])]
