"""Import, re-import, contributor edits and `check`, run as a user runs them: `python -m book ...`."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from .conftest import SEED, copy_book, run_book

SEED_NOTEBOOK = "notebooks/jinrong-zhaiwu/67202.md"


def snapshot(root: Path) -> dict[str, str]:
    skip = ("_build", "book", ".pytest_cache")
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.relative_to(root).parts[0] not in skip and "__pycache__" not in p.parts
    }


@pytest.fixture
def book(tmp_path: Path) -> Path:
    return copy_book(tmp_path)


@pytest.fixture
def empty_book(tmp_path: Path) -> Path:
    """The sample book without its imported article and derived files."""
    root = copy_book(tmp_path)
    for rel in ("notebooks/jinrong-zhaiwu", "notebooks/_index"):
        for p in sorted((root / rel).rglob("*"), reverse=True):
            p.unlink() if p.is_file() else p.rmdir()
        (root / rel).rmdir()
    for name in ("articles.csv", "tags.csv", "relations.csv"):
        (root / "data" / name).unlink()
    return root


def test_importing_the_seed_reproduces_the_committed_sample(empty_book: Path) -> None:
    from .conftest import REPO

    run_book(empty_book, "import", str(SEED), "--quiet")
    for rel in (SEED_NOTEBOOK, "_toc.yml", "data/articles.csv", "data/tags.csv", "data/relations.csv"):
        assert (empty_book / rel).read_bytes() == (REPO / rel).read_bytes(), rel


def test_importing_twice_leaves_the_tree_byte_identical(empty_book: Path) -> None:
    first = run_book(empty_book, "import", str(SEED), "--quiet")
    assert "1 imported" in first.stdout
    before = snapshot(empty_book)
    second = run_book(empty_book, "import", str(SEED), "--quiet")
    assert "0 imported, 0 updated, 1 unchanged" in second.stdout
    assert snapshot(empty_book) == before


def test_reimport_keeps_a_hand_edit_and_says_so(book: Path) -> None:
    page = book / SEED_NOTEBOOK
    edited = page.read_text(encoding="utf-8").replace("### 1.1 国美金融的背景", "### 1.1 国美金融的由来")
    page.write_text(edited, encoding="utf-8")
    proc = run_book(book, "import", str(SEED), "--quiet")
    assert page.read_text(encoding="utf-8") == edited
    assert f"{SEED_NOTEBOOK}: kept: edited by hand" in proc.stderr and "--force" in proc.stderr
    assert "1 kept" in proc.stdout


def test_force_overwrites_a_hand_edit(book: Path) -> None:
    page = book / SEED_NOTEBOOK
    original = page.read_text(encoding="utf-8")
    page.write_text(original.replace("国美金融的背景", "国美金融的由来"), encoding="utf-8")
    run_book(book, "import", str(SEED), "--quiet", "--force")
    assert page.read_text(encoding="utf-8") == original


def test_a_bad_file_is_refused_and_the_batch_goes_on(empty_book: Path, tmp_path: Path) -> None:
    batch = tmp_path / "batch"
    batch.mkdir()
    (batch / "a-empty.txt").write_bytes(b"")
    (batch / "b-binary.txt").write_bytes(b"\x00\x01\x02PK\x03\x04" * 100)
    (batch / "c-seed.txt").write_bytes(SEED.read_bytes())
    proc = run_book(empty_book, "import", str(batch), "--quiet", check=False)
    assert proc.returncode == 1
    assert f"{batch / 'a-empty.txt'}:1: the file is empty" in proc.stderr
    assert f"{batch / 'b-binary.txt'}:1: this is a binary file" in proc.stderr
    assert "1 imported" in proc.stdout and "2 refused" in proc.stdout
    assert (empty_book / SEED_NOTEBOOK).exists()


def test_check_passes_on_the_sample(book: Path) -> None:
    proc = run_book(book, "check")
    assert "check: ok" in proc.stdout


def _line_number(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1) if needle in line)


def test_check_reports_broken_front_matter_with_file_and_line(book: Path) -> None:
    page = book / SEED_NOTEBOOK
    broken = page.read_text(encoding="utf-8").replace("  author: 合飞律师", "  author: [合飞律师")
    page.write_text(broken, encoding="utf-8")
    proc = run_book(book, "check", check=False)
    assert proc.returncode == 1
    line = _line_number(page, "author: [")
    assert f"{SEED_NOTEBOOK}:{line}: the front matter is not valid YAML" in proc.stderr, proc.stderr


def test_check_reports_a_dangling_related_id_with_file_and_line(book: Path) -> None:
    page = book / SEED_NOTEBOOK
    dangling = "  related:\n  - id: '99999'\n    title: 不存在的文章\n"
    text = page.read_text(encoding="utf-8").replace("  related:\n", dangling, 1)
    page.write_text(text, encoding="utf-8")
    proc = run_book(book, "check", check=False)
    assert proc.returncode == 1
    line = _line_number(page, "- id: '99999'")
    assert f"{SEED_NOTEBOOK}:{line}: related article id 99999 is not in the book" in proc.stderr, proc.stderr


def test_check_reports_every_problem_not_just_the_first(book: Path) -> None:
    page = book / SEED_NOTEBOOK
    text = page.read_text(encoding="utf-8").replace("  related:\n", "  related:\n  - id: '99999'\n    title: 甲\n", 1)
    page.write_text(text, encoding="utf-8")
    (book / "_toc.yml").write_text((book / "_toc.yml").read_text(encoding="utf-8") + "  - file: notebooks/missing\n")
    proc = run_book(book, "check", check=False)
    assert "related article id 99999" in proc.stderr
    assert "'notebooks/missing' is listed but does not exist" in proc.stderr


def test_index_cache_never_serves_a_stale_notebook(book: Path) -> None:
    run_book(book, "index")
    assert (book / "_build" / ".book-cache" / "scan.pickle").exists()
    page = book / SEED_NOTEBOOK
    page.write_text(
        page.read_text(encoding="utf-8").replace("title: 国美金融催收部在哪", "title: 国美金融催收部在哪里")
    )
    run_book(book, "index")
    assert "67202,国美金融催收部在哪里," in (book / "data" / "articles.csv").read_text(encoding="utf-8")
    # Without the cache, the same output.
    before = snapshot(book)
    shutil.rmtree(book / "_build" / ".book-cache")
    run_book(book, "index")
    assert snapshot(book) == before


def test_index_with_nothing_to_do_writes_nothing_and_says_what_the_book_has(book: Path) -> None:
    first = run_book(book, "index").stdout
    before = snapshot(book)
    again = run_book(book, "index").stdout
    assert snapshot(book) == before
    # The same counts as the run that did the work, and nothing written.
    assert again.split(";")[0] == first.split(";")[0] == "index: 1 articles, 8 stubs, 1 topics"
    assert "0 files written, 0 removed" in again


def _edit(path: Path) -> None:
    path.write_text(path.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")


@pytest.mark.parametrize(
    ("touch", "report"),
    [
        (lambda book: _edit(book / "_toc.yml"), "1 files written, 0 removed"),
        (lambda book: (book / "notebooks" / "_index" / "tags.md").unlink(), "1 files written, 0 removed"),
        # each table file on its own: tags.parquet was not touched, so it is not written
        (lambda book: (book / "data" / "tags.csv").write_text("", encoding="utf-8"), "1 files written, 0 removed"),
        (lambda book: (book / "notebooks" / "_index" / "x.md").write_text("# 多余\n"), "0 files written, 1 removed"),
        (lambda book: (book / "data" / "relations.parquet").write_bytes(b"PAR1"), "1 files written, 0 removed"),
    ],
    ids=["edited toc", "deleted page", "emptied table", "stray page", "broken parquet"],
)
def test_index_restores_generated_files_touched_since_it_last_ran(book: Path, touch, report: str) -> None:
    run_book(book, "index")
    before = snapshot(book)
    touch(book)
    assert report in run_book(book, "index").stdout
    assert snapshot(book) == before


def test_index_follows_a_change_of_vocabulary(book: Path) -> None:
    run_book(book, "index")
    vocabulary = book / "data" / "tags.yml"
    text = vocabulary.read_text(encoding="utf-8")
    vocabulary.write_text(text.replace("stopwords:\n", "stopwords:\n  - 挑战\n"), encoding="utf-8")
    run_book(book, "index")
    tags = (book / "data" / "tags.csv").read_text(encoding="utf-8")
    assert "67202,部门," in tags and "67202,挑战," not in tags
