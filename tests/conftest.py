"""Shared fixtures: the repo's paths, the seed, and one strict build of the sample book per session."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "data" / "raw" / "000_bf8650cd44fa6f73.txt"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
BOOK_FILES = ("book", "notebooks", "data", "_config.yml", "_toc.yml")


def copy_book(dest: Path) -> Path:
    """A copy of the book folder (code, notebooks, data, config) to work on without touching the repo."""
    for name in BOOK_FILES:
        src = REPO / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("__pycache__", "_build"))
        else:
            shutil.copy2(src, dest / name)
    return dest


def run_book(root: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run([sys.executable, "-m", "book", *args], cwd=root, capture_output=True, text=True)
    if check and proc.returncode != 0:
        raise AssertionError(f"python -m book {' '.join(args)} exited {proc.returncode}\n{proc.stdout}\n{proc.stderr}")
    return proc


@pytest.fixture(scope="session")
def sample_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The committed sample book, built strictly (Sphinx warnings are errors) in a temporary copy."""
    root = copy_book(tmp_path_factory.mktemp("sample-book"))
    run_book(root, "build", "--strict")
    return root


@pytest.fixture(scope="session")
def site(sample_book: Path) -> Path:
    return sample_book / "_build" / "html"


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium under Playwright, shared by the browser tests."""
    from .browser import CHROMIUM, chromium

    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium (bash .ci/setup does)")
    with chromium() as browser:
        yield browser


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite tests/golden/ expected files from the current code (review the diff before committing)",
    )


@pytest.fixture(scope="session")
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))
