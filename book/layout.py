"""Where things live in a book folder.  One place, so no module guesses a path."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .slug import slugify

GENERATED = "_index"  # notebooks/_index/: pages `index` regenerates; never edit by hand
# The tables under data/ that the data notebook reads: when one changes, the page is read (and run) again.
DATA_TABLES = ("articles.csv", "tags.csv", "relations.csv")


def category_folders(category: tuple[str, ...]) -> tuple[str, ...]:
    """The folders of a category's articles under ``notebooks/``: ``金融债务`` → ``jinrong-zhaiwu``."""
    return tuple(slugify(c) for c in category)


@dataclass(frozen=True)
class Layout:
    root: Path

    @property
    def notebooks(self) -> Path:
        return self.root / "notebooks"

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def data_tables(self) -> list[Path]:
        return [self.data / name for name in DATA_TABLES]

    @property
    def raw(self) -> Path:
        return self.data / "raw"

    @property
    def generated(self) -> Path:
        return self.notebooks / GENERATED

    @property
    def toc(self) -> Path:
        return self.root / "_toc.yml"

    @property
    def config(self) -> Path:
        return self.root / "_config.yml"

    @property
    def vocabulary(self) -> Path:
        return self.data / "tags.yml"

    @property
    def html(self) -> Path:
        return self.root / "_build" / "html"

    @property
    def doctrees(self) -> Path:
        """Sphinx's saved environment and doctrees (``_build/.doctrees``)."""
        return self.html.parent / ".doctrees"

    @property
    def cache(self) -> Path:
        return self.root / "_build" / ".book-cache"

    @property
    def build_log(self) -> Path:
        """Sphinx's whole log of the last ``book build``."""
        return self.html.parent / "build.log"

    def written_folders(self) -> tuple[list[Path], list[Path]]:
        """Where the book's commands write atomically: (folders, with their subfolders; folders
        by themselves), for ``fsutil.stale_temporaries``."""
        return [self.notebooks, self.data, self.cache], [self.root, self.html.parent]

    def article_path(self, category: tuple[str, ...], article_id: str) -> Path:
        return self.article_path_in(category_folders(category), article_id)

    def article_path_in(self, folders: tuple[str, ...], article_id: str) -> Path:
        """``article_path`` from the category's folders (``category_folders``), made elsewhere."""
        return self.notebooks.joinpath(*folders) / f"{article_id}.md"

    def is_article_notebook(self, path: Path) -> bool:
        rel = path.relative_to(self.notebooks)
        return len(rel.parts) >= 2 and rel.parts[0] != GENERATED and not rel.name.startswith(".")

    def article_notebooks(self) -> list[Path]:
        """Every article notebook, in path order: ``notebooks/**/*.md`` below a category folder,
        not hidden, not generated.  (``os.walk`` rather than ``rglob``, which took 0.2 s of every
        ``index`` at 10,000 notebooks.)"""
        if not self.notebooks.exists():
            return []
        found: list[Path] = []
        for folder, dirs, files in os.walk(self.notebooks):
            here = Path(folder)
            if here == self.notebooks:
                dirs[:] = [d for d in dirs if d != GENERATED]  # top-level notebooks are not articles
                continue
            found += [here / name for name in files if name.endswith(".md") and not name.startswith(".")]
        return sorted(found)

    def rel(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()


def find_root(start: Path | None = None) -> Path:
    """The book folder: $BOOK_ROOT, else the nearest folder upward holding ``_config.yml``."""
    if env := os.environ.get("BOOK_ROOT"):
        return Path(env).resolve()
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "_config.yml").exists():
            return folder
    raise FileNotFoundError(f"no _config.yml in {here} or any folder above it: run this inside the book folder")


def stub_path(stub_id: str) -> str:
    """Stubs share pages, 256 at most, chosen by their id's hash digits: a page per stub
    would make them the bulk of a large book's pages (and of its build time)."""
    return f"notebooks/_index/stubs/{stub_id.removeprefix('t-')[:2]}.md"


NEIGHBOURS = "notebooks/_index/links/"


def neighbours_path(docname: str) -> str:
    """What an article page shows of its neighbours (相关文章, 被引用), written by ``index`` for
    the page of ``docname`` (``notebooks/<category>/<id>``, no suffix): one small file per
    article, so an edit reads again only the pages whose neighbours it changed."""
    return NEIGHBOURS + docname.removeprefix("notebooks/") + ".json"
