"""The fidelity report: how faithfully each capture was read.

``python -m book import --report`` prints it for the captures it imports,
``python -m book check --fidelity`` for the notebooks in the book.  For each
article: its title and where it came from, its heading outline with levels,
the lines kept out of the lines read, and warnings a contributor can act on
(a title over 40 characters, no heading, headings out of sequence, a title
another article has too, a line that looked like a heading but was kept as
text, a title the capture did not have).  A summary line of counts ends it.

For a notebook already in the book, the outline is the notebook's own (so an
edit that fixes a heading shows), and what only the reading knew (lines read
and kept, where the title came from, lines kept as text) is the ``capture:``
record the importer left in its front matter (``readers.notes.capture_record``);
a derived title is flagged by ``title_missing: true`` until a contributor
writes the real title and removes the flag.  A notebook imported before such
records were kept, or written by hand, says so in place of the line counts.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .escape import unescape
from .model import Article, Block
from .notebook import Page, syntax
from .readers.headings import number_of, scheme_of
from .readers.notes import ReadNotes

LONG_TITLE = 40


@dataclass
class Record:
    path: str
    article_id: str
    title: str
    title_from: str
    outline: list[tuple[int, str]]  # (level, heading text)
    lines_read: int | None  # None: not known (a notebook without a capture record)
    lines_kept: int | None
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (kind, message)
    source: str = ""  # the capture's file name, for a notebook's entry


def describe(path: str, article: Article, notes: ReadNotes) -> Record:
    """One article's entry, from what the reader made of it and what it noticed."""
    outline = [(b.level, b.text) for b in article.blocks if b.kind == "heading"]
    entry = Record(
        path=path,
        article_id=article.id,
        title=article.title,
        title_from=notes.title_from,
        outline=outline,
        lines_read=notes.lines_read,
        lines_kept=notes.lines_read - len(notes.lines_dropped),
    )
    _warn(entry, article, notes.title_missing, notes.near_misses)
    return entry


def _warn(entry: Record, article: Article, title_missing: bool, near_misses: Sequence[tuple[int, str, str]]) -> None:
    warn = entry.warnings.append
    if title_missing:
        warn(("missing title", f"the capture has no title: {article.title!r} was derived (write the real one)"))
    if len(article.title) > LONG_TITLE:
        warn(("long title", f"the title has {len(article.title)} characters (over {LONG_TITLE}): is it a paragraph?"))
    if not entry.outline:
        warn(("no heading", "no heading was found"))
    for line, text in out_of_sequence(article):
        warn(("out of sequence", f"line {line}: {text!r} is out of sequence with the heading before it"))
    for line, text, why in near_misses:
        warn(("kept as text", f"line {line}: {text!r} looked like a heading but was kept as text ({why})"))


def describe_page(path: str, page: Page) -> Record:
    """One notebook's entry: its outline as the notebook has it now, the rest from its capture record.

    Line numbers of headings are the notebook's; those of lines kept as text are the capture's.
    """
    meta = page.article
    record: dict[str, Any] = meta.get("capture") if isinstance(meta.get("capture"), dict) else {}
    blocks = [
        Block("heading", unescape(m.group(2)), level=len(m.group(1)) - 1, line=number)
        for cell in syntax.cells(page.body, page.body_line)
        if cell.part == "body"
        for number, line in enumerate(cell.lines, start=cell.first_line)
        if (m := syntax.HEADING.match(line)) and len(m.group(1)) > 1  # '#' is the title's
    ]
    title = str(meta.get("title", ""))
    article = Article(id=str(meta.get("id", "")), title=title, blocks=tuple(blocks))
    outline = [(b.level, b.text) for b in blocks]
    read, kept = record.get("lines_read"), record.get("lines_kept")
    entry = Record(
        path=path,
        article_id=article.id,
        title=title,
        title_from=str(record.get("title_from") or "unknown (no capture record)"),
        outline=outline,
        lines_read=read if isinstance(read, int) else None,
        lines_kept=kept if isinstance(kept, int) else None,
        source=str(record.get("file", "")),
    )
    headings = {text for _, text in outline}
    near_misses = [
        (int(m.get("line", 0)), str(m.get("text", "")), str(m.get("why", "")))
        for m in record.get("kept_as_text") or ()
        if isinstance(m, dict) and str(m.get("text", "")) not in headings  # made a heading since: fixed
    ]
    _warn(entry, article, bool(meta.get("title_missing")), near_misses)
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


def mark_duplicate_titles(
    entries: Sequence[Record], elsewhere: Mapping[str, Sequence[tuple[str, str]]] | None = None
) -> None:
    """Warn on each article whose title another article (another id) has too.

    ``entries`` are one report's articles; ``elsewhere`` maps a title to the (id, notebook) of
    articles outside the report (the book's notebooks, for an import's report).
    """
    ids: dict[str, set[str]] = {}
    for e in entries:
        ids.setdefault(e.title, set()).add(e.article_id)
    for e in entries:
        others = sorted({where for i, where in (elsewhere or {}).get(e.title, ()) if i != e.article_id})
        if len(ids[e.title]) > 1:
            e.warnings.append(("duplicate title", f"{len(ids[e.title])} articles of this report have this title"))
        elif others:
            e.warnings.append(("duplicate title", f"the title is also the title of {', '.join(others)}"))


def format_report(entries: Sequence[Record]) -> str:
    """The report as printed: one block per article, then a summary line of counts."""
    out: list[str] = []
    kinds: Counter[str] = Counter()
    for e in entries:
        source = f"; read from {e.source}" if e.source else ""
        out.append(f"{e.path}: {e.title}  [id {e.article_id}; title from {e.title_from}{source}]")
        if e.lines_read is None:
            out.append("  lines: not recorded (no capture record: re-import its capture to record them)")
        else:
            out.append(f"  lines: {e.lines_kept} kept of {e.lines_read} read")
        for level, text in e.outline:
            out.append(f"  {'  ' * (level - 1)}H{level} {text}")
        for kind, message in e.warnings:
            out.append(f"  warning: {message}")
            kinds[kind] += 1
    read = sum(e.lines_read or 0 for e in entries)
    kept = sum(e.lines_kept or 0 for e in entries)
    headings = sum(len(e.outline) for e in entries)
    warned = sum(1 for e in entries if e.warnings)
    counts = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items())) or "none"
    unknown = sum(1 for e in entries if e.lines_read is None)
    unrecorded = f" ({unknown} articles without a capture record)" if unknown else ""
    out.append(
        f"fidelity: {len(entries)} articles, {headings} headings, {kept} of {read} lines kept{unrecorded}; "
        f"{warned} articles with warnings ({counts})"
    )
    return "\n".join(out)
