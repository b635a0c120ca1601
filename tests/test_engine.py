"""The engine's one door (book.engine.patches) and its limits: every replacement of code the
project does not own is version-checked, recorded and undoable; ``book_speedups: false``
builds the same pages Sphinx's own way; only the engine and the site import Sphinx."""

from __future__ import annotations

import ast
import re
import types
from pathlib import Path

import pytest
from lxml import html as lxml_html

from book.engine import patches

from .conftest import REPO, copy_book, run_book

FAKE = "book-test-fake-package"


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> types.SimpleNamespace:
    """A package the door knows, at the version it was written for; each test leaves the registry as it found it."""
    monkeypatch.setitem(patches.WRITTEN_FOR, FAKE, "1.0")
    monkeypatch.setitem(patches._versions, FAKE, "1.0")
    monkeypatch.setattr(patches, "_applied", [])
    monkeypatch.setattr(patches, "_enabled", True)
    return types.SimpleNamespace(module=types.ModuleType("fake"), cls=type("Owner", (), {"method": lambda self: "own"}))


def test_a_replacement_is_made_recorded_and_undone(fake: types.SimpleNamespace) -> None:
    fake.module.answer = 1
    assert patches.replace(fake.module, "answer", 2, package=FAKE, name="answer")
    assert fake.module.answer == 2
    assert [(p.name, p.package) for p in patches.applied()] == [("answer", FAKE)]
    assert patches.replace(fake.module, "answer", 3, package=FAKE)  # already ours: kept, not stacked
    assert fake.module.answer == 2 and len(patches.applied()) == 1
    patches.undo_all()
    assert fake.module.answer == 1 and patches.applied() == []


def test_an_attribute_inherited_from_a_class_is_removed_again_not_copied(fake: types.SimpleNamespace) -> None:
    instance = fake.cls()
    assert patches.replace(instance, "method", lambda: "ours", package=FAKE)
    assert instance.method() == "ours"
    patches.undo_all()
    assert "method" not in vars(instance) and instance.method() == "own"


def test_under_another_version_nothing_is_replaced_and_earlier_replacements_are_taken_back(
    fake: types.SimpleNamespace,
) -> None:
    fake.module.answer = 1
    assert patches.replace(fake.module, "answer", 2, package=FAKE)
    patches._versions[FAKE] = "2.0"  # a later application meets another release
    assert not patches.replace(fake.module, "answer", 2, package=FAKE)
    assert fake.module.answer == 1 and patches.applied() == []
    assert not patches.usable(FAKE)


def test_a_package_the_door_does_not_know_is_never_patched(fake: types.SimpleNamespace) -> None:
    fake.module.answer = 1
    assert not patches.replace(fake.module, "answer", 2, package="some-unlisted-package")
    assert fake.module.answer == 1


def test_an_essential_replacement_refuses_loudly_under_another_version(fake: types.SimpleNamespace) -> None:
    patches._versions[FAKE] = "2.0"
    with pytest.raises(patches.VersionMismatch, match=r"written for book-test-fake-package 1\.0, found 2\.0"):
        patches.replace(fake.module, "guard", object(), package=FAKE, essential=True)


def test_turning_the_engine_off_undoes_speedups_but_keeps_safeguards(fake: types.SimpleNamespace) -> None:
    fake.module.fast = fake.module.guard = "plain"
    patches.replace(fake.module, "fast", "sped up", package=FAKE)
    patches.replace(fake.module, "guard", "guarded", package=FAKE, essential=True)
    patches.set_enabled(False)
    assert (fake.module.fast, fake.module.guard) == ("plain", "guarded")
    assert not patches.replace(fake.module, "fast", "sped up", package=FAKE)
    assert patches.replace(fake.module, "guard", "guarded", package=FAKE, essential=True)
    patches.set_enabled(True)


def test_a_swap_lasts_for_its_with_block(fake: types.SimpleNamespace) -> None:
    fake.module.dumper = "pure"
    with patches.swapped(fake.module, "dumper", "c", package=FAKE) as done:
        assert done and fake.module.dumper == "c"
    assert fake.module.dumper == "pure" and patches.applied() == []


def _pins() -> dict[str, str]:
    pins = {}
    for line in (REPO / "requirements.txt").read_text(encoding="utf-8").splitlines():
        if match := re.match(r"^([A-Za-z0-9_.\-]+)==([^\s;#]+)", line):
            pins[re.sub(r"[-_.]+", "-", match.group(1)).lower()] = match.group(2)
    return pins


def test_every_patched_package_is_pinned_at_the_version_its_patches_were_written_for() -> None:
    pins = _pins()
    for package, version in patches.WRITTEN_FOR.items():
        pinned = pins.get(package)
        assert pinned == version, f"{package}: patches written for {version}, requirements.txt pins {pinned}"
        assert patches.installed(package) == version, package


def _patched_packages_in_source() -> set[str]:
    found = set()
    for path in (REPO / "book").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            door = getattr(getattr(node, "func", None), "attr", "") in {"replace", "swapped", "replace_listener"}
            if isinstance(node, ast.Call) and door:
                for keyword in node.keywords:
                    if keyword.arg == "package" and isinstance(keyword.value, ast.Constant):
                        found.add(keyword.value.value)
    return found


def test_every_package_a_patch_names_is_one_the_door_knows() -> None:
    named = _patched_packages_in_source()
    assert {"sphinx", "myst-nb", "myst-parser", "jupytext"} <= named  # the scan sees the patches
    assert named <= set(patches.WRITTEN_FOR)


ENGINE_ONLY = ("sphinx", "docutils", "myst_nb", "myst_parser", "jupyter_book", "sphinx_external_toc")
THEMES = ("sphinx_book_theme", "pydata_sphinx_theme")


def test_only_the_engine_and_the_site_import_sphinx_and_its_kin() -> None:
    offenders = []
    for path in sorted((REPO / "book").rglob("*.py")):
        rel = path.relative_to(REPO / "book")
        if rel.parts[0] in {"engine", "site"}:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom) and not node.level
                else []
            )
            for name in names:
                if name.split(".")[0] in ENGINE_ONLY + THEMES:
                    offenders.append(f"book/{rel}:{node.lineno} imports {name}")
    assert offenders == []


def _article_text(page: Path) -> str:
    tree = lxml_html.fromstring(page.read_bytes())
    return " ".join(" ".join(a.itertext()) for a in tree.iter("article"))


def _pages(site: Path) -> set[str]:
    return {str(p.relative_to(site)) for p in site.rglob("*.html") if not p.relative_to(site).parts[0].startswith("_")}


@pytest.mark.build
def test_with_the_engine_off_the_sample_book_builds_the_same_pages(site: Path, tmp_path: Path) -> None:
    root = copy_book(tmp_path)
    config = root / "_config.yml"
    text = config.read_text(encoding="utf-8")
    assert "\n  config:\n" in text
    config.write_text(text.replace("\n  config:\n", "\n  config:\n    book_speedups: false\n", 1), encoding="utf-8")
    run_book(root, "build", "--strict")
    plain = root / "_build" / "html"
    assert _pages(plain) == _pages(site)
    assert len(_pages(site)) > 20
    # The same text on every page either way: the engine changes how fast, not what.
    for page in sorted(_pages(site)):
        assert _article_text(plain / page) == _article_text(site / page), page
