"""``python -m book check``: every problem with notebooks, toc and relations, as file:line."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import yaml

from .. import catalog, fidelity, fsutil
from ..errors import BookError
from ..layout import Layout
from ..notebook import article_field, read_page, syntax
from ..slug import title_key


def check(layout: Layout) -> list[BookError]:
    problems: list[BookError] = []
    entries, unreadable = catalog.scan(layout)
    problems += unreadable
    problems += _duplicates(entries)
    problems += _related(layout, entries)
    problems += _toc(layout, entries)
    problems += _relations_table(layout)
    problems += _temporaries(layout)
    problems += _execution(layout)
    problems += _missing_titles(layout)
    return problems


def _missing_titles(layout: Layout) -> list[BookError]:
    """Notebooks whose title the importer derived, the capture having none (``title_missing``)."""
    problems = []
    for path in layout.article_notebooks():
        text = path.read_text(encoding="utf-8", errors="replace")
        flag = article_field(text, "title_missing")
        if flag is not None and flag[1] == "true":
            title = (article_field(text, "title") or (0, ""))[1]
            problems.append(
                BookError(
                    layout.rel(path),
                    flag[0],
                    f"the title {title} was derived from the first words: the capture had no title",
                    "write the article's real title in 'title:' and the '# ' line, then remove 'title_missing: true'",
                )
            )
    return problems


def fidelity_report(layout: Layout) -> tuple[str, list[BookError]]:
    """``check --fidelity``: the fidelity report of every article notebook, and those it could not read."""
    entries: list[fidelity.Record] = []
    problems: list[BookError] = []
    for path in layout.article_notebooks():
        rel = layout.rel(path)
        try:
            entries.append(fidelity.describe_page(rel, read_page(path)))
        except (ValueError, UnicodeDecodeError, yaml.YAMLError) as exc:
            problems.append(
                BookError(rel, 1, f"cannot read it for the fidelity report: {exc}", "run `python -m book check`")
            )
    fidelity.mark_duplicate_titles(entries)
    return fidelity.format_report(entries), problems


_EXECUTION_KEYS = ("mystnb", "execution", "execute")


def _execution(layout: Layout) -> list[BookError]:
    """Code cells and execution settings in articles: they never run (book/site/execution.py),
    so they are a mistake or an attempt, and the contributor should hear of it."""
    problems = []
    for path in layout.article_notebooks():
        rel = layout.rel(path)
        text = path.read_text(encoding="utf-8", errors="replace")
        body, first = syntax.body_of(text)
        front = text.split("\n")[1 : first - 2] if first > 1 else []
        for number, line in enumerate(front, start=2):
            key = line.split(":", 1)[0]
            if key in _EXECUTION_KEYS:
                problems.append(
                    BookError(
                        rel,
                        number,
                        f"execution settings ({key}:) in an article's front matter: articles never run code",
                        f"remove the {key} block; code belongs in the data notebook",
                    )
                )
        for number, line in enumerate(body.split("\n"), start=first):
            if syntax.ANY_CODE_CELL.match(line):
                problems.append(
                    BookError(
                        rel,
                        number,
                        "a code cell in an article: it is shown as code and never runs",
                        "remove it, or move the analysis to the data notebook",
                    )
                )
    return problems


def _temporaries(layout: Layout) -> list[BookError]:
    # check is the one command that leaves them, so that it can tell of them.
    return [
        BookError(
            layout.rel(path),
            1,
            "a temporary file an interrupted write left behind",
            "any other command clears it, e.g. python -m book index",
        )
        for path in fsutil.stale_temporaries(*layout.written_folders())
    ]


def _line_of(path: Path, pattern: str, after: str | None = None) -> int:
    """1-based line of the first line matching ``pattern`` (after a line matching ``after``)."""
    lines = path.read_text(encoding="utf-8", errors="replace").split("\n")
    start = 0
    if after is not None:
        start = next((i for i, line in enumerate(lines) if re.search(after, line)), 0)
    for i in range(start, len(lines)):
        if re.search(pattern, lines[i]):
            return i + 1
    return 1


def duplicate_ids(entries: list[catalog.Entry]) -> list[BookError]:
    """Notebooks that share an article id with an earlier one: a book that cannot be built."""
    return [p for p in _duplicates(entries) if p.message.startswith("article id ")]


def _duplicates(entries: list[catalog.Entry]) -> list[BookError]:
    problems = []
    first_id: dict[str, catalog.Entry] = {}
    first_title: dict[str, catalog.Entry] = {}
    for e in entries:
        if e.id in first_id:
            problems.append(
                BookError(
                    e.path,
                    3,
                    f"article id {e.id} is also used by {first_id[e.id].path}",
                    "each article needs its own id; remove one of the two notebooks",
                )
            )
        else:
            first_id[e.id] = e
        key = title_key(e.title)
        if key in first_title:
            problems.append(
                BookError(
                    e.path,
                    4,
                    f"the title {e.title!r} is also the title of {first_title[key].path}",
                    "give one of them a distinct title: related links find articles by title",
                )
            )
        else:
            first_title[key] = e
    return problems


def _related(layout: Layout, entries: list[catalog.Entry]) -> list[BookError]:
    ids = {e.id for e in entries}
    problems = []
    for e in entries:
        for rel in e.related:
            target = rel.get("id")
            if target is not None and str(target) not in ids:
                line = _line_of(
                    layout.root / e.path, rf"^\s*-?\s*id:\s*'?{re.escape(str(target))}'?\s*$", r"^  related:"
                )
                problems.append(
                    BookError(
                        e.path,
                        line,
                        f"related article id {target} is not in the book",
                        "import that article, fix the id, or remove the entry",
                    )
                )
    return problems


def _toc(layout: Layout, entries: list[catalog.Entry]) -> list[BookError]:
    rel_toc = layout.rel(layout.toc)
    if not layout.toc.exists():
        return [BookError(rel_toc, 1, "_toc.yml is missing", "run `python -m book index`")]
    text = layout.toc.read_text(encoding="utf-8")
    try:
        tree = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return [
            BookError(
                rel_toc,
                (mark.line + 1) if mark else 1,
                "_toc.yml is not valid YAML",
                "run `python -m book index` to regenerate it",
            )
        ]
    files: list[str] = []
    _collect_files(tree, files)
    problems = []
    for f in files:
        if not any((layout.root / (f + ext)).exists() for ext in ("", ".md", ".ipynb")):
            problems.append(
                BookError(
                    rel_toc, _find_line(text, f), f"'{f}' is listed but does not exist", "run `python -m book index`"
                )
            )
    listed = {f.removesuffix(".md") for f in files}
    for e in entries:
        if e.path.removesuffix(".md") not in listed:
            problems.append(
                BookError(
                    e.path,
                    1,
                    "this notebook is not in _toc.yml, so the book leaves it out",
                    "run `python -m book index`",
                )
            )
    return problems


def _collect_files(node: object, out: list[str]) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("file", "root") and isinstance(value, str):
                out.append(value)
            else:
                _collect_files(value, out)
    elif isinstance(node, list):
        for item in node:
            _collect_files(item, out)


def _find_line(text: str, needle: str) -> int:
    for i, line in enumerate(text.split("\n"), start=1):
        if needle in line:
            return i
    return 1


def _relations_table(layout: Layout) -> list[BookError]:
    articles_csv, relations_csv = layout.data / "articles.csv", layout.data / "relations.csv"
    if not articles_csv.exists() or not relations_csv.exists():
        return [BookError(layout.rel(articles_csv), 1, "the data tables are missing", "run `python -m book index`")]
    with articles_csv.open(encoding="utf-8", newline="") as f:
        ids = {row["id"] for row in csv.DictReader(f)}
    problems = []
    with relations_csv.open(encoding="utf-8", newline="") as f:
        for line, row in enumerate(csv.DictReader(f), start=2):
            for column in ("source_id", "target_id"):
                if row[column] not in ids:
                    problems.append(
                        BookError(
                            layout.rel(relations_csv),
                            line,
                            f"{column} {row[column]} is not in articles.csv (a dangling relation)",
                            "run `python -m book index`",
                        )
                    )
    return problems
