"""The top-level cells of a MyST Markdown notebook, found without a Markdown parse.

myst-nb reads a MyST notebook twice with markdown-it: once, block by block, only to
find the top-level cell breaks (``+++``) and ``{code-cell}`` fences, and once more per
cell to render it.  The first parse was 2.2 s of each reader's 18 s at 1,000 articles
(py-spy).  Article notebooks have a plain shape: front matter, ``+++`` lines and backtick
fences at the margin, no HTML.  In a text of that shape the tokens myst-nb looks at
(front matter, fences and breaks at the top level) can be found line by line: a break or
fence at the margin ends any paragraph, list, quote, table, footnote or reference before
it (markdown-it's own rules), so it is at the top level.  Any other text (code or raw
cells, HTML, indented or odd markers, fences left open, CR line ends) is parsed by
markdown-it as before.  Either way myst-nb's own ``read_myst_markdown_notebook`` builds
the notebook from the tokens; ``tests/test_notebook_cells.py`` compares the two paths on
the sample, golden and generated notebooks and on generated and edge-case texts.

myst-nb also validates each markdown cell it creates against the notebook schema, which
cost 0.7 s of each reader.  A markdown cell built from a string and a fresh id can only
fail the schema through the metadata properties the schema names, so cells without them
skip the check.
"""

from __future__ import annotations

import re
from typing import Any

from markdown_it.token import Token
from nbformat.v4 import nbbase

from ..notebook.syntax import BREAK_LINE, FENCE_LINE, FENCE_OPEN, MYST_BREAK
from . import patches

# markdown-it turns CR and CRLF into LF and NUL into U+FFFD before it parses.
_REWRITTEN = re.compile("[\r\x00]")
# The markdown cell metadata properties nbformat's v4 schema constrains.
_CHECKED_METADATA = ("name", "tags", "jupyter")
# MyST extensions that add no block syntax: with any other, or with CommonMark or GFM
# only, markdown-it finds the tokens.
_INLINE_EXTENSIONS = frozenset(
    {"smartquotes", "replacements", "linkify", "strikethrough", "html_image", "html_admonition"}
)


# The cell directives myst-nb reads with (its callers all use its defaults).
_CELL_DIRECTIVES = ("{code-cell}", "{raw-cell}")


class _Unusual(ValueError):
    """The text has a shape the line scan does not vouch for."""


def top_level_tokens(text: str) -> list[Token]:
    """The front matter, fence and block-break tokens markdown-it finds at the top level of
    ``text`` (as myst-nb passes it, with a newline appended), with the same ``map``,
    ``info`` and ``content``: all that ``read_myst_markdown_notebook`` reads.  Raises
    ``ValueError`` for a text whose shape the scan does not vouch for."""
    if _REWRITTEN.search(text):
        raise _Unusual("carriage returns or NUL, which markdown-it rewrites")
    lines = text.split("\n")
    if lines[0] != FENCE_LINE:
        raise _Unusual("no front matter")
    end = _front_matter_end(lines)
    front = Token("front_matter", "", 0, content="\n".join(lines[1:end]), map=[0, end + 1], block=True, hidden=True)
    tokens = [front]
    fence: Token | None = None
    ticks = ""
    for number in range(end + 1, len(lines)):
        line = lines[number]
        stripped = line.lstrip()
        if fence is not None:
            if line == ticks:
                fence.map = [fence.map[0], number + 1]
                fence = None
            elif stripped.startswith(ticks):
                raise _Unusual(f"line {number + 1}: a fence line that may or may not close")
            continue
        if stripped.startswith(("```", "~~~")):
            opening = FENCE_OPEN.fullmatch(line)
            if opening is None:
                raise _Unusual(f"line {number + 1}: a fence not at the margin")
            info = opening.group(2)
            if info.strip().startswith(_CELL_DIRECTIVES):
                raise _Unusual(f"line {number + 1}: a code or raw cell")
            ticks = opening.group(1)
            fence = Token("fence", "code", 0, info=info, markup=ticks, map=[number, len(lines)], block=True)
            tokens.append(fence)
        elif stripped.startswith("+"):
            marker = MYST_BREAK.fullmatch(line)
            if marker is None:
                raise _Unusual(f"line {number + 1}: a '+' line that is not a plain cell break")
            tokens.append(
                Token(
                    "myst_block_break",
                    "hr",
                    0,
                    content=(marker.group(1) or "").strip(),
                    markup=BREAK_LINE,
                    map=[number, number + 1],
                    block=True,
                )
            )
        elif stripped.startswith("<"):
            # An HTML block may hold a '+++' or '```' line (a comment or <pre> even across
            # blank lines).  Every other block a break or fence can end, as markdown-it's
            # rules say (their "alt" lists), so at the margin they are top level.
            raise _Unusual(f"line {number + 1}: HTML")
    if fence is not None:
        raise _Unusual("a fence left open")
    return tokens


