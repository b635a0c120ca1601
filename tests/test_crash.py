"""kill -9 of a command: its forked workers go with it, and the next run repairs what it left."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from book import cli, fsutil
from book.commands import check
from book.layout import Layout
from book.site.links import broken_links

from .conftest import copy_book, run_book
from .test_hardening import seed_variant


def _descendants(pid: int) -> list[int]:
    found: list[int] = []
    todo = [pid]
    while todo:
        parent = todo.pop()
        for task in Path(f"/proc/{parent}/task").glob("*"):
            try:
                children = [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                continue
            found += children
            todo += children
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


@pytest.fixture(scope="module")
def bigger_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample book with 60 more articles, so Sphinx reads and writes on forked processes."""
    root = copy_book(tmp_path_factory.mktemp("crash") / "book")
    captures = root.parent / "captures"
    captures.mkdir()
    for n in range(60):
        (captures / f"{n:03d}.txt").write_text(seed_variant(n), encoding="utf-8")
    run_book(root, "import", str(captures), "--quiet")
    return root


def test_a_killed_build_leaves_no_worker_and_the_next_build_is_full(bigger_book: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "book", "build", "--all", "-j", "2"],
        cwd=bigger_book, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    # Wait until Sphinx has forked its readers or writers: processes running this same
    # Python (the data notebook's kernel is another program's command line).
    deadline = time.monotonic() + 240
    workers: list[int] = []
    while time.monotonic() < deadline and proc.poll() is None:
        forks = [
            pid
            for pid in _descendants(proc.pid)
            if Path(f"/proc/{pid}/cmdline").exists()
            and Path(f"/proc/{pid}/cmdline").read_bytes() == Path(f"/proc/{proc.pid}/cmdline").read_bytes()
        ]
        if len(forks) >= 2:
            workers = _descendants(proc.pid)
            break
        time.sleep(0.05)
    assert workers, "the build forked no workers before it ended; the test proves nothing"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and any(_alive(pid) for pid in workers):
        time.sleep(0.1)
    assert [pid for pid in workers if _alive(pid)] == [], "processes of the build outlived kill -9"

    # The next build knows the last one did not finish and builds every page again.
    layout = Layout(bigger_book)
    assert (layout.html.parent / ".build-unfinished").exists()
    again = run_book(bigger_book, "build")
    assert "the last build did not finish (killed or failed): building every page again" in again.stdout
    assert not (layout.html.parent / ".build-unfinished").exists()
    assert (layout.html / "_search" / "meta.js").exists()
    articles = list((layout.html / "notebooks" / "jinrong-zhaiwu").glob("8*.html"))
    assert len(articles) == 60
    assert broken_links(layout.html) == []
    # And the one after that is an ordinary incremental build again.
    assert "did not finish" not in run_book(bigger_book, "build").stdout


def test_stale_temporaries_are_reported_by_check_and_cleared_by_any_other_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    layout = Layout(copy_book(tmp_path / "book"))
    dead, alive = _dead_pid(), os.getppid()
    stale = [
        layout.notebooks / "jinrong-zhaiwu" / f".67202.md.{dead}.k2j4h1ab.tmp",
        layout.data / f".articles.csv.{dead}.z9y8x7w6.tmp",
        layout.root / f"._toc.yml.{dead}.q1w2e3r4.tmp",
        layout.html.parent / f".build-unfinished.{dead}.p0o9i8u7.tmp",
        layout.notebooks / ".old.md.abcdefgh.tmp",  # named before names held a pid
    ]
    running = layout.notebooks / f".67202.md.{alive}.a1b2c3d4.tmp"  # a command still writing
    for path in [*stale, running]:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("half", encoding="utf-8")
    problems = check.check(layout)
    reported = sorted(p.path for p in problems if "temporary file" in p.message)
    assert reported == sorted(layout.rel(p) for p in stale)
    assert all(p.exists() for p in stale)  # check only tells

    monkeypatch.chdir(layout.root)
    assert cli.main(["index"]) == 0
    assert not any(p.exists() for p in stale) and running.exists()
    assert fsutil.stale_temporaries(*layout.written_folders()) == []


def test_temporaries_name_their_writer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []
    real = os.replace

    def replace(src: str, dst: object) -> None:
        seen.append(Path(src).name)
        real(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    fsutil.atomic_write(tmp_path / "a.md", "x")
    with fsutil.AtomicBatch() as batch:
        batch.write(tmp_path / "b.md", "y")
    assert [name.split(".")[3] for name in seen] == [str(os.getpid())] * 2


def test_serve_after_a_killed_build_reads_every_page_again(sample_book: Path, tmp_path: Path) -> None:
    from .test_serve import Server

    def pages_read_at_start(root: Path) -> int:
        server = Server(root)
        try:
            line = next(line for line in server.seen if "site built" in line)
        finally:
            assert server.stop() == 0
        return int(re.search(r"\((\d+) pages read\)", line).group(1))

    root = tmp_path / "book"
    shutil.copytree(sample_book, root)
    marker = Layout(root).html.parent / ".build-unfinished"
    pages_read_at_start(root)  # a book in a new folder is read again once (Sphinx: "new config")
    assert pages_read_at_start(root) == 0
    marker.write_text("pid 1\n", encoding="utf-8")  # what a killed build or server leaves
    assert pages_read_at_start(root) == len(list((root / "notebooks").rglob("*.md")))
    assert not marker.exists()
    assert broken_links(Layout(root).html) == []
