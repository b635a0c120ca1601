"""The build's speed-ups change how Sphinx works, never what it makes.

`book.site.search` keeps a search record of each page as it is written (in the
forked writers too) and writes the shards after the build; `book.engine.parallel_read`
reads a large batch in one share per process and a small one serially;
`book.engine.parallel_write` resolves, indexes and writes pages in the forked writers
and merges their index entries and images.  A small Sphinx project built both
ways, the speed-ups on (two processes) and off (one process, Sphinx's own
path), must give byte-identical pages, search shards and images.
"""

from __future__ import annotations

import gc
import io
import pickle
import re
import shutil
from pathlib import Path

import pytest
import sphinx.builders as sphinx_builders
from hypothesis import given, settings
from hypothesis import strategies as st
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from book.engine import env_save, parallel_read, patches
from book.search.query import SiteIndex

from .conftest import REPO

# Enough pages that the parallel reader takes them in shares, not serially.
PAGES = parallel_read.SERIAL_BELOW + 20

CONF = """
extensions = [
    "myst_parser",
    "book.site.search",
    "book.engine.parallel_read",
    "book.engine.parallel_write",
    "book.engine.env_save",
]
language = "zh_CN"
html_search_language = "zh"
html_theme = "basic"
myst_enable_extensions = []
book_read_in_main = ["p005", "p150"]
"""


# A 1×1 PNG; a byte appended after IEND makes each copy a distinct file.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)


def _page(number: int) -> str:
    # Chinese text, Latin words and acronyms, a heading repeated (docutils files an INFO
    # message for the duplicate target, which is dropped before writing), a comment and
    # raw HTML (which the search indexer treats specially).
    text = (
        f"# 第{number}篇:信用卡逾期 Credit card 催收\n\n"
        f"欠款人与银行协商还款,APR 与 LPR 不同。本页编号 {number}。\n\n"
        "## 一、协商\n\n网贷平台催收的合法边界。\n\n"
        "## 一、协商\n\n重复的小标题。\n\n"
        "% 一条注释,不进索引\n\n"
        "<span>原始 HTML 里的分期付款</span>\n"
    )
    if number % 50 == 0:
        # A reference without its own text takes its target's title only when written.
        text += "\n参见 {doc}`p001`。\n"
    if number % 40 == 7:
        # Images are noted while writing; those of pages written in a fork must still be copied.
        text += f"\n![图{number}](pic{number % 3}.png)\n"
    return text


def _build(root: Path, *, speedups: bool, version: str | None = None) -> Path:
    src = root / "src"
    src.mkdir(parents=True)
    (src / "conf.py").write_text(CONF, encoding="utf-8")
    names = [f"p{number:03d}" for number in range(PAGES)]
    toctree = "\n".join(names)
    (src / "index.md").write_text(f"# 目录\n\n```{{toctree}}\n{toctree}\n```\n", encoding="utf-8")
    for image in range(3):
        (src / f"pic{image}.png").write_bytes(PNG + bytes([image]))
    for number, name in enumerate(names):
        (src / f"{name}.md").write_text(_page(number), encoding="utf-8")
    out = root / "html"
    if version is not None:
        patches._versions["sphinx"] = version  # restored by the caller's monkeypatch
    app = Sphinx(
        str(src), str(src), str(out), str(root / "doctrees"), "html",
        status=None, warning=io.StringIO(), freshenv=True, parallel=2 if speedups else 1,
    )  # fmt: skip
    replaced = "_read_parallel" in vars(app.builder) or "_write_parallel" in vars(app.builder)
    assert replaced == (version is None)  # with parallel=1 Sphinx never calls them
    app.build()
    assert app.statuscode == 0
    return out


def _shards(site: Path) -> dict[str, bytes]:
    folder = site / "_search"
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


QUERIES = ("催收", "分期付款", "credit", "apr", "协商", "网贷平台", "重复的小标题", "第10篇", "编号", "注释", "原始")


def _indexed_urls(site: Path) -> list[str]:
    index = SiteIndex(site)
    return sorted(index.page(int(p.stem))["url"] for p in (site / "_search" / "d").glob("*.js"))


def _answers(site: Path, queries: tuple[str, ...] = QUERIES) -> dict[str, list[str]]:
    index = SiteIndex(site)
    return {q: index.results(q) for q in queries}


@pytest.fixture(scope="module")
def both_builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return (
        _build(tmp_path_factory.mktemp("speedups-on"), speedups=True),
        _build(tmp_path_factory.mktemp("speedups-off"), speedups=False),
    )


