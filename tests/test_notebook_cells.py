"""myst-nb reads a notebook the same with the line scan (``book.engine.notebook_cells``) as with its
own markdown-it pass: same cells, sources, metadata, source map and errors.

The scan must also be what article notebooks take, or the speed-up is gone without a sound;
and it must hand every text it does not vouch for to markdown-it.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from pathlib import Path

import myst_nb.core.read as read
import nbformat
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it.renderer import RendererHTML
from myst_parser.config.main import MdParserConfig

from book import notebook, sample
from book.engine import notebook_cells
from book.readers import text as text_reader

from .conftest import REPO

NOTEBOOKS = sorted([*(REPO / "notebooks").rglob("*.md"), *(REPO / "tests" / "golden" / "expected").glob("*.md")])
ARTICLES = [p for p in NOTEBOOKS if p.name != "data.md" and "_index" not in p.parts and p.name != "intro.md"]
# And generated articles, every heading scheme and length of the sample generator.
GENERATED = [notebook.writes(text_reader.reads(text, name)) for name, text in sample.generate(60, seed=7)]


@contextlib.contextmanager
def _myst_nb_as_shipped() -> Iterator[None]:
    """myst-nb's reader with its own parser and nbformat, whether or not the scan is installed."""
    scanning = (read.create_md_parser, read.nbf)
    real = getattr(read.create_md_parser, "__wrapped__", read.create_md_parser)
    read.create_md_parser, read.nbf = real, nbformat
    try:
        yield
    finally:
        read.create_md_parser, read.nbf = scanning


def _read(text: str, *, scan: bool) -> object:
    """The notebook (cell ids aside, they are random) or the error myst-nb's reader gives."""
    context = contextlib.nullcontext() if scan else _myst_nb_as_shipped()
    with context:
        try:
            notebook = read.read_myst_markdown_notebook(text, config=MdParserConfig(), add_source_map=True)
        except Exception as error:  # noqa: BLE001 - the error is the result compared
            return (type(error).__name__, str(error))
    for cell in notebook.cells:
        assert len(cell.pop("id")) >= 8
    return json.loads(json.dumps(notebook))


@pytest.fixture(autouse=True, scope="module")
def _installed() -> None:
    notebook_cells.install()
    notebook_cells.install()  # twice is once
    assert isinstance(read.nbf, notebook_cells._Nbformat)


def _reference_tokens(text: str) -> list[tuple]:
    """The top-level tokens ``read_myst_markdown_notebook`` looks at, from markdown-it itself."""
    config = MdParserConfig(disable_syntax=["inline"])
    with _myst_nb_as_shipped():
        tokens = read.create_md_parser(config, RendererHTML).parse(text + "\n")
    level, found = 0, []
    for token in tokens:
        level += token.nesting
        if level == 0 and token.type in ("front_matter", "fence", "myst_block_break"):
            found.append((token.type, token.map, token.info, token.content if token.type != "fence" else ""))
    return found


def _scanned_tokens(text: str) -> list[tuple]:
    return [
        (t.type, t.map, t.info, t.content if t.type != "fence" else "")
        for t in notebook_cells.top_level_tokens(text + "\n")
    ]


def _agree_both_ways(text: str) -> None:
    """The same notebook either way; and where the scan takes the text, markdown-it's tokens."""
    assert _read(text, scan=True) == _read(text, scan=False)
    try:
        scanned = _scanned_tokens(text)
    except ValueError:
        return  # left to markdown-it, compared above
    assert scanned == _reference_tokens(text)


def test_the_corpus_is_large_enough_to_mean_something() -> None:
    assert len(ARTICLES) >= 8 and len(GENERATED) == 60 and any(p.name == "data.md" for p in NOTEBOOKS)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(REPO)))
def test_every_notebook_reads_the_same_either_way(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    scanned = _read(text, scan=True)
    assert scanned == _read(text, scan=False)
    assert isinstance(scanned, dict) and scanned["cells"]


def test_generated_article_notebooks_read_the_same_either_way() -> None:
    for text in GENERATED:
        assert _read(text, scan=True) == _read(text, scan=False)


@pytest.mark.parametrize("path", ARTICLES, ids=lambda p: str(p.relative_to(REPO)))
def test_article_notebooks_take_the_scan_and_find_markdown_its_tokens(path: Path) -> None:
    _takes_the_scan(path.read_text(encoding="utf-8"))


def test_generated_article_notebooks_take_the_scan_and_find_markdown_its_tokens() -> None:
    for text in GENERATED:
        _takes_the_scan(text)


def _takes_the_scan(text: str) -> None:
    assert _scanned_tokens(text) == _reference_tokens(text)
    assert sum(1 for kind, *_ in _scanned_tokens(text) if kind == "myst_block_break") >= 2


def test_a_notebook_with_code_is_left_to_markdown_it() -> None:
    text = (REPO / "notebooks" / "data.md").read_text(encoding="utf-8")
    with pytest.raises(ValueError, match="code or raw cell"):
        notebook_cells.top_level_tokens(text + "\n")


def test_markdown_cells_with_schema_checked_metadata_are_still_validated() -> None:
    bad = '---\njupytext:\n  text_representation:\n    format_name: myst\n---\n\n+++ {"tags": "not a list"}\n\n正文\n'
    with pytest.raises(nbformat.ValidationError):
        read.read_myst_markdown_notebook(bad)
    assert _read(bad, scan=True) == _read(bad, scan=False)


def test_a_configuration_with_block_syntax_is_not_scanned() -> None:
    assert notebook_cells.scans(MdParserConfig())
    assert not notebook_cells.scans(MdParserConfig(enable_extensions={"colon_fence"}))
    assert not notebook_cells.scans(MdParserConfig(commonmark_only=True))
    assert not notebook_cells.scans(MdParserConfig(disable_syntax=["fence"]))


FRONT = "---\nkernelspec:\n  name: python3\n  display_name: Python 3\n---\n"

# Lines chosen to sit on every edge the scan decides on: breaks plain, indented, spaced,
# with and without metadata or a blank line before; fences of every length, indented,
# tilde, with info, code and raw cells; HTML; tables; lists with '+'; front-matter-like
# lines; line ends markdown-it does not count; and ordinary Chinese text.
LINES = st.sampled_from(
    [
        "", "", "", "正文第一句。", "第二段,含 `代码` 与 *强调*。", "+++", '+++ {"part": "body"}',
        '+++ {"part": 1}', "+++ [1]", "+++ not json", "+++  {}", " +++", "    +++", "+ + +", "++++",
        "+++\t{}", "+ 列表项", "```", "````", "```{container} article-meta", "``` x", "  ```",
        "~~~", "```{code-cell} python", "```{raw-cell}", "print(1)", "<div>", "<!-- 注释", "-->",
        "| a | b |", "|---|---|", "---", "...", "- 列表", "  - 嵌套", "> 引用", "# 标题",
        "(t-label)=", "% 注释", "[^1]: 脚注", "    缩进代码", "甲\u2028乙", "回车\r", "\t制表",
        "\u3000全角空格开头", "`` `x` ``",
    ]
)  # fmt: skip


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(LINES, max_size=25), st.sampled_from([FRONT, FRONT + "\n", "", "---\nbad: [\n---\n"]))
def test_generated_texts_read_the_same_either_way(lines: list[str], front: str) -> None:
    text = front + "\n".join(lines)
    _agree_both_ways(text)


