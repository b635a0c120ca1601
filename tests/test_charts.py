"""Charts, the chart font, the data-quality table and the data notebook.

The fixture under tests/fixtures/catalog is a small book folder made by the
project's own pipeline: the seed capture 67202 (国美金融催收部在哪) with its 8
related stubs, plus 12 made-up articles in three categories (one nested).
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import matplotlib
import matplotlib.font_manager

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from book.analysis import charts, fonts, quality  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "catalog"
SEED = "67202"
ARTICLE_COLUMNS = [
    *("id", "title", "category", "topic", "author", "date"),
    *("views", "sections", "chars", "path", "is_stub"),
]


def _read(name: str, ids: list[str]) -> pd.DataFrame:
    # Same reading rules as catalog.load: ids stay strings, empty cells are NaN.
    return pd.read_csv(FIXTURE / "data" / name, dtype={c: str for c in ids}, keep_default_na=False, na_values=[""])


@pytest.fixture(scope="module")
def articles() -> pd.DataFrame:
    frame = _read("articles.csv", ["id"])
    for column in ("category", "topic", "author", "date", "title"):
        frame[column] = frame[column].fillna("")
    frame["views"] = frame["views"].astype("Int64")
    return frame


@pytest.fixture(scope="module")
def tags() -> pd.DataFrame:
    return _read("tags.csv", ["article_id"])


@pytest.fixture(scope="module")
def relations() -> pd.DataFrame:
    return _read("relations.csv", ["source_id", "target_id"])


def test_fixture_is_the_seed_with_its_stubs(articles: pd.DataFrame, relations: pd.DataFrame) -> None:
    seed = articles.set_index("id").loc[SEED]
    assert seed["title"] == "国美金融催收部在哪"
    assert (seed["category"], seed["topic"]) == ("金融债务", "国美金融")
    stubs = articles[articles["is_stub"]]
    assert len(stubs) == 8
    assert "国美金融无能力还贷怎么办,国美金融贷款逾期处理方法" in set(stubs["title"])
    related = relations[(relations["source_id"] == SEED) & (relations["kind"] == "related")]
    assert set(stubs["id"]) <= set(related["target_id"])
    assert articles["category"].nunique() >= 3


def test_fixture_reads_as_catalog_load_reads_it(
    articles: pd.DataFrame, tags: pd.DataFrame, relations: pd.DataFrame
) -> None:
    from book import catalog

    tables = catalog.load(FIXTURE)
    pd.testing.assert_frame_equal(tables.articles, articles)
    pd.testing.assert_frame_equal(tables.tags, tags)
    pd.testing.assert_frame_equal(tables.relations, relations)


# ---------------------------------------------------------------- font


def test_a_cjk_font_is_installed() -> None:
    family = fonts.use_cjk_font()
    assert family == fonts.cjk_font().get_family()[0]
    assert Path(fonts.cjk_font_path()).is_file()
    assert matplotlib.rcParams["font.sans-serif"][0] == family
    assert matplotlib.rcParams["axes.unicode_minus"] is False
    assert not fonts.missing_glyphs("国美金融催收部在哪：文章数（篇）0123 > …")


def test_missing_glyphs_reports_what_the_font_lacks() -> None:
    # Negative controls: an emoji and a Private Use Area character are in no CJK font.
    assert fonts.missing_glyphs("催收\U0001f9ff部") == {"\U0001f9ff"}
    assert fonts.missing_glyphs("\ue000") == {"\ue000"}
    assert fonts.missing_glyphs(" \t\n　") == set()  # whitespace, even the ideographic space, is ignored


def test_missing_glyphs_of_an_explicit_latin_font() -> None:
    dejavu = matplotlib.font_manager.findfont("DejaVu Sans", fallback_to_default=False)
    assert fonts.missing_glyphs("abc国", dejavu) == {"国"}


def test_no_cjk_font_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    fonts._font_entry.cache_clear()
    monkeypatch.setattr(matplotlib.font_manager.fontManager, "ttflist", [])
    monkeypatch.setattr(matplotlib.font_manager, "findSystemFonts", lambda *a, **k: [])
    try:
        with pytest.raises(RuntimeError, match="fonts-noto-cjk"):
            fonts.cjk_font()
    finally:
        monkeypatch.undo()
        fonts._font_entry.cache_clear()
    assert fonts.cjk_font_family()


def test_a_font_installed_after_matplotlib_cached_its_list_is_found(monkeypatch: pytest.MonkeyPatch) -> None:
    expected = fonts.cjk_font_family()
    fonts._font_entry.cache_clear()
    # matplotlib's cached list as it was before the setup script installed fonts-noto-cjk
    without_cjk = [e for e in matplotlib.font_manager.fontManager.ttflist if "CJK" not in e.name]
    monkeypatch.setattr(matplotlib.font_manager.fontManager, "ttflist", without_cjk)
    try:
        assert fonts.cjk_font_family() == expected
    finally:
        monkeypatch.undo()
        fonts._font_entry.cache_clear()


# ---------------------------------------------------------------- charts


def _chart_cases(articles: pd.DataFrame, tags: pd.DataFrame, relations: pd.DataFrame) -> dict[str, Figure]:
    return {
        "articles_per_category": charts.articles_per_category(articles),
        "articles_per_topic": charts.articles_per_topic(articles, top=20),
        "top_tags": charts.top_tags(tags, top=20),
        "relations_graph": charts.relations_graph(articles, relations),
    }


@pytest.fixture(scope="module")
def figures(articles: pd.DataFrame, tags: pd.DataFrame, relations: pd.DataFrame) -> dict[str, Figure]:
    return _chart_cases(articles, tags, relations)


CHARTS = ["articles_per_category", "articles_per_topic", "top_tags", "relations_graph"]


@pytest.mark.parametrize("name", CHARTS)
def test_chart_font_covers_every_glyph_of_the_labels(figures: dict[str, Figure], name: str) -> None:
    labels = charts.chart_labels(figures[name])
    assert labels
    assert fonts.missing_glyphs("".join(labels)) == set()


@pytest.mark.parametrize("name", CHARTS)
def test_chart_has_a_chinese_title(figures: dict[str, Figure], name: str) -> None:
    (ax,) = figures[name].axes
    title = ax.get_title()
    assert title.strip()
    assert any("\u4e00" <= ch <= "\u9fff" for ch in title)
    assert title in charts.chart_labels(figures[name])
    legend = ax.get_legend()
    assert legend is not None
    assert all(t.get_text().strip() for t in legend.get_texts())


def _bar_labels(fig: Figure) -> list[str]:
    (ax,) = fig.axes
    return [t.get_text() for t in ax.get_yticklabels()]


@pytest.mark.parametrize(
    ("name", "column", "expected"),
    [
        ("articles_per_category", "category", {"金融债务", "婚姻家庭", "法律知识 > 劳动纠纷"}),
        ("articles_per_topic", "topic", {"国美金融", "信用卡"}),
    ],
)
def test_bar_charts_label_every_bar(
    figures: dict[str, Figure], articles: pd.DataFrame, name: str, column: str, expected: set[str]
) -> None:
    (ax,) = figures[name].axes
    assert ax.get_xlabel().strip() and ax.get_ylabel().strip()
    labels = _bar_labels(figures[name])
    assert all(label.strip() for label in labels)
    assert set(labels) == set(articles[column])
    assert expected <= set(labels)


def test_top_tags_chart(figures: dict[str, Figure], tags: pd.DataFrame) -> None:
    labels = _bar_labels(figures["top_tags"])
    assert len(labels) == 20
    assert all(label.strip() for label in labels)
    assert labels[-1] == "金融债务"  # the most used tag is drawn at the top
    assert {"人工标注", "分类", "关键词"} <= set(charts.chart_labels(figures["top_tags"]))
    counts = charts.tag_counts(tags)
    assert counts.iloc[0]["tag"] == "金融债务"
    assert counts["articles"].is_monotonic_decreasing


def test_relations_graph_labels_every_node(figures: dict[str, Figure], articles: pd.DataFrame) -> None:
    labels = charts.chart_labels(figures["relations_graph"])
    node_labels = [charts.short_title(t) for t in articles["title"]]
    assert all(label.strip() for label in node_labels)
    for label in node_labels:
        assert label in labels
    assert "国美金融催收部在哪" in labels
    assert {"相关文章", "全文文章", "仅标题与摘要"} <= set(labels)
    # axis off: no stray numeric tick labels
    assert not any(label.replace(".", "").replace("-", "").isdigit() for label in labels)


def test_relations_graph_is_deterministic(articles: pd.DataFrame, relations: pd.DataFrame) -> None:
    def positions() -> list[tuple[float, float]]:
        fig = charts.relations_graph(articles, relations)
        return [tuple(t.xy) for t in fig.axes[0].texts]

    assert positions() == positions()


def test_relations_graph_keeps_the_most_connected(articles: pd.DataFrame, relations: pd.DataFrame) -> None:
    fig = charts.relations_graph(articles, relations, max_nodes=5)
    (ax,) = fig.axes
    assert len(ax.texts) == 5
    assert "国美金融催收部在哪" in [t.get_text() for t in ax.texts]
    assert "共" in ax.get_title()


def test_charts_of_empty_tables_say_so() -> None:
    articles = pd.DataFrame(columns=ARTICLE_COLUMNS)
    tags = pd.DataFrame(columns=["article_id", "tag", "weight", "source"])
    relations = pd.DataFrame(columns=["source_id", "target_id", "kind", "weight"])
    for fig in _chart_cases(articles, tags, relations).values():
        labels = charts.chart_labels(fig)
        assert charts.NO_DATA in labels
        assert not fonts.missing_glyphs("".join(labels))


def test_chart_labels_skips_hidden_text() -> None:
    fonts.use_cjk_font()
    fig = Figure()
    ax = fig.add_subplot()
    ax.set_title("标题")
    ax.text(0, 0, "看不见").set_visible(False)
    ax.set_axis_off()
    assert charts.chart_labels(fig) == ["标题"]


def test_a_chart_renders_to_png(figures: dict[str, Figure], tmp_path: Path) -> None:
    out = tmp_path / "category.png"
    figures["articles_per_category"].savefig(out)
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


# ---------------------------------------------------------------- quality


def test_quality_finds_the_template_holes_of_the_seed(articles: pd.DataFrame) -> None:
    table = quality.quality_table(articles, FIXTURE)
    assert list(table.columns) == quality.COLUMNS
    holes = table[(table["article_id"] == SEED) & (table["problem"] == quality.TEMPLATE_HOLE)]
    details = " ".join(holes["detail"])
    assert "成立于年" in details
    assert "位于市" in details
    assert "具体地址为。" in details
    assert "notebooks/jinrong-zhaiwu/67202.md:" in details  # file:line, to find it


def test_quality_reports_holes_once_on_the_stub_page(articles: pd.DataFrame) -> None:
    table = quality.quality_table(articles, FIXTURE)
    holes = table[table["problem"] == quality.TEMPLATE_HOLE]
    with_zi_wen = holes[holes["detail"].str.contains("资问")]
    # 资问 is in a related excerpt: reported for the stub, not again for the seed quoting it
    assert len(with_zi_wen) == 1
    assert with_zi_wen["article_id"].iloc[0].startswith("t-")


def test_quality_lists_stubs_and_missing_metadata(articles: pd.DataFrame) -> None:
    table = quality.quality_table(articles, FIXTURE)
    stubs = set(table.loc[table["problem"] == quality.STUB, "article_id"])
    assert stubs == set(articles.loc[articles["is_stub"], "id"])
    by_problem = {p: set(g["article_id"]) for p, g in table.groupby("problem")}
    assert by_problem[quality.NO_DATE] == {"67420", "68004"}
    assert by_problem[quality.NO_AUTHOR] == {"67311", "67420", "68004"}
    assert by_problem[quality.NO_SECTIONS] == {"68004"}
    # stubs are reported as stubs only, not as lacking a date, author and sections too
    assert not (by_problem[quality.NO_DATE] & stubs)
    assert "68002" not in set(table["article_id"])  # 成立于2008年,位于北京市 … 位于市中心: clean


def test_quality_reads_the_notebook_text(tmp_path: Path) -> None:
    page = tmp_path / "notebooks" / "x" / "1.md"
    page.parent.mkdir(parents=True)
    page.write_text(
        "---\narticle:\n  note: 成立于年\n---\n\n# 标题\n\n国美金融成立于年,总部位于市。\n\n"
        "该公司成立于2008年,位于北京市。\n",
        encoding="utf-8",
    )
    articles = pd.DataFrame(
        [["1", "标题", "x", "", "作者", "01-06", 1, 1, 10, "notebooks/x/1.md", False]],
        columns=ARTICLE_COLUMNS,
    )
    table = quality.quality_table(articles, tmp_path)
    holes = table[table["problem"] == quality.TEMPLATE_HOLE]
    assert len(holes) == 2  # the front matter is not article text
    assert all(":8 " in d for d in holes["detail"])  # line numbers count the front matter
    assert "成立于年" in holes["detail"].iloc[0] and "位于市" in holes["detail"].iloc[1]


def _own_text_line_by_line(body: str) -> str:
    """The rule ``quality.own_text`` implements, one line at a time (its first version)."""
    lines = body.split("\n")
    part = ""
    for i, line in enumerate(lines):
        m = re.match(r"^\+\+\+\s*(\{.*\})?\s*$", line)
        if m:
            try:
                part = str(json.loads(m.group(1) or "{}").get("part", ""))
            except (ValueError, AttributeError):
                part = ""
        elif part == "related":
            lines[i] = ""
    return "\n".join(lines)


_BODY_LINES = st.sampled_from(
    ["+++", "++++", '+++ {"part": "related"}', '+++ {"part": "body"}', '+++\t{"part": "related"} \r', "+++ {坏}",
     "+++x", "++", "相关文章", "成立于年。", "", " ", "\r", "\u2028", "\u3000+++"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(_BODY_LINES | st.text(alphabet='+{}" :\r\t 年', max_size=6), max_size=12))
def test_quality_skips_exactly_the_lines_of_related_cells(lines: list[str]) -> None:
    """Holes in the excerpts of other articles are not this article's: those lines are blanked,
    every other line is kept as it is, and line numbers do not move."""
    body = "\n".join(lines)
    assert quality.own_text(body) == _own_text_line_by_line(body)


@pytest.mark.parametrize(
    "clean",
    [
        "该公司成立于2008年,位于北京市。",
        "门店位于市中心,预计于年底开业。",
        "这有助于年轻人理解投资问题。",
        "骚扰第三人是违法行为。",
        "总部位于上海,地址为上海市浦东新区。",
    ],
)
def test_quality_does_not_flag_normal_text(clean: str) -> None:
    assert quality.find_holes(clean) == []


@pytest.mark.parametrize("hole", quality.HOLES, ids=lambda h: h.what)
def test_each_hole_rule_has_a_working_example(hole: quality.Hole) -> None:
    assert hole.pattern.search(hole.example)
    assert not hole.pattern.search(hole.clean)
    assert quality.find_holes(hole.example)  # its quick test lets the example through


_HOLE_PIECES = st.sampled_from(["成立", "于", "年", "位于", "市", "地址", "为", "资", "问", "总", "。", ",", "\n", "x"])


@settings(max_examples=500, deadline=None)
@given(st.lists(_HOLE_PIECES, max_size=30).map("".join))
def test_a_text_the_quick_tests_skip_holds_no_hole(text: str) -> None:
    """Each rule's ``needs`` only skips texts its pattern could not match."""
    for hole in quality.HOLES:
        if hole.pattern.search(text):
            assert any(needed in text for needed in hole.needs) or not hole.needs


