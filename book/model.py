"""The content objects in the middle of the pipeline.

Readers produce an :class:`Article`; the notebook writer consumes one.  They are
plain frozen data: no I/O, no knowledge of where they came from beyond
``source_path`` (kept so messages can name the file).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:  # the readers and the writer never need pandas
    import pandas as pd

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


# --- the catalog's view: what ``index`` reads back from the notebooks ---------------


@dataclass
class Entry:
    """One article notebook as the catalog sees it."""

    id: str
    title: str
    category: tuple[str, ...]
    topic: str
    author: str
    date: str
    views: int | None
    path: str
    tags: list[str]
    related: list[dict[str, str]]
    source_url: str
    headings: list[str] = field(default_factory=list)
    intro: list[str] = field(default_factory=list)
    # Only the body's length: nothing derived from the catalog reads the body's sentences, and
    # keeping them made the scan cache 126 MB instead of 47 MB at 10,000 articles, which
    # every ``index`` loads and saves again.
    body_chars: int = 0
    summary: list[str] = field(default_factory=list)
    sections: int = 0
    # Each link the text holds (book.catalog.citations): its target as written, and the line
    # shown as the reader sees it, for the cited article's 被引用 section.
    links: list[tuple[str, str]] = field(default_factory=list)
    related_heading: str = ""  # the heading of the source's own related list, as the page shows it

    @property
    def category_name(self) -> str:
        return " > ".join(self.category)

    @property
    def chars(self) -> int:
        return sum(len(t) for t in (self.title, *self.headings, *self.intro, *self.summary)) + self.body_chars

    def about_texts(self) -> list[str]:
        """The parts that say what the article is about: what keywords are drawn from."""
        return [self.title, *self.headings, *self.intro, *self.summary]


@dataclass
class Stub:
    id: str
    title: str
    excerpt: str
    category: tuple[str, ...]
    topic: str
    referrers: list[str]
    source_site: str


@dataclass
class Tables:
    articles: pd.DataFrame
    tags: pd.DataFrame
    relations: pd.DataFrame
