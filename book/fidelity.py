"""The fidelity report (``python -m book import --report``): how faithfully each capture was read.

For each article: its title and where it came from, its heading outline with
levels, the lines kept out of the lines read, and warnings a contributor can
act on (a title over 40 characters, no heading, headings out of sequence, a
title another article of the batch has too, a line that looked like a heading
but was kept as text, a title the capture did not have).  A summary line of
counts ends it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from .model import Article
from .readers.headings import number_of, scheme_of
from .readers.notes import ReadNotes

LONG_TITLE = 40


@dataclass
class Entry:
    path: str
    article_id: str
    title: str
    title_from: str
    outline: list[tuple[int, str]]  # (level, heading text)
    lines_read: int
    lines_kept: int
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (kind, message)


def describe(path: str, article: Article, notes: ReadNotes) -> Entry:
    """One article's entry, from what the reader made of it and what it noticed."""
    outline = [(b.level, b.text) for b in article.blocks if b.kind == "heading"]
    entry = Entry(
        path=path,
        article_id=article.id,
        title=article.title,
        title_from=notes.title_from,
        outline=outline,
        lines_read=notes.lines_read,
        lines_kept=notes.lines_read - len(notes.lines_dropped),
    )
    warn = entry.warnings.append
    if notes.title_missing:
        warn(("missing title", f"the capture has no title: {article.title!r} was derived (write the real one)"))
    if len(article.title) > LONG_TITLE:
        warn(("long title", f"the title has {len(article.title)} characters (over {LONG_TITLE}): is it a paragraph?"))
    if not outline:
        warn(("no heading", "no heading was found"))
    for line, text in out_of_sequence(article):
        warn(("out of sequence", f"line {line}: {text!r} is out of sequence with the heading before it"))
    for line, text, why in notes.near_misses:
        warn(("kept as text", f"line {line}: {text!r} looked like a heading but was kept as text ({why})"))
    return entry


def out_of_sequence(article: Article) -> list[tuple[int, str]]:
    """Headings whose number does not follow their previous sibling's (a start past one is not a fault)."""
    found = []
    last: dict[int, tuple[str | None, str]] = {}  # level -> (scheme, text) of the last heading there
    for block in article.blocks:
        if block.kind != "heading":
            continue
        scheme = scheme_of(block.text)
        for deeper in [lvl for lvl in last if lvl > block.level]:
            del last[deeper]
        before = last.get(block.level)
        if before is not None and before[0] == scheme and scheme not in _UNNUMBERED:
            if not _follows(scheme, before[1], block.text):
                found.append((block.line, block.text))
        last[block.level] = (scheme, block.text)
    return found


_UNNUMBERED = (
    None,
    "question",
    "closing",
    "bare-parent",
    "bare",
    "emoji",
    "bracket",
    "qa",
    "md2",
    "md3",
    "md4",
    "md5",
    "md6",
)
_DECIMAL = re.compile(r"^\d+(?:\.\d+)+")


def _follows(scheme: str | None, before: str, text: str) -> bool:
    if scheme in ("num2", "num3"):
        # 1.2 -> 1.3 or 2.1; 1.1.2 -> 1.1.3, 1.2.1 or 2.1.1
        a = [int(x) for x in _DECIMAL.match(before).group(0).split(".")]  # type: ignore[union-attr]
        b = [int(x) for x in _DECIMAL.match(text).group(0).split(".")]  # type: ignore[union-attr]
        return any(b[:k] == a[:k] and b[k] == a[k] + 1 and all(x == 1 for x in b[k + 1 :]) for k in range(len(b)))
    previous, value = number_of(before), number_of(text)
    return previous is None or value is None or value == previous + 1


def mark_duplicate_titles(entries: Sequence[Entry]) -> None:
    """Warn on each article of the batch whose title another article (another id) has too."""
    ids: dict[str, set[str]] = {}
    for e in entries:
        ids.setdefault(e.title, set()).add(e.article_id)
    for e in entries:
        if len(ids[e.title]) > 1:
            e.warnings.append(("duplicate title", f"{len(ids[e.title])} articles of this import have this title"))


def format_report(entries: Sequence[Entry]) -> str:
    """The report as printed: one block per article, then a summary line of counts."""
    out: list[str] = []
    kinds: Counter[str] = Counter()
    for e in entries:
        out.append(f"{e.path}: {e.title}  [id {e.article_id}; title from {e.title_from}]")
        out.append(f"  lines: {e.lines_kept} kept of {e.lines_read} read")
        for level, text in e.outline:
            out.append(f"  {'  ' * (level - 1)}H{level} {text}")
        for kind, message in e.warnings:
            out.append(f"  warning: {message}")
            kinds[kind] += 1
    read = sum(e.lines_read for e in entries)
    kept = sum(e.lines_kept for e in entries)
    headings = sum(len(e.outline) for e in entries)
    warned = sum(1 for e in entries if e.warnings)
    counts = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items())) or "none"
    out.append(
        f"fidelity: {len(entries)} articles, {headings} headings, {kept} of {read} lines kept; "
        f"{warned} articles with warnings ({counts})"
    )
    return "\n".join(out)