def test_search_shards_are_the_same_either_way(both_builds: tuple[Path, Path]) -> None:
    fast, reference = both_builds
    assert _shards(fast) == _shards(reference)
    # Not empty, nor equal by accident: the pages' words are in it.
    answers = _answers(fast)
    for word in ("催收", "分期付款", "credit", "apr", "协商", "网贷平台"):
        assert len(answers[word]) == PAGES, (word, answers[word][:5])
    assert answers["第10篇"] == ["p010.html"]


def test_pages_are_the_ones_sphinx_would_write(both_builds: tuple[Path, Path]) -> None:
    fast, reference = both_builds
    pages = sorted(p.relative_to(reference) for p in reference.glob("*.html"))
    assert len(pages) == PAGES + 3  # the pages, index, genindex, search
    for page in pages:
        assert (fast / page).read_bytes() == (reference / page).read_bytes(), page


def test_images_of_every_page_are_copied(both_builds: tuple[Path, Path]) -> None:
    fast, reference = both_builds
    images = sorted(p.name for p in (reference / "_images").iterdir())
    assert len(images) == 3
    assert sorted(p.name for p in (fast / "_images").iterdir()) == images


def test_under_another_sphinx_the_speedups_stand_aside(
    both_builds: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # They replace Sphinx 7.4 internals; under another release Sphinx builds its own way.
    monkeypatch.setitem(patches._versions, "sphinx", patches.installed("sphinx"))
    other = _build(tmp_path, speedups=True, version="8.1.0")
    _, reference = both_builds
    assert _shards(other) == _shards(reference)
    assert (other / "p007.html").read_bytes() == (reference / "p007.html").read_bytes()
    assert sphinx_builders.pickle is pickle  # the environment is saved by Sphinx itself


def test_comments_are_not_searchable(both_builds: tuple[Path, Path]) -> None:
    fast, _ = both_builds
    answers = _answers(fast)
    assert answers["注释"] == []
    # Raw HTML's tags are not text, and what it shows is: like any other text of the page.
    assert len(answers["原始"]) == PAGES and SiteIndex(fast).find("span").pages == []


def test_myst_nb_reads_front_matter_as_pyyaml_would() -> None:
    import yaml

    from book.engine.speedups import _LibYaml

    notebooks = sorted((REPO / "notebooks").rglob("*.md")) + sorted((REPO / "tests" / "golden").rglob("*.md"))
    fronts = [re.match(r"---\n(.*?\n)---\n", path.read_text(encoding="utf-8"), re.S) for path in notebooks]
    assert sum(front is not None for front in fronts) > 10
    for path, front in zip(notebooks, fronts, strict=True):
        if front is not None:
            assert _LibYaml.safe_load(front.group(1)) == yaml.safe_load(front.group(1)), path
    # The second load of one text (myst-nb loads each front matter twice) is the same data,
    # and the caller's own: changing what the first load returned does not reach it.
    text = fronts[0].group(1) if fronts[0] is not None else next(f.group(1) for f in fronts if f)
    first = _LibYaml.safe_load(text)
    first["changed by the caller"] = True
    second = _LibYaml.safe_load(text)
    assert second == yaml.safe_load(text) and second is not first
    # What libyaml refuses, PyYAML still reads (here: a tab indenting a literal block).
    odd = "a: |\n \tb\n"
    assert _LibYaml.safe_load(odd) == yaml.safe_load(odd) == {"a": "\tb\n"}


def test_the_collector_is_off_only_while_sphinx_loads_its_environment() -> None:
    """Sphinx emits ``config-inited`` just before it unpickles the last build's environment and
    ``builder-inited`` just after; the collector must be off in between and on again after."""
    from unittest import mock

    from book import engine
    from book.engine import speedups

    app = mock.MagicMock()
    app.config.book_speedups = True
    engine.setup(app)
    assert ("config-inited", engine._start) in {(c.args[0], c.args[1]) for c in app.connect.call_args_list}
    try:
        engine._start(app, app.config)  # config-inited
        assert not gc.isenabled()
        handlers = {(call.args[0], call.args[1]) for call in app.connect.call_args_list}
        assert ("builder-inited", speedups._collect_again) in handlers
        speedups._collect_again(app)
        assert gc.isenabled()
    finally:
        gc.enable()


def test_myst_parser_default_documents_are_built_as_before_but_once() -> None:
    """The shortcut for myst-parser's throw-away default documents gives each caller a document
    with the same default settings as before, and its own copy of them."""
    from docutils.frontend import get_default_settings
    from docutils.parsers.rst import Parser as RSTParser
    from myst_parser.mdit_to_docutils import base

    from book.engine import speedups

    speedups._cheap_default_documents()
    assert base.make_document is speedups.make_document
    first, second = base.make_document(), base.make_document("page.md")
    fresh = get_default_settings(RSTParser)
    for document in (first, second):
        assert {k: repr(v) for k, v in vars(document.settings).items()} == {k: repr(v) for k, v in vars(fresh).items()}
    assert second["source"] == "page.md"
    assert first.settings is not second.settings
    assert first.settings.record_dependencies is not second.settings.record_dependencies
    first.settings.report_level = 5
    assert base.make_document().settings.report_level == fresh.report_level


def test_after_an_edit_the_search_index_is_the_one_a_full_build_makes(tmp_path: Path) -> None:
    """An incremental build prunes the edited page's words from the last index and feeds its new
    ones; the result must be the index a build from scratch makes of the edited pages."""
    edited = _build(tmp_path / "incremental", speedups=True)
    src = tmp_path / "incremental" / "src"
    (src / "p010.md").write_text(_page(10).replace("网贷平台", "独一无二的编辑词"), encoding="utf-8")
    (src / "p011.md").unlink()
    (src / "index.md").write_text((src / "index.md").read_text(encoding="utf-8").replace("p011\n", ""))
    app = Sphinx(
        str(src), str(src), str(edited), str(tmp_path / "incremental" / "doctrees"), "html",
        status=None, warning=io.StringIO(), freshenv=False, parallel=2,
    )  # fmt: skip
    app.build()
    assert app.statuscode == 0
    queries = (*QUERIES, "独一无二", "第11篇")
    incremental = _answers(edited, queries)
    assert incremental["独一无二"] == ["p010.html"] and incremental["第11篇"] == []
    assert "p011.html" not in _indexed_urls(edited)

    scratch = tmp_path / "scratch"
    shutil.copytree(src, scratch / "src")
    app = Sphinx(
        str(scratch / "src"), str(scratch / "src"), str(scratch / "html"), str(scratch / "doctrees"), "html",
        status=None, warning=io.StringIO(), freshenv=True, parallel=1,
    )  # fmt: skip
    app.build()
    assert incremental == _answers(scratch / "html", queries)
    assert _indexed_urls(edited) == _indexed_urls(scratch / "html")


def _environment(**attributes: object) -> BuildEnvironment:
    env = BuildEnvironment.__new__(BuildEnvironment)  # what pickling reads, without a project
    env.__dict__.update(app=None, domains={}, events=None, **attributes)
    return env


def test_the_environment_saved_in_the_background_is_the_one_sphinx_would_save(tmp_path: Path) -> None:
    env = _environment(all_docs={f"p{n}": float(n) for n in range(2000)}, titles={"p1": "第一篇"})
    target = tmp_path / "environment.pickle"
    with open(target, "wb") as f:
        env_save._PickleInBackground.dump(env, f, pickle.HIGHEST_PROTOCOL)
    assert len(env_save._writers) == 1  # a child is writing it; the caller went on
    env_save.wait_for_writers()
    assert target.read_bytes() == pickle.dumps(env, pickle.HIGHEST_PROTOCOL)
    assert not env_save._writers


def test_an_environment_that_could_not_be_saved_is_removed_not_left_half_written(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    target = tmp_path / "environment.pickle"
    with open(target, "wb") as f:
        env_save._PickleInBackground.dump(_environment(unpicklable=lambda: None), f, pickle.HIGHEST_PROTOCOL)
    env_save.wait_for_writers()
    assert not target.exists()  # so the next build reads every page, as after a failed build
    assert "could not save the build environment" in caplog.text


def test_anything_but_an_environment_is_pickled_as_before(tmp_path: Path) -> None:
    with open(tmp_path / "doctree.pickle", "wb") as f:
        env_save._PickleInBackground.dump({"a": 1}, f, pickle.HIGHEST_PROTOCOL)
    assert not env_save._writers
    assert pickle.loads((tmp_path / "doctree.pickle").read_bytes()) == {"a": 1}


_segments = st.lists(st.sampled_from(["a", "b.md", "c.ipynb", "..", ".", "", "子目录", "d.md.txt"]), max_size=5)


@settings(deadline=None)
@given(parts=_segments, inside=st.booleans(), mapped=st.booleans())
def test_a_page_path_is_made_relative_as_relpath_makes_it(parts: list[str], inside: bool, mapped: bool) -> None:
    """``Project.path2doc`` without ``os.path.relpath`` (``book.engine.speedups``) answers as Sphinx's does."""
    from sphinx.project import Project

    from book.engine import speedups

    speedups._path2doc_without_relpath()
    fast = Project.path2doc
    assert patches.current(Project, "path2doc") is not None
    project = Project("/srv/书/src", [".md", ".ipynb"])
    if mapped:  # as ``Project.discover`` fills it: with path2doc's own answer for the relative path
        project._path_to_docname["b.md"] = "b"
        project._path_to_docname["子目录/b.md"] = "子目录/b"
    filename = ("/srv/书/src/" if inside else "/srv/other/") + "/".join(parts)
    assert fast(project, filename) == fast.__wrapped__(project, filename)


def test_a_save_replaces_one_still_being_written(tmp_path: Path) -> None:
    """``book serve`` does not wait for a save; the next one stops it, and the file is the later one."""
    target = tmp_path / "environment.pickle"
    first = _environment(all_docs={f"p{n}": float(n) for n in range(200_000)})  # slow enough to be caught
    second = _environment(all_docs={"p1": 1.0})
    with open(target, "wb") as f:
        env_save._PickleInBackground.dump(first, f, pickle.HIGHEST_PROTOCOL)
    ((pid, _),) = env_save._writers
    with open(target, "wb") as f:
        env_save._PickleInBackground.dump(second, f, pickle.HIGHEST_PROTOCOL)
    assert [w[0] for w in env_save._writers] != [pid]  # the first writer was stopped, not waited for
    env_save.wait_for_writers()
    assert target.read_bytes() == pickle.dumps(second, pickle.HIGHEST_PROTOCOL)
    assert [p.name for p in tmp_path.iterdir()] == ["environment.pickle"]  # no temporary left


def test_asset_checksums_are_sphinxs_and_follow_a_changed_file(tmp_path: Path) -> None:
    from sphinx.builders import html as html_builder
    from sphinx.builders.html._assets import _file_checksum as sphinx_checksum

    from book.engine.speedups import _checksum_once_per_file

    _checksum_once_per_file()
    _checksum_once_per_file()  # twice is once
    remembered = html_builder._file_checksum
    assert remembered is not sphinx_checksum and remembered.__wrapped__ is sphinx_checksum
    static = tmp_path / "_static"
    static.mkdir()
    asset = static / "book.css"
    asset.write_bytes(b"body { color: red }\r\n")
    first = remembered(tmp_path, "_static/book.css")
    assert first == sphinx_checksum(tmp_path, "_static/book.css") != ""
    assert remembered(tmp_path, "_static/book.css") == first
    # Same size, new bytes, rewritten as Sphinx's copy does (a new file in its place).
    replacement = static / "book.css.new"
    replacement.write_bytes(b"body { color: blue}\r\n")
    replacement.replace(asset)
    assert remembered(tmp_path, "_static/book.css") == sphinx_checksum(tmp_path, "_static/book.css") != first
    assert remembered(tmp_path, "_static/missing.css") == ""
    assert remembered(tmp_path, "https://example.org/x.js") == ""
    with pytest.raises(Exception, match="query strings"):
        remembered(tmp_path, "_static/book.css?v=1")


@pytest.mark.parametrize("theme", ["alabaster", "sphinx_book_theme"])
def test_no_docutils_stylesheet_lookups_and_the_same_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, theme: str
) -> None:
    import docutils.utils
    from sphinx.application import Sphinx

    from book.engine.speedups import _no_docutils_stylesheets

    looked_up: list[str] = []
    find = docutils.utils.find_file_in_dirs
    monkeypatch.setattr(
        docutils.utils, "find_file_in_dirs", lambda path, dirs: looked_up.append(path) or find(path, dirs)
    )
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text(f"html_theme = {theme!r}\n", encoding="utf-8")
    (src / "index.rst").write_text("标题\n====\n\n正文 *强调*。\n\n小节\n----\n\n`链接 <#>`_\n", encoding="utf-8")
    pages = {}
    for lean in (False, True):
        out = tmp_path / f"out-{lean}"
        app = Sphinx(str(src), str(src), str(out), str(tmp_path / f"doctrees-{lean}"), "html", status=None)
        if lean:
            app.connect("builder-inited", _no_docutils_stylesheets)
            _no_docutils_stylesheets(app)  # builder-inited has been emitted already
            looked_up.clear()
        app.build()
        pages[lean] = (out / "index.html").read_bytes()
        if lean:
            assert looked_up == []
        else:
            assert looked_up  # the lookups this saves happen without it
    assert pages[True] == pages[False]
