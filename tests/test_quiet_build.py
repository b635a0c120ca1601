"""``python -m book build`` says what a person building the book needs: a progress bar for
reading and writing, then pages read and written, warnings as ``file:line: message``, the
time and where the site is.  Sphinx's whole log goes to ``_build/build.log``; ``-v`` shows it."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest

from .conftest import copy_book, run_book

ARTICLE = Path("notebooks/jinrong-zhaiwu/67202.md")
SPHINX_CHATTER = (
    "Running Sphinx",
    "MdParserConfig",
    "NbParserConfig",
    "reading sources...",
    "Kernel is running over TCP",
)


def on_terminal(root: Path, *args: str) -> tuple[int, str]:
    """Run ``python -m book`` on a pseudo-terminal, as a person would: (exit status, output)."""
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 100, 0, 0))
    proc = subprocess.Popen(
        [sys.executable, "-m", "book", *args], cwd=root, env=env, stdin=slave, stdout=slave, stderr=slave
    )  # fmt: skip
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the other end closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    return proc.wait(), b"".join(chunks).decode("utf-8", "replace")


def visible(output: str) -> list[str]:
    lines = []
    for line in output.replace("\r\n", "\n").split("\n"):
        drawn = [part for part in line.split("\r") if part.strip()]
        if drawn:
            lines.append(drawn[-1])
    return lines


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return copy_book(tmp_path / "book")


def test_a_build_shows_progress_bars_then_a_short_summary(root: Path) -> None:
    code, output = on_terminal(root, "build")
    assert code == 0, output
    lines = visible(output)
    assert len(lines) <= 25, lines
    reading = [line for line in lines if line.startswith("build: reading")]
    writing = [line for line in lines if line.startswith("build: writing")]
    assert reading and reading[-1].endswith("100%") and "█" in reading[-1], lines
    assert writing and writing[-1].endswith("100%"), lines
    # The bar moves: it was drawn at more than one stage before it was full.
    assert len(re.findall(r"build: reading[^\r\n]*?\d+%", output)) > 2
    for chatter in SPHINX_CHATTER:
        assert chatter not in output, chatter
    log = (root / "_build" / "build.log").read_text(encoding="utf-8")
    for line in ("Running Sphinx v", "NbParserConfig", "reading sources... [100%]", "build succeeded"):
        assert line in log
    assert "\x1b[" not in log, "colour codes in the log"
    # The summary's count is the one Sphinx logged; pages written are the site's pages, not its assets.
    added = int(re.search(r"updating environment: (?:\[[^\]]*\] )?(\d+) added, 0 changed", log).group(1))
    html = root / "_build" / "html"
    pages = len([p for p in html.glob("**/*.html") if not p.relative_to(html).parts[0].startswith("_")])
    summary = next(line for line in lines if "page(s) read" in line)
    match = re.fullmatch(r"build: (\d+) page\(s\) read, (\d+) written in (\d+\.\d) s", summary)
    assert match, summary
    assert int(match.group(1)) == added >= 20
    assert int(match.group(2)) == pages
    assert lines[-1] == "build: site written to _build/html/index.html; log in _build/build.log"

    # Nothing changed: nothing read, nothing written, and no bar.
    code, output = on_terminal(root, "build")
    assert code == 0, output
    assert "build: 0 page(s) read, 0 written in" in output
    assert "build: reading" not in output


def test_warnings_are_listed_as_file_line_message(root: Path) -> None:
    path = root / ARTICLE
    text = path.read_text(encoding="utf-8")
    line = text.count("\n") + 3
    path.write_text(text + "\n\n见 [另一篇](missing-page.md)。\n", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "book", "build"], cwd=root, capture_output=True, text=True,
        env={k: v for k, v in os.environ.items() if k != "CI"},
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    expected = f"  {ARTICLE.as_posix()}:{line}: 'myst' cross-reference target not found: 'missing-page.md'"
    assert expected in proc.stderr.splitlines()[1], proc.stderr
    assert proc.stderr.splitlines()[0] == "build: 1 warning(s):"
    assert "1 warning(s) in" in proc.stdout
    assert str(root) not in proc.stdout + proc.stderr, "paths are shown relative to the book"
    # Without a terminal there is no bar to draw: only the index report and the summary.
    assert "█" not in proc.stdout + proc.stderr
    assert len(proc.stdout.splitlines()) == 3, proc.stdout

    # Under --strict the same warning fails the build, and the summary says where the log is.
    proc = run_book(root, "build", "--strict", "--all", check=False)
    assert proc.returncode == 1
    assert expected in proc.stderr
    assert proc.stderr.splitlines()[-1].startswith("build: failed after ")
    assert proc.stderr.splitlines()[-1].endswith("Sphinx's whole log is in _build/build.log")


def test_verbose_shows_sphinx_log_as_it_builds(root: Path) -> None:
    proc = run_book(root, "build", "-v")
    assert "Running Sphinx v" in proc.stdout
    assert "reading sources... [100%]" in proc.stdout
    log = (root / "_build" / "build.log").read_text(encoding="utf-8")
    assert "Running Sphinx v" in log and "build succeeded" in log
