"""Incremental equals fresh: after any history of contributor actions, the site is what
``build --all`` makes from the same tree.

A hypothesis state machine imports batches of sample captures, edits, adds (``new``),
renames and deletes article notebooks, builds incrementally and serves while saving an
edit, in any order.  After every build the site has no broken link; at the end of a
history a copy of the tree is built from scratch, and the two sites must have:

- the same pages and files (nothing left over from a deleted article, tag, topic or stub);
- the same HTML on every page, byte for byte, once Sphinx's ``?v=<checksum>`` query strings
  are dropped (Sphinx adds them only when the static file already exists in the output);
- the same search answers (as sets: pages that tie are listed in the order they entered
  the index, which depends on the history).

``BOOK_HISTORIES`` sets the number of histories (3 by default: each is several real builds)
and ``BOOK_HISTORY_STEPS`` their length (8); the histories run are printed with ``-s``.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from book.search.query import SiteIndex
from book.site.links import broken_links

from .conftest import run_book
from .test_serve import Server, _append

HISTORIES = int(os.environ.get("BOOK_HISTORIES", "3"))
SITE = Path("_build/html")
_context: dict[str, Path] = {}
_histories: list[str] = []


def _articles(root: Path) -> list[Path]:
    return sorted(
        p for p in (root / "notebooks").rglob("*.md") if "_index" not in p.parts and p.stem not in ("intro", "data")
    )


def _no_checksums(data: bytes) -> bytes:
    return re.sub(rb"\?v=[0-9a-f]{8}\b", b"", data)


def _files(site: Path) -> dict[str, Path]:
    return {
        p.relative_to(site).as_posix(): p
        for p in site.rglob("*")
        if p.is_file() and p.parts[len(site.parts)] != "_search"
    }


def _queries(site: Path) -> list[str]:
    words: set[str] = set()
    for page in sorted((site / "notebooks").rglob("*.html")):
        if "_index" in page.parts:
            continue
        text = page.read_text(encoding="utf-8")
        words.update(re.findall(r"[\u4e00-\u9fff]{2,4}", text)[5:200:37])
    return sorted(words)[:60] + ["国美金融", "催收", "增量更新句"]


def assert_same_site(incremental: Path, fresh: Path) -> None:
    a, b = _files(incremental), _files(fresh)
    assert sorted(a.keys() - b.keys()) == [], "files an incremental build left that a fresh build does not make"
    assert sorted(b.keys() - a.keys()) == [], "files a fresh build makes that the incremental build lacks"
    differ = [
        name
        for name in sorted(a)
        if name.endswith(".html") and _no_checksums(a[name].read_bytes()) != _no_checksums(b[name].read_bytes())
    ]
    assert differ == [], f"{len(differ)} page(s) differ from a fresh build"
    ours, theirs = SiteIndex(incremental), SiteIndex(fresh)
    for q in _queries(fresh):
        assert set(ours.results(q)) == set(theirs.results(q)), q


class History(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.work = Path(tempfile.mkdtemp(prefix="history-"))
        self.root = self.work / "book"
        shutil.copytree(_context["built"], self.root)  # times kept: a built book, nothing out of date
        self.pool = sorted(_context["captures"].glob("*.txt"))
        self.taken = 0
        self.edits = 0
        self.built = True
        self.steps: list[str] = []

    @initialize(k=st.integers(1, 6))
    def first_import(self, k: int) -> None:
        self.import_batch(k)

    @rule(k=st.integers(1, 6))
    def import_batch(self, k: int) -> None:
        self.steps.append(f"import_batch({k})")
        batch = self.work / f"batch-{self.taken}"
        batch.mkdir()
        for capture in self.pool[self.taken : self.taken + k]:
            shutil.copy2(capture, batch)
        self.taken += k
        run_book(self.root, "import", str(batch), "--quiet")
        self.built = False

    @rule(i=st.integers(0, 999))
    def edit(self, i: int) -> None:
        self.steps.append(f"edit({i})")
        articles = _articles(self.root)
        self.edits += 1
        _append(articles[i % len(articles)], f"增量更新句第{self.edits}条。")
        self.built = False

    @precondition(lambda self: len(_articles(self.root)) > 1)
    @rule(i=st.integers(0, 999))
    def delete(self, i: int) -> None:
        self.steps.append(f"delete({i})")
        articles = _articles(self.root)
        articles[i % len(articles)].unlink()
        self.built = False

    @rule(i=st.integers(0, 999))
    def rename(self, i: int) -> None:
        self.steps.append(f"rename({i})")
        articles = _articles(self.root)
        path = articles[i % len(articles)]
        path.rename(path.with_name(f"renamed-{path.name}"))
        self.built = False

    @rule()
    def new(self) -> None:
        self.steps.append("new")
        self.edits += 1
        run_book(self.root, "new", f"直接写在书里的文章{self.edits}", "--category", "金融债务 > 新写")
        self.built = False

    @rule()
    def build(self) -> None:
        self.steps.append("build")
        run_book(self.root, "build")
        self.built = True

    @rule(i=st.integers(0, 999))
    def serve_and_edit(self, i: int) -> None:
        self.steps.append(f"serve_and_edit({i})")
        server = Server(self.root)  # builds what is outdated, then watches
        try:
            articles = _articles(self.root)
            self.edits += 1
            _append(articles[i % len(articles)], f"增量更新句第{self.edits}条。")
            server.wait_for(r"serve: .*site updated")
        finally:
            assert server.stop() == 0
        self.built = True

    @invariant()
    def links_lead_somewhere(self) -> None:
        if self.built:
            assert broken_links(self.root / SITE) == []

    def teardown(self) -> None:
        try:
            run_book(self.root, "build")
            fresh = self.work / "fresh"
            shutil.copytree(self.root, fresh, ignore=shutil.ignore_patterns("_build"))
            run_book(fresh, "build", "--all")
            assert broken_links(fresh / SITE) == []
            assert_same_site(self.root / SITE, fresh / SITE)
            _histories.append(" ".join(self.steps))
        finally:
            shutil.rmtree(self.work, ignore_errors=True)


def test_any_history_gives_the_site_a_fresh_build_gives(sample_book: Path, tmp_path: Path) -> None:
    captures = tmp_path / "captures"
    run_book(sample_book, "sample", "--articles", "60", "--out", str(captures), "--seed", "11")
    _context.update(built=sample_book, captures=captures)
    _histories.clear()
    run_state_machine_as_test(
        History,
        settings=settings(
            max_examples=HISTORIES,
            stateful_step_count=int(os.environ.get("BOOK_HISTORY_STEPS", "8")),
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
        ),
    )
    print(f"{len(_histories)} histories compared with a fresh build:", *_histories, sep="\n  ")
    assert len(_histories) >= 1


def test_the_comparison_sees_a_stale_page(sample_book: Path, tmp_path: Path) -> None:
    """The check above can fail: a page left behind, or one page changed, is caught."""
    site = tmp_path / "a"
    shutil.copytree(sample_book / SITE, site)
    stale = site / "notebooks" / "gone.html"
    stale.write_text("<html><body><article>旧</article></body></html>", encoding="utf-8")
    with pytest.raises(AssertionError, match="left"):
        assert_same_site(site, sample_book / SITE)
    stale.unlink()
    page = site / "notebooks" / "jinrong-zhaiwu" / "67202.html"
    page.write_bytes(page.read_bytes().replace("国美金融".encode(), "国美金銀".encode(), 1))
    with pytest.raises(AssertionError, match="differ"):
        assert_same_site(site, sample_book / SITE)