def _front_matter_end(lines: list[str]) -> int:
    for number in range(1, len(lines)):
        line = lines[number]
        if line.startswith("...") or line.lstrip(" \t").startswith(FENCE_LINE):
            if line == FENCE_LINE:
                return number
            raise _Unusual(f"line {number + 1}: an unusual end of front matter")
    raise _Unusual("front matter left open")


def scans(config: Any) -> bool:
    """Whether the line scan finds what markdown-it would with this MyST configuration."""
    return (
        not config.commonmark_only
        and not config.gfm_only
        and set(config.enable_extensions) <= _INLINE_EXTENSIONS
        and set(config.disable_syntax) <= {"inline"}
    )


class _ScanningParser:
    """What ``read_myst_markdown_notebook`` asks of its markdown-it parser (``parse``), with
    the line scan first and the real parser, made only when needed, for unusual texts.
    (myst-nb calls its reader with the default cell directives only.)"""

    def __init__(self, make_parser: Any, config: Any, renderer: Any) -> None:
        self._make = (make_parser, config, renderer)

    def parse(self, src: str, env: Any = None) -> list[Token]:
        try:
            return top_level_tokens(src)
        except _Unusual:
            make, config, renderer = self._make
            return make(config, renderer).parse(src, env)


class _Nbformat:
    """``nbformat`` as myst-nb's reader sees it: markdown cells validated only when their
    metadata has a property the schema checks."""

    def __init__(self, nbformat: Any) -> None:
        self._nbformat = nbformat
        self.v4 = _NbformatV4(nbformat.v4)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._nbformat, name)


class _NbformatV4:
    def __init__(self, v4: Any) -> None:
        self._v4 = v4

    def __getattr__(self, name: str) -> Any:
        return getattr(self._v4, name)

    def new_markdown_cell(self, source: str = "", **kwargs: Any) -> Any:
        metadata = kwargs.get("metadata") or {}
        if (
            not isinstance(source, str)
            or set(kwargs) - {"metadata"}
            or any(key in metadata for key in _CHECKED_METADATA)
        ):
            return self._v4.new_markdown_cell(source=source, **kwargs)
        # nbformat's own constructor, without its schema check
        cell = nbbase.NotebookNode(
            id=nbbase.random_cell_id(), cell_type="markdown", source=source, metadata=nbbase.NotebookNode()
        )
        cell.update(kwargs)
        return cell


def install() -> None:
    """Give myst-nb's MyST notebook reader the line scan and the lighter cell check."""
    try:
        import myst_nb.core.read as read
    except ImportError:
        return
    if patches.current(read, "create_md_parser") is not None:
        return
    original = read.create_md_parser

    def create_md_parser(config: Any, renderer: Any) -> Any:
        if scans(config):
            return _ScanningParser(original, config, renderer)
        return original(config, renderer)

    create_md_parser.__wrapped__ = original  # type: ignore[attr-defined]
    if patches.replace(read, "create_md_parser", create_md_parser, package="myst-nb", name="cells by line scan"):
        patches.replace(read, "nbf", _Nbformat(read.nbf), package="myst-nb", name="lighter cell check")
