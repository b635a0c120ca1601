"""Faults a careful user meets: each costs at most its own file, with a message, and loses nothing.

In-process where the importer can be called directly (fast); through the
command line where the printed report is what is tested.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from book import cli, fsutil, guard, readers
from book.commands import importer
from book.errors import BookError, shown
from book.layout import Layout

from .conftest import SEED, copy_book, run_book

SEED_TEXT = SEED.read_text(encoding="utf-8")
SEED_LINES = SEED_TEXT.split("\n")


def capture(article_id: str = "67202", title: str = "国美金融催收部在哪", lines: list[str] | None = None) -> str:
    text = "\n".join(SEED_LINES if lines is None else lines)
    return text.replace("67202", article_id).replace("国美金融催收部在哪", title)


def without_url(text: str) -> str:
    return "\n".join(line for line in text.split("\n") if not line.startswith("本文链接"))


def truncated(keep_body_lines: int) -> list[str]:
    """The seed cut short after a few of its body lines, its footer and related list kept."""
    body_end = SEED_LINES.index("小编总结")
    return SEED_LINES[: 8 + keep_body_lines] + SEED_LINES[body_end:]


@pytest.fixture
def book(tmp_path: Path) -> Layout:
    return Layout(copy_book(tmp_path / "book"))


def run_import(layout: Layout, *paths: Path, force: bool = False) -> importer.ImportReport:
    return importer.import_paths(layout, list(paths), force=force, progress=False, jobs=1)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# --- the shrink guard ----------------------------------------------------------------


def test_a_truncated_recapture_is_refused_and_the_notebook_kept(book: Layout, tmp_path: Path) -> None:
    target = book.notebooks / "jinrong-zhaiwu" / "67202.md"
    before = target.read_text(encoding="utf-8")
    short = write(tmp_path / "short.txt", capture(lines=truncated(4)))
    report = run_import(book, short)
    assert report.updated == [] and len(report.refused) == 1 == len(report.guarded)
    message = str(report.refused[0])
    notes = readers.ReadNotes()
    # As the importer writes it: the article and the record of its capture.
    n, m = before.count("\n"), importer.render(short, readers.read(short, notes), notes).count("\n")
    assert m < n * 0.8
    assert message.startswith(f"{short}:1: would replace {n} lines with {m} (use --force")
    assert "1 refused (1 would lose a notebook's text: --force to write them)" in report.summary()
    assert target.read_text(encoding="utf-8") == before
    # --force says the shorter capture is meant.
    assert run_import(book, short, force=True).updated == [target]


def test_a_recapture_with_no_body_is_refused_even_when_few_lines_go(book: Layout, tmp_path: Path) -> None:
    # A short article whose long related list keeps the line count: only the body rule sees the loss.
    related = [f"相关标题{i}\n\n相关摘要{i}..." for i in range(40)]
    full = [
        "当前位置:首页 > 金融债务 > 正文内容",
        "短文",
        "第一段正文。",
        "版权声明:略",
        "本文链接:https://x.example/hf/90001.html",
    ]
    lines = [*full, "短文的相关文章", *related]
    first = write(tmp_path / "a" / "full.txt", "\n\n".join(lines))
    assert len(run_import(book, first).new) == 1
    empty = write(tmp_path / "b" / "empty.txt", "\n\n".join(lines[:2] + lines[3:]))
    report = run_import(book, empty)
    assert len(report.guarded) == 1 and "would replace" in str(report.guarded[0])


def test_a_same_title_capture_with_another_text_is_refused_across_runs(book: Layout, tmp_path: Path) -> None:
    first = write(tmp_path / "one" / "a.txt", without_url(capture(title="无链接的文章")))
    report = run_import(book, first)
    assert len(report.new) == 1
    other = SEED_TEXT.replace("国美金融成立于年", "另一家公司成立于2001年").replace(
        "国美金融催收部在哪", "无链接的文章"
    )
    second = write(tmp_path / "two" / "b.txt", without_url(other))
    report = run_import(book, second)
    assert report.updated == [] and len(report.guarded) == 1
    assert "already holds an article titled '无链接的文章' with different text" in str(report.guarded[0])
    assert "1 would lose" in report.summary()
    # The same capture again is unchanged, not refused.
    again = run_import(book, first)
    assert len(again.unchanged) == 1 and again.refused == []


def test_an_ordinary_update_still_goes_through(book: Layout, tmp_path: Path) -> None:
    edited = write(tmp_path / "v2.txt", SEED_TEXT.replace("金融债务4", "金融债务5").replace("成立于年", "成立于2015年"))
    report = run_import(book, edited)
    assert len(report.updated) == 1 and report.refused == []


def test_article_text_is_the_intro_body_and_summary() -> None:
    text = importer.notebook.writes(readers.read(SEED))
    lines = guard.article_text(text)
    assert lines[0].startswith("```{container} article-intro") and "## 一、国美金融概述" in lines
    assert not any("相关文章" in line for line in lines)


# --- every failure stays per file ------------------------------------------------------


def test_a_300_digit_id_is_refused_and_the_batch_goes_on(book: Layout, tmp_path: Path) -> None:
    folder = tmp_path / "batch"
    for n in range(26):
        write(folder / f"{n:02d}.txt", capture(str(80000 + n), f"文章{n}"))
    bad = write(folder / "zz.txt", capture("9" * 300, "超长编号"))
    report = run_import(book, folder)
    assert len(report.new) == 26
    [refused] = report.refused
    assert str(refused).startswith(f"{bad}:95: the article id in the source URL has 300 digits")
    assert "(fix the 本文链接 line" in str(refused)


@pytest.mark.parametrize(("digits", "ascii_id"), [("６７２０３", "67203"), ("٩١٠٠٦", "91006"), ("۹۱۰۰۷", "91007")])
def test_ids_in_other_digits_name_ascii_files(book: Layout, tmp_path: Path, digits: str, ascii_id: str) -> None:
    path = write(tmp_path / "c.txt", capture(digits, "别的数字"))
    report = run_import(book, path)
    assert [p.name for p in report.new] == [f"{ascii_id}.md"]


def test_a_name_too_long_for_the_disk_is_refused_per_file(book: Layout, tmp_path: Path) -> None:
    # A breadcrumb category whose folder name (its pinyin) passes 255 bytes: a real ENAMETOOLONG.
    long_category = "金融债务纠纷处理" * 12
    bad = write(tmp_path / "x" / "long.txt", capture("80100", "长分类").replace("> 金融债务 >", f"> {long_category} >"))
    good = write(tmp_path / "x" / "ok.txt", capture("80101", "正常"))
    report = run_import(book, tmp_path / "x")
    assert [p.name for p in report.new] == ["80101.md"]
    [refused] = report.refused
    assert str(refused).startswith(f"{bad}:1: cannot write notebooks/")
    assert "File name too long" in str(refused) and "(shorten the file or folder name)" in str(refused)
    assert good.exists() and not list(book.notebooks.rglob(".*.tmp"))


@pytest.mark.parametrize(
    ("error", "hint"),
    [(PermissionError(errno.EACCES, "Permission denied"), "chmod"), (RuntimeError("a reader bug"), "report this bug")],
)
def test_any_error_reading_one_capture_is_reported_per_file(
    book: Layout, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: Exception, hint: str
) -> None:
    bad = write(tmp_path / "y" / "bad.txt", capture("80200", "读不了"))
    write(tmp_path / "y" / "good.txt", capture("80201", "读得了"))
    real = readers.read

    def read(path: Path, notes=None):
        if path == bad:
            raise error
        return real(path, notes)

    monkeypatch.setattr(readers, "read", read)
    report = run_import(book, tmp_path / "y")
    assert [p.name for p in report.new] == ["80201.md"]
    [refused] = report.refused
    assert str(refused).startswith(f"{bad}:1: cannot read it: ") and hint in str(refused)


def test_errors_from_workers_arrive_whole() -> None:
    import pickle

    err = BookError("a.txt", 3, "what", "do this")
    assert str(pickle.loads(pickle.dumps(err))) == str(err) == "a.txt:3: what (do this)"


def test_names_in_messages_are_escaped(book: Layout, tmp_path: Path) -> None:
    folder = tmp_path / "names"
    folder.mkdir()
    (folder / "forged\nok.txt:1: imported.txt").write_text("", encoding="utf-8")
    bad_bytes = os.fsdecode(b"bad-\xff\xfe.txt")
    (folder / bad_bytes).write_text("", encoding="utf-8")
    report = run_import(book, folder)
    messages = [str(e) for e in report.refused]
    assert len(messages) == 2
    for message in messages:
        assert "\n" not in message
        message.encode("utf-8")  # printable: no lone surrogate
    assert any("forged\\x0aok.txt:1: imported.txt:1: the file is empty" in m for m in messages), messages
    assert any("bad-\\xff\\xfe.txt:1:" in m for m in messages), messages
    assert shown("a\\x0a") == "a\\\\x0a"  # a literal backslash is told from an escape


def test_the_command_line_prints_one_line_per_refusal(tmp_path: Path) -> None:
    root = copy_book(tmp_path / "book")
    folder = tmp_path / "cli"
    write(folder / "good.txt", capture("80300", "好的"))
    write(folder / "huge.txt", capture("1" * 300, "超长"))
    (folder / "two\nlines.txt").write_text("", encoding="utf-8")
    proc = run_book(root, "import", str(folder), "--quiet", check=False)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().split("\n")
    assert len(lines) == 2, proc.stderr
    assert all(line.startswith(str(folder)) for line in lines)
    assert "1 imported, 0 updated, 0 unchanged, 0 kept (edited by hand), 2 refused" in proc.stdout


# --- a full disk ---------------------------------------------------------------------------


def _fill_disk_after(monkeypatch: pytest.MonkeyPatch, writes: int) -> None:
    real = fsutil._temporary
    count = [0]

    def temporary(path: Path, data: bytes, sync: bool) -> str:
        count[0] += 1
        if count[0] > writes:
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        return real(path, data, sync)

    monkeypatch.setattr(fsutil, "_temporary", temporary)


def _snapshot(root: Path) -> dict[str, bytes]:
    files = [*(root / "data").glob("*.*"), root / "_toc.yml", *(root / "notebooks").rglob("*")]
    return {str(p.relative_to(root)): p.read_bytes() for p in files if p.is_file()}


def test_a_full_disk_stops_import_with_one_line(
    book: Layout, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "many"
    for n in range(10):
        write(folder / f"{n}.txt", capture(str(81000 + n), f"满盘{n}"))
    before = _snapshot(book.root)
    _fill_disk_after(monkeypatch, 4)
    monkeypatch.chdir(book.root)
    assert cli.main(["import", str(folder), "--quiet"]) == 1
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and err.startswith("import: no space left on the disk of ")
    assert "stopped; 0 notebooks written before it are whole" in err
    assert _snapshot(book.root) == before  # nothing of the batch, no temporary


def test_a_full_disk_during_index_leaves_tables_pages_and_toc_as_they_were(
    book: Layout, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(book.root)
    assert cli.main(["index"]) == 0
    run_import(book, write(tmp_path / "new.txt", capture("82000", "新增的文章")))
    before = _snapshot(book.root)
    capsys.readouterr()
    _fill_disk_after(monkeypatch, 6)  # past the tables, into the pages
    assert cli.main(["index"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("index: no space left on the disk of ") and "\n" not in err
    assert "the tables, generated pages and _toc.yml are as they were" in err
    assert _snapshot(book.root) == before
    monkeypatch.undo()
    monkeypatch.chdir(book.root)
    assert cli.main(["index"]) == 0  # with space again, it all lands
    assert "82000" in (book.root / "data" / "articles.csv").read_text(encoding="utf-8")


# --- symbolic links ----------------------------------------------------------------------


def test_a_symlink_out_of_the_import_folder_is_refused(book: Layout, tmp_path: Path) -> None:
    secret = write(tmp_path / "outside" / "passwd.txt", "root:x:0:0:root:/root:/bin/bash\n")
    folder = tmp_path / "in"
    write(folder / "real.txt", capture("83000", "真文章"))
    (folder / "link.txt").symlink_to(secret)
    (folder / "inner.txt").symlink_to(folder / "real.txt")  # inside: the same file, read once
    (folder / "dir").symlink_to(secret.parent, target_is_directory=True)
    files, problems = readers.find_captures([folder])
    assert files == [folder / "inner.txt"]
    assert sorted(str(p) for p in problems) == [
        f"{folder / name}:1: is a symbolic link to a file outside the folder being imported: not read "
        "(copy the file into the folder, or import it by its own path)"
        for name in ("dir", "link.txt")
    ]
    report = run_import(book, folder)
    assert len(report.new) == 1 and len(report.refused) == 2
    assert not any("root:x" in p.read_text(encoding="utf-8") for p in book.notebooks.rglob("*.md"))


def test_a_refusal_in_a_parallel_import_costs_only_its_file(book: Layout, tmp_path: Path) -> None:
    # A worker's BookError travels back pickled: it used to break the whole pool.
    folder = tmp_path / "parallel"
    for n in range(importer.PARALLEL_MIN_FILES + 2):
        write(folder / f"{n:03d}.txt", capture(str(84000 + n), f"并行{n}"))
    write(folder / "empty.txt", "")
    report = importer.import_paths(book, [folder], progress=False, jobs=2)
    assert len(report.new) == importer.PARALLEL_MIN_FILES + 2
    [refused] = report.refused
    assert str(refused).startswith(f"{folder / 'empty.txt'}:1: ")
