"""Only the data notebook runs code: an article's front matter cannot make the build execute it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from book.commands import check
from book.layout import Layout
from book.site.execution import docname_of

from .conftest import copy_book, run_book

ARTICLE = Path("notebooks/jinrong-zhaiwu/67202.md")


def force_execution(root: Path, outside: Path) -> None:
    """What a contributor could write: execution forced in front matter, and a code cell."""
    path = root / ARTICLE
    text = path.read_text(encoding="utf-8")
    text = text.replace("\nkernelspec:", "\nmystnb:\n  execution_mode: force\nkernelspec:", 1)
    code = f"\n```{{code-cell}} ipython3\nopen({str(outside)!r}, 'w').write('ran')\n```\n"
    path.write_text(text + code, encoding="utf-8")


def test_an_article_that_forces_execution_does_not_run(tmp_path: Path) -> None:
    root = copy_book(tmp_path / "book")
    outside = tmp_path / "outside-the-book.txt"
    force_execution(root, outside)
    env = {k: v for k, v in os.environ.items() if k != "CI"}  # not strict: the warning must not be what stops it
    proc = subprocess.run(
        [sys.executable, "-m", "book", "build"], cwd=root, env=env, capture_output=True, text=True
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert not outside.exists(), "the article's code cell ran during the build"
    assert "execution_mode 'force' ignored: only the pages named in book_execute run code" in proc.stderr
    assert "jinrong-zhaiwu/67202" in proc.stderr
    # The article shows its code as code; the data notebook still ran.
    page = (root / "_build" / "html" / ARTICLE.with_suffix(".html")).read_text(encoding="utf-8")
    assert "outside-the-book.txt" in page
    data = (root / "_build" / "html" / "notebooks" / "data.html").read_text(encoding="utf-8")
    assert "cell_output" in data


def test_check_reports_execution_settings_and_code_cells(tmp_path: Path) -> None:
    root = copy_book(tmp_path / "book")
    force_execution(root, tmp_path / "x")
    found = [str(p) for p in check.check(Layout(root)) if "run" in p.message]
    text = (root / ARTICLE).read_text(encoding="utf-8").split("\n")
    mystnb = text.index("mystnb:") + 1
    cell = next(i for i, line in enumerate(text, start=1) if line.startswith("```{code-cell}"))
    assert found == [
        f"{ARTICLE}:{mystnb}: execution settings (mystnb:) in an article's front matter: articles never run code "
        "(remove the mystnb block; code belongs in the data notebook)",
        f"{ARTICLE}:{cell}: a code cell in an article: it is shown as code and never runs "
        "(remove it, or move the analysis to the data notebook)",
    ]


def test_a_duplicate_id_fails_the_build(tmp_path: Path) -> None:
    root = copy_book(tmp_path / "book")
    copy = root / "notebooks" / "other" / "copy.md"
    copy.parent.mkdir()
    copy.write_text((root / ARTICLE).read_text(encoding="utf-8"), encoding="utf-8")
    proc = run_book(root, "build", check=False)
    assert proc.returncode == 1
    assert "article id 67202 is also used by" in proc.stderr
    assert "build: refused: 1 notebook(s) share an article id with another" in proc.stderr
    assert not (root / "_build" / "html" / "index.html").exists()


@pytest.mark.parametrize(
    ("path", "docname"), [("/b/notebooks/data.md", "notebooks/data"), ("/b/notebooks/x/1.md", "notebooks/x/1")]
)
def test_docnames_of_sources(path: str, docname: str) -> None:
    assert docname_of(path, "/b") == docname
