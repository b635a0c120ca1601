"""Queries against a built site's ``_search/`` folder, the way ``booksearch.js`` answers them.

For tests and benchmarks: it reads the same files the browser loads, folds and
cuts the query the same way and ranks the same way, so the recall of the
index can be measured on thousands of queries without a browser, and the
browser test checks that the script agrees with it.
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import index
from .fold import fold, terms

_CALL = re.compile(r"^BookSearch\.\w+\((.*)\);\s*$", re.DOTALL)


def _arguments(path: Path) -> list:
    match = _CALL.match(path.read_text(encoding="utf-8"))
    if not match:
        raise ValueError(f"{path}: not a search index file")
    return json.loads(f"[{match.group(1)}]")


@dataclass
class Found:
    terms: list[str]
    pages: list[int]  # page numbers, best first
    exact: bool  # every term was looked up whole (three characters or fewer)
    files: set[str] = field(default_factory=set)  # index files the query needed


class SiteIndex:
    def __init__(self, site: Path) -> None:
        self.folder = site / "_search"
        self.meta = _arguments(self.folder / "meta.js")[0]
        self._buckets: dict[int, dict[int, tuple[bool, bytes]]] = {}

    def _bucket(self, b: int) -> dict[int, tuple[bool, bytes]]:
        if b not in self._buckets:
            self._buckets[b] = index.decode_bucket(base64.b64decode(_arguments(self.folder / "b" / f"{b}.js")[1]))
        return self._buckets[b]

    def posting(self, gram: str, files: set[str] | None = None) -> dict[int, int]:
        key = index.key(gram)
        b = int(index.bucket_of(np.array([key], dtype=np.uint64), self.meta["buckets"])[0])
        if files is not None:
            files.add(f"b/{b}.js")
        entry = self._bucket(b).get(key)
        if entry is None:
            return {}
        own, data = entry
        if own:
            position = list(self._bucket(b)).index(key)  # its place in the bucket names its file
            name = f"k/{b}-{position}.js"
            if files is not None:
                files.add(name)
            data = base64.b64decode(_arguments(self.folder / name)[2])
        return dict(index.decode_posting(data))

    def find(self, query: str) -> Found:
        words = terms(query)
        found = Found(words, [], all(len(w) <= index.MAX_N for w in words))
        if not words:
            return found
        per_term: list[dict[int, int]] = []
        for word in words:
            lists = [self.posting(g, found.files) for g in index.query_keys(word)]
            common = set(lists[0]).intersection(*lists[1:])
            per_term.append({d: _same_term([lst[d] for lst in lists]) for d in common})
        pages = set(per_term[0]).intersection(*per_term[1:])
        found.pages = sorted(pages, key=lambda d: (index.rank([t[d] for t in per_term]), d))
        return found

    def page(self, number: int) -> dict:
        """The page's address, title and whole text (its parts put together)."""
        page = dict(_arguments(self.folder / "d" / f"{number}.js")[1])
        parts = [page["text"]]
        parts += [_arguments(self.folder / "d" / f"{number}-{i}.js")[2] for i in range(1, page["parts"])]
        page["text"] = "\n".join(parts)
        return page

    def holds(self, number: int, words: list[str]) -> bool:
        text = fold(self.page(number)["text"])
        return all(w in text for w in words)

    def results(self, query: str) -> list[str]:
        """The addresses of the pages the search page lists for ``query``, best first (pages
        that hold every triple of a long term but not the term are dropped, as it does)."""
        found = self.find(query)
        numbers = found.pages if found.exact else [n for n in found.pages if self.holds(n, found.terms)]
        return [self.page(n)["url"] for n in numbers]


def _same_term(values: list[int]) -> int:
    mask, count = 0xE0, index.COUNT_MASK
    for v in values:
        mask &= v
        count = min(count, v & index.COUNT_MASK)
    return mask | count
