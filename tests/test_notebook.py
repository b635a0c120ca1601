"""The notebook writer: jupytext's format, deterministic, escaped, edit-aware."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import jupytext
import pytest

from book import notebook
from book.escape import escape, unescape
from book.model import Article, Block
from book.readers import text

from .conftest import SEED


@pytest.fixture(scope="module")
def seed_text() -> str:
    return notebook.writes(text.read(SEED))


def test_output_is_deterministic(seed_text: str) -> None:
    assert notebook.writes(text.read(SEED)) == seed_text


def test_jupytext_round_trip_is_byte_identical(seed_text: str) -> None:
    nb = jupytext.reads(seed_text, fmt="md:myst")
    assert jupytext.writes(nb, fmt="md:myst") == seed_text


def test_front_matter_has_jupytext_kernelspec_and_article(seed_text: str) -> None:
    page = notebook.split_front_matter(seed_text, SEED)
    assert page.meta["jupytext"]["text_representation"]["format_name"] == "myst"
    assert page.meta["kernelspec"]["name"] == "python3"
    meta = page.article
    for key in ("id", "title", "source_url", "category", "topic", "author", "date", "views", "tags", "related"):
        assert key in meta, key
    assert meta["date"] == "01-06" and meta["id"] == "67202" and len(meta["related"]) == 8


def test_notebook_has_only_markdown_cells(seed_text: str) -> None:
    nb = jupytext.reads(seed_text, fmt="md:myst")
    assert {c.cell_type for c in nb.cells} == {"markdown"}
    assert [c.metadata.get("part") for c in nb.cells][:2] == [None, "intro"]
    assert [c.metadata.get("part") for c in nb.cells][-3:] == ["summary", "source", "related"]


def test_headings_mirror_the_article(seed_text: str) -> None:
    assert "\n## 一、国美金融概述\n" in seed_text and "\n### 1.1 国美金融的背景\n" in seed_text


def test_unedited_notebook_is_recognised(seed_text: str) -> None:
    assert not notebook.is_edited(seed_text)


@pytest.mark.parametrize(
    "edit",
    [
        lambda s: s.replace("国美金融的背景", "国美金融的历史"),
        lambda s: s + "\n新增一段。\n",
        lambda s: s.replace("views: 4", "views: 5"),
        lambda s: "\n".join(ln for ln in s.split("\n") if "checksum:" not in ln),
    ],
)
def test_any_edit_is_detected(seed_text: str, edit) -> None:
    assert notebook.is_edited(edit(seed_text))


@pytest.mark.parametrize(
    "line",
    [
        "<script>alert(1)</script>",
        "```{code-cell} ipython3",
        "{eval-rst}",
        "{{ title }}",
        "$$x^2$$",
        "(label)=",
        "% comment",
        "+++",
        "---",
        "# heading #",
        "[link](https://evil.example/)",
        "![img](x.png)",
        "1. item",
        "- item",
        "> quote",
        "*em* __strong__ `code` ~~del~~",
        "&amp; &#x41;",
        "a\\",
        ":::{note}",
        "| a | b |",
    ],
)
def test_escape_is_reversible(line: str) -> None:
    assert unescape(escape(line)) == line


def test_article_text_cannot_open_a_code_cell() -> None:
    hostile = Article(
        id="1",
        title="```{code-cell} ipython3",
        blocks=(
            Block("paragraph", "```{code-cell} ipython3", part="intro"),
            Block("paragraph", "import os", part="intro"),
            Block("paragraph", "```", part="intro"),
            Block("paragraph", '+++ {"tags": ["x"]}', part="intro"),
        ),
    )
    nb = jupytext.reads(notebook.writes(hostile), fmt="md:myst")
    assert {c.cell_type for c in nb.cells} == {"markdown"}
    assert all("tags" not in c.metadata for c in nb.cells)


def test_yaml_special_titles_survive_front_matter() -> None:
    article = Article(id="9", title='标题: "引号" #号 - [列表] {x} 🙂\t')
    page = notebook.split_front_matter(notebook.writes(dataclasses.replace(article)), SEED)
    assert page.article["title"] == article.title


def test_fast_yaml_emitter_writes_what_jupytext_writes() -> None:
    """The libyaml emitter we give jupytext must not change a single byte."""
    from book import readers, sample

    golden = sorted((Path(__file__).parent / "golden" / "captures").iterdir())
    articles = [readers.read(p) for p in golden]
    articles += [text.reads(capture, name) for name, capture in sample.generate(300, seed=7)]
    for article in articles:
        assert notebook.writes(article, fast_yaml=True) == notebook.writes(article, fast_yaml=False), article.title
