"""The search index ``book serve`` keeps in memory writes what Sphinx's own builds write.

``book.live_search`` keeps one index across the builds of a Sphinx application,
drops and re-freezes only what changed, and serialises word by word.  Each
build of a live application must write the ``searchindex.js`` that Sphinx's own
incremental build writes from the same files (a fresh application on a copy of
the project made just before the edit), byte for byte.
"""

from __future__ import annotations

import io
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sphinx.application import Sphinx

from book import env_save
from book.live import build_again
from book.live_search import LiveIndex, _frozen_value, _Table, _updated_value

from .test_build_speedups import CONF, PAGES, _page


def _project(root: Path) -> Path:
    src = root / "src"
    src.mkdir(parents=True)
    (src / "conf.py").write_text(CONF, encoding="utf-8")
    names = [f"p{number:03d}" for number in range(PAGES)]
    (src / "index.md").write_text("# 目录\n\n```{toctree}\n" + "\n".join(names) + "\n```\n", encoding="utf-8")
    for number, name in enumerate(names):
        (src / f"{name}.md").write_text(_page(number), encoding="utf-8")
    return src


def _app(root: Path, fresh: bool) -> Sphinx:
    src = str(root / "src")
    return Sphinx(
        src, src, str(root / "html"), str(root / "doctrees"), "html",
        status=None, warning=io.StringIO(), freshenv=fresh, parallel=2,
    )  # fmt: skip


def _change_words(src: Path) -> None:
    (src / "p010.md").write_text(_page(10).replace("网贷平台", "独一无二的编辑词"), encoding="utf-8")


def _remove_page(src: Path) -> None:
    (src / "p011.md").unlink()
    index = src / "index.md"
    index.write_text(index.read_text(encoding="utf-8").replace("p011\n", ""), encoding="utf-8")


def _add_page(src: Path) -> None:
    (src / "p999.md").write_text("# 新增的一页 Quokka\n\n全新的文字:袋鼠与考拉。\n", encoding="utf-8")
    index = src / "index.md"
    index.write_text(index.read_text(encoding="utf-8").replace("p000\n", "p000\np999\n"), encoding="utf-8")


def _add_page_first(src: Path) -> None:
    # Named to come first: every other page's number moves up by one.
    (src / "a000.md").write_text("# 排在最前 Wombat\n\n信用卡协商的新问题。\n", encoding="utf-8")
    index = src / "index.md"
    index.write_text(index.read_text(encoding="utf-8").replace("p000\n", "a000\np000\n"), encoding="utf-8")


def _change_title_and_drop_a_word(src: Path) -> None:
    # Title words move between the two tables; 协商 leaves the page altogether.
    text = _page(20).replace("# 第20篇:信用卡逾期", "# 第20篇:房贷展期").replace("协商", "商量")
    (src / "p020.md").write_text(text, encoding="utf-8")


def _two_pages_at_once(src: Path) -> None:
    for number in (30, 31):
        (src / f"p{number:03d}.md").write_text(_page(number) + "\n追加:征信修复。\n", encoding="utf-8")


EDITS: list[Callable[[Path], None]] = [
    _change_words,
    _remove_page,
    _add_page,
    _add_page_first,
    _change_title_and_drop_a_word,
    _two_pages_at_once,
]


def test_each_live_build_writes_the_index_sphinx_would_write(tmp_path: Path) -> None:
    live_root = tmp_path / "live"
    src = _project(live_root)
    app = _app(live_root, fresh=True)
    live = LiveIndex()
    live.install(app.builder)
    app.build()
    assert app.statuscode == 0
    for number, edit in enumerate(EDITS):
        env_save.wait_for_writers()  # the environment file is whole before it is copied
        reference_root = tmp_path / f"reference-{number}"
        shutil.copytree(live_root, reference_root)  # copy2 keeps the times Sphinx compares
        edit(src)
        edit(reference_root / "src")
        build_again(app)
        assert app.statuscode == 0
        reference = _app(reference_root, fresh=False)
        reference.build()
        env_save.wait_for_writers()
        ours = (live_root / "html" / "searchindex.js").read_text(encoding="utf-8")
        theirs = (reference_root / "html" / "searchindex.js").read_text(encoding="utf-8")
        assert ours == theirs, edit.__name__
        if number % 2 == 0:  # as the server does when idle; the odd edits see an unprepared index
            live.prepare()
    index = json.loads(ours[ours.index("(") + 1 : ours.rindex(")")])
    assert "独一无二" in index["terms"] and "p011" not in index["docnames"] and "p999" in index["docnames"]


