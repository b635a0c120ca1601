"""Bad input and interruptions: every input class has a defined outcome, and nothing is left half-written."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from book import notebook
from book.commands.index import GENERATED_SUFFIXES
from book.layout import Layout

from .conftest import SEED, copy_book, run_book


def seed_variant(n: int) -> str:
    """The seed as if it were another article: another id and title."""
    text = SEED.read_text(encoding="utf-8")
    return text.replace("67202", str(80000 + n)).replace("国美金融催收部在哪", f"国美金融催收部在哪({n})")


@pytest.fixture
def book(tmp_path: Path) -> Path:
    return copy_book(tmp_path / "book")


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        children = (task / "children").read_text().split()
        found += [int(c) for c in children]
    return found


def complete_notebooks(root: Path) -> tuple[list[Path], list[Path]]:
    """(notebooks exactly as the writer wrote them, any other file under notebooks/)."""
    layout = Layout(root)
    good, bad = [], []
    for path in layout.article_notebooks():
        (bad if notebook.is_edited(path.read_text(encoding="utf-8")) else good).append(path)
    return good, bad


def test_kill_9_mid_import_leaves_no_partial_file(book: Path, tmp_path: Path) -> None:
    captures = tmp_path / "captures"
    captures.mkdir()
    for n in range(400):
        (captures / f"{n:04d}.txt").write_text(seed_variant(n), encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "book", "import", str(captures), "--quiet"],
        cwd=book, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    folder = book / "notebooks" / "jinrong-zhaiwu"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(list(folder.glob("8*.md"))) < 20:
        time.sleep(0.01)
    workers = _children(proc.pid)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    # Its worker processes go with it instead of waiting for work forever.
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(Path(f"/proc/{pid}").exists() for pid in workers):
        time.sleep(0.05)
    assert not [pid for pid in workers if Path(f"/proc/{pid}").exists()], "import workers outlived kill -9"
    written = len(list(folder.glob("8*.md")))
    assert 20 <= written < 400, "the import was not interrupted mid-way; the test proves nothing"
    good, bad = complete_notebooks(book)
    assert bad == [], f"partially written notebooks after kill -9: {bad}"
    # No temporary is left where a reader or a later import would take it for content:
    # article folders hold notebooks only, the index folder only what index generates.
    visible = [p for p in (book / "notebooks").rglob("*") if p.is_file() and not p.name.startswith(".")]
    index = book / "notebooks" / "_index"
    stray = [p for p in visible if p.suffix not in (GENERATED_SUFFIXES if p.is_relative_to(index) else (".md",))]
    assert stray == []

    # The next run finishes the job and clears any temporary the kill left behind.
    run_book(book, "import", str(captures), "--quiet")
    good, bad = complete_notebooks(book)
    assert bad == [] and len(good) == 401
    assert not [p for p in (book / "notebooks").rglob(".*.tmp")]


def test_writes_stay_inside_the_book(book: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    capture = tmp_path / "evil.txt"
    capture.write_text(
        "当前位置:首页 > ../../outside > .. > 正文内容\n\n标题\n\n正文。\n\n版权声明:略\n\n本文链接:https://x.example/hf/70001.html\n",
        encoding="utf-8",
    )
    run_book(book, "import", str(capture), "--quiet")
    assert list(outside.iterdir()) == []
    written = [p for p in (book / "notebooks").rglob("70001.md")]
    assert len(written) == 1 and written[0].resolve().is_relative_to((book / "notebooks").resolve())


def test_two_captures_of_one_id_with_different_text_refuse_the_second(book: Path, tmp_path: Path) -> None:
    batch = tmp_path / "batch"
    batch.mkdir()
    (batch / "a.txt").write_text(seed_variant(1), encoding="utf-8")
    (batch / "b.txt").write_text(seed_variant(1).replace("国美金融成立于年", "国美金融成立于2015年"), encoding="utf-8")
    proc = run_book(book, "import", str(batch), "--quiet", check=False)
    assert proc.returncode == 1
    assert f"{batch / 'b.txt'}:1: article 80001 was already imported in this run from {batch / 'a.txt'}" in proc.stderr
    assert "1 imported" in proc.stdout


def test_a_five_megabyte_article_imports_whole(book: Path, tmp_path: Path) -> None:
    paragraph = "催收部门需要依法依规开展工作,不得采取暴力、威胁等手段。" * 20
    lines = [paragraph + f"({i})" for i in range(4500)]
    capture = tmp_path / "big.txt"
    capture.write_text(
        SEED.read_text(encoding="utf-8").replace("小编总结", "\n\n".join(lines) + "\n\n小编总结"), "utf-8"
    )
    assert capture.stat().st_size > 5_000_000
    run_book(book, "import", str(capture), "--quiet", "--force")
    text = (book / "notebooks" / "jinrong-zhaiwu" / "67202.md").read_text(encoding="utf-8")
    assert text.count("催收部门需要依法依规开展工作") == 4500 * 20
    assert "(4499)" in text


def test_new_scaffolds_an_article_written_in_the_book(book: Path) -> None:
    proc = run_book(book, "new", "花呗逾期三个月会怎样", "--category", "金融债务")
    rel = proc.stdout.split("new: ")[1].split()[0]
    page = notebook.read_page(book / rel)
    assert page.article["title"] == "花呗逾期三个月会怎样" and page.article["category"] == ["金融债务"]
    assert rel.replace(".md", "") in (book / "_toc.yml").read_text(encoding="utf-8")
    assert "check: ok" in run_book(book, "check").stdout
    again = run_book(book, "new", "花呗逾期三个月会怎样", "--category", "金融债务", check=False)
    assert again.returncode == 1 and "already exists" in again.stderr


def test_moving_a_notebook_keeps_its_id_and_relations(book: Path) -> None:
    src = book / "notebooks" / "jinrong-zhaiwu" / "67202.md"
    dest = book / "notebooks" / "my-articles" / "guomei.md"
    dest.parent.mkdir()
    os.rename(src, dest)
    run_book(book, "index")
    articles = (book / "data" / "articles.csv").read_text(encoding="utf-8")
    assert "67202,国美金融催收部在哪" in articles and "notebooks/my-articles/guomei.md" in articles
    relations = (book / "data" / "relations.csv").read_text(encoding="utf-8")
    assert relations.count("67202,t-") == 8
    assert "check: ok" in run_book(book, "check").stdout
    # Re-importing the seed updates the moved notebook instead of creating a second one.
    proc = run_book(book, "import", str(SEED), "--quiet")
    assert "1 unchanged" in proc.stdout and not src.exists()


def test_tables_are_also_written_as_parquet(book: Path) -> None:
    import pandas as pd

    from book import catalog

    tables = catalog.load(book)
    for name in ("articles", "tags", "relations"):
        frame = pd.read_parquet(book / "data" / f"{name}.parquet")
        assert list(frame.columns) == list(getattr(tables, name).columns)
        assert len(frame) == len(getattr(tables, name))


def test_an_id_that_is_not_a_number_is_refused(book: Path, tmp_path: Path) -> None:
    capture = tmp_path / "named.txt"
    capture.write_text(seed_variant(3).replace("hf/80003.html", "hf/abc.html"), encoding="utf-8")
    proc = run_book(book, "import", str(capture), "--quiet", check=False)
    assert proc.returncode == 1
    line = next(i for i, ln in enumerate(capture.read_text(encoding="utf-8").split("\n"), 1) if "本文链接" in ln)
    assert (
        f"{capture}:{line}: the source URL 'https://www.hefeilaws.com/hf/abc.html' does not end in a numeric"
        in proc.stderr
    )
    assert "fix the 本文链接 line" in proc.stderr and "1 refused" in proc.stdout


def test_every_input_class_through_the_command_line(book: Path, tmp_path: Path) -> None:
    """One batch with every kind of capture: each imports faithfully or is refused by name; exit 1 at the end."""
    from book import readers

    golden = Path(__file__).parent / "golden" / "captures"
    batch = tmp_path / "batch"
    batch.mkdir()
    for source in golden.iterdir():
        (batch / source.name).write_bytes(source.read_bytes())
    (batch / "zz-empty.txt").write_bytes(b"")
    (batch / "zz-binary.txt").write_bytes(bytes(range(256)) * 20)
    proc = run_book(book, "import", str(batch), "--quiet", check=False)
    assert proc.returncode == 1
    refused = [ln for ln in proc.stderr.splitlines() if ln.startswith(str(batch))]
    assert sorted(ln.split(":")[0] for ln in refused) == [str(batch / "zz-binary.txt"), str(batch / "zz-empty.txt")]
    # The readable captures are all in the book, each with the text its reader found.
    for source in golden.iterdir():
        article = readers.read(source)
        found = list((book / "notebooks").rglob(f"{article.id}.md"))
        assert found, f"{source.name} was not imported"
        text = found[0].read_text(encoding="utf-8")
        assert article.title.replace("<", "\\<")[:4] in text or article.title[:4] in text


def test_import_shows_a_progress_bar_and_a_summary(book: Path, tmp_path: Path) -> None:
    captures = tmp_path / "captures"
    captures.mkdir()
    for n in range(5):
        (captures / f"{n}.txt").write_text(seed_variant(n), encoding="utf-8")
    proc = run_book(book, "import", str(captures))
    assert re.search(r"import: +\d+%\|", proc.stderr), proc.stderr  # tqdm's bar, on stderr
    assert "5 imported, 0 updated, 0 unchanged, 0 kept (edited by hand), 0 refused" in proc.stdout


def test_the_data_notebook_round_trips_through_jupytext() -> None:
    import jupytext

    from .conftest import REPO

    text = (REPO / "notebooks" / "data.md").read_text(encoding="utf-8")
    assert jupytext.writes(jupytext.reads(text, fmt="md:myst"), fmt="md:myst") == text


@pytest.mark.parametrize("with_syncfs", [True, False])
def test_a_batch_of_writes_lands_whole_or_not_at_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, with_syncfs: bool
) -> None:
    from book import fsutil

    if not with_syncfs:
        monkeypatch.setattr(fsutil, "_libc_syncfs", lambda: None)  # each file fsynced instead
    old = tmp_path / "a" / "old.md"
    old.parent.mkdir()
    old.write_text("旧的", encoding="utf-8")
    with fsutil.AtomicBatch() as batch:
        batch.write(old, "新的")
        batch.write(tmp_path / "b" / "new.md", "新文件")
        # Before the commit: the targets as they were, the new text in hidden temporaries.
        assert old.read_text(encoding="utf-8") == "旧的" and not (tmp_path / "b" / "new.md").exists()
        assert len(list(tmp_path.rglob(".*.tmp"))) == 2 == len(batch)
    assert old.read_text(encoding="utf-8") == "新的"
    assert (tmp_path / "b" / "new.md").read_text(encoding="utf-8") == "新文件"
    assert not list(tmp_path.rglob(".*.tmp"))
    assert oct((tmp_path / "b" / "new.md").stat().st_mode & 0o777) == oct(fsutil._FILE_MODE)

    with pytest.raises(RuntimeError), fsutil.AtomicBatch() as batch:
        batch.write(old, "不该写入")
        raise RuntimeError("stopped mid-batch")
    assert old.read_text(encoding="utf-8") == "新的" and not list(tmp_path.rglob(".*.tmp"))
