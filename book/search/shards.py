"""The search index on disk: per-page records kept between builds, and the shards of the site.

Each searchable page leaves a *record* when it is written (its address, title,
text and n-grams: ``book.search.index.postings``) in the build's private
folder.  After every build the records of the pages that still exist are
numbered, merged and written as the site's ``_search/`` folder:

- ``_search/meta.js``: the shard count and the page count;
- ``_search/fold.js``: the fold table the query is folded with;
- ``_search/b/<bucket>.js``: one shard of n-grams and their postings;
- ``_search/k/<bucket>-<i>.js``: a posting too big to share a shard;
- ``_search/d/<page>.js``: one page's address, title and text, for its snippet.

Every file is JavaScript that hands its data to ``BookSearch`` (the search
page's script), so the search works from ``file://``, where a browser
refuses ``fetch()``.  A file is rewritten only when its bytes change, so a
small edit touches the shards of the n-grams it added or removed and the
page's own text; nothing of the site is written twice.

Page numbers are kept from build to build (a page keeps its number; a new page
takes the lowest free one), so an edit does not renumber every posting.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import index
from .fold import TABLE_FILE

# Bump when records or shards change shape: records of another version are made again.
FORMAT = 1
SITE_FOLDER = "_search"


def _js_string(value: object) -> str:
    # U+2028/2029 are line ends to older JavaScript parsers; escaped, they are plain text.
    return json.dumps(value, ensure_ascii=False).replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _replace(path: Path, data: bytes) -> None:
    """Write beside, then rename: a reader of the site sees the old file or the new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _record_name(docname: str) -> str:
    return docname + ".rec"


@dataclass
class Record:
    docname: str
    url: str
    title: str
    text: str
    keys: bytes  # uint64 n-gram keys, sorted
    values: bytes  # one byte each


class Store:
    """The records and the bookkeeping of one build folder (``<doctrees>/book-search/``)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.state_file = folder / "state.json"

    def fingerprint(self) -> str:
        """What the records depend on besides the pages: this format and the fold table."""
        digest = hashlib.blake2b(TABLE_FILE.read_bytes(), digest_size=8).hexdigest()
        return f"{FORMAT}:{digest}"

    def _state(self) -> dict:
        try:
            return json.loads(self.state_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def _save_state(self, state: dict) -> None:
        _replace(self.state_file, json.dumps(state, ensure_ascii=False, sort_keys=True).encode("utf-8"))

    def current(self) -> bool:
        """Whether the records were made by this code (else every page must be written again)."""
        return self._state().get("fingerprint") == self.fingerprint()

    def reset(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True, exist_ok=True)
        self._save_state({"fingerprint": self.fingerprint(), "numbers": {}, "written": {}})

    def put(self, page: index.Page, docname: str) -> None:
        keys, values = index.postings(page)
        record = Record(docname, page.url, page.title, page.text, keys.tobytes(), values.tobytes())
        _replace(self.folder / _record_name(docname), pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL))

    def get(self, docname: str) -> Record | None:
        try:
            record = pickle.loads((self.folder / _record_name(docname)).read_bytes())
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
            return None
        return record if isinstance(record, Record) else None

    def forget(self, docname: str) -> None:
        (self.folder / _record_name(docname)).unlink(missing_ok=True)

    def known(self) -> list[str]:
        """Every page with a record."""
        return sorted(
            str(p.relative_to(self.folder))[: -len(".rec")] for p in self.folder.rglob("*.rec") if p.is_file()
        )

    def write_site(self, site: Path, docnames: Iterable[str]) -> dict[str, int]:
        """Make ``site/_search/`` from the records of ``docnames`` (the pages that exist now),
        writing only files whose bytes changed.  Returns counts for the build's log."""
        state = self._state()
        wanted = set(docnames)
        for gone in set(self.known()) - wanted:
            self.forget(gone)
        records = {name: r for name in sorted(wanted) if (r := self.get(name)) is not None}
        numbers = _renumber(state.get("numbers", {}), sorted(records))
        files = _site_files(records, numbers)
        written = state.get("written", {})
        out = site / SITE_FOLDER
        changed = 0
        for rel, data in files.items():
            digest = hashlib.blake2b(data, digest_size=8).hexdigest()
            path = out / rel
            if written.get(rel) == digest and path.exists():
                continue
            _replace(path, data)
            changed += 1
        removed = 0
        for rel in set(written) - set(files):
            (out / rel).unlink(missing_ok=True)
            removed += 1
        self._save_state(
            {
                "fingerprint": self.fingerprint(),
                "numbers": numbers,
                "written": {rel: hashlib.blake2b(d, digest_size=8).hexdigest() for rel, d in files.items()},
            }
        )
        return {"pages": len(records), "files": len(files), "changed": changed, "removed": removed}


def _renumber(old: dict[str, int], docnames: list[str]) -> dict[str, int]:
    """Keep each page's number; give new pages the lowest free numbers, in name order."""
    numbers = {name: old[name] for name in docnames if name in old}
    taken = set(numbers.values())
    free = (n for n in range(len(docnames) + len(taken) + 1) if n not in taken)
    for name in docnames:
        if name not in numbers:
            numbers[name] = next(free)
    return numbers


def _site_files(records: dict[str, Record], numbers: dict[str, int]) -> dict[str, bytes]:
    order = sorted(records, key=numbers.__getitem__)
    postings = index.merge(
        (
            numbers[name],
            np.frombuffer(records[name].keys, dtype=np.uint64),
            np.frombuffer(records[name].values, dtype=np.uint8),
        )
        for name in order
    )
    buckets = index.bucket_count(postings)
    files: dict[str, bytes] = {}
    for b, shard in enumerate(index.encode_buckets(postings, buckets)):
        files[f"b/{b}.js"] = f'BookSearch.bucket({b},"{index.b64(shard.data)}");\n'.encode("ascii")
        for i, posting in shard.own.items():
            files[f"k/{b}-{i}.js"] = f'BookSearch.posting({b},{i},"{index.b64(posting)}");\n'.encode("ascii")
    for name in order:
        r = records[name]
        n = numbers[name]
        payload = _js_string({"url": r.url, "title": r.title, "text": r.text})
        files[f"d/{n}.js"] = f"BookSearch.page({n},{payload});\n".encode()
    pages = max(numbers.values(), default=-1) + 1
    meta = {"format": FORMAT, "buckets": buckets, "pages": pages, "indexed": len(records), "maxN": index.MAX_N}
    files["meta.js"] = f"BookSearch.meta({_js_string(meta)});\n".encode()
    files["fold.js"] = f"BookSearch.fold({TABLE_FILE.read_text(encoding='utf-8').strip()});\n".encode()
    return files