def test_quality_reports_a_missing_notebook(articles: pd.DataFrame, tmp_path: Path) -> None:
    table = quality.quality_table(articles.head(1), tmp_path)
    assert quality.NO_FILE in set(table["problem"])


# ---------------------------------------------------------------- the data notebook


def _book_copy(tmp_path: Path) -> Path:
    """A throwaway book folder: the fixture's data and notebooks, this repo's book package and data.md."""
    root = tmp_path / "book-root"
    shutil.copytree(FIXTURE, root)
    (root / "_config.yml").write_text("title: 测试\n", encoding="utf-8")
    shutil.copytree(REPO / "book", root / "book", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "notebooks" / "data.md", root / "notebooks" / "data.md")
    return root


def test_data_notebook_runs_top_to_bottom(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import jupytext
    import nbclient

    root = _book_copy(tmp_path)
    # The notebook must find its book from its own folder, as in a Jupyter Book build.
    monkeypatch.delenv("BOOK_ROOT", raising=False)
    monkeypatch.delenv("PYTHONPATH", raising=False)
    nb = jupytext.read(root / "notebooks" / "data.md")
    client = nbclient.NotebookClient(
        nb,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(root / "notebooks")}},
        allow_errors=True,
    )
    client.execute()

    code = [c for c in nb.cells if c.cell_type == "code"]
    errors = [
        f"cell {i}: {o.get('ename')}: {o.get('evalue')}"
        for i, c in enumerate(code)
        for o in c.outputs
        if o.output_type == "error"
    ]
    assert not errors, errors
    assert all(c.execution_count for c in code), "a cell did not run"
    pngs = [o for c in code for o in c.outputs if "image/png" in o.get("data", {})]
    assert len(pngs) >= 2
    text = "".join(o.get("text", "") for c in code for o in c.outputs)
    assert "共 21 篇文章" in text
