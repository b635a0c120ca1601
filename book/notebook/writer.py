"""Article → MyST notebook (jupytext's ``md:myst`` format).

``writes`` renders an :class:`~book.model.Article` as a notebook through
jupytext itself, so what we write is exactly what jupytext reads and writes
back (a notebook opened in Jupyter and saved unchanged stays byte-identical).
``page`` reads a notebook back.

Layout of an article notebook: YAML front matter (jupytext header, python3
kernelspec, ``article:`` metadata); then markdown cells: title and byline;
intro; one cell per top-level section; summary; copyright and source link;
related articles.  Cell metadata ``part`` names the role of each cell.  All
article text goes through :func:`book.escape.escape`.

A ``checksum`` in the metadata is the SHA-256 of the file as written, minus
the checksum line itself.  A file whose content no longer matches it has been
edited by someone, and re-import leaves it alone.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
from collections.abc import Iterator, Mapping
from typing import Any

import jupytext
import jupytext.myst
import nbformat
import yaml

from ..engine import patches
from ..escape import escape, link_destination
from ..model import Article, Block
from ..readers.headings import split_lead
from ..slug import title_key

FORMAT = "md:myst"
KERNELSPEC = {"display_name": "Python 3", "language": "python", "name": "python3"}
_CHECKSUM_LINE = re.compile(r"^  checksum: sha256:[0-9a-f]{64}\n", re.MULTILINE)
_PENDING = "sha256:" + "0" * 64


def metadata(article: Article, capture: Mapping[str, Any] | None = None, title_missing: bool = False) -> dict[str, Any]:
    """The ``article:`` front matter: everything the catalog needs without reading the body.

    ``capture`` (``readers.notes.capture_record``) says what the notebook was read from and how
    faithfully, for ``check --fidelity``; ``title_missing`` flags a title the importer derived
    because the capture had none, so that it stays flagged until someone writes the real one.
    Unknown values are left out rather than written as null: jupytext drops
    null keys when it merges metadata, which would fail the write.
    """
    meta = {
        "id": article.id,
        "title": article.title,
        "source_url": article.source_url,
        "category": list(article.category),
        "topic": article.topic,
        "author": article.author,
        "age": article.age,
        "date": article.date,
        "views": article.views,
        "tags": list(article.tags),
        "related": [{"title": r.title, "excerpt": r.excerpt} for r in article.related],
        "title_missing": True if title_missing else None,
        "capture": dict(capture) if capture else None,
        "checksum": _PENDING,
    }
    return {key: value for key, value in meta.items() if value is not None}


def to_notebook(
    article: Article, capture: Mapping[str, Any] | None = None, title_missing: bool = False
) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["jupytext"] = {"notebook_metadata_filter": "article", "formats": FORMAT}
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    nb.metadata["article"] = metadata(article, capture, title_missing)
    # Cells are built as plain nodes: nbformat's per-cell schema validation
    # costs more than everything else here, and these cells are valid by construction.
    nb.cells = [
        nbformat.from_dict({"cell_type": "markdown", "metadata": meta, "source": text})
        for text, meta in _cells(article)
    ]
    return nb


@contextlib.contextmanager
def _libyaml_emitter() -> Iterator[None]:
    """Let jupytext's YAML dumper emit through libyaml instead of pure Python.

    Same representers, same events; only the emitter is C.  Emitting the front
    matter was half the cost of an import; ``tests/test_notebook.py`` checks
    the output is byte-identical to jupytext's own dumper on a corpus.
    """
    if not yaml.__with_libyaml__:  # pragma: no cover - PyYAML wheels ship libyaml
        yield
        return
    with patches.swapped(jupytext.myst, "CompactDumper", _CCompactDumper, package="jupytext", name="libyaml emitter"):
        yield


if yaml.__with_libyaml__:

    class _CCompactDumper(yaml.CSafeDumper):
        pass

    _CCompactDumper.add_representer(list, jupytext.myst.represent_list)
    _CCompactDumper.add_representer(dict, jupytext.myst.represent_dict)


# libyaml and PyYAML's emitter agree on text made of these characters; outside
# them (tabs, emoji, a BOM …) their choices of quoting differ, so jupytext
# would rewrite the file on its next save.  Such articles take the slow path.
_LIBYAML_SAFE = re.compile(r"[^\x20-\x7e\u00a0-\ud7ff\ue000-\ufefe\uff00-\ufffd]")


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def libyaml_emits_alike(value: Any) -> bool:
    """Whether libyaml's emitter writes ``value`` as PyYAML's would (see ``_LIBYAML_SAFE``)."""
    return bool(yaml.__with_libyaml__) and not any(_LIBYAML_SAFE.search(s) for s in _strings(value))


def writes(
    article: Article,
    fast_yaml: bool = True,
    capture: Mapping[str, Any] | None = None,
    title_missing: bool = False,
) -> str:
    """The notebook of ``article``; with ``capture``/``title_missing`` as :func:`metadata` says."""
    fast_yaml = fast_yaml and libyaml_emits_alike(metadata(article, capture, title_missing))
    with _libyaml_emitter() if fast_yaml else contextlib.nullcontext():
        text = jupytext.writes(to_notebook(article, capture, title_missing), fmt=FORMAT)
    if text.count(_PENDING) != 1:  # pragma: no cover - guards the format, not the input
        raise AssertionError("checksum placeholder not found exactly once")
    return text.replace(_PENDING, "sha256:" + _digest(text))


def is_edited(text: str) -> bool:
    """True when a notebook is not exactly as :func:`writes` left it."""
    m = _CHECKSUM_LINE.search(text)
    if not m:
        return True
    recorded = m.group(0).strip().removeprefix("checksum: sha256:")
    return recorded != _digest(text)


def _digest(text: str) -> str:
    without = _CHECKSUM_LINE.sub("", text, count=1)  # the recorded checksum, or the placeholder
    return hashlib.sha256(without.encode("utf-8")).hexdigest()


def _strong(text: str) -> str:
    return f"**{escape(text)}**"


def _paragraph(block: Block) -> str:
    """A paragraph; a list item in the body shows its lead in bold (see ``headings.split_lead``).

    In the intro and the summary an item is a plain paragraph: the catalog takes their text as
    it stands for excerpts and keywords.
    """
    parts = split_lead(block.text.strip()) if block.kind == "item" and block.part == "body" else None
    if parts is None:
        return escape(block.text)
    before, lead, after, rest = parts
    return "".join([_spaced(before), _strong(lead), _spaced(after), _spaced(rest)])


def _spaced(piece: str) -> str:
    # escape() strips a piece; a space between two pieces of one line stays one space.
    if not piece.strip():
        return " " if piece else ""
    return (" " if piece[:1].isspace() else "") + escape(piece) + (" " if piece[-1:].isspace() else "")


def _container(cls: str, body: list[str]) -> str:
    return "\n".join([f"```{{container}} {cls}", "\n\n".join(body), "```"])


def _cells(article: Article) -> list[tuple[str, dict[str, str]]]:
    cells: list[tuple[str, dict[str, str]]] = []
    byline = " · ".join(
        escape(x)
        for x in (
            article.author,
            article.age,
            article.date,
            f"阅读 {article.views}" if article.views is not None else "",
        )
        if x
    )
    head = [f"({title_key(article.title)})=", f"# {escape(article.title)}"]
    cells.append(("\n".join(head) + ("\n\n" + _container("article-meta", [byline]) if byline else ""), {}))

    intro = [_paragraph(b) for b in article.blocks if b.part == "intro"]
    if intro or article.intro_marker:
        label = [_strong(article.intro_marker)] if article.intro_marker else []
        cells.append((_container("article-intro", label + intro), {"part": "intro"}))

    section: list[str] = []
    for block in (b for b in article.blocks if b.part == "body"):
        if block.kind == "heading":
            if block.level == 1 and section:
                cells.append(("\n\n".join(section), {"part": "body"}))
                section = []
            # Markdown has six heading levels; deeper sections share the sixth.
            section.append("#" * min(block.level + 1, 6) + " " + escape(block.text))
        else:
            section.append(_paragraph(block))
    if section:
        cells.append(("\n\n".join(section), {"part": "body"}))

    summary = [_paragraph(b) for b in article.blocks if b.part == "summary"]
    if summary or article.summary_marker:
        label = [_strong(article.summary_marker)] if article.summary_marker else []
        cells.append((_container("article-summary", label + summary), {"part": "summary"}))

    footer = []
    if article.copyright:
        footer.append(escape(article.copyright))
    if article.source_url:
        footer.append(f"本文链接:[{escape(article.source_url)}]({link_destination(article.source_url)})")
    if footer:
        cells.append((_container("article-source", footer), {"part": "source"}))

    if article.related:
        items = [f"## {escape(article.related_marker or '相关文章')}"]
        for rel in article.related:
            item = f"- [{escape(rel.title)}](#{title_key(rel.title)})"
            if rel.excerpt:
                item += "\n\n  " + escape(rel.excerpt)
            items.append(item)
        cells.append(("\n\n".join(items), {"part": "related"}))
    return cells