# Texts of the shape the scan takes, so that it is the scan's answers being compared:
# breaks after blank lines, closed fences holding break-like and HTML lines, and the
# block syntax a break or fence may follow or interrupt.
FENCED = st.builds(
    lambda ticks, info, body: [ticks + info, *body, ticks],
    st.sampled_from(["```", "````"]),
    st.sampled_from(["{container} article-intro", "{container} article-meta", "", "text"]),
    st.lists(
        st.sampled_from(["内容", "+++", '+++ {"part": "x"}', "<div>", "---", "", "```", "~~~", "| a |"]), max_size=4
    ),
)
BLOCKS = st.one_of(
    st.sampled_from([[""], ["", "+++"], ["", '+++ {"part": "body"}'], ["", '+++ {"part": "intro"}'], ["", "+++ []"]]),
    st.sampled_from(
        [["正文。"], ["## 1.1 小标题"], ["- 列表", "  续行"], ["> 引用"], ["| a | b |", "|---|---|", "| 1 | 2 |"]]
    ),
    st.sampled_from([["[^1]: 脚注"], ["(t-x)="], ["% 注释"], ["    缩进"], ["第一行", "---"], ["[a]: /url"]]),
    FENCED,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(BLOCKS, max_size=14), st.sampled_from([FRONT, FRONT + "\n"]))
def test_texts_of_the_notebook_shape_read_the_same_either_way(blocks: list[list[str]], front: str) -> None:
    text = front + "\n".join(line for block in blocks for line in block)
    _agree_both_ways(text)


# Where markdown-it sees no break or fence at the top level though a line looks like one,
# or sees one the scan could take for something else.
EDGES = [
    "<!-- 注释\n\n+++\n-->\n",  # an HTML comment runs across blank lines
    "<div>\n+++\n",  # an HTML block runs to the next blank line
    "<pre>\n\n```\n+++\n</pre>\n",
    "```\n+++\n```\n",  # a break inside a fence is text
    "````\n```\n+++\n````\n",  # a shorter fence inside a longer one does not close it
    "```\n+++\n",  # a fence left open runs to the end
    "```\n ```\n+++\n",  # an indented fence closes
    "```\n```` \n+++\n",  # so does a longer one with trailing spaces
    "```\n ```\n+++\n```\n",
    "~~~\n+++\n~~~\n",
    "    +++\n",  # indented: code
    "  ```\n+++\n  ```\n",
    "- ```\n+++\n```\n",  # a fence in a list item ends with the item
    "> ```\n+++\n",
    "| a | b |\n|---|---|\n+++\n",  # a break ends a table
    '正文\n+++ {"part": "body"}\n正文\n',  # and a paragraph
    "[^1]: 脚注\n+++\n",
    "```{code-cell} python\nprint(1)\n```\n",
    '+++ {"tags": 1}\n\n正文\n',
    "+++ [1]\n\n正文\n",
]


# Front matter and line ends.
WHOLE_TEXTS = [
    "正文\n---\n+++\n\n正文\n",  # a thematic break, not front matter
    "---\na: 1\n...\n+++\n\n正文\n",  # YAML's own end marker
    "---\na: 1\n...\n---\n+++\n\n正文\n",
    "---\na: 1\n--- x\n---\n+++\n\n正文\n",  # not an end: more than dashes
    "---\na: 1\n  ---\n+++\n\n正文\n",
    "---\na: 1\n---   \n+++\n\n正文\n",
    "---\na: 1\n",  # never closed: not front matter
    FRONT + "甲\u2028乙\n\n+++\n\n正文\n",  # str.splitlines() breaks there, markdown-it does not
    FRONT + "甲\r\n\r\n+++\r\n\r\n正文\n",
    FRONT + "正文\r+++\r\r正文\n",  # markdown-it reads a lone CR as a line end
    FRONT + '+++ {"a": "\x00"}\n\n正文\n',  # and NUL as U+FFFD
]


@pytest.mark.parametrize("text", [FRONT + body for body in EDGES] + WHOLE_TEXTS)
def test_edges_read_the_same_either_way(text: str) -> None:
    _agree_both_ways(text)
