"""Mirror tests, as jupytext does them: each capture in tests/golden/captures has an
expected article (``.article.json``) and an expected notebook (``.md``) beside it.

Regenerate after an intended change with ``pytest tests/test_golden.py --update-golden``
and review the diff (``git diff tests/golden``) before committing.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from book import notebook, readers
from book.catalog.tagging import load_vocabulary
from book.commands.importer import prepare

from .conftest import REPO

GOLDEN = Path(__file__).resolve().parent / "golden"
# The golden corpus, plus the saved HTML page of the seed that the HTML reader's tests use.
CAPTURES = sorted(p for p in (GOLDEN / "captures").iterdir() if p.suffix in (".txt", ".html"))
CAPTURES.append(Path(__file__).resolve().parent / "fixtures" / "html" / "67202.html")


def article_json(path: Path) -> str:
    article = prepare(readers.read(path), load_vocabulary(REPO / "data" / "tags.yml"))
    data = dataclasses.asdict(dataclasses.replace(article, source_path=path.name))
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def notebook_text(path: Path) -> str:
    article = prepare(readers.read(path), load_vocabulary(REPO / "data" / "tags.yml"))
    return notebook.writes(article)


def _compare(expected_path: Path, actual: str, update: bool) -> None:
    if update:
        expected_path.write_text(actual, encoding="utf-8")
        return
    assert expected_path.exists(), f"{expected_path} is missing: run pytest --update-golden and review it"
    assert actual == expected_path.read_text(encoding="utf-8"), (
        f"{expected_path.name} differs from what the code produces now; if the change is intended, "
        "run pytest tests/test_golden.py --update-golden and review git diff"
    )


@pytest.mark.parametrize("capture", CAPTURES, ids=lambda p: p.name)
def test_capture_reads_to_expected_article(capture: Path, update_golden: bool) -> None:
    _compare(GOLDEN / "expected" / (capture.stem + ".article.json"), article_json(capture), update_golden)


@pytest.mark.parametrize("capture", CAPTURES, ids=lambda p: p.name)
def test_capture_writes_expected_notebook(capture: Path, update_golden: bool) -> None:
    _compare(GOLDEN / "expected" / (capture.stem + ".md"), notebook_text(capture), update_golden)


def test_golden_corpus_covers_the_seed() -> None:
    assert (GOLDEN / "captures" / "seed.txt").read_bytes() == (
        REPO / "data" / "raw" / "000_bf8650cd44fa6f73.txt"
    ).read_bytes()