def test_a_warmed_index_is_the_one_on_disk(tmp_path: Path) -> None:
    root = tmp_path / "warm"
    _project(root)
    first = _app(root, fresh=True)
    first.build()
    env_save.wait_for_writers()
    on_disk = (root / "html" / "searchindex.js").read_text(encoding="utf-8")
    again = _app(root, fresh=False)
    live = LiveIndex()
    live.install(again.builder)
    live.warm(again.builder)
    assert live.indexer is not None
    assert "Search.setIndex(" + live.dumps(live.indexer.freeze()) + ")" == on_disk


pages = st.sets(st.sampled_from([f"d{i:02d}" for i in range(40)]), max_size=40)


@given(before=pages, after=pages, unnamed=st.sets(st.sampled_from(["x1", "x2"])))
def test_a_word_updated_in_place_equals_one_frozen_afresh(before: set[str], after: set[str], unnamed: set[str]) -> None:
    """Only pages that came or went are moved; pages without a number (untitled) are left out."""
    fn2index = {f"d{i:02d}": i for i in range(40)}
    old = _frozen_value(before, fn2index)
    changed = [(page, fn2index[page]) for page in before ^ after]
    assert _updated_value(old, after | unnamed, fn2index, changed) == _frozen_value(after | unnamed, fn2index)


words = st.dictionaries(
    st.text(min_size=1, max_size=6),
    st.one_of(st.integers(0, 50), st.lists(st.integers(0, 50), max_size=5)),
    max_size=30,
)


@given(first=words, second=words, prepared=st.booleans())
def test_a_table_serialises_as_json_would_after_any_change(first: dict, second: dict, prepared: bool) -> None:
    """Whole (after a reset) or word by word (once prepared), the text is ``json.dumps``'s."""
    table = _Table()
    table.reset(dict(first))
    assert table.dumps() == json.dumps(first, sort_keys=True)
    if prepared:
        table.prepare()
        assert table.text.keys() == first.keys()
    for word in set(first) | set(second):
        table.set(word, second.get(word))
    assert table.dumps() == json.dumps(second, sort_keys=True)
    assert table.dumps() == json.dumps(second, sort_keys=True)  # and again, unchanged


@pytest.mark.parametrize("terms", [{}, {"词": 1, "a": [0, 2]}])
def test_the_whole_index_serialises_as_sphinx_would(terms: dict) -> None:
    live = LiveIndex()
    live.tables[0].reset(dict(terms))
    live.tables[1].reset({"题": 0})
    frozen = {
        "docnames": ("a", "b", "c"),
        "filenames": ["a.md", "b.md", "c.md"],
        "titles": ("甲", "乙", "丙"),
        "terms": terms,
        "titleterms": {"题": 0},
        "objects": {},
        "objtypes": {},
        "objnames": {},
        "envversion": 62,
        "alltitles": {"甲": [[0, None]]},
        "indexentries": {},
    }
    assert live.dumps(frozen) == json.dumps(frozen, sort_keys=True)
    frozen["titles"] = ("甲", "乙", "丁")  # a part that changed is serialised again
    assert live.dumps(frozen) == json.dumps(frozen, sort_keys=True)


def test_the_std_objects_with_remembered_titles_are_sphinxs_after_a_title_changes(tmp_path: Path) -> None:
    from book import live

    src = _project(tmp_path)
    app = _app(tmp_path, fresh=True)
    app.build()
    domain = app.env.domains["std"]
    before = list(live._std_get_objects(domain))
    assert before == list(live._sphinx_std_get_objects(domain))
    assert ("p020", "第20篇:信用卡逾期 Credit card 催收", "doc", "p020", "", -1) in before
    assert list(live._std_get_objects(domain)) == before  # remembered, same answer
    _change_title_and_drop_a_word(src)
    build_again(app)
    env_save.wait_for_writers()
    after = list(live._std_get_objects(domain))
    assert after == list(live._sphinx_std_get_objects(domain)) != before
    assert ("p020", "第20篇:房贷展期 Credit card 催收", "doc", "p020", "", -1) in after
    assert len(live._title_texts) == len(app.env.all_docs)  # the replaced title's text is dropped
